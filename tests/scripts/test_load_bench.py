"""scripts.bench against a small fake Rasa REST server (no Rasa, no model): what it reports."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections import defaultdict
from typing import Dict, Iterator, List

import pytest
from aiohttp import web

from scripts import bench

PDF = b"%PDF-1.4\n%fake\n"
QUESTIONS = (
    "Wie lautet Ihr vollständiger Name?",
    "Wie lautet Ihre Anschrift?",
    "Wie lautet Ihre Kundennummer?",
    "Wie lautet die Rufnummer oder Vertragsnummer, um die es geht?",
    "Wie lautet Ihre Kundenkennzahl?",
    "Zu wann möchten Sie kündigen?",
    "Soll der Brief noch etwas enthalten?",
    "Möchten Sie eine E-Mail-Adresse angeben?",
    "Bitte prüfen Sie Ihre Angaben: Name, Anschrift, Kundennummer, E-Mail. Stimmt alles?",
)
SAID = [
    "Ich will meinen Handyvertrag bei o2 kündigen", "Max Mustermann", "Musterstraße 5, 10115 Berlin",
    "123456789", "0176 12345678", "4711", "nächstmöglich", "nein", "nein", "ja",
]


class FakeBot:
    """Asks QUESTIONS one per message, then sends the letter link (unless told otherwise)."""

    def __init__(self, mode: str = "ok", delay_s: float = 0.0) -> None:
        self.mode = mode
        self.delay_s = delay_s
        self.messages: Dict[str, List[str]] = defaultdict(list)
        self.port = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.root)
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/letters/{token}", self.letter)
        return app

    async def root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, message = body["sender"], body["message"]
        self.messages[sender].append(message)
        await asyncio.sleep(self.delay_s)
        if self.mode == "server_error" and len(self.messages[sender]) == 3:
            return web.Response(status=500, text="boom")
        turn = len(self.messages[sender])
        if self.mode == "silent" and turn == 2:
            return web.json_response([])
        if self.mode == "odd_question" and turn == 3:
            return web.json_response([{"recipient_id": sender, "text": "Welche Farbe hat Ihr Router?"}])
        if self.mode == "stuck":
            turn = 1
        if turn <= len(QUESTIONS):
            replies = [{"recipient_id": sender, "text": text} for text in ("Danke.", QUESTIONS[turn - 1])]
        elif self.mode == "no_link":
            replies = [{"recipient_id": sender, "text": "Ihr Kündigungsschreiben ist fertig."}]
        else:
            link = f"http://127.0.0.1:{self.port}/letters/tok-{sender}"
            replies = [{"recipient_id": sender, "text": f"Fertig.\n[Brief herunterladen (PDF)]({link})"}]
        return web.json_response(replies)

    async def letter(self, request: web.Request) -> web.Response:
        if self.mode == "html_letter":
            return web.Response(text="<html>Link abgelaufen</html>", content_type="text/html")
        return web.Response(body=PDF, content_type="application/pdf")


@pytest.fixture
def serve() -> Iterator:
    """Starts a FakeBot in a thread of its own (bench.main runs its own event loop)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runners = []

    def start(bot: FakeBot) -> str:
        async def up() -> int:
            runner = web.AppRunner(bot.app())
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            runners.append(runner)
            return runner.addresses[0][1]

        bot.port = asyncio.run_coroutine_threadsafe(up(), loop).result(timeout=10)
        return f"http://127.0.0.1:{bot.port}"

    yield start
    for runner in runners:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)


def run_bench(capsys, *args: str) -> "tuple[int, list]":
    code = bench.main(["--render-letters", "0", *args])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines]


def test_one_json_line_per_level_with_complete_conversations_and_letters(serve, capsys):
    bot = FakeBot()
    base = serve(bot)
    code, results = run_bench(capsys, "--base-url", base, "--levels", "1,3", "--conversations-per-user", "2")
    assert code == 0
    assert [result["users"] for result in results] == [1, 3]
    assert [result["conversations"] for result in results] == [2, 6]
    assert [result["turns"] for result in results] == [20, 60]
    for result in results:
        assert {"users", "conversations", "turns", "p50_turn_ms", "p95_turn_ms", "messages_per_s",
                "conversations_per_s", "letters_per_s", "errors", "letter_render_ms_p50"} <= set(result)
        assert result["errors"] == 0
        assert 0 < result["p50_turn_ms"] <= result["p95_turn_ms"]
        assert result["messages_per_s"] > 0
        assert result["letters_per_s"] == pytest.approx(result["conversations_per_s"])
        assert result["letters_per_s"] > 0
        assert result["letter_render_ms_p50"] is None  # --render-letters 0
    # Every conversation (plus the warm-up) has a sender id of its own and answers every question.
    assert len(bot.messages) == 2 + 6 + 1
    assert all(messages == SAID for messages in bot.messages.values())


