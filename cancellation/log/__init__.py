"""Attempt log: the evidence store for letters and hotline calls, with a tamper-evident chain.

Call `cancellation.log.migrate.upgrade(url)` (or pass `upgrade_schema=True`) before first use.
"""

from cancellation.log.chain import ChainVerification, LogEntry
from cancellation.log.records import AttemptRecord, ForgetResult, UnknownReference
from cancellation.log.repository import AttemptLog

__all__ = [
    "AttemptLog",
    "AttemptRecord",
    "ChainVerification",
    "ForgetResult",
    "LogEntry",
    "UnknownReference",
]
