"""Settings come from the environment, each optional, each checked."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from prize.settings import SettingsError, load_settings
from prize.web.security import Passwords


def test_defaults_need_nothing_set(tmp_path):
    settings = load_settings({"PRIZE_DB": str(tmp_path / "p.db")})
    assert settings.base_url == "http://127.0.0.1:8000" and settings.smtp_url is None
    assert not settings.secure_cookies
    assert settings.upload_dir == tmp_path / "p-uploads"


def test_the_generated_secret_is_kept_next_to_the_database(tmp_path):
    first = load_settings({"PRIZE_DB": str(tmp_path / "p.db")}).secret_key
    again = load_settings({"PRIZE_DB": str(tmp_path / "p.db")}).secret_key
    assert first == again and len(first) > 40
    assert (tmp_path / "p.db.secret").stat().st_mode & 0o077 == 0


def test_https_base_url_makes_cookies_secure(tmp_path):
    settings = load_settings({"PRIZE_DB": str(tmp_path / "p.db"),
                              "PRIZE_BASE_URL": "https://prize.example.org/"})
    assert settings.secure_cookies and settings.url("/login") == "https://prize.example.org/login"


@pytest.mark.parametrize(("name", "value"), [
    ("PRIZE_BASE_URL", "ftp://example.org"),
    ("PRIZE_SMTP_URL", "http://mail.example.org"),
    ("PRIZE_MAIL_FROM", "nobody"),
    ("PRIZE_MAIL_FROM", "a@b.org\nBcc: victim@example.org"),
])
def test_bad_settings_are_refused_with_the_variable_named(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        load_settings({"PRIZE_DB": str(tmp_path / "p.db"), name: value})


def test_mail_sender_can_be_set(tmp_path):
    settings = load_settings({"PRIZE_DB": str(tmp_path / "p.db"),
                              "PRIZE_MAIL_FROM": "Prize <prize@coe.example>"})
    assert settings.mail_from == "Prize <prize@coe.example>"


def test_passwords_keep_argon2s_strong_default_cost_when_nothing_is_set(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the secret is written next to ./prize.db
    settings = load_settings({})
    strong = PasswordHasher()  # argon2-cffi's default, RFC 9106's low-memory profile
    assert (settings.password_time_cost, settings.password_memory_cost,
            settings.password_parallelism) == (strong.time_cost, strong.memory_cost,
                                               strong.parallelism) == (3, 65536, 4)
    assert "$m=65536,t=3,p=4$" in Passwords(settings).hash("a long password")
