"""Turn 40 vs turn 2 of one conversation, in one Rasa process: `python -m scripts.bench_turns`.

The growth part of `scripts/bench_scale.py` measures a whole cluster over HTTP; this measures
(and, with `--profile`, profiles) only what a conversation's length costs Rasa itself. It starts
the real action server (`python -m bot.action_server`) on a free port with a throwaway SQLite
database, loads the trained model (models/current.tar.gz) into an in-process `Agent` with our
endpoints.yml (conversation store, lock store) and our Rasa patches, and talks
`--conversations` conversations of `--turns` turns: the o2 opening, then "warum brauchen Sie
das?" again and again (answered, then the form asks its question again), as the cluster's growth
benchmark does. Each turn's CPU time of this process (`time.process_time`: Rasa's work, not the
action server's) is recorded by turn number.

Prints one JSON line: the mean CPU ms of turns 2–4 and of the last three turns, their ratio,
and the 1-minute load average. `--profile DIR` also writes cProfile statistics of the early and
the late turns (`early.prof`, `late.prof`, and the top functions by their difference in
`growth.txt`). `--without PATCH,...` leaves those registered patches out (to measure their
effect).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
OPENING = "Ich will meinen Handyvertrag bei o2 kündigen"
LONG_TALK = "warum brauchen Sie das?"  # as scripts/bench_scale.py's growth part


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def action_server(workdir: Path) -> Iterator[Dict[str, str]]:
    """The real action server on a free port; yields the environment Rasa needs to reach it."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(ROOT), ACTION_PORT=str(port),
        ACTION_SERVER_URL=f"http://127.0.0.1:{port}/webhook",
        ACTION_SERVER_TOKEN=secrets.token_urlsafe(32),
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}",
        PUBLIC_BASE_URL="http://127.0.0.1:5005", SQL_POOL_SIZE="5", SQL_MAX_OVERFLOW="10",
    )
    env.pop("REDIS_URL", None)  # in-memory lock store: one process
    subprocess.run([str(PYTHON), "-m", "bot", "migrate"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    log = (workdir / "actions.log").open("ab")
    process = subprocess.Popen([str(PYTHON), "-m", "bot.action_server"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        import urllib.request

        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the action server did not start; see " + log.name)
                time.sleep(0.5)
        env["_ACTION_SERVER_PID"] = str(process.pid)
        yield env
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _agent(model: Path, without: Sequence[str]):  # type: ignore[no-untyped-def]
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot import rasa_patches

    # As `rasa run` configures logging (LOG_LEVEL, default INFO): debug output costs time too.
    configure_logging_and_warnings(None, warn_only_once=True, filter_repeated_logs=True)
    configure_structlog(None)

    patches = [patch for patch in rasa_patches.PATCHES if patch.name not in without]
    unknown = set(without) - {patch.name for patch in rasa_patches.PATCHES}
    if unknown:
        raise SystemExit(f"no such patch: {', '.join(sorted(unknown))}")
    rasa_patches.install(patches)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    return await load_agent(str(model), endpoints=endpoints)


async def _say(agent, sender: str, text: str) -> List[dict]:  # type: ignore[no-untyped-def]
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    channel = CollectingOutputChannel()
    await agent.handle_message(UserMessage(text, channel, sender, input_channel="rest"))
    return channel.messages


async def measure(model: Path, conversations: int, turns: int, without: Sequence[str],
                  profile_dir: Optional[Path], action_pid: int) -> dict:
    from scripts.bench import cpu_seconds

    agent = await _agent(model, without)
    early_turns, late_turns = range(2, 5), range(turns - 2, turns + 1)
    profiles = {"early": cProfile.Profile(), "late": cProfile.Profile()}
    cpu: Dict[int, List[float]] = {}
    wall: Dict[int, List[float]] = {}
    action_cpu: Dict[int, List[float]] = {}
    # One uncounted conversation first: the process loads lazily on its first turns.
    for index in range(conversations + 1):
        sender = f"rest:bench-turns-{uuid.uuid4().hex[:8]}"
        for turn in range(1, turns + 1):
            message = OPENING if turn == 1 else LONG_TALK
            phase = "early" if turn in early_turns else "late" if turn in late_turns else None
            profiler = profiles[phase] if (profile_dir and phase and index) else None
            action_started = cpu_seconds([action_pid])
            started, wall_started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            replies = await _say(agent, sender, message)
            if profiler:
                profiler.disable()
            spent = (time.process_time() - started) * 1000
            wall_ms = (time.perf_counter() - wall_started) * 1000
            action_spent = (cpu_seconds([action_pid]) - action_started) * 1000
            if not replies:
                raise RuntimeError(f"no answer in turn {turn}")
            if index:
                cpu.setdefault(turn, []).append(spent)
                wall.setdefault(turn, []).append(wall_ms)
                action_cpu.setdefault(turn, []).append(action_spent)
    early = [ms for turn in early_turns for ms in cpu[turn]]
    late = [ms for turn in late_turns for ms in cpu[turn]]
    action_early = [ms for turn in early_turns for ms in action_cpu[turn]]
    action_late = [ms for turn in late_turns for ms in action_cpu[turn]]
    if profile_dir:
        _write_profiles(profiles, profile_dir, calls=len(early))
    return {
        "measure": f"turn {turns} vs turn 2, one Rasa process",
        "turn_2_4_cpu_ms_mean": round(statistics.fmean(early), 1),
        f"turn_{turns - 2}_{turns}_cpu_ms_mean": round(statistics.fmean(late), 1),
        "cpu_ratio": round(statistics.fmean(late) / statistics.fmean(early), 2),
        "turn_2_4_cpu_ms_median": round(statistics.median(early), 1),
        f"turn_{turns - 2}_{turns}_cpu_ms_median": round(statistics.median(late), 1),
        "turn_2_4_wall_ms_median": round(statistics.median(
            [ms for turn in early_turns for ms in wall[turn]]), 1),
        f"turn_{turns - 2}_{turns}_wall_ms_median": round(statistics.median(
            [ms for turn in late_turns for ms in wall[turn]]), 1),
        "action_server_turn_2_4_cpu_ms_mean": round(statistics.fmean(action_early), 1),
        f"action_server_turn_{turns - 2}_{turns}_cpu_ms_mean": round(statistics.fmean(action_late), 1),
        "conversations": conversations, "without": list(without),
        "load_1m": round(os.getloadavg()[0], 2),
    }


def _write_profiles(profiles: Dict[str, cProfile.Profile], directory: Path, calls: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    totals = {}
    for name, profile in profiles.items():
        profile.dump_stats(str(directory / f"{name}.prof"))
        stats = pstats.Stats(profile, stream=io.StringIO())
        totals[name] = {
            f"{Path(file).name}:{line}:{function}": (cumulative / calls, own / calls)
            for (file, line, function), (_, _, own, cumulative, _) in stats.stats.items()
        }
    rows = []
    for key, (late_cum, late_own) in totals["late"].items():
        early_cum, early_own = totals["early"].get(key, (0.0, 0.0))
        rows.append((late_cum - early_cum, late_own - early_own, late_cum, key))
    lines = ["growth of cumulative ms per turn (late - early), own-time growth, late cumulative"]
    for cum, own, late, key in sorted(rows, reverse=True)[:80]:
        lines.append(f"{cum * 1000:8.2f} {own * 1000:8.2f} {late * 1000:8.2f}  {key}")
    lines.append("")
    lines.append("by own-time growth")
    for cum, own, late, key in sorted(rows, key=lambda row: row[1], reverse=True)[:50]:
        lines.append(f"{cum * 1000:8.2f} {own * 1000:8.2f} {late * 1000:8.2f}  {key}")
    (directory / "growth.txt").write_text("\n".join(lines) + "\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_turns", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=3)
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--without", default="", help="registered patches to leave out, comma-separated")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="write cProfile statistics here")
    args = parser.parse_args(argv)
    if args.turns < 8:
        parser.error("--turns must be at least 8 (turns 2-4 vs the last three)")
    without = [name for name in args.without.split(",") if name]
    os.chdir(ROOT)  # endpoints.yml and the domain's relative paths
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as workdir:
        with action_server(Path(workdir)) as env:
            action_pid = int(env.pop("_ACTION_SERVER_PID"))
            os.environ.update(env)
            line = asyncio.run(measure(args.model, args.conversations, args.turns, without,
                                       args.profile, action_pid))
    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
