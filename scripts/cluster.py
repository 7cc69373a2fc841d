"""`make cluster`: several Rasa replicas and action servers behind HAProxy, supervised.

    scripts/cluster.sh            # what `make cluster` runs (installs HAProxy if missing)
    kill -HUP <supervisor pid>    # rolling restart, one process at a time, no failed request
    Ctrl-C / SIGTERM              # stops everything this started

Layout (all on 127.0.0.1; ports from the environment, defaults in `ClusterConfig.from_env`):

    clients -> HAProxy :RASA_PORT -> rasa-1 .. rasa-N   (REST, web chat, Telegram webhook, letters)
    rasa-i  -> HAProxy :ACTION_PORT -> actions-1 .. actions-M

Every process shares DATABASE_URL (PostgreSQL: tracker store and attempt log) and REDIS_URL
(Rasa's lock store, so a conversation is handled by one replica at a time). HAProxy checks every
backend each second, keeps a REST conversation on one replica (a hash of its sender) and a web
chat (`/socket.io/`) on the replica that holds its socket (a cookie), spreads the rest round
robin, and retries a request whose backend died before answering on another one. A process that dies is started again. The supervisor writes its state (pids, ports)
to `<CLUSTER_DIR>/cluster.json`; logs are `<CLUSTER_DIR>/<name>.log`.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_DATABASE_URL = "postgresql://127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# How long a process may take to answer its health check after start (model loading on a busy
# 2-core machine takes up to a minute per replica).
START_TIMEOUT_S = 300.0
# A conversation's Redis lock outlives a replica killed in the middle of a turn by this long; the
# retried message waits for it. Rasa's default (60 s) would stall that conversation for a minute.
DEFAULT_TICKET_LOCK_LIFETIME_S = 20
# Turns in flight when a replica gets SIGTERM may finish within this time (Sanic's setting).
DEFAULT_GRACEFUL_SHUTDOWN_S = 30
HEALTH_PATHS = {"rasa": "/webhooks/rest/", "actions": "/health"}
PR_SET_PDEATHSIG = 1


class ClusterError(RuntimeError):
    """The cluster cannot start: says what is missing and how to provide it."""


def _int(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ClusterError(f"{name} must be a whole number >= {minimum}, not {raw!r}.")
    return value


@dataclass(frozen=True)
class ClusterConfig:
    replicas: int
    action_replicas: int
    rasa_port: int
    action_port: int
    replica_port_base: int
    action_replica_port_base: int
    metrics_port_base: int
    stats_port: int
    run_dir: Path
    model: Path
    database_url: str
    redis_url: str
    ticket_lock_lifetime_s: int
    graceful_shutdown_s: int

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "ClusterConfig":
        rasa_port = _int(environ, "RASA_PORT", 5005)
        action_port = _int(environ, "ACTION_PORT", 5055)
        config = cls(
            replicas=_int(environ, "REPLICAS", 2),
            action_replicas=_int(environ, "ACTION_REPLICAS", 2),
            rasa_port=rasa_port,
            action_port=action_port,
            # rasa-i listens on REPLICA_PORT_BASE + i, actions-i on ACTION_REPLICA_PORT_BASE + i.
            replica_port_base=_int(environ, "REPLICA_PORT_BASE", rasa_port + 100),
            action_replica_port_base=_int(environ, "ACTION_REPLICA_PORT_BASE", action_port + 100),
            # rasa-i serves metrics on METRICS_PORT_BASE + i, actions-i on METRICS_PORT_BASE + 50 + i.
            metrics_port_base=_int(environ, "METRICS_PORT_BASE", 9100),
            stats_port=_int(environ, "HAPROXY_STATS_PORT", 8404),
            run_dir=Path(environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster"),
            model=Path(environ.get("RASA_MODEL") or ROOT / "models" / "current.tar.gz"),
            database_url=(environ.get("DATABASE_URL") or "").strip() or DEFAULT_DATABASE_URL,
            redis_url=(environ.get("REDIS_URL") or "").strip() or DEFAULT_REDIS_URL,
            ticket_lock_lifetime_s=_int(
                environ, "TICKET_LOCK_LIFETIME", DEFAULT_TICKET_LOCK_LIFETIME_S
            ),
            graceful_shutdown_s=_int(
                environ, "SANIC_GRACEFUL_SHUTDOWN_TIMEOUT", DEFAULT_GRACEFUL_SHUTDOWN_S
            ),
        )
        if config.replicas > 40 or config.action_replicas > 40:
            raise ClusterError("REPLICAS and ACTION_REPLICAS are limited to 40 each.")
        return config

    def members(self) -> List["Member"]:
        rasa = [
            Member(f"rasa-{i}", "rasa", self.replica_port_base + i, self.metrics_port_base + i)
            for i in range(1, self.replicas + 1)
        ]
        actions = [
            Member(
                f"actions-{i}", "actions", self.action_replica_port_base + i,
                self.metrics_port_base + 50 + i,
            )
            for i in range(1, self.action_replicas + 1)
        ]
        return actions + rasa

    def public_ports(self) -> Dict[str, int]:
        ports = {"RASA_PORT": self.rasa_port, "ACTION_PORT": self.action_port,
                 "HAPROXY_STATS_PORT": self.stats_port}
        for member in self.members():
            ports[f"{member.name} port"] = member.port
            ports[f"{member.name} metrics port"] = member.metrics_port
        return ports


@dataclass
class Member:
    """One supervised server process."""

    name: str
    kind: str  # "rasa" or "actions"
    port: int
    metrics_port: int
    process: Optional[subprocess.Popen] = None
    # Restarts in a row that died again within a minute (backs off the next start).
    quick_deaths: int = 0
    started_at: float = 0.0
    # Set while the supervisor itself stops/starts it (rolling restart): no crash handling.
    controlled: bool = False

    @property
    def backend(self) -> str:
        return "rasa" if self.kind == "rasa" else "actions"

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{HEALTH_PATHS[self.kind]}"


# -- dependencies ----------------------------------------------------------------------------


def check_ports(config: ClusterConfig) -> None:
    busy = []
    for name, port in config.public_ports().items():
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                busy.append(f"{name} {port}")
    if busy:
        raise ClusterError(
            "These ports are in use (another `make run` or `make cluster`?): " + ", ".join(busy)
            + ". Stop that, or choose others (RASA_PORT, ACTION_PORT, REPLICA_PORT_BASE, "
            "ACTION_REPLICA_PORT_BASE, METRICS_PORT_BASE, HAPROXY_STATS_PORT)."
        )


def check_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    backend = make_url(url).get_backend_name()
    if backend != "postgresql":
        raise ClusterError(
            f"DATABASE_URL must name a PostgreSQL database for several replicas (it is {backend}): "
            "e.g. postgresql://user@db-host:5432/kuendigungshilfe."
        )
    engine = create_engine(url, connect_args={"connect_timeout": 5}, future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # every driver error means the same to the operator
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0].rstrip(".")
        raise ClusterError(
            f"PostgreSQL is not reachable at DATABASE_URL={_without_password(url)}: {reason}. "
            "Start PostgreSQL there or set DATABASE_URL."
        ) from None
    finally:
        engine.dispose()


def check_redis(url: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError) as error:
        raise ClusterError(
            f"Redis is not reachable at REDIS_URL={_without_password(url)}: {str(error).rstrip('.')}. "
            "Start Redis there or set REDIS_URL (the replicas share their conversation locks in it)."
        ) from None


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def rest_token(config: ClusterConfig, environ: Mapping[str, str]) -> str:
    """REST_TOKEN from the environment, else one generated once and kept in CLUSTER_DIR (0600):
    behind a balancer the REST channel is not only reachable from this machine."""
    given = (environ.get("REST_TOKEN") or "").strip()
    if given:
        return given
    path = config.run_dir / "rest_token"
    if path.exists():
        return path.read_text().strip()
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    return token


def free_port_block(size: int) -> int:
    """A base port b such that b .. b+size are all free on 127.0.0.1 (tests and benchmarks run
    a cluster beside whatever else listens here)."""
    for _ in range(200):
        base = random.randint(20000, 60000 - size)
        sockets = []
        try:
            for port in range(base, base + size + 1):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free block of ports")


# -- HAProxy ---------------------------------------------------------------------------------


def haproxy_config(config: ClusterConfig, members: Sequence[Member]) -> str:
    rasa = [m for m in members if m.kind == "rasa"]
    actions = [m for m in members if m.kind == "actions"]
    timeout_s = config.ticket_lock_lifetime_s + 75  # a retried turn may wait for a dead lock
    lines = [
        "# Written by scripts/cluster.py at every start; edits are overwritten.",
        "global",
        "    log stdout format raw local0 notice",
        f"    stats socket {config.run_dir / 'haproxy.sock'} mode 600 level admin",
        "    maxconn 2000",  # two descriptors per connection stay below a 20000 limit
        # Requests are retried only when they fit in one buffer: Rasa's calls to the action
        # server carry the whole conversation (tens of KB), so the buffer is larger than the
        # 16 KB default.
        "    tune.bufsize 262144",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option dontlog-normal",  # log errors and state changes only
        "    option dontlognull",
        "    timeout connect 2s",
        f"    timeout client {timeout_s}s",
        f"    timeout server {timeout_s}s",
        "    timeout http-request 15s",
        "    timeout http-keep-alive 10s",
        "    timeout tunnel 1h",  # web chat websockets
        "    timeout client-fin 5s",
        "    timeout queue 30s",
        # A replica busy with turns answers its health check late, but it answers: only a
        # check that gets nothing for 10 s (or a refused connection) counts as failed.
        "    timeout check 10s",
        # A backend that refused the connection or closed it without an answer (killed, or
        # shutting down) gets the request again on another backend. Safe: a turn that died
        # stored nothing, and the letter action is idempotent per conversation and answers.
        "    option http-buffer-request",
        "    retries 3",
        "    option redispatch 1",
        "    retry-on conn-failure empty-response 502 503",
        # One request per backend connection: a backend closing an idle connection while
        # HAProxy reuses it can never lose a request (rolling restarts).
        "    option http-server-close",
        # A refused or reset connection takes the backend out at once (a killed process), not
        # only after two failed health checks; the checks bring it back.
        "    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2"
        " observe layer4 error-limit 1 on-error mark-down on-marked-down shutdown-sessions",
        "",
        "frontend public",
        f"    bind 127.0.0.1:{config.rasa_port}",
        "    option forwardfor",
        "    acl web_chat path_beg /socket.io/",
        "    use_backend rasa_web_chat if web_chat",
        "    default_backend rasa",
        "",
        "backend rasa",
        # A REST conversation stays on one replica while it is up (hash of the body's sender;
        # consistent, so a replica going down moves only its own conversations): the replica
        # keeps the conversation's tracker between turns (bot/stores/tracker.py) and no turn
        # waits for another replica's lock. Requests without a JSON sender (Telegram webhook,
        # downloads) are spread round robin.
        "    balance hash req.body,json_query('$.sender')",
        "    hash-type consistent",
        f"    option httpchk GET {HEALTH_PATHS['rasa']}",
        "    http-check expect status 200",
    ]
    lines += [f"    server {m.name} 127.0.0.1:{m.port} check" for m in rasa]
    lines += [
        "",
        "# The web chat starts with HTTP long-polling: every request of one socket.io session must",
        "# reach the replica that holds it. The cookie pins a browser to its replica.",
        "backend rasa_web_chat",
        "    balance roundrobin",
        "    cookie KH_REPLICA insert indirect nocache httponly",
    ]
    lines += [
        f"    server {m.name} 127.0.0.1:{m.port} track rasa/{m.name} cookie {m.name}" for m in rasa
    ]
    lines += [
        "",
        "frontend action_server",
        f"    bind 127.0.0.1:{config.action_port}",
        "    default_backend actions",
        "",
        "backend actions",
        "    balance roundrobin",
        f"    option httpchk GET {HEALTH_PATHS['actions']}",
        "    http-check expect status 200",
    ]
    lines += [f"    server {m.name} 127.0.0.1:{m.port} check" for m in actions]
    lines += [
        "",
        "listen stats",
        f"    bind 127.0.0.1:{config.stats_port}",
        "    stats enable",
        "    stats uri /",
        "    stats refresh 5s",
        "",
    ]
    return "\n".join(lines)


class HAProxyAdmin:
    """HAProxy's runtime API on its stats socket."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.path))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self) -> Dict[tuple, Dict[str, str]]:
        """(backend, server) -> the `show stat` row (status, scur, stot, ...)."""
        text = self.command("show stat")
        rows = [line for line in text.splitlines() if line.strip()]
        header = rows[0].lstrip("# ").split(",")
        result = {}
        for line in rows[1:]:
            row = dict(zip(header, line.split(",")))
            if row.get("svname") not in ("FRONTEND", "BACKEND"):
                result[(row["pxname"], row["svname"])] = row
        return result

    def set_state(self, backend: str, server: str, state: str) -> None:
        self.command(f"set server {backend}/{server} state {state}")


