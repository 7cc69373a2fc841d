"""The Telegram channel (docs/TELEGRAM.md): webhook or long polling, its own update ledger.

credentials.yml names the channel `bot.channels.telegram.TelegramInput`.
"""

from bot.channels.telegram.channel import TelegramInput

__all__ = ["TelegramInput"]
