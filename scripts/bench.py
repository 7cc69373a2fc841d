"""Load benchmark: `python -m scripts.bench` (or `make bench`) against the RUNNING servers.

Drives complete conversations over Rasa's REST channel with 1, 10 and 50 concurrent users (each
user talks through `--conversations-per-user` conversations one after another) and prints one
JSON line per load level. A conversation only counts as complete when its last reply carries the
download link and that link really serves a PDF. `--baseline` drives a stock `rasa init` bot with
a greet/mood conversation of the same number of turns instead (see scripts/bench_baseline.sh).

Numbers from a shared 2-core machine are noisy: each line carries the 1-minute load average.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import aiohttp

from letters import bench as letter_bench
from scripts.bench_script import (  # noqa: F401 (re-exported)
    BASELINE,
    CANCELLATION,
    LETTER_LINK,
    ConversationFailed,
    Script,
    next_message,
)

DEFAULT_BASE_URL = "http://127.0.0.1:5005"
DEFAULT_LEVELS = (1, 10, 50)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
PROC = Path("/proc")


@dataclass(frozen=True)
class Settings:
    base_url: str
    script: Script
    turn_timeout_s: float
    level_timeout_s: float
    conversations_per_user: int
    # Bearer token for the REST channel (REST_TOKEN, as `make cluster` sets it); None: no header.
    rest_token: Optional[str] = None


@dataclass
class LevelLog:
    """What one load level produced; filled in by concurrently running conversations."""

    turn_ms: List[float] = field(default_factory=list)
    completed: int = 0
    letters: int = 0
    errors: Dict[str, int] = field(default_factory=dict)

    def fail(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def reply_text(replies: Sequence[dict]) -> str:
    return "\n".join(str(reply.get("text") or "") for reply in replies)


def letter_link(replies: Sequence[dict]) -> Optional[str]:
    """The download link in the bot's replies of one turn, or None."""
    match = LETTER_LINK.search(reply_text(replies))
    return match.group(1) if match else None


# -- CPU time of the local server processes --------------------------------------------------
# Wall-clock turn times on a shared machine mostly measure the other jobs; the CPU time the
# server processes spend per turn does not, so it is the fairer number for comparing two bots.


