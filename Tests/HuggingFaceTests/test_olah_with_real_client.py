"""The real huggingface_hub downloads from olah (a Hub mirror we did not write) serving a local git repo offline."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterator

import pytest

from conftest import deterministic_bytes, run_hf
from olah_fixture import OlahServer, build_mirror_repo

pytestmark = pytest.mark.olah

REPO = "mirror-org/mirror-model"


FILES = {
    "config.json": json.dumps({"model_type": "demo", "hidden_size": 8}).encode(),
    "tokenizer/vocab.txt": b"".join(b"tok%d\n" % i for i in range(300)),
    "tokenizer/special/added.json": b"{}",
    "model.safetensors": deterministic_bytes(1_500_000, "olah-model"),
    "shards/part-00001.bin": deterministic_bytes(200_000, "olah-shard"),
}
LFS = {"model.safetensors", "shards/part-00001.bin"}


@pytest.fixture(scope="module")
def olah(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OlahServer, str]]:
    server = OlahServer(tmp_path_factory.mktemp("olah"))
    commit = build_mirror_repo(server.mirrors_path, REPO, FILES, LFS)
    server.start(ready_repo=REPO)
    try:
        yield server, commit
    finally:
        server.stop()


DOWNLOAD = """
    import hashlib, json, os
    from huggingface_hub import hf_hub_download, snapshot_download
    snap = snapshot_download({repo!r})
    one = hf_hub_download({repo!r}, "tokenizer/vocab.txt")
    def digest(path):
        return hashlib.sha256(open(path, "rb").read()).hexdigest()
    files = {{os.path.relpath(os.path.join(d, f), snap): digest(os.path.join(d, f))
             for d, _, names in os.walk(snap) for f in names}}
    blobs = sorted(os.listdir(os.path.join(snap, "..", "..", "blobs")))
    print(json.dumps({{"snap": snap, "one": one, "files": files, "blobs": blobs}}))
"""


def test_snapshot_download_from_olah_then_offline(olah, tmp_path):
    server, commit = olah
    home = tmp_path / "hf-home"
    env = {"HF_ENDPOINT": server.endpoint, "HF_HOME": str(home)}

    online = run_hf(DOWNLOAD.format(repo=REPO), env=env)
    assert Path(online["snap"]).name == commit
    expected = {path: hashlib.sha256(data).hexdigest() for path, data in FILES.items()}
    assert {k: v for k, v in online["files"].items() if k != ".gitattributes"} == expected
    assert online["one"] == f"{online['snap']}/tokenizer/vocab.txt"
    # olah's ETag is the sha256 for LFS files and the git blob sha1 otherwise: the cache's blob names.
    git_sha1 = {p: hashlib.sha1(b"blob %d\0" % len(d) + d).hexdigest() for p, d in FILES.items()}
    assert {hashlib.sha256(FILES[p]).hexdigest() for p in LFS} <= set(online["blobs"])
    assert {git_sha1[p] for p in FILES if p not in LFS} <= set(online["blobs"])

    server_log_size = len(server.output())
    offline = run_hf(DOWNLOAD.format(repo=REPO), env={**env, "HF_HUB_OFFLINE": "1"})
    assert offline == online
    assert len(server.output()) == server_log_size  # not one request reached olah


def test_olah_quirks_a_client_must_tolerate(olah):
    """What olah 0.5.4 answers differently from the Hub (see README.md): no Range, an unquoted ETag on HEAD only,
    no X-Linked-*, 401 RepoNotFound for a missing file or revision, a 307 adding a trailing slash to /tree/<rev>,
    no token check."""
    import http.client

    server, commit = olah
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)

    def ask(method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn.request(method, path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()

    try:
        status, h, body = ask("GET", f"/{REPO}/resolve/main/model.safetensors", {"Range": "bytes=10-19"})
        assert status == 200 and len(body) == len(FILES["model.safetensors"])  # Range ignored
        assert "accept-ranges" not in h and "content-range" not in h
        status, h, _ = ask("HEAD", f"/{REPO}/resolve/main/model.safetensors")  # ETag on HEAD only, not on GET
        assert h["etag"] == hashlib.sha256(FILES["model.safetensors"]).hexdigest()  # not quoted
        assert h["x-repo-commit"] == commit and "x-linked-etag" not in h and "x-linked-size" not in h

        status, h, _ = ask("HEAD", f"/{REPO}/resolve/main/missing.txt")
        assert (status, h.get("x-error-code")) == (401, "RepoNotFound")
        status, h, _ = ask("HEAD", f"/{REPO}/resolve/no-such-branch/config.json")
        assert (status, h.get("x-error-code")) == (401, "RepoNotFound")

        status, h, _ = ask("GET", f"/api/models/{REPO}/tree/{commit}")
        assert status == 307 and h["location"].endswith(f"/api/models/{REPO}/tree/{commit}/")

        status, _, _ = ask("HEAD", f"/{REPO}/resolve/main/config.json", {"Authorization": "Bearer hf_bogus"})
        assert status == 200
    finally:
        conn.close()
