"""Every method of `client.secrets` of the official NeMo Platform SDK, unchanged, against `jobrunner serve`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from nemo_platform import NeMoPlatform
from nemo_platform._exceptions import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from nemo_platform.types.secrets import (
    PlatformSecretAccessResponse,
    PlatformSecretAdminRotationResponse,
    PlatformSecretResponse,
)

SECRETS_PATH = "/apis/secrets/v2/workspaces/default/secrets"


def as_utc(moment: datetime) -> datetime:
    """The reference sends naive UTC (`2026-11-28T12:51:37.250196`); the SDK also accepts a trailing `Z`."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def assert_recent(moment: datetime | None) -> None:
    assert isinstance(moment, datetime), f"expected a parsed datetime, got {moment!r}"
    assert abs(as_utc(moment) - datetime.now(timezone.utc)) < timedelta(minutes=5), f"{moment} is not now in UTC"


def assert_metadata_only(secret: PlatformSecretResponse) -> None:
    """The SDK keeps unknown fields, so a value the server leaked into metadata would show up here."""
    assert "value" not in secret.to_dict() and "data" not in secret.to_dict()


# --- create -----------------------------------------------------------------------------------------------------


def test_create_returns_metadata(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("plain")
    created = admin.secrets.create(name=name, value=confidential.new_value())
    assert isinstance(created, PlatformSecretResponse)
    assert (created.name, created.workspace, created.description) == (name, "default", None)
    assert_recent(created.created_at)
    assert_recent(created.updated_at)
    assert created.created_at <= created.updated_at
    assert_metadata_only(created)


def test_create_with_description(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("described")
    created = admin.secrets.create(name=name, value=confidential.new_value(), description="HF read token")
    assert (created.name, created.workspace, created.description) == (name, "default", "HF read token")
    assert admin.secrets.retrieve(name).description == "HF read token"


def test_create_as_editor_in_an_explicit_workspace(editor: NeMoPlatform, admin, confidential, unique_name) -> None:
    name = unique_name("by-editor")
    value = confidential.new_value()
    created = editor.secrets.create(name=name, value=value, workspace="default")
    assert created.workspace == "default"
    assert admin.secrets.access(name, workspace="default").value == value


def test_create_keeps_unicode_and_whitespace_exactly(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("unicode")
    value = confidential.remember(f"  pässwörd ✓ 🔑\n\tline two {unique_name('v')}  ")
    admin.secrets.create(name=name, value=value)
    assert admin.secrets.access(name).value == value


def test_create_the_largest_value(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("large")
    prefix = confidential.new_value("large")
    value = confidential.remember(prefix + "x" * (64 * 1024 - len(prefix)))
    admin.secrets.create(name=name, value=value)
    assert admin.secrets.access(name).value == value


# --- retrieve ---------------------------------------------------------------------------------------------------


def test_retrieve_returns_the_created_metadata(admin: NeMoPlatform, viewer, confidential, unique_name) -> None:
    name = unique_name("retrieved")
    created = admin.secrets.create(name=name, value=confidential.new_value(), description="for retrieve")
    for client in (admin, viewer):
        retrieved = client.secrets.retrieve(name)
        assert isinstance(retrieved, PlatformSecretResponse)
        assert retrieved.to_dict() == created.to_dict()
        assert isinstance(retrieved.created_at, datetime) and isinstance(retrieved.updated_at, datetime)
        assert_metadata_only(retrieved)


def test_retrieve_missing_secret_raises_not_found(admin: NeMoPlatform) -> None:
    with pytest.raises(NotFoundError) as raised:
        admin.secrets.retrieve("no-such-secret")
    assert raised.value.status_code == 404
    assert "no-such-secret" in raised.value.body["detail"]


def test_retrieve_in_a_missing_workspace_raises_not_found(admin: NeMoPlatform) -> None:
    with pytest.raises(NotFoundError):
        admin.secrets.retrieve("anything", workspace="no-such-workspace")


# --- update -----------------------------------------------------------------------------------------------------


def test_update_value(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("updated")
    created = admin.secrets.create(name=name, value=confidential.new_value("old"), description="kept")
    new_value = confidential.new_value("new")
    updated = admin.secrets.update(name, value=new_value)
    assert isinstance(updated, PlatformSecretResponse)
    assert (updated.name, updated.workspace, updated.description) == (name, "default", "kept")
    assert updated.created_at == created.created_at
    assert updated.updated_at >= created.updated_at
    assert_metadata_only(updated)
    assert admin.secrets.access(name).value == new_value


def test_update_description(admin: NeMoPlatform, editor, confidential, unique_name) -> None:
    name = unique_name("redescribed")
    value = confidential.new_value()
    admin.secrets.create(name=name, value=value, description="first")
    updated = editor.secrets.update(name, description="second")
    assert updated.description == "second"
    assert admin.secrets.retrieve(name).description == "second"
    assert admin.secrets.access(name).value == value


def test_update_value_and_description(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("both")
    admin.secrets.create(name=name, value=confidential.new_value())
    new_value = confidential.new_value()
    updated = admin.secrets.update(name, workspace="default", value=new_value, description="third")
    assert updated.description == "third"
    assert admin.secrets.access(name, workspace="default").value == new_value


def test_update_missing_secret_raises_not_found(admin: NeMoPlatform, confidential) -> None:
    with pytest.raises(NotFoundError):
        admin.secrets.update("no-such-secret", value=confidential.new_value())


def test_update_with_empty_value_raises_unprocessable(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("keep")
    value = confidential.new_value()
    admin.secrets.create(name=name, value=value)
    with pytest.raises(UnprocessableEntityError):
        admin.secrets.update(name, value="")
    assert admin.secrets.access(name).value == value


# --- access -----------------------------------------------------------------------------------------------------


def test_access_with_platform_admin_token_returns_the_value(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("accessed")
    value = confidential.new_value()
    admin.secrets.create(name=name, value=value)
    accessed = admin.secrets.access(name)
    assert isinstance(accessed, PlatformSecretAccessResponse)
    assert (accessed.name, accessed.workspace, accessed.value) == (name, "default", value)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_access_without_platform_admin_raises_permission_denied(
    role: str, request: pytest.FixtureRequest, admin: NeMoPlatform, confidential, unique_name
) -> None:
    name = unique_name("guarded")
    admin.secrets.create(name=name, value=confidential.new_value())
    client: NeMoPlatform = request.getfixturevalue(role)
    with pytest.raises(PermissionDeniedError) as raised:
        client.secrets.access(name)
    assert raised.value.status_code == 403


def test_access_missing_secret_raises_not_found(admin: NeMoPlatform) -> None:
    with pytest.raises(NotFoundError):
        admin.secrets.access("no-such-secret")


# --- delete -----------------------------------------------------------------------------------------------------


def test_delete_then_retrieve_raises_not_found(admin: NeMoPlatform, editor, confidential, unique_name) -> None:
    name = unique_name("deleted")
    admin.secrets.create(name=name, value=confidential.new_value())
    assert editor.secrets.delete(name) is None
    with pytest.raises(NotFoundError):
        admin.secrets.retrieve(name)
    with pytest.raises(NotFoundError):
        admin.secrets.access(name)
    with pytest.raises(NotFoundError):
        admin.secrets.delete(name)
    assert name not in {secret.name for secret in admin.secrets.list(page_size=100)}


def test_delete_then_create_again(admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("recreated")
    admin.secrets.create(name=name, value=confidential.new_value())
    admin.secrets.delete(name, workspace="default")
    value = confidential.new_value()
    admin.secrets.create(name=name, value=value)
    assert admin.secrets.access(name).value == value


# --- errors as the SDK's exception types ------------------------------------------------------------------------


def test_duplicate_create_raises_conflict_without_retry(
    admin: NeMoPlatform, wire, platform, confidential, unique_name
) -> None:
    name = unique_name("duplicate")
    first_value = confidential.new_value()
    admin.secrets.create(name=name, value=first_value)
    assert admin.max_retries == 2, "the SDK's default: a 409 without x-should-retry: false would be sent 3 times"
    sent_before = len([exchange for exchange in wire if (exchange.method, exchange.path) == ("POST", SECRETS_PATH)])
    log_lines_before = len(platform.server.request_lines("POST", SECRETS_PATH))

    with pytest.raises(ConflictError) as raised:
        admin.secrets.create(name=name, value=confidential.new_value())

    posts = [exchange for exchange in wire if (exchange.method, exchange.path) == ("POST", SECRETS_PATH)]
    assert len(posts) - sent_before == 1, "the SDK retried the 409"
    assert posts[-1].status == 409 and posts[-1].headers.get("x-should-retry") == "false"
    assert len(platform.server.request_lines("POST", SECRETS_PATH)) - log_lines_before == 1
    assert raised.value.status_code == 409
    assert name in raised.value.body["detail"]
    assert admin.secrets.access(name).value == first_value


@pytest.mark.parametrize(
    "name",
    ["has space", "slash/inside", "", "ünïcode", "semi;colon", "x" * 256, "new\nline"],
    ids=["space", "slash", "empty", "non-ascii", "semicolon", "256-chars", "newline"],
)
def test_invalid_name_raises_unprocessable(name: str, admin: NeMoPlatform, confidential) -> None:
    with pytest.raises(UnprocessableEntityError) as raised:
        admin.secrets.create(name=name, value=confidential.new_value())
    detail = raised.value.body["detail"]
    assert isinstance(detail, list) and detail[0]["loc"] == ["body", "name"], detail


def test_longest_valid_name_is_accepted(admin: NeMoPlatform, confidential) -> None:
    name = "N." + "a_-9" * 63 + "z"  # 255 characters of every allowed kind
    assert len(name) == 255
    assert admin.secrets.create(name=name, value=confidential.new_value()).name == name
    assert admin.secrets.retrieve(name).name == name


def test_empty_value_raises_unprocessable(admin: NeMoPlatform, unique_name) -> None:
    name = unique_name("empty")
    with pytest.raises(UnprocessableEntityError) as raised:
        admin.secrets.create(name=name, value="")
    detail = raised.value.body["detail"]
    assert isinstance(detail, list) and detail[0]["loc"] == ["body", "value"], detail
    with pytest.raises(NotFoundError):
        admin.secrets.retrieve(name)


def test_value_over_64_kib_raises_unprocessable(admin: NeMoPlatform, unique_name) -> None:
    with pytest.raises(UnprocessableEntityError):
        admin.secrets.create(name=unique_name("huge"), value="x" * (64 * 1024 + 1))


def test_create_in_a_missing_workspace_raises_unprocessable(admin: NeMoPlatform, confidential) -> None:
    with pytest.raises(UnprocessableEntityError):
        admin.secrets.create(name="orphan", value=confidential.new_value(), workspace="no-such-workspace")


def test_no_token_raises_authentication_error(make_client, admin: NeMoPlatform, confidential, unique_name) -> None:
    name = unique_name("anonymous")
    admin.secrets.create(name=name, value=confidential.new_value())
    anonymous = make_client(None)
    for call in (
        lambda: anonymous.secrets.list(),
        lambda: anonymous.secrets.retrieve(name),
        lambda: anonymous.secrets.access(name),
        lambda: anonymous.secrets.create(name=unique_name("anonymous"), value=confidential.new_value()),
        lambda: anonymous.secrets.update(name, description="x"),
        lambda: anonymous.secrets.delete(name),
        lambda: anonymous.secrets.admin.rotate_encryption_keys(),
    ):
        with pytest.raises(AuthenticationError) as raised:
            call()
        assert raised.value.status_code == 401
    assert admin.secrets.retrieve(name).description is None


@pytest.mark.parametrize("token", ["not-a-token", "x" * 64], ids=["short", "long"])
def test_bad_token_raises_authentication_error(
    token: str, make_client, admin: NeMoPlatform, unique_name, confidential
) -> None:
    name = unique_name("bad-token")
    admin.secrets.create(name=name, value=confidential.new_value())
    stranger = make_client(token)
    with pytest.raises(AuthenticationError):
        stranger.secrets.retrieve(name)
    with pytest.raises(AuthenticationError):
        stranger.secrets.access(name)
    with pytest.raises(AuthenticationError):
        stranger.secrets.list()


def test_viewer_reads_metadata_but_may_not_write(viewer: NeMoPlatform, admin, confidential, unique_name) -> None:
    name = unique_name("viewed")
    admin.secrets.create(name=name, value=confidential.new_value())
    assert viewer.secrets.retrieve(name).name == name
    assert name in {secret.name for secret in viewer.secrets.list(page_size=100)}
    with pytest.raises(PermissionDeniedError):
        viewer.secrets.create(name=unique_name("by-viewer"), value=confidential.new_value())
    with pytest.raises(PermissionDeniedError):
        viewer.secrets.update(name, description="changed by a viewer")
    with pytest.raises(PermissionDeniedError):
        viewer.secrets.delete(name)
    assert admin.secrets.retrieve(name).description is None


def test_member_of_default_sees_nothing_in_another_workspace(
    viewer: NeMoPlatform, editor, admin, platform, confidential, unique_name
) -> None:
    name = unique_name("elsewhere")
    admin.secrets.create(name=name, value=confidential.new_value(), workspace=platform.pages_workspace)
    try:
        for client in (viewer, editor):
            with pytest.raises((PermissionDeniedError, NotFoundError)):
                client.secrets.list(workspace=platform.pages_workspace)
            with pytest.raises((PermissionDeniedError, NotFoundError)):
                client.secrets.retrieve(name, workspace=platform.pages_workspace)
    finally:
        admin.secrets.delete(name, workspace=platform.pages_workspace)


# --- admin ------------------------------------------------------------------------------------------------------


def test_rotate_encryption_keys_as_platform_admin(admin: NeMoPlatform) -> None:
    # Every secret of this server is already under its current (development) key; test_rotation.py rotates real ones.
    rotation = admin.secrets.admin.rotate_encryption_keys()
    assert isinstance(rotation, PlatformSecretAdminRotationResponse)
    assert rotation.success is True
    assert rotation.rotated_secrets == 0


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_rotate_encryption_keys_needs_platform_admin(role: str, request: pytest.FixtureRequest) -> None:
    client: NeMoPlatform = request.getfixturevalue(role)
    with pytest.raises(PermissionDeniedError):
        client.secrets.admin.rotate_encryption_keys()
