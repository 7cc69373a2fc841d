"""One path for every update, from the webhook or from long polling:

    parse -> claim (ledger) -> process (Rasa writes into a ReplyBuffer) -> answer (replies stored)
          -> deliver (sent one by one, counted) -> finish

so an update is processed at least once and answered at most once (see ledger.py). Updates the
bot ignores (edits, groups, other bots) count as finished at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Coroutine

from rasa.core.channels.channel import UserMessage

from bot.channels.ratelimits import MessageLimiter
from bot.channels.telegram.api import BotApiClient, BotApiError
from bot.channels.telegram.language import ConversationLanguages
from bot.channels.telegram.ledger import AsyncLedger, Claim, Outbox, Verdict
from bot.channels.telegram.output import ReplyBuffer, TelegramOutput
from bot.channels.telegram.updates import MAX_TEXT_CHARACTERS, IncomingUpdate, parse_update
from cancellation.settings import RateLimits
from cancellation.texts import text as catalogue_text
from cancellation.vocabulary import Language

logger = logging.getLogger(__name__)

# An update whose processing killed its process this often is answered with an apology instead
# of being tried again (a message that crashes the server must not crash every replica in turn).
MAX_ATTEMPTS = 3
# How often a caller that waits for another holder's claim looks again.
BUSY_POLL_SECONDS = 0.25


class Outcome(str, enum.Enum):
    DONE = "done"  # finished or ignored: Telegram may forget the update
    BUSY = "busy"  # another holder works on it: ask again later
    FAILED = "failed"  # the database did not answer: ask again later


class UpdateHandler:
    def __init__(
        self,
        *,
        bot_id: str,
        client: BotApiClient,
        ledger: AsyncLedger,
        output: TelegramOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        input_channel: str,
        owner: str,
        claim_seconds: float,
        max_attempts: int = MAX_ATTEMPTS,
        limiter: MessageLimiter | None = None,
        languages: ConversationLanguages | None = None,
    ) -> None:
        # Per conversation only: every update comes from Telegram's servers.
        self._limiter = limiter or MessageLimiter(RateLimits())
        self._bot_id = bot_id
        self._client = client
        self._ledger = ledger
        self._output = output
        self._on_new_message = on_new_message
        self._input_channel = input_channel
        self._owner = owner
        self._claim_seconds = claim_seconds
        self._max_attempts = max_attempts
        self._languages = languages or ConversationLanguages(ledger)
        # Strong references: the event loop keeps only weak ones to running tasks.
        self._tasks: set[asyncio.Task[Any]] = set()
        # One lock per chat with updates in hand, and how many updates hold or wait for it.
        self._chat_locks: dict[str, tuple[asyncio.Lock, int]] = {}

    def start(self, raw_update: Any, wait_seconds: float = 0.0) -> "asyncio.Task[Outcome]":
        """`handle` as a task of its own: it goes on when its caller gives up waiting."""
        return self._spawn(self.handle(raw_update, wait_seconds))

    async def handle(self, raw_update: Any, wait_seconds: float = 0.0) -> Outcome:
        """Do everything this update still needs. While another holder's claim is live, wait up to
        `wait_seconds` for it to finish or to run out (then take over)."""
        update = parse_update(raw_update)
        if update is None:
            return Outcome.DONE
        # Nothing awaits before this line, so the lock's queue keeps the order updates started in.
        async with self._in_order(update.chat_id):
            return await self._handle(update, wait_seconds)

    @contextlib.asynccontextmanager
    async def _in_order(self, chat_id: str) -> AsyncIterator[None]:
        """One update of a chat at a time, in the order they were started: two quick messages
        (or a message and a button press) are answered in the order the user sent them."""
        lock, users = self._chat_locks.get(chat_id, (asyncio.Lock(), 0))
        self._chat_locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chat_locks[chat_id]
            if users <= 1:
                del self._chat_locks[chat_id]
            else:
                self._chat_locks[chat_id] = (lock, users - 1)

    async def _handle(self, update: IncomingUpdate, wait_seconds: float) -> Outcome:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                claim = await self._ledger.claim(
                    self._bot_id, update.update_id, self._owner, self._claim_seconds
                )
            except Exception:
                logger.exception("Telegram: could not claim update %s", update.update_id)
                return Outcome.FAILED
            if claim.verdict is Verdict.FINISHED:
                logger.info("Telegram: update %s was answered already; skipped", update.update_id)
                return Outcome.DONE
            if claim.verdict is not Verdict.BUSY:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Outcome.BUSY
            await asyncio.sleep(min(BUSY_POLL_SECONDS, claim.retry_after, remaining) or 0.01)
        try:
            async with self._kept(claim):
                return await self._complete(update, claim)
        except Exception:
            logger.exception("Telegram: update %s could not be completed", update.update_id)
            return Outcome.FAILED

    async def drain(self, timeout: float) -> None:
        """Wait for updates still being handled (server shutdown, tests)."""
        pending = set(self._tasks)
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def _complete(self, update: IncomingUpdate, claim: Claim) -> Outcome:
        if claim.verdict is Verdict.PROCESS:
            outbox, language = await self._process(update, claim)
            if not await self._ledger.answer(claim, outbox, self._claim_seconds):
                logger.warning("Telegram: update %s was taken over; not answering", claim.update_id)
                return Outcome.BUSY
            first = 0
        else:
            assert claim.outbox is not None
            logger.warning("Telegram: resuming the replies to update %s", claim.update_id)
            outbox, first = claim.outbox, claim.delivered
            language = await self._conversation_language(update)
        return await self._deliver(claim, outbox, first, self._output.in_language(language))

    async def _conversation_language(self, update: IncomingUpdate) -> Language:
        """The conversation's language when Rasa is not asked this turn (errors, resumed
        replies): its `language` slot, else Telegram's app language (language.py)."""
        return await self._languages.of(update.sender_id, update.language_hint)

    async def _process(self, update: IncomingUpdate, claim: Claim) -> tuple[Outbox, Language]:
        # Replies that arrive after the turn are sent in the conversation's language of then.
        buffer = ReplyBuffer(self._output.outside_turn(update.language_hint))
        try:
            if claim.attempt > self._max_attempts:
                logger.error(
                    "Telegram: update %s was tried %s times; answering with an apology",
                    claim.update_id,
                    claim.attempt - 1,
                )
                language = await self._conversation_language(update)
                buffer.add_text(catalogue_text("utter_telegram_failed", language))
            elif update.unsupported:
                language = await self._conversation_language(update)
                buffer.add_text(catalogue_text("utter_telegram_text_only", language))
            elif update.too_long:
                language = await self._conversation_language(update)
                buffer.add_text(
                    catalogue_text("utter_message_too_long", language, limit=MAX_TEXT_CHARACTERS)
                )
            elif not (await self._limiter.admit(update.sender_id)).allowed:
                language = await self._conversation_language(update)
                buffer.add_text(catalogue_text("utter_rate_limited", language))
            else:
                language = await self._run_rasa(update, buffer)
        finally:
            buffer.close()
        return Outbox(update.sender_id, tuple(buffer.messages)), language

    async def _run_rasa(self, update: IncomingUpdate, buffer: ReplyBuffer) -> Language:
        """Rasa's replies into `buffer`; the conversation's language after them."""
        if update.callback_query_id:
            self._spawn(self._answer_callback_query(update.callback_query_id))
        texts = await self._texts(update)
        if texts:
            self._spawn(self._typing(update.chat_id))
        for text in texts:
            try:
                await self._on_new_message(
                    UserMessage(
                        text,
                        buffer,
                        update.sender_id,
                        input_channel=self._input_channel,
                        metadata=update.metadata,
                    )
                )
            except Exception:
                # Rasa failed on this message: the same message would fail again, so the user
                # hears the truth instead of a retry.
                logger.exception("Telegram: Rasa failed on update %s", update.update_id)
                language = buffer.language or await self._conversation_language(update)
                buffer.add_text(catalogue_text("utter_telegram_failed", language))
                return language
        if buffer.language is None:
            return await self._conversation_language(update)
        if buffer.language_changed:
            await self._languages.remember(update.sender_id, buffer.language)
        return buffer.language

    async def _deliver(
        self, claim: Claim, outbox: Outbox, first: int, output: TelegramOutput
    ) -> Outcome:
        for index in range(first, len(outbox.messages)):
            await output.send_response(outbox.recipient, dict(outbox.messages[index]))
            last = index + 1 == len(outbox.messages)
            if not last and not await self._ledger.mark_delivered(claim, index + 1):
                logger.warning("Telegram: update %s was taken over while sending", claim.update_id)
                return Outcome.BUSY
        if not await self._ledger.finish(claim):
            logger.warning("Telegram: update %s was taken over before it finished", claim.update_id)
            return Outcome.BUSY
        return Outcome.DONE

    async def _texts(self, update: IncomingUpdate) -> tuple[str, ...]:
        if not update.stored_payload_key:
            return update.texts
        try:
            payload = await self._ledger.get_state(update.stored_payload_key)
        except Exception:
            logger.exception("Telegram: could not load a stored button payload")
            return ()
        if payload is None:
            logger.warning("Telegram: button payload %s is unknown", update.stored_payload_key)
            return ()
        return (payload,)

    @contextlib.asynccontextmanager
    async def _kept(self, claim: Claim) -> AsyncIterator[None]:
        """Renew the claim while its update is worked on, so a slow turn is not taken over."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(self._claim_seconds / 3)
                try:
                    if not await self._ledger.renew(claim, self._claim_seconds):
                        return
                except Exception:
                    logger.exception("Telegram: could not renew the claim on %s", claim.update_id)

        keeper = asyncio.get_running_loop().create_task(renew())
        try:
            yield
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)

    async def _answer_callback_query(self, callback_query_id: str) -> None:
        # Until answered, the user's Telegram app shows a spinner on the button.
        try:
            await self._client.answer_callback_query(callback_query_id)
        except BotApiError as error:
            logger.warning("Telegram: answerCallbackQuery failed: %s", error)

    async def _typing(self, chat_id: str) -> None:
        # "typing …" in the user's app while Rasa works; it ends by itself with the answer.
        try:
            await self._client.send_chat_action(chat_id)
        except BotApiError as error:
            logger.debug("Telegram: sendChatAction failed: %s", error)

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> "asyncio.Task[Any]":
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
