from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from cancellation.settings import PROJECT_ROOT, Settings, SettingsError


def test_defaults(tmp_path):
    settings = Settings.from_env({})
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'cancellation.db'}"
    assert (PROJECT_ROOT / "var").is_dir()
    assert settings.redis_url is None
    assert settings.public_base_url == "http://127.0.0.1:5005"
    assert settings.letter_link_ttl == timedelta(days=7)
    assert settings.action_server_url == "http://127.0.0.1:5055/webhook"


def test_values_from_environment(tmp_path):
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql+psycopg2://bot:secret@db:5432/kuendigung",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "PUBLIC_BASE_URL": "https://kuendigung.example.org/",
            "LETTER_LINK_TTL_DAYS": "3",
            "ACTION_SERVER_URL": "http://actions:5055/webhook",
        }
    )
    assert settings.database_url == "postgresql+psycopg2://bot:secret@db:5432/kuendigung"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.public_base_url == "https://kuendigung.example.org"
    assert settings.letter_link_ttl_days == 3


def test_absolute_sqlite_path_is_kept_and_its_directory_created(tmp_path):
    target = tmp_path / "nested" / "log.db"
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{target}"})
    assert settings.database_url == f"sqlite:///{target}"
    assert target.parent.is_dir()


def test_heroku_style_postgres_scheme_is_accepted():
    settings = Settings.from_env({"DATABASE_URL": "postgres://u@h/db"})
    assert settings.database_url == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("PUBLIC_BASE_URL", "kuendigung.example.org"),
        ("LETTER_LINK_TTL_DAYS", "sieben"),
        ("LETTER_LINK_TTL_DAYS", "0"),
        ("ACTION_SERVER_URL", "ftp://x/webhook"),
    ],
)
def test_invalid_values_are_named_in_the_error(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_are_immutable():
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.public_base_url = "http://evil"  # type: ignore[misc]
    assert isinstance(PROJECT_ROOT, Path)
