"""The test server is trusted only as far as the real wandb client (0.31.0, pinned) works against it."""

from __future__ import annotations

import json
import urllib.request

from conftest import (
    ENTITY,
    OTHER_KEY,
    TEST_KEY,
    online_env,
    child_env,
    run_wandb_child,
    training_rows,
)
from offline_reader import check_offline_run, find_offline_run_files, read_offline_run, user_keys
from reference_reporter import report_run

PROJECT = "nvidia-nemo-customizer"
CONFIG = {"job_id": "job-7f3a", "learning_rate": 0.0003, "epochs": 3, "model": "llama-3-8b", "lora": {"rank": 16}}
SUMMARY = {"best_val_loss": 0.0842, "status": "completed"}


def _spec(run_id: str, rows: list[dict], **extra) -> dict:
    return {"project": PROJECT, "run_id": run_id, "name": f"job {run_id}", "config": CONFIG, "rows": rows,
            "summary": SUMMARY, **extra}


def _user_config(stored_config: dict) -> dict:
    """UpsertBucket config is {"key": {"value": v}} plus wandb's own "_wandb" entry."""
    return {k: v["value"] for k, v in stored_config.items() if k != "_wandb"}


def _assert_run_stored(server, run_id: str, rows: list[dict], display_name: str | None = None) -> dict:
    run = server.get_run(ENTITY, PROJECT, run_id)
    assert run is not None, f"no run {ENTITY}/{PROJECT}/{run_id}; stored: {list(server.runs())}"
    assert run["project"] == PROJECT and run["name"] == run_id and run["entity"] == ENTITY
    if display_name is not None:
        assert run["display_name"] == display_name
    assert _user_config(run["config"]) == CONFIG
    history = run["history"]
    assert [user_keys(row) for row in history] == rows, "history rows differ (order, duplicates or loss)"
    assert [row["_step"] for row in history] == list(range(len(rows)))
    assert run["history_gaps"] == []
    for key, value in SUMMARY.items():
        assert run["summary"][key] == value
    last = rows[-1]
    assert {k: run["summary"][k] for k in last} == last, "summary holds the last logged values"
    assert run["complete"] is True and run["exitcode"] == 0
    return run


def test_real_client_logs_a_run_online(wandb_server, tmp_path):
    rows = training_rows(20)
    result = run_wandb_child(tmp_path, _spec("job-7f3a", rows), online_env(tmp_path, wandb_server))
    assert result.returncode == 0, result.output
    assert f"RUN {ENTITY}/{PROJECT}/job-7f3a" in result.output

    run = _assert_run_stored(wandb_server, "job-7f3a", rows, display_name="job job-7f3a")
    assert run["history_replaced"] == 0, "nothing was resent in a clean run"
    # the run's config went through UpsertBucket with the wandb JSONString encoding
    upsert = run["upserts"][0]
    assert upsert["name"] == "job-7f3a" and upsert["project"] == PROJECT and upsert["displayName"] == "job job-7f3a"
    assert json.loads(upsert["config"])["learning_rate"] == {"value": 0.0003}

    # every request answered 2xx, authenticated as api:<key>, no operation the server did not know
    requests = wandb_server.requests()
    assert requests and all(200 <= r["status"] < 300 for r in requests), [(r["path"], r["status"]) for r in requests]
    assert all(r.get("auth_user") == "api" for r in requests if r["method"] == "POST")
    assert wandb_server.unknown_operations() == []
    operations = {r.get("operation") for r in requests if r["path"] == "/graphql"}
    assert {"Viewer", "UpsertBucket", "CreateRunFiles"} <= operations
    assert any(r["path"] == f"/files/{ENTITY}/{PROJECT}/job-7f3a/file_stream" for r in requests)
    assert "wandb-metadata.json" in run["uploads"] and "config.yaml" in run["uploads"]
    # and the client saw no errors and retried nothing
    assert "retrying" not in result.output.lower(), result.output
    assert "error" not in result.output.lower(), result.output
    assert result.debug_log_problems() == []


