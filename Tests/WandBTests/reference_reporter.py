"""A minimal W&B reporter (stdlib only): the reference for the Swift telemetry sender of issue 6.

It does what the service needs and nothing more:

1. `POST {base}/graphql` mutation UpsertBucket: create/update the run (name = run id, project, entity,
   displayName, config as a JSONString of {"key": {"value": v}}). The reply's bucket.project.entity.name is the
   entity to use in the file_stream path when none was given (the service picks the key owner's default).
2. `POST {base}/files/{entity}/{project}/{run}/file_stream` with {"files": {"wandb-history.jsonl": {"offset": N,
   "content": [json line, ...]}}}: N is the index (0-based line number) of the first line in this batch. The
   service stores line N+i = content[i], so re-sending a batch at the same offset replaces, never duplicates.
   The offset only advances once a batch was answered 2xx — that is the whole exactly-once rule.
3. A last file_stream with the summary (wandb-summary.json, offset 0, the whole summary as one JSON line),
   "complete": true and "exitcode".

Auth: `Authorization: Basic base64("api:" + key)`. Retries: connection errors, timeouts, 408/409/429/5xx are
retried with capped exponential backoff and the same offset; 401/403 raise AuthError at once (the caller keeps
its rows); other 4xx raise ReporterError.
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import random
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Iterable, Sequence

HISTORY_FILE = "wandb-history.jsonl"
SUMMARY_FILE = "wandb-summary.json"

UPSERT_BUCKET = """
mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $displayName: String,
                      $config: JSONString, $summaryMetrics: JSONString, $state: String) {
  upsertBucket(input: {id: $id, name: $name, modelName: $project, entityName: $entity, displayName: $displayName,
                       config: $config, summaryMetrics: $summaryMetrics, state: $state}) {
    bucket { id name displayName project { id name entity { id name } } historyLineCount }
    inserted
  }
}
"""

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class ReporterError(Exception):
    pass


class AuthError(ReporterError):
    """401/403: the key is wrong or lacks access. Not retried; nothing already stored is affected."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"W&B refused the API key (HTTP {status}): {body[:200]}")
        self.status = status


class RetryableError(ReporterError):
    pass


def _json_line(row: dict[str, Any]) -> str:
    def clean(value: Any) -> Any:  # JSON has no NaN/Infinity; W&B's own client writes them as strings
        if isinstance(value, float) and not math.isfinite(value):
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(row), separators=(",", ":"), allow_nan=False)


