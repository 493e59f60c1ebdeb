"""The real `jobrunner` binary as the tests use it: one-shot CLI commands and a `jobrunner serve` child process."""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPOSITORY = Path(__file__).resolve().parents[2]

#: The line `jobrunner serve` logs on standard error once it listens (with `--port 0` it names the chosen port).
SERVING_LINE = re.compile(r"Serving the secrets API on (http://127\.0\.0\.1:(\d+))")


def jobrunner_binary() -> Path:
    """`$JOBRUNNER_BIN` when set, else the debug build of this repository."""
    explicit = os.environ.get("JOBRUNNER_BIN")
    binary = Path(explicit) if explicit else REPOSITORY / ".build" / "debug" / "jobrunner"
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise RuntimeError(f"{binary} is not an executable: run 'swift build --build-tests' or set JOBRUNNER_BIN")
    return binary


def child_environment(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every child: this one without any JOBRUNNER_* setting, a private HOME, info logs."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("JOBRUNNER_")}
    environment["HOME"] = str(home)
    environment["JOBRUNNER_LOG_LEVEL"] = "info"
    environment.update(extra or {})
    return environment


def _die_with_the_tests() -> None:
    """In the child before exec: on Linux, get SIGTERM if the test process dies, so no server outlives a killed run."""
    if sys.platform == "linux":
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class JobRunnerCLI:
    """Runs `jobrunner --data-dir DIR ...` commands against one data directory."""

    def __init__(self, binary: Path, data_dir: Path, environment: dict[str, str]):
        self.binary = binary
        self.data_dir = data_dir
        self.environment = environment

    def run(self, *arguments: str, stdin: str | None = None) -> str:
        """Runs one command and returns its standard output; fails with its standard error if it exits non-zero."""
        completed = subprocess.run(
            [str(self.binary), "--data-dir", str(self.data_dir), *arguments],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            env=self.environment,
            timeout=60,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"jobrunner {arguments[0]} {arguments[1] if len(arguments) > 1 else ''} exited "
                f"{completed.returncode}: {completed.stderr.strip()}"
            )
        return completed.stdout

    def create_token(self, principal: str) -> str:
        """A new bearer token for `principal` (printed once by `auth token create`)."""
        token = self.run("auth", "token", "create", "--principal", principal).strip()
        if not token or any(character.isspace() for character in token):
            raise RuntimeError(f"auth token create printed no single token for {principal}")
        return token

    def grant(self, principal: str, role: str, workspace: str | None = None) -> None:
        """`auth grant PRINCIPAL ROLE [--workspace WS]`."""
        self.run("auth", "grant", principal, role, *(["--workspace", workspace] if workspace else []))

    def create_workspace(self, workspace: str) -> None:
        """`workspaces create WS`."""
        self.run("workspaces", "create", workspace)

    def create_secret(self, reference: str, value: str, description: str | None = None) -> None:
        """`secrets create REF --from-file -`, the value on standard input so it never is an argument."""
        self.run(
            "secrets", "create", reference, "--from-file", "-",
            *(["--description", description] if description else []), stdin=value,
        )  # fmt: skip


class ServeProcess:
    """`jobrunner serve --port 0` on 127.0.0.1, its standard error captured to a file for the log checks."""

    def __init__(self, cli: JobRunnerCLI, log_directory: Path, name: str):
        self.cli = cli
        self.stderr_path = log_directory / f"{name}.stderr.log"
        self.stdout_path = log_directory / f"{name}.stdout.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""
        self.exit_status: int | None = None

    def start(self, timeout: float = 60) -> None:
        """Starts the server, reads the port it chose from its log, and waits until `GET /health` answers 200."""
        with open(self.stderr_path, "wb") as stderr, open(self.stdout_path, "wb") as stdout:
            self.process = subprocess.Popen(
                [str(self.cli.binary), "--data-dir", str(self.cli.data_dir), "serve"]
                + ["--host", "127.0.0.1", "--port", "0"],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                env=self.cli.environment,
                preexec_fn=_die_with_the_tests,
            )
        deadline = time.monotonic() + timeout
        while not self.base_url:
            if (match := SERVING_LINE.search(self.log())) is not None:
                self.base_url = match.group(1)
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"jobrunner serve exited {self.process.returncode} before serving:\n{self.log()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"jobrunner serve did not report its port within {timeout} s:\n{self.log()}")
            time.sleep(0.02)
        with httpx.Client(trust_env=False, timeout=5) as probe:
            while True:
                try:
                    health = probe.get(f"{self.base_url}/health")
                    if health.status_code == 200 and health.json() == {"status": "ok"}:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(f"GET /health did not answer 200 within {timeout} s:\n{self.log()}")
                time.sleep(0.02)

    def stop(self, timeout: float = 30) -> int:
        """Sends SIGTERM (once) and returns the exit status; kills the server if it does not stop in time."""
        if self.process is None:
            raise RuntimeError("the server was never started")
        if self.exit_status is None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                self.exit_status = self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise RuntimeError(f"jobrunner serve did not stop within {timeout} s of SIGTERM:\n{self.log()}")
        return self.exit_status

    def kill(self) -> None:
        """Last resort for a server that does not answer or stop."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """Everything the server wrote on standard error so far."""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def output(self) -> str:
        """Everything the server wrote on standard output so far (expected: nothing)."""
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def request_lines(self, method: str, path: str) -> list[str]:
        """The request log lines for `method path`."""
        return [
            line for line in self.log().splitlines()
            if line.startswith("info: request ") and f" method={method} " in line and f" path={path} " in line
        ]  # fmt: skip
