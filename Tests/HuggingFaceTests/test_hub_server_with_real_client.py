"""hub_server.py is trusted only as far as the real huggingface_hub (requirements.txt) works against it.

Each test drives the real library (in this process, or in a child process when the library must see another
import-time environment) and then checks what the server saw in its request log.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import huggingface_hub
from huggingface_hub import HfApi, hf_hub_download, snapshot_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from conftest import BOGUS, HUB, OUTSIDER, READER, WRITER, grant_reader, new_repo_id, run_hf
from conftest import deterministic_bytes as rand
from hub_server import git_blob_sha1, lfs, lfs_pointer, token_fingerprint

MiB = 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_tree(root: str | Path) -> dict[str, bytes]:
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def raw_request(method: str, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP exchange without redirects or retries (to look at the server's exact reply)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.request(method, u.path + (f"?{u.query}" if u.query else ""), headers=headers or {})
        r = conn.getresponse()
        body = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body
    finally:
        conn.close()


MIXED_FILES = {
    "config.json": json.dumps({"model_type": "demo", "hidden_size": 8}).encode(),
    "README.md": b"# demo model\n",
    "tokenizer/vocab.txt": b"".join(b"tok%d\n" % i for i in range(500)),
    "tokenizer/merges.txt": b"a b\nc d\n",
    "nested/deeper/notes.txt": b"notes\n",
    "model.safetensors": rand(2 * MiB + 17, "model"),
    "shards/part-00001.bin": rand(300_000, "shard"),
}
MIXED_LFS = {"model.safetensors", "shards/part-00001.bin"}


def add_mixed_repo(hub, repo_id: str, **kwargs) -> str:
    files = {p: (lfs(d) if p in MIXED_LFS else d) for p, d in MIXED_FILES.items()}
    return hub.add_repo(repo_id, files, **kwargs)


def test_the_pinned_library_is_the_one_under_test() -> None:
    assert huggingface_hub.__version__ == "2.4.0"


# --- Downloads ------------------------------------------------------------------------------------------------------


def test_snapshot_download_pages_the_tree_and_offline_mode_finds_the_files(hub, hf_home, cache_dir, tmp_path):
    repo_id = new_repo_id("mixed")
    commit = add_mixed_repo(hub, repo_id)
    hub.config.page_size = 3  # 7 files + 5 directories -> 4 pages

    path = snapshot_download(repo_id, cache_dir=cache_dir)

    storage = cache_dir / f"models--{repo_id.replace('/', '--')}"
    assert Path(path) == storage / "snapshots" / commit
    assert read_tree(path) == MIXED_FILES

    log = hub.requests()
    assert [e["path"] for e in log[:1]] == [f"/api/models/{repo_id}/revision/main"]
    pages = [e for e in log if "/tree/" in e["path"]]
    assert len(pages) == 4
    assert all(e["path"] == f"/api/models/{repo_id}/tree/{commit}" for e in pages)  # listed at the commit, not main
    assert pages[0]["query"] == {"recursive": "true", "expand": "false"}
    assert all("cursor" in e["query"] for e in pages[1:])  # the Link rel="next" URLs were followed verbatim
    for name in MIXED_FILES:
        methods = [e["method"] for e in log if e["path"] == f"/{repo_id}/resolve/{commit}/{name}"]
        assert methods == ["HEAD", "GET"], name
    assert not any(e["authorization"] for e in log)

    # Cache layout: refs/main, blobs named by etag (git sha1 / LFS sha256), relative symlinks, the tree listing.
    assert (storage / "refs" / "main").read_text() == commit
    for name, data in MIXED_FILES.items():
        link = storage / "snapshots" / commit / name
        assert link.is_symlink() and not os.path.isabs(os.readlink(link))
        etag = sha256(data) if name in MIXED_LFS else git_blob_sha1(data)
        assert link.resolve() == (storage / "blobs" / etag).resolve()
    tree_cache = json.loads((storage / "trees" / f"{commit}.json").read_text())
    assert tree_cache["files"]["model.safetensors"]["lfs_sha256"] == sha256(MIXED_FILES["model.safetensors"])
    assert (cache_dir / "CACHEDIR.TAG").is_file()

    # hf_hub_download of one file into another fresh cache: HEAD + GET on /resolve/main only.
    hub.clear_log()
    other = tmp_path / "other-cache"
    one = hf_hub_download(repo_id, "tokenizer/vocab.txt", cache_dir=other)
    assert Path(one).read_bytes() == MIXED_FILES["tokenizer/vocab.txt"]
    assert [(e["method"], e["path"]) for e in hub.requests()] == [
        ("HEAD", f"/{repo_id}/resolve/main/tokenizer/vocab.txt"),
        ("GET", f"/{repo_id}/resolve/main/tokenizer/vocab.txt"),  # the HEAD's URL (not pinned to X-Repo-Commit)
    ]

    # HF_HUB_OFFLINE=1 (read at import: a child process) finds everything in HF_HOME without a request.
    hub.clear_log()
    found = run_hf(f"""
        import json
        from huggingface_hub import hf_hub_download, snapshot_download, try_to_load_from_cache
        snap = snapshot_download({repo_id!r})
        one = hf_hub_download({repo_id!r}, "model.safetensors")
        cached = try_to_load_from_cache({repo_id!r}, "config.json")
        print(json.dumps([snap, one, cached]))
    """, env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(hf_home)})
    assert found == [path, f"{path}/model.safetensors", f"{path}/config.json"]
    assert hub.requests() == []
    assert snapshot_download(repo_id, cache_dir=cache_dir, local_files_only=True) == path


def test_dataset_and_space_repos_use_their_url_prefixes(hub, cache_dir):
    for repo_type in ("dataset", "space"):
        repo_id = new_repo_id(repo_type)
        hub.add_repo(repo_id, {"data/train.csv": b"a,b\n1,2\n", "blob.parquet": lfs(rand(50_000, repo_type))},
                     repo_type=repo_type)
        hub.clear_log()
        path = snapshot_download(repo_id, repo_type=repo_type, cache_dir=cache_dir)
        assert read_tree(path)["data/train.csv"] == b"a,b\n1,2\n"
        assert Path(path).parent.parent.name == f"{repo_type}s--{repo_id.replace('/', '--')}"
        paths = {e["path"] for e in hub.requests()}
        assert f"/api/{repo_type}s/{repo_id}/revision/main" in paths
        assert any(p.startswith(f"/{repo_type}s/{repo_id}/resolve/") for p in paths)


def test_private_repo_is_refused_without_a_token_and_served_with_one(hub, cache_dir):
    repo_id = new_repo_id("private")
    add_mixed_repo(hub, repo_id, visibility="private")

    for token, status in ((False, 401), (BOGUS, 401), (OUTSIDER, 404)):
        with pytest.raises(RepositoryNotFoundError) as err:
            snapshot_download(repo_id, cache_dir=cache_dir, token=token)
        assert type(err.value) is RepositoryNotFoundError
        assert err.value.response.status_code == status
        assert err.value.response.headers["X-Error-Code"] == "RepoNotFound"
        with pytest.raises(RepositoryNotFoundError) as err:
            hf_hub_download(repo_id, "config.json", cache_dir=cache_dir, token=token)
        assert err.value.response.status_code == status
    assert not (cache_dir / f"models--{repo_id.replace('/', '--')}" / "snapshots").exists()

    grant_reader(repo_id)
    hub.clear_log()
    path = snapshot_download(repo_id, cache_dir=cache_dir, token=READER)
    assert read_tree(path) == MIXED_FILES
    log = hub.requests()
    assert log and all(e["authorization"] and e["auth_sha256"] == token_fingerprint(READER) for e in log)

    # The log keeps a fingerprint, never a token.
    dumped = json.dumps(hub.hub.log)
    for secret in (READER, BOGUS, OUTSIDER, WRITER):
        assert secret not in dumped


def test_invalid_token_rejected_everywhere_when_the_hub_mode_is_on(hub, cache_dir):
    """invalid_token="reject": 401 'Invalid credentials in Authorization header' without X-Error-Code, even on a
    public repo. huggingface_hub then raises a plain HfHubHTTPError (not RepositoryNotFoundError)."""
    repo_id = new_repo_id("public")
    hub.add_repo(repo_id, {"config.json": b"{}"})
    hub.config.invalid_token = "reject"
    with pytest.raises(HfHubHTTPError) as err:
        snapshot_download(repo_id, cache_dir=cache_dir, token=BOGUS)
    assert not isinstance(err.value, RepositoryNotFoundError)
    assert err.value.response.status_code == 401
    assert "Invalid credentials in Authorization header" in str(err.value)
    assert Path(snapshot_download(repo_id, cache_dir=cache_dir, token=False), "config.json").read_bytes() == b"{}"


def test_gated_repo_needs_access(hub, cache_dir):
    repo_id = new_repo_id("gated")
    add_mixed_repo(hub, repo_id, visibility="gated")

    for token, status in ((False, 401), (OUTSIDER, 403)):
        with pytest.raises(GatedRepoError) as err:
            snapshot_download(repo_id, cache_dir=cache_dir, token=token)
        assert err.value.response.status_code == status
        with pytest.raises(GatedRepoError):
            hf_hub_download(repo_id, "config.json", cache_dir=cache_dir, token=token)
    # Metadata and listing of a gated repo are public (as on the Hub); only /resolve/ is gated.
    assert HfApi().model_info(repo_id, token=False).gated == "auto"

    grant_reader(repo_id)
    assert read_tree(snapshot_download(repo_id, cache_dir=cache_dir, token=READER)) == MIXED_FILES


def test_missing_revision_file_and_repo_raise_the_library_errors(hub, cache_dir):
    repo_id = new_repo_id("errors")
    commit = hub.add_repo(repo_id, {"config.json": b"{}"})

    with pytest.raises(RevisionNotFoundError) as err:
        snapshot_download(repo_id, revision="no-such-branch", cache_dir=cache_dir)
    assert err.value.response.status_code == 404
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(repo_id, "config.json", revision="no-such-branch", cache_dir=cache_dir)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(repo_id, "config.json", revision="0" * 40, cache_dir=cache_dir)

    with pytest.raises(RemoteEntryNotFoundError) as err:
        hf_hub_download(repo_id, "missing.txt", cache_dir=cache_dir)
    assert isinstance(err.value, EntryNotFoundError) and err.value.response.status_code == 404
    # X-Repo-Commit on the 404 lets the library remember the miss in .no_exist/<commit>/.
    assert (cache_dir / f"models--{repo_id.replace('/', '--')}" / ".no_exist" / commit / "missing.txt").exists()

    missing = new_repo_id("nope")
    for token, status in ((False, 401), (OUTSIDER, 404)):
        with pytest.raises(RepositoryNotFoundError) as err:
            snapshot_download(missing, cache_dir=cache_dir, token=token)
        assert type(err.value) is RepositoryNotFoundError and err.value.response.status_code == status
        with pytest.raises(RepositoryNotFoundError):
            hf_hub_download(missing, "config.json", cache_dir=cache_dir, token=token)

    # A full commit id is a revision too.
    assert Path(hf_hub_download(repo_id, "config.json", revision=commit, cache_dir=cache_dir)).read_bytes() == b"{}"


def test_lfs_redirect_to_the_cdn_host_does_not_carry_the_token(hub, cache_dir):
    repo_id = new_repo_id("cdn")
    add_mixed_repo(hub, repo_id, visibility="private")
    grant_reader(repo_id)
    hub.config.cdn_redirect = True

    path = snapshot_download(repo_id, cache_dir=cache_dir, token=READER)
    assert read_tree(path) == MIXED_FILES

    hub_log, cdn_log = hub.requests(server="hub"), hub.requests(server="cdn")
    assert all(e["authorization"] for e in hub_log)
    redirected = [e["path"].split("/resolve/", 1)[1].split("/", 1)[1] for e in hub_log if e["status"] == 302]
    assert sorted(redirected) == sorted(MIXED_LFS)
    assert len(cdn_log) == len(MIXED_LFS) and all(e["method"] == "GET" and e["status"] == 200 for e in cdn_log)
    assert not any(e["authorization"] for e in cdn_log)

    # The CDN refuses a request that carries Authorization (as S3 does), so the download above proves the library
    # dropped the token rather than the server ignoring it.
    status, headers, _ = raw_request("HEAD", f"{hub.endpoint}/{repo_id}/resolve/main/model.safetensors",
                                     {"Authorization": f"Bearer {READER}"})
    assert status == 302 and headers["location"].startswith(hub.cdn_endpoint)
    assert headers["x-linked-size"] == str(len(MIXED_FILES["model.safetensors"]))
    status, _, _ = raw_request("GET", headers["location"], {"Authorization": f"Bearer {READER}"})
    assert status == 400
    status, _, body = raw_request("GET", headers["location"], {"Range": "bytes=0-9"})
    assert status == 206 and body == MIXED_FILES["model.safetensors"][:10]


def test_token_from_hf_token_and_from_hf_token_path_reaches_the_server(hub, tmp_path):
    repo_id = new_repo_id("envtoken")
    hub.add_repo(repo_id, {"config.json": b'{"x": 1}'}, visibility="private")
    grant_reader(repo_id)
    code = f"""
        import json
        from huggingface_hub import hf_hub_download, get_token
        path = hf_hub_download({repo_id!r}, "config.json")
        print(json.dumps([open(path).read(), get_token() is not None]))
    """
    token_file = tmp_path / "token"
    token_file.write_text(READER)  # no trailing newline
    for env in ({"HF_TOKEN": READER}, {"HF_TOKEN_PATH": str(token_file)}):
        hub.clear_log()
        assert run_hf(code, env={**env, "HF_HOME": str(tmp_path / "home")}) == ['{"x": 1}', True]
        assert {e["auth_sha256"] for e in hub.requests()} == {token_fingerprint(READER)}


# --- Faults ---------------------------------------------------------------------------------------------------------


def test_corrupted_bytes_are_not_detected_by_huggingface_hub(hub, cache_dir):
    """Documents the library: huggingface_hub 2.4.0 checks the size of a download, not its hash. Bytes that do
    not match the ETag (git sha1 or LFS sha256) land in the cache under the advertised name."""
    repo_id = new_repo_id("corrupt")
    weights, config = rand(200_000, "weights"), b'{"a": 1}'
    hub.add_repo(repo_id, {"weights.bin": lfs(weights), "config.json": config})
    hub.set_faults(corrupt=[f"{repo_id}/*"])

    for name, data, etag in (("weights.bin", weights, sha256(weights)), ("config.json", config, git_blob_sha1(config))):
        path = Path(hf_hub_download(repo_id, name, cache_dir=cache_dir))
        got = path.read_bytes()
        assert len(got) == len(data) and got != data  # accepted
        assert path.resolve().name == etag  # stored under the hash it does not have
    assert [e["fault"] for e in hub.requests() if e["method"] == "GET"] == ["corrupt", "corrupt"]


# huggingface_hub reads the body in DOWNLOAD_CHUNK_SIZE (10 MiB) pieces and writes only whole pieces: after a
# broken connection it resumes from the last piece written, so a cut inside the first 10 MiB restarts from zero.
CHUNK = huggingface_hub.constants.DOWNLOAD_CHUNK_SIZE
BIG = rand(CHUNK + 2 * MiB, "big-lfs")


def test_body_cut_mid_transfer_is_resumed_with_range(hub, cache_dir):
    repo_id = new_repo_id("cut")
    hub.add_repo(repo_id, {"weights.bin": lfs(BIG)})
    cut = CHUNK + 500_000
    hub.set_faults(cut_after=cut, cut_times=1, cut_match="*/resolve/*")

    assert Path(hf_hub_download(repo_id, "weights.bin", cache_dir=cache_dir)).read_bytes() == BIG
    gets = [e for e in hub.requests() if e["method"] == "GET"]
    assert [(e["status"], e["range"], e["body_bytes"]) for e in gets] == [
        (200, None, cut), (206, f"bytes={CHUNK}-", len(BIG) - CHUNK)]
    assert gets[0]["fault"] == f"cut@{cut}:close"


def test_body_cut_inside_the_first_chunk_restarts_from_zero(hub, cache_dir):
    repo_id = new_repo_id("cutearly")
    data = rand(3 * MiB, "cutearly")
    hub.add_repo(repo_id, {"weights.bin": lfs(data)})
    hub.set_faults(cut_after=1_000_000, cut_times=1, cut_match="*/resolve/*")

    assert Path(hf_hub_download(repo_id, "weights.bin", cache_dir=cache_dir)).read_bytes() == data
    gets = [e for e in hub.requests() if e["method"] == "GET"]
    assert [(e["status"], e["range"], e["body_bytes"]) for e in gets] == [(200, None, 1_000_000),
                                                                          (200, None, len(data))]


def test_stalled_body_times_out_and_is_resumed(hub, cache_dir):
    """HF_HUB_DOWNLOAD_TIMEOUT=3 (conftest): the read timeout triggers the library's resume."""
    repo_id = new_repo_id("stall")
    hub.add_repo(repo_id, {"weights.bin": lfs(BIG)})
    hub.set_faults(cut_after=CHUNK + 1000, cut_mode="stall", stall_seconds=8, cut_match="*/resolve/*")

    started = time.monotonic()
    assert Path(hf_hub_download(repo_id, "weights.bin", cache_dir=cache_dir)).read_bytes() == BIG
    assert time.monotonic() - started >= 3
    gets = [e for e in hub.requests() if e["method"] == "GET"]
    assert gets[-1]["status"] == 206 and gets[-1]["range"] == f"bytes={CHUNK}-"