class Reporter:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        project: str,
        run_id: str,
        *,
        entity: str | None = None,
        display_name: str | None = None,
        timeout: float = 10.0,
        max_attempts: int = 8,
        backoff_initial: float = 0.05,
        backoff_max: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.project = project
        self.run_id = run_id
        self.entity = entity
        self.display_name = display_name
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.sleep = sleep
        self.sent_lines = 0  # history lines the service has acknowledged = offset of the next batch
        self.server_history_lines = 0  # historyLineCount from the last UpsertBucket reply
        self.attempts = 0  # HTTP requests made, for tests
        self._auth = "Basic " + base64.b64encode(f"api:{api_key}".encode()).decode()

    # HTTP ------------------------------------------------------------------------------------------
    def _post(self, path: str, payload: dict[str, Any]) -> Any:
        """One POST with retries. Returns the parsed JSON reply of the first 2xx."""
        body = json.dumps(payload).encode()
        delay = self.backoff_initial
        last: Exception | None = None
        for attempt in range(self.max_attempts):
            if attempt:
                self.sleep(delay * (0.5 + random.random() / 2))
                delay = min(delay * 2, self.backoff_max)
            self.attempts += 1
            request = urllib.request.Request(
                self.base_url + path,
                data=body,
                method="POST",
                headers={"Authorization": self._auth, "Content-Type": "application/json", "User-Agent": "reference-reporter"},
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read().decode()
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as e:
                text = e.read().decode(errors="replace")
                if e.code in (401, 403):
                    raise AuthError(e.code, text) from None
                if e.code not in RETRYABLE_STATUS:
                    raise ReporterError(f"HTTP {e.code} from {path}: {text[:200]}") from None
                last = RetryableError(f"HTTP {e.code} from {path}")
            except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError, http.client.HTTPException) as e:
                last = RetryableError(f"{type(e).__name__}: {e}")
        raise last or ReporterError("no attempt made")

    # protocol --------------------------------------------------------------------------------------
    def upsert_run(self, config: dict[str, Any] | None = None, summary: dict[str, Any] | None = None) -> dict[str, Any]:
        variables: dict[str, Any] = {
            "name": self.run_id,
            "project": self.project,
            "entity": self.entity,
            "displayName": self.display_name,
        }
        if config is not None:
            variables["config"] = json.dumps({k: {"value": v} for k, v in config.items()})
        if summary is not None:
            variables["summaryMetrics"] = json.dumps(summary)
        reply = self._post("/graphql", {"operationName": "UpsertBucket", "query": UPSERT_BUCKET, "variables": variables})
        if reply.get("errors"):
            raise ReporterError(f"UpsertBucket: {reply['errors']}")
        bucket = reply["data"]["upsertBucket"]["bucket"]
        self.entity = self.entity or bucket["project"]["entity"]["name"]
        # How many history lines the service holds. Informative only: offsets come from the caller's own row
        # numbering (the outbox), so resending from an older watermark is harmless and nothing is skipped.
        self.server_history_lines = int(bucket.get("historyLineCount") or 0)
        return bucket

    def _file_stream_path(self) -> str:
        if not self.entity:
            raise ReporterError("entity unknown: call upsert_run() first")
        return f"/files/{self.entity}/{self.project}/{self.run_id}/file_stream"

    def send_batch(self, offset: int, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """Send history rows whose first line is `offset`. Safe to repeat: the service replaces by offset."""
        content = [_json_line(row) for row in rows]
        reply = self._post(self._file_stream_path(), {"files": {HISTORY_FILE: {"offset": offset, "content": content}}})
        return reply or {}

    def push(self, rows: Sequence[dict[str, Any]], batch_size: int = 1000) -> None:
        """`rows` is the run's whole durable row list (row i is history line i). Sends rows[sent_lines:] in
        batches, advancing sent_lines only when a batch was acknowledged. A failure leaves sent_lines at the
        first unacknowledged row, so calling push again (or a new Reporter starting from 0) is safe."""
        while self.sent_lines < len(rows):
            batch = rows[self.sent_lines : self.sent_lines + batch_size]
            reply = self.send_batch(self.sent_lines, batch)
            self.sent_lines += len(batch)
            if reply.get("stopped"):
                raise ReporterError("the service asked to stop this run")

    def finish(self, exit_code: int, summary: dict[str, Any] | None = None) -> None:
        payload: dict[str, Any] = {"complete": True, "exitcode": int(exit_code)}
        if summary is not None:
            payload["files"] = {SUMMARY_FILE: {"offset": 0, "content": [_json_line(summary)]}}
        self._post(self._file_stream_path(), payload)


def with_step(rows: Iterable[dict[str, Any]], first_step: int = 0) -> list[dict[str, Any]]:
    """Rows as the W&B UI wants them: `_step` (the x axis) = line number; wandb also adds _timestamp/_runtime."""
    now = time.time()
    return [{**row, "_step": first_step + i, "_timestamp": row.get("_timestamp", now)} for i, row in enumerate(rows)]


def report_run(
    base_url: str,
    api_key: str,
    project: str,
    run_id: str,
    rows: Sequence[dict[str, Any]],
    *,
    config: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
    exit_code: int = 0,
    entity: str | None = None,
    display_name: str | None = None,
    batch_size: int = 1000,
    **kwargs: Any,
) -> Reporter:
    """Everything at once: upsert, push all rows, finish."""
    reporter = Reporter(base_url, api_key, project, run_id, entity=entity, display_name=display_name, **kwargs)
    reporter.upsert_run(config=config)
    reporter.push(with_step(rows), batch_size=batch_size)
    reporter.finish(exit_code, summary)
    return reporter


if __name__ == "__main__":  # a smoke run: python3 reference_reporter.py BASE_URL KEY PROJECT RUN_ID
    import sys

    base, key, project, run = sys.argv[1:5]
    demo = [{"step": i, "train_loss": 1 / (i + 1)} for i in range(10)]
    r = report_run(base, key, project, run, demo, config={"job_id": run}, summary={"train_loss": 0.1})
    print(f"sent {r.sent_lines} rows to {r.entity}/{project}/{run} in {r.attempts} requests")