def test_sender_ids_differ_between_runs(serve, capsys):
    bot = FakeBot()
    base = serve(bot)
    run_bench(capsys, "--base-url", base, "--levels", "1", "--conversations-per-user", "1")
    run_bench(capsys, "--base-url", base, "--levels", "1", "--conversations-per-user", "1")
    assert len(bot.messages) == 4


@pytest.mark.parametrize(
    "mode, kind",
    [("no_link", "unexpected_reply"), ("html_letter", "letter_not_pdf"), ("server_error", "http_500"),
     ("silent", "no_reply"), ("odd_question", "unexpected_reply"), ("stuck", "too_many_turns")],
)
def test_conversations_without_a_pdf_letter_are_errors(serve, capsys, mode, kind):
    base = serve(FakeBot(mode))
    code, [result] = run_bench(capsys, "--base-url", base, "--levels", "2", "--conversations-per-user", "2")
    assert code == 1
    assert result["errors"] == 4
    assert result["error_kinds"] == {kind: 4}
    assert result["letters_per_s"] == 0 and result["conversations_per_s"] == 0


def test_a_slow_server_is_cut_off_by_the_time_bounds(serve, capsys):
    base = serve(FakeBot(delay_s=0.4))
    code, [result] = run_bench(
        capsys, "--base-url", base, "--levels", "2", "--conversations-per-user", "1",
        "--turn-timeout", "0.1", "--level-timeout", "5",
    )
    assert code == 1
    assert result["error_kinds"] == {"timeout": 2}
    assert result["turns"] == 0

    code, [result] = run_bench(
        capsys, "--base-url", base, "--levels", "2", "--conversations-per-user", "1",
        "--turn-timeout", "5", "--level-timeout", "1",
    )
    assert result["error_kinds"] == {"level_timeout": 2}


def test_no_server_fails_fast_with_a_hint():
    with pytest.raises(SystemExit, match="make run"):
        bench.main(["--base-url", "http://127.0.0.1:9", "--render-letters", "0"])


def test_baseline_says_its_fixed_messages_and_needs_no_letter(serve, capsys):
    bot = FakeBot("odd_question")
    base = serve(bot)
    code, [result] = run_bench(capsys, "--baseline", "--base-url", base, "--levels", "2",
                               "--conversations-per-user", "1")
    assert code == 0
    assert result["errors"] == 0 and result["turns"] == 20
    assert result["letters_per_s"] is None and result["letter_render_ms_p50"] is None
    assert len(bench.BASELINE.fixed) == len(SAID)  # as many turns as our o2 conversation
    assert all(messages == list(bench.BASELINE.fixed) for messages in bot.messages.values())


def test_letter_render_time_comes_from_the_letters_benchmark(serve, capsys):
    base = serve(FakeBot())
    bench.main(["--base-url", base, "--levels", "1", "--conversations-per-user", "1",
                "--render-letters", "2"])
    [result] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert result["letter_render_ms_p50"] > 0


def test_bad_levels_are_rejected(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--levels", "0,10"])
    assert "levels" in capsys.readouterr().err


def test_server_cpu_per_turn_is_measured_for_a_local_server(serve, capsys):
    base = serve(FakeBot())
    assert os.getpid() in bench.server_processes(base)  # the fake server runs in this process
    _, [result] = run_bench(capsys, "--base-url", base, "--levels", "2", "--conversations-per-user", "1")
    assert result["server_cpu_ms_per_turn"] >= 0


def test_remote_or_absent_servers_have_no_cpu_figure():
    assert bench.server_processes("http://example.org:5005") == ()
    assert bench.server_processes("http://127.0.0.1:9") == ()
