"""`client.secrets.list`: the pagination envelope and the SDK's automatic iteration across pages."""

from __future__ import annotations

import pytest
from nemo_platform import NeMoPlatform
from nemo_platform._exceptions import UnprocessableEntityError
from nemo_platform.types.secrets import PlatformSecretResponse

COUNT = 25
PAGE_SIZE = 10


@pytest.fixture(scope="module")
def created_names(admin: NeMoPlatform, platform, confidential) -> list[str]:
    """25 secrets created one after another in a workspace nothing else writes to; oldest first."""
    workspace = platform.pages_workspace
    assert admin.secrets.list(workspace=workspace).pagination.total_results == 0
    names = [f"page-secret-{index:02d}" for index in range(COUNT)]
    for name in names:
        admin.secrets.create(name=name, value=confidential.new_value(), workspace=workspace, description=name.upper())
    return names


def test_first_page_envelope(admin: NeMoPlatform, platform, created_names: list[str]) -> None:
    page = admin.secrets.list(workspace=platform.pages_workspace, page_size=PAGE_SIZE)
    assert all(isinstance(secret, PlatformSecretResponse) for secret in page.data)
    assert [secret.name for secret in page.data] == created_names[::-1][:PAGE_SIZE], "newest first"
    assert page.pagination.to_dict() == {
        "page": 1, "page_size": PAGE_SIZE, "current_page_size": PAGE_SIZE, "total_pages": 3, "total_results": COUNT,
    }  # fmt: skip
    assert all(secret.workspace == platform.pages_workspace for secret in page.data)
    assert all(secret.description == secret.name.upper() for secret in page.data)
    assert all("value" not in secret.to_dict() for secret in page.data)


def test_three_pages_by_hand(admin: NeMoPlatform, platform, created_names: list[str]) -> None:
    newest_first = created_names[::-1]
    page = admin.secrets.list(workspace=platform.pages_workspace, page_size=PAGE_SIZE)
    seen = []
    for number, size in ((1, 10), (2, 10), (3, 5)):
        assert (page.pagination.page, page.pagination.current_page_size, len(page.data)) == (number, size, size)
        assert page.pagination.total_pages == 3 and page.pagination.total_results == COUNT
        seen += [secret.name for secret in page.data]
        assert page.has_next_page() == (number < 3)
        if number < 3:
            page = page.get_next_page()
    assert seen == newest_first


def test_automatic_iteration_yields_every_secret_once_newest_first(
    admin: NeMoPlatform, platform, created_names, wire
) -> None:
    path = f"/apis/secrets/v2/workspaces/{platform.pages_workspace}/secrets"
    requests_before = len([exchange for exchange in wire if (exchange.method, exchange.path) == ("GET", path)])
    names = [secret.name for secret in admin.secrets.list(workspace=platform.pages_workspace, page_size=PAGE_SIZE)]
    assert names == created_names[::-1]
    assert len(set(names)) == COUNT
    requests = len([exchange for exchange in wire if (exchange.method, exchange.path) == ("GET", path)])
    assert requests - requests_before == 3, "one request per page"


def test_iter_pages(admin: NeMoPlatform, platform, created_names) -> None:
    pages = list(admin.secrets.list(workspace=platform.pages_workspace, page_size=PAGE_SIZE).iter_pages())
    assert [len(page.data) for page in pages] == [10, 10, 5]
    assert [page.pagination.page for page in pages] == [1, 2, 3]


def test_a_given_page(admin: NeMoPlatform, platform, created_names) -> None:
    page = admin.secrets.list(workspace=platform.pages_workspace, page=3, page_size=PAGE_SIZE)
    assert [secret.name for secret in page.data] == created_names[::-1][20:]
    assert not page.has_next_page()


def test_the_default_page_size_is_ten(admin: NeMoPlatform, platform, created_names) -> None:
    page = admin.secrets.list(workspace=platform.pages_workspace)
    assert (page.pagination.page, page.pagination.page_size, len(page.data)) == (1, 10, 10)


def test_one_page_holds_everything(admin: NeMoPlatform, platform, created_names) -> None:
    page = admin.secrets.list(workspace=platform.pages_workspace, page_size=100)
    assert [secret.name for secret in page.data] == created_names[::-1]
    assert page.pagination.total_pages == 1 and not page.has_next_page()


def test_page_past_the_end_is_empty(admin: NeMoPlatform, platform, created_names) -> None:
    page = admin.secrets.list(workspace=platform.pages_workspace, page=99, page_size=PAGE_SIZE)
    assert page.data == []
    assert (page.pagination.page, page.pagination.current_page_size, page.pagination.total_results) == (99, 0, COUNT)
    assert list(page) == []


def test_viewer_of_the_workspace_lists_it(make_client, platform, confidential, created_names) -> None:
    """A Viewer granted after the server started is honoured at once (grants are read per request)."""
    token = platform.cli.create_token("sdk-pages-viewer")
    confidential.tokens.add(token)
    platform.cli.grant("sdk-pages-viewer", "Viewer", workspace=platform.pages_workspace)
    viewer = make_client(token, workspace=platform.pages_workspace)
    assert [secret.name for secret in viewer.secrets.list(page_size=7)] == created_names[::-1]


@pytest.mark.parametrize(
    "query", [{"page": 0}, {"page_size": 0}, {"page": -1}], ids=["page-0", "page_size-0", "page-negative"]
)
def test_page_below_one_raises_unprocessable(query: dict[str, int], admin: NeMoPlatform, platform) -> None:
    with pytest.raises(UnprocessableEntityError) as raised:
        admin.secrets.list(workspace=platform.pages_workspace, **query)
    assert raised.value.body["detail"][0]["loc"] == ["query", next(iter(query))]
