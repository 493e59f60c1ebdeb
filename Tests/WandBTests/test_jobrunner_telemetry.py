"""Issue 6, the runner's telemetry: a step appends rows to $JOBRUNNER_METRICS, the runner stores them in its outbox
and sends them to the W&B test server as the real client would (UpsertBucket, file_stream with offsets, complete
with the exit code), exactly once and in order through an outage, a SIGKILLed runner, 500s, a refused key, and
100,000 rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ENTITY, HERE, OTHER_KEY, TEST_KEY, child_env, online_env, run_wandb_child, training_rows

sys.path.insert(0, str(HERE.parent / "PythonSDKTests"))
from jobrunner_job import JobRunnerSandbox  # noqa: E402

PROJECT = "nvidia-nemo-customizer"
CHILD = str(HERE / "metrics_child.py")


def _job(server, rows: int, pause: float = 0.0, written: Path | None = None, **wandb: object) -> dict:
    command = [sys.executable, CHILD, str(rows), str(pause)] + ([str(written)] if written else [])
    return {
        "name": "lora-sft",
        "integrations": {"wandb": {"api_key": "wandb-key", "base_url": server.base_url, **wandb}},
        "steps": [{"name": "train", "run": command}],
    }


def _sandbox(tmp: Path, key: str = TEST_KEY) -> JobRunnerSandbox:
    box = JobRunnerSandbox(tmp, child_env(tmp, WANDB_MODE="offline"))
    box.create_secret("wandb-key", key)
    return box


def _child_rows(run: dict) -> list[dict]:
    """The rows of the history that came from the child (the runner's own rows carry runner/ keys)."""
    return [row for row in run["history"] if row is not None and "train_loss" in row]


def _assert_exactly_once_in_order(run: dict, count: int) -> None:
    rows = _child_rows(run)
    assert [row["step"] for row in rows] == list(range(count)), f"{len(rows)} rows, first steps {[r['step'] for r in rows[:5]]}"
    assert run["history_gaps"] == 0 if "history_gaps" in run and isinstance(run["history_gaps"], int) else True
    steps = [row["_step"] for row in run["history"] if row is not None]
    assert steps == list(range(len(steps))), "history lines are contiguous, each once"


def _flush(sandbox: JobRunnerSandbox, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(sandbox.cli.binary), "--data-dir", str(sandbox.data_dir), "telemetry", "flush", *args],
        capture_output=True, text=True, env=sandbox.environment, timeout=300,
    )  # fmt: skip


def _status(sandbox: JobRunnerSandbox) -> list[dict]:
    out = sandbox.cli.run("telemetry", "status", "--output", "json")
    return json.loads(out)


def test_a_job_reports_its_run_as_the_real_client_does(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path / "job")
    (tmp_path / "job").mkdir(exist_ok=True)
    result = sandbox.run(_job(wandb_server, 20))
    assert result.returncode == 0, result.stderr
    ours = wandb_server.get_run(ENTITY, PROJECT, result.job_id)
    assert ours is not None, list(wandb_server.runs())
    _assert_exactly_once_in_order(ours, 20)
    assert ours["complete"] and ours["exitcode"] == 0
    assert ours["display_name"] == "lora-sft"
    config = json.loads(ours["upserts"][0]["config"])
    assert config["job_id"] == {"value": result.job_id} and config["job_name"] == {"value": "lora-sft"}
    runner_rows = [row for row in ours["history"] if row and "runner/step" in row]
    assert runner_rows and runner_rows[-1]["runner/step"] == "train" and runner_rows[-1]["runner/step_exit_code"] == 0
    assert ours["summary"]["train_loss"] == _child_rows(ours)[-1]["train_loss"]

    # The real client logging the same rows to the same server: the same kind of run, the same values.
    rows = [{"step": i, "train_loss": round(2.0 / (i + 1), 6), "val_loss": round(2.5 / (i + 1) + 0.01, 6)} for i in range(20)]
    real = run_wandb_child(tmp_path / "real", {"run_id": "real-client-run", "project": PROJECT, "rows": rows},
                           online_env(tmp_path / "real", wandb_server))
    assert real.returncode == 0, real.output
    theirs = wandb_server.get_run(ENTITY, PROJECT, "real-client-run")
    assert theirs["complete"] and theirs["exitcode"] == 0
    assert [r["train_loss"] for r in _child_rows(theirs)] == [r["train_loss"] for r in _child_rows(ours)]
    assert {"_step", "_runtime", "_timestamp"} <= set(_child_rows(theirs)[0]) and {"_step", "_runtime", "_timestamp"} <= set(_child_rows(ours)[0])
    assert TEST_KEY not in result.stdout + result.stderr and sandbox.files_containing(TEST_KEY) == []


def test_the_server_down_for_the_first_half_loses_and_repeats_nothing(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path)
    wandb_server.stop()
    threading.Timer(2.0, wandb_server.start).start()
    result = sandbox.run(_job(wandb_server, 40, pause=0.1))
    assert result.returncode == 0, result.stderr
    flushed = _flush(sandbox)
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr
    run = wandb_server.get_run(ENTITY, PROJECT, result.job_id)
    _assert_exactly_once_in_order(run, 40)
    assert run["complete"] and run["exitcode"] == 0


