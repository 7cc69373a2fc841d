"""scripts/cluster.py without starting anything: settings, what the operator is told when
PostgreSQL or Redis is missing, the REST token, and the balancer's routing rules."""

from __future__ import annotations

import socket
import stat
from pathlib import Path

import pytest

from scripts.cluster import (
    ClusterConfig,
    ClusterError,
    check_database,
    check_redis,
    cluster_environment,
    haproxy_config,
    rest_token,
)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_defaults_are_two_replicas_two_action_servers_on_the_local_services(tmp_path: Path) -> None:
    config = ClusterConfig.from_env({"CLUSTER_DIR": str(tmp_path)})
    assert (config.replicas, config.action_replicas) == (2, 2)
    assert (config.rasa_port, config.action_port) == (5005, 5055)
    assert config.database_url == "postgresql://127.0.0.1:5432/test"
    assert config.redis_url == "redis://127.0.0.1:6379/0"
    names = [member.name for member in config.members()]
    assert names == ["actions-1", "actions-2", "rasa-1", "rasa-2"]
    ports = [member.port for member in config.members()] + [m.metrics_port for m in config.members()]
    assert len(set(ports)) == len(ports)


@pytest.mark.parametrize("name, value", [("REPLICAS", "0"), ("REPLICAS", "zwei"), ("ACTION_REPLICAS", "-1")])
def test_a_bad_number_of_replicas_is_named(name: str, value: str) -> None:
    with pytest.raises(ClusterError, match=name):
        ClusterConfig.from_env({name: value})


def test_an_unreachable_postgresql_says_which_url_and_what_to_do() -> None:
    url = f"postgresql://kh:geheim@127.0.0.1:{_closed_port()}/test"
    with pytest.raises(ClusterError) as raised:
        check_database(url)
    message = str(raised.value)
    assert "PostgreSQL is not reachable" in message and "set DATABASE_URL" in message
    assert "geheim" not in message  # the password is never printed


def test_sqlite_is_refused_for_several_replicas() -> None:
    with pytest.raises(ClusterError, match="PostgreSQL"):
        check_database("sqlite:////tmp/x.db")


def test_an_unreachable_redis_says_which_url_and_what_to_do() -> None:
    with pytest.raises(ClusterError) as raised:
        check_redis(f"redis://127.0.0.1:{_closed_port()}/0")
    assert "Redis is not reachable" in str(raised.value) and "REDIS_URL" in str(raised.value)


def test_the_generated_rest_token_is_kept_private_and_reused(tmp_path: Path) -> None:
    config = ClusterConfig.from_env({"CLUSTER_DIR": str(tmp_path)})
    first = rest_token(config, {})
    assert len(first) >= 32
    assert stat.S_IMODE((tmp_path / "rest_token").stat().st_mode) == 0o600
    assert rest_token(config, {}) == first
    assert rest_token(config, {"REST_TOKEN": "given-token"}) == "given-token"


def test_the_balancer_checks_every_backend_and_pins_web_chats(tmp_path: Path) -> None:
    config = ClusterConfig.from_env({"CLUSTER_DIR": str(tmp_path), "REPLICAS": "3"})
    text = haproxy_config(config, config.members())
    for member in config.members():
        assert f"server {member.name} 127.0.0.1:{member.port} check" in text
    assert "use_backend rasa_web_chat if web_chat" in text and "path_beg /socket.io/" in text
    assert "cookie KH_REPLICA insert" in text
    assert "option forwardfor" in text  # replicas can tell proxied clients from local ones
    assert "bind 127.0.0.1:5005" in text and "bind 127.0.0.1:5055" in text


def test_rate_limits_count_the_clients_behind_haproxy_not_haproxy(tmp_path: Path) -> None:
    config = ClusterConfig.from_env({"CLUSTER_DIR": str(tmp_path)})
    env = cluster_environment(config, {"CLUSTER_DIR": str(tmp_path)})
    assert env["TRUSTED_PROXIES"] == "127.0.0.1"  # X-Forwarded-For from HAProxy is believed
    assert env["ACTION_SERVER_URL"] == "http://127.0.0.1:5055/webhook"  # through the balancer
    assert env["REST_TOKEN"]
