"""Rasa buttons -> Telegram inline keyboards.

Telegram limits `callback_data` to 64 bytes, and Rasa payloads such as
`/inform{"provider": "Telefónica Germany"}` easily exceed it. Longer payloads are stored in the
database under a digest and the button carries only the digest, so every replica can resolve it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

MAX_CALLBACK_DATA_BYTES = 64
# Any payload starting with the prefix is stored too, so a stored reference is never ambiguous.
STORED_PAYLOAD_PREFIX = "~p:"
_STATE_KEY_PREFIX = "telegram:callback:"


@dataclass(frozen=True)
class CallbackData:
    data: str
    # Set when the payload must be saved under `state_key` before the keyboard is sent.
    state_key: str | None = None
    payload: str = ""


def callback_data_for(payload: str) -> CallbackData:
    if (
        len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        and payload
        and not payload.startswith(STORED_PAYLOAD_PREFIX)
    ):
        return CallbackData(data=payload)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
    return CallbackData(
        data=STORED_PAYLOAD_PREFIX + digest, state_key=_STATE_KEY_PREFIX + digest, payload=payload
    )


def stored_payload_key(data: str) -> str | None:
    """The state key a button's callback data points to, or None for an inline payload."""
    if not data.startswith(STORED_PAYLOAD_PREFIX):
        return None
    digest = data[len(STORED_PAYLOAD_PREFIX):]
    if len(digest) != 32 or any(char not in "0123456789abcdef" for char in digest):
        return None
    return _STATE_KEY_PREFIX + digest


def inline_keyboard(buttons: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], list[CallbackData]]:
    """One button per row (German button titles are long); returns the reply_markup and the
    payloads that must be stored first."""
    rows: list[list[dict[str, str]]] = []
    to_store: list[CallbackData] = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "").strip()
        if not title:
            continue
        url = str(button.get("url") or "")
        if url.startswith(("https://", "http://")):
            rows.append([{"text": title, "url": url}])
            continue
        callback = callback_data_for(str(button.get("payload") or title))
        if callback.state_key:
            to_store.append(callback)
        rows.append([{"text": title, "callback_data": callback.data}])
    return {"inline_keyboard": rows}, to_store
