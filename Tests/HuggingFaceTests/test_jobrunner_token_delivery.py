"""Issue 5, token delivery: a step run by `jobrunner run` with `integrations.huggingface` gets the token so that the
real huggingface_hub in the child uses exactly it (get_token(), the authorization header it builds, and a real
whoami against the test hub), with either delivery, and the token shows up nowhere it should not."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import sys
from pathlib import Path

import pytest

from conftest import HUB

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "PythonSDKTests"))
from jobrunner_job import JobRunnerSandbox  # noqa: E402

CHILD = r"""
import hashlib, json, os, stat, sys
import huggingface_hub
from huggingface_hub import HfApi, get_token
from huggingface_hub.utils import build_hf_headers

def digest(text):
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()

token = get_token()
header = build_hf_headers().get("authorization", "")
path = os.environ.get("HF_TOKEN_PATH")
report = {
    "token_sha256": digest(token),
    "header_sha256": digest(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None,
    "whoami": HfApi().whoami()["name"],
    "HF_TOKEN" : "HF_TOKEN" in os.environ,
    "HUGGING_FACE_HUB_TOKEN": "HUGGING_FACE_HUB_TOKEN" in os.environ,
    "HF_TOKEN_PATH": path,
    "secrets_dir": os.environ.get("JOBRUNNER_SECRETS_DIR"),
    "HF_ENDPOINT": os.environ.get("HF_ENDPOINT"),
    "HF_HUB_CACHE": os.environ.get("HF_HUB_CACHE"),
}
if path:
    data = open(path, "rb").read()
    report["file_ends_with_newline"] = data.endswith(b"\n")
    report["file_mode"] = oct(stat.S_IMODE(os.stat(path).st_mode))
print(json.dumps(report))
"""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def sandbox(tmp_path: Path) -> JobRunnerSandbox:
    box = JobRunnerSandbox(tmp_path, dict(os.environ))
    (tmp_path / "child.py").write_text(CHILD)
    return box


def _token_for(user: str) -> str:
    token = "hf_job_" + secrets.token_hex(16)
    HUB.add_token(token, user)
    return token


def _spec(delivery: str | None, **huggingface: str) -> dict:
    settings = {"token": "hf-token", **huggingface}
    if delivery:
        settings["delivery"] = delivery
    return {
        "name": "hf-token",
        "integrations": {"huggingface": settings},
        "steps": [{"name": "check", "run": [sys.executable, "child.py"]}],
    }


@pytest.mark.parametrize("delivery", [None, "file", "env"])
def test_the_real_library_in_the_step_uses_exactly_the_token(sandbox: JobRunnerSandbox, delivery: str | None) -> None:
    token = _token_for("dave")
    sandbox.create_secret("hf-token", token)
    # Tokens in the runner's own environment must not shadow the one the spec names.
    shadow = {"HF_TOKEN": "hf_shadow_" + secrets.token_hex(8), "HUGGING_FACE_HUB_TOKEN": "hf_old_" + secrets.token_hex(8)}
    result = sandbox.run(_spec(delivery), extra_env=shadow)
    assert result.returncode == 0, result.stderr
    report = result.last_json()

    assert report["token_sha256"] == _digest(token), "get_token() returns the secret's value"
    assert report["header_sha256"] == _digest(token), "the authorization header carries it"
    assert report["whoami"] == "dave", "and the hub accepted it"
    assert report["HUGGING_FACE_HUB_TOKEN"] is False
    if delivery == "env":
        assert report["HF_TOKEN"] is True and report["HF_TOKEN_PATH"] is None
    else:  # file, the default
        assert report["HF_TOKEN"] is False
        assert report["HF_TOKEN_PATH"] == os.path.join(report["secrets_dir"], "hf_token")
        assert report["file_ends_with_newline"] is False
        assert report["file_mode"] == "0o400"
        assert not os.path.exists(report["HF_TOKEN_PATH"]), "the token file is gone after the step"

    # The token never leaks: not in the output, not in any file of the data directory (the store is encrypted).
    assert token not in result.stdout and token not in result.stderr
    assert sandbox.files_containing(token) == []
    assert all(entry.get("auth_sha256") == _digest(token)[:12] for entry in HUB.requests() if entry["authorization"])


def test_endpoint_and_cache_from_the_spec_reach_the_child(sandbox: JobRunnerSandbox, tmp_path: Path) -> None:
    token = _token_for("erin")
    sandbox.create_secret("hf-token", token)
    spec = _spec("file", endpoint=HUB.endpoint + "/", hub_cache="shared-cache")
    result = sandbox.run(spec, extra_env={"HF_ENDPOINT": "http://127.0.0.1:9/not-this-one"})
    assert result.returncode == 0, result.stderr
    report = result.last_json()
    assert report["HF_ENDPOINT"] == HUB.endpoint
    assert report["HF_HUB_CACHE"] == str(tmp_path / "shared-cache")
    assert report["whoami"] == "erin"


def test_a_token_printed_by_the_step_is_masked(sandbox: JobRunnerSandbox) -> None:
    token = _token_for("frank")
    sandbox.create_secret("hf-token", token)
    spec = _spec("file")
    spec["steps"][0]["run"] = [sys.executable, "-c", "from huggingface_hub import get_token; print('token:', get_token())"]
    result = sandbox.run(spec)
    assert result.returncode == 0, result.stderr
    assert "token: ****" in result.stdout
    assert token not in result.stdout and sandbox.files_containing(token) == []
