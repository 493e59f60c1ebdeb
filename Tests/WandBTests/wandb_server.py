#!/usr/bin/env python3
"""A Weights & Biases protocol test server (stdlib only).

Speaks enough of the W&B HTTP API for the real `wandb` client (0.31.0, whose network side is the Go
`wandb-core` binary) to log a run online against http://127.0.0.1:PORT, and records what it received so
tests can compare it:

  POST /graphql                                   GraphQL (Viewer, UpsertBucket, CreateRunFiles, ...)
  POST /files/{entity}/{project}/{run}/file_stream history / summary / events / console lines, complete
  PUT  /upload/{entity}/{project}/{run}/{file}     file upload (the uploadUrl handed out by CreateRunFiles)

Test-only endpoints (no auth, never subject to faults), all JSON:

  GET  /_test/runs              every run stored, keyed "entity/project/run"
  GET  /_test/runs/{e}/{p}/{r}  one run (404 when unknown)
  GET  /_test/requests          the request log (method, path, operation, status, auth user)
  GET  /_test/faults            current fault switches
  POST /_test/faults            set fault switches (body: a JSON object, keys as in Faults below)
  POST /_test/down              body {"seconds": N}: stop listening (connection refused, kept-alive
                                connections dropped) right after this reply, listen again N seconds later
  POST /_test/reset             forget runs, requests and faults

Auth: HTTP Basic, user "api", password = one of the accepted keys (401 otherwise). Upload URLs carry no
credentials (as the real service's pre-signed URLs), so PUT /upload/... is not checked.

Use in-process (WandBServer(...).start() / .stop() / .restart(), state survives restart) or as a
program: `python3 wandb_server.py --port 0 --key KEY [--state FILE]`; it prints `listening on
http://127.0.0.1:PORT` once ready and serves until SIGTERM/SIGINT. With --state every change is appended to
FILE (a JSON-lines journal) and replayed at start, so a test can SIGKILL the process (connection refused) and
start it again on the same port and file without losing what it had stored.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import gzip
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote, urlsplit

DEFAULT_KEY = "local-" + "0123456789abcdef" * 3  # 54 chars: a valid online key for wandb's own check
DEFAULT_ENTITY = "testuser"

HISTORY_FILE = "wandb-history.jsonl"
SUMMARY_FILE = "wandb-summary.json"
EVENTS_FILE = "wandb-events.jsonl"
OUTPUT_FILE = "output.log"

FAULT_KEYS = {
    "fail_next",  # int: the next N (non-/_test) requests get fail_next_status without being processed
    "fail_next_status",  # int, default 503
    "fail_every",  # int: every Nth request (counted from when this was set) gets fail_every_status
    "fail_every_status",  # int, default 500
    "fail_after_apply",  # bool: a failing request is processed (stored) first and only then answered
    # with the error, i.e. the client's request succeeded but its reply was lost
    "delay",  # float seconds: every reply is held back this long
    "auth_status",  # null | 401 | 403: refuse every authenticated request with this status
    "paths",  # null | list of path prefixes the faults apply to ("/graphql", "/files/"); null = all
    "body_contains",  # null | string: faults apply only to requests whose body contains it
    # (e.g. "wandb-history.jsonl" = file_stream requests that carry history lines)
    "stop_runs",  # bool: file_stream replies {"stopped": true} (the service asking the client to stop)
}


class Faults:
    """Fault switches. All counters are guarded by the store lock."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.fail_next = 0
        self.fail_next_status = 503
        self.fail_every = 0
        self.fail_every_status = 500
        self.fail_after_apply = False
        self.delay = 0.0
        self.auth_status: int | None = None
        self.paths: list[str] | None = None
        self.body_contains: str | None = None
        self.stop_runs = False
        self._counter = 0  # requests seen since fail_every was set

    def update(self, values: dict[str, Any]) -> None:
        unknown = set(values) - FAULT_KEYS
        if unknown:
            raise ValueError(f"unknown fault switches: {sorted(unknown)}")
        for key, value in values.items():
            setattr(self, key, value)
        if "fail_every" in values:
            self._counter = 0

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in sorted(FAULT_KEYS)}

    def applies_to(self, path: str, body: bytes = b"") -> bool:
        if self.paths is not None and not any(path.startswith(prefix) for prefix in self.paths):
            return False
        return self.body_contains is None or self.body_contains.encode() in body

    def failure_for(self, path: str, body: bytes) -> int | None:
        """The status to fail this request with, or None. Consumes fail_next / advances fail_every."""
        if not self.applies_to(path, body):
            return None
        if self.fail_next > 0:
            self.fail_next -= 1
            return int(self.fail_next_status)
        if self.fail_every > 0:
            self._counter += 1
            if self._counter % self.fail_every == 0:
                return int(self.fail_every_status)
        return None


