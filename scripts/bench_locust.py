"""Realistic users for locust (run by scripts/bench_scale.py in .venv-bench, see docs/BENCHMARK.md):
each user has whole o2 cancellations one after another, thinks 5-10 s before every message
(reading the question, typing the answer), and downloads the letter at the end.

    .venv-bench/bin/locust -f scripts/bench_locust.py --headless -u 300 -r 5 -t 180s \
        --host http://127.0.0.1:5005

REST_TOKEN (environment) is sent as the bearer token. A conversation that gets an answer the
script does not know, or ends without a letter, is reported as a failure of the request
("letter" or the turn that went wrong).
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from pathlib import Path

import gevent
from locust import FastHttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.bench_script import CANCELLATION, LETTER_LINK, ConversationFailed, next_message  # noqa: E402

THINK_S = (5.0, 10.0)


def _headers() -> dict:
    token = os.environ.get("REST_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


class Consumer(FastHttpUser):
    """geventhttpclient instead of requests: several times less CPU per request on the load side,
    which shares this machine's two cores with the servers it measures."""

    # Between conversations; within one the think time is in the task.
    wait_time = between(*THINK_S)
    default_headers = _headers()

    @task
    def cancel_a_contract(self) -> None:
        sender = f"locust-{uuid.uuid4().hex}"
        text = ""
        for turn in range(CANCELLATION.max_turns + 2):
            try:
                message = next_message(CANCELLATION, turn, text)
            except ConversationFailed as failure:
                self._failed(failure.kind)
                return
            if message is None:
                break
            if turn:
                self._think()
            with self.client.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": message},
                name="turn", catch_response=True,
            ) as response:
                try:
                    replies = response.json()
                except ValueError:
                    replies = None
                if response.status_code != 200 or not replies:
                    response.failure(f"HTTP {response.status_code}, {len(replies or [])} replies")
                    return
                text = "\n".join(str(reply.get("text") or "") for reply in replies)
        link = LETTER_LINK.search(text)
        if link is None:
            self._failed("no_letter_link")
            return
        with self.client.get(link.group(1), name="letter", catch_response=True) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF-"):
                response.failure(f"letter: HTTP {response.status_code}")

    def _failed(self, kind: str) -> None:
        self.environment.events.request.fire(
            request_type="CONV", name=kind, response_time=0, response_length=0,
            exception=ConversationFailed(kind), context={},
        )

    def _think(self) -> None:
        gevent.sleep(random.uniform(*THINK_S))