# -- processes -------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the supervisor dies (even by SIGKILL)."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Supervisor:
    def __init__(self, config: ClusterConfig, env: Dict[str, str], say: Callable[[str], None] = print):
        self.config = config
        self.env = env
        self.say = say
        self.members = config.members()
        self.haproxy: Optional[subprocess.Popen] = None
        self.admin = HAProxyAdmin(config.run_dir / "haproxy.sock")
        self.stopping = False
        self.restart_requested = False
        self.rolling_restarts = 0

    # state file for operators and tests
    def write_state(self, ready: bool) -> None:
        state = {
            "pid": os.getpid(),
            "ready": ready,
            "rolling_restarts": self.rolling_restarts,
            "haproxy_pid": self.haproxy.pid if self.haproxy else None,
            "members": {
                m.name: {
                    "kind": m.kind, "port": m.port, "metrics_port": m.metrics_port,
                    "pid": m.process.pid if m.process and m.process.poll() is None else None,
                }
                for m in self.members
            },
        }
        path = self.config.run_dir / "cluster.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2))
        temporary.replace(path)

    def spawn(self, member: Member) -> None:
        env = dict(self.env, METRICS_PORT=str(member.metrics_port))
        if member.kind == "rasa":
            args = [
                str(VENV_BIN / "rasa"), "run", "--model", str(self.config.model),
                "--endpoints", "endpoints.yml", "--credentials", "bot/credentials.yml",
                "--port", str(member.port), "--interface", "127.0.0.1", "--quiet",
            ]
        else:
            # bot/action_server.py: on ACTION_HOST (127.0.0.1), behind ACTION_SERVER_TOKEN.
            env["ACTION_PORT"] = str(member.port)
            args = [str(VENV_BIN / "python"), "-m", "bot.action_server", "--quiet"]
        log = (self.config.run_dir / f"{member.name}.log").open("ab")
        member.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent,
        )
        log.close()
        member.started_at = time.monotonic()

    def wait_healthy(self, member: Member, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if member.process is None or member.process.poll() is not None:
                raise ClusterError(f"{member.name} exited while starting:\n{self.log_tail(member)}")
            if healthy(member.health_url):
                return
            if self.stopping:
                return
            time.sleep(0.5)
        raise ClusterError(f"{member.name} did not answer within {timeout:.0f} s:\n{self.log_tail(member)}")

    def log_tail(self, member: Member, lines: int = 30) -> str:
        try:
            text = (self.config.run_dir / f"{member.name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def start_haproxy(self) -> None:
        path = self.config.run_dir / "haproxy.cfg"
        path.write_text(haproxy_config(self.config, self.members))
        check = subprocess.run(["haproxy", "-c", "-q", "-f", str(path)], capture_output=True, text=True)
        if check.returncode != 0:
            raise ClusterError(f"HAProxy rejects {path}:\n{check.stdout}{check.stderr}")
        log = (self.config.run_dir / "haproxy.log").open("ab")
        self.haproxy = subprocess.Popen(
            ["haproxy", "-db", "-f", str(path)], stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + 20
        while not (self.config.run_dir / "haproxy.sock").exists():
            if self.haproxy.poll() is not None or time.monotonic() > deadline:
                log = self.config.run_dir / "haproxy.log"
                raise ClusterError(f"HAProxy did not start ({log}):\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)

    def start(self) -> None:
        (self.config.run_dir / "haproxy.sock").unlink(missing_ok=True)
        self.start_haproxy()
        for member in self.members:
            self.spawn(member)
        self.write_state(ready=False)
        for member in self.members:
            self.wait_healthy(member)
        self.write_state(ready=True)

    # -- running -----------------------------------------------------------------------------

    def watch(self) -> None:
        """Restart processes that died; run a rolling restart when asked; until stopped."""
        while not self.stopping:
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise ClusterError("HAProxy exited; see " + str(self.config.run_dir / "haproxy.log"))
            for member in self.members:
                if self.stopping:
                    break
                if member.controlled or member.process is None or member.process.poll() is None:
                    continue
                self.revive(member)
            if self.restart_requested and not self.stopping:
                self.restart_requested = False
                self.rolling_restart()
            time.sleep(0.3)

    def revive(self, member: Member) -> None:
        code = member.process.returncode if member.process else None
        lived = time.monotonic() - member.started_at
        member.quick_deaths = member.quick_deaths + 1 if lived < 60 else 0
        delay = min(30.0, 2.0 ** member.quick_deaths - 1)
        self.say(f"{member.name} exited (code {code}); starting it again"
                 + (f" in {delay:.0f} s" if delay >= 1 else ""))
        member.process = None
        self.write_state(ready=True)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and not self.stopping:
            time.sleep(0.2)
        if not self.stopping:
            self.spawn(member)
            self.write_state(ready=True)

    def rolling_restart(self) -> None:
        """Each process in turn: HAProxy stops sending it new requests (drain), it finishes what
        it has, stops (SIGTERM), starts again, and takes requests again once healthy."""
        self.say("Rolling restart ...")
        for member in self.members:
            if self.stopping:
                return
            member.controlled = True
            try:
                self._restart_one(member)
            finally:
                member.controlled = False
        self.rolling_restarts += 1
        self.write_state(ready=True)
        self.say("Rolling restart done.")

    def _restart_one(self, member: Member) -> None:
        backends = ["rasa", "rasa_web_chat"] if member.kind == "rasa" else ["actions"]
        for backend in backends:
            self.admin.set_state(backend, member.name, "drain")
        deadline = time.monotonic() + self.config.graceful_shutdown_s
        while time.monotonic() < deadline:
            row = self.admin.servers().get((member.backend, member.name), {})
            if row.get("scur", "0") == "0":
                break
            time.sleep(0.2)
        self.terminate(member)
        self.spawn(member)
        self.write_state(ready=True)
        self.wait_healthy(member)
        for backend in backends:
            self.admin.set_state(backend, member.name, "ready")
        # Back in rotation only once HAProxy's own check sees it up.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.admin.servers().get((member.backend, member.name), {}).get("status") == "UP":
                break
            time.sleep(0.2)
        self.say(f"{member.name} restarted")

    def terminate(self, member: Member) -> None:
        process = member.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=self.config.graceful_shutdown_s + 15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        self.stopping = True
        running = [m for m in self.members if m.process and m.process.poll() is None]
        for member in running:
            member.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.config.graceful_shutdown_s + 15
        for member in running:
            try:
                member.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                member.process.kill()
                member.process.wait()
        if self.haproxy and self.haproxy.poll() is None:
            self.haproxy.terminate()
            self.haproxy.wait()
        self.write_state(ready=False)


def cluster_environment(config: ClusterConfig, environ: Mapping[str, str]) -> Dict[str, str]:
    env = dict(environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONWARNINGS=env.get("PYTHONWARNINGS") or "ignore",
        TF_CPP_MIN_LOG_LEVEL=env.get("TF_CPP_MIN_LOG_LEVEL") or "2",
        DATABASE_URL=config.database_url,
        REDIS_URL=config.redis_url,
        RASA_PORT=str(config.rasa_port),
        ACTION_PORT=str(config.action_port),
        # The replicas call the action servers through the balancer.
        ACTION_SERVER_URL=f"http://127.0.0.1:{config.action_port}/webhook",
        PUBLIC_BASE_URL=env.get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{config.rasa_port}",
        # HAProxy forwards from 127.0.0.1 with X-Forwarded-For: the rate limits then count the
        # real client address, not the balancer's.
        TRUSTED_PROXIES=env.get("TRUSTED_PROXIES") or "127.0.0.1",
        TICKET_LOCK_LIFETIME=str(config.ticket_lock_lifetime_s),
        SANIC_GRACEFUL_SHUTDOWN_TIMEOUT=str(config.graceful_shutdown_s),
        REST_TOKEN=rest_token(config, environ),
        # The secret the replicas send with every action call; one per cluster run unless given.
        ACTION_SERVER_TOKEN=(environ.get("ACTION_SERVER_TOKEN") or "").strip() or secrets.token_urlsafe(32),
    )
    env.pop("METRICS_PORT", None)
    return env


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        config = ClusterConfig.from_env()
        config.run_dir.mkdir(parents=True, exist_ok=True)
        if not config.model.exists():
            raise ClusterError(f"No trained model at {config.model}: run `make model`.")
        check_ports(config)
        check_database(config.database_url)
        check_redis(config.redis_url)
        env = cluster_environment(config, os.environ)
    except ClusterError as error:
        print(f"make cluster: {error}", file=sys.stderr)
        return 2

    migrate = subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "migrate"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    if migrate.returncode != 0:
        print(f"make cluster: the migrations failed:\n{migrate.stdout}{migrate.stderr}", file=sys.stderr)
        return 2

    supervisor = Supervisor(config, env, say=lambda text: print(text, flush=True))

    def on_stop(signum: int, frame: object) -> None:
        supervisor.stopping = True

    def on_hup(signum: int, frame: object) -> None:
        supervisor.restart_requested = True

    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGHUP, on_hup)
    code = 0
    try:
        print(f"Starting {config.replicas} Rasa replicas and {config.action_replicas} action servers "
              f"(logs in {config.run_dir}) ...", flush=True)
        supervisor.start()
        if not supervisor.stopping:
            base = env["PUBLIC_BASE_URL"]
            print(
                "\nKündigungshilfe cluster is running:\n"
                f"  web chat:  {base}/\n"
                f"  REST:      http://127.0.0.1:{config.rasa_port}/webhooks/rest/webhook "
                "(header Authorization: Bearer $REST_TOKEN"
                + ("" if os.environ.get("REST_TOKEN") else f", kept in {config.run_dir / 'rest_token'}")
                + ")\n"
                f"  HAProxy:   http://127.0.0.1:{config.stats_port}/ (backends and their state)\n"
                f"  metrics:   127.0.0.1:{config.metrics_port_base + 1}.. (one port per process)\n"
                f"  rolling restart: kill -HUP {os.getpid()}\n"
                "Press Ctrl-C to stop.",
                flush=True,
            )
        supervisor.watch()
    except ClusterError as error:
        print(f"make cluster: {error}", file=sys.stderr, flush=True)
        code = 1
    finally:
        print("Stopping ...", flush=True)
        supervisor.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
