"""A small Hugging Face Hub test server (stdlib only) for the test suite.

It speaks the subset of the Hub's HTTP protocol that the real `huggingface_hub` (pinned in requirements.txt) uses to
download and upload, with the Hub's reply shapes and error codes, plus switches for token checks and fault injection.
It is trusted only as far as `test_hub_server_with_real_client.py` shows the real library working against it.

Use from Python::

    hub = HubServer(cdn=True).start()
    hub.add_token("hf_reader", user="alice", grants=["org/private-model"])
    hub.add_repo("org/model", {"config.json": b"{}", "model.safetensors": lfs(b"...")})
    ... HF_ENDPOINT=hub.endpoint ...
    hub.stop()

or as a process (for clients written in other languages)::

    python3 hub_server.py [--port 0] [--cdn] [--config hub.json] [--repos-dir DIR]

which prints one JSON line {"endpoint": ..., "cdn_endpoint": ..., "pid": ...} once it listens, and serves a control
API under /_test/ (see `_ControlRoutes`) to add repos and tokens, set faults and read the request log.

Storage is content-addressed on disk (a temporary directory unless `data_dir` is given): blobs/<sha256>. Commits are
real git objects (blob, tree and commit sha1s are what git would compute), so commit and blob ids look and behave like
the Hub's: 40 hex commit ids, git blob sha1 for regular files, git blob sha1 *of the LFS pointer* for LFS files.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as _dt
import fnmatch
import hashlib
import hmac
import json
import mimetypes
import os
import posixpath
import re
import secrets
import select
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterable

# --------------------------------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------------------------------

REPO_TYPES = ("model", "dataset", "space")
API_SEGMENT_TO_TYPE = {"models": "model", "datasets": "dataset", "spaces": "space"}
URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
PREFIX_TO_TYPE = {"datasets": "dataset", "spaces": "space"}

LFS_SPEC = "https://git-lfs.github.com/spec/v1"
LFS_CONTENT_TYPE = "application/vnd.git-lfs+json"
MiB = 1024 * 1024

# The .gitattributes the Hub puts in the initial commit of a new repo (abridged: the Hub's list is longer).
DEFAULT_GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in (
        "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gz", "*.h5", "*.joblib", "*.lfs.*", "*.mlmodel",
        "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot", "*.parquet", "*.pb", "*.pickle", "*.pkl", "*.pt",
        "*.pth", "*.rar", "*.safetensors", "saved_model/**/*", "*.tar.*", "*.tar", "*.tflite", "*.tgz", "*.wasm",
        "*.xz", "*.zip", "*.zst", "*tfevents*",
    )
)

_SENSITIVE_HEADERS = {"authorization", "proxy-authorization", "cookie"}


def utcnow_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# --------------------------------------------------------------------------------------------------------------------
# Git and LFS hashing
# --------------------------------------------------------------------------------------------------------------------


def git_blob_sha1(data: bytes) -> str:
    h = hashlib.sha1(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    """The LFS pointer file that git stores in place of the content (exactly what git-lfs writes)."""
    return f"version {LFS_SPEC}\noid sha256:{sha256}\nsize {size}\n".encode()


def token_fingerprint(token: str) -> str:
    """What the request log keeps instead of a token: the first 12 hex digits of its sha256."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def _git_tree_oids(files: dict[str, "FileEntry"]) -> tuple[str, dict[str, str]]:
    """Root tree sha1 and the sha1 of every directory ('' is the root), computed as git does."""
    root: dict[str, Any] = {}
    for path, entry in files.items():
        node = root
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = entry
    dir_oids: dict[str, str] = {}

    def hash_node(node: dict[str, Any], prefix: str) -> str:
        def sort_key(name: str) -> bytes:  # git orders directories as if their name ended with '/'
            return (name + "/").encode() if isinstance(node[name], dict) else name.encode()

        body = b""
        for name in sorted(node, key=sort_key):
            child = node[name]
            if isinstance(child, dict):
                oid = hash_node(child, f"{prefix}{name}/")
                body += b"40000 " + name.encode() + b"\0" + bytes.fromhex(oid)
            else:
                body += b"100644 " + name.encode() + b"\0" + bytes.fromhex(child.git_oid)
        oid = hashlib.sha1(b"tree %d\0" % len(body) + body).hexdigest()
        dir_oids[prefix.rstrip("/")] = oid
        return oid

    return hash_node(root, ""), dir_oids


# --------------------------------------------------------------------------------------------------------------------
# Storage
# --------------------------------------------------------------------------------------------------------------------


