"""`make cluster` for real: two Rasa replicas and two action servers behind HAProxy, on PostgreSQL
(a scratch schema) and Redis, started by scripts/cluster.sh exactly as an operator starts it.

The tests run in file order and share one cluster: the first ones need both replicas fresh; the
SIGTERM test takes one replica down (the supervisor starts it again) and the rolling restart waits
until every backend is back up; the kill -9 test comes last, so nobody waits for the killed
replica to load its model again (about a minute on a busy machine).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import aiohttp
import pytest
import socketio
from sqlalchemy import create_engine, text

from scripts.bench import CANCELLATION, ConversationFailed, LETTER_LINK, next_message
from scripts.cluster import HAProxyAdmin, free_port_block
from tests.support.databases import scratch_postgres
from tests.support.fake_telegram import FakeBotApi, text_update
from tests.support.stack import MODEL, ROOT, VENV_BIN, tail

REST_TOKEN = "cluster-test-" + uuid.uuid4().hex
TELEGRAM_SECRET = "cluster-Secret_0123456789"
# Short, so a conversation whose replica was killed mid-turn waits only briefly for its lock.
LOCK_LIFETIME_S = 10
START_TIMEOUT_S = 420



def _wait(condition: Callable[[], Any], timeout: float, what: str, step: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Cluster:
    process: subprocess.Popen
    run_dir: Path
    env: Dict[str, str]
    rasa_port: int
    telegram: FakeBotApi
    output: Path
    latencies: List[float] = field(default_factory=list)  # seconds per REST turn, for reports
    resends: List[str] = field(default_factory=list)  # conversations that resent after an error
    turns: Dict[str, int] = field(default_factory=dict)  # REST turns per sender in converse()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def admin(self) -> HAProxyAdmin:
        return HAProxyAdmin(self.run_dir / "haproxy.sock")

    def state(self) -> dict:
        return json.loads((self.run_dir / "cluster.json").read_text())

    def member(self, name: str) -> dict:
        return self.state()["members"][name]

    def statuses(self) -> Dict[str, str]:
        return {
            server: row["status"]
            for (backend, server), row in self.admin.servers().items()
            if backend in ("rasa", "actions")
        }

    def wait_all_up(self, timeout: float = START_TIMEOUT_S) -> None:
        _wait(lambda: set(self.statuses().values()) == {"UP"}, timeout, "every backend UP")

    def haproxy_log(self) -> str:
        return (self.run_dir / "haproxy.log").read_text(errors="replace")

    def supervisor_output(self) -> str:
        return self.output.read_text(errors="replace")

    def diagnostics(self, log_before: int = 0, output_before: int = 0) -> str:
        """What a failed cluster test prints: the balancer's and the supervisor's words since a
        point, and the warnings of every member (their logs are gone with the CI machine)."""
        parts = [
            "--- haproxy ---", self.haproxy_log()[log_before:][-3000:],
            "--- supervisor ---", self.supervisor_output()[output_before:][-2000:],
        ]
        for log in sorted(self.run_dir.glob("*-[0-9].log")):
            lines = [
                line for line in log.read_text(errors="replace").splitlines()
                if re.search(r"WARNING|ERROR|Traceback|Error:", line)
            ]
            parts += [f"--- {log.name} (warnings and errors) ---", "\n".join(lines[-25:])]
        return "\n".join(parts)

    def turns_served(self, name: str) -> float:
        """kuendigungshilfe_turns_total of one replica, from its Prometheus exporter."""
        port = self.member(name)["metrics_port"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            body = response.read().decode()
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in body.splitlines()
            if line.startswith("kuendigungshilfe_turns_total{")
        )

    # -- REST ---------------------------------------------------------------------------------

    def say(self, sender: str, message: str, port: Optional[int] = None, timeout: float = 120) -> List[dict]:
        url = f"http://127.0.0.1:{port or self.rasa_port}/webhooks/rest/webhook"
        request = urllib.request.Request(
            url, data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {REST_TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def converse(
        self, sender: str, after_turn: Optional[Callable[[int], None]] = None,
        first_replies: Optional[List[dict]] = None,
    ) -> str:
        """A whole o2 cancellation over REST through the balancer; returns the letter's URL once
        the link served a PDF. Any failed request fails the conversation. The one thing a client
        does again is what the bot asks a user to do after its "technisches Problem" message
        (an action call cut off by a kill): send the last message once more, at most once."""
        replies: List[dict] = first_replies or []
        resent = False
        for turn in range(1 if first_replies else 0, 40):
            message = next_message(CANCELLATION, turn, _text(replies))
            if message is None:
                break
            started = time.monotonic()
            try:
                replies = self.say(sender, message)
                self.latencies.append(time.monotonic() - started)
                self.turns[sender] = self.turns.get(sender, 0) + 1
            except urllib.error.HTTPError as error:
                raise AssertionError(
                    f"{sender}, turn {turn}: {message!r} -> HTTP {error.code} after "
                    f"{time.monotonic() - started:.1f} s ({time.strftime('%H:%M:%S')})"
                ) from error
            if not resent and "technisches Problem" in _text(replies):
                resent = True
                self.resends.append(sender)
                replies = self.say(sender, message)
                self.turns[sender] += 1
            assert replies, f"{sender}: no answer to {message!r}"
            if after_turn:
                after_turn(turn)
        match = LETTER_LINK.search(_text(replies))
        assert match, f"{sender}: no letter link in {_text(replies)!r}"
        with urllib.request.urlopen(match.group(1), timeout=60) as response:
            assert response.status == 200 and response.read().startswith(b"%PDF-")
        return match.group(1)


def _text(replies: List[dict]) -> str:
    return "\n".join(str(reply.get("text") or "") for reply in replies)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not MODEL.exists():
        raise RuntimeError("No trained model: run `make model` (make test does it).")
    run_dir = tmp_path_factory.mktemp("cluster")
    base = free_port_block(10)
    replica_base, action_base, metrics_base = free_port_block(4), free_port_block(4), free_port_block(60)
    rasa_port = base
    with FakeBotApi() as api:
        for database_url in scratch_postgres("cluster"):
            env = dict(os.environ)
            env.update(
                PYTHONPATH=str(ROOT),
                CLUSTER_DIR=str(run_dir),
                RASA_MODEL=str(MODEL),
                REPLICAS="2", ACTION_REPLICAS="2",
                RASA_PORT=str(rasa_port), ACTION_PORT=str(base + 1), HAPROXY_STATS_PORT=str(base + 2),
                REPLICA_PORT_BASE=str(replica_base), ACTION_REPLICA_PORT_BASE=str(action_base),
                METRICS_PORT_BASE=str(metrics_base),
                DATABASE_URL=database_url, REDIS_URL="redis://127.0.0.1:6379/0",
                PUBLIC_BASE_URL=f"http://127.0.0.1:{rasa_port}",
                REST_TOKEN=REST_TOKEN,
                TICKET_LOCK_LIFETIME=str(LOCK_LIFETIME_S),
                SANIC_GRACEFUL_SHUTDOWN_TIMEOUT="20",
                TELEGRAM_TOKEN=api.token, TELEGRAM_BOT_NAME=api.username,
                TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook",
                TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET, TELEGRAM_API_BASE_URL=api.base_url,
                TELEGRAM_MODE="webhook",
                SQL_POOL_SIZE="3", SQL_MAX_OVERFLOW="5",
                # All test users come from 127.0.0.1 through HAProxy, i.e. one client address:
                # the per-address limits (tests/e2e/test_security.py) would stop the load.
                RATE_LIMIT_MESSAGES_PER_MINUTE="0", RATE_LIMIT_IP_MESSAGES_PER_MINUTE="0",
                RATE_LIMIT_LETTERS_PER_DAY="0",
            )
            env.pop("METRICS_PORT", None)
            output = run_dir / "supervisor.out"
            with output.open("wb") as out:
                process = subprocess.Popen(
                    [str(ROOT / "scripts" / "cluster.sh")], cwd=ROOT, env=env, stdout=out,
                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                )
            running = Cluster(process, run_dir, env, rasa_port, api, output)
            try:
                def ready() -> bool:
                    if process.poll() is not None:
                        raise RuntimeError(f"make cluster exited:\n{tail(output)}")
                    state_file = run_dir / "cluster.json"
                    return state_file.exists() and json.loads(state_file.read_text())["ready"]

                _wait(ready, START_TIMEOUT_S, "the cluster to start", step=0.5)
                running.wait_all_up(timeout=30)
                yield running
            finally:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    try:
                        process.wait(timeout=90)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait()
            assert process.returncode == 0, tail(output)
            # Ctrl-C / SIGTERM stopped everything the supervisor started.
            state = json.loads((run_dir / "cluster.json").read_text())
            for name, member in state["members"].items():
                assert member["pid"] is None, name


def _attempt_rows(cluster: Cluster, senders: List[str]) -> Dict[str, int]:
    engine = create_engine(cluster.env["DATABASE_URL"], future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT conversation_id, count(*) FROM attempts WHERE kind = 'letter' "
                     "GROUP BY conversation_id")
            ).all()
    finally:
        engine.dispose()
    # The conversation id may carry a channel prefix ("rest:<sender>").
    counts = {sender: 0 for sender in senders}
    for conversation_id, count in rows:
        for sender in senders:
            if conversation_id == sender or conversation_id.endswith(":" + sender):
                counts[sender] += count
    return counts


def _verify_log(cluster: Cluster) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot", "attempts", "verify"], cwd=ROOT,
        env=cluster.env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- web chat over socket.io ---------------------------------------------------------------


class WebChatUser:
    """What the rasa-webchat widget does: socket.io (polling, then websocket) with a cookie jar,
    session_request, then user_uttered messages with the confirmed session id."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = aiohttp.CookieJar(unsafe=True)  # keeps cookies of 127.0.0.1 like a browser
        self.http = aiohttp.ClientSession(cookie_jar=self.jar)
        self.client = socketio.AsyncClient(reconnection=False, http_session=self.http)
        self.messages: List[str] = []
        self.session: "asyncio.Future[str]" = asyncio.get_running_loop().create_future()

        @self.client.on("bot_uttered")
        async def bot_uttered(data: Dict[str, Any]) -> None:
            self.messages.append(str(data.get("text") or ""))

        @self.client.on("session_confirm")
        async def session_confirm(session_id: str) -> None:
            if not self.session.done():
                self.session.set_result(session_id)

    def replica(self) -> str:
        return {cookie.key: cookie.value for cookie in self.jar}.get("KH_REPLICA", "")

    async def converse(self) -> str:
        await self.client.connect(
            self.base_url, socketio_path="/socket.io", headers={"Origin": self.base_url},
            wait_timeout=30,
        )
        await self.client.emit("session_request", {"session_id": None})
        session_id = await asyncio.wait_for(self.session, timeout=30)
        reply = ""
        for turn in range(40):
            message = next_message(CANCELLATION, turn, reply)
            if message is None:
                break
            before = len(self.messages)
            await self.client.emit(
                "user_uttered",
                {"message": message, "customData": {"language": "de"}, "session_id": session_id},
            )
            reply = await self._answer(before, turn + 1)
        await self.client.disconnect()
        await self.http.close()
        match = LETTER_LINK.search(reply)
        assert match, f"web chat ended without a letter: {reply!r}"
        return match.group(1)

    async def _answer(self, before: int, turn: int, timeout: float = 90) -> str:
        """The bot's messages since `before`, once they answer something the script knows and
        nothing more arrived for a moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(0.3)
            reply = "\n".join(self.messages[before:])
            try:
                if not reply or next_message(CANCELLATION, turn, reply) is None and not LETTER_LINK.search(reply):
                    continue
            except ConversationFailed:
                continue
            count = len(self.messages)
            await asyncio.sleep(1.0)
            if len(self.messages) == count:
                return "\n".join(self.messages[before:])
        raise AssertionError(f"no complete answer; got {self.messages[before:]!r}")


async def _web_chats(base_url: str, count: int) -> List[tuple]:
    users = [WebChatUser(base_url) for _ in range(count)]
    links = await asyncio.gather(*(user.converse() for user in users))
    return [(user.replica(), link) for user, link in zip(users, links)]


# -- the tests -------------------------------------------------------------------------------


def _two_conversations_per_replica(cluster: Cluster) -> Dict[str, List[tuple]]:
    """Start conversations until each replica holds two: the balancer hashes the sender, so the
    replica that served a conversation's first turn is its replica."""
    placed: Dict[str, List[tuple]] = {"rasa-1": [], "rasa-2": []}
    first = next_message(CANCELLATION, 0, "")
    for index in range(40):
        if all(len(started) >= 2 for started in placed.values()):
            break
        sender = f"cluster-rest-{uuid.uuid4().hex[:8]}-{index}"
        before = {name: cluster.turns_served(name) for name in placed}
        replies = cluster.say(sender, first)
        grew = [name for name in placed if cluster.turns_served(name) > before[name]]
        assert len(grew) == 1, grew
        placed[grew[0]].append((sender, replies))
    assert all(len(started) >= 2 for started in placed.values()), placed
    return {name: started[:2] for name, started in placed.items()}


