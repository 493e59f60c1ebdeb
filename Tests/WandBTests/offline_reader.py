"""Read what a wandb client wrote offline: `$WANDB_DIR/wandb/offline-run-<time>-<id>/run-<id>.wandb`.

The file is a LevelDB-style log (the format wandb <= 0.29 read with sdk/internal/datastore.py, which 0.31.0 no
longer ships): a 7-byte header (":W&B", magic 0xBEE1 little-endian, version 0), then 32 KiB blocks of records
`crc32(type byte + data) u32le, length u16le, type u8 (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST), data`; a block tail
shorter than 7 bytes is zero padding. Each reassembled payload is one `wandb.proto.wandb_internal_pb2.Record`.

The framing is read with the standard library only; decoding the records needs the `wandb` package (for its
protobuf classes) in the interpreter that calls `read_offline_run` / `records`.

    run = read_offline_run(find_offline_run_files(wandb_dir)[0])
    run.project, run.run_id, run.history  # [{"train_loss": ..., "_step": 0, ...}, ...]
"""

from __future__ import annotations

import glob
import json
import os
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterator

HEADER_LEN = 7
BLOCK_LEN = 32768
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4
IDENT = b":W&B"
MAGIC = 0xBEE1
VERSION = 0


class CorruptFile(Exception):
    pass


def find_offline_run_files(wandb_dir: str) -> list[str]:
    """Every offline run file under a WANDB_DIR (or under its `wandb/` folder), oldest first."""
    patterns = [
        os.path.join(wandb_dir, "wandb", "offline-run-*", "run-*.wandb"),
        os.path.join(wandb_dir, "offline-run-*", "run-*.wandb"),
    ]
    return sorted({p for pattern in patterns for p in glob.glob(pattern)})


def payloads(path: str, *, allow_truncated_tail: bool = True) -> Iterator[bytes]:
    """The raw record payloads of a .wandb file, checked against their CRCs.

    A run still being written (or killed mid-write) can end in a partial record; with allow_truncated_tail
    that tail is ignored, as wandb's own reader does, instead of raising CorruptFile."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < HEADER_LEN:
        raise CorruptFile(f"{path}: shorter than the header")
    ident, magic, version = struct.unpack("<4sHB", data[:HEADER_LEN])
    if ident != IDENT or magic != MAGIC or version != VERSION:
        raise CorruptFile(f"{path}: not a W&B log (ident={ident!r} magic={magic:#x} version={version})")
    pos = HEADER_LEN
    pending: bytes | None = None
    while pos < len(data):
        space = BLOCK_LEN - pos % BLOCK_LEN
        if space < HEADER_LEN:  # trailer padding
            pos += space
            continue
        if pos + HEADER_LEN > len(data):
            if allow_truncated_tail:
                return
            raise CorruptFile(f"{path}: truncated record header at {pos}")
        checksum, length, kind = struct.unpack("<IHB", data[pos : pos + HEADER_LEN])
        body = data[pos + HEADER_LEN : pos + HEADER_LEN + length]
        if len(body) < length:
            if allow_truncated_tail:
                return
            raise CorruptFile(f"{path}: truncated record at {pos}")
        if zlib.crc32(body, zlib.crc32(bytes([kind]))) & 0xFFFFFFFF != checksum:
            raise CorruptFile(f"{path}: bad checksum at {pos}")
        pos += HEADER_LEN + length
        if kind == FULL:
            yield body
        elif kind == FIRST:
            pending = body
        elif kind == MIDDLE and pending is not None:
            pending += body
        elif kind == LAST and pending is not None:
            yield pending + body
            pending = None
        else:
            raise CorruptFile(f"{path}: unexpected record type {kind} at {pos}")


def records(path: str) -> Iterator[Any]:
    """The file's records as wandb_internal_pb2.Record messages."""
    from wandb.proto import wandb_internal_pb2  # needs the pinned wandb in this interpreter

    for payload in payloads(path):
        record = wandb_internal_pb2.Record()
        record.ParseFromString(payload)
        yield record


