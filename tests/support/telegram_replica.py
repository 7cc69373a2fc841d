"""One "replica" for failover tests: the real Telegram channel (config from the environment, as
credentials.yml would give it) in its own Sanic process, with an echo standing in for Rasa.

    python -m tests.support.telegram_replica PORT

The echo waits ECHO_DELAY seconds (a turn's work), then answers "echo <update_id>: <text>".
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.response import text

from bot.channels.telegram import TelegramInput


async def echo(message: UserMessage) -> None:
    await asyncio.sleep(float(os.environ.get("ECHO_DELAY", "0")))
    update_id = (message.metadata or {}).get("telegram", {}).get("update_id")
    await message.output_channel.send_response(
        message.sender_id, {"text": f"echo {update_id}: {message.text}"}
    )


def main(port: int) -> None:
    channel = TelegramInput.from_credentials(
        {
            "access_token": os.environ["TELEGRAM_TOKEN"],
            "verify": os.environ.get("TELEGRAM_BOT_NAME", ""),
            "webhook_url": os.environ.get("TELEGRAM_WEBHOOK_URL", ""),
            "secret_token": os.environ.get("TELEGRAM_SECRET_TOKEN", ""),
            "api_base_url": os.environ["TELEGRAM_API_BASE_URL"],
            "mode": os.environ["TELEGRAM_MODE"],
        }
    )
    app = Sanic(f"telegram_replica_{port}")

    @app.route("/")
    async def hello(_: Any) -> Any:
        return text("replica")

    app.blueprint(channel.blueprint(echo), url_prefix="/webhooks/telegram")
    app.run(host="127.0.0.1", port=port, workers=1, access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))
