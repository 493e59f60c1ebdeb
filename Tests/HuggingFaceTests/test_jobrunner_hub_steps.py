"""Issue 5, the built-in steps: `uses: huggingface/download` fills the standard hub cache so that the real
huggingface_hub (offline) and transformers' `from_pretrained(..., local_files_only=True)` find every file, from our
test hub and from olah (a mirror we did not write); `uses: huggingface/upload` commits a folder that the real library
downloads back byte for byte. Errors are clear and carry no token."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from pathlib import Path

import pytest

from conftest import HUB, WRITER, deterministic_bytes, new_repo_id, run_hf
from olah_fixture import OlahServer, build_mirror_repo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "PythonSDKTests"))
from jobrunner_job import JobRunnerSandbox  # noqa: E402


FILES = {
    "config.json": json.dumps({"model_type": "demo", "hidden_size": 8}).encode(),
    "tokenizer/vocab.txt": b"".join(b"tok%d\n" % i for i in range(500)),
    "model.safetensors": deterministic_bytes(3_000_000, "weights"),
    "extra/notes.md": b"# notes\n",
}

OFFLINE_READ = """
    import hashlib, json, os
    from huggingface_hub import hf_hub_download, snapshot_download, try_to_load_from_cache
    snap = snapshot_download({repo!r}, revision={revision!r}, cache_dir={cache!r}, local_files_only=True)
    one = hf_hub_download({repo!r}, "config.json", revision={revision!r}, cache_dir={cache!r}, local_files_only=True)
    files = {{}}
    for d, _, names in os.walk(snap):
        for f in names:
            p = os.path.join(d, f)
            files[os.path.relpath(p, snap)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    cached = try_to_load_from_cache({repo!r}, "tokenizer/vocab.txt", cache_dir={cache!r}, revision={revision!r})
    print(json.dumps({{"snap": snap, "one": one, "files": files, "cached": cached}}))
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def sandbox(tmp_path: Path) -> JobRunnerSandbox:
    box = JobRunnerSandbox(tmp_path, dict(os.environ))
    box.create_secret("hf-token", WRITER)
    return box


def _download_job(repo: str, cache: Path, **with_: object) -> dict:
    return {
        "name": "fetch",
        "integrations": {"huggingface": {"token": "hf-token"}},
        "steps": [{"name": "fetch", "uses": "huggingface/download", "with": {"repo": repo, "cache_dir": str(cache), **with_}}],
    }


def test_download_step_fills_a_cache_the_real_library_reads_offline(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    repo = new_repo_id("private-model")
    HUB.add_repo(repo, FILES, visibility="private")
    cache = tmp_path / "cache"
    result = sandbox.run(_download_job(repo, cache))
    assert result.returncode == 0, result.stderr
    assert "downloaded" in result.stderr

    report = run_hf(OFFLINE_READ.format(repo=repo, revision="main", cache=str(cache)), env={"HF_HUB_OFFLINE": "1"})
    assert report["files"] == {path: _sha(data) for path, data in FILES.items()}
    assert report["one"].endswith("config.json") and report["cached"]
    # Snapshot entries are relative symlinks into blobs/, as huggingface_hub makes them.
    for path in FILES:
        link = Path(report["snap"]) / path
        assert link.is_symlink() and not os.path.isabs(os.readlink(link))

    # The token went to the hub only, never to the CDN host, and never into output or files.
    requests = HUB.requests()
    assert any(entry["server"] == "hub" and entry["authorization"] for entry in requests)
    assert not any(entry["server"] == "cdn" and entry["authorization"] for entry in requests)
    assert WRITER not in result.stdout + result.stderr and sandbox.files_containing(WRITER) == []


TRANSFORMERS_READ = """
    import json
    from transformers import AutoConfig, AutoTokenizer
    config = AutoConfig.from_pretrained({repo!r}, cache_dir={cache!r}, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained({repo!r}, cache_dir={cache!r}, local_files_only=True)
    ids = tokenizer("hello world secret other")["input_ids"]
    print(json.dumps({{"config": type(config).__name__, "hidden_size": config.hidden_size, "ids": ids}}))
"""


def test_transformers_from_pretrained_loads_what_the_step_downloaded_offline(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    # A real model configuration and a real fast tokenizer (made with the tokenizers library), in a private repo;
    # transformers runs without PyTorch, which configurations and tokenizers do not need.
    from tokenizers import Tokenizer, models, pre_tokenizers

    tokenizer = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "hello": 1, "world": 2, "secret": 3}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    files = {
        "config.json": json.dumps({
            "model_type": "bert", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
            "intermediate_size": 16, "vocab_size": 4,
        }).encode(),
        "tokenizer.json": tokenizer.to_str().encode(),
        "tokenizer_config.json": json.dumps({"tokenizer_class": "PreTrainedTokenizerFast", "unk_token": "[UNK]"}).encode(),
    }  # fmt: skip
    repo = new_repo_id("transformers")
    HUB.add_repo(repo, files, visibility="private")
    cache = tmp_path / "cache"
    result = sandbox.run(_download_job(repo, cache))
    assert result.returncode == 0, result.stderr

    report = run_hf(TRANSFORMERS_READ.format(repo=repo, cache=str(cache)), env={"HF_HUB_OFFLINE": "1"}, unset=("HF_TOKEN",))
    assert report == {"config": "BertConfig", "hidden_size": 8, "ids": [1, 2, 3, 0]}


def test_patterns_limit_what_is_fetched(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    repo = new_repo_id("patterns")
    HUB.add_repo(repo, FILES)
    cache = tmp_path / "cache"
    result = sandbox.run(_download_job(repo, cache, allow_patterns=["*.json", "tokenizer/*"], ignore_patterns="*.md"))
    assert result.returncode == 0, result.stderr
    snapshot = next((cache / f"models--{repo.replace('/', '--')}" / "snapshots").iterdir())
    fetched = sorted(str(p.relative_to(snapshot)) for p in snapshot.rglob("*") if not p.is_dir())
    assert fetched == ["config.json", "tokenizer/vocab.txt"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [("missing repo", "not found"), ("missing revision", "revision"), ("no token", "token")],
)
def test_errors_are_clear_and_fail_the_step(sandbox: JobRunnerSandbox, tmp_path: Path, case: str, expected: str) -> None:
    repo = new_repo_id("errors")
    HUB.add_repo(repo, {"config.json": b"{}"}, visibility="private")
    job = _download_job(repo if case != "missing repo" else repo + "-absent", tmp_path / "cache")
    if case == "missing revision":
        job["steps"][0]["with"]["revision"] = "no-such-branch"
    if case == "no token":
        del job["integrations"]
    result = sandbox.run(job)
    assert result.returncode == 1, result.stderr
    assert "huggingface/download failed" in result.stderr and expected in result.stderr.lower(), result.stderr
    assert WRITER not in result.stderr


def test_upload_step_commits_a_folder_the_real_library_downloads_back(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    HUB.hub.config.lfs_threshold = 1_000_000
    repo = new_repo_id("lora")
    output = tmp_path / "output"
    for path, data in FILES.items():
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_bytes(data)
    job = {
        "name": "publish",
        "integrations": {"huggingface": {"token": "hf-token"}},
        "steps": [{
            "name": "publish", "uses": "huggingface/upload",
            "with": {"repo": repo, "path": "output", "create": True, "private": True,
                     "commit_message": "LoRA from job ${JOBRUNNER_JOB_ID}"},
        }],
    }  # fmt: skip
    result = sandbox.run(job)
    assert result.returncode == 0, result.stderr
    assert HUB.repo(repo).visibility == "private"

    cache = tmp_path / "check-cache"
    code = """
        import hashlib, json, os
        from huggingface_hub import snapshot_download
        snap = snapshot_download({repo!r}, cache_dir={cache!r}, token={token!r})
        files = {{}}
        for d, _, names in os.walk(snap):
            for f in names:
                p = os.path.join(d, f)
                files[os.path.relpath(p, snap)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
        print(json.dumps({{"files": files}}))
    """.format(repo=repo, cache=str(cache), token=WRITER)
    report = run_hf(code)
    expected = {path: _sha(data) for path, data in FILES.items()}
    report["files"].pop(".gitattributes", None)
    assert report["files"] == expected
    head = HUB.repo(repo).commits[HUB.repo(repo).branches["main"]]
    assert head.summary == f"LoRA from job {result.job_id}", "one commit, with the job id in its message"
    assert head.parent is None or HUB.repo(repo).commits[head.parent].summary != head.summary


OLAH_REPO = "mirror-org/served-by-olah"


def test_download_from_olah_then_the_real_library_loads_it_offline(tmp_path: Path) -> None:
    server = OlahServer(tmp_path / "olah")
    commit = build_mirror_repo(server.mirrors_path, OLAH_REPO, FILES, {"model.safetensors"})
    server.start(ready_repo=OLAH_REPO)
    try:
        box = JobRunnerSandbox(tmp_path / "job", dict(os.environ))
        (tmp_path / "job").mkdir(exist_ok=True)
        cache = tmp_path / "cache"
        job = {
            "name": "from-olah",
            "integrations": {"huggingface": {"endpoint": server.endpoint}},
            "steps": [{"name": "fetch", "uses": "huggingface/download", "with": {"repo": OLAH_REPO, "cache_dir": str(cache)}}],
        }
        result = box.run(job)
        assert result.returncode == 0, result.stderr
    finally:
        server.stop()
    report = run_hf(OFFLINE_READ.format(repo=OLAH_REPO, revision="main", cache=str(cache)), env={"HF_HUB_OFFLINE": "1"})
    assert report["files"].pop(".gitattributes", None) is not None, "the mirror's git repo has one; it is fetched too"
    assert report["files"] == {path: _sha(data) for path, data in FILES.items()}
    assert commit in report["snap"]


def test_a_download_killed_mid_file_resumes_with_range(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    repo = new_repo_id("resume")
    HUB.add_repo(repo, FILES)
    cache = tmp_path / "cache"
    spec = tmp_path / "fetch.json"
    spec.write_text(json.dumps(_download_job(repo, cache)))
    # The server sends 2 MB of each large body, then stalls: the runner sits mid-file until it is killed.
    HUB.set_faults(cut_after=2_000_000, cut_times=-1, cut_mode="stall", stall_seconds=60)
    runner = subprocess.Popen(
        [str(sandbox.cli.binary), "--data-dir", str(sandbox.data_dir), "run", str(spec)],
        env=sandbox.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    blobs = cache / f"models--{repo.replace('/', '--')}" / "blobs"
    deadline = time.monotonic() + 60
    partial: list[Path] = []
    while time.monotonic() < deadline:
        partial = [p for p in blobs.glob("*.incomplete") if p.stat().st_size >= 500_000] if blobs.exists() else []
        if partial:
            break
        time.sleep(0.05)
    os.killpg(runner.pid, signal.SIGKILL)
    runner.wait(timeout=30)
    assert partial, "the large file never got half way"
    kept = partial[0].stat().st_size

    HUB.reset_faults()
    HUB.clear_log()
    result = sandbox.run(_download_job(repo, cache))
    assert result.returncode == 0, result.stderr
    ranges = [entry["range"] for entry in HUB.requests() if entry.get("range")]
    assert any(r.startswith(f"bytes={kept}-") or r.startswith("bytes=") and int(r[6:].split("-")[0]) >= 500_000 for r in ranges), ranges
    report = run_hf(OFFLINE_READ.format(repo=repo, revision="main", cache=str(cache)), env={"HF_HUB_OFFLINE": "1"})
    assert report["files"] == {path: _sha(data) for path, data in FILES.items()}
    assert not list(blobs.glob("*.incomplete"))


def test_a_corrupted_file_fails_the_step_and_stays_out_of_the_cache(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    repo = new_repo_id("corrupt")
    HUB.add_repo(repo, FILES)
    HUB.set_faults(corrupt=[f"{repo}/model.safetensors"])
    cache = tmp_path / "cache"
    result = sandbox.run(_download_job(repo, cache))
    assert result.returncode == 1, result.stderr
    assert "model.safetensors" in result.stderr and ("corrupt" in result.stderr.lower() or "checksum" in result.stderr.lower())
    snapshot_files = [p.name for p in cache.rglob("*") if p.is_symlink()]
    assert "model.safetensors" not in snapshot_files
    weights = _sha(FILES["model.safetensors"])
    assert not (cache / f"models--{repo.replace('/', '--')}" / "blobs" / weights).exists()
