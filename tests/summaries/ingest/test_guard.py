"""The SSRF guard, through the Fetcher: fake resolvers, recording transports, a loopback server."""

from __future__ import annotations

import json

import httpx
import pytest

from summaries.ingest.guard import non_public_kind, parse_ip
from summaries.types import BlockedURLError, FetchError
from tests.summaries.ingest.fetch_server import Server, fake_resolver, get, recording_transport


def test_loopback_server_is_refused_without_a_request(server: Server) -> None:
    before = len(server.requests)
    with pytest.raises(BlockedURLError, match=r"loopback address \(127\.0\.0\.1\)"):
        get(server.url("/feed"), allow_private=False)
    assert len(server.requests) == before


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local address (169.254.169.254)"),
        ("http://10.1.2.3/", "private address (10.1.2.3)"),
        ("http://192.168.0.1/", "private address (192.168.0.1)"),
        ("http://172.16.5.4/", "private address (172.16.5.4)"),
        ("http://100.64.0.1/", "shared address (100.64.0.1)"),
        ("http://[::1]/", "loopback address (::1)"),
        ("http://[fe80::1]/", "link-local address (fe80::1)"),
        ("http://[fd00::1]/", "private address (fd00::1)"),
        ("http://[::ffff:127.0.0.1]/", "loopback address (127.0.0.1)"),
        ("http://[::ffff:a9fe:a9fe]/", "link-local address (169.254.169.254)"),
        ("http://0.0.0.0/", "unspecified address (0.0.0.0)"),
        ("http://0/", "unspecified address (0.0.0.0)"),
        ("http://2130706433/", "loopback address (127.0.0.1)"),
        ("http://0177.0.0.1/", "loopback address (127.0.0.1)"),
        ("http://0x7f.1/", "loopback address (127.0.0.1)"),
        ("http://127.1:8080/", "loopback address (127.0.0.1)"),
        ("http://224.0.0.1/", "multicast address (224.0.0.1)"),
        ("http://240.0.0.1/", "address (240.0.0.1)"),
    ],
)
def test_private_ip_literals_are_refused_without_network(url: str, address: str) -> None:
    calls: list[str] = []
    sent: list[httpx.Request] = []
    with pytest.raises(BlockedURLError) as caught:
        get(
            url,
            allow_private=False,
            resolver=fake_resolver({}, calls),
            transport=recording_transport(sent),
        )
    assert caught.value.reason.startswith("refused: ")
    assert caught.value.reason.endswith(address)
    assert calls == []
    assert sent == []


@pytest.mark.parametrize(
    "url", ["http://localhost/", "http://LOCALHOST.:8000/", "http://api.localhost/"]
)
def test_localhost_names_are_refused_without_resolving(url: str) -> None:
    calls: list[str] = []
    with pytest.raises(BlockedURLError, match="is a local host name"):
        get(url, allow_private=False, resolver=fake_resolver({}, calls))
    assert calls == []


def test_public_host_is_fetched_through_an_injected_transport() -> None:
    sent: list[httpx.Request] = []
    resolver = fake_resolver({"news.example": ["93.184.216.34"]})
    result = get(
        "https://news.example/story",
        allow_private=False,
        resolver=resolver,
        transport=recording_transport(sent),
    )
    assert result.content == b"public page"
    assert [str(r.url) for r in sent] == ["https://news.example/story"]


def test_host_with_any_private_address_is_refused() -> None:
    sent: list[httpx.Request] = []
    resolver = fake_resolver({"mixed.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(BlockedURLError, match=r"private address \(10\.0\.0\.7\)"):
        get(
            "http://mixed.example/",
            allow_private=False,
            resolver=resolver,
            transport=recording_transport(sent),
        )
    assert sent == []


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/admin", "http://intranet.example/", "http://[::1]/"]
)
def test_redirect_from_public_host_to_private_address_is_refused(location: str) -> None:
    sent: list[httpx.Request] = []
    resolver = fake_resolver(
        {"news.example": ["93.184.216.34"], "intranet.example": ["192.168.1.5"]}
    )

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    with pytest.raises(BlockedURLError) as caught:
        get(
            "http://news.example/",
            allow_private=False,
            resolver=resolver,
            transport=recording_transport(sent, respond),
        )
    assert f"after a redirect to {location}" in caught.value.reason
    assert [str(r.url) for r in sent] == ["http://news.example/"]


def test_connection_uses_the_checked_address_not_a_second_lookup(server: Server) -> None:
    """A name that resolves to a private address at connect time is refused, with no request."""
    calls: list[str] = []
    resolver = fake_resolver({"rebind.example": ["127.0.0.1"]}, calls)
    before = len(server.requests)
    with pytest.raises(BlockedURLError, match=r"loopback address \(127\.0\.0\.1\)"):
        get(f"http://rebind.example:{server.port}/feed", allow_private=False, resolver=resolver)
    assert calls == ["rebind.example"]
    assert len(server.requests) == before


def test_connection_goes_to_resolved_address_with_host_name_in_host_header(server: Server) -> None:
    resolver = fake_resolver({"news.test": ["127.0.0.1"]})
    result = get(f"http://news.test:{server.port}/echo", resolver=resolver)
    assert json.loads(result.content)["Host"] == f"news.test:{server.port}"
    assert result.url == f"http://news.test:{server.port}/echo"


def test_parse_ip_reads_legacy_forms_and_leaves_names_alone() -> None:
    assert str(parse_ip("2130706433")) == "127.0.0.1"
    assert str(parse_ip("0x7f000001")) == "127.0.0.1"
    assert str(parse_ip("0177.0.0.01")) == "127.0.0.1"
    assert str(parse_ip("10.1")) == "10.0.0.1"
    assert str(parse_ip("192.168.257")) == "192.168.1.1"
    assert str(parse_ip("[::1]")) == "::1"
    assert parse_ip("news.example") is None
    assert parse_ip("1password.com") is None
    with pytest.raises(ValueError):
        parse_ip("256.1.1.1")
    with pytest.raises(ValueError):
        parse_ip("foo.08")


def test_unresolvable_host_says_could_not_resolve() -> None:
    with pytest.raises(FetchError, match=r"could not resolve host 'nowhere\.example'"):
        get("http://nowhere.example/", resolver=fake_resolver({}), allow_private=False)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("100.64.0.1", "shared"),
        ("169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped: the IPv4 address is what is reached
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("fe80::1%25eth0", "link-local"),
    ],
)
def test_non_public_kind_names_the_kind_of_each_non_public_address(
    address: str, kind: str | None
) -> None:
    ip = parse_ip(address)
    assert ip is not None
    assert non_public_kind(ip) == kind
