"""Fixtures: one hub_server.py (with its CDN host) for the session, and the environment huggingface_hub reads.

huggingface_hub reads HF_ENDPOINT, HF_HOME, HF_HUB_OFFLINE, HF_HUB_DISABLE_XET, HF_HUB_DOWNLOAD_TIMEOUT and the
token path when it is imported, so all of them are set here, before any test module imports it. Nothing on the
machine may leak in: HF_* variables, tokens and proxy variables are removed and HOME points at an empty directory.
Checks that need a different import-time environment (offline mode, another endpoint, a token from the environment)
run the real library in a child process (`run_hf`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hub_server import HubServer  # noqa: E402

# --- Isolation, before huggingface_hub is imported anywhere ---------------------------------------------------------

_PRIVATE = Path(tempfile.mkdtemp(prefix="hf-hub-tests-"))
for _key in list(os.environ):
    if _key.startswith(("HF_", "HUGGINGFACE_", "HUGGING_FACE_")) or _key.lower().endswith("_proxy"):
        del os.environ[_key]
(_PRIVATE / "home").mkdir()
os.environ["HOME"] = str(_PRIVATE / "home")
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

HUB = HubServer(cdn=True).start()

os.environ.update({
    "HF_ENDPOINT": HUB.endpoint,
    "HF_HOME": str(_PRIVATE / "hf-home"),  # fresh; tests mostly pass their own cache_dir on top
    "HF_HUB_DISABLE_TELEMETRY": "1",  # else GET {endpoint}/api/agent-harnesses
    # With hf_xet installed (a hard dependency of huggingface_hub 2.x on x86_64/arm64) every upload goes through Xet
    # storage (a CAS server), never the LFS batch API; disabling Xet is the only way to get the LFS protocol.
    "HF_HUB_DISABLE_XET": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DOWNLOAD_TIMEOUT": "3",  # the stall test waits for this read timeout
})


def pytest_unconfigure(config: pytest.Config) -> None:
    HUB.stop()
    shutil.rmtree(_PRIVATE, ignore_errors=True)


# --- Tokens (random per run: a token must never show up in the request log) -----------------------------------------

WRITER = "hf_writer_" + secrets.token_hex(12)  # user "alice", write, all of org/*
READER = "hf_reader_" + secrets.token_hex(12)  # user "bob", read-only, granted repos added per test
OUTSIDER = "hf_outsider_" + secrets.token_hex(12)  # user "carol": valid, no grants
BOGUS = "hf_bogus_" + secrets.token_hex(12)  # not known to the server

HUB.add_token(WRITER, "alice", write=True, grants=["org/*"])
HUB.add_token(READER, "bob", grants=[])
HUB.add_token(OUTSIDER, "carol")


def grant_reader(repo_id: str) -> None:
    HUB.hub.tokens[READER].grants.add(repo_id)


# --- Fixtures -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hub() -> HubServer:
    return HUB


@pytest.fixture(autouse=True)
def _clean_hub_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Faults and config are reset around every test; the log is cleared before it and checked after it."""
    saved = copy.deepcopy(HUB.config)
    HUB.reset_faults()
    HUB.clear_log()
    yield
    HUB.reset_faults()
    HUB.hub.config = saved
    # Every request the real library made must have hit a route of the server (a 404 without X-Error-Code means
    # the library asked for something the server does not implement).
    misses = [f"{e['method']} {e['raw_path']}" for e in HUB.requests() if e["status"] == 404 and not e["error_code"]]
    assert not misses, f"requests the test server does not implement: {misses}"


@pytest.fixture
def hf_home(tmp_path: Path) -> Path:
    home = tmp_path / "hf-home"
    home.mkdir()
    return home


@pytest.fixture
def cache_dir(hf_home: Path) -> Path:
    """The hub cache inside a fresh HF_HOME (what the library uses for HF_HOME=hf_home)."""
    return hf_home / "hub"


def deterministic_bytes(n: int, seed: str) -> bytes:
    """`n` bytes that look random (sha256 chain of `seed`), the same on every run."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{i}".encode()).digest()
        i += 1
    return bytes(out[:n])


def new_repo_id(prefix: str, org: str = "org") -> str:
    return f"{org}/{prefix}-{uuid.uuid4().hex[:8]}"


# --- The real library in a child process ----------------------------------------------------------------------------


def run_hf(code: str, *, env: dict[str, str] | None = None, unset: tuple[str, ...] = (), timeout: float = 120) -> Any:
    """Run `code` with this venv's Python; it must print one JSON line last. Returns that value.

    The child gets this process's (already isolated) environment, plus `env`, minus `unset`.
    """
    child_env = {k: v for k, v in os.environ.items() if k not in unset}
    child_env.update(env or {})
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=child_env, capture_output=True,
                          text=True, timeout=timeout, cwd=str(_PRIVATE))
    if proc.returncode != 0:
        raise AssertionError(f"child failed ({proc.returncode}):\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])
