"""PRIZE_TRUSTED_PROXIES and the client address read behind them."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from click.testing import CliRunner

from prize.cli import main
from prize.settings import SettingsError, load_settings, parse_trusted_proxies
from prize.web.security import client_behind

PROXIES = (ip_network("10.0.0.0/24"), ip_network("::1"))


def test_trusted_proxies_are_addresses_or_networks_and_none_by_default(tmp_path):
    env = {"PRIZE_DB": str(tmp_path / "p.db"), "PRIZE_SECRET_KEY": "x" * 40}
    assert load_settings(env).trusted_proxies == ()
    settings = load_settings({**env, "PRIZE_TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.0/8,::1, "})
    assert settings.trusted_proxies == (
        ip_network("127.0.0.1/32"), ip_network("10.0.0.0/8"), ip_network("::1/128"))


@pytest.mark.parametrize("value", ["proxy.example.org", "10.0.0.1/8", "300.1.1.1", "10.0.0.0/33"])
def test_a_trusted_proxy_that_is_not_an_address_is_refused_with_its_name(value):
    with pytest.raises(SettingsError, match="PRIZE_TRUSTED_PROXIES") as refusal:
        parse_trusted_proxies(f"127.0.0.1, {value}")
    assert repr(value) in str(refusal.value)


def test_serve_refuses_to_start_with_a_bad_trusted_proxy_in_one_line(tmp_path):
    env = {"PRIZE_DB": str(tmp_path / "p.db"), "PRIZE_SECRET_KEY": "x" * 40,
           "PRIZE_TRUSTED_PROXIES": "nginx"}
    result = CliRunner().invoke(main, ["serve"], env=env, catch_exceptions=False)
    assert result.exit_code != 0
    assert "PRIZE_TRUSTED_PROXIES: 'nginx' is not an IP address" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        # Not from a trusted proxy: the header is anyone's to write, and ignored.
        ("198.51.100.4", ["203.0.113.9"], "198.51.100.4"),
        # From the proxy: the address it appended.
        ("10.0.0.2", ["203.0.113.9"], "203.0.113.9"),
        # What the client wrote itself sits to the left of what the proxy appended.
        ("10.0.0.2", ["1.2.3.4, 203.0.113.9"], "203.0.113.9"),
        # Two proxies of ours in a row: the right-most address that is not one of them.
        ("10.0.0.2", ["1.2.3.4, 203.0.113.9, 10.0.0.7"], "203.0.113.9"),
        # Several headers are one list, in order.
        ("10.0.0.2", ["1.2.3.4", "203.0.113.9"], "203.0.113.9"),
        # A proxy with nothing to report, or rubbish: the proxy itself is the client.
        ("10.0.0.2", [], "10.0.0.2"),
        ("10.0.0.2", ["unknown"], "10.0.0.2"),
        ("10.0.0.2", ["203.0.113.9, 10.0.0.7, garbage"], "10.0.0.2"),
        # Every hop trusted: the left-most is as far as we can see.
        ("10.0.0.2", ["10.0.0.8, 10.0.0.7"], "10.0.0.8"),
        # IPv6, and IPv4 seen through a dual-stack socket.
        ("::1", ["2001:db8::5"], "2001:db8::5"),
        ("::ffff:10.0.0.2", ["203.0.113.9"], "203.0.113.9"),
    ],
)
def test_the_client_is_the_right_most_address_not_of_a_trusted_proxy(peer, forwarded_for,
                                                                     client):
    assert client_behind(peer, forwarded_for, PROXIES) == client


def test_with_no_trusted_proxy_the_header_changes_nothing():
    assert client_behind("10.0.0.2", ["203.0.113.9"], ()) == "10.0.0.2"