def test_rest_and_web_chat_conversations_reach_letters_on_both_replicas(cluster: Cluster) -> None:
    placed = _two_conversations_per_replica(cluster)
    before = {name: cluster.turns_served(name) for name in ("rasa-1", "rasa-2")}
    started = [item for items in placed.values() for item in items]
    senders = [sender for sender, _ in started]
    with ThreadPoolExecutor(len(started)) as pool:
        links = list(pool.map(lambda item: cluster.converse(item[0], first_replies=item[1]), started))
    assert len(set(links)) == len(senders)
    # Every further turn of a conversation was served by the replica of its first turn.
    rest_served = {name: cluster.turns_served(name) - before[name] for name in before}
    assert rest_served == {
        name: sum(cluster.turns[sender] for sender, _ in items) for name, items in placed.items()
    }
    before = {name: cluster.turns_served(name) for name in before}

    web = asyncio.run(_web_chats(cluster.base_url, 2))
    # Each web chat stayed on one replica (its cookie), and round robin gave them different ones.
    assert sorted(replica for replica, _ in web) == ["rasa-1", "rasa-2"]

    served = {name: cluster.turns_served(name) - before[name] + rest_served[name] for name in before}
    total = sum(served.values())
    assert total >= 6 * 9
    for name, turns in served.items():
        assert turns >= total * 0.25, served  # both replicas did a real share of the work
    assert _attempt_rows(cluster, senders) == {sender: 1 for sender in senders}