def _item_key(item: Any) -> str:
    return ".".join(item.nested_key) if item.nested_key else item.key


def _item_value(item: Any) -> Any:
    """A history/summary/config item's value; 0.31 may set a typed field instead of value_json."""
    kind = item.WhichOneof("value") if "value" in {o.name for o in item.DESCRIPTOR.oneofs} else None
    if kind in ("integer", "number", "text", "boolean"):
        return getattr(item, kind)
    if kind == "none":
        return None
    if kind == "json":
        return json.loads(item.json)
    return json.loads(item.value_json) if item.value_json else None


@dataclass
class OfflineRun:
    path: str
    run_id: str = ""
    project: str = ""
    entity: str = ""
    display_name: str = ""
    config: dict[str, Any] = field(default_factory=dict)  # user keys -> value (no {"value": ...} wrapper)
    history: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    exit_code: int | None = None
    record_types: dict[str, int] = field(default_factory=dict)

    def metric(self, name: str) -> list[Any]:
        return [row[name] for row in self.history if name in row]


def read_offline_run(path: str) -> OfflineRun:
    """Project, run id, config, history rows, summary and exit code of one offline run file."""
    run = OfflineRun(path=path)
    for record in records(path):
        kind = record.WhichOneof("record_type")
        run.record_types[kind] = run.record_types.get(kind, 0) + 1
        if kind == "run":
            r = record.run
            run.run_id = r.run_id or run.run_id
            run.project = r.project or run.project
            run.entity = r.entity or run.entity
            run.display_name = r.display_name or run.display_name
            for item in r.config.update:
                run.config[_item_key(item)] = _item_value(item)
        elif kind == "config":
            for item in record.config.update:
                run.config[_item_key(item)] = _item_value(item)
            for item in record.config.remove:
                run.config.pop(_item_key(item), None)
        elif kind == "history":
            run.history.append({_item_key(item): _item_value(item) for item in record.history.item})
        elif kind == "summary":
            for item in record.summary.update:
                run.summary[_item_key(item)] = _item_value(item)
            for item in record.summary.remove:
                run.summary.pop(_item_key(item), None)
        elif kind == "exit":
            run.exit_code = record.exit.exit_code
    run.config.pop("_wandb", None)
    return run


def user_keys(row: dict[str, Any]) -> dict[str, Any]:
    """A history/summary row without wandb's own keys (_step, _runtime, _timestamp, _wandb...)."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def check_offline_run(
    wandb_dir: str,
    *,
    project: str,
    run_id: str,
    rows: list[dict[str, Any]] | None = None,
    config: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
    exit_code: int | None = 0,
) -> OfflineRun:
    """Assert that exactly one offline run was written under wandb_dir (a child's WANDB_DIR), that it is named
    run-<run_id>.wandb in an offline-run-*-<run_id> folder, and that it holds this project, run id, the logged
    rows (their user keys, in order, once each), the config and summary items given, and the exit code."""
    files = find_offline_run_files(wandb_dir)
    assert len(files) == 1, f"expected one offline run under {wandb_dir}, found {files}"
    path = files[0]
    assert os.path.basename(path) == f"run-{run_id}.wandb", path
    assert os.path.basename(os.path.dirname(path)).endswith(f"-{run_id}"), path
    run = read_offline_run(path)
    assert run.project == project, (run.project, project)
    assert run.run_id == run_id, (run.run_id, run_id)
    if rows is not None:
        got = [user_keys(row) for row in run.history]
        assert got == rows, f"history differs:\n got {got}\nwant {rows}"
        assert [row.get("_step") for row in run.history] == list(range(len(rows)))
    for key, value in (config or {}).items():
        assert run.config.get(key) == value, (key, run.config.get(key), value)
    for key, value in (summary or {}).items():
        assert run.summary.get(key) == value, (key, run.summary.get(key), value)
    if exit_code is not None:
        assert run.exit_code == exit_code, (run.exit_code, exit_code)
    return run