def _listening_inodes(port: int) -> FrozenSet[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return frozenset(inodes)


def _stat_fields(pid: int) -> Optional[List[str]]:
    """Fields of /proc/<pid>/stat after the command name (which may contain spaces)."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()


def _pids() -> List[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def server_processes(base_url: str) -> Tuple[int, ...]:
    """The process group of whatever listens on base_url's port here: Rasa plus, when started
    by scripts/run.sh, the action server. Empty when the server is not local or not visible."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.hostname not in LOCAL_HOSTS or not (PROC / "net").is_dir():
        return ()
    inodes = _listening_inodes(parts.port or (443 if parts.scheme == "https" else 80))
    targets = {f"socket:[{inode}]" for inode in inodes}
    owner = None
    for pid in _pids() if targets else ():
        try:
            if any(os.readlink(fd) in targets for fd in (PROC / str(pid) / "fd").iterdir()):
                owner = pid
                break
        except OSError:  # gone, or another user's process
            continue
    stat = _stat_fields(owner) if owner else None
    if stat is None:
        return ()
    group = stat[2]
    # Started from one non-interactive shell, this client may share the servers' group.
    client = os.getpid() if owner != os.getpid() else None
    return tuple(pid for pid in _pids() if (_stat_fields(pid) or [None] * 3)[2] == group and pid != client)


def cpu_seconds(pids: Sequence[int]) -> float:
    ticks = 0
    for pid in pids:
        stat = _stat_fields(pid)
        if stat:  # utime and stime are fields 14 and 15 of stat; 12 and 13 after the name
            ticks += int(stat[11]) + int(stat[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def summarise(
    log: LevelLog, users: int, conversations: int, wall_s: float, render_ms_p50: Optional[float],
    with_letters: bool = True, server_cpu_s: Optional[float] = None,
) -> dict:
    durations = sorted(log.turn_ms)
    wall_s = max(wall_s, 1e-9)
    # Conversations the level's time bound cut off are errors too.
    unfinished = conversations - log.completed - sum(log.errors.values())
    errors = dict(log.errors)
    if unfinished > 0:
        errors["level_timeout"] = errors.get("level_timeout", 0) + unfinished
    return {
        "users": users,
        "conversations": conversations,
        "turns": len(durations),
        "p50_turn_ms": round(statistics.median(durations), 1) if durations else None,
        "p95_turn_ms": round(letter_bench.percentile(durations, 0.95), 1) if durations else None,
        "messages_per_s": round(len(durations) / wall_s, 2),
        "conversations_per_s": round(log.completed / wall_s, 3),
        "letters_per_s": round(log.letters / wall_s, 3) if with_letters else None,
        "errors": sum(errors.values()),
        "letter_render_ms_p50": render_ms_p50,
        "server_cpu_ms_per_turn": (
            round(server_cpu_s * 1000 / len(durations), 1) if server_cpu_s is not None and durations else None
        ),
        "error_kinds": errors,
        "wall_s": round(wall_s, 2),
        "load_1m": round(os.getloadavg()[0], 2),
    }


async def say(session: aiohttp.ClientSession, settings: Settings, sender: str, message: str) -> List[dict]:
    url = f"{settings.base_url}/webhooks/rest/webhook"
    try:
        # REST_TOKEN (--rest-token): the same bearer token the server requires, when it requires one.
        headers = {"Authorization": f"Bearer {settings.rest_token}"} if settings.rest_token else None
        async with session.post(
            url, json={"sender": sender, "message": message}, headers=headers
        ) as response:
            if response.status != 200:
                raise ConversationFailed(f"http_{response.status}")
            replies = await response.json(content_type=None)
    except asyncio.TimeoutError:
        raise ConversationFailed("timeout") from None
    except aiohttp.ClientError:
        raise ConversationFailed("connection") from None
    except ValueError:  # not JSON
        raise ConversationFailed("bad_reply") from None
    if not isinstance(replies, list):
        raise ConversationFailed("bad_reply")
    return replies


async def download_is_pdf(session: aiohttp.ClientSession, url: str) -> None:
    try:
        async with session.get(url) as response:
            if response.status != 200:
                raise ConversationFailed(f"letter_http_{response.status}")
            body = await response.read()
            if not (response.content_type == "application/pdf" and body.startswith(b"%PDF-")):
                raise ConversationFailed("letter_not_pdf")
    except asyncio.TimeoutError:
        raise ConversationFailed("timeout") from None
    except aiohttp.ClientError:
        raise ConversationFailed("connection") from None


async def converse(session: aiohttp.ClientSession, settings: Settings, sender: str, log: LevelLog) -> None:
    replies: List[dict] = []
    try:
        for turn in itertools.count():
            message = next_message(settings.script, turn, reply_text(replies))
            if message is None:
                break
            started = time.perf_counter()
            replies = await say(session, settings, sender, message)
            log.turn_ms.append((time.perf_counter() - started) * 1000)
            if not replies:  # a user left without an answer is a failed conversation
                raise ConversationFailed("no_reply")
        if settings.script.ends_with_letter:
            link = letter_link(replies)
            if link is None:
                raise ConversationFailed("no_letter_link")
            await download_is_pdf(session, link)
            log.letters += 1
    except ConversationFailed as failure:
        log.fail(failure.kind)
        return
    except Exception as error:  # counted, not fatal: one broken conversation must not end the level
        log.fail(type(error).__name__)
        return
    log.completed += 1


async def user(
    session: aiohttp.ClientSession, settings: Settings, senders: Sequence[str], log: LevelLog
) -> None:
    for sender in senders:
        await converse(session, settings, sender, log)


def client_session(settings: Settings, users: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=settings.turn_timeout_s),
        connector=aiohttp.TCPConnector(limit=max(1, users) * 2),
    )


async def run_level(
    settings: Settings, users: int, run_id: str, render_ms_p50: Optional[float], servers: Sequence[int]
) -> dict:
    log = LevelLog()
    conversations = users * settings.conversations_per_user
    async with client_session(settings, users) as session:
        senders = [
            [f"bench-{run_id}-u{users}-{index}-{number}" for number in range(settings.conversations_per_user)]
            for index in range(users)
        ]
        tasks = [
            asyncio.create_task(user(session, settings, own, log)) for own in senders
        ]
        started, cpu_before = time.perf_counter(), cpu_seconds(servers)
        _, pending = await asyncio.wait(tasks, timeout=settings.level_timeout_s)
        wall_s, server_cpu_s = time.perf_counter() - started, cpu_seconds(servers) - cpu_before
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return summarise(
        log, users, conversations, wall_s, render_ms_p50, settings.script.ends_with_letter,
        server_cpu_s if servers else None,
    )


async def reachable(settings: Settings) -> Optional[str]:
    """None if the Rasa server answers, else why not (so a missing server fails fast)."""
    try:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(f"{settings.base_url}/") as response:
                return None if response.status == 200 else f"HTTP {response.status}"
    except (asyncio.TimeoutError, aiohttp.ClientError) as error:
        return f"{type(error).__name__}: {error}"


async def warm_up(settings: Settings, run_id: str) -> Optional[str]:
    """One uncounted conversation: the first turns of a fresh server load lazily."""
    log = LevelLog()
    async with client_session(settings, 1) as session:
        await asyncio.wait_for(
            converse(session, settings, f"bench-{run_id}-warmup", log),
            timeout=settings.level_timeout_s,
        )
    return None if log.completed else ", ".join(log.errors)


async def benchmark(settings: Settings, levels: Sequence[int], render_ms_p50: Optional[float]) -> List[dict]:
    # Unique per run so a re-run never continues an old conversation in the tracker store.
    run_id = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    problem = await reachable(settings)
    if problem:
        raise SystemExit(f"No Rasa server at {settings.base_url} ({problem}); start it with `make run`.")
    try:
        problem = await warm_up(settings, run_id)
    except asyncio.TimeoutError:
        problem = "level_timeout"
    if problem:
        print(f"warning: the warm-up conversation failed ({problem})", file=sys.stderr)
    servers = server_processes(settings.base_url)
    if not servers:
        print("note: the server processes are not visible here; no server_cpu_ms_per_turn", file=sys.stderr)
    results = []
    for users in levels:
        result = await run_level(settings, users, run_id, render_ms_p50, servers)
        print(json.dumps(result), flush=True)
        results.append(result)
    return results


def parse_levels(text: str) -> Tuple[int, ...]:
    try:
        levels = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("levels must be positive numbers of users")
    return levels


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL,
                        help=f"Rasa server (default {DEFAULT_BASE_URL})")
    parser.add_argument("--levels", type=parse_levels, default=DEFAULT_LEVELS,
                        help="concurrent users per level, comma-separated (default 1,10,50)")
    parser.add_argument("--conversations-per-user", type=int, default=2, metavar="N",
                        help="complete conversations each user has, one after another (default 2)")
    parser.add_argument("--turn-timeout", type=float, default=60.0, metavar="S",
                        help="seconds one request may take (default 60)")
    parser.add_argument("--level-timeout", type=float, default=300.0, metavar="S",
                        help="seconds one load level may take; unfinished conversations count as errors "
                             "(default 300)")
    parser.add_argument("--render-letters", type=int, default=50, metavar="N",
                        help="letters rendered in-process for letter_render_ms_p50; 0 skips it (default 50)")
    parser.add_argument("--rest-token", default=os.environ.get("REST_TOKEN") or None, metavar="TOKEN",
                        help="bearer token for the REST channel (default: $REST_TOKEN)")
    parser.add_argument("--baseline", action="store_true",
                        help="drive a stock `rasa init` bot (greet/mood turns, no letter)")
    args = parser.parse_args(argv)
    if args.conversations_per_user < 1:
        parser.error("--conversations-per-user must be at least 1")
    if args.turn_timeout <= 0 or args.level_timeout <= 0:
        parser.error("timeouts must be positive")

    settings = Settings(
        base_url=args.base_url.rstrip("/"),
        script=BASELINE if args.baseline else CANCELLATION,
        turn_timeout_s=args.turn_timeout,
        level_timeout_s=args.level_timeout,
        conversations_per_user=args.conversations_per_user,
        rest_token=args.rest_token,
    )
    # Rendered before the load, so the servers' work does not slow it down (and vice versa).
    render_ms_p50 = None
    if not args.baseline and args.render_letters > 0:
        render_ms_p50 = letter_bench.run(args.render_letters)["ms_per_letter_p50"]
    results = asyncio.run(benchmark(settings, args.levels, render_ms_p50))
    return 1 if any(result["errors"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