class LineFile:
    """A file_stream file kept the way the service keeps it: line N is whatever was last sent for offset N.

    A chunk {"offset": o, "content": [l0, l1, ...]} sets lines o, o+1, ...; a resend of an offset replaces the
    line there, never appends a second copy. A chunk starting past the end leaves a gap (recorded)."""

    def __init__(self) -> None:
        self.lines: list[str | None] = []
        self.replaced = 0  # lines written to an offset that already had one
        self.changed = 0  # ... of which the content differed
        self.gaps: list[list[int]] = []  # [lines held, offset received] for each chunk that started past the end
        self.chunks = 0

    def apply(self, offset: int, content: list[str]) -> None:
        self.chunks += 1
        if offset > len(self.lines):
            self.gaps.append([len(self.lines), offset])
            self.lines.extend([None] * (offset - len(self.lines)))
        for i, line in enumerate(content):
            index = offset + i
            if index < len(self.lines):
                self.replaced += 1
                if self.lines[index] != line:
                    self.changed += 1
                self.lines[index] = line
            else:
                self.lines.append(line)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "replaced": self.replaced,
            "changed": self.changed,
            "gaps": self.gaps,
            "chunks": self.chunks,
        }


def _json_or_raw(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


class Run:
    def __init__(self, entity: str, project: str, name: str) -> None:
        self.entity = entity
        self.project = project
        self.name = name
        self.storage_id = base64.b64encode(f"Run:v1:{name}:{project}:{entity}".encode()).decode()
        self.display_name: str | None = None
        self.config: Any = None  # parsed UpsertBucket config JSONString, as last sent
        self.summary_metrics: Any = None  # from UpsertBucket summaryMetrics, parsed
        self.upserts: list[dict[str, Any]] = []  # every UpsertBucket's variables
        self.files: dict[str, LineFile] = {}
        self.summary: Any = None  # the last wandb-summary.json line from file_stream, parsed
        self.complete = False
        self.exitcode: int | None = None
        self.preempting = False
        self.uploaded: list[str] = []  # the "uploaded" file names file_stream reported
        self.uploads: dict[str, int] = {}  # PUT /upload/... file name -> bytes
        self.file_stream_requests = 0
        self.dropped = 0
        self.created_at = time.time()

    def file(self, name: str) -> LineFile:
        if name not in self.files:
            self.files[name] = LineFile()
        return self.files[name]

    def history_rows(self) -> list[Any]:
        lf = self.files.get(HISTORY_FILE)
        return [] if lf is None else [None if line is None else _json_or_raw(line) for line in lf.lines]

    def as_dict(self) -> dict[str, Any]:
        history = self.files.get(HISTORY_FILE) or LineFile()
        return {
            "entity": self.entity,
            "project": self.project,
            "name": self.name,
            "storage_id": self.storage_id,
            "display_name": self.display_name,
            "config": self.config,
            "summary_metrics": self.summary_metrics,
            "summary": self.summary,
            "history": self.history_rows(),
            "history_line_count": len(history.lines),
            "history_replaced": history.replaced,
            "history_changed": history.changed,
            "history_gaps": history.gaps,
            "complete": self.complete,
            "exitcode": self.exitcode,
            "preempting": self.preempting,
            "uploaded": self.uploaded,
            "uploads": self.uploads,
            "file_stream_requests": self.file_stream_requests,
            "dropped": self.dropped,
            "files": {k: v.as_dict() for k, v in self.files.items()},
            "upserts": self.upserts,
            "created_at": self.created_at,
        }


class Store:
    """Everything the server stored. Every change is one event applied by `apply`; with a state file the
    events are appended to it as JSON lines (a journal) and replayed at start, so a killed server process
    restarted on the same file has all it had (a line cut short by the kill is ignored)."""

    def __init__(self, keys: dict[str, str], state_path: str | None = None) -> None:
        self.lock = threading.RLock()
        self.keys = dict(keys)  # api key -> username (= default entity)
        self.state_path = state_path
        self.faults = Faults()
        self.runs: dict[str, Run] = {}
        self.requests: list[dict[str, Any]] = []
        self.unknown_operations: list[str] = []
        self._journal = None
        if state_path:
            if os.path.exists(state_path):
                with open(state_path, "rb+") as f:
                    data = f.read()
                    complete = data[: data.rfind(b"\n") + 1]  # drop a last line cut short by a kill
                    f.truncate(len(complete))
                for line in complete.decode("utf-8").splitlines():
                    self.apply(json.loads(line), journal=False)
            self._journal = open(state_path, "a", encoding="utf-8")

    def close(self) -> None:
        with self.lock:
            if self._journal is not None:
                self._journal.close()
                self._journal = None

    def apply(self, event: dict[str, Any], journal: bool = True) -> Any:
        with self.lock:
            kind = event["kind"]
            result: Any = None
            if kind == "upsert":
                result = self._apply_upsert(event["entity"], event["project"], event["name"], event["vars"])
            elif kind == "file_stream":
                result = self._apply_file_stream(event["entity"], event["project"], event["name"], event["request"])
            elif kind == "upload":
                run = self.run(event["entity"], event["project"], event["name"])
                assert run is not None
                run.uploads[event["file"]] = event["bytes"]
            elif kind == "request":
                self.requests.append(event["entry"])
            elif kind == "unknown_operation":
                self.unknown_operations.append(event["name"])
            else:
                raise ValueError(f"unknown event {kind!r}")
            if journal and self._journal is not None:
                self._journal.write(json.dumps(event) + "\n")
                self._journal.flush()  # in the OS: survives a SIGKILL of this process
            return result

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "runs": {key: run.as_dict() for key, run in self.runs.items()},
                "requests": list(self.requests),
                "unknown_operations": list(self.unknown_operations),
            }

    def reset(self) -> None:
        with self.lock:
            self.runs.clear()
            self.requests.clear()
            self.unknown_operations.clear()
            self.faults.reset()
            if self._journal is not None:
                self._journal.truncate(0)
                self._journal.seek(0)

    def run(self, entity: str, project: str, name: str, create: bool = True) -> Run | None:
        key = f"{entity}/{project}/{name}"
        with self.lock:
            if key not in self.runs and create:
                self.runs[key] = Run(entity, project, name)
            return self.runs.get(key)

    def _apply_upsert(self, entity: str, project: str, name: str, v: dict[str, Any]) -> tuple[Run, bool]:
        inserted = f"{entity}/{project}/{name}" not in self.runs
        run = self.run(entity, project, name)
        assert run is not None
        run.upserts.append(dict(v))
        if v.get("displayName") is not None:
            run.display_name = v["displayName"]
        elif run.display_name is None:
            run.display_name = run.name
        if v.get("config") is not None:
            run.config = _json_or_raw(v["config"])  # the client always sends the whole config
        if v.get("summaryMetrics") is not None:
            run.summary_metrics = _json_or_raw(v["summaryMetrics"])
        return run, inserted

    def _apply_file_stream(self, entity: str, project: str, name: str, request: dict[str, Any]) -> None:
        run = self.run(entity, project, name)
        assert run is not None
        run.file_stream_requests += 1
        for filename, chunk in (request.get("files") or {}).items():
            offset = int(chunk.get("offset", 0))
            content = chunk.get("content") or []
            if isinstance(content, str):
                content = [content]
            run.file(filename).apply(offset, content)
            if filename == SUMMARY_FILE and content:
                # the service keeps the latest summary; the client sends the whole of it each time
                run.summary = _json_or_raw(content[-1])
        if request.get("complete"):
            run.complete = True
            run.exitcode = request.get("exitcode")
        if request.get("preempting"):
            run.preempting = True
        if request.get("dropped"):
            run.dropped += int(request["dropped"])
        for filename in request.get("uploaded") or []:
            if filename not in run.uploaded:
                run.uploaded.append(filename)


