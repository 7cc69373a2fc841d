"""After "forget me", no personal string of the user is anywhere in the database.

The test stores a letter, a reminder and hotline calls with distinctive personal strings, and a
conversation in Rasa's tracker store (table `events`) that contains them and a download link;
then it forgets, reflects the schema and searches every column of every table for every string
(as typed, JSON-escaped, and as the SHA-256 of a token).
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date, datetime, timedelta, timezone

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores.tracker import ConversationStore
from tests.cancellation.log.database_search import search_everything, variants

SENDER = "web:zoe-conversation"
NAME = "Zoë Ñúñez-Beispielfrau"
STREET = "Zoëstraße 4711a"
EMAIL = "zoe.nunez@beispiel-mail.example"
OPTION = "Zoë-Spezial-Option-4711"
PROVIDER = "Studio Zoë Beispiel"
PROVIDER_STREET = "Beispielallee 99b"
REASON = "Umzug nach Zoëhausen wegen neuer Stelle"
PERSONAL_STRINGS = (NAME, STREET, EMAIL, OPTION, PROVIDER, PROVIDER_STREET, REASON)


def test_after_forget_no_personal_string_is_left_in_any_table(attempt_log, database_url):
    person = {
        "full_name": NAME, "street": STREET, "postcode": "47110", "city": "Zoëhausen",
        "email": EMAIL,
        "provider_address": {"lines": [PROVIDER], "street": PROVIDER_STREET,
                             "postcode": "12345", "city": "Musterstadt"},
    }
    subject = f"Option „{OPTION}“"
    letter = attempt_log.evidence.create_letter_attempt(
        channel="web", conversation_id=SENDER, provider=PROVIDER, subject_kind="option",
        subject=subject, requested_end=date(2027, 3, 31), personal_data=person,
        render=lambda reference: f"%PDF-1.4 {NAME} {STREET} {OPTION} {REASON}".encode(),
        idempotency_key=hashlib.sha256(f"{SENDER}{NAME}".encode()).hexdigest(),
        contract_type="mobile",
    )
    attempt_log.evidence.set_status(letter.reference, "sent", details={"sent_on": date(2027, 1, 2)})
    attempt_log.evidence.create_letter_attempt(
        channel="web", conversation_id=SENDER, provider=PROVIDER, subject_kind="option",
        subject=subject, requested_end=None, personal_data=person,
        render=lambda reference: f"%PDF-1.4 reminder {NAME}".encode(),
        kind="reminder_letter", related_reference=letter.reference,
    )
    for number in (1, 2):
        attempt_log.evidence.log_hotline_attempt(
            channel="web", conversation_id=SENDER, provider=PROVIDER, subject=subject,
            called_at=datetime(2027, 1, 5, 9, tzinfo=timezone.utc), outcome="unreachable",
            note=f"Anruf {number}: {REASON}, Rückruf an {EMAIL}",
        )
    token = attempt_log.tokens.issue(letter.reference, ttl=timedelta(days=7))
    evidence_token = attempt_log.tokens.issue(letter.reference, ttl=timedelta(days=7),
                                              document="evidence")
    someone_else = attempt_log.evidence.create_letter_attempt(
        channel="web", conversation_id="web:other", provider="o2", subject_kind="contract",
        subject="Mobilfunkvertrag", requested_end=None, personal_data={"full_name": "Max Muster"},
        render=lambda reference: b"%PDF-1.4 Max", provider_key="o2",
    )

    domain = Domain.load("bot/domain")
    store = ConversationStore(domain=domain, url=database_url)
    tracker = DialogueStateTracker.from_events(SENDER, [
        ActionExecuted("action_listen"),
        UserUttered(f"Ich heiße {NAME}, wohne in der {STREET}, Mail {EMAIL}"),
        SlotSet("full_name", NAME), SlotSet("street", STREET), SlotSet("email", EMAIL),
        UserUttered(f"Ich will die {OPTION} bei {PROVIDER}, {PROVIDER_STREET} kündigen"),
        SlotSet("option_name", OPTION), SlotSet("provider", PROVIDER),
        UserUttered(f"Grund: {REASON}"),
        BotUttered(f"Fertig: http://127.0.0.1:5005/letters/{token}"),
        BotUttered(f"Nachweis: http://127.0.0.1:5005/letters/{evidence_token}"),
    ], slots=domain.slots)
    asyncio.run(store.save(tracker))
    needles = {text: variants(text) for text in PERSONAL_STRINGS}
    needles["letter token"] = {token, hashlib.sha256(token.encode()).hexdigest()}
    needles["evidence token"] = {evidence_token, hashlib.sha256(evidence_token.encode()).hexdigest()}
    needles["conversation id"] = {SENDER}
    before = search_everything(database_url, needles)
    assert {"events", "attempt_private", "persons", "letters", "download_tokens"} <= {
        hit.split(" in ")[1].split(".")[0] for hit in before
    }, before  # the search does find what is there

    result = attempt_log.deletion.forget_conversation(SENDER)
    tracker.update(UserUttered("ja, alles löschen"))
    tracker.update(ActionExecuted("action_forget_me"))
    tracker.update(SlotSet("forget_outcome", "deleted"))
    asyncio.run(store.save(tracker))

    assert len(result.references) == 4
    assert search_everything(database_url, needles) == []
    assert attempt_log.reads.verify().ok
    assert attempt_log.reads.personal_data(someone_else.reference) == {"full_name": "Max Muster"}
