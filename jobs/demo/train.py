"""A stand-in training loop: prints losses per epoch, and (by mistake, as real code does) the token once."""
import argparse
import math
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
args = parser.parse_args()

print(f"loading base model with token {os.environ['HF_TOKEN']}", file=sys.stderr)
for epoch in range(1, args.epochs + 1):
    train_loss = 2.0 * math.exp(-0.6 * epoch)
    val_loss = train_loss * 1.15
    print(f"epoch {epoch}/{args.epochs}: train_loss={train_loss:.4f} val_loss={val_loss:.4f}", flush=True)
    time.sleep(0.2)
print("training done")
