"""The guarded patches of Rasa internals: checked before anything is replaced, installed once."""

from __future__ import annotations

import ast
import json
import sys
import types
from pathlib import Path

import pytest
import rasa

from bot import rasa_patches
from bot.rasa_patches import EXPECTED_RASA_VERSION, Patch, RasaPatchError, RasaPatchesChannel
from tests.bot.channels.web_support import serving


@pytest.fixture
def target(monkeypatch):
    """A stand-in for a Rasa module: `fake_rasa_module:Engine.turn`."""
    module = types.ModuleType("fake_rasa_module")

    class Engine:
        def turn(self) -> str:
            return "stock"

    module.Engine = Engine
    monkeypatch.setitem(sys.modules, "fake_rasa_module", module)
    return Engine


def _louder(original):
    def turn(self) -> str:
        return original(self).upper()

    return turn


LOUDER = Patch("louder", "fake_rasa_module:Engine.turn", _louder, "test")


def test_install_replaces_the_attribute_once(target):
    assert rasa_patches.install([LOUDER], EXPECTED_RASA_VERSION) == ("louder",)
    assert rasa_patches.install([LOUDER], EXPECTED_RASA_VERSION) == ("louder",)
    assert target().turn() == "STOCK"  # wrapped once, not twice


def test_another_rasa_version_refuses_before_replacing_anything(target):
    with pytest.raises(RasaPatchError) as error:
        rasa_patches.install([LOUDER], "3.7.0")
    assert "3.6.21 is required, but 3.7.0 is installed" in str(error.value)
    assert target().turn() == "stock"


def test_a_missing_attribute_refuses_and_names_it(target):
    gone = Patch("gone", "fake_rasa_module:Engine.vanished", _louder, "test")
    missing_module = Patch("nowhere", "rasa.no_such_module:X.y", _louder, "test")
    with pytest.raises(RasaPatchError) as error:
        rasa_patches.install([LOUDER, gone, missing_module], EXPECTED_RASA_VERSION)
    message = str(error.value)
    assert "fake_rasa_module:Engine.vanished does not exist" in message
    assert "rasa.no_such_module cannot be imported" in message
    assert target().turn() == "stock"  # all or nothing


def test_every_registered_patch_fits_the_installed_rasa():
    assert rasa.__version__ == EXPECTED_RASA_VERSION
    assert len(rasa_patches.check()) == len(rasa_patches.PATCHES)


def test_the_channel_refuses_to_start_on_a_misfit(monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(SystemExit) as stop:
        RasaPatchesChannel.from_credentials(None)
    assert "3.6.21 is required" in str(stop.value)


def test_listing_is_for_direct_loopback_clients_only():
    with serving(RasaPatchesChannel.from_credentials(None)) as server:
        local = server.get("/webhooks/rasa_patches/")
        proxied = server.get("/webhooks/rasa_patches/", {"X-Forwarded-For": "203.0.113.9"})
    assert local.status == 200
    assert '"remote_action_retry"' in local.text
    assert proxied.status == 404 and "remote_action_retry" not in proxied.text


def test_credentials_create_the_patch_channel_first():
    from rasa.shared.utils.io import read_yaml_file

    from tests.support.stack import ROOT

    channels = list(read_yaml_file(str(ROOT / "bot" / "credentials.yml")))
    assert channels[0] == "bot.rasa_patches.RasaPatchesChannel"


# Frameworks whose internals only bot/rasa_patches.py may change.
FRAMEWORKS = ("rasa", "rasa_sdk", "sanic", "socketio", "engineio", "aiogram")


def _framework_names(tree: ast.Module) -> set:
    """Names a module binds to framework modules or objects (import x / from x import y)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FRAMEWORKS:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in FRAMEWORKS:
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_module_but_the_registry_changes_framework_internals():
    """Assigning to an attribute of something imported from Rasa (or its web and chat
    libraries), or setattr on it, is a monkeypatch: it belongs in the registry."""
    root = Path(__file__).resolve().parents[2]
    stragglers = []
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] not in {"bot", "actions", "cancellation", "letters", "scripts"}:
            continue
        if relative == Path("bot/rasa_patches.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _framework_names(tree)
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                targets = [target for target in targets if isinstance(target, ast.Attribute)]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in {"setattr", "delattr"} and node.args):
                targets = [node.args[0]]
            for target in targets:
                if _root(target) in imported:
                    stragglers.append(f"{relative}:{node.lineno}")
    assert stragglers == []


def test_the_action_server_gets_the_last_two_turns_events_every_slot_and_no_responses():
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    domain = Domain.load("bot/domain")
    events = [ActionExecuted("action_listen"), UserUttered("kündigen", {"name": "cancel"}),
              SlotSet("provider", "o2"), ActionExecuted("action_listen"),
              UserUttered("keine", {"name": "deny"}), ActionExecuted("action_listen"),
              UserUttered("Max Mustermann", {"name": "inform"}, input_channel="rest"),
              SlotSet("full_name", "Max Mustermann")]
    tracker = DialogueStateTracker.from_events("rest:turns", events, slots=domain.slots)
    build = rasa_patches._recent_turns_call_format(RemoteAction._action_call_format)
    call = build(RemoteAction("validate_cancellation_form", EndpointConfig("http://x")), tracker, domain)
    state = call["tracker"]
    assert [e["event"] for e in state["events"]] == ["user", "action", "user", "slot"]
    assert [e["text"] for e in state["events"] if e["event"] == "user"] == ["keine", "Max Mustermann"]
    assert state["slots"]["provider"] == "o2" and state["slots"]["full_name"] == "Max Mustermann"
    assert state["latest_message"]["text"] == "Max Mustermann"
    assert state["latest_input_channel"] == "rest"
    assert call["next_action"] == "validate_cancellation_form" and call["sender_id"] == "rest:turns"
    assert "domain" in call  # validate_* actions read the form's slots from it
    sent = call["domain"]
    assert sent["forms"] == domain.as_dict()["forms"] and sent["slots"] == domain.as_dict()["slots"]
    assert sent["intents"] == domain.as_dict()["intents"]
    # The responses (240 of the domain's 260 kB) are not sent: nothing there reads them.
    assert "responses" not in sent and domain.as_dict()["responses"]
    assert len(json.dumps(sent)) < len(json.dumps(domain.as_dict())) / 5