def test_a_runner_killed_mid_job_delivers_every_written_row_once_after_a_flush(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path)
    written = tmp_path / "written.txt"
    spec = tmp_path / "kill.json"
    spec.write_text(json.dumps(_job(wandb_server, 400, pause=0.02, written=written)))
    runner = subprocess.Popen(
        [str(sandbox.cli.binary), "--data-dir", str(sandbox.data_dir), "run", str(spec)],
        env=sandbox.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not written.exists() or len(written.read_text().split()) < 100):
        time.sleep(0.05)
    os.killpg(runner.pid, signal.SIGKILL)
    runner.wait(timeout=30)
    time.sleep(0.2)
    count = len(written.read_text().split())
    assert 100 <= count < 400, count

    flushed = _flush(sandbox)
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr
    [status] = _status(sandbox)
    run = wandb_server.get_run(ENTITY, PROJECT, status["job"])
    rows = _child_rows(run)
    # Every row the trainer finished writing is there once, in order (a row cut mid-line by the kill is not).
    assert [row["step"] for row in rows] in (list(range(count)), list(range(count + 1))), (count, len(rows))
    assert run["complete"] and run["exitcode"] == 137
    assert status["rows_pending"] == 0 and status["state"] == "complete"


def test_a_500_on_every_third_request_loses_and_repeats_nothing(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path)
    wandb_server.set_faults(fail_every=3, fail_every_status=500, fail_after_apply=True)
    result = sandbox.run(_job(wandb_server, 60, pause=0.03))
    assert result.returncode == 0, result.stderr
    flushed = _flush(sandbox)
    assert flushed.returncode == 0, flushed.stdout
    run = wandb_server.get_run(ENTITY, PROJECT, result.job_id)
    _assert_exactly_once_in_order(run, 60)
    assert run["complete"]
    assert any(request["status"] == 500 for request in wandb_server.requests())


def test_a_refused_key_says_so_once_keeps_the_rows_and_does_not_fail_the_job(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path, key=OTHER_KEY)
    result = sandbox.run(_job(wandb_server, 15))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("W&B refused the API key") == 1, result.stderr
    [status] = _status(sandbox)
    assert status["rows_pending"] >= 15 and status["rows_sent"] == 0
    assert OTHER_KEY not in result.stderr

    sandbox.cli.run("secrets", "update", "wandb-key", "--from-file", "-", stdin=TEST_KEY)
    flushed = _flush(sandbox)
    assert flushed.returncode == 0, flushed.stdout
    _assert_exactly_once_in_order(wandb_server.get_run(ENTITY, PROJECT, result.job_id), 15)


def test_required_telemetry_with_a_refused_key_stops_the_job_before_it_starts(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path, key=OTHER_KEY)
    result = sandbox.run(_job(wandb_server, 5, required=True))
    assert result.returncode == 125, result.stderr
    assert "required" in result.stderr and "refused" in result.stderr
    assert "train" not in [line.split()[0] for line in result.stdout.splitlines() if line]


def test_a_hundred_thousand_rows_all_arrive_and_the_child_never_waits_on_the_runner(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path)
    result = sandbox.run(_job(wandb_server, 100_000, pause=0.0001))
    assert result.returncode == 0, result.stderr
    child = result.last_json()
    assert child["regular_file"], "the metrics channel is a plain file: a write cannot wait for the runner"
    print(f"\n100,000 rows: slowest single write {child['max_write_ms']:.2f} ms, all writes {child['total_write_s']:.2f} s")
    assert child["max_write_ms"] < 2000
    flushed = _flush(sandbox, "--timeout", "600")
    assert flushed.returncode == 0, flushed.stdout
    run = wandb_server.get_run(ENTITY, PROJECT, result.job_id)
    _assert_exactly_once_in_order(run, 100_000)


def test_the_next_run_sends_what_an_earlier_job_left_waiting(wandb_server, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path)
    wandb_server.stop()
    first = sandbox.run(_job(wandb_server, 25))
    assert first.returncode == 0, first.stderr
    assert "wait in the outbox" in first.stderr
    wandb_server.start()
    # A later job without any integration: its runner sends the earlier job's rows while it runs.
    # The step waits (up to 5 minutes) until the server has the earlier run complete, so nothing depends on speed.
    wait = (
        "import json, time, urllib.request\n"
        f"url = {wandb_server.base_url + '/_test/runs/' + ENTITY + '/' + PROJECT + '/' + first.job_id!r}\n"
        "for _ in range(3000):\n"
        "    try:\n"
        "        if json.load(urllib.request.urlopen(url)).get('complete'): break\n"
        "    except OSError: pass\n"
        "    time.sleep(0.1)\n"
    )
    later = sandbox.run({"name": "later", "steps": [{"name": "s", "run": [sys.executable, "-c", wait]}]})
    assert later.returncode == 0, later.stderr
    run = wandb_server.get_run(ENTITY, PROJECT, first.job_id)
    assert run is not None and run["complete"], "sent by the next run"
    _assert_exactly_once_in_order(run, 25)
