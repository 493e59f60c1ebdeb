"""olah (PyPI, pinned in requirements.txt) serving a local git repo offline on 127.0.0.1: a server we did not write.

olah's local-mirror layout (olah/server_mirror.py, olah/mirror/repos.py):
  <mirrors-path>/<models|datasets|spaces>/<org>/<repo>   a non-bare git repo (GitPython reads the committed tree)
  LFS files are committed as git-lfs pointer files; the object is at .git/lfs/objects/<aa>/<bb>/<sha256>.
  olah only recognises pointers of 121-149 bytes (so LFS file sizes of 1 to 23 decimal digits: always true).
olah.toml: [basic] host, port, repos-path, mirrors-path, mirror-netloc, mirror-lfs-netloc;
           [accessibility] offline = true (no upstream calls; these keys exist only in the TOML, not as CLI flags).

No git-lfs binary is needed: the pointer is written by hand, byte for byte what git-lfs writes.

Run by hand:  python3 olah_fixture.py   (builds a demo repo, starts olah, prints the endpoint, Ctrl-C stops)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LFS_SPEC = "https://git-lfs.github.com/spec/v1"


def lfs_pointer(data: bytes) -> bytes:
    return f"version {LFS_SPEC}\noid sha256:{hashlib.sha256(data).hexdigest()}\nsize {len(data)}\n".encode()


def _git(repo: Path, *args: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_AUTHOR_NAME": "olah-fixture",
        "GIT_AUTHOR_EMAIL": "olah-fixture@example.invalid",
        "GIT_COMMITTER_NAME": "olah-fixture",
        "GIT_COMMITTER_EMAIL": "olah-fixture@example.invalid",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def build_mirror_repo(mirrors_path: Path, repo_id: str, files: dict[str, bytes], lfs_paths: set[str],
                      repo_type: str = "models", message: str = "Add files") -> str:
    """Create (or add a commit to) <mirrors_path>/<repo_type>/<org>/<name>; returns the commit id."""
    org, name = repo_id.split("/")
    repo = mirrors_path / repo_type / org / name
    if not (repo / ".git").exists():
        repo.mkdir(parents=True, exist_ok=True)
        _git(repo, "init", "-q", "-b", "main")
    for path, data in files.items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path in lfs_paths:
            pointer = lfs_pointer(data)
            assert 120 < len(pointer) < 150, "olah only recognises LFS pointers of 121-149 bytes"
            target.write_bytes(pointer)
            sha = hashlib.sha256(data).hexdigest()
            obj = repo / ".git" / "lfs" / "objects" / sha[:2] / sha[2:4] / sha
            obj.parent.mkdir(parents=True, exist_ok=True)
            obj.write_bytes(data)
        else:
            target.write_bytes(data)
    if lfs_paths:
        (repo / ".gitattributes").write_text("".join(f"{p} filter=lfs diff=lfs merge=lfs -text\n"
                                                     for p in sorted(lfs_paths)))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)
    return _git(repo, "rev-parse", "HEAD").strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def olah_cli() -> str:
    candidate = Path(sys.executable).parent / "olah-cli"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("olah-cli")
    if not found:
        raise FileNotFoundError("olah-cli not found: pip install -r requirements.txt into this venv")
    return found


@dataclass
class OlahServer:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def mirrors_path(self) -> Path:
        return self.workdir / "mirrors"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        config = self.workdir / "olah.toml"
        config.write_text(
            "[basic]\n"
            f'host = "127.0.0.1"\n'
            f"port = {self.port}\n"
            f'repos-path = "{self.workdir / "cache"}"\n'
            f'mirrors-path = ["{self.mirrors_path}"]\n'
            f'mirror-netloc = "127.0.0.1:{self.port}"\n'
            f'mirror-lfs-netloc = "127.0.0.1:{self.port}"\n'
            "\n[accessibility]\n"
            "offline = true\n"
        )
        return config

    def start(self, ready_repo: str | None = None, timeout: float = 60.0) -> "OlahServer":
        self.mirrors_path.mkdir(parents=True, exist_ok=True)
        config = self.write_config()
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        log = open(self.workdir / "olah-stdout.log", "wb")
        self.process = subprocess.Popen([olah_cli(), "-c", str(config)], cwd=self.workdir, env=env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        probe = f"{self.endpoint}/api/models/{ready_repo}/revision/main" if ready_repo else f"{self.endpoint}/"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"olah exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return self
            except urllib.error.HTTPError as e:
                if not ready_repo and e.code < 500:
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"olah did not answer {probe} within {timeout}s:\n{self.output()}")

    def output(self) -> str:
        path = self.workdir / "olah-stdout.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # our own session: olah-cli and nothing else
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None


def demo_files() -> tuple[dict[str, bytes], set[str]]:
    files = {
        "config.json": json.dumps({"model_type": "demo", "hidden_size": 8}).encode(),
        "tokenizer/vocab.txt": b"".join(b"tok%d\n" % i for i in range(200)),
        "model.safetensors": hashlib.sha256(b"weights").digest() * 40_000,  # 1.28 MB
        "extra/shard.bin": os.urandom(300_000),
    }
    return files, {"model.safetensors", "extra/shard.bin"}


if __name__ == "__main__":
    work = Path(tempfile.mkdtemp(prefix="olah-fixture-"))
    server = OlahServer(work)
    files, lfs_paths = demo_files()
    commit = build_mirror_repo(server.mirrors_path, "demo-org/demo-model", files, lfs_paths)
    server.start(ready_repo="demo-org/demo-model")
    print(json.dumps({"endpoint": server.endpoint, "repo": "demo-org/demo-model", "commit": commit,
                      "workdir": str(work)}), flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
