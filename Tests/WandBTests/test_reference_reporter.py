"""The minimal reporter against the test server: rows exactly once, in order, whatever the service does."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ENTITY, HERE, OTHER_KEY, TEST_KEY, training_rows
from reference_reporter import AuthError, Reporter, RetryableError, report_run, with_step

PROJECT = "nvidia-nemo-customizer"


def _reporter(server, run_id: str, key: str = TEST_KEY, **kwargs) -> Reporter:
    kwargs.setdefault("backoff_initial", 0.01)
    kwargs.setdefault("backoff_max", 0.05)
    return Reporter(server.base_url, key, PROJECT, run_id, **kwargs)


def _assert_once(server, run_id: str, rows: list[dict], complete: bool = True) -> dict:
    run = server.get_run(ENTITY, PROJECT, run_id)
    assert run is not None
    assert [{k: v for k, v in r.items() if not k.startswith("_")} for r in run["history"]] == rows
    assert [r["_step"] for r in run["history"]] == list(range(len(rows)))
    assert run["history_gaps"] == [] and run["history_changed"] == 0
    assert run["complete"] is complete
    if complete:
        assert run["exitcode"] == 0
    return run


def test_same_batch_resent_is_stored_once(wandb_server):
    rows = with_step(training_rows(10))
    r = _reporter(wandb_server, "job-resend")
    r.upsert_run(config={"job_id": "job-resend"})
    r.send_batch(0, rows[:6])
    r.send_batch(0, rows[:6])  # the same batch again, e.g. after a lost reply
    r.send_batch(3, rows[3:10])  # overlapping resend
    r.send_batch(0, rows)  # everything again
    r.finish(0, {"train_loss": rows[-1]["train_loss"]})
    run = _assert_once(wandb_server, "job-resend", training_rows(10))
    assert run["history_replaced"] == 6 + 3 + 10
    assert run["config"] == {"job_id": {"value": "job-resend"}}
    assert run["summary"] == {"train_loss": rows[-1]["train_loss"]}


def test_500_on_every_third_request_after_apply(wandb_server):
    wandb_server.set_faults(fail_every=3, fail_after_apply=True)
    rows = training_rows(100)
    r = report_run(wandb_server.base_url, TEST_KEY, PROJECT, "job-500", rows, batch_size=7,
                   backoff_initial=0.01, backoff_max=0.05)
    assert sum(1 for req in wandb_server.requests() if req.get("fault") == 500) >= 5
    run = _assert_once(wandb_server, "job-500", rows)
    assert run["history_replaced"] > 0, "some batches were stored, refused, and resent"
    assert r.sent_lines == 100


def test_503_for_the_next_requests(wandb_server):
    wandb_server.set_faults(fail_next=5, fail_next_status=503)
    rows = training_rows(30)
    report_run(wandb_server.base_url, TEST_KEY, PROJECT, "job-503", rows, batch_size=10,
               backoff_initial=0.01, backoff_max=0.05)
    assert [r["status"] for r in wandb_server.requests()][:5] == [503] * 5
    _assert_once(wandb_server, "job-503", rows)


def test_server_down_then_up(wandb_server):
    rows = with_step(training_rows(40))
    r = _reporter(wandb_server, "job-down", max_attempts=2)
    r.upsert_run()
    r.push(rows[:20], batch_size=10)
    wandb_server.stop()  # connection refused from now on
    with pytest.raises(RetryableError):
        r.push(rows, batch_size=10)
    assert r.sent_lines == 20, "nothing acknowledged while down"
    wandb_server.start()  # same port, same stored state
    r.push(rows, batch_size=10)
    r.finish(0)
    _assert_once(wandb_server, "job-down", training_rows(40))


def test_slow_replies_time_out_and_are_resent_once(wandb_server):
    rows = with_step(training_rows(12))
    r = _reporter(wandb_server, "job-slow", timeout=0.3)
    r.upsert_run()
    wandb_server.set_faults(delay=0.6, fail_next=0, paths=["/files/"])
    stop = threading.Timer(1.0, wandb_server.clear_faults)  # the service recovers after a while
    stop.start()
    try:
        r.push(rows, batch_size=4)
    finally:
        stop.cancel()
    r.finish(0)
    time.sleep(0.8)  # let the late, timed-out requests land too: they must not duplicate anything
    _assert_once(wandb_server, "job-slow", training_rows(12))
    assert r.attempts > 5


def test_new_reporter_without_ack_state_resends_from_zero(wandb_server):
    rows = with_step(training_rows(25))
    first = _reporter(wandb_server, "job-restart")
    first.upsert_run()
    first.push(rows[:15], batch_size=4)
    # the process dies; its successor only knows the durable rows, not what was acknowledged
    second = _reporter(wandb_server, "job-restart")
    bucket = second.upsert_run()
    assert bucket["historyLineCount"] == 15
    second.push(rows, batch_size=4)
    second.finish(0)
    run = _assert_once(wandb_server, "job-restart", training_rows(25))
    assert run["history_replaced"] == 15


def test_wrong_key_is_refused_with_401(wandb_server):
    r = _reporter(wandb_server, "job-401", key=OTHER_KEY)
    with pytest.raises(AuthError) as e:
        r.upsert_run()
    assert e.value.status == 401
    assert r.attempts == 1, "auth errors are not retried"
    assert wandb_server.runs() == {}


@pytest.mark.parametrize("status", [401, 403])
def test_auth_modes_refuse_a_good_key(wandb_server, status):
    rows = with_step(training_rows(5))
    r = _reporter(wandb_server, f"job-auth-{status}")
    r.upsert_run()
    wandb_server.set_faults(auth_status=status)
    with pytest.raises(AuthError) as e:
        r.push(rows)
    assert e.value.status == status and r.sent_lines == 0
    wandb_server.clear_faults()  # the key is fixed
    r.push(rows)
    r.finish(0)
    _assert_once(wandb_server, f"job-auth-{status}", training_rows(5))


def test_missing_or_malformed_auth_is_401(wandb_server):
    for header in (None, "Bearer x", "Basic !!!", "Basic " + __import__("base64").b64encode(f"me:{TEST_KEY}".encode()).decode()):
        request = urllib.request.Request(f"{wandb_server.base_url}/graphql", data=b'{"query":"query Viewer { viewer { id } }"}', method="POST")
        if header:
            request.add_header("Authorization", header)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(request)
        assert e.value.code == 401, header


def test_gap_and_stop_switch_are_visible(wandb_server):
    r = _reporter(wandb_server, "job-gap")
    r.upsert_run()
    r.send_batch(5, [{"x": 1}])  # a buggy sender skipping offsets is caught
    run = wandb_server.get_run(ENTITY, PROJECT, "job-gap")
    assert run["history_gaps"] == [[0, 5]] and run["history"][:5] == [None] * 5
    wandb_server.set_faults(stop_runs=True)
    assert r.send_batch(6, [{"x": 2}])["stopped"] is True


def test_unknown_fault_switch_is_rejected(wandb_server):
    request = urllib.request.Request(f"{wandb_server.base_url}/_test/faults", data=b'{"fail_evry": 3}', method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request)
    assert e.value.code == 400


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_cli(port: int, state: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "wandb_server.py"), "--port", str(port), "--key", f"{TEST_KEY}={ENTITY}",
         "--state", str(state)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    line = proc.stdout.readline()
    assert line.strip() == f"listening on http://127.0.0.1:{port}", line
    return proc


def test_cli_server_killed_and_restarted_keeps_its_state(tmp_path):
    """As the Swift tests will use it: a separate process, SIGKILLed (connection refused) and restarted."""
    port, state = _free_port(), tmp_path / "state.json"
    base = f"http://127.0.0.1:{port}"
    rows = with_step(training_rows(30))
    proc = _start_cli(port, state)
    try:
        r = Reporter(base, TEST_KEY, PROJECT, "job-cli", backoff_initial=0.01, backoff_max=0.05, max_attempts=2)
        r.upsert_run(config={"job_id": "job-cli"})
        r.push(rows[:10], batch_size=5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        with pytest.raises(RetryableError):
            r.push(rows, batch_size=5)
        proc = _start_cli(port, state)
        r.push(rows, batch_size=5)
        r.finish(0)
        with urllib.request.urlopen(f"{base}/_test/runs/{ENTITY}/{PROJECT}/job-cli") as response:
            run = json.load(response)
        assert [row["_step"] for row in run["history"]] == list(range(30))
        assert run["complete"] and run["exitcode"] == 0 and run["config"] == {"job_id": {"value": "job-cli"}}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_state_journal_cut_short_by_a_kill_is_replayed_up_to_the_last_whole_event(tmp_path):
    from wandb_server import WandBServer

    state = tmp_path / "state.jsonl"
    with WandBServer(keys={TEST_KEY: ENTITY}, state_path=str(state)) as server:
        report_run(server.base_url, TEST_KEY, PROJECT, "job-journal", training_rows(10), batch_size=3)
    with open(state, "a", encoding="utf-8") as f:
        f.write('{"kind": "file_stream", "entity": "testus')  # the kill hit mid-write
    with WandBServer(keys={TEST_KEY: ENTITY}, state_path=str(state)) as server:
        _assert_once(server, "job-journal", training_rows(10))
        report_run(server.base_url, TEST_KEY, PROJECT, "job-journal-2", training_rows(4))
    with WandBServer(keys={TEST_KEY: ENTITY}, state_path=str(state)) as server:
        _assert_once(server, "job-journal", training_rows(10))
        _assert_once(server, "job-journal-2", training_rows(4))


def test_test_api_down_switch_refuses_connections_for_a_while(wandb_server):
    rows = with_step(training_rows(20))
    r = _reporter(wandb_server, "job-down-api", max_attempts=40, backoff_initial=0.05, backoff_max=0.1)
    r.upsert_run()
    r.push(rows[:10], batch_size=5)
    request = urllib.request.Request(f"{wandb_server.base_url}/_test/down", data=b'{"seconds": 1.0}', method="POST")
    with urllib.request.urlopen(request) as response:
        assert json.load(response) == {"down_for": 1.0}
    time.sleep(0.3)
    with pytest.raises(OSError):  # URLError(connection refused)
        urllib.request.urlopen(f"{wandb_server.base_url}/_test/runs", timeout=2)
    started = time.time()
    r.push(rows, batch_size=5)  # retried until the server is back
    assert time.time() - started > 0.4
    r.finish(0)
    _assert_once(wandb_server, "job-down-api", training_rows(20))
