"""Fixtures for the W&B protocol tests: an in-process test server and an isolated environment for children
that run the real `wandb` client (nothing read from or written to the user's ~/.netrc, ~/.config/wandb, ...)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from wandb_server import WandBServer  # noqa: E402

TEST_KEY = "local-" + "a1b2c3d4e5f60718" * 3  # 54 chars: passes wandb's own online-key check
OTHER_KEY = "local-" + "ffffeeeeddddcccc" * 3
ENTITY = "testuser"


@pytest.fixture
def wandb_server():
    server = WandBServer(keys={TEST_KEY: ENTITY}).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class ChildResult:
    returncode: int
    output: str
    wandb_dir: Path

    def debug_log_problems(self) -> list[str]:
        """ERROR/WARN lines of wandb's own debug logs (debug-core.log, debug-internal.log)."""
        problems = []
        for log in sorted(self.wandb_dir.glob("wandb/*run-*/logs/debug*.log")):
            for line in log.read_text(errors="replace").splitlines():
                if '"level":"ERROR"' in line or '"level":"WARN"' in line or " ERROR " in line or " WARNING " in line:
                    problems.append(f"{log.name}: {line}")
        return problems


def child_env(tmp: Path, **overrides: str | None) -> dict[str, str]:
    """An environment for a wandb child: no WANDB_* from the caller, every wandb directory under tmp."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WANDB_")}
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        NETRC=str(home / "no-netrc"),
        WANDB_DIR=str(tmp),
        WANDB_CONFIG_DIR=str(home / "config"),
        WANDB_CACHE_DIR=str(home / "cache"),
        WANDB_DATA_DIR=str(home / "data"),
        WANDB_ERROR_REPORTING="false",
        PYTHONUNBUFFERED="1",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_wandb_child(tmp: Path, spec: dict[str, Any], env: dict[str, str], timeout: float = 180) -> ChildResult:
    tmp.mkdir(parents=True, exist_ok=True)
    spec_path = tmp / "spec.json"
    spec_path.write_text(json.dumps(spec))
    proc = subprocess.run(
        [sys.executable, str(HERE / "wandb_child.py"), str(spec_path)],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    return ChildResult(proc.returncode, proc.stdout, Path(env["WANDB_DIR"]))


def online_env(tmp: Path, server: WandBServer, key: str = TEST_KEY, **overrides: str | None) -> dict[str, str]:
    return child_env(tmp, WANDB_BASE_URL=server.base_url, WANDB_API_KEY=key, WANDB_MODE="online", **overrides)


def training_rows(n: int = 20) -> list[dict[str, Any]]:
    return [
        {"train_loss": round(2.0 / (i + 1), 6), "val_loss": round(2.5 / (i + 1) + 0.01, 6), "step": i}
        for i in range(n)
    ]