def test_wrong_key_is_refused_and_init_fails(wandb_server, tmp_path):
    result = run_wandb_child(tmp_path, _spec("job-badkey", training_rows(3)), online_env(tmp_path, wandb_server, key=OTHER_KEY))
    assert result.returncode == 3, result.output
    assert "INIT FAILED: CommError" in result.output, result.output
    requests = wandb_server.requests()
    assert requests and all(r["status"] == 401 for r in requests)
    assert wandb_server.runs() == {}, "nothing is stored for a refused key"


def test_forbidden_key_fails_init(wandb_server, tmp_path):
    wandb_server.set_faults(auth_status=403)
    result = run_wandb_child(tmp_path, _spec("job-403", training_rows(3)), online_env(tmp_path, wandb_server))
    assert result.returncode == 3, result.output
    assert "INIT FAILED" in result.output
    assert all(r["status"] == 403 for r in wandb_server.requests())
    assert wandb_server.runs() == {}


def test_real_client_resend_after_lost_reply_is_stored_once(wandb_server, tmp_path):
    """The service stored a history batch but its reply was lost (503 after apply): wandb resends the same
    offset, and the server replaces instead of appending, as the real service does."""
    wandb_server.set_faults(fail_next=1, fail_after_apply=True, paths=["/files/"], body_contains="wandb-history.jsonl")
    rows = training_rows(20)
    env = online_env(tmp_path, wandb_server, WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS="0.1",
                     WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS="0.5")
    result = run_wandb_child(tmp_path, _spec("job-resend", rows), env)
    assert result.returncode == 0, result.output

    faulted = [r for r in wandb_server.requests() if r.get("fault")]
    assert len(faulted) == 1 and faulted[0]["status"] == 503
    resent_lines = len(faulted[0]["file_stream"]["files"]["wandb-history.jsonl"]["content"])
    run = _assert_run_stored(wandb_server, "job-resend", rows)
    assert run["history_replaced"] >= resent_lines > 0, "the resend really happened and replaced"
    assert run["history_changed"] == 0


def test_real_client_through_500_on_every_third_request(wandb_server, tmp_path):
    wandb_server.set_faults(fail_every=3, fail_after_apply=True)
    rows = training_rows(20)
    env = online_env(tmp_path, wandb_server, WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS="0.1",
                     WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS="0.5", WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS="0.1",
                     WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS="0.5")
    result = run_wandb_child(tmp_path, _spec("job-500s", rows), env)
    assert result.returncode == 0, result.output
    assert any(r.get("fault") == 500 for r in wandb_server.requests())
    _assert_run_stored(wandb_server, "job-500s", rows)


def test_reference_reporter_stores_what_the_real_client_stores(wandb_server, tmp_path):
    rows = training_rows(20)
    result = run_wandb_child(tmp_path, _spec("job-client", rows), online_env(tmp_path, wandb_server))
    assert result.returncode == 0, result.output
    report_run(wandb_server.base_url, TEST_KEY, PROJECT, "job-reporter", rows, config=CONFIG,
               summary={**rows[-1], **SUMMARY}, display_name="job job-reporter")

    client = _assert_run_stored(wandb_server, "job-client", rows)
    reporter = _assert_run_stored(wandb_server, "job-reporter", rows)
    for field in ("entity", "project", "complete", "exitcode", "history_line_count", "history_gaps"):
        assert client[field] == reporter[field], field
    assert _user_config(client["config"]) == _user_config(reporter["config"])
    assert [user_keys(r) for r in client["history"]] == [user_keys(r) for r in reporter["history"]]
    assert user_keys(client["summary"]) == user_keys(reporter["summary"])
    # same endpoints and auth
    paths = {r["path"] for r in wandb_server.requests() if r.get("auth_user") == "api"}
    assert f"/files/{ENTITY}/{PROJECT}/job-reporter/file_stream" in paths and "/graphql" in paths