def test_without_range_support_the_library_restarts_from_zero(hub, cache_dir):
    repo_id = new_repo_id("norange")
    hub.add_repo(repo_id, {"weights.bin": lfs(BIG)})
    cut = CHUNK + 700_000
    hub.set_faults(no_range=True, cut_after=cut, cut_times=1, cut_match="*/resolve/*")

    assert Path(hf_hub_download(repo_id, "weights.bin", cache_dir=cache_dir)).read_bytes() == BIG
    gets = [e for e in hub.requests() if e["method"] == "GET"]
    assert [(e["status"], e["range"], e["body_bytes"]) for e in gets] == [
        (200, None, cut), (200, f"bytes={CHUNK}-", len(BIG))]
    status, headers, _ = raw_request("HEAD", f"{hub.endpoint}/{repo_id}/resolve/main/weights.bin")
    assert status == 200 and "accept-ranges" not in headers


def test_transient_failures_what_the_library_retries(hub, cache_dir):
    repo_id = new_repo_id("flaky")
    hub.add_repo(repo_id, {"config.json": b"{}", **{f"f{i}.txt": b"%d" % i for i in range(5)}})

    # A 503 on the metadata HEAD: the library retries (with backoff) when nothing is cached.
    hub.set_faults(fail_next=[503], fail_match="*/resolve/*", fail_methods=["HEAD"])
    assert Path(hf_hub_download(repo_id, "config.json", cache_dir=cache_dir)).read_bytes() == b"{}"
    assert [(e["method"], e["status"]) for e in hub.requests()] == [("HEAD", 503), ("HEAD", 200), ("GET", 200)]

    # A 500 on the file GET is not retried: the download fails and leaves nothing in the cache.
    hub.clear_log()
    hub.set_faults(fail_next=[500], fail_match="*/resolve/*", fail_methods=["GET"])
    with pytest.raises(HfHubHTTPError) as err:
        hf_hub_download(repo_id, "f0.txt", cache_dir=cache_dir)
    assert err.value.response.status_code == 500
    blobs = cache_dir / f"models--{repo_id.replace('/', '--')}" / "blobs"
    assert not any(p.name.endswith(".incomplete") or p.name == git_blob_sha1(b"0") for p in blobs.iterdir())

    # Every 2nd tree request fails with 503: paging goes through http_backoff and still lists everything.
    hub.clear_log()
    hub.config.page_size = 2
    hub.set_faults(fail_every=2, fail_status=503, fail_match="*/tree/*")
    listed = [f.path for f in HfApi().list_repo_tree(repo_id, recursive=True)]
    assert sorted(listed) == sorted(["config.json", *[f"f{i}.txt" for i in range(5)]])
    assert [e["status"] for e in hub.requests()] == [200, 503, 200, 503, 200]