class BlobStore:
    """Content-addressed file store: <dir>/<sha256>. Also used as the LFS object store."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._external: dict[str, Path] = {}  # sha256 -> file served in place (repos loaded from a directory)

    def path(self, sha256: str) -> Path:
        return self._external.get(sha256) or self.dir / sha256

    def has(self, sha256: str, size: int | None = None) -> bool:
        p = self.path(sha256)
        return p.is_file() and (size is None or p.stat().st_size == size)

    def put_bytes(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.dir / sha
        if not target.exists():
            tmp = self.dir / f".{sha}.{secrets.token_hex(4)}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, target)
        return sha

    def put_file(self, path: Path, *, in_place: bool) -> tuple[str, int]:
        """Hash a file and make it available by sha256 (copied, or served in place)."""
        h = hashlib.sha256()
        size = 0
        with open(path, "rb") as f:
            while chunk := f.read(4 * MiB):
                h.update(chunk)
                size += len(chunk)
        sha = h.hexdigest()
        if in_place:
            with self._lock:
                self._external[sha] = Path(path)
        elif not (self.dir / sha).exists():
            tmp = self.dir / f".{sha}.{secrets.token_hex(4)}.tmp"
            shutil.copyfile(path, tmp)
            os.replace(tmp, self.dir / sha)
        return sha, size

    def new_tmp(self) -> Path:
        return self.dir / f".upload.{secrets.token_hex(8)}.tmp"

    def adopt(self, tmp: Path, sha256: str) -> None:
        os.replace(tmp, self.dir / sha256)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str
    git_oid: str  # git blob sha1 of the content (regular) or of the pointer (LFS)
    lfs: bool

    @property
    def pointer_size(self) -> int:
        return len(lfs_pointer(self.sha256, self.size))

    @property
    def etag(self) -> str:
        return self.sha256 if self.lfs else self.git_oid


@dataclass
class Commit:
    oid: str
    parent: str | None
    files: dict[str, FileEntry]
    summary: str
    description: str
    date: str
    author: str
    tree_oid: str
    dir_oids: dict[str, str]


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    visibility: str = "public"  # public | private | gated
    branches: dict[str, str | None] = field(default_factory=lambda: {"main": None})  # None = unborn branch
    tags: dict[str, str] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    created_at: str = field(default_factory=utcnow_iso)
    pr_count: int = 0
    gated_mode: str = "auto"

    @property
    def url_path(self) -> str:
        return URL_PREFIX[self.repo_type] + self.repo_id

    def resolve(self, revision: str) -> Commit | None:
        """Branch, tag, or full commit id -> commit (None if unknown or unborn)."""
        if revision in self.branches:
            oid = self.branches[revision]
            return self.commits.get(oid) if oid else None
        if revision in self.tags:
            return self.commits.get(self.tags[revision])
        if re.fullmatch(r"[0-9a-f]{40}", revision):
            return self.commits.get(revision)
        return None


@dataclass
class Token:
    token: str
    user: str
    write: bool = False
    grants: set[str] = field(default_factory=set)  # fnmatch globs of repo ids ("org/*", "*"); own namespace implied

    def _granted(self, repo_id: str) -> bool:
        namespace = repo_id.split("/")[0] if "/" in repo_id else None
        return namespace == self.user or any(fnmatch.fnmatchcase(repo_id, g) for g in self.grants)

    def can_read(self, repo: Repo) -> bool:
        return self._granted(repo.repo_id)

    def can_write(self, repo_id: str) -> bool:
        return self.write and self._granted(repo_id)


class _Lfs:
    """Marker for add_repo/commit files: store this content as an LFS file."""

    def __init__(self, data: bytes | str | Path):
        self.data = data


class _Regular:
    """Marker for add_repo/commit files: store this content as a regular (git) file whatever its size."""

    def __init__(self, data: bytes | str | Path):
        self.data = data


def lfs(data: bytes | str | Path) -> _Lfs:
    return _Lfs(data)


def regular(data: bytes | str | Path) -> _Regular:
    return _Regular(data)


# --------------------------------------------------------------------------------------------------------------------
# Configuration and faults
# --------------------------------------------------------------------------------------------------------------------


@dataclass
class HubConfig:
    page_size: int = 1000  # tree listing page size (the Hub: 1000)
    page_size_expand: int = 50  # ... with expand=true (the Hub: 50)
    lfs_threshold: int = 10 * MiB  # preupload: files at least this big go LFS (besides .gitattributes patterns)
    max_regular_size: int = 10 * MiB  # commit: larger regular ("file") entries are refused
    cdn_redirect: bool = False  # HEAD/GET of an LFS file -> 302 to the CDN host (needs cdn=True)
    cdn_reject_authorization: bool = True  # the CDN answers 400 to a request that carries Authorization (as S3 does)
    invalid_token: str = "anonymous"  # "anonymous": unknown tokens count as no token; "reject": 401 everywhere
    initial_commit: bool = True  # create_repo makes an initial commit with .gitattributes (as the Hub does)
    multipart_chunk_size: int | None = None  # LFS batch offers "multipart" with this chunk size when asked
    signed_url_ttl: int = 3600

    def update(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise KeyError(f"unknown config key {key!r}")
            setattr(self, key, value)


@dataclass
class Faults:
    """Fault injection. `match` fields are fnmatch globs on the URL path (decoded, without query)."""

    corrupt: list[str] = field(default_factory=list)  # globs on "<repo_id>/<path>": serve bytes with one byte flipped
    fail_every: int = 0  # every Nth matching request fails with fail_status (0: off)
    fail_status: int = 503
    fail_match: str = "*"
    fail_methods: list[str] = field(default_factory=list)  # only these methods fail (empty: all)
    fail_next: list[int] = field(default_factory=list)  # the next matching requests fail with these statuses
    cut_after: int | None = None  # file bodies: stop after this many bytes (Content-Length announces the full size)
    cut_times: int = 1  # how many bodies to cut (-1: all)
    cut_match: str = "*"
    cut_mode: str = "close"  # close: close the connection; stall: stop sending for stall_seconds, then close
    stall_seconds: float = 30.0
    no_range: bool = False  # ignore Range (always 200 with the whole file) and do not announce Accept-Ranges
    delay: float = 0.0  # seconds to wait before answering any request

    def update(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise KeyError(f"unknown fault {key!r}")
            setattr(self, key, value)


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}
        self.extra = extra or {}  # more fields for the JSON error body


# --------------------------------------------------------------------------------------------------------------------
# The hub state
# --------------------------------------------------------------------------------------------------------------------


class HubState:
    def __init__(self, data_dir: Path, config: HubConfig):
        self.config = config
        self.faults = Faults()
        self.store = BlobStore(data_dir / "blobs")
        self.repos: dict[tuple[str, str], Repo] = {}
        self.tokens: dict[str, Token] = {}
        self.lock = threading.RLock()
        self.log: list[dict[str, Any]] = []
        self._log_lock = threading.Lock()
        self._idle = threading.Condition(self._log_lock)
        self._inflight = 0  # requests being answered (their log entries are not final yet)
        self._seq = 0
        self._fail_counter = 0
        self.secret = secrets.token_bytes(32)
        self.cdn_base: str | None = None  # set by HubServer when a CDN host runs

    # -- tokens ------------------------------------------------------------------------------------------------------

    def add_token(self, token: str, user: str, write: bool = False, grants: Iterable[str] = ()) -> Token:
        t = Token(token=token, user=user, write=write, grants=set(grants))
        with self.lock:
            self.tokens[token] = t
        return t

    # -- repos -------------------------------------------------------------------------------------------------------

    def get_repo(self, repo_type: str, repo_id: str) -> Repo | None:
        return self.repos.get((repo_type, repo_id))

    def create_repo(self, repo_id: str, repo_type: str = "model", visibility: str = "public",
                    initial_commit: bool | None = None) -> Repo:
        if repo_type not in REPO_TYPES:
            raise ValueError(f"bad repo type {repo_type}")
        if visibility not in ("public", "private", "gated"):
            raise ValueError(f"bad visibility {visibility}")
        with self.lock:
            if (repo_type, repo_id) in self.repos:
                raise KeyError(repo_id)
            repo = Repo(repo_type=repo_type, repo_id=repo_id, visibility=visibility)
            self.repos[(repo_type, repo_id)] = repo
            if self.config.initial_commit if initial_commit is None else initial_commit:
                entry = self._regular_entry(".gitattributes", DEFAULT_GITATTRIBUTES.encode())
                self._make_commit(repo, "main", {".gitattributes": entry}, "initial commit", "")
            return repo

    def _regular_entry(self, path: str, data: bytes) -> FileEntry:
        sha = self.store.put_bytes(data)
        return FileEntry(path=path, size=len(data), sha256=sha, git_oid=git_blob_sha1(data), lfs=False)

    def _lfs_entry(self, path: str, sha256: str, size: int) -> FileEntry:
        return FileEntry(path=path, size=size, sha256=sha256, git_oid=git_blob_sha1(lfs_pointer(sha256, size)),
                         lfs=True)

    def lfs_patterns(self, commit: Commit | None) -> list[str]:
        if commit is None or ".gitattributes" not in commit.files:
            return []
        text = self.store.read(commit.files[".gitattributes"].sha256).decode("utf-8", "replace")
        patterns = []
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2 and not parts[0].startswith("#") and "filter=lfs" in parts[1:]:
                patterns.append(parts[0])
        return patterns

    @staticmethod
    def matches_gitattributes(path: str, patterns: list[str]) -> bool:
        base = path.rsplit("/", 1)[-1]
        for pattern in patterns:
            if "/" in pattern:
                if fnmatch.fnmatchcase(path, pattern.replace("**/", "*")) or fnmatch.fnmatchcase(path, pattern):
                    return True
            elif fnmatch.fnmatchcase(base, pattern):
                return True
        return False

    def should_be_lfs(self, path: str, size: int, commit: Commit | None) -> bool:
        return size >= self.config.lfs_threshold or self.matches_gitattributes(path, self.lfs_patterns(commit))

    def commit_files(self, repo_type: str, repo_id: str, files: dict[str, Any] | None = None, *,
                     deletes: Iterable[str] = (), branch: str = "main", message: str = "Update files",
                     in_place: bool = False) -> str:
        """Test helper: commit files (bytes/str/Path, optionally wrapped in lfs()/regular()) on a branch."""
        with self.lock:
            repo = self.repos[(repo_type, repo_id)]
            base = repo.resolve(branch)
            new_files = dict(base.files) if base else {}
            for path in deletes:
                new_files.pop(path, None)
            for path, spec in (files or {}).items():
                force = None
                if isinstance(spec, _Lfs):
                    force, spec = True, spec.data
                elif isinstance(spec, _Regular):
                    force, spec = False, spec.data
                if isinstance(spec, str):
                    spec = spec.encode()
                if isinstance(spec, (bytes, bytearray)):
                    data = bytes(spec)
                    size = len(data)
                    as_lfs = self.should_be_lfs(path, size, base) if force is None else force
                    entry = (self._lfs_entry(path, self.store.put_bytes(data), size) if as_lfs
                             else self._regular_entry(path, data))
                else:
                    p = Path(spec)
                    size = p.stat().st_size
                    as_lfs = self.should_be_lfs(path, size, base) if force is None else force
                    if as_lfs:
                        sha, size = self.store.put_file(p, in_place=in_place)
                        entry = self._lfs_entry(path, sha, size)
                    else:
                        entry = self._regular_entry(path, p.read_bytes())
                new_files[path] = entry
            return self._make_commit(repo, branch, new_files, message, "").oid

    def _make_commit(self, repo: Repo, branch: str, files: dict[str, FileEntry], summary: str, description: str,
                     author: str = "testhub") -> Commit:
        tree_oid, dir_oids = _git_tree_oids(files)
        parent = repo.branches.get(branch)
        ts = int(time.time())
        message = summary + (f"\n\n{description}" if description else "")
        body = f"tree {tree_oid}\n"
        if parent:
            body += f"parent {parent}\n"
        body += f"author {author} <{author}@testhub.invalid> {ts} +0000\n"
        body += f"committer {author} <{author}@testhub.invalid> {ts} +0000\n\n{message}\n"
        raw = body.encode()
        oid = hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest()
        if oid in repo.commits:  # same tree, parent and second: keep ids unique
            raw = body.replace("\n\n", f"\nnonce {secrets.token_hex(4)}\n\n", 1).encode()
            oid = hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest()
        commit = Commit(oid=oid, parent=parent, files=dict(files), summary=summary, description=description,
                        date=utcnow_iso(), author=author, tree_oid=tree_oid, dir_oids=dir_oids)
        repo.commits[oid] = commit
        repo.branches[branch] = oid
        return commit

    def last_commit_for(self, repo: Repo, commit: Commit, path: str, is_dir: bool) -> Commit:
        """The most recent commit (from `commit` backwards) that changed `path`."""
        def key(c: Commit) -> Any:
            return c.dir_oids.get(path) if is_dir else (c.files[path].git_oid if path in c.files else None)

        current = commit
        target = key(commit)
        while current.parent:
            parent = repo.commits[current.parent]
            if key(parent) != target:
                return current
            current = parent
        return current

    # -- signed URLs -------------------------------------------------------------------------------------------------

    def sign(self, *parts: str) -> str:
        return hmac.new(self.secret, "\n".join(parts).encode(), hashlib.sha256).hexdigest()[:32]

    def check_signature(self, sig: str, *parts: str) -> bool:
        return hmac.compare_digest(sig or "", self.sign(*parts))

    # -- log ---------------------------------------------------------------------------------------------------------

    def next_seq(self) -> int:
        with self._log_lock:
            self._seq += 1
            return self._seq

    def begin(self) -> None:
        with self._log_lock:
            self._inflight += 1

    def end(self, entry: dict[str, Any] | None) -> None:
        with self._log_lock:
            if entry is not None:
                self.log.append(entry)
            self._inflight -= 1
            self._idle.notify_all()

    def log_snapshot(self, since: int = 0, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Log entries after `since`, once the requests in flight have been answered (or after `timeout`)."""
        with self._log_lock:
            self._idle.wait_for(lambda: self._inflight == 0, timeout)
            return sorted((dict(e) for e in self.log if e["seq"] > since), key=lambda e: e["seq"])

    def clear_log(self) -> None:
        with self._log_lock:
            self._idle.wait_for(lambda: self._inflight == 0, 10.0)
            self.log.clear()

    def take_fail(self, method: str, path: str) -> int | None:
        f = self.faults
        if not fnmatch.fnmatchcase(path, f.fail_match) or (f.fail_methods and method not in f.fail_methods):
            return None
        with self._log_lock:
            if f.fail_next:
                return f.fail_next.pop(0)
            if f.fail_every > 0:
                self._fail_counter += 1
                if self._fail_counter % f.fail_every == 0:
                    return f.fail_status
        return None

    def take_cut(self, path: str) -> bool:
        f = self.faults
        if f.cut_after is None or not fnmatch.fnmatchcase(path, f.cut_match):
            return False
        with self._log_lock:
            if f.cut_times == 0:
                return False
            if f.cut_times > 0:
                f.cut_times -= 1
            return True

    def is_corrupt(self, repo_id: str, path: str) -> bool:
        return any(fnmatch.fnmatchcase(f"{repo_id}/{path}", pattern) for pattern in self.faults.corrupt)


