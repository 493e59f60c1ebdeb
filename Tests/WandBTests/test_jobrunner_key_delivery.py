"""Issue 6, key delivery: a step run by `jobrunner run` with `integrations.wandb` gets the key, project, run id (the
job id) and name so that the real wandb in the child logs its run with them: online against the test server
(which accepts only the right key, so a run stored there proves the key wandb used), with the key as a variable or
as a netrc file, and offline (the run file holds our project, run id and rows). The key is nowhere on disk."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ENTITY, HERE, OTHER_KEY, TEST_KEY, child_env, training_rows
from offline_reader import check_offline_run

sys.path.insert(0, str(HERE.parent / "PythonSDKTests"))
from jobrunner_job import JobRunnerSandbox  # noqa: E402

PROJECT = "nvidia-nemo-customizer"


def _job(rows: list[dict], tmp: Path, **wandb: object) -> dict:
    spec_path = tmp / "child-spec.json"
    spec_path.write_text(__import__("json").dumps({"rows": rows}))
    settings = {"api_key": "wandb-key", "report": False, **wandb}
    return {
        "name": "lora-sft",
        "integrations": {"wandb": settings},
        "steps": [{"name": "train", "run": [sys.executable, str(HERE / "wandb_child.py"), str(spec_path)]}],
    }


def _sandbox(tmp: Path, **environment: str | None) -> JobRunnerSandbox:
    box = JobRunnerSandbox(tmp, child_env(tmp, **environment))
    box.create_secret("wandb-key", TEST_KEY)
    return box


@pytest.mark.parametrize("delivery", ["env", "file"])
def test_the_real_client_logs_online_with_the_delivered_key(wandb_server, tmp_path: Path, delivery: str) -> None:
    # A wrong key in the runner's own environment must not reach the child (it would beat a netrc, and fail).
    sandbox = _sandbox(tmp_path, WANDB_MODE="online", WANDB_API_KEY=OTHER_KEY)
    rows = training_rows(12)
    result = sandbox.run(_job(rows, tmp_path, base_url=wandb_server.base_url, delivery=delivery))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.job_id
    assert f"RUN {ENTITY}/{PROJECT}/{result.job_id}" in result.stdout, "project and run id came from the runner"

    run = wandb_server.get_run(ENTITY, PROJECT, result.job_id)
    assert run is not None, wandb_server.runs().keys()
    assert run["display_name"] == "lora-sft"
    history = [row for row in run["history"] if row is not None]
    assert [row["train_loss"] for row in history] == [row["train_loss"] for row in rows]
    requests = wandb_server.requests()
    assert requests and all(request["status"] < 400 for request in requests)

    assert TEST_KEY not in result.stdout + result.stderr
    assert sandbox.files_containing(TEST_KEY) == [], "the key is on disk"


def test_offline_run_has_our_project_run_id_and_rows(tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path, WANDB_MODE="offline")
    rows = training_rows(8)
    result = sandbox.run(_job(rows, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    run = check_offline_run(str(tmp_path), project=PROJECT, run_id=result.job_id, rows=rows)
    assert run.display_name == "lora-sft"
    assert sandbox.files_containing(TEST_KEY) == [], "the key is on disk"


def test_a_key_that_cannot_go_in_a_netrc_stops_the_step_with_a_clear_error(tmp_path: Path) -> None:
    sandbox = JobRunnerSandbox(tmp_path, child_env(tmp_path, WANDB_MODE="offline"))
    sandbox.create_secret("wandb-key", "has a blank " + "x" * 40)
    result = sandbox.run(_job([], tmp_path, delivery="file"))
    assert result.returncode == 125, result.stderr
    assert "netrc cannot hold" in result.stderr and "delivery: env" in result.stderr
    assert "has a blank" not in result.stderr