def test_the_same_telegram_update_at_two_replicas_is_answered_once(cluster: Cluster) -> None:
    chat = random.randint(10_000_000, 99_999_999)
    update = text_update(chat, "/start")
    ports = [cluster.member(name)["port"] for name in ("rasa-1", "rasa-2")]

    def deliver(port: int) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhooks/telegram/webhook", data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json",
                     "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
        )
        try:
            with urllib.request.urlopen(request, timeout=90) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(deliver, ports))  # a retry that reached the other replica
    assert statuses == [200, 200]
    api = cluster.telegram
    api.wait_for(lambda a: any("Was möchten Sie kündigen?" in t for t in a.sent_texts(chat)), timeout=60)
    time.sleep(3)  # the second delivery has finished too (it answered 200); nothing more comes
    texts = api.sent_texts(chat)
    assert sum("Was möchten Sie kündigen?" in t for t in texts) == 1, texts


def test_sigterm_lets_the_turn_in_flight_finish_and_refuses_new_connections(cluster: Cluster) -> None:
    from rasa.core.lock_store import RedisLockStore

    member = cluster.member("rasa-2")
    sender = f"cluster-graceful-{uuid.uuid4().hex[:8]}"
    locks = RedisLockStore(host="127.0.0.1", port=6379, db=0, key_prefix="kuendigungshilfe")
    # Hold the conversation's lock as another replica's turn would, so the replica's turn is
    # certainly in flight when SIGTERM arrives. (Both ids: with or without a channel prefix.)
    ids = [sender, f"rest:{sender}"]
    tickets = {cid: locks.issue_ticket(cid, lock_lifetime=120) for cid in ids}
    result: Dict[str, Any] = {}

    def talk() -> None:
        try:
            result["replies"] = cluster.say(sender, "Ich will meinen Handyvertrag bei o2 kündigen",
                                            port=member["port"])
        except Exception as error:  # reported by the assertion below
            result["error"] = error

    thread = threading.Thread(target=talk)
    thread.start()
    try:
        _wait(lambda: any(len(locks.get_or_create_lock(cid).tickets) > 1 for cid in ids), 60,
              "the replica to queue for the conversation's lock")
        os.kill(member["pid"], signal.SIGTERM)

        def refused() -> bool:
            try:
                socket.create_connection(("127.0.0.1", member["port"]), timeout=1).close()
                return False
            except ConnectionRefusedError:
                return True

        _wait(refused, 20, "the replica to stop accepting connections")
        assert thread.is_alive(), result  # the turn is still waiting, not cut off
    finally:
        for cid, ticket in tickets.items():
            locks.finish_serving(cid, ticket)
    thread.join(60)
    assert "error" not in result, result.get("error")
    assert "Name" in _text(result["replies"])  # the bot's first question of the cancellation
    _wait(lambda: f"rasa-2 exited (code 0)" in cluster.supervisor_output(), 60,
          "rasa-2 to exit cleanly")