# --------------------------------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------------------------------


class _ClientGone(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    role = "hub"  # or "cdn"

    def version_string(self) -> str:
        return "testhub/1"

    # -- plumbing ----------------------------------------------------------------------------------------------------

    @property
    def hub(self) -> HubState:
        return self.server.hub  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep stderr quiet
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        split = urllib.parse.urlsplit(self.path)
        self.raw_path = split.path
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self.segments = [urllib.parse.unquote(s) for s in split.path.split("/")[1:]]
        self.decoded_path = urllib.parse.unquote(split.path)
        self._body_consumed = False
        self._status = 0
        self._sent = 0
        self._fault: str | None = None
        self._error_code: str | None = None
        control = self.decoded_path.startswith("/_test/")
        entry: dict[str, Any] | None = None
        if not control:
            self.hub.begin()
            entry = self._log_entry()
        try:
            if not control:
                if self.hub.faults.delay:
                    time.sleep(self.hub.faults.delay)
                status = self.hub.take_fail(self.command, self.decoded_path)
                if status is not None:
                    self._fault = f"fail {status}"
                    self._drain_body()
                    raise HubError(status, "Injected failure")
            self._route()
        except HubError as e:
            self._drain_body()
            self._send_error(e)
        except _ClientGone:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # pragma: no cover - a server bug: report it as a 500 with the message
            try:
                self._drain_body()
                self._send_error(HubError(500, f"testhub internal error: {type(e).__name__}: {e}"))
            except Exception:
                self.close_connection = True
            import traceback

            traceback.print_exc()
        finally:
            if entry is not None:
                entry["status"] = self._status
                entry["body_bytes"] = self._sent
                entry["fault"] = self._fault
                entry["error_code"] = self._error_code
                self.hub.end(entry)

    def _log_entry(self) -> dict[str, Any]:
        auth = self.headers.get("Authorization")
        token = _token_from_authorization(auth) if auth else None
        return {
            "seq": self.hub.next_seq(),
            "time": time.time(),
            "server": self.role,
            "method": self.command,
            "path": self.decoded_path,
            "raw_path": self.path,
            "query": {k: v[0] if len(v) == 1 else v for k, v in self.query.items()},
            "headers": {k.lower(): v for k, v in self.headers.items() if k.lower() not in _SENSITIVE_HEADERS},
            "authorization": auth is not None,
            "auth_sha256": token_fingerprint(token) if token else None,
            "range": self.headers.get("Range"),
        }

    # -- request bodies ----------------------------------------------------------------------------------------------

    def _iter_body(self, chunk_size: int = 1 * MiB) -> Iterable[bytes]:
        self._body_consumed = True
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise _ClientGone()
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                remaining = size
                while remaining:
                    chunk = self.rfile.read(min(remaining, chunk_size))
                    if not chunk:
                        raise _ClientGone()
                    remaining -= len(chunk)
                    yield chunk
                self.rfile.readline(3)
        else:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, chunk_size))
                if not chunk:
                    raise _ClientGone()
                remaining -= len(chunk)
                yield chunk

    def _read_body(self, limit: int = 512 * MiB) -> bytes:
        out = bytearray()
        for chunk in self._iter_body():
            out += chunk
            if len(out) > limit:
                raise HubError(413, "Request body too large")
        return bytes(out)

    def _read_json(self) -> Any:
        body = self._read_body()
        try:
            return json.loads(body or b"null")
        except ValueError:
            raise HubError(400, "Invalid JSON body")

    def _drain_body(self) -> None:
        if not self._body_consumed:
            try:
                for _ in self._iter_body():
                    pass
            except _ClientGone:
                self.close_connection = True

    # -- responses ---------------------------------------------------------------------------------------------------

    def _start(self, status: int, headers: dict[str, str]) -> None:
        self._status = status
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()

    def _send_bytes(self, status: int, body: bytes, content_type: str = "application/json; charset=utf-8",
                    headers: dict[str, str] | None = None) -> None:
        all_headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        all_headers.update(headers or {})
        self._start(status, all_headers)
        if self.command != "HEAD" and body:
            self.wfile.write(body)
            self._sent += len(body)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None,
                   content_type: str = "application/json; charset=utf-8") -> None:
        self._send_bytes(status, json.dumps(payload).encode(), content_type, headers)

    def _send_error(self, e: HubError) -> None:
        self._error_code = e.code
        headers = {"X-Error-Message": e.message}
        if e.code:
            headers["X-Error-Code"] = e.code
        headers.update({k: v for k, v in e.headers.items() if k.lower() not in ("content-type", "content-length")})
        if self.role == "cdn":
            body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{e.code or e.status}</Code>"
                    f"<Message>{e.message}</Message></Error>").encode()
            self._send_bytes(e.status, body, "application/xml", headers)
        else:
            self._send_json(e.status, {"error": e.message, **e.extra}, headers)

    def base_url(self) -> str:
        return f"http://{self.headers.get('Host') or '%s:%d' % self.server.server_address[:2]}"

    # -- auth --------------------------------------------------------------------------------------------------------

    def _token(self) -> Token | None:
        auth = self.headers.get("Authorization")
        if not auth:
            return None
        value = _token_from_authorization(auth)
        token = self.hub.tokens.get(value or "")
        if token is None and self.hub.config.invalid_token == "reject":
            raise HubError(401, "Invalid credentials in Authorization header")
        return token

    def _repo_for_read(self, repo_type: str, repo_id: str, *, files: bool) -> tuple[Repo, Token | None]:
        token = self._token()
        repo = self.hub.get_repo(repo_type, repo_id)
        if repo is None or (repo.visibility == "private" and not (token and token.can_read(repo))):
            raise HubError(404 if token else 401, "Repository not found", "RepoNotFound")
        if files and repo.visibility == "gated" and not (token and token.can_read(repo)):
            kind = repo.repo_type
            if token is None:
                raise HubError(401, f"Access to {kind} {repo_id} is restricted. You must have access to it and be "
                                    "authenticated to access it. Please log in.", "GatedRepo")
            raise HubError(403, f"Access to {kind} {repo_id} is restricted and you are not in the authorized list. "
                                f"Visit {self.base_url()}/{repo.url_path} to ask for access.", "GatedRepo")
        return repo, token

    def _repo_for_write(self, repo_type: str, repo_id: str) -> tuple[Repo, Token]:
        token = self._token()
        repo = self.hub.get_repo(repo_type, repo_id)
        if token is None:
            raise HubError(401, "Repository not found", "RepoNotFound")
        if repo is None or (repo.visibility == "private" and not token.can_read(repo)):
            raise HubError(404, "Repository not found", "RepoNotFound")
        if not token.can_write(repo_id):
            raise HubError(403, f"You don't have the rights to write to {repo_id}")
        return repo, token

    @staticmethod
    def _commit(repo: Repo, revision: str) -> Commit:
        commit = repo.resolve(revision)
        if commit is None:
            raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return commit

    # -- routing -----------------------------------------------------------------------------------------------------

    def _route(self) -> None:
        if self.role == "cdn":
            return _CdnRoutes.route(self)
        if self.decoded_path.startswith("/_test/"):
            return _ControlRoutes.route(self)
        return _HubRoutes.route(self)


