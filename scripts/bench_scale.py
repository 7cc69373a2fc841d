"""Scale benchmarks (`make bench-scale`; results in docs/BENCHMARK.md). Each part starts its own
`make cluster` (scripts/cluster.sh) on a scratch PostgreSQL schema and the local Redis, on free
ports, and stops it afterwards; the machine should be otherwise quiet (each line has the load).

    python -m scripts.bench_scale throughput [--users 20]        1 vs 2 replicas, saturated
    python -m scripts.bench_scale users [--levels 100,200,300]   locust users with think time
    python -m scripts.bench_scale growth [--attempts 100000]     turn 40 vs 2; full vs empty DB
    python -m scripts.bench_scale growth --only-long [--before-tree DIR]  turn 40 vs 2 only

Prints one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

from sqlalchemy import create_engine, text

from scripts import bench
from scripts.bench_script import CANCELLATION, LETTER_LINK, next_message
from scripts.cluster import free_port_block

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
START_TIMEOUT_S = 600


def emit(line: dict) -> None:
    line.setdefault("load_1m", round(os.getloadavg()[0], 2))
    print(json.dumps(line, ensure_ascii=False), flush=True)



@contextlib.contextmanager
def scratch_schema() -> Iterator[str]:
    schema = f"bench_{secrets.token_hex(5)}"
    admin = create_engine(ADMIN_URL, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


class RunningCluster:
    def __init__(self, process: subprocess.Popen, run_dir: Path, env: Dict[str, str]) -> None:
        self.process, self.run_dir, self.env = process, run_dir, env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}"

    def state(self) -> dict:
        return json.loads((self.run_dir / "cluster.json").read_text())

    def pids(self) -> List[int]:
        state = self.state()
        return [m["pid"] for m in state["members"].values() if m["pid"]] + [state["haproxy_pid"]]


@contextlib.contextmanager
def cluster(replicas: int, database_url: str, action_replicas: Optional[int] = None,
            root: Path = ROOT) -> Iterator[RunningCluster]:
    """`make cluster` of the checkout at `root` (default: this one)."""
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as scratch:
        run_dir = Path(scratch)
        base, replica_base, action_base, metrics_base = (
            free_port_block(4), free_port_block(replicas + 2), free_port_block(8), free_port_block(60))
        env = dict(os.environ)
        env.update(
            CLUSTER_DIR=str(run_dir), REPLICAS=str(replicas),
            ACTION_REPLICAS=str(action_replicas or replicas),
            RASA_PORT=str(base), ACTION_PORT=str(base + 1), HAPROXY_STATS_PORT=str(base + 2),
            REPLICA_PORT_BASE=str(replica_base), ACTION_REPLICA_PORT_BASE=str(action_base),
            METRICS_PORT_BASE=str(metrics_base), DATABASE_URL=database_url, REDIS_URL=REDIS_URL,
            PUBLIC_BASE_URL=f"http://127.0.0.1:{base}", REST_TOKEN=secrets.token_urlsafe(24),
            TELEGRAM_TOKEN="", TELEGRAM_MODE="",
            # Every simulated user comes from 127.0.0.1 through HAProxy: one client address.
            RATE_LIMIT_MESSAGES_PER_MINUTE="0", RATE_LIMIT_IP_MESSAGES_PER_MINUTE="0",
            RATE_LIMIT_LETTERS_PER_DAY="0",
        )
        env.pop("METRICS_PORT", None)
        output = (run_dir / "supervisor.out").open("wb")
        process = subprocess.Popen(
            [str(root / "scripts" / "cluster.sh")], cwd=root, env=env, stdout=output,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        running = RunningCluster(process, run_dir, env)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                if process.poll() is not None:
                    raise SystemExit("make cluster exited:\n" + (run_dir / "supervisor.out").read_text())
                state_file = run_dir / "cluster.json"
                if state_file.exists() and json.loads(state_file.read_text())["ready"]:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("the cluster did not start")
                time.sleep(1)
            time.sleep(3)  # HAProxy's health checks see every backend up
            yield running
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            output.close()


def _settings(running: RunningCluster, conversations_per_user: int = 1) -> bench.Settings:
    return bench.Settings(
        base_url=running.base_url, script=CANCELLATION, turn_timeout_s=120.0,
        level_timeout_s=900.0, conversations_per_user=conversations_per_user,
        rest_token=running.env["REST_TOKEN"],
    )


async def _level(running: RunningCluster, users: int, conversations_per_user: int) -> dict:
    settings = _settings(running, conversations_per_user)
    run_id = uuid.uuid4().hex[:8]
    for number in range(2):  # each replica loads lazily on its first turns
        await bench.warm_up(settings, f"{run_id}-{number}")
    return await bench.run_level(settings, users, run_id, None, running.pids())


# -- 1 vs 2 replicas --------------------------------------------------------------------------


def throughput(users: int, conversations_per_user: int) -> None:
    results = {}
    for replicas in (1, 2):
        with scratch_schema() as url, cluster(replicas, url) as running:
            result = asyncio.run(_level(running, users, conversations_per_user))
        result.update(part="throughput", replicas=replicas, action_servers=replicas)
        result.pop("letter_render_ms_p50", None)
        emit(result)
        results[replicas] = result
    one, two = results[1], results[2]
    emit({
        "part": "throughput", "measure": "2 vs 1 replicas",
        "messages_per_s_ratio": round(two["messages_per_s"] / max(one["messages_per_s"], 1e-9), 2),
        "p95_ratio": round((two["p95_turn_ms"] or 0) / max(one["p95_turn_ms"] or 1e-9, 1e-9), 2),
    })


# -- realistic users with locust ----------------------------------------------------------------


def users(levels: Sequence[int], duration_s: int, spawn_rate: float) -> None:
    locust = ROOT / ".venv-bench" / "bin" / "locust"
    if not locust.exists():
        raise SystemExit("locust is missing: run `make bench-scale` (it installs .venv-bench).")
    with scratch_schema() as url, cluster(2, url) as running:
        asyncio.run(bench.warm_up(_settings(running), "locust-warmup"))
        for level in levels:
            with tempfile.TemporaryDirectory() as scratch:
                prefix = Path(scratch) / "level"
                ramp_s = int(level / spawn_rate) + 1
                cpu_before, started = bench.cpu_seconds(running.pids()), time.monotonic()
                env = dict(os.environ, REST_TOKEN=running.env["REST_TOKEN"])
                subprocess.run(
                    [str(locust), "-f", str(ROOT / "scripts" / "bench_locust.py"), "--headless",
                     "-u", str(level), "-r", str(spawn_rate), "-t", f"{ramp_s + duration_s}s",
                     "--host", running.base_url, "--csv", str(prefix), "--reset-stats",
                     "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"],
                    cwd=ROOT, env=env, check=False, capture_output=True, timeout=ramp_s + duration_s + 300,
                )
                wall = time.monotonic() - started
                cpu = bench.cpu_seconds(running.pids()) - cpu_before
                rows = {row["Name"]: row for row in csv.DictReader(open(f"{prefix}_stats.csv"))}
            turn = rows.get("turn", {})
            failures = sum(int(row["Failure Count"]) for name, row in rows.items() if name != "Aggregated")
            turns = int(turn.get("Request Count") or 0)
            p95 = float(turn.get("95%") or 0)
            emit({
                "part": "users", "users": level, "think_s": "5-10", "measured_s": duration_s,
                "turns": turns, "messages_per_s": float(turn.get("Requests/s") or 0),
                "p50_turn_ms": float(turn.get("50%") or 0), "p95_turn_ms": p95,
                "p99_turn_ms": float(turn.get("99%") or 0),
                "letters": int(rows.get("letter", {}).get("Request Count") or 0),
                "failures": failures,
                "server_cpu_share": round(cpu / wall / (os.cpu_count() or 1), 2),
                "ok": failures == 0 and p95 < 1000,
            })


# -- growth -------------------------------------------------------------------------------------

LONG_TALK = "warum brauchen Sie das?"  # answered, then the form asks its question again


def _say(running: RunningCluster, sender: str, message: str) -> tuple:
    """(wall ms, server CPU ms of the whole cluster, replies) of one message."""
    request = urllib.request.Request(
        f"{running.base_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {running.env['REST_TOKEN']}"},
    )
    pids = running.pids()
    cpu_before = bench.cpu_seconds(pids)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        replies = json.loads(response.read())
    wall_ms = (time.perf_counter() - started) * 1000
    return wall_ms, (bench.cpu_seconds(pids) - cpu_before) * 1000, replies


class Timings:
    """Wall and server-CPU milliseconds per kind of turn."""

    def __init__(self) -> None:
        self.wall: Dict[object, List[float]] = {}
        self.cpu: Dict[object, List[float]] = {}

    def add(self, kind: object, wall_ms: float, cpu_ms: float) -> None:
        self.wall.setdefault(kind, []).append(wall_ms)
        self.cpu.setdefault(kind, []).append(cpu_ms)

    def of(self, kinds: Sequence[object]) -> tuple:
        """(wall times, CPU times) of all turns of these kinds."""
        return ([ms for kind in kinds for ms in self.wall.get(kind, [])],
                [ms for kind in kinds for ms in self.cpu.get(kind, [])])


def long_conversation(running: RunningCluster, turns: int, timings: Timings) -> None:
    """One conversation of `turns` turns; turns 2.. are questions that do not end the form.
    Recorded by turn number (1-based)."""
    sender = f"growth-{uuid.uuid4().hex[:8]}"
    for turn in range(1, turns + 1):
        message = CANCELLATION.opening if turn == 1 else LONG_TALK
        wall_ms, cpu_ms, replies = _say(running, sender, message)
        assert replies, f"no answer in turn {turn}"
        timings.add(turn, wall_ms, cpu_ms)


def whole_conversation(running: RunningCluster, timings: Timings) -> None:
    """One o2 conversation: ordinary turns ("turn") and the last one ("letter": the letter is
    created and logged)."""
    sender = f"growth-letter-{uuid.uuid4().hex[:8]}"
    text_so_far, letters = "", 0
    for turn in range(CANCELLATION.max_turns):
        message = next_message(CANCELLATION, turn, text_so_far)
        if message is None:
            break
        wall_ms, cpu_ms, replies = _say(running, sender, message)
        text_so_far = "\n".join(str(reply.get("text") or "") for reply in replies)
        letter = bool(LETTER_LINK.search(text_so_far))
        letters += letter
        timings.add("letter" if letter else "turn", wall_ms, cpu_ms)
    assert letters, "no letter"


PLANS = {
    # The queries of Rasa's SQLTrackerStore (rasa/core/tracker_store.py: _event_query, save).
    "tracker: load one conversation's current session":
        "SELECT e.* FROM events e, (SELECT max(timestamp) AS session_start FROM events "
        "WHERE sender_id = :sender AND type_name = 'session_started') s "
        "WHERE e.sender_id = :sender AND (e.timestamp >= s.session_start OR s.session_start IS NULL) "
        "ORDER BY e.id",
    "tracker: count stored events before appending":
        "SELECT count(*) FROM events WHERE sender_id = :sender",
    # bot/stores/tracker.py: is the tracker this process saved still what the database holds?
    "tracker: the kept tracker's check (count and last id of the session)":
        "SELECT count(e.id), max(e.id) FROM events e, (SELECT max(timestamp) AS session_start "
        "FROM events WHERE sender_id = :sender AND type_name = 'session_started') s "
        "WHERE e.sender_id = :sender AND (e.timestamp >= s.session_start OR s.session_start IS NULL)",
    "attempt log: an attempt by its reference":
        "SELECT id FROM attempts WHERE reference = :reference",
    "download links: expired tokens deleted before each new link":
        "SELECT token_sha256 FROM download_tokens WHERE expires_at <= now()",
    "attempt log: a letter again by its idempotency key":
        "SELECT id FROM attempts WHERE idempotency_key = :key",
    "attempt log: a conversation's attempts":
        "SELECT id, reference FROM attempts WHERE conversation_id = :sender",
    "attempt log: an attempt's entries (verified read)":
        "SELECT * FROM log_entries WHERE reference = :reference ORDER BY id",
    "attempt log: the chain head (locked by every append)":
        "SELECT * FROM chain_head FOR UPDATE",
    "attempt log: neighbours of an entry (verified read)":
        "SELECT * FROM log_entries WHERE id IN (:first, :last)",
}


def query_plans(url: str) -> None:
    engine = create_engine(url, future=True)
    params = {"sender": "rest:filler-50000", "key": "k" * 64, "reference": "KB-2026-00C350",
              "first": 1000, "last": 100001}
    try:
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            for name, sql in PLANS.items():
                plan = connection.execute(text("EXPLAIN ANALYZE " + sql), params).scalars().all()
                emit({"part": "growth", "plan": name, "sql": sql, "explain": plan})
    finally:
        engine.dispose()


def fill_conversations(url: str, conversations: int, events_each: int) -> None:
    """Stored conversations as Rasa writes them: rows in `events`, one sender each."""
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "SELECT 'rest:filler-' || c, CASE WHEN e % 3 = 0 THEN 'user' ELSE 'action' END, "
                "  1764000000 + c * 100 + e, CASE WHEN e % 3 = 0 THEN 'inform' END, "
                "  CASE WHEN e % 3 <> 0 THEN 'action_listen' END, "
                "  '{\"event\": \"action\", \"name\": \"action_listen\", \"timestamp\": ' || (1764000000 + c * 100 + e) || '}' "
                "FROM generate_series(1, :conversations) AS c, generate_series(1, :events) AS e"
            ), {"conversations": conversations, "events": events_each})
    finally:
        engine.dispose()


def _warm_up(running: RunningCluster) -> None:
    """Uncounted conversations: each process loads lazily on its first turns."""
    for _ in range(3):
        try:
            whole_conversation(running, Timings())
            return
        except Exception as error:  # reported, then tried again
            emit({"part": "growth", "note": f"warm-up conversation failed: {error!r}"})


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 1)


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)


def _mean(values: Sequence[float]) -> float:
    return round(statistics.fmean(values), 1)


def _filled(url: str, attempts: int, conversations: int, events_each: int) -> None:
    from rasa.core.tracker_store import SQLTrackerStore

    from cancellation.log import AttemptLog
    from cancellation.log.migrate import upgrade
    from scripts.bench_log import fill

    started = time.monotonic()
    upgrade(url)
    engine = create_engine(url, future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)  # Rasa's `events` table, as it creates it
    engine.dispose()
    fill_conversations(url, conversations, events_each)
    log = AttemptLog.from_url(url)
    try:
        fill(log, attempts * 2)  # one letter and one status change per attempt
    finally:
        log.dispose()
    emit({"part": "growth", "measure": "fill", "conversations": conversations,
          "events": conversations * events_each, "attempts": attempts,
          "s": round(time.monotonic() - started)})


def _long_conversations(clusters: Dict[str, RunningCluster], samples: int) -> None:
    """(1) turn 40 vs turn 2 of one conversation; with several clusters (code before and after
    a change), their conversations alternate so that all see the same machine load."""
    timings = {name: Timings() for name in clusters}
    for _ in range(samples):
        for name, running in clusters.items():
            long_conversation(running, 40, timings[name])
    for name, timing in timings.items():
        early_wall, early_cpu = timing.of((2, 3, 4))
        late_wall, late_cpu = timing.of((38, 39, 40))
        emit({"part": "growth", "measure": "turn 40 vs turn 2 (one conversation)", "code": name,
              "turn_2_4_ms_median": _median(early_wall),
              "turn_38_40_ms_median": _median(late_wall),
              "ratio": round(statistics.median(late_wall) / statistics.median(early_wall), 2),
              "turn_2_4_cpu_ms_mean": _mean(early_cpu),
              "turn_38_40_cpu_ms_mean": _mean(late_cpu),
              "cpu_ratio": round(statistics.fmean(late_cpu) / statistics.fmean(early_cpu), 2),
              "conversations": samples})


def growth_long_only(samples: int, before_tree: Optional[Path] = None) -> None:
    """Only (1), on a cluster with an empty database: no fill. With `before_tree` (a checkout
    of other code, e.g. `git worktree add /tmp/before <commit>` with .venv and models linked),
    a second cluster runs that code at the same time."""
    with contextlib.ExitStack() as stack:
        clusters = {}
        if before_tree is not None:
            clusters["before"] = stack.enter_context(
                cluster(1, stack.enter_context(scratch_schema()), root=before_tree))
        clusters["this"] = stack.enter_context(cluster(1, stack.enter_context(scratch_schema())))
        for running in clusters.values():
            _warm_up(running)
        _long_conversations(clusters, samples)


def growth(attempts: int, conversations: int, events_each: int, samples: int, long: bool = True) -> None:
    """Two clusters at once, one on an empty database and one on a filled one, and the
    conversations alternate between them, so both see the same machine load (this machine is
    shared: a run first on one, then on the other compared two different loads). Each turn's
    server CPU (all cluster processes, from /proc) is recorded next to its wall time: less
    sensitive to other jobs than wall time."""
    with scratch_schema() as empty_url, scratch_schema() as full_url:
        _filled(full_url, attempts, conversations, events_each)
        with cluster(1, empty_url) as empty_cluster, cluster(1, full_url) as full_cluster:
            _warm_up(empty_cluster)
            _warm_up(full_cluster)
            if long:  # (1) turn 40 vs turn 2 of one conversation, on the empty database
                _long_conversations({"this": empty_cluster}, samples)
            # (2) the same conversations on the empty and the filled database, alternating
            empty, full = Timings(), Timings()
            for _ in range(samples):
                whole_conversation(empty_cluster, empty)
                whole_conversation(full_cluster, full)
        for kind in ("turn", "letter"):
            (empty_wall, empty_cpu), (full_wall, full_cpu) = empty.of((kind,)), full.of((kind,))
            emit({"part": "growth", "measure": f"{kind} with {conversations} conversations and "
                  f"{attempts} attempts vs empty",
                  "empty_ms_median": _median(empty_wall), "full_ms_median": _median(full_wall),
                  "empty_ms_p95": _p95(empty_wall), "full_ms_p95": _p95(full_wall),
                  "ratio": round(statistics.median(full_wall) / statistics.median(empty_wall), 2),
                  "empty_cpu_ms_mean": _mean(empty_cpu), "full_cpu_ms_mean": _mean(full_cpu),
                  "cpu_ratio": round(statistics.fmean(full_cpu) / statistics.fmean(empty_cpu), 2),
                  "samples": len(full_wall)})
        query_plans(full_url)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parts = parser.add_subparsers(dest="part", required=True)
    one = parts.add_parser("throughput", help="1 vs 2 replicas under saturating load")
    one.add_argument("--users", type=int, default=20)
    one.add_argument("--conversations-per-user", type=int, default=3)
    two = parts.add_parser("users", help="locust users with 5-10 s think time")
    two.add_argument("--levels", type=bench.parse_levels, default=(100, 200, 300))
    two.add_argument("--duration", type=int, default=180, help="measured seconds per level")
    two.add_argument("--spawn-rate", type=float, default=5.0)
    three = parts.add_parser("growth", help="turn 40 vs 2; 100k stored conversations and attempts")
    three.add_argument("--attempts", type=int, default=100_000)
    three.add_argument("--conversations", type=int, default=100_000)
    three.add_argument("--events-per-conversation", type=int, default=20)
    three.add_argument("--samples", type=int, default=5)
    three.add_argument("--skip-long", action="store_true", help="skip turn 40 vs turn 2")
    three.add_argument("--only-long", action="store_true",
                       help="only turn 40 vs turn 2, on one cluster with an empty database")
    three.add_argument("--before-tree", type=Path, metavar="DIR",
                       help="with --only-long: also run the checkout in DIR, alternating")
    args = parser.parse_args(argv)
    if args.part == "throughput":
        throughput(args.users, args.conversations_per_user)
    elif args.part == "users":
        users(args.levels, args.duration, args.spawn_rate)
    elif args.only_long:
        growth_long_only(args.samples, args.before_tree)
    else:
        growth(args.attempts, args.conversations, args.events_per_conversation, args.samples,
               long=not args.skip_long)
    return 0


if __name__ == "__main__":
    sys.exit(main())
