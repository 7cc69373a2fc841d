"""The running action server is no public door: it listens on loopback only, and a direct call
without the shared token (here: "forget me" for a real user's conversation) is refused and
changes nothing, while the same call with the token does what Rasa would have asked."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional, Set, Tuple

from sqlalchemy import text

from cancellation.log.engine import create_log_engine
from tests.e2e.conftest import Chat

LINK = re.compile(r"\((http://127\.0\.0\.1:\d+/letters/([A-Za-z0-9_-]+))\)")


def listening_addresses(port: int) -> Set[str]:
    """Local addresses of the sockets listening on `port` (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def call_action(stack, action: str, sender: str, token: Optional[str]) -> Tuple[int, bytes]:
    body = {
        "next_action": action,
        "sender_id": sender,
        "tracker": {"sender_id": sender, "slots": {"language": "de"}, "latest_message": {},
                    "events": [], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": None},
        "domain": {},
        "version": "3.6.21",
    }
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{stack.action_port}/webhook", data=json.dumps(body).encode(), headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def stored_sender(stack, sender: str) -> str:
    """The conversation id Rasa stored for a REST sender (channels may prefix it)."""
    engine = create_log_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            ids = connection.execute(
                text("SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE :pattern"),
                {"pattern": f"%{sender}"},
            ).scalars().all()
    finally:
        engine.dispose()
    assert len(ids) == 1, ids
    return ids[0]


def test_the_action_server_listens_on_loopback_only(stack):
    # 0100007F: 127.0.0.1 in /proc's byte order; never 00000000 (0.0.0.0) or an IPv6 wildcard.
    assert listening_addresses(stack.action_port) == {"0100007F"}


def test_forget_me_without_the_token_is_refused_and_keeps_the_data(chat: Chat):
    chat.say("Ich will meinen Handyvertrag bei 1&1 kündigen")
    chat.say("Zoë Torwächter")
    chat.say("Pfortenweg 8, 10115 Berlin")
    chat.say("987654321")
    chat.say("keine")
    chat.say("nächstmöglich")
    chat.say("nein")
    chat.say("nein")
    letter = LINK.search(chat.say("ja"))
    assert letter, chat.text
    sender = stored_sender(chat.stack, chat.sender)
    token = chat.stack.env["ACTION_SERVER_TOKEN"]

    for wrong in (None, "", token[:-1], "x" * len(token)):
        status, body = call_action(chat.stack, "action_forget_me", sender, wrong)
        assert status == 401 and json.loads(body) == {"error": "unauthorized"}
        status, body = call_action(chat.stack, "action_show_status", sender, wrong)
        assert status == 401 and b"KB-" not in body
    assert chat.stack.get(letter.group(1))[0] == 200
    assert "KB-" in chat.say("wie ist meine Vorgangsnummer?")

    # The same call with the token is one Rasa could make: it deletes the letter.
    status, _ = call_action(chat.stack, "action_forget_me", sender, token)
    assert status == 200
    assert chat.stack.get(letter.group(1))[0] == 404