# --- Uploads --------------------------------------------------------------------------------------------------------


def test_create_repo_and_upload_folder_then_download_back(hub, cache_dir, tmp_path):
    api = HfApi(token=WRITER)
    repo_id = new_repo_id("upload")
    url = api.create_repo(repo_id, private=True)
    assert url.repo_id == repo_id and url.endpoint == hub.endpoint
    with pytest.raises(HfHubHTTPError) as err:
        api.create_repo(repo_id)
    assert err.value.response.status_code == 409
    assert api.create_repo(repo_id, exist_ok=True).repo_id == repo_id
    initial = api.repo_info(repo_id).sha  # the Hub's initial commit with .gitattributes

    # huggingface_hub has no size threshold of its own: the server's preupload answer decides (Hub: 10 MiB, or a
    # path matching an LFS pattern of .gitattributes). big.dat matches no pattern: it goes LFS by size alone.
    folder = tmp_path / "out"
    (folder / "nested").mkdir(parents=True)
    files = {
        "small.txt": b"regular file\n",
        "README.md": b"---\nlicense: mit\n---\n# LoRA\n",
        "nested/adapter_config.json": json.dumps({"r": 8}).encode(),
        "big.dat": rand(hub.config.lfs_threshold + 1, "big"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)

    hub.clear_log()
    info = api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="LoRA from job 42")
    assert len(info.oid) == 40 and info.oid != initial
    assert info.commit_url == f"{hub.endpoint}/{repo_id}/commit/{info.oid}"

    calls = [(e["server"], e["method"], e["path"]) for e in hub.requests()]
    big_oid = sha256(files["big.dat"])
    assert calls == [
        ("hub", "POST", "/api/validate-yaml"),  # README.md metadata: checked by upload_folder...
        ("hub", "POST", "/api/validate-yaml"),  # ... and again by create_commit
        ("hub", "POST", f"/api/models/{repo_id}/preupload/main"),
        ("hub", "POST", f"/{repo_id}.git/info/lfs/objects/batch"),
        ("cdn", "PUT", f"/_lfs/upload/{big_oid}"),
        ("hub", "POST", f"/{repo_id}.git/info/lfs/objects/verify"),
        ("hub", "POST", f"/api/models/{repo_id}/commit/main"),
    ]
    log = hub.requests()
    assert all(e["auth_sha256"] == token_fingerprint(WRITER) for e in log if e["server"] == "hub")
    assert not log[4]["authorization"]  # the signed upload URL is used without the token
    assert log[-1]["headers"]["content-type"] == "application/x-ndjson"

    tree = {f.path: f for f in api.list_repo_tree(repo_id, recursive=True)}
    assert tree["big.dat"].lfs.sha256 == big_oid and tree["big.dat"].size == len(files["big.dat"])
    assert tree["big.dat"].blob_id == git_blob_sha1(lfs_pointer(big_oid, len(files["big.dat"])))
    assert tree["small.txt"].lfs is None and tree["small.txt"].blob_id == git_blob_sha1(files["small.txt"])
    assert api.repo_info(repo_id).sha == info.oid

    with pytest.raises(RepositoryNotFoundError):
        snapshot_download(repo_id, cache_dir=cache_dir, token=False)
    path = snapshot_download(repo_id, cache_dir=cache_dir, token=WRITER)
    downloaded = read_tree(path)
    assert downloaded.pop(".gitattributes").startswith(b"*.7z filter=lfs")
    assert downloaded == files

    # Uploading the same folder again: preupload's "oid" per path lets the library skip every file (no commit).
    hub.clear_log()
    again = api.upload_folder(repo_id=repo_id, folder_path=folder)
    assert again.oid == info.oid
    assert not any(e["path"].endswith("/commit/main") for e in hub.requests())

    # A second commit that changes, deletes and adds; parent check; then a pull request on refs/pr/1.
    (folder / "small.txt").write_bytes(b"changed\n")
    (folder / "nested" / "adapter_config.json").unlink()
    (folder / "model.safetensors").write_bytes(rand(1000, "tiny"))  # LFS by .gitattributes pattern
    second = api.upload_folder(repo_id=repo_id, folder_path=folder, delete_patterns=["nested/*"],
                               parent_commit=info.oid)
    commit = hub.repo(repo_id).commits[second.oid]
    assert commit.parent == info.oid
    assert sorted(commit.files) == [".gitattributes", "README.md", "big.dat", "model.safetensors", "small.txt"]
    assert commit.files["model.safetensors"].lfs
    with pytest.raises(HfHubHTTPError) as err:
        api.upload_file(path_or_fileobj=b"late", path_in_repo="late.txt", repo_id=repo_id, parent_commit=info.oid)
    assert err.value.response.status_code == 412

    pr = api.upload_file(path_or_fileobj=b"proposal\n", path_in_repo="proposal.txt", repo_id=repo_id,
                         create_pr=True)
    assert pr.pr_revision == "refs/pr/1" and pr.pr_num == 1
    got = hf_hub_download(repo_id, "proposal.txt", revision="refs/pr/1", cache_dir=cache_dir, token=WRITER)
    assert Path(got).read_bytes() == b"proposal\n"
    with pytest.raises(RemoteEntryNotFoundError):
        hf_hub_download(repo_id, "proposal.txt", cache_dir=cache_dir, token=WRITER)


