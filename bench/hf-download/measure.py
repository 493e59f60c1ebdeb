"""Driver of bench/hf-download/run: builds the payloads, starts the hub test server, times each tool."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SNAPSHOT = """
import sys
from huggingface_hub import snapshot_download
snapshot_download(sys.argv[1], cache_dir=sys.argv[2])
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobrunner", required=True)
    parser.add_argument("--hub-server", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-mib", type=int, default=1024)
    parser.add_argument("--small-files", type=int, default=1000)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hf-download-bench-", dir="/var/tmp"))
    server = None
    try:
        repos = work / "repos" / "models" / "bench"
        large, small = repos / "large", repos / "small"
        large.mkdir(parents=True)
        small.mkdir(parents=True)
        print(f"… writing {options.large_mib} MiB and {options.small_files} small files", file=sys.stderr)
        with open(large / "model.safetensors", "wb") as out:
            for _ in range(options.large_mib):
                out.write(os.urandom(1 << 20))
        for index in range(options.small_files):
            size = 1024 + (index * 7919) % 7168  # 1 to 8 KiB, varied
            (small / f"shard-{index:04d}.json").write_bytes(os.urandom(size // 2).hex().encode())

        environment = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "JOBRUNNER_"))}
        server = subprocess.Popen(
            [sys.executable, options.hub_server, "--port", "0", "--repos-dir", str(work / "repos"), "--data-dir", str(work / "hub-data")],
            stdout=subprocess.PIPE, text=True, env=environment,
        )  # fmt: skip
        endpoint = json.loads(server.stdout.readline())["endpoint"]
        environment.update(
            HF_ENDPOINT=endpoint, HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HOME=str(work / "hf-home"),
            JOBRUNNER_DATA_DIR=str(work / "data"), HOME=str(work),
        )

        def ours(repo: str, cache: Path) -> list[str]:
            spec = work / "spec.json"
            spec.write_text(json.dumps({
                "name": "bench", "steps": [{"name": "fetch", "uses": "huggingface/download", "with": {"repo": repo, "cache_dir": str(cache)}}],
            }))  # fmt: skip
            return [options.jobrunner, "run", str(spec)]

        def huggingface_hub(repo: str, cache: Path) -> list[str]:
            return [sys.executable, "-c", SNAPSHOT, repo, str(cache)]

        def curl(repo: str, cache: Path) -> list[str]:
            cache.mkdir(parents=True, exist_ok=True)
            return ["curl", "-sSfL", "-o", str(cache / "model.safetensors"), f"{endpoint}/{repo}/resolve/main/model.safetensors"]

        payloads = [
            ("1 GiB file" if options.large_mib == 1024 else f"{options.large_mib} MiB file", "bench/large",
             options.large_mib << 20, [("jobrunner step", ours), ("huggingface_hub", huggingface_hub), ("curl", curl)]),
            (f"{options.small_files} small files", "bench/small",
             sum(p.stat().st_size for p in small.iterdir()), [("jobrunner step", ours), ("huggingface_hub", huggingface_hub)]),
        ]  # fmt: skip
        results = []
        for label, repo, size, tools in payloads:
            times: dict[str, list[float]] = {name: [] for name, _ in tools}
            for run in range(options.runs + 1):  # the first round warms the server's page cache and is not counted
                order = tools[run % len(tools):] + tools[:run % len(tools)]
                for name, command in order:
                    cache = work / "cache"
                    shutil.rmtree(cache, ignore_errors=True)
                    argv = command(repo, cache)
                    # Each run starts with no dirty pages left by the one before, whose writeback would otherwise
                    # compete with it for the disk and the CPU.
                    os.sync()
                    start = time.perf_counter()
                    completed = subprocess.run(argv, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                    elapsed = time.perf_counter() - start
                    if completed.returncode != 0:
                        raise SystemExit(f"{name} failed on {label}: {completed.stderr.strip()}")
                    if run > 0:
                        times[name].append(elapsed)
            results.append((label, size, {name: statistics.median(values) for name, values in times.items()}))

        print(f"{'payload':<20}{'tool':<18}{'median s':>10}{'MiB/s':>10}{'vs huggingface_hub':>20}{'vs curl':>10}")
        for label, size, medians in results:
            for name, seconds in medians.items():
                versus_hub = medians["huggingface_hub"] / seconds
                versus_curl = f"{medians['curl'] / seconds:.2f}" if "curl" in medians else "-"
                print(f"{label:<20}{name:<18}{seconds:>10.3f}{size / seconds / (1 << 20):>10.1f}{versus_hub:>19.2f}x{versus_curl:>10}")
        print("(ratios are speed relative to the other tool: above 1 means the row's tool was faster)")
        large_hub = results[0][2]["huggingface_hub"] / results[0][2]["jobrunner step"]
        small_hub = results[1][2]["huggingface_hub"] / results[1][2]["jobrunner step"]
        curl_share = results[0][2]["curl"] / results[0][2]["jobrunner step"]
        met = large_hub >= 1 and small_hub >= 1 and curl_share >= 0.8
        print(f"target: at least huggingface_hub's speed on both ({large_hub:.2f}x, {small_hub:.2f}x) and >= 80 % of curl's "
              f"rate on the large file ({curl_share * 100:.0f} %) -> {'met' if met else 'MISSED'}")
        return 0
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
