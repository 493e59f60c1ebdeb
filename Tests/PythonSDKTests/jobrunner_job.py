"""Runs `jobrunner run SPEC` in a scratch data directory, with secrets created through the CLI, and looks for a
credential everywhere it could leak to (output, job log, records, files under the sandbox).

Shared by the Hugging Face and W&B suites, which put this directory on sys.path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jobrunner_process import JobRunnerCLI, jobrunner_binary  # noqa: E402


@dataclass
class JobResult:
    returncode: int
    stdout: str
    stderr: str
    job_id: str | None

    def output_lines(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.strip()]

    def last_json(self) -> dict:
        """The last line of standard output that is a JSON object (what the step printed for the test)."""
        for line in reversed(self.output_lines()):
            if line.startswith("{"):
                return json.loads(line)
        raise AssertionError(f"no JSON line in the step's output:\n{self.stdout}\n{self.stderr}")


class JobRunnerSandbox:
    """A data directory, its secrets, and `jobrunner run` with the environment the test chooses."""

    def __init__(self, root: Path, environment: dict[str, str]):
        self.root = root
        self.data_dir = root / "data"
        self.environment = {k: v for k, v in environment.items() if not k.startswith("JOBRUNNER_")}
        self.cli = JobRunnerCLI(jobrunner_binary(), self.data_dir, self.environment)

    def create_secret(self, reference: str, value: str) -> None:
        self.cli.create_secret(reference, value)

    def run(self, spec: dict, *arguments: str, extra_env: dict[str, str] | None = None, timeout: float = 300) -> JobResult:
        spec_path = self.root / "job.json"
        spec_path.write_text(json.dumps(spec, indent=2))
        environment = dict(self.environment)
        environment.update(extra_env or {})
        completed = subprocess.run(
            [str(self.cli.binary), "--data-dir", str(self.data_dir), "run", *arguments, str(spec_path)],
            capture_output=True, text=True, env=environment, timeout=timeout, cwd=self.root,
        )  # fmt: skip
        listed = subprocess.run(
            [str(self.cli.binary), "--data-dir", str(self.data_dir), "jobs", "list", "--output", "json"],
            capture_output=True, text=True, env=environment, timeout=60,
        )  # fmt: skip
        jobs = json.loads(listed.stdout) if listed.returncode == 0 and listed.stdout.strip() else []
        job_id = jobs[0]["id"] if jobs else None
        return JobResult(completed.returncode, completed.stdout, completed.stderr, job_id)

    def files_containing(self, needle: str, *, skip: tuple[str, ...] = ()) -> list[str]:
        """Every file under the sandbox whose bytes contain `needle` (the encrypted secret store cannot)."""
        found = []
        raw = needle.encode()
        for directory, _, names in os.walk(self.root):
            for name in names:
                path = Path(directory) / name
                if any(str(path).startswith(str(self.root / s)) for s in skip):
                    continue
                try:
                    if raw in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    pass
        return found