def test_test_api_exposes_runs_as_json(wandb_server, tmp_path):
    report_run(wandb_server.base_url, TEST_KEY, PROJECT, "job-json", training_rows(3), config=CONFIG)
    with urllib.request.urlopen(f"{wandb_server.base_url}/_test/runs") as response:
        runs = json.load(response)
    assert list(runs) == [f"{ENTITY}/{PROJECT}/job-json"]
    with urllib.request.urlopen(f"{wandb_server.base_url}/_test/runs/{ENTITY}/{PROJECT}/job-json") as response:
        assert len(json.load(response)["history"]) == 3


def test_offline_mode_writes_a_run_file_we_can_read_back(wandb_server, tmp_path):
    rows = training_rows(20)
    env = child_env(tmp_path, WANDB_MODE="offline", WANDB_API_KEY=None, WANDB_BASE_URL=wandb_server.base_url)
    result = run_wandb_child(tmp_path, _spec("job-offline", rows), env)
    assert result.returncode == 0, result.output
    assert wandb_server.requests() == [], "offline mode sends nothing"

    run = check_offline_run(str(tmp_path), project=PROJECT, run_id="job-offline", rows=rows, config=CONFIG,
                            summary=SUMMARY, exit_code=0)
    assert run.display_name == "job job-offline"
    assert run.metric("train_loss") == [r["train_loss"] for r in rows]


def test_offline_mode_from_the_environment_only(tmp_path):
    """What an issue-6 child gets: project, run id and name only through WANDB_* variables."""
    rows = training_rows(5)
    env = child_env(tmp_path, WANDB_MODE="offline", WANDB_PROJECT=PROJECT, WANDB_RUN_ID="job-env-1",
                    WANDB_NAME="env named")
    result = run_wandb_child(tmp_path, {"rows": rows}, env)
    assert result.returncode == 0, result.output
    run = check_offline_run(str(tmp_path), project=PROJECT, run_id="job-env-1", rows=rows)
    assert run.display_name == "env named"
    files = find_offline_run_files(str(tmp_path))
    assert read_offline_run(files[0]).history[-1]["train_loss"] == rows[-1]["train_loss"]


def test_real_client_survives_the_server_going_down_mid_run(wandb_server, tmp_path):
    """stop() really takes the server away (kept-alive connections too: wandb-core holds them open): the
    client's requests are refused while it is down, it retries until the server is back, and every row ends
    up stored once. The server goes down as soon as the run has started streaming and stays down until the
    child has logged everything and is in wandb.finish()."""
    import subprocess
    import sys
    import threading
    import time

    from conftest import HERE

    rows = training_rows(20)
    (tmp_path / "spec.json").write_text(json.dumps(_spec("job-outage", rows, sleep_per_row=0.05)))
    env = online_env(tmp_path, wandb_server, WANDB__FILE_STREAM_RETRY_WAIT_MIN_SECONDS="0.2",
                     WANDB__FILE_STREAM_RETRY_WAIT_MAX_SECONDS="0.5", WANDB__GRAPHQL_RETRY_WAIT_MIN_SECONDS="0.2",
                     WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS="0.5")
    child = subprocess.Popen([sys.executable, str(HERE / "wandb_child.py"), str(tmp_path / "spec.json")], cwd=tmp_path,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    finishing = threading.Event()

    def read() -> None:
        for line in child.stdout:
            output.append(line)
            if line.startswith("RUN "):
                finishing.set()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        deadline = time.time() + 60
        while not any("/file_stream" in r["path"] for r in wandb_server.requests()):
            assert time.time() < deadline and child.poll() is None, "".join(output)
            time.sleep(0.02)
        wandb_server.stop()
        down_at = len(wandb_server.requests())
        assert finishing.wait(timeout=60), "".join(output)
        time.sleep(2.0)  # the client is in finish(), its requests refused
        assert len(wandb_server.requests()) == down_at, "nothing is served while stopped"
        wandb_server.start()
        assert child.wait(timeout=120) == 0, "".join(output)
    finally:
        if child.poll() is None:
            child.kill()
        reader.join(timeout=10)
    run = _assert_run_stored(wandb_server, "job-outage", rows)
    assert run["history_line_count"] == 20
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("wandb/run-*/logs/debug-*.log"))
    assert "connection refused" in logs, "the client really met the outage"
