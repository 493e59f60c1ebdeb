"""Fixtures: the real `jobrunner serve` with tokens for three roles, and official NeMo Platform SDK clients for it.

Nothing on the machine may leak into the SDK: it reads `~/.config/nmp/config.yaml`, `$XDG_CONFIG_HOME`, `NMP_*`
variables and the proxy variables, so all of those are removed and HOME points at an empty directory before any
test runs.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from jobrunner_process import JobRunnerCLI, ServeProcess, child_environment, jobrunner_binary

# --- Isolation, before any SDK client exists --------------------------------------------------------------------

_PRIVATE_HOME = Path(tempfile.mkdtemp(prefix="jobrunner-pysdk-home-"))
for _key in list(os.environ):
    if _key.startswith(("NMP_", "NEMO_")) or _key.lower().endswith("_proxy") or _key == "XDG_CONFIG_HOME":
        del os.environ[_key]
os.environ["HOME"] = str(_PRIVATE_HOME)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_PRIVATE_HOME, ignore_errors=True)


from nemo_platform import AsyncNeMoPlatform, NeMoPlatform  # noqa: E402  (after the environment is clean)

# --- What the tests sent and received ---------------------------------------------------------------------------


@dataclass
class Exchange:
    """One HTTP response an SDK client received, as recorded by an httpx event hook."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Confidential:
    """Every secret value and token the tests used: none may appear in a log line or a non-/access response."""

    values: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)

    def new_value(self, label: str = "value") -> str:
        """A fresh, unmistakable secret value, remembered for the leak scans."""
        value = f"{label}-{secrets.token_hex(16)}"
        self.values.add(value)
        return value

    def remember(self, value: str) -> str:
        self.values.add(value)
        return value

    def found_in(self, text: str) -> list[str]:
        """The remembered values and tokens that occur in `text` (tokens shown only by their first characters)."""
        leaked = [value[:24] for value in self.values if value in text]
        leaked += [f"token {token[:6]}…" for token in self.tokens if token in text]
        return leaked


@pytest.fixture(scope="session")
def confidential() -> Confidential:
    return Confidential()


@pytest.fixture(scope="session")
def wire() -> list[Exchange]:
    """Every response any SDK client of the session received, in order."""
    return []


# --- The server under test --------------------------------------------------------------------------------------


@dataclass
class Platform:
    """A running `jobrunner serve` and the principals the tests act as."""

    server: ServeProcess
    cli: JobRunnerCLI
    admin_token: str
    viewer_token: str
    editor_token: str
    #: A workspace only the platform admin may use: the pagination tests own it, so nothing else lands in it.
    pages_workspace: str = "sdk-pages"

    @property
    def base_url(self) -> str:
        return self.server.base_url


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory, confidential: Confidential) -> Iterator[Platform]:
    """A temp data dir with tokens for a PlatformAdmin, a Viewer and an Editor of `default`, and the server on it.

    The server is stopped with SIGTERM at the end and must exit 0; `test_zz_shutdown` stops it explicitly first
    so that the clean exit and the complete log are checked as tests.
    """
    root = tmp_path_factory.mktemp("platform")
    cli = JobRunnerCLI(jobrunner_binary(), root / "data", child_environment(_PRIVATE_HOME))
    admin = cli.create_token("sdk-admin")
    cli.grant("sdk-admin", "PlatformAdmin")
    viewer = cli.create_token("sdk-viewer")
    cli.grant("sdk-viewer", "Viewer", workspace="default")
    editor = cli.create_token("sdk-editor")
    cli.grant("sdk-editor", "Editor", workspace="default")
    confidential.tokens |= {admin, viewer, editor}
    platform = Platform(ServeProcess(cli, root, "serve"), cli, admin, viewer, editor)
    cli.create_workspace(platform.pages_workspace)

    platform.server.start()
    try:
        yield platform
    finally:
        if platform.server.running:
            status = platform.server.stop()
            assert status == 0, f"jobrunner serve exited {status} on SIGTERM:\n{platform.server.log()}"


# --- SDK clients ------------------------------------------------------------------------------------------------


def record_responses(client: NeMoPlatform | AsyncNeMoPlatform, wire: list[Exchange]) -> None:
    """Adds an httpx response hook to the SDK's own HTTP client; it observes and changes nothing.

    The SDK builds that client itself (with its auth hook) when given an `access_token`, so the hook is added to
    it rather than passing `http_client=`, which would bypass the SDK's token handling.
    """

    def keep(response: httpx.Response) -> None:
        wire.append(
            Exchange(
                response.request.method, response.request.url.path, response.status_code, dict(response.headers),
                response.text,
            )
        )  # fmt: skip

    def record(response: httpx.Response) -> None:
        response.read()
        keep(response)

    async def record_async(response: httpx.Response) -> None:
        await response.aread()
        keep(response)

    http_client = client._client  # the SDK's httpx client
    hooks = http_client.event_hooks
    hooks["response"] = [*hooks.get("response", []), record_async if isinstance(client, AsyncNeMoPlatform) else record]
    http_client.event_hooks = hooks


ClientFactory = Callable[..., NeMoPlatform]


@pytest.fixture(scope="session")
def private_home() -> Path:
    """The empty HOME of the tests and of every child process."""
    return _PRIVATE_HOME


@pytest.fixture(scope="session")
def connect(wire: list[Exchange]) -> ClientFactory:
    """`connect(base_url, token)`: an SDK client as a user writes it; `token=None` sends no credentials at all."""

    def make(base_url: str, token: str | None, workspace: str = "default", **options) -> NeMoPlatform:
        if token is None:
            client = NeMoPlatform(base_url=base_url, workspace=workspace, **options)
        else:
            client = NeMoPlatform(base_url=base_url, access_token=token, workspace=workspace, **options)
        record_responses(client, wire)
        return client

    return make


@pytest.fixture(scope="session")
def connect_async(wire: list[Exchange]) -> Callable[..., AsyncNeMoPlatform]:
    """`connect_async(base_url, token)`: the SDK's asyncio client."""

    def make(base_url: str, token: str, workspace: str = "default") -> AsyncNeMoPlatform:
        client = AsyncNeMoPlatform(base_url=base_url, access_token=token, workspace=workspace)
        record_responses(client, wire)
        return client

    return make


@pytest.fixture(scope="session")
def make_client(platform: Platform, connect: ClientFactory) -> ClientFactory:
    """`make_client(token)`: an SDK client of the session's server; `token=None` sends no credentials at all."""
    return lambda token, workspace="default", **options: connect(platform.base_url, token, workspace, **options)


@pytest.fixture(scope="session")
def admin(make_client: ClientFactory, platform: Platform) -> NeMoPlatform:
    """The PlatformAdmin's client."""
    return make_client(platform.admin_token)


@pytest.fixture(scope="session")
def viewer(make_client: ClientFactory, platform: Platform) -> NeMoPlatform:
    """The client of a Viewer of `default`."""
    return make_client(platform.viewer_token)


@pytest.fixture(scope="session")
def editor(make_client: ClientFactory, platform: Platform) -> NeMoPlatform:
    """The client of an Editor of `default`."""
    return make_client(platform.editor_token)


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    """`unique_name("hf")` → `hf-3f9a1c2e`: secret names that never collide between tests."""
    return lambda prefix: f"{prefix}-{secrets.token_hex(4)}"
