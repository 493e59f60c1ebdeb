"""A trainer that reports through the job runner: appends JSON rows to $JOBRUNNER_METRICS, as the README documents
(`open(path, "a").write(json + "\\n")`), and records what it wrote and how long each write took.

    python metrics_child.py ROWS [SECONDS_PER_ROW] [WRITTEN_LOG]

Prints one JSON line at the end: {"rows", "max_write_ms", "total_write_s", "regular_file"}. WRITTEN_LOG, when given,
gets each row's index after the row was written (for the kill tests)."""

from __future__ import annotations

import json
import os
import stat
import sys
import time


def main() -> int:
    rows = int(sys.argv[1])
    pause = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    written_log = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else None
    # BENCH_METRICS: where the benchmark's baseline writes (/dev/null) when the runner gives no metrics file.
    path = os.environ.get("JOBRUNNER_METRICS") or os.environ["BENCH_METRICS"]
    worst = 0.0
    total = 0.0
    with open(path, "a", buffering=1) as metrics:
        for index in range(rows):
            row = {"step": index, "train_loss": round(2.0 / (index + 1), 6), "val_loss": round(2.5 / (index + 1) + 0.01, 6)}
            started = time.perf_counter()
            metrics.write(json.dumps(row) + "\n")
            elapsed = time.perf_counter() - started
            worst = max(worst, elapsed)
            total += elapsed
            if written_log:
                written_log.write(f"{index}\n")
            if pause:
                time.sleep(pause)
    regular = stat.S_ISREG(os.stat(path).st_mode)
    print(json.dumps({"rows": rows, "max_write_ms": worst * 1000, "total_write_s": total, "regular_file": regular}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
