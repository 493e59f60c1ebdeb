"""End-to-end part of bench/telemetry/run: the trainer's slowdown under the real runner, and flush throughput."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEY = "local-" + "a1b2c3d4e5f60718" * 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobrunner", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--server", required=True)
    parser.add_argument("--trainer", required=True)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="telemetry-bench-"))
    servers: list[subprocess.Popen] = []
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JOBRUNNER_", "WANDB_"))}
        env.update(JOBRUNNER_DATA_DIR=str(work / "data"), HOME=str(work))
        subprocess.run([options.jobrunner, "secrets", "create", "wandb-key", "--from-file", "-"], input=KEY, text=True,
                       env=env, check=True, capture_output=True)  # fmt: skip

        def start_server(port: int) -> str:
            server = subprocess.Popen([sys.executable, options.server, "--port", str(port), "--key", f"{KEY}=bench"],
                                      stdout=subprocess.PIPE, text=True)  # fmt: skip
            servers.append(server)
            return server.stdout.readline().split()[-1]

        def job(name: str, base_url: str | None, report: bool, extra_env: dict | None = None) -> tuple[float, dict]:
            step = {"name": "train", "run": [sys.executable, os.path.abspath(options.trainer), str(options.rows)]}
            if extra_env:
                step["env"] = {key: {"value": value} for key, value in extra_env.items()}
            spec = {"name": name, "steps": [step]}
            if base_url:
                spec["integrations"] = {"wandb": {"api_key": "wandb-key", "base_url": base_url, "report": report}}
            path = work / f"{name}.json"
            path.write_text(json.dumps(spec))
            start = time.perf_counter()
            done = subprocess.run([options.jobrunner, "run", str(path)], env=env,
                                  capture_output=True, text=True)  # fmt: skip
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"job {name} failed: {done.stderr}")
            child = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
            return elapsed, child

        up = start_server(0)
        # The baseline: the same trainer under the runner, reporting off, writing to /dev/null.
        baseline_wall, baseline = job("devnull", None, False, {"BENCH_METRICS": "/dev/null"})
        reporting_wall, reporting = job("reporting", up, True)

        # A job while W&B is down keeps every row in the outbox (its final flush gives up after 5 s) ...
        port = free_port()
        job("outage", f"http://127.0.0.1:{port}", True)
        start_server(port)
        start = time.perf_counter()
        flushed = subprocess.run([options.jobrunner, "telemetry", "flush", "--timeout", "600"], env=env,
                                 capture_output=True, text=True)  # fmt: skip
        flush_seconds = time.perf_counter() - start
        if flushed.returncode != 0:
            raise SystemExit(f"flush failed: {flushed.stdout}{flushed.stderr}")

        rows = options.rows
        print(f"trainer, {rows:,} rows:  writes {baseline['total_write_s']:.3f} s to /dev/null vs "
              f"{reporting['total_write_s']:.3f} s to $JOBRUNNER_METRICS (x{reporting['total_write_s'] / baseline['total_write_s']:.2f}); "
              f"slowest write {reporting['max_write_ms']:.2f} ms")
        print(f"step wall time:           {baseline_wall:.2f} s (/dev/null, no reporting) vs {reporting_wall:.2f} s (reporting, "
              f"incl. the end-of-job flush) = x{reporting_wall / baseline_wall:.2f}")
        print(f"outbox -> W&B test server via 'jobrunner telemetry flush': {rows:,} rows in {flush_seconds:.2f} s = "
              f"{rows / flush_seconds:,.0f} rows/s")
        return 0
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
