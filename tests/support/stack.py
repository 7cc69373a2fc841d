"""Start the real action server and Rasa server for end-to-end tests.

`running_stack()` launches both processes exactly as `make run` does (scripts/env.sh defaults,
the trained model at models/current.tar.gz, bot/credentials.yml) on free ports, with their own
database, and stops their process groups afterwards.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
# RASA_MODEL lets a developer test a model trained elsewhere (e.g. rasa train --out /tmp/x).
MODEL = Path(os.environ.get("RASA_MODEL", ROOT / "models" / "current.tar.gz"))
START_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited early:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{tail(log)}")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class Stack:
    workdir: Path
    env: Dict[str, str]
    rasa_port: int
    action_port: int
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    # More `rasa run` options, e.g. ("--enable-api",) for tests that forge a conversation state.
    rasa_args: Tuple[str, ...] = ()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    # -- processes ---------------------------------------------------------------------------

    def _spawn(self, name: str, args: List[str]) -> subprocess.Popen:
        log = self.log(name).open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_action_server(self) -> None:
        process = self._spawn(
            "actions",
            # As scripts/run.sh: on ACTION_HOST (127.0.0.1), ACTION_PORT, behind ACTION_SERVER_TOKEN.
            [str(VENV_BIN / "python"), "-m", "bot.action_server"],
        )
        wait_for_http(f"http://127.0.0.1:{self.action_port}/health", START_TIMEOUT_S, process, self.log("actions"))

    def start_rasa(self) -> None:
        process = self._spawn(
            "rasa",
            [
                str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", "endpoints.yml",
                "--credentials", self.env.get("RASA_CREDENTIALS", "bot/credentials.yml"),
                "--port", str(self.rasa_port), "--interface", "127.0.0.1", *self.rasa_args,
            ],
        )
        wait_for_http(f"{self.base_url}/", START_TIMEOUT_S, process, self.log("rasa"))

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    # -- talking to the bot over REST ---------------------------------------------------------

    def say(self, sender: str, message: str, timeout: float = 60) -> List[dict]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        headers = {"Content-Type": "application/json"}
        if self.env.get("REST_TOKEN"):
            headers["Authorization"] = f"Bearer {self.env['REST_TOKEN']}"
        request = urllib.request.Request(
            f"{self.base_url}/webhooks/rest/webhook", data=body, headers=headers,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def get_with_headers(
        self, url: str, headers: Mapping[str, str], timeout: float = 30
    ) -> "tuple[int, dict, bytes]":
        request = urllib.request.Request(url, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, _lower(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers), error.read()

    def get(self, url: str, timeout: float = 30) -> "tuple[int, dict, bytes]":
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, _lower(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers), error.read()


def _lower(headers) -> Dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def stack_environment(workdir: Path, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    rasa_port, action_port = free_port(), free_port()
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=str(ROOT),
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        DATABASE_URL=f"sqlite:///{workdir / 'stack.db'}",
        ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
        ACTION_SERVER_TOKEN=secrets.token_urlsafe(32),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{rasa_port}",
        TELEGRAM_TOKEN="", TELEGRAM_BOT_NAME="", TELEGRAM_WEBHOOK_URL="", TELEGRAM_SECRET_TOKEN="",
        TELEGRAM_API_BASE_URL="https://api.telegram.org", TELEGRAM_MODE="",
        SQL_POOL_SIZE="5", SQL_MAX_OVERFLOW="10",
    )
    env.update(extra or {})
    return env


@contextlib.contextmanager
def running_stack(
    workdir: Path, *, env: Optional[Mapping[str, str]] = None, rasa_args: Sequence[str] = ()
) -> Iterator[Stack]:
    if not MODEL.exists():
        raise RuntimeError("No trained model: run `make model` (make test does it).")
    workdir.mkdir(parents=True, exist_ok=True)
    environment = stack_environment(workdir, env)
    stack = Stack(
        workdir=workdir, env=environment,
        rasa_port=int(environment["RASA_PORT"]), action_port=int(environment["ACTION_PORT"]),
        rasa_args=tuple(rasa_args),
    )
    try:
        subprocess.run(
            [str(VENV_BIN / "python"), "-m", "bot", "migrate"], cwd=ROOT, env=environment,
            check=True, capture_output=True,
        )
        stack.start_action_server()
        stack.start_rasa()
        yield stack
    finally:
        stack.stop_all()
