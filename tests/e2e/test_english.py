"""English-speaking users over REST against the real servers: the conversation follows the user's
language (bot/conversation_language.py), the letter stays German and is explained in English."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import List

from tests.e2e.conftest import Chat, attempts_json
from tests.e2e.pdftext import pdf_text
from tests.e2e.test_conversations import download_letter, reference_in

# Words that show a German sentence; an English reply may quote German terms, but not these.
GERMAN_SENTENCE = re.compile(r"\b(Sie|Ihre?|Ihren|bitte|Bitte|nicht|möchten|Wie lautet)\b")


def english(text: str) -> str:
    assert text, "no reply"
    assert not GERMAN_SENTENCE.search(text), f"German in an English reply: {text}"
    return text


def say_with_metadata(chat: Chat, message: str, metadata: dict) -> List[dict]:
    body = json.dumps({"sender": chat.sender, "message": message, "metadata": metadata}).encode()
    request = urllib.request.Request(
        f"{chat.stack.base_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_an_english_conversation_reaches_a_german_letter_explained_in_english(chat: Chat):
    assert "full name" in english(chat.say("Hi, I want to cancel my mobile contract with o2"))
    assert "address" in english(chat.say("John Smith"))
    assert "customer number" in english(chat.say("Musterstraße 5, 10115 Berlin"))
    assert "phone number or contract number" in english(chat.say("123456789"))
    assert "customer password" in english(chat.say("0176 12345678"))
    assert "contract to end" in english(chat.say("I don't know"))
    assert "anything else" in english(chat.say("as soon as possible"))
    assert "e-mail" in english(chat.say("revoke the direct debit"))
    summary = english(chat.say("no"))
    assert "Please check your details" in summary
    assert "John Smith" in summary and "10115 Berlin" in summary
    assert "revoke the direct debit mandate" in summary
    assert [button["title"] for button in chat.buttons] == ["Yes, write the letter", "Change something"]

    done = chat.say("yes")
    reference = reference_in(done)
    assert "Your cancellation letter is ready" in done
    assert "Download the letter (PDF)" in done
    assert "The letter is in German, because it goes to a German company" in done
    assert "You cancel your contract (“Mobilfunkvertrag”)" in done
    assert "You revoke the direct debit mandate" in done
    assert "What to do next" in done

    text = pdf_text(download_letter(chat))
    # The letter itself is German.
    assert "Sehr geehrte Damen und Herren" in text
    assert "Kündigung" in text and "Mobilfunkvertrag" in text
    assert "nächstmöglichen Zeitpunkt" in text and "SEPA-Lastschriftmandat" in text
    assert "John Smith" in text and reference in text
    [row] = [row for row in attempts_json(chat.stack) if row["reference"] == reference]
    assert row["status"] == "letter_created"
    # The status answer describes the German letter's subject in English.
    status = english(chat.say(f"what is the status of {reference}?"))
    assert f"{reference} of " in status and "mobile contract (Mobilfunkvertrag) with o2" in status


def test_switching_to_english_midway_and_back(chat: Chat):
    german = chat.say("Ich möchte meinen Vertrag bei Vodafone kündigen")
    assert "Art von Vertrag" in german

    switched = chat.say("English please")
    assert "I'll continue in English" in switched
    assert "What kind of contract is it?" in switched  # the open question again, in English
    assert "Mobile" in " ".join(button["title"] for button in chat.buttons)

    # A tapped button sends a German payload: that is no reason to switch back.
    assert "full name" in english(chat.say("Mobilfunk"))

    back = chat.say("auf Deutsch bitte")
    assert "ab jetzt auf Deutsch" in back
    assert "Wie lautet Ihr vollständiger Name" in back
    assert "Anschrift" in chat.say("Erika Mustermann")
    assert "Kundennummer" in chat.say("Musterstraße 5, 10115 Berlin")

    # Writing English switches again without being asked, and the answer counts.
    # (Without a customer number one of the other numbers is needed: the question says so.)
    asked = english(chat.say("I don't have it at hand"))
    assert "phone number or contract number" in asked and "Without a customer number" in asked


def test_the_channels_language_is_a_first_hint_only(chat: Chat):
    # A Telegram app in English (language_hint) or an English web page (language): greeted in English.
    replies = say_with_metadata(chat, "/greet", {"language_hint": "en"})
    greeting = " ".join(reply.get("text", "") for reply in replies)
    assert "What would you like to cancel?" in english(greeting)
    # The user writes German: the conversation follows the user, not the app.
    replies = say_with_metadata(chat, "Ich will meinen Handyvertrag bei o2 kündigen", {"language_hint": "en"})
    assert "Wie lautet Ihr vollständiger Name" in " ".join(reply.get("text", "") for reply in replies)
