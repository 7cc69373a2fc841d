"""The channels' side of the rate limits (cancellation/ratelimit.py): messages per minute.

Every channel asks `MessageLimiter.admit` before a message goes to Rasa. A refused message is
answered with `utter_rate_limited` by the channel and never reaches Rasa (nothing is stored);
the metric `kuendigungshilfe_rate_limited_total{limit}` counts it.

Per client address: web chat and REST without REST_TOKEN. Not for REST with the token (a trusted
integration speaks for many users from one address; its conversations are still limited), not
for Telegram (every update comes from Telegram's servers), and not for loopback addresses
(`make run`, `make bench`, the test suite). Behind a reverse proxy set TRUSTED_PROXIES, or every
client has the proxy's address.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Optional

from bot import metrics
from cancellation.ratelimit import ALLOWED, MINUTE, Decision, Limit, RateLimiter, counters_for
from cancellation.settings import RateLimits

logger = logging.getLogger(__name__)

CONVERSATION_MESSAGES = "conversation_messages"
ADDRESS_MESSAGES = "address_messages"


def is_loopback(address: Optional[str]) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def limited_address(address: Optional[str]) -> Optional[str]:
    """The address to count per-address limits against; None: not limited by address."""
    return None if not address or is_loopback(address) else address


class MessageLimiter:
    def __init__(self, limits: RateLimits, limiter: Optional[RateLimiter] = None) -> None:
        self.limits = limits
        self._limiter = limiter
        self._conversation = Limit(CONVERSATION_MESSAGES, limits.messages_per_minute, MINUTE)
        self._address = Limit(ADDRESS_MESSAGES, limits.ip_messages_per_minute, MINUTE)

    @classmethod
    def from_env(cls) -> "MessageLimiter":
        return cls(RateLimits.from_env())

    def _rate_limiter(self) -> RateLimiter:
        # Created on first use, inside the server's event loop (a Redis client binds to it).
        if self._limiter is None:
            self._limiter = RateLimiter(counters_for(self.limits.redis_url))
        return self._limiter

    async def admit(self, conversation: str, address: Optional[str] = None) -> Decision:
        """May this message of `conversation` (from `address`, None: not limited by address)
        go to Rasa? A failing counter store lets it through: limits must not take the service
        down."""
        try:
            decision = await self._rate_limiter().check(
                (self._conversation, conversation), (self._address, limited_address(address))
            )
        except Exception as error:
            logger.warning("Rate limit not checked: the counter store failed (%s)", error)
            return ALLOWED
        if not decision.allowed and decision.limit:
            metrics.rate_limited(decision.limit)
            logger.info("A message was refused by the rate limit %s", decision.limit)
        return decision
