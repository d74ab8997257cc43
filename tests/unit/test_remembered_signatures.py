"""The session cookie's signature is checked once per cookie text
(prize.web.security.RememberedSignatures): a changed byte is still refused, and a
remembered cookie still expires when it is older than the session's age."""

from __future__ import annotations

import itsdangerous
import pytest
from itsdangerous.exc import BadSignature, SignatureExpired

from prize.web.security import RememberedSignatures

SECRET = "a secret of the tests"
FOURTEEN_DAYS = 14 * 24 * 3600


def signed(value: bytes = b"payload") -> bytes:
    return itsdangerous.TimestampSigner(SECRET).sign(value)


def test_a_good_cookie_is_read_and_its_signature_checked_once(monkeypatch):
    signer = RememberedSignatures(SECRET)
    checks = []
    parent = itsdangerous.TimestampSigner.unsign
    monkeypatch.setattr(itsdangerous.TimestampSigner, "unsign",
                        lambda self, *a, **k: checks.append(1) or parent(self, *a, **k))
    cookie = signed()
    assert [signer.unsign(cookie, max_age=FOURTEEN_DAYS) for _ in range(3)] == [b"payload"] * 3
    assert len(checks) == 1


@pytest.mark.parametrize("change", [
    # A byte inside the signature: the last base64 character also holds padding bits,
    # and changing only those leaves the same signature.
    lambda cookie: cookie[:-5] + (b"A" if cookie[-5:-4] != b"A" else b"B") + cookie[-4:],
    lambda cookie: b"X" + cookie[1:],  # value
])
def test_a_changed_cookie_is_refused_even_after_the_right_one(change):
    signer = RememberedSignatures(SECRET)
    cookie = signed()
    signer.unsign(cookie, max_age=FOURTEEN_DAYS)
    with pytest.raises(BadSignature):
        signer.unsign(change(cookie), max_age=FOURTEEN_DAYS)


def test_a_cookie_of_another_secret_is_refused():
    cookie = itsdangerous.TimestampSigner("another secret").sign(b"payload")
    with pytest.raises(BadSignature):
        RememberedSignatures(SECRET).unsign(cookie, max_age=FOURTEEN_DAYS)


def test_a_remembered_cookie_expires_on_time(monkeypatch):
    signer = RememberedSignatures(SECRET)
    cookie = signed()
    now = signer.get_timestamp()
    assert signer.unsign(cookie, max_age=FOURTEEN_DAYS) == b"payload"
    monkeypatch.setattr(signer, "get_timestamp", lambda: now + FOURTEEN_DAYS + 1)
    with pytest.raises(SignatureExpired):
        signer.unsign(cookie, max_age=FOURTEEN_DAYS)


def test_the_remembered_cookies_are_bounded():
    signer = RememberedSignatures(SECRET, remembered=2)
    for n in range(5):
        signer.unsign(signed(b"%d" % n), max_age=FOURTEEN_DAYS)
    assert len(signer._checked) == 2