# --------------------------------------------------------------------------------------------------
# GraphQL: the operations wandb-core 0.31.0 sends, answered with the fields its queries select.
# --------------------------------------------------------------------------------------------------


class GraphQLError(Exception):
    pass


def _entity_id(name: str) -> str:
    return base64.b64encode(f"Entity:{name}".encode()).decode()


def _project_id(entity: str, project: str) -> str:
    return base64.b64encode(f"Project:{entity}:{project}".encode()).decode()


class GraphQL:
    def __init__(self, store: Store, base_url: str) -> None:
        self.store = store
        self.base_url = base_url

    def execute(self, user: str, body: dict[str, Any]) -> dict[str, Any]:
        op = body.get("operationName") or _operation_name(body.get("query", ""))
        variables = body.get("variables") or {}
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            self.store.apply({"kind": "unknown_operation", "name": op or "<anonymous>"})
            return {"data": None, "errors": [{"message": f"test server: unsupported operation {op!r}"}]}
        try:
            return {"data": handler(user, variables)}
        except GraphQLError as e:
            return {"data": None, "errors": [{"message": str(e)}]}

    # identity ----------------------------------------------------------------------------------
    def op_Viewer(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {
            "viewer": {
                "id": base64.b64encode(f"User:{user}".encode()).decode(),
                "entity": user,
                "username": user,
                "email": f"{user}@example.invalid",
                "flags": "{}",
                "teams": {"edges": []},
            }
        }

    def op_ServerFeaturesQuery(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"serverInfo": {"features": []}}

    def op_ServerInfo(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {
            "serverInfo": {
                "cliVersionInfo": {},
                "latestLocalVersionInfo": None,
                "features": [],
            }
        }

    def op_OrganizationCoreWeaveOrganizationID(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"entity": {"organization": None}}

    def op_FetchOrgEntityFromEntity(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"entity": {"organization": None}}

    def op_OrgFeatureFlags(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"organization": {"featureFlags": []}}

    def op_XXHashDigestsEnabled(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"entity": {"xxhashDigestsEnabled": False}}

    # runs --------------------------------------------------------------------------------------
    def _bucket(self, run: Run) -> dict[str, Any]:
        history = run.files.get(HISTORY_FILE)
        return {
            "id": run.storage_id,
            "name": run.name,
            "displayName": run.display_name,
            "description": None,
            "config": json.dumps(run.config if run.config is not None else {}),
            "sweepName": None,
            "project": {
                "id": _project_id(run.entity, run.project),
                "name": run.project,
                "entity": {"id": _entity_id(run.entity), "name": run.entity},
            },
            "historyLineCount": len(history.lines) if history else 0,
        }

    def op_UpsertBucket(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        entity = v.get("entity") or user
        project = v.get("project") or "uncategorized"
        name = v.get("name")
        with self.store.lock:
            if not name and v.get("id"):  # an update by storage id
                existing = next((r for r in self.store.runs.values() if r.storage_id == v["id"]), None)
                if existing is None:
                    raise GraphQLError(f"run with id {v['id']!r} not found")
                entity, project, name = existing.entity, existing.project, existing.name
            if not name:  # the service names runs it is not given a name for
                name = "".join(f"{b:02x}" for b in os.urandom(4))
            run, inserted = self.store.apply(
                {"kind": "upsert", "entity": entity, "project": project, "name": name, "vars": v}
            )
            bucket = self._bucket(run)
        return {"upsertBucket": {"bucket": bucket, "inserted": inserted}}

    def op_RunResumeStatus(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        entity = v.get("entity") or user
        project = v.get("project") or "uncategorized"
        with self.store.lock:
            run = self.store.run(entity, project, v["name"], create=False)
            bucket = None
            if run is not None:
                history = run.files.get(HISTORY_FILE) or LineFile()
                events = run.files.get(EVENTS_FILE) or LineFile()
                logs = run.files.get(OUTPUT_FILE) or LineFile()
                bucket = {
                    "id": run.storage_id,
                    "name": run.name,
                    "summaryMetrics": json.dumps(run.summary if run.summary is not None else {}),
                    "displayName": run.display_name,
                    "logLineCount": len(logs.lines),
                    "historyLineCount": len(history.lines),
                    "eventsLineCount": len(events.lines),
                    "historyTail": json.dumps([line for line in history.lines[-10:] if line is not None]),
                    "eventsTail": json.dumps([line for line in events.lines[-10:] if line is not None]),
                    "config": json.dumps(run.config if run.config is not None else {}),
                    "tags": [],
                    "notes": None,
                    "wandbConfig": json.dumps({"t": ((run.config or {}).get("_wandb") or {}).get("value", {}).get("t")})
                    if isinstance(run.config, dict)
                    else "{}",
                }
        return {
            "model": {
                "id": _project_id(entity, project),
                "name": project,
                "entity": {"id": _entity_id(entity), "name": entity},
                "bucket": bucket,
            }
        }

    def op_RunStoppedStatus(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"project": {"run": {"stopped": bool(self.store.faults.stop_runs)}}}

    def op_RunState(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            run = self.store.run(v.get("entity") or user, v.get("project"), v.get("run"), create=False)
            if run is None:
                return {"project": {"run": None}}
            return {
                "project": {
                    "run": {"id": run.storage_id, "state": "finished" if run.complete else "running"}
                }
            }

    def op_CreateRunFiles(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        entity, project, name = v["entity"], v["project"], v["run"]
        run = self.store.run(entity, project, name, create=False)
        storage_id = run.storage_id if run else Run(entity, project, name).storage_id
        prefix = f"{self.base_url}/upload/{quote(entity, safe='')}/{quote(project, safe='')}/{quote(name, safe='')}"
        return {
            "createRunFiles": {
                "runID": storage_id,
                "uploadHeaders": [],
                "files": [{"name": f, "uploadUrl": f"{prefix}/{quote(f, safe='/')}"} for f in v["files"]],
            }
        }

    def op_MarkRunFilesUploaded(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"markRunFilesUploaded": {"success": True}}

    def op_StopRun(self, user: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"stopRun": {"success": True}}


def _operation_name(query: str) -> str | None:
    m = re.search(r"\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)", query or "")
    return m.group(1) if m else None


# --------------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------------

_FILE_STREAM = re.compile(r"^/files/([^/]+)/([^/]+)/([^/]+)/file_stream$")
_UPLOAD = re.compile(r"^/upload/([^/]+)/([^/]+)/([^/]+)/(.+)$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_HTTPServer"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr access log
        if self.server.verbose:
            super().log_message(format, *args)

    # plumbing ----------------------------------------------------------------------------------
    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            body = b"".join(chunks)
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "").lower()
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        return body

    def _reply(self, status: int, payload: Any = None, content_type: str = "application/json") -> None:
        body = b"" if payload is None else (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
        self._status = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout) before the reply
            self.close_connection = True

    def _auth_user(self) -> tuple[str | None, str | None]:
        """(username for a valid key, the Basic user as sent) — username None when refused."""
        header = self.headers.get("Authorization", "")
        if not header.lower().startswith("basic "):
            return None, None
        try:
            user, _, key = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        if user != "api":
            return None, user
        return self.server.store.keys.get(key), user

    def _record(self, entry: dict[str, Any]) -> None:
        self.server.store.apply({"kind": "request", "entry": entry})

    # dispatch ----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        path = unquote(urlsplit(self.path).path)
        try:
            body = self._read_body()
        except (OSError, ValueError, EOFError) as e:
            self._reply(400, {"error": f"bad request body: {e}"})
            return
        if path.startswith("/_test/"):
            self._test_api(path, body)
            return
        entry: dict[str, Any] = {"time": time.time(), "method": self.command, "path": path}
        if path == "/graphql":
            try:
                request = json.loads(body or b"{}")
                entry["operation"] = request.get("operationName") or _operation_name(request.get("query", ""))
            except ValueError:
                pass
        try:
            self._serve(path, body, entry)
        finally:
            entry["status"] = getattr(self, "_status", None)
            self._record(entry)

    def _serve(self, path: str, body: bytes, entry: dict[str, Any]) -> None:
        store = self.server.store
        faults = store.faults
        with store.lock:
            delay = float(faults.delay) if faults.applies_to(path, body) else 0.0
            failure = faults.failure_for(path, body)
            after_apply = bool(faults.fail_after_apply)
            auth_status = faults.auth_status if faults.applies_to(path, body) else None
        if delay:
            time.sleep(delay)
        if failure is not None and not after_apply:
            entry["fault"] = failure
            self._reply(failure, {"errors": [{"message": f"test server: injected {failure}"}]})
            return

        is_upload = self.command == "PUT" and _UPLOAD.match(path)
        if not is_upload:
            user, basic_user = self._auth_user()
            entry["auth_user"] = basic_user
            if auth_status:
                entry["fault"] = auth_status
                self._reply(int(auth_status), {"errors": [{"message": "test server: refused (fault switch)"}]})
                return
            if user is None:
                self._reply(401, {"errors": [{"message": "user is not logged in"}]})
                return
        else:
            user = None

        status, payload = self._route(path, body, user, entry)
        if failure is not None:  # processed, but the client is told it failed
            entry["fault"] = failure
            self._reply(failure, {"errors": [{"message": f"test server: injected {failure} after apply"}]})
            return
        self._reply(status, payload)

    def _route(self, path: str, body: bytes, user: str | None, entry: dict[str, Any]) -> tuple[int, Any]:
        store = self.server.store
        if path == "/graphql" and self.command == "POST":
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                return 400, {"errors": [{"message": "body is not JSON"}]}
            entry["operation"] = request.get("operationName") or _operation_name(request.get("query", ""))
            entry["variables"] = request.get("variables")
            assert user is not None
            return 200, self.server.graphql.execute(user, request)

        m = _FILE_STREAM.match(path)
        if m and self.command == "POST":
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                return 400, {"error": "body is not JSON"}
            entry["file_stream"] = request
            return 200, self._file_stream(*m.groups(), request)

        m = _UPLOAD.match(path)
        if m and self.command == "PUT":
            entity, project, name, filename = m.groups()
            store.apply({"kind": "upload", "entity": entity, "project": project, "name": name, "file": filename,
                         "bytes": len(body)})
            entry["bytes"] = len(body)
            return 200, b""

        return 404, {"errors": [{"message": f"test server: no route for {self.command} {path}"}]}

    def _file_stream(self, entity: str, project: str, name: str, request: dict[str, Any]) -> dict[str, Any]:
        store = self.server.store
        store.apply({"kind": "file_stream", "entity": entity, "project": project, "name": name, "request": request})
        reply: dict[str, Any] = {"exitcode": None, "limits": {}}
        if store.faults.stop_runs:
            reply["stopped"] = True
        return reply

    # test API ----------------------------------------------------------------------------------
    def _test_api(self, path: str, body: bytes) -> None:
        store = self.server.store
        parts = [p for p in path.split("/") if p][1:]
        if self.command == "GET" and parts == ["runs"]:
            self._reply(200, store.snapshot()["runs"])
        elif self.command == "GET" and len(parts) == 4 and parts[0] == "runs":
            run = store.run(*parts[1:], create=False)
            self._reply(200, run.as_dict()) if run else self._reply(404, {"error": "no such run"})
        elif self.command == "GET" and parts == ["requests"]:
            snap = store.snapshot()
            self._reply(200, {"requests": snap["requests"], "unknown_operations": snap["unknown_operations"]})
        elif parts == ["faults"] and self.command == "GET":
            with store.lock:
                self._reply(200, store.faults.as_dict())
        elif parts == ["faults"] and self.command == "POST":
            try:
                values = json.loads(body or b"{}")
                with store.lock:
                    store.faults.update(values)
                    faults = store.faults.as_dict()
                self._reply(200, faults)
            except ValueError as e:
                self._reply(400, {"error": str(e)})
        elif parts == ["down"] and self.command == "POST":
            try:
                seconds = float(json.loads(body or b"{}").get("seconds", 1.0))
            except (ValueError, AttributeError) as e:
                self._reply(400, {"error": f"body must be {{\"seconds\": N}}: {e}"})
                return
            owner = self.server.owner
            self.close_connection = True
            self._reply(200, {"down_for": seconds})
            threading.Thread(target=owner.go_down, args=(seconds,), daemon=True).start()
        elif parts == ["reset"] and self.command == "POST":
            store.reset()
            self._reply(200, {"ok": True})
        else:
            self._reply(404, {"error": f"no test route {self.command} {path}"})


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store: Store, verbose: bool) -> None:
        super().__init__(address, Handler)
        self.store = store
        self.verbose = verbose
        host, port = self.server_address[:2]
        self.graphql = GraphQL(store, f"http://{host}:{port}")
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(request)

    def close_connections(self) -> None:
        """Drop kept-alive client connections too, so that a stopped server is really gone for the client."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.time() + 5  # let their handlers end, so nothing is recorded after stop() returns
        while time.time() < deadline:
            with self._connections_lock:
                if not self._connections:
                    return
            time.sleep(0.01)


class WandBServer:
    """In-process server. `stop()` closes the socket (clients then get connection refused); `start()` again
    listens on the same port with the same stored state."""

    def __init__(
        self,
        port: int = 0,
        keys: dict[str, str] | None = None,
        host: str = "127.0.0.1",
        state_path: str | None = None,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.store = Store(keys or {DEFAULT_KEY: DEFAULT_ENTITY}, state_path)
        self.verbose = verbose
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "WandBServer":
        self._httpd = _HTTPServer((self.host, self.port), self.store, self.verbose)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="wandb-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd.close_connections()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def go_down(self, seconds: float) -> None:
        """Connection refused for `seconds`, then back on the same port with the same state."""
        time.sleep(0.05)  # let the /_test/down reply reach its caller
        self.stop()
        time.sleep(seconds)
        self.start()

    def __enter__(self) -> "WandBServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
        self.store.close()

    # conveniences for in-process tests (the same data as the /_test endpoints)
    def runs(self) -> dict[str, Any]:
        return self.store.snapshot()["runs"]

    def get_run(self, entity: str, project: str, name: str) -> dict[str, Any] | None:
        run = self.store.run(entity, project, name, create=False)
        return None if run is None else run.as_dict()

    def requests(self) -> list[dict[str, Any]]:
        return self.store.snapshot()["requests"]

    def unknown_operations(self) -> list[str]:
        return self.store.snapshot()["unknown_operations"]

    def set_faults(self, **values: Any) -> None:
        with self.store.lock:
            self.store.faults.update(values)

    def clear_faults(self) -> None:
        with self.store.lock:
            self.store.faults.reset()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port (printed)")
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        help="accepted API key, optionally KEY=USERNAME (repeatable; default: the built-in test key)",
    )
    parser.add_argument("--entity", default=DEFAULT_ENTITY, help="username for keys given without =USERNAME")
    parser.add_argument("--state", help="journal file (JSON lines) replayed at start and appended to")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    keys = {}
    for spec in args.key or [DEFAULT_KEY]:
        key, _, user = spec.partition("=")
        keys[key] = user or args.entity
    server = WandBServer(args.port, keys, args.host, args.state, args.verbose).start()
    print(f"listening on {server.base_url}", flush=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    server.stop()
    server.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
