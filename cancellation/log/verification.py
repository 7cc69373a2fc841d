"""Proving the log: the whole of it (operator's `attempts verify`), and single attempts for reads.

The full check walks the chain once (links, hashes, signatures, recorded head, an optional
external anchor), replays every attempt from its entries and compares every attempt row, its
private values and person data, and every stored letter PDF with what the chain says.

Reads prove only what they hand out: the entries of the attempts they return (hash, signature,
links to both neighbours), the rows against those entries, and the chain up to its current head,
verified once per process and then only from the last verified entry on (`chain_state`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancellation.log.chain import GENESIS_HASH, LogEntry, entry_problem, timestamp, verify_entries
from cancellation.log.models import CHAIN_HEAD_ID, Attempt, ChainHead, Letter, LogEntryRow
from cancellation.log.records import Mismatch, TamperedEvidence
from cancellation.log.replay import ChainedAttempt, StoredAttempt, apply, compare, letter_problem
from cancellation.log.rows import entry_columns, stored_attempts, to_log_entry, utc_now
from cancellation.log.store import LogStore

ANCHOR_FORMAT = "kuendigungshilfe-evidence-log-anchor/1"
# Rows fetched per round trip when streaming the whole log; letters are large, so fewer.
ENTRY_BATCH = 2000
LETTER_BATCH = 50
# A broken log can have many differences; the report names the first, counts the rest.
MAX_KEPT_MISMATCHES = 100


@dataclass(frozen=True)
class Anchor:
    """The head of the chain at one moment, kept outside the database."""

    entry_id: int
    entry_hash: str
    created_at: str

    def to_json(self) -> str:
        document = {
            "format": ANCHOR_FORMAT,
            "entry_id": self.entry_id,
            "entries": self.entry_id,
            "entry_hash": self.entry_hash,
            "created_at": self.created_at,
        }
        return json.dumps(document, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Anchor":
        try:
            document = json.loads(text)
            if document.get("format") != ANCHOR_FORMAT:
                raise ValueError("unbekanntes Format")
            entry_id, entry_hash = document["entry_id"], document["entry_hash"]
            if not isinstance(entry_id, int) or entry_id < 0:
                raise ValueError("entry_id ist keine Eintragsnummer")
            if not isinstance(entry_hash, str) or len(entry_hash) != 64:
                raise ValueError("entry_hash ist kein SHA-256")
            return cls(entry_id, entry_hash, str(document.get("created_at", "")))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"Anker-Datei unlesbar: {error}") from None


@dataclass(frozen=True)
class ChainState:
    """The verified head: entry id and hash, and when it was verified."""

    entry_id: int
    entry_hash: str
    verified_at: datetime


@dataclass(frozen=True)
class LogVerification:
    entries: int
    attempts: int
    letters: int
    head: ChainState | None
    signed: bool
    mismatches: tuple[Mismatch, ...]
    mismatch_count: int
    anchor: Anchor | None = None

    @property
    def ok(self) -> bool:
        return self.mismatch_count == 0

    @property
    def first(self) -> Mismatch | None:
        return self.mismatches[0] if self.mismatches else None


def verify_log(
    store: LogStore, anchor: Anchor | None = None, *, signatures: bool = True
) -> LogVerification:
    """`signatures=False` skips the HMAC check (only to sign entries written before the key)."""
    with store.snapshot() as session:
        return _Verifier(session, store.signing_key if signatures else None, anchor).run()


def chain_state(store: LogStore) -> ChainState:
    """The chain verified up to its current head, incrementally from the last verified entry."""
    with store.snapshot() as session:
        head = session.get(ChainHead, CHAIN_HEAD_ID)
        if head is None:
            raise TamperedEvidence(Mismatch("Kettenkopf (chain_head) fehlt"))
        head_id, head_hash = head.last_entry_id or 0, head.last_hash
        with store.verified_lock:
            cached = store.verified_head
        if cached is not None and cached == (head_id, head_hash):
            return ChainState(head_id, head_hash, store.verified_at)
        after = None
        if cached is not None and cached[0] <= head_id:
            row = session.get(LogEntryRow, cached[0]) if cached[0] else None
            if cached[0] == 0 or (row is not None and row.entry_hash == cached[1]):
                after = cached
        query = entry_columns().order_by(LogEntryRow.id)
        if after is not None:
            query = query.where(LogEntryRow.id > after[0])
        rows = session.execute(query.execution_options(yield_per=ENTRY_BATCH))
        result = verify_entries(
            (to_log_entry(row) for row in rows),
            head_id=head.last_entry_id,
            head_hash=head_hash,
            signing_key=store.signing_key,
            after=after,
        )
        if not result.ok:
            raise TamperedEvidence(Mismatch(result.reason or "Kette beschädigt", None,
                                            result.first_broken_id))
        verified_at = utc_now()
        with store.verified_lock:
            store.verified_head = (head_id, head_hash)
            store.verified_at = verified_at
        return ChainState(head_id, head_hash, verified_at)


def check_attempts(
    session: Session, stored: Sequence[StoredAttempt], signing_key: bytes | None
) -> dict[str, ChainedAttempt]:
    """Prove the given attempts against their own entries; raises TamperedEvidence."""
    if not stored:
        return {}
    references = [item.attempt.reference for item in stored]
    entries = entries_of(session, references)
    check_entries(session, entries, signing_key)
    chained: dict[str, ChainedAttempt] = {}
    for entry in entries:
        problem = apply(entry, chained)
        if problem is not None:
            raise TamperedEvidence(problem)
    for item in stored:
        problem = compare(chained.get(item.attempt.reference), item)
        if problem is not None:
            raise TamperedEvidence(problem)
    return chained


def check_letter(chained: ChainedAttempt, pdf: bytes | None) -> None:
    problem = letter_problem(chained, pdf)
    if problem is not None:
        raise TamperedEvidence(problem)


def check_entries(session: Session, entries: Sequence[LogEntry], signing_key: bytes | None) -> None:
    """Each entry intact on its own and still linked to both neighbours (or the head)."""
    if not entries:
        return
    ids = {entry.id for entry in entries}
    wanted = {entry.id - 1 for entry in entries} | {entry.id + 1 for entry in entries}
    neighbours = {
        row.id: row
        for row in session.execute(
            select(LogEntryRow.id, LogEntryRow.prev_hash, LogEntryRow.entry_hash).where(
                LogEntryRow.id.in_(sorted(wanted - ids))
            )
        )
    }
    by_id = {entry.id: (entry.prev_hash, entry.entry_hash) for entry in entries}
    by_id.update({row_id: (row.prev_hash, row.entry_hash) for row_id, row in neighbours.items()})
    head = session.get(ChainHead, CHAIN_HEAD_ID)
    for entry in entries:
        problem = entry_problem(entry, signing_key)
        if problem is not None:
            raise TamperedEvidence(Mismatch(problem, entry.reference, entry.id))
        before = GENESIS_HASH if entry.id == 1 else by_id.get(entry.id - 1, (None, None))[1]
        if entry.prev_hash != before:
            raise TamperedEvidence(
                Mismatch("Verkettung zum vorherigen Eintrag unterbrochen", entry.reference, entry.id)
            )
        following = by_id.get(entry.id + 1)
        if following is not None:
            linked = following[0] == entry.entry_hash
        else:
            linked = head is not None and head.last_entry_id == entry.id and (
                head.last_hash == entry.entry_hash
            )
        if not linked:
            raise TamperedEvidence(
                Mismatch("Verkettung zum nächsten Eintrag unterbrochen", entry.reference, entry.id)
            )


def entries_of(session: Session, references: Sequence[str]) -> list[LogEntry]:
    query = (
        entry_columns()
        .where(LogEntryRow.reference.in_(sorted(set(references))))
        .order_by(LogEntryRow.id)
    )
    return [to_log_entry(row) for row in session.execute(query)]


class _Verifier:
    def __init__(self, session: Session, signing_key: bytes | None, anchor: Anchor | None) -> None:
        self._session = session
        self._signing_key = signing_key
        self._anchor = anchor
        self._chained: dict[str, ChainedAttempt] = {}
        self._mismatches: list[Mismatch] = []
        self._count = 0
        self._anchor_hash: str | None = None

    def run(self) -> LogVerification:
        head = self._session.get(ChainHead, CHAIN_HEAD_ID)
        if head is None:
            self._add(Mismatch("Kettenkopf (chain_head) fehlt"))
            return self._result(0, 0, 0, None)
        rows = self._session.execute(
            entry_columns().order_by(LogEntryRow.id).execution_options(yield_per=ENTRY_BATCH)
        )
        chain = verify_entries(
            self._replayed(to_log_entry(row) for row in rows),
            head_id=head.last_entry_id,
            head_hash=head.last_hash,
            signing_key=self._signing_key,
        )
        if not chain.ok:
            self._add(Mismatch(chain.reason or "Kette beschädigt", None, chain.first_broken_id))
        self._check_anchor(head)
        attempts = self._check_attempts()
        letters = self._check_letters()
        state = ChainState(head.last_entry_id or 0, head.last_hash, utc_now())
        return self._result(chain.entries, attempts, letters, state)

    def _replayed(self, entries: Iterable[LogEntry]) -> Iterator[LogEntry]:
        for entry in entries:
            if self._anchor is not None and entry.id == self._anchor.entry_id:
                self._anchor_hash = entry.entry_hash
            problem = apply(entry, self._chained)
            if problem is not None:
                self._add(problem)
            yield entry

    def _check_anchor(self, head: ChainHead) -> None:
        anchor = self._anchor
        if anchor is None or anchor.entry_id == 0:
            return
        if self._anchor_hash is None:
            self._add(Mismatch(
                f"Anker verlangt Eintrag #{anchor.entry_id}, die Kette hat nur "
                f"{head.last_entry_id or 0} Einträge (Ende abgeschnitten oder Kette ersetzt)",
                None, anchor.entry_id,
            ))
        elif self._anchor_hash != anchor.entry_hash:
            self._add(Mismatch(
                f"Hash weicht vom Anker ab (Anker {anchor.entry_hash}, gespeichert "
                f"{self._anchor_hash}): die Kette wurde bis hierher neu geschrieben",
                None, anchor.entry_id,
            ))

    def _check_attempts(self) -> int:
        count = 0
        seen: set[str] = set()
        rows = self._session.execute(
            stored_attempts().order_by(Attempt.id).execution_options(yield_per=ENTRY_BATCH)
        )
        for attempt, private, person in rows:
            count += 1
            seen.add(attempt.reference)
            stored = StoredAttempt(attempt, private, person)
            problem = compare(self._chained.get(attempt.reference), stored)
            if problem is not None:
                self._add(problem)
        for reference, chained in self._chained.items():
            if reference not in seen:
                self._add(Mismatch("Vorgang fehlt in der Tabelle attempts", reference,
                                   chained.first_entry_id))
        return count

    def _check_letters(self) -> int:
        count = 0
        seen: set[str] = set()
        rows = self._session.execute(
            select(Attempt.reference, Letter.pdf)
            .join(Letter, Letter.attempt_id == Attempt.id)
            .execution_options(yield_per=LETTER_BATCH)
        )
        for reference, pdf in rows:
            count += 1
            seen.add(reference)
            chained = self._chained.get(reference)
            if chained is None:
                continue  # already named: an attempt without chain entry
            problem = letter_problem(chained, bytes(pdf))
            if problem is not None:
                self._add(problem)
        for reference, chained in self._chained.items():
            if reference not in seen:
                problem = letter_problem(chained, None)
                if problem is not None:
                    self._add(problem)
        return count

    def _add(self, mismatch: Mismatch) -> None:
        self._count += 1
        self._mismatches.append(mismatch)

    def _result(
        self, entries: int, attempts: int, letters: int, head: ChainState | None
    ) -> LogVerification:
        ordered = sorted(
            self._mismatches,
            key=lambda item: (item.entry_id is None, item.entry_id or 0),
        )
        return LogVerification(
            entries=entries,
            attempts=attempts,
            letters=letters,
            head=head,
            signed=self._signing_key is not None,
            mismatches=tuple(ordered[:MAX_KEPT_MISMATCHES]),
            mismatch_count=self._count,
            anchor=self._anchor,
        )


def new_anchor(state: ChainState) -> Anchor:
    return Anchor(state.entry_id, state.entry_hash, timestamp(state.verified_at))

