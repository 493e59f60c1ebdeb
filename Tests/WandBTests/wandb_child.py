"""A training-script stand-in that logs with the real `wandb` client.

    python wandb_child.py SPEC.json

SPEC: {"project": ..., "run_id": ..., "name": ..., "config": {...}, "rows": [{...}, ...], "summary": {...},
"sleep_per_row": seconds, "settings": {wandb.Settings fields, e.g. "x_file_stream_transmit_interval": 0.5}}.
Every key is optional: whatever is missing comes from the environment (WANDB_PROJECT, WANDB_RUN_ID,
WANDB_NAME, ...), as the job runner's children get it. Online or offline follows WANDB_MODE. Exits 0 when
wandb.init/log/finish all succeeded; an init failure is printed as `INIT FAILED: <type>: <message>`, exit 3.
"""

from __future__ import annotations

import json
import sys
import time

import wandb


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    kwargs = {}
    for key, arg in (("project", "project"), ("run_id", "id"), ("name", "name"), ("config", "config"), ("entity", "entity")):
        if spec.get(key) is not None:
            kwargs[arg] = spec[key]
    if spec.get("settings"):
        kwargs["settings"] = wandb.Settings(**spec["settings"])
    try:
        run = wandb.init(**kwargs)
    except Exception as e:  # the test asserts on this line
        print(f"INIT FAILED: {type(e).__name__}: {e}", flush=True)
        return 3
    for row in spec.get("rows", []):
        run.log(row)
        time.sleep(spec.get("sleep_per_row", 0))
    for key, value in (spec.get("summary") or {}).items():
        run.summary[key] = value
    print(f"RUN {run.entity}/{run.project}/{run.id}", flush=True)
    run.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
