from __future__ import annotations

import pytest

from cancellation.settings import DispatchSettings, SettingsError


def test_off_unless_both_credentials_are_set():
    assert DispatchSettings.from_env({}) is None
    with pytest.raises(SettingsError, match="beide"):
        DispatchSettings.from_env({"LETTERXPRESS_USER": "u"})


def test_test_mode_by_default_and_the_real_service():
    settings = DispatchSettings.from_env({"LETTERXPRESS_USER": "u", "LETTERXPRESS_API_KEY": "k" * 20})
    assert settings.mode == "test"
    assert settings.base_url == "https://api.letterxpress.de/v3"
    assert "kkkk" not in repr(settings)


def test_bad_mode_is_explained():
    with pytest.raises(SettingsError, match="test oder live"):
        DispatchSettings.from_env({"LETTERXPRESS_USER": "u", "LETTERXPRESS_API_KEY": "k",
                                   "LETTERXPRESS_MODE": "prod"})