def test_upload_needs_a_write_token(hub, tmp_path):
    repo_id = new_repo_id("readonly")
    hub.add_repo(repo_id, {"config.json": b"{}"})
    grant_reader(repo_id)
    with pytest.raises(HfHubHTTPError) as err:
        HfApi(token=READER).upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo_id)
    assert err.value.response.status_code == 403
    with pytest.raises(RepositoryNotFoundError) as err:
        HfApi(token=False).upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo_id)
    assert err.value.response.status_code == 401
    with pytest.raises(HfHubHTTPError) as err:
        HfApi(token=READER).create_repo("bob-repo")
    assert err.value.response.status_code == 403


def test_multipart_lfs_upload(hub, cache_dir):
    api = HfApi(token=WRITER)
    repo_id = new_repo_id("multipart")
    api.create_repo(repo_id)
    hub.config.multipart_chunk_size = 1 * MiB
    data = rand(2 * MiB + 5, "multipart")

    hub.clear_log()
    api.upload_file(path_or_fileobj=data, path_in_repo="weights.safetensors", repo_id=repo_id)
    calls = [(e["server"], e["method"], e["path"].split("/")[2] if e["path"].startswith("/_lfs/") else e["path"])
             for e in hub.requests()]
    assert calls.count(("cdn", "PUT", "part")) == 3
    assert ("hub", "POST", "complete") in calls
    assert Path(hf_hub_download(repo_id, "weights.safetensors", cache_dir=cache_dir)).read_bytes() == data


