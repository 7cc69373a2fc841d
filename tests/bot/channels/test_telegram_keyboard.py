from __future__ import annotations

from bot.channels.telegram.keyboard import (
    STORED_PAYLOAD_PREFIX,
    callback_data_for,
    inline_keyboard,
    stored_payload_key,
)


def test_short_payloads_travel_in_the_button_itself() -> None:
    markup, to_store = inline_keyboard(
        [{"title": "Ja", "payload": "/affirm"}, {"title": "Nein", "payload": "/deny"}]
    )
    assert markup == {
        "inline_keyboard": [
            [{"text": "Ja", "callback_data": "/affirm"}],
            [{"text": "Nein", "callback_data": "/deny"}],
        ]
    }
    assert to_store == []


def test_long_payloads_are_replaced_by_a_digest_under_64_bytes() -> None:
    payload = '/inform{"provider": "Vodafone Kabel Deutschland GmbH", "option": "Sky"}'
    markup, [stored] = inline_keyboard([{"title": "Vodafone", "payload": payload}])
    data = markup["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64
    assert stored.payload == payload
    assert stored_payload_key(data) == stored.state_key


def test_multibyte_payloads_are_measured_in_bytes() -> None:
    payload = "ä" * 40  # 40 characters but 80 bytes
    assert callback_data_for(payload).state_key is not None


def test_a_payload_that_looks_like_a_stored_reference_is_stored_as_well() -> None:
    forged = STORED_PAYLOAD_PREFIX + "0" * 32
    callback = callback_data_for(forged)
    assert callback.data != forged and callback.payload == forged


def test_malformed_references_are_not_looked_up() -> None:
    assert stored_payload_key(STORED_PAYLOAD_PREFIX + "../../etc") is None
    assert stored_payload_key("/affirm") is None


def test_url_buttons_open_the_url() -> None:
    markup, _ = inline_keyboard([{"title": "Datenschutz", "url": "https://example.org/ds"}])
    assert markup["inline_keyboard"] == [[{"text": "Datenschutz", "url": "https://example.org/ds"}]]