def _token_from_authorization(auth: str) -> str | None:
    scheme, _, value = auth.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            user_pass = base64.b64decode(value.strip()).decode()
        except Exception:
            return None
        return user_pass.partition(":")[2]
    return auth.strip()


# --------------------------------------------------------------------------------------------------------------------
# File bodies (resolve and CDN), with Range and faults
# --------------------------------------------------------------------------------------------------------------------


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """(start, end inclusive), None (serve everything) or "unsatisfiable"."""
    if not header:
        return None
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header, re.IGNORECASE)
    if not m or (not m.group(1) and not m.group(2)):
        return None  # multiple or malformed ranges: ignored (RFC 9110 allows serving the whole representation)
    if not m.group(1):  # suffix range: last N bytes
        n = int(m.group(2))
        if n == 0:
            return "unsatisfiable"
        return (max(0, size - n), size - 1) if size else "unsatisfiable"
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else None
    if end is not None and end < start:
        return None  # invalid: ignored
    if start >= size:
        return "unsatisfiable"
    return start, size - 1 if end is None else min(end, size - 1)


def _serve_file(handler: _Handler, entry: FileEntry, repo_id: str, headers: dict[str, str]) -> None:
    hub = handler.hub
    faults = hub.faults
    size = entry.size
    rng = None if faults.no_range else _parse_range(handler.headers.get("Range"), size)
    if not faults.no_range:
        headers["Accept-Ranges"] = "bytes"
    if rng == "unsatisfiable":
        handler._drain_body()
        headers["Content-Range"] = f"bytes */{size}"
        raise HubError(416, "Requested Range Not Satisfiable", headers=headers)
    if rng is None:
        status, start, end = 200, 0, size - 1
    else:
        status, (start, end) = 206, rng  # type: ignore[misc]
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    length = end - start + 1 if size else 0
    headers["Content-Length"] = str(length)
    handler._start(status, headers)
    if handler.command == "HEAD" or length == 0:
        return
    corrupt_at = size // 2 if hub.is_corrupt(repo_id, entry.path) else None
    cut = faults.cut_after is not None and length > faults.cut_after and hub.take_cut(handler.decoded_path)
    if corrupt_at is not None:
        handler._fault = "corrupt"
    path = hub.store.path(entry.sha256)
    with open(path, "rb") as f:
        if corrupt_at is None and not cut:
            handler.wfile.flush()
            try:
                sent = handler.connection.sendfile(f, start, length)
            except (BrokenPipeError, ConnectionResetError):
                raise _ClientGone()
            handler._sent += sent or 0
            return
        f.seek(start)
        limit = length
        if cut:
            limit = min(length, max(0, faults.cut_after or 0))
            handler._fault = (handler._fault + "+" if handler._fault else "") + f"cut@{limit}:{faults.cut_mode}"
        pos = start
        remaining = limit
        while remaining > 0:
            chunk = bytearray(f.read(min(remaining, 256 * 1024)))
            if not chunk:
                break
            if corrupt_at is not None and pos <= corrupt_at < pos + len(chunk):
                chunk[corrupt_at - pos] ^= 0xFF
            try:
                handler.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                raise _ClientGone()
            handler._sent += len(chunk)
            pos += len(chunk)
            remaining -= len(chunk)
        if cut:
            if faults.cut_mode == "stall":  # until stall_seconds pass, the client hangs up, or the server stops
                deadline = time.monotonic() + faults.stall_seconds
                conn = handler.connection
                while time.monotonic() < deadline and not getattr(handler.server, "stopping", False):
                    readable, _, _ = select.select([conn], [], [], 0.05)
                    if readable:
                        try:
                            if conn.recv(1, socket.MSG_PEEK) == b"":
                                break
                        except OSError:
                            break
                        time.sleep(0.05)
            handler.close_connection = True
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _content_disposition(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return f"inline; filename*=UTF-8''{urllib.parse.quote(name)}; filename=\"{name}\";"


def _content_type(path: str) -> str:
    guessed, _ = mimetypes.guess_type(path)
    if guessed and (guessed.startswith("text/") or guessed in ("application/json",)):
        return f"{guessed}; charset=utf-8"
    return guessed or "application/octet-stream"


# --------------------------------------------------------------------------------------------------------------------
# Hub routes
# --------------------------------------------------------------------------------------------------------------------

_API_SUBROUTES = ("revision", "tree", "preupload", "commit", "refs", "paths-info")


class _HubRoutes:
    @staticmethod
    def route(h: _Handler) -> None:
        seg = h.segments
        method = h.command
        if seg[:1] == ["api"]:
            if seg[1:3] == ["whoami-v2"] or seg[1:2] == ["whoami-v2"]:
                return _HubRoutes.whoami(h)
            if seg[1:3] == ["repos", "create"] and method == "POST":
                return _HubRoutes.create_repo(h)
            if seg[1:3] == ["repos", "delete"] and method in ("POST", "DELETE"):
                return _HubRoutes.delete_repo(h)
            if seg[1:2] == ["validate-yaml"] and method == "POST":
                h._read_body()
                return h._send_json(200, {"errors": [], "warnings": []})
            if len(seg) >= 3 and seg[1] in API_SEGMENT_TO_TYPE:
                return _HubRoutes.repo_api(h, API_SEGMENT_TO_TYPE[seg[1]], seg[2:])
        elif seg[:1] == ["_lfs"]:
            return _LfsTransfer.route(h)
        else:
            repo_type, rest = ("model", seg)
            if seg and seg[0] in PREFIX_TO_TYPE:
                repo_type, rest = PREFIX_TO_TYPE[seg[0]], seg[1:]
            # /{repo}.git/info/lfs/objects/(batch|verify)
            for n in (2, 1):
                if len(rest) == n + 4 and rest[n - 1].endswith(".git") and rest[n:n + 3] == ["info", "lfs", "objects"]:
                    repo_id = "/".join(rest[:n - 1] + [rest[n - 1][:-4]])
                    return _LfsBatch.route(h, repo_type, repo_id, rest[n + 3])
            # /{repo}/resolve/{rev}/{path...}
            for n in (2, 1):
                if len(rest) >= n + 3 and rest[n] == "resolve" and method in ("GET", "HEAD"):
                    if n == 1 and h.hub.get_repo(repo_type, "/".join(rest[:2])) is not None:
                        continue
                    return _HubRoutes.resolve(h, repo_type, "/".join(rest[:n]), rest[n + 1], "/".join(rest[n + 2:]))
        h._drain_body()
        raise HubError(404, "Not Found")

    @staticmethod
    def _split_repo(h: _Handler, repo_type: str, rest: list[str]) -> tuple[str, list[str]]:
        """rest = [org, name, sub...] or [name, sub...]: prefer a two-segment id."""
        if len(rest) >= 2 and (rest[1] not in _API_SUBROUTES or h.hub.get_repo(repo_type, "/".join(rest[:2]))):
            return "/".join(rest[:2]), rest[2:]
        return rest[0], rest[1:]

    @staticmethod
    def repo_api(h: _Handler, repo_type: str, rest: list[str]) -> None:
        repo_id, sub = _HubRoutes._split_repo(h, repo_type, rest)
        method = h.command
        if not sub and method == "GET":
            return _HubRoutes.repo_info(h, repo_type, repo_id, "main")
        if sub[:1] == ["revision"] and len(sub) >= 2 and method == "GET":
            return _HubRoutes.repo_info(h, repo_type, repo_id, "/".join(sub[1:]))
        if sub[:1] == ["tree"] and len(sub) >= 2 and method == "GET":
            return _HubRoutes.tree(h, repo_type, repo_id, sub[1], "/".join(sub[2:]))
        if sub == ["refs"] and method == "GET":
            return _HubRoutes.refs(h, repo_type, repo_id)
        if sub[:1] == ["preupload"] and len(sub) >= 2 and method == "POST":
            return _HubRoutes.preupload(h, repo_type, repo_id, "/".join(sub[1:]))
        if sub[:1] == ["commit"] and len(sub) >= 2 and method == "POST":
            return _HubRoutes.commit(h, repo_type, repo_id, "/".join(sub[1:]))
        h._drain_body()
        raise HubError(404, "Not Found")

    # -- identity ----------------------------------------------------------------------------------------------------

    @staticmethod
    def whoami(h: _Handler) -> None:
        token = h._token()
        if token is None:
            raise HubError(401, "Invalid credentials in Authorization header")
        h._send_json(200, {
            "type": "user", "id": hashlib.sha1(token.user.encode()).hexdigest()[:24], "name": token.user,
            "fullname": token.user, "orgs": [],
            "auth": {"type": "access_token",
                     "accessToken": {"displayName": "testhub", "role": "write" if token.write else "read"}},
        })

    # -- repo create/delete ------------------------------------------------------------------------------------------

    @staticmethod
    def create_repo(h: _Handler) -> None:
        body = h._read_json() or {}
        token = h._token()
        if token is None:
            raise HubError(401, "You must be authenticated to create a repo")
        name = body.get("name")
        organization = body.get("organization") or token.user
        repo_type = body.get("type") or "model"
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name or ""):
            raise HubError(400, "Invalid repo name")
        if repo_type not in REPO_TYPES:
            raise HubError(400, f"Invalid repo type {repo_type}")
        repo_id = f"{organization}/{name}"
        url = f"{h.base_url()}/{URL_PREFIX[repo_type]}{repo_id}"
        if not token.can_write(repo_id):
            raise HubError(403, f"You don't have the rights to create a {repo_type} under the namespace "
                                f"\"{organization}\"")
        visibility = body.get("visibility")
        if visibility is None:
            visibility = "private" if body.get("private") else "public"
        if visibility not in ("public", "private"):
            raise HubError(400, f"Invalid visibility {visibility}")
        try:
            h.hub.create_repo(repo_id, repo_type, visibility)
        except KeyError:
            raise HubError(409, f"You already created this {repo_type} repo", extra={"url": url}) from None
        h._send_json(200, {"url": url, "name": repo_id, "id": secrets.token_hex(12)})

    @staticmethod
    def delete_repo(h: _Handler) -> None:
        body = h._read_json() or {}
        token = h._token()
        repo_type = body.get("type") or "model"
        repo_id = f"{body.get('organization') or (token.user if token else '')}/{body.get('name')}"
        repo, _ = h._repo_for_write(repo_type, repo_id)
        with h.hub.lock:
            h.hub.repos.pop((repo.repo_type, repo.repo_id), None)
        h._send_bytes(200, b"", "text/plain")

    # -- repo info ---------------------------------------------------------------------------------------------------

    @staticmethod
    def repo_info(h: _Handler, repo_type: str, repo_id: str, revision: str) -> None:
        repo, _ = h._repo_for_read(repo_type, repo_id, files=False)
        commit = h._commit(repo, revision)
        blobs = (h.query.get("blobs") or [""])[0].lower() in ("1", "true")
        siblings = []
        for path in sorted(commit.files):
            e = commit.files[path]
            sibling: dict[str, Any] = {"rfilename": path}
            if blobs:
                sibling.update({"size": e.size, "blobId": e.git_oid})
                if e.lfs:
                    sibling["lfs"] = {"sha256": e.sha256, "size": e.size, "pointerSize": e.pointer_size}
            siblings.append(sibling)
        author = repo_id.split("/")[0] if "/" in repo_id else None
        info: dict[str, Any] = {
            "_id": hashlib.sha1(f"{repo_type}/{repo_id}".encode()).hexdigest()[:24],
            "id": repo_id,
            "author": author,
            "sha": commit.oid,
            "lastModified": commit.date,
            "createdAt": repo.created_at,
            "private": repo.visibility == "private",
            "gated": repo.gated_mode if repo.visibility == "gated" else False,
            "disabled": False,
            "downloads": 0,
            "likes": 0,
            "tags": [],
            "siblings": siblings,
            "usedStorage": sum(e.size for e in commit.files.values()),
        }
        if repo_type == "model":
            info["modelId"] = repo_id
            info["library_name"] = None
        if repo_type == "space":
            info.update({"sdk": "static", "runtime": {"stage": "RUNNING"}, "subdomain": repo_id.replace("/", "-")})
        expand = h.query.get("expand") or h.query.get("expand[]")
        if expand:
            info = {k: v for k, v in info.items() if k in ("_id", "id") or k in set(expand)}
        h._send_json(200, info)

    @staticmethod
    def refs(h: _Handler, repo_type: str, repo_id: str) -> None:
        repo, _ = h._repo_for_read(repo_type, repo_id, files=False)
        h._send_json(200, {
            "branches": [{"name": n, "ref": f"refs/heads/{n}", "targetCommit": o}
                         for n, o in repo.branches.items() if o and not n.startswith("refs/")],
            "tags": [{"name": n, "ref": f"refs/tags/{n}", "targetCommit": o} for n, o in repo.tags.items()],
            "converts": [],
        })

    # -- tree --------------------------------------------------------------------------------------------------------

    @staticmethod
    def tree(h: _Handler, repo_type: str, repo_id: str, revision: str, path: str) -> None:
        repo, _ = h._repo_for_read(repo_type, repo_id, files=False)
        commit = h._commit(repo, revision)
        path = path.strip("/")
        recursive = (h.query.get("recursive") or [""])[0].lower() in ("1", "true")
        expand = (h.query.get("expand") or [""])[0].lower() in ("1", "true")
        dirs = set(commit.dir_oids) - {""}
        if path and path not in dirs:
            if path in commit.files:
                raise HubError(404, f"{path} is a file, not a directory", "EntryNotFound",
                               {"X-Repo-Commit": commit.oid})
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound", {"X-Repo-Commit": commit.oid})
        prefix = f"{path}/" if path else ""

        def wanted(p: str) -> bool:
            if not p.startswith(prefix):
                return False
            return recursive or "/" not in p[len(prefix):]

        entries: list[tuple[str, bool]] = [(d, True) for d in dirs if wanted(d)]
        entries += [(f, False) for f in commit.files if wanted(f)]
        entries.sort(key=lambda item: item[0].split("/"))
        page_size = h.hub.config.page_size_expand if expand else h.hub.config.page_size
        offset = 0
        cursor = (h.query.get("cursor") or [""])[0]
        if cursor:
            try:
                offset = int(json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==="))["o"])
            except Exception:
                raise HubError(400, "Invalid cursor")
        page = entries[offset:offset + page_size]
        out = []
        for p, is_dir in page:
            if is_dir:
                item: dict[str, Any] = {"type": "directory", "oid": commit.dir_oids[p], "size": 0, "path": p}
            else:
                e = commit.files[p]
                item = {"type": "file", "oid": e.git_oid, "size": e.size, "path": p}
                if e.lfs:
                    item["lfs"] = {"oid": e.sha256, "size": e.size, "pointerSize": e.pointer_size}
            if expand:
                last = h.hub.last_commit_for(repo, commit, p, is_dir)
                item["lastCommit"] = {"id": last.oid, "title": last.summary, "date": last.date}
                if not is_dir:
                    item["securityFileStatus"] = {"status": "safe", "avScan": {"virusFound": False},
                                                  "pickleImportScan": None}
            out.append(item)
        headers = {}
        if offset + page_size < len(entries):
            next_cursor = base64.urlsafe_b64encode(json.dumps({"o": offset + page_size}).encode()).decode().rstrip("=")
            query = urllib.parse.urlencode({"recursive": str(recursive).lower(), "expand": str(expand).lower(),
                                            "cursor": next_cursor})
            headers["Link"] = f"<{h.base_url()}{h.raw_path}?{query}>; rel=\"next\""
        h._send_json(200, out, headers)

    # -- resolve -----------------------------------------------------------------------------------------------------

    @staticmethod
    def resolve(h: _Handler, repo_type: str, repo_id: str, revision: str, path: str) -> None:
        repo, _ = h._repo_for_read(repo_type, repo_id, files=True)
        commit = h._commit(repo, revision)
        entry = commit.files.get(path)
        if entry is None:
            raise HubError(404, "Entry not found", "EntryNotFound", {"X-Repo-Commit": commit.oid})
        headers = {
            "Content-Type": _content_type(path),
            "ETag": f"\"{entry.etag}\"",
            "X-Repo-Commit": commit.oid,
            "Content-Disposition": _content_disposition(path),
            "Vary": "Origin, Accept-Encoding",
        }
        if entry.lfs:
            headers["X-Linked-Etag"] = f"\"{entry.sha256}\""
            headers["X-Linked-Size"] = str(entry.size)
        if entry.lfs and h.hub.config.cdn_redirect and h.hub.cdn_base:
            expires = str(int(time.time()) + h.hub.config.signed_url_ttl)
            sig = h.hub.sign("get", entry.sha256, repo.repo_id, path, expires)
            query = urllib.parse.urlencode({"repo": repo.repo_id, "path": path, "Expires": expires, "Signature": sig})
            headers["Location"] = f"{h.hub.cdn_base}/_cdn/{entry.sha256}?{query}"
            headers["Content-Length"] = "0"
            h._start(302, headers)
            return
        _serve_file(h, entry, repo.repo_id, headers)

    # -- upload: preupload and commit --------------------------------------------------------------------------------

    @staticmethod
    def preupload(h: _Handler, repo_type: str, repo_id: str, revision: str) -> None:
        body = h._read_json() or {}
        repo, _ = h._repo_for_write(repo_type, repo_id)
        if revision not in repo.branches and repo.resolve(revision) is None:
            raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        commit = repo.resolve(revision)
        files = body.get("files")
        if not isinstance(files, list):
            raise HubError(400, "files must be a list")
        patterns = h.hub.lfs_patterns(commit)
        ignore = [line.strip() for line in (body.get("gitIgnore") or "").splitlines()
                  if line.strip() and not line.strip().startswith("#")]
        out = []
        for f in files:
            path, size = f.get("path"), f.get("size")
            if not isinstance(path, str) or not isinstance(size, int):
                raise HubError(400, "Each file needs a path and a size")
            mode = "lfs" if (size >= h.hub.config.lfs_threshold or h.hub.matches_gitattributes(path, patterns)) \
                else "regular"
            should_ignore = any(fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], p)
                                for p in ignore)
            item: dict[str, Any] = {"path": path, "uploadMode": mode, "shouldIgnore": should_ignore}
            existing = commit.files.get(path) if commit else None
            if existing is not None:
                item["oid"] = existing.sha256 if existing.lfs else existing.git_oid
            out.append(item)
        h._send_json(200, {"files": out, "commitOid": commit.oid if commit else None})

    @staticmethod
    def commit(h: _Handler, repo_type: str, repo_id: str, revision: str) -> None:
        raw = h._read_body()
        repo, token = h._repo_for_write(repo_type, repo_id)
        create_pr = (h.query.get("create_pr") or [""])[0] in ("1", "true")
        content_type = (h.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != "application/x-ndjson":
            raise HubError(415, f"Unsupported content type {content_type!r}: expected application/x-ndjson")
        try:
            lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except ValueError:
            raise HubError(400, "Invalid ndjson body")
        if not lines or lines[0].get("key") != "header":
            raise HubError(400, "The first line must be the header")
        header = lines[0].get("value") or {}
        summary = header.get("summary")
        if not isinstance(summary, str) or not summary:
            raise HubError(400, "A commit summary is required")
        hub = h.hub
        with hub.lock:
            if revision not in repo.branches:
                raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
            base = repo.resolve(revision)
            parent_commit = header.get("parentCommit")
            if parent_commit and (base is None or parent_commit != base.oid):
                raise HubError(412, "A commit has happened since. Please refresh and try again.")
            files = dict(base.files) if base else {}
            for line in lines[1:]:
                key, value = line.get("key"), line.get("value") or {}
                path = value.get("path")
                if not isinstance(path, str) or not _valid_repo_path(path.rstrip("/") if key == "deletedFolder"
                                                                     else path):
                    raise HubError(400, f"Invalid path {path!r}")
                if key == "file":
                    if value.get("encoding", "base64") != "base64":
                        raise HubError(400, "Only base64 encoding is supported")
                    try:
                        data = base64.b64decode(value.get("content") or "", validate=True)
                    except ValueError:
                        raise HubError(400, f"Invalid base64 content for {path}")
                    if len(data) > hub.config.max_regular_size:
                        raise HubError(400, f"Your push was rejected because {path} is larger than "
                                            f"{hub.config.max_regular_size} bytes: use LFS (preupload says "
                                            "uploadMode=lfs).")
                    files[path] = hub._regular_entry(path, data)
                elif key == "lfsFile":
                    oid, size = value.get("oid"), value.get("size")
                    if value.get("algo", "sha256") != "sha256" or not isinstance(oid, str) or \
                            not re.fullmatch(r"[0-9a-f]{64}", oid):
                        raise HubError(400, f"Invalid LFS oid for {path}")
                    if not hub.store.has(oid, size if isinstance(size, int) else None):
                        raise HubError(400, f"Your push was rejected because an LFS pointer pointed to a file "
                                            f"that does not exist ({path}: sha256 {oid}).")
                    actual = hub.store.path(oid).stat().st_size
                    files[path] = hub._lfs_entry(path, oid, actual)
                elif key == "deletedFile":
                    if path not in files:
                        raise HubError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
                    del files[path]
                elif key == "deletedFolder":
                    prefix = path.rstrip("/") + "/"
                    doomed = [p for p in files if p.startswith(prefix)]
                    if not doomed:
                        raise HubError(404, f"A folder with this name doesn't exist: {path}", "EntryNotFound")
                    for p in doomed:
                        del files[p]
                else:
                    raise HubError(400, f"Unknown operation {key!r}")
            target = revision
            pr_num = None
            if create_pr:
                repo.pr_count += 1
                pr_num = repo.pr_count
                target = f"refs/pr/{pr_num}"
                repo.branches[target] = base.oid if base else None
            commit = hub._make_commit(repo, target, files, summary, header.get("description") or "",
                                      author=token.user)
        url = f"{h.base_url()}/{repo.url_path}"
        h._send_json(200, {
            "success": True,
            "commitOid": commit.oid,
            "commitUrl": f"{url}/commit/{commit.oid}",
            "commitMessage": summary,
            "hookOutput": "",
            "pullRequestUrl": f"{url}/discussions/{pr_num}" if pr_num else None,
        })


def _valid_repo_path(path: str) -> bool:
    if not path or path.startswith("/") or "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return all(p not in ("", ".", "..") for p in parts) and parts[0] != ".git"


# --------------------------------------------------------------------------------------------------------------------
# LFS: batch API and the transfer endpoints (the "S3" side)
# --------------------------------------------------------------------------------------------------------------------


class _LfsBatch:
    @staticmethod
    def route(h: _Handler, repo_type: str, repo_id: str, action: str) -> None:
        if h.command != "POST":
            raise HubError(405, "Method not allowed")
        if action == "batch":
            return _LfsBatch.batch(h, repo_type, repo_id)
        if action == "verify":
            return _LfsBatch.verify(h, repo_type, repo_id)
        raise HubError(404, "Not Found")

    @staticmethod
    def batch(h: _Handler, repo_type: str, repo_id: str) -> None:
        body = h._read_json() or {}
        operation = body.get("operation")
        if operation == "upload":
            repo, _ = h._repo_for_write(repo_type, repo_id)
        elif operation == "download":
            repo, _ = h._repo_for_read(repo_type, repo_id, files=True)
        else:
            raise HubError(422, f"Invalid operation {operation!r}")
        hub = h.hub
        transfers = body.get("transfers") or ["basic"]
        chunk = hub.config.multipart_chunk_size
        use_multipart = operation == "upload" and chunk and "multipart" in transfers
        transfer_base = hub.cdn_base or h.base_url()
        expires = int(time.time()) + hub.config.signed_url_ttl
        expires_at = _dt.datetime.fromtimestamp(expires, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        objects = []
        for obj in body.get("objects") or []:
            oid, size = obj.get("oid"), obj.get("size")
            if not isinstance(oid, str) or not re.fullmatch(r"[0-9a-f]{64}", oid) or not isinstance(size, int) \
                    or size < 0:
                objects.append({"oid": str(oid), "size": size if isinstance(size, int) else 0,
                                "error": {"code": 422, "message": "Invalid oid or size"}})
                continue
            item: dict[str, Any] = {"oid": oid, "size": size, "authenticated": True}
            if operation == "download":
                if not hub.store.has(oid, size):
                    item["error"] = {"code": 404, "message": "Object does not exist"}
                else:
                    sig = hub.sign("get", oid, repo.repo_id, "", str(expires))
                    q = urllib.parse.urlencode({"repo": repo.repo_id, "path": "", "Expires": expires,
                                                "Signature": sig})
                    href = f"{transfer_base}/_cdn/{oid}?{q}"
                    item["actions"] = {"download": {"href": href, "expires_at": expires_at}}
                objects.append(item)
                continue
            if hub.store.has(oid, size):
                objects.append(item)  # already uploaded: no actions
                continue
            verify_href = f"{h.base_url()}/{repo.url_path}.git/info/lfs/objects/verify"
            if use_multipart and size > chunk:
                nparts = -(-size // chunk)
                header: dict[str, str] = {"chunk_size": str(chunk)}
                for n in range(1, nparts + 1):
                    sig = hub.sign("part", oid, str(size), str(n), str(expires))
                    q = urllib.parse.urlencode({"size": size, "Expires": expires, "Signature": sig})
                    header[f"{n:05d}"] = f"{transfer_base}/_lfs/part/{oid}/{n}?{q}"
                sig = hub.sign("complete", oid, str(size), str(expires))
                q = urllib.parse.urlencode({"size": size, "chunk": chunk, "Expires": expires, "Signature": sig})
                upload = {"href": f"{h.base_url()}/_lfs/complete/{oid}?{q}", "header": header,
                          "expires_at": expires_at}
            else:
                sig = hub.sign("put", oid, str(size), str(expires))
                q = urllib.parse.urlencode({"size": size, "Expires": expires, "Signature": sig})
                upload = {"href": f"{transfer_base}/_lfs/upload/{oid}?{q}", "expires_at": expires_at}
            item["actions"] = {"upload": upload, "verify": {"href": verify_href, "expires_at": expires_at}}
            objects.append(item)
        reply = {"transfer": "multipart" if use_multipart else "basic", "objects": objects, "hash_algo": "sha256"}
        h._send_json(200, reply, content_type=LFS_CONTENT_TYPE)

    @staticmethod
    def verify(h: _Handler, repo_type: str, repo_id: str) -> None:
        body = h._read_json() or {}
        h._repo_for_write(repo_type, repo_id)
        oid, size = body.get("oid"), body.get("size")
        if not isinstance(oid, str) or not h.hub.store.has(oid, size if isinstance(size, int) else None):
            raise HubError(404, f"Object {oid} with size {size} does not exist")
        h._send_json(200, {"success": True}, content_type=LFS_CONTENT_TYPE)


class _LfsTransfer:
    """Signed upload URLs (served by the CDN host when there is one, else by the hub): no token needed or wanted."""

    @staticmethod
    def route(h: _Handler) -> None:
        seg = h.segments
        q = {k: v[0] for k, v in h.query.items()}
        expires = q.get("Expires", "0")
        if not expires.isdigit() or int(expires) < time.time():
            raise HubError(403, "Request has expired", "AccessDenied")
        if h.role == "cdn" and h.hub.config.cdn_reject_authorization and h.headers.get("Authorization"):
            raise HubError(400, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                                "Signature query string parameter or the Authorization header should be specified",
                           "InvalidArgument")
        hub = h.hub
        if seg[1:2] == ["upload"] and len(seg) == 3 and h.command == "PUT":
            oid, size = seg[2], q.get("size", "")
            if not hub.check_signature(q.get("Signature", ""), "put", oid, size, expires):
                raise HubError(403, "The request signature we calculated does not match", "SignatureDoesNotMatch")
            _LfsTransfer._receive(h, oid, int(size))
            return h._send_bytes(200, b"", "text/plain", {"ETag": f"\"{oid[:32]}\""})
        if seg[1:2] == ["part"] and len(seg) == 4 and h.command == "PUT":
            oid, n, size = seg[2], seg[3], q.get("size", "")
            if not hub.check_signature(q.get("Signature", ""), "part", oid, size, n, expires):
                raise HubError(403, "The request signature we calculated does not match", "SignatureDoesNotMatch")
            part_dir = hub.store.dir / f".parts-{oid}"
            part_dir.mkdir(exist_ok=True)
            md5 = hashlib.md5()
            tmp = part_dir / f"{int(n):05d}.tmp"
            with open(tmp, "wb") as f:
                for chunk in h._iter_body():
                    md5.update(chunk)
                    f.write(chunk)
            os.replace(tmp, part_dir / f"{int(n):05d}")
            return h._send_bytes(200, b"", "text/plain", {"ETag": f"\"{md5.hexdigest()}\""})
        if seg[1:2] == ["complete"] and len(seg) == 3 and h.command == "POST":
            oid, size = seg[2], q.get("size", "")
            if not hub.check_signature(q.get("Signature", ""), "complete", oid, size, expires):
                raise HubError(403, "The request signature we calculated does not match", "SignatureDoesNotMatch")
            body = h._read_json() or {}
            part_dir = hub.store.dir / f".parts-{oid}"
            parts = body.get("parts") or []
            nparts = -(-int(size) // int(q.get("chunk", "1")))
            if body.get("oid") != oid or [p.get("partNumber") for p in parts] != list(range(1, nparts + 1)):
                raise HubError(400, "Invalid completion payload")
            tmp = hub.store.new_tmp()
            sha = hashlib.sha256()
            total = 0
            with open(tmp, "wb") as out:
                for p in parts:
                    part_path = part_dir / f"{p['partNumber']:05d}"
                    if not part_path.is_file():
                        tmp.unlink(missing_ok=True)
                        raise HubError(400, f"Part {p['partNumber']} was not uploaded")
                    data = part_path.read_bytes()
                    if f"\"{hashlib.md5(data).hexdigest()}\"" != p.get("etag") and \
                            hashlib.md5(data).hexdigest() != p.get("etag"):
                        tmp.unlink(missing_ok=True)
                        raise HubError(400, f"ETag mismatch for part {p['partNumber']}")
                    sha.update(data)
                    total += len(data)
                    out.write(data)
            shutil.rmtree(part_dir, ignore_errors=True)
            if sha.hexdigest() != oid or total != int(size):
                tmp.unlink(missing_ok=True)
                raise HubError(400, f"Uploaded content does not match oid {oid} / size {size} "
                                    f"(got sha256 {sha.hexdigest()}, {total} bytes)")
            hub.store.adopt(tmp, oid)
            return h._send_json(200, {"success": True})
        raise HubError(404, "Not Found")

    @staticmethod
    def _receive(h: _Handler, oid: str, size: int) -> None:
        hub = h.hub
        tmp = hub.store.new_tmp()
        sha = hashlib.sha256()
        total = 0
        try:
            with open(tmp, "wb") as f:
                for chunk in h._iter_body():
                    sha.update(chunk)
                    total += len(chunk)
                    f.write(chunk)
            if total != size or sha.hexdigest() != oid:
                raise HubError(400, f"Uploaded content does not match oid {oid} / size {size} "
                                    f"(got sha256 {sha.hexdigest()}, {total} bytes)", "BadDigest")
            hub.store.adopt(tmp, oid)
        finally:
            tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------------------------------
# CDN host
# --------------------------------------------------------------------------------------------------------------------


class _CdnRoutes:
    @staticmethod
    def route(h: _Handler) -> None:
        seg = h.segments
        if seg[:1] == ["_lfs"]:
            return _LfsTransfer.route(h)
        if seg[:1] == ["_cdn"] and len(seg) == 2 and h.command in ("GET", "HEAD"):
            hub = h.hub
            sha = seg[1]
            q = {k: v[0] for k, v in h.query.items()}
            expires = q.get("Expires", "0")
            if hub.config.cdn_reject_authorization and h.headers.get("Authorization"):
                raise HubError(400, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                                    "Signature query string parameter or the Authorization header should be "
                                    "specified", "InvalidArgument")
            if not expires.isdigit() or int(expires) < time.time() or not hub.check_signature(
                    q.get("Signature", ""), "get", sha, q.get("repo", ""), q.get("path", ""), expires):
                raise HubError(403, "Access Denied", "AccessDenied")
            if not hub.store.has(sha):
                raise HubError(404, "The specified key does not exist.", "NoSuchKey")
            size = hub.store.path(sha).stat().st_size
            path = q.get("path") or sha
            entry = FileEntry(path=path, size=size, sha256=sha, git_oid="", lfs=True)
            headers = {
                "Content-Type": "application/octet-stream",
                "ETag": f"\"{hashlib.md5(sha.encode()).hexdigest()}\"",  # S3-style: not the sha256
                "Content-Disposition": _content_disposition(path),
                "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT",
            }
            return _serve_file(h, entry, q.get("repo", ""), headers)
        raise HubError(404, "Not Found", "NoSuchKey")


class _CdnHandler(_Handler):
    role = "cdn"


# --------------------------------------------------------------------------------------------------------------------
# Control API (for tests in other languages): /_test/...
# --------------------------------------------------------------------------------------------------------------------


class _ControlRoutes:
    """GET  /_test/log[?since=SEQ]       -> {"entries": [...]}        DELETE /_test/log -> clear
    GET  /_test/faults                    POST /_test/faults {...}: set (other fields reset to defaults)
    GET  /_test/config                    POST /_test/config {...}: merge
    POST /_test/tokens {"token", "user", "write", "grants": [...]}
    POST /_test/repos {"id", "type", "visibility", "branch", "message", "initial_commit",
                       "files": {path: {"text"|"base64"|"file"|"zeros": ..., "lfs": true|false|null}}}
         -> {"commit": oid}   (creates the repo if needed, then commits the files)
    GET  /_test/repos -> [{"type", "id", "visibility", "branches", "tags"}]
    """

    @staticmethod
    def route(h: _Handler) -> None:
        hub = h.hub
        sub = h.segments[1:]
        m = h.command
        if sub == ["log"] and m == "GET":
            since = int((h.query.get("since") or ["0"])[0])
            return h._send_json(200, {"entries": hub.log_snapshot(since)})
        if sub == ["log"] and m == "DELETE":
            hub.clear_log()
            return h._send_json(200, {})
        if sub == ["faults"] and m == "GET":
            return h._send_json(200, dataclasses.asdict(hub.faults))
        if sub == ["faults"] and m == "POST":
            values = h._read_json() or {}
            faults = Faults()
            try:
                faults.update(values)
            except KeyError as e:
                raise HubError(400, str(e))
            hub.faults = faults
            return h._send_json(200, dataclasses.asdict(faults))
        if sub == ["config"] and m == "GET":
            return h._send_json(200, dataclasses.asdict(hub.config))
        if sub == ["config"] and m == "POST":
            try:
                hub.config.update(h._read_json() or {})
            except KeyError as e:
                raise HubError(400, str(e))
            return h._send_json(200, dataclasses.asdict(hub.config))
        if sub == ["tokens"] and m == "POST":
            body = h._read_json() or {}
            hub.add_token(body["token"], body.get("user", "user"), bool(body.get("write")), body.get("grants") or [])
            return h._send_json(200, {})
        if sub == ["repos"] and m == "GET":
            return h._send_json(200, [
                {"type": r.repo_type, "id": r.repo_id, "visibility": r.visibility, "branches": r.branches,
                 "tags": r.tags} for r in hub.repos.values()])
        if sub == ["repos"] and m == "POST":
            body = h._read_json() or {}
            oid = apply_repo_spec(hub, body)
            return h._send_json(200, {"commit": oid})
        h._drain_body()
        raise HubError(404, "Not Found")


def apply_repo_spec(hub: HubState, spec: dict[str, Any], base_dir: Path | None = None) -> str | None:
    """Create (if needed) and fill a repo from a JSON-able spec (see _ControlRoutes)."""
    repo_type = spec.get("type", "model")
    repo_id = spec["id"]
    repo = hub.get_repo(repo_type, repo_id)
    if repo is None:
        repo = hub.create_repo(repo_id, repo_type, spec.get("visibility", "public"),
                               initial_commit=bool(spec.get("initial_commit", False)))
    elif "visibility" in spec:
        repo.visibility = spec["visibility"]
    files: dict[str, Any] = {}
    for path, f in (spec.get("files") or {}).items():
        if isinstance(f, str):
            f = {"text": f}
        if "text" in f:
            data: Any = f["text"].encode()
        elif "base64" in f:
            data = base64.b64decode(f["base64"])
        elif "zeros" in f:
            data = bytes(int(f["zeros"]))
        elif "file" in f:
            data = Path(f["file"]) if base_dir is None else base_dir / f["file"]
        else:
            raise ValueError(f"file spec for {path} needs text, base64, zeros or file")
        kind = f.get("lfs")
        files[path] = lfs(data) if kind is True else regular(data) if kind is False else data
    if spec.get("dir"):
        root = Path(spec["dir"]) if base_dir is None else base_dir / spec["dir"]
        for p in sorted(root.rglob("*")):
            if p.is_file() and ".git" not in p.relative_to(root).parts:
                files.setdefault(p.relative_to(root).as_posix(), p)
    if not files and not spec.get("deletes"):
        return repo.branches.get(spec.get("branch", "main"))
    oid = hub.commit_files(repo_type, repo_id, files, deletes=spec.get("deletes") or (),
                           branch=spec.get("branch", "main"), message=spec.get("message", "Upload files"),
                           in_place=bool(spec.get("in_place")))
    for tag in spec.get("tags") or []:
        repo.tags[tag] = oid
    return oid


# --------------------------------------------------------------------------------------------------------------------
# The server object
# --------------------------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    stopping = False

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet on client disconnects
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return
        super().handle_error(request, client_address)


class HubServer:
    """The hub (and optionally a CDN host on a second port) in background threads."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, cdn: bool = False, cdn_port: int = 0,
                 config: HubConfig | None = None, data_dir: str | Path | None = None):
        self._owned_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="testhub-"))
        self.hub = HubState(self.data_dir, config or HubConfig())
        self._host, self._port = host, port
        self._cdn, self._cdn_port = cdn, cdn_port
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    # -- lifecycle ---------------------------------------------------------------------------------------------------

    def start(self) -> "HubServer":
        hub_server = _Server((self._host, self._port), _Handler)
        hub_server.hub = self.hub  # type: ignore[attr-defined]
        self._servers.append(hub_server)
        if self._cdn:
            cdn_server = _Server((self._host, self._cdn_port), _CdnHandler)
            cdn_server.hub = self.hub  # type: ignore[attr-defined]
            self._servers.append(cdn_server)
            self.hub.cdn_base = f"http://{self._host}:{cdn_server.server_address[1]}"
        for s in self._servers:
            t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for s in self._servers:
            s.stopping = True
            s.shutdown()
            s.server_close()
        self._servers.clear()
        if self._owned_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "HubServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._servers[0].server_address[1]

    @property
    def endpoint(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def cdn_endpoint(self) -> str | None:
        return self.hub.cdn_base

    # -- convenience -------------------------------------------------------------------------------------------------

    @property
    def config(self) -> HubConfig:
        return self.hub.config

    @property
    def faults(self) -> Faults:
        return self.hub.faults

    def set_faults(self, **values: Any) -> None:
        faults = Faults()
        faults.update(values)
        self.hub.faults = faults

    def reset_faults(self) -> None:
        self.hub.faults = Faults()

    def add_token(self, token: str, user: str, *, write: bool = False, grants: Iterable[str] = ()) -> Token:
        return self.hub.add_token(token, user, write, grants)

    def add_repo(self, repo_id: str, files: dict[str, Any] | None = None, *, repo_type: str = "model",
                 visibility: str = "public", initial_commit: bool = False, message: str = "Add files",
                 in_place: bool = False) -> str | None:
        """Create a repo (no .gitattributes commit unless asked) and commit `files`; returns the head commit."""
        self.hub.create_repo(repo_id, repo_type, visibility, initial_commit=initial_commit)
        if files:
            return self.hub.commit_files(repo_type, repo_id, files, message=message, in_place=in_place)
        return self.hub.get_repo(repo_type, repo_id).branches["main"]  # type: ignore[union-attr]

    def commit(self, repo_id: str, files: dict[str, Any] | None = None, *, repo_type: str = "model",
               deletes: Iterable[str] = (), branch: str = "main", message: str = "Update files") -> str:
        return self.hub.commit_files(repo_type, repo_id, files, deletes=deletes, branch=branch, message=message)

    def repo(self, repo_id: str, repo_type: str = "model") -> Repo:
        repo = self.hub.get_repo(repo_type, repo_id)
        if repo is None:
            raise KeyError(repo_id)
        return repo

    def file_bytes(self, repo_id: str, path: str, *, revision: str = "main", repo_type: str = "model") -> bytes:
        commit = self.repo(repo_id, repo_type).resolve(revision)
        assert commit is not None
        return self.hub.store.read(commit.files[path].sha256)

    def requests(self, *, since: int = 0, server: str | None = None) -> list[dict[str, Any]]:
        """The request log in arrival order, once the requests in flight are answered."""
        return [e for e in self.hub.log_snapshot(since) if server is None or e["server"] == server]

    def last_seq(self) -> int:
        return max((e["seq"] for e in self.hub.log_snapshot()), default=0)

    def clear_log(self) -> None:
        self.hub.clear_log()


# --------------------------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------------------------


def load_config_file(server: HubServer, path: Path) -> None:
    """{"config": {...HubConfig...}, "tokens": [{"token","user","write","grants"}], "repos": [repo specs]}"""
    data = json.loads(path.read_text())
    server.hub.config.update(data.get("config") or {})
    for t in data.get("tokens") or []:
        server.add_token(t["token"], t.get("user", "user"), write=bool(t.get("write")), grants=t.get("grants") or [])
    for spec in data.get("repos") or []:
        spec = {"in_place": True, "initial_commit": False, **spec}
        apply_repo_spec(server.hub, spec, base_dir=path.parent)


def load_repos_dir(server: HubServer, root: Path) -> None:
    """<root>/{models,datasets,spaces}/<org>/<name>/... -> one public repo each, files served in place."""
    for type_dir, repo_type in (("models", "model"), ("datasets", "dataset"), ("spaces", "space")):
        base = root / type_dir
        if not base.is_dir():
            continue
        for org in sorted(p for p in base.iterdir() if p.is_dir()):
            for repo_dir in sorted(p for p in org.iterdir() if p.is_dir()):
                apply_repo_spec(server.hub, {"id": f"{org.name}/{repo_dir.name}", "type": repo_type,
                                             "dir": str(repo_dir), "in_place": True, "initial_commit": True})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Hugging Face Hub test server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cdn", action="store_true", help="also run a CDN host (LFS redirects, upload URLs)")
    parser.add_argument("--cdn-port", type=int, default=0)
    parser.add_argument("--config", type=Path, help="JSON: {config, tokens, repos}")
    parser.add_argument("--repos-dir", type=Path, help="<dir>/{models,datasets,spaces}/<org>/<name>/files")
    parser.add_argument("--data-dir", type=Path, help="blob storage (default: a temporary directory)")
    args = parser.parse_args(argv)
    server = HubServer(args.host, args.port, cdn=args.cdn, cdn_port=args.cdn_port, data_dir=args.data_dir)
    if args.config:
        load_config_file(server, args.config)
    if args.repos_dir:
        load_repos_dir(server, args.repos_dir)
    server.start()
    print(json.dumps({"endpoint": server.endpoint, "cdn_endpoint": server.cdn_endpoint, "pid": os.getpid()}),
          flush=True)
    stop = threading.Event()
    try:
        import signal

        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.is_set():
            stop.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
