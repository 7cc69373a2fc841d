"""Search every column of every table of a database for strings (reflecting the schema)."""

from __future__ import annotations

import json

from sqlalchemy import MetaData, select

from cancellation.log.engine import create_log_engine


def variants(text: str) -> set[str]:
    """How a string may be stored: as typed, JSON-escaped (Rasa's events), in lower case, and
    its distinctive ASCII run (so a re-encoded copy is found too)."""
    escaped = json.dumps(text)[1:-1]
    ascii_run = max("".join(c if c.isascii() else " " for c in text).split(), key=len)
    return {text, escaped, text.casefold(), escaped.casefold(), ascii_run.casefold()}


def search_everything(url: str, needles: dict[str, set[str]]) -> list[str]:
    engine = create_log_engine(url)
    found = []
    try:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        assert "events" in metadata.tables and "attempts" in metadata.tables
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for row in connection.execute(select(table)):
                    for column, value in row._mapping.items():
                        if value is None:
                            continue
                        if isinstance(value, (bytes, bytearray, memoryview)):
                            haystack = bytes(value).decode("utf-8", "replace").casefold()
                        elif isinstance(value, (dict, list)):
                            haystack = json.dumps(value).casefold() + json.dumps(
                                value, ensure_ascii=False).casefold()
                        else:
                            haystack = str(value).casefold()
                        for label, forms in needles.items():
                            if any(form.casefold() in haystack for form in forms):
                                found.append(f"{label} in {table.name}.{column}")
    finally:
        engine.dispose()
    return found
