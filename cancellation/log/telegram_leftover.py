"""LEFTOVER, to be moved into bot/channels/telegram/: the Telegram channel's bookkeeping.

The update ledger and channel state are the channel's business, not the domain core's. They stay
here, unchanged, only until the Telegram package takes them over with their models and tables;
nothing new should use them from cancellation/.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from cancellation.log.models import ChannelState, TelegramUpdate
from cancellation.log.rows import utc_now
from cancellation.log.store import LogStore


class TelegramBookkeepingLeftover:
    _store: LogStore

    def claim_telegram_update(self, bot: str, update_id: int) -> bool:
        """True for the first caller only, across processes: the primary key decides."""
        try:
            with self._store.write() as session:
                session.add(TelegramUpdate(bot=bot, update_id=update_id, processed_at=utc_now()))
        except IntegrityError:
            return False
        return True

    def get_channel_state(self, key: str) -> str | None:
        with self._store.read() as session:
            row = session.get(ChannelState, key)
            return None if row is None else row.value

    def set_channel_state(self, key: str, value: str) -> None:
        for _ in range(2):
            try:
                with self._store.write() as session:
                    row = session.get(ChannelState, key)
                    if row is None:
                        session.add(ChannelState(key=key, value=value, updated_at=utc_now()))
                    else:
                        row.value = value
                        row.updated_at = utc_now()
                return
            except IntegrityError:
                continue  # another process inserted the key first; now it is an update
        raise RuntimeError(f"channel state {key!r} could not be written")

    def letter_pdf(self, reference: str) -> bytes | None:
        """The Telegram ledger's way to the stored letter (its protocol asks the log for it)."""
        return self.reads.letter_pdf(reference)  # type: ignore[attr-defined]