# --- The server's own protocol details (what the library does not exercise) ----------------------------------------


def test_resolve_headers_ranges_and_416(hub):
    repo_id = new_repo_id("headers")
    data = rand(1000, "headers")
    commit = hub.add_repo(repo_id, {"a.txt": b"0123456789", "w.bin": lfs(data)})
    base = f"{hub.endpoint}/{repo_id}/resolve/main"

    status, h, body = raw_request("HEAD", f"{base}/a.txt")
    assert status == 200 and body == b""
    assert h["etag"] == f'"{git_blob_sha1(b"0123456789")}"' and h["x-repo-commit"] == commit
    assert h["content-length"] == "10" and h["accept-ranges"] == "bytes" and "x-linked-etag" not in h
    status, h, _ = raw_request("HEAD", f"{base}/w.bin")
    assert h["etag"] == h["x-linked-etag"] == f'"{sha256(data)}"' and h["x-linked-size"] == "1000"

    for rng, expected_status, content_range, part in (
        ("bytes=2-5", 206, "bytes 2-5/10", b"2345"),
        ("bytes=7-", 206, "bytes 7-9/10", b"789"),
        ("bytes=-3", 206, "bytes 7-9/10", b"789"),
        ("bytes=8-100", 206, "bytes 8-9/10", b"89"),
        ("bytes=10-", 416, "bytes */10", None),
    ):
        status, h, body = raw_request("GET", f"{base}/a.txt", {"Range": rng})
        assert (status, h.get("content-range")) == (expected_status, content_range), rng
        if part is not None:
            assert body == part and h["content-length"] == str(len(part))
    status, h, body = raw_request("GET", f"{base}/w.bin", {"Range": "bytes=990-"})
    assert status == 206 and body == data[990:]

    status, h, body = raw_request("GET", f"{base}/nope.txt")
    assert status == 404 and h["x-error-code"] == "EntryNotFound" and h["x-repo-commit"] == commit
    status, h, _ = raw_request("GET", f"{hub.endpoint}/{repo_id}/resolve/nope/a.txt")
    assert status == 404 and h["x-error-code"] == "RevisionNotFound"


