"""`client.secrets.admin.rotate_encryption_keys()` re-wrapping real secrets: stored under provider v1, rotated to v2.

A server of its own: its data dir holds secrets sealed while v1 was current, then the config makes v2 (read from
the environment) current. After the rotation the old key is removed and every value must still be readable.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from nemo_platform._exceptions import PermissionDeniedError
from nemo_platform.types.secrets import PlatformSecretAdminRotationResponse

from jobrunner_process import JobRunnerCLI, ServeProcess, child_environment, jobrunner_binary

SEALED_UNDER_V1 = 7


def write_config(path: Path, current: str, providers: dict[str, str]) -> None:
    """The platform config's shape (README, "Encryption keys and rotation"); `providers` maps name → YAML flow map."""
    lines = ["secrets:", "  encryption:", f"    current_provider: {current}", "    providers:", "      secret_key:"]
    lines += [f"        {name}: {provider}" for name, provider in providers.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


@dataclass
class RotationPlatform:
    cli: JobRunnerCLI
    config: Path
    v1_provider: str
    v2_provider: str
    admin_token: str
    values: dict[str, str]  # name → value, all sealed under v1
    servers: list[ServeProcess]

    def start_server(self, log_directory: Path) -> ServeProcess:
        server = ServeProcess(self.cli, log_directory, f"rotation-serve-{len(self.servers) + 1}")
        self.servers.append(server)
        server.start()
        return server


@pytest.fixture(scope="module")
def rotation(tmp_path_factory: pytest.TempPathFactory, private_home: Path, confidential) -> Iterator[RotationPlatform]:
    root = tmp_path_factory.mktemp("rotation")
    data_dir = root / "data"
    data_dir.mkdir(mode=0o700)
    v1_key = base64.b64encode(os.urandom(32)).decode()
    v2_key = base64.b64encode(os.urandom(32)).decode()
    confidential.values |= {v1_key, v2_key}
    cli = JobRunnerCLI(jobrunner_binary(), data_dir, child_environment(private_home, {"NEW_ENCRYPTION_KEY": v2_key}))
    config = data_dir / "config.yaml"  # found there without --config
    v1 = f'{{ value: "{v1_key}" }}'
    v2 = "{ from_env: NEW_ENCRYPTION_KEY }"

    write_config(config, "v1", {"v1": v1})
    values = {f"rot-{index:02d}": confidential.new_value("rotated") for index in range(SEALED_UNDER_V1)}
    for name, value in values.items():
        cli.create_secret(name, value, description=f"sealed under v1 ({name})")

    write_config(config, "v2", {"v1": v1, "v2": v2})
    admin_token = cli.create_token("rotation-admin")
    cli.grant("rotation-admin", "PlatformAdmin")
    confidential.tokens.add(admin_token)

    platform = RotationPlatform(cli, config, v1, v2, admin_token, values, [])
    platform.start_server(root)
    try:
        yield platform
    finally:
        for server in platform.servers:
            if server.running:
                server.stop()


def test_values_under_v1_are_readable_while_v2_is_current(rotation: RotationPlatform, connect) -> None:
    client = connect(rotation.servers[0].base_url, rotation.admin_token)
    for name, value in rotation.values.items():
        assert client.secrets.access(name).value == value


def test_rotation_rewraps_every_secret_sealed_under_the_old_provider(
    rotation: RotationPlatform, connect, confidential
) -> None:
    client = connect(rotation.servers[0].base_url, rotation.admin_token)
    # A secret created now is sealed under v2 already: the rotation must not count it.
    client.secrets.create(name="created-under-v2", value=confidential.new_value("v2"))

    rotation_report = client.secrets.admin.rotate_encryption_keys()

    assert isinstance(rotation_report, PlatformSecretAdminRotationResponse)
    assert (rotation_report.rotated_secrets, rotation_report.success) == (SEALED_UNDER_V1, True)
    assert "Completed rotation of encryption keys for all secrets" in rotation.servers[0].log()


def test_a_second_rotation_has_nothing_to_do(rotation: RotationPlatform, connect) -> None:
    client = connect(rotation.servers[0].base_url, rotation.admin_token)
    rotation_report = client.secrets.admin.rotate_encryption_keys()
    assert (rotation_report.rotated_secrets, rotation_report.success) == (0, True)


def test_values_survive_rotation_and_the_removal_of_the_old_key(
    rotation: RotationPlatform, connect, tmp_path: Path
) -> None:
    first = rotation.servers[0]
    assert first.stop() == 0, first.log()
    write_config(rotation.config, "v2", {"v2": rotation.v2_provider})  # v1 is gone: only v2 can unwrap now

    client = connect(rotation.start_server(tmp_path).base_url, rotation.admin_token)
    for name, value in rotation.values.items():
        accessed = client.secrets.access(name)
        assert (accessed.name, accessed.value) == (name, value)
        assert client.secrets.retrieve(name).description == f"sealed under v1 ({name})"


def test_rotation_needs_platform_admin(rotation: RotationPlatform, connect, confidential) -> None:
    token = rotation.cli.create_token("rotation-viewer")
    confidential.tokens.add(token)
    rotation.cli.grant("rotation-viewer", "Viewer", workspace="default")
    with pytest.raises(PermissionDeniedError):
        connect(rotation.servers[-1].base_url, token).secrets.admin.rotate_encryption_keys()


def test_rotation_servers_stop_cleanly_and_never_log_a_value_or_key(rotation: RotationPlatform, confidential) -> None:
    for server in rotation.servers:
        status = server.stop()
        assert status == 0, f"{server.stderr_path.name}: exit {status} on SIGTERM:\n{server.log()}"
        assert "Stopped; the database is closed" in server.log()
        assert confidential.found_in(server.log() + server.output()) == [], f"{server.stderr_path.name} leaks"
