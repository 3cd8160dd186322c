"""The client address behind lockouts and rate limits: only what our own proxies wrote counts."""

import pytest
from django.test import RequestFactory

from config.client_ip import client_ip


def request(remote_addr="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **headers)


@pytest.mark.parametrize("forwarded", [None, "", "198.51.100.7", "198.51.100.7, 203.0.113.9"])
def test_without_proxies_the_client_is_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("192.0.2.10", forwarded)) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client claimed an address; our one proxy appended the one it saw.
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1,2.2.2.2 ,  203.0.113.9", "203.0.113.9"),
        # Two proxies: the outer one saw the client, the inner one saw the outer proxy.
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request("10.0.0.1", forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", " , ", "203.0.113.9"])
def test_a_chain_shorter_than_the_proxies_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("10.0.0.1", forwarded)) == "10.0.0.1"


@pytest.mark.parametrize("forwarded", ["not-an-address", "203.0.113.9:443", "203.0.113.999"])
def test_something_that_is_not_an_address_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request("10.0.0.1", forwarded)) == "10.0.0.1"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("203.0.113.9", "203.0.113.9"),
    ],
)
def test_one_address_has_one_spelling(settings, spelling, canonical):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request("10.0.0.1", spelling)) == canonical
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(spelling)) == canonical