def test_ids_are_what_git_computes(hub, tmp_path):
    """Blob ids, directory ids and the root tree id match `git hash-object` / `git write-tree`."""
    repo_id = new_repo_id("gitids")
    data = rand(5000, "gitids")
    files = {"a.txt": b"a\n", "dir/b.txt": b"b\n", "dir/sub/c.json": b"{}", "dir-x.txt": b"x", "w.bin": lfs(data)}
    commit_id = hub.add_repo(repo_id, files)
    commit = hub.repo(repo_id).commits[commit_id]

    work = tmp_path / "git"
    work.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    for name, spec in files.items():
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(lfs_pointer(sha256(data), len(data)) if name == "w.bin" else spec)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True, env=env)
    tree = subprocess.run(["git", "write-tree"], cwd=work, check=True, env=env, capture_output=True, text=True)
    assert commit.tree_oid == tree.stdout.strip()
    listing = subprocess.run(["git", "ls-tree", "-r", "-t", tree.stdout.strip()], cwd=work, check=True, env=env,
                             capture_output=True, text=True).stdout
    for line in listing.splitlines():
        meta, path = line.split("\t")
        oid = meta.split()[2]
        assert (commit.dir_oids[path] if meta.split()[1] == "tree" else commit.files[path].git_oid) == oid, path


