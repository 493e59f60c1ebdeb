"""The SDK's asyncio client, `AsyncNeMoPlatform`, on the same server: the same calls, awaited."""

from __future__ import annotations

import pytest
from nemo_platform._exceptions import ConflictError, NotFoundError


@pytest.mark.anyio
async def test_async_client_round_trip(connect_async, platform, confidential, unique_name) -> None:
    client = connect_async(platform.base_url, platform.admin_token)
    name = unique_name("async")
    value = confidential.new_value("async")
    async with client:
        created = await client.secrets.create(name=name, value=value, description="async")
        assert (created.name, created.description) == (name, "async")
        with pytest.raises(ConflictError):
            await client.secrets.create(name=name, value=confidential.new_value("async"))
        assert (await client.secrets.retrieve(name)).created_at == created.created_at
        assert name in [secret.name async for secret in client.secrets.list(page_size=3)]
        assert (await client.secrets.access(name)).value == value
        updated = await client.secrets.update(name, description="async, updated")
        assert updated.description == "async, updated"
        rotation = await client.secrets.admin.rotate_encryption_keys()
        assert rotation.success is True
        await client.secrets.delete(name)
        with pytest.raises(NotFoundError):
            await client.secrets.retrieve(name)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
