"""Issue 20: IPv6 forms that Python's `is_global` calls global but that reach IPv4 or site-internal
hosts (NAT64 wrapping a private address, local-use NAT64, IPv4-compatible, site-local) are refused,
as literals and as DNS answers, before any connection."""

from __future__ import annotations

import ipaddress

import pytest
from test_fetch_policy import fake_dns, get, no_connections  # noqa: F401 (fixture)

from monitor.errors import BlockedURL
from monitor.sources import fetch

HIDDEN_INTERNAL = [
    "64:ff9b::7f00:1",  # NAT64 well-known prefix wrapping 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # ... wrapping 169.254.169.254 (cloud metadata)
    "64:ff9b::a00:1",  # ... wrapping 10.0.0.1
    "64:ff9b:1::a00:1",  # local-use NAT64 (RFC 8215): whatever the site maps it to
    "64:ff9b:1:ffff::808:808",
    "::7f00:1",  # IPv4-compatible ::127.0.0.1
    "::a00:1",  # IPv4-compatible ::10.0.0.1
    "::808:808",  # IPv4-compatible, even of a public address: deprecated, never a web site
    "fec0::1",  # site-local
    "feff:ffff::1",
]


@pytest.mark.parametrize("address", HIDDEN_INTERNAL)
def test_python_calls_them_global_but_the_policy_refuses_them(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert ip.is_global  # why the policy needs its own list
    assert not fetch._is_public(ip)


@pytest.mark.parametrize("address", HIDDEN_INTERNAL)
def test_literal_links_to_them_are_refused_before_connecting(address: str, no_connections: list[str]) -> None:
    with pytest.raises(BlockedURL) as e:
        get(f"http://[{address}]/latest/meta-data/")
    assert "non-public address" in str(e.value)
    assert no_connections == []


@pytest.mark.parametrize("address", HIDDEN_INTERNAL)
def test_names_resolving_to_them_are_refused(
    address: str, no_connections: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"notice.example.com": [address]})
    with pytest.raises(BlockedURL) as e:
        get("https://notice.example.com/leak.pdf")
    assert "resolves to non-public address" in str(e.value)
    assert no_connections == []


def test_nat64_of_a_public_address_stays_allowed() -> None:
    # An IPv6-only host behind DNS64 sees every IPv4 news site as 64:ff9b::a.b.c.d.
    assert fetch._is_public(ipaddress.ip_address("64:ff9b::5db8:d822"))  # 93.184.216.34
    assert fetch._is_public(ipaddress.ip_address("2606:4700::6810:84e5"))
