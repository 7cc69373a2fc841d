"""The running Rasa server has every registered patch of Rasa internals installed."""

from __future__ import annotations

import json

from bot.rasa_patches import PATCHES


def test_every_patch_is_installed_in_the_running_server(stack):
    status, _, body = stack.get(f"{stack.base_url}/webhooks/rasa_patches/")
    assert status == 200
    listing = json.loads(body)
    assert listing["rasa"] == "3.6.21"
    assert listing["patches"] == [patch.name for patch in PATCHES]