# --- For clients in other languages: the process and its control API ------------------------------------------------


def test_command_line_server_and_control_api(tmp_path):
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("hub_server.py")), "--port", "0", "--cdn"],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        ready = json.loads(proc.stdout.readline())
        endpoint = ready["endpoint"]

        def post(path: str, payload: dict) -> dict:
            req = urllib.request.Request(f"{endpoint}{path}", data=json.dumps(payload).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())

        post("/_test/tokens", {"token": "hf_cli_token", "user": "dave", "grants": ["team/*"]})
        made = post("/_test/repos", {"id": "team/model", "visibility": "private", "files": {
            "config.json": {"text": "{}"},
            "weights.bin": {"base64": "AAEC", "lfs": True},
            "zeros.bin": {"zeros": 4096, "lfs": True},
        }})
        assert len(made["commit"]) == 40
        post("/_test/config", {"cdn_redirect": True, "page_size": 1})
        post("/_test/faults", {"cut_after": 100, "cut_match": "/_cdn/*"})

        got = run_hf("""
            import json, os
            from huggingface_hub import snapshot_download
            p = snapshot_download("team/model")
            print(json.dumps({n: open(os.path.join(p, n), "rb").read().hex() for n in sorted(os.listdir(p))}))
        """, env={"HF_ENDPOINT": endpoint, "HF_TOKEN": "hf_cli_token", "HF_HOME": str(tmp_path / "home")})
        assert got == {"config.json": b"{}".hex(), "weights.bin": "000102", "zeros.bin": "00" * 4096}

        with urllib.request.urlopen(f"{endpoint}/_test/log", timeout=10) as r:
            entries = json.loads(r.read())["entries"]
        assert [e["fault"] for e in entries if e["fault"]] == ["cut@100:close"]
        assert {e["auth_sha256"] for e in entries if e["server"] == "hub"} == {token_fingerprint("hf_cli_token")}
        assert not any(e["authorization"] for e in entries if e["server"] == "cdn")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