def test_a_rolling_restart_under_load_fails_no_request(cluster: Cluster) -> None:
    cluster.wait_all_up()
    state = cluster.state()
    old_pids = {name: member["pid"] for name, member in state["members"].items()}
    stop = threading.Event()
    outcomes: Dict[str, List[Any]] = {"letters": [], "failures": []}

    def user(index: int) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            sender = f"cluster-roll-{uuid.uuid4().hex[:6]}-{index}-{number}"
            try:
                outcomes["letters"].append(cluster.converse(sender))
            except Exception as error:  # every failure counts
                outcomes["failures"].append(f"{sender}: {error!r}")

    threads = [threading.Thread(target=user, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        os.kill(state["pid"], signal.SIGHUP)
        _wait(lambda: cluster.state()["rolling_restarts"] == state["rolling_restarts"] + 1,
              START_TIMEOUT_S, "the rolling restart", step=1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(300)
    assert outcomes["failures"] == []
    assert len(outcomes["letters"]) >= 3
    new_pids = {name: member["pid"] for name, member in cluster.state()["members"].items()}
    assert all(new_pids[name] != old_pids[name] for name in old_pids), (old_pids, new_pids)
    cluster.wait_all_up(timeout=60)


def test_kill_nine_of_a_replica_and_an_action_server_loses_no_conversation(cluster: Cluster) -> None:
    cluster.wait_all_up()
    senders = [f"cluster-kill-{uuid.uuid4().hex[:8]}-{i}" for i in range(10)]
    # Half of them pause after their third turn until the kill, the other half keep talking, so
    # the kill hits conversations in the middle and turns in flight.
    pausing = set(senders[:5])
    paused = threading.Semaphore(0)
    killed = threading.Event()

    def conversation(sender: str) -> str:
        def after_turn(turn: int) -> None:
            if turn == 2 and sender in pausing:
                paused.release()
                killed.wait(120)

        return cluster.converse(sender, after_turn)

    victims = {name: cluster.member(name)["pid"] for name in ("rasa-1", "actions-1")}
    log_before, output_before = len(cluster.haproxy_log()), len(cluster.supervisor_output())
    with ThreadPoolExecutor(len(senders)) as pool:
        futures = [pool.submit(conversation, sender) for sender in senders]
        try:
            for _ in pausing:
                assert paused.acquire(timeout=120)
            for pid in victims.values():
                os.kill(pid, signal.SIGKILL)
        finally:
            killed.set()
        cluster.latencies.clear()
        cluster.resends.clear()
        try:
            links = [future.result(timeout=300) for future in futures]
        except Exception as error:
            raise AssertionError(f"{error!r}\n{cluster.diagnostics(log_before, output_before)}") from error

    slowest = sorted(cluster.latencies)[-3:]
    print(f"kill -9: {len(cluster.latencies)} turns, slowest {[round(x, 1) for x in slowest]} s, "
          f"{len(cluster.resends)} resent after 'technisches Problem'")
    assert len(set(links)) == len(senders)
    assert _attempt_rows(cluster, senders) == {sender: 1 for sender in senders}
    _verify_log(cluster)
    log = cluster.haproxy_log()[log_before:]
    assert re.search(r"Server rasa/rasa-1 is DOWN", log), log[-2000:]
    assert re.search(r"Server actions/actions-1 is DOWN", log), log[-2000:]
    output = cluster.supervisor_output()[output_before:]
    assert "rasa-1 exited (code -9)" in output and "actions-1 exited (code -9)" in output
