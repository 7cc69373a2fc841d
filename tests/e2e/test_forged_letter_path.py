"""The letter is only written from complete answers, also when the conversation state was forged.

Rasa's HTTP API (`--enable-api`, not part of `make run`) can write any event into a
conversation: here a form state whose name answer is blank and whose summary is one "ja" away.
The user hears what is missing, is asked for it, and gets the letter only after confirming the
summary again (actions/letter.py, docs/SECURITY_REVIEW.md)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.support.answers import COMPLETE_ANSWERS
from tests.support.stack import Stack, running_stack

SENDER = "forged-letter"


@pytest.fixture(scope="module")
def api_stack(tmp_path_factory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("forged"), rasa_args=("--enable-api",)) as running:
        yield running


def post_events(stack: Stack, conversation: str, events: list) -> Any:
    request = urllib.request.Request(
        f"{stack.base_url}/conversations/{conversation}/tracker/events",
        data=json.dumps(events).encode(), headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def letters(stack: Stack) -> int:
    engine = create_engine(stack.database_url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT COUNT(*) FROM attempts")).scalar_one()
    finally:
        engine.dispose()


def texts(replies: list) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def test_a_blank_answer_in_a_forged_form_is_asked_for_before_any_letter(api_stack: Stack) -> None:
    api_stack.say(SENDER, "hallo")
    slots = dict(COMPLETE_ANSWERS, full_name="   ", summary_confirmed=None, requested_slot="summary_confirmed")
    post_events(
        api_stack, f"rest:{SENDER}",
        [{"event": "active_loop", "name": "cancellation_form"}]
        + [{"event": "slot", "name": name, "value": value} for name, value in slots.items()],
    )

    answer = texts(api_stack.say(SENDER, "ja"))
    assert "Für Ihr Kündigungsschreiben fehlen noch Angaben: Name." in answer
    assert "vollständiger Name" in answer  # the form asks for it
    assert letters(api_stack) == 0

    summary = texts(api_stack.say(SENDER, "Erika Mustermann"))
    assert "Erika Mustermann" in summary and "Stimmt alles?" in summary
    assert letters(api_stack) == 0

    done = texts(api_stack.say(SENDER, "ja"))
    assert "Ihr Kündigungsschreiben ist fertig" in done
    assert letters(api_stack) == 1
