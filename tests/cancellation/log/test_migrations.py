from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from cancellation.log import AttemptLog
from cancellation.log.engine import create_log_engine
from cancellation.log.migrate import VERSION_TABLE, alembic_config, current_revision, upgrade
from cancellation.log.models import ChainHead

PROJECT_ROOT = Path(__file__).resolve().parents[3]
EXPECTED_TABLES = {
    "persons",
    "attempts",
    "letters",
    "log_entries",
    "chain_head",
    "download_tokens",
    "telegram_updates",
    "channel_state",
    VERSION_TABLE,
}


def head_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def table_names(url: str) -> set[str]:
    engine = create_log_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_the_schema_and_is_repeatable(database_url):
    assert current_revision(database_url) is None

    upgrade(database_url)
    upgrade(database_url)

    assert current_revision(database_url) == head_revision(database_url)
    assert table_names(database_url) == EXPECTED_TABLES
    assert "events" not in table_names(database_url)  # Rasa's tracker store owns that name
    log = AttemptLog.from_url(database_url)
    try:
        assert log.reads.verify_chain().ok
    finally:
        log.dispose()


def test_processes_migrating_at_the_same_time_migrate_once(database_url):
    script = "import sys; from cancellation.log.migrate import upgrade; upgrade(sys.argv[1])"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [process.communicate(timeout=120) + (process.returncode,) for process in processes]

    assert [returncode for _, _, returncode in results] == [0, 0, 0, 0], results
    assert current_revision(database_url) == head_revision(database_url)
    engine = create_log_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(ChainHead)).scalar_one() == 1
    finally:
        engine.dispose()


def test_from_url_can_upgrade_the_schema_itself(database_url):
    log = AttemptLog.from_url(database_url, upgrade_schema=True)
    try:
        assert log.reads.list_attempts() == []
    finally:
        log.dispose()
