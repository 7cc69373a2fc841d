"""Over the running stack: after "forget me", no download token, name or answer is left in any
table (Rasa's `events` included), and the links are dead."""

from __future__ import annotations

import hashlib
import re

from tests.cancellation.log.database_search import search_everything, variants
from tests.e2e.conftest import Chat

LINK = re.compile(r"\((http://127\.0\.0\.1:\d+/letters/([A-Za-z0-9_-]+))\)")
NAME = "Zoë Quxfrau-Ñúñez"
STREET = "Zoë-Quxbeispielweg 17"


def test_forget_leaves_no_token_and_no_answer_in_the_database(chat: Chat):
    chat.say("Ich will meinen Handyvertrag bei 1&1 kündigen")
    chat.say(NAME)
    chat.say(f"{STREET}, 10115 Berlin")
    chat.say("555666777")
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    chat.say("nein")
    letter = LINK.search(chat.say("ja"))
    assert letter, chat.text
    evidence = LINK.search(chat.say("Ich brauche einen Nachweis"))
    assert evidence, chat.text
    needles = {
        "letter token": {letter.group(2), hashlib.sha256(letter.group(2).encode()).hexdigest()},
        "evidence token": {evidence.group(2)},
        NAME: variants(NAME),
        STREET: variants(STREET),
    }
    before = search_everything(chat.stack.database_url, needles)
    assert any(hit.startswith("letter token in events.") for hit in before), before

    assert "wirklich" in chat.say("löschen Sie meine Daten")
    assert chat.say("ja").startswith("Erledigt")

    assert search_everything(chat.stack.database_url, needles) == []
    assert chat.stack.get(letter.group(1))[0] == 404
    assert chat.stack.get(evidence.group(1))[0] == 404
