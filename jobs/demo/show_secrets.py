"""Shows what a job step receives from the runner, printing the secrets on purpose so the masking is visible."""
import base64
import hashlib
import json
import os
import stat
import urllib.parse

token = os.environ["HF_TOKEN"]
key_path = os.environ["WANDB_KEY_FILE"]
with open(key_path, "rb") as handle:
    key = handle.read()

print(f"job {os.environ['JOBRUNNER_JOB_ID']} ({os.environ['JOBRUNNER_JOB_NAME']}), step {os.environ['JOBRUNNER_STEP']}")
print(f"TRAINING_MODE={os.environ['TRAINING_MODE']} (a plain value: not masked)")
print(f"HF_TOKEN from the environment: {token}")
print(f"  sha256 {hashlib.sha256(token.encode()).hexdigest()[:16]}... (proves the child saw the real value)")
print(f"  base64 {base64.b64encode(token.encode()).decode()}, url-encoded {urllib.parse.quote(token, safe='')}")
print(f"  as JSON {json.dumps({'token': token})}")
info = os.stat(key_path)
print(f"wandb key file {key_path}: mode {stat.filemode(info.st_mode)}, {len(key)} bytes")
print(f"  contents: {key.decode()}")
print(f"  sha256 {hashlib.sha256(key).hexdigest()[:16]}...")
print(f"secrets directory {os.environ['JOBRUNNER_SECRETS_DIR']}: {sorted(os.listdir(os.environ['JOBRUNNER_SECRETS_DIR']))}")
print("runner credentials visible to the child:", sorted(k for k in os.environ if k.startswith("JOBRUNNER_") and k not in
      ("JOBRUNNER_JOB_ID", "JOBRUNNER_JOB_NAME", "JOBRUNNER_STEP", "JOBRUNNER_SECRETS_DIR")) or "none")
