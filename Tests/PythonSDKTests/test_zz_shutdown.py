"""Runs last (pytest takes files in name order): the session's server stops cleanly, and nothing it wrote or
answered carries a secret value or a token."""

from __future__ import annotations


def test_server_stops_on_sigterm_with_exit_status_0(platform) -> None:
    status = platform.server.stop()
    assert status == 0, f"jobrunner serve exited {status} on SIGTERM:\n{platform.server.log()}"
    assert "Stopped; the database is closed" in platform.server.log()


def test_server_log_never_contains_a_secret_value_or_token(platform, confidential) -> None:
    assert not platform.server.running, "the log is complete only once the server has stopped"
    log = platform.server.log()
    assert confidential.found_in(log + platform.server.output()) == []
    # The log is one line per request, with the principal and never a body.
    request_lines = [line for line in log.splitlines() if line.startswith("info: request ")]
    assert request_lines and all(" principal=" in line and " status=" in line for line in request_lines)


def test_no_response_but_access_contains_a_value(platform, wire, confidential) -> None:
    # Not a vacuous scan: the SDK clients' hooks saw at least every API request this server logged (the rotation
    # servers' add more; /health is the fixture's probe and /apis/auth/discovery the SDK's own unhooked probe).
    api_requests = [
        line for line in platform.server.log().splitlines()
        if line.startswith("info: request ") and " path=/apis/secrets/" in line
    ]  # fmt: skip
    assert len(wire) >= len(api_requests)
    for exchange in wire:
        if exchange.method == "GET" and exchange.path.endswith("/access") and exchange.status == 200:
            continue
        leaked = confidential.found_in(exchange.body + repr(exchange.headers))
        assert leaked == [], f"{exchange.method} {exchange.path} → {exchange.status} carries {leaked}"


def test_nothing_was_written_to_home(private_home) -> None:
    """Neither the SDK (no nmp config, no token cache) nor the server used the private HOME the tests gave them."""
    assert sorted(path.relative_to(private_home).as_posix() for path in private_home.rglob("*")) == []
