"""The action server: rasa_sdk's app, reachable only with the shared secret, loopback by default.

`python -m bot.action_server` replaces `rasa run actions`. rasa_sdk has no authentication, binds
0.0.0.0 and answers a failing action with the whole request (the tracker: names, addresses, answers)
in its 500 body. Anyone who reached it could run `action_forget_me`, `action_create_letter` or
`action_show_status` for any sender. Here:

- it listens on ACTION_HOST (default 127.0.0.1) and ACTION_PORT (5055);
- every request except `GET /health` must carry `Authorization: Bearer <ACTION_SERVER_TOKEN>`
  (Rasa's EndpointConfig sends the `headers:` of endpoints.yml with every call,
  rasa/utils/endpoints.py; a header, not its `token:` query parameter, so that the secret never
  stands in a URL that a proxy or access log records); anything else gets 401
  `{"error": "unauthorized"}` and runs nothing;
- errors answer with a generic JSON body and are logged with the exception's type and code
  location only: an exception's message may quote what a user typed;
- the Prometheus counters of bot/metrics.py are kept, and served on METRICS_PORT when set.

Settings: cancellation/settings.py (`ActionServerEndpoint`, `MetricsEndpoint`);
ACTION_SERVER_SANIC_WORKERS as for rasa_sdk.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys
import traceback
import types
from typing import Optional, Sequence, Text, Union

from rasa_sdk import endpoint as sdk_endpoint
from rasa_sdk import utils as sdk_utils
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import metrics
from cancellation.settings import ActionServerEndpoint, MetricsEndpoint, SettingsError

logger = logging.getLogger(__name__)

BEARER = "Bearer "
# Load balancers and `make run` poll it; it tells nothing but "up".
OPEN_PATHS = frozenset({"/health"})
ACTIONS_PACKAGE = "actions"


def create_app(token: str, actions: Union[Text, types.ModuleType] = ACTIONS_PACKAGE) -> Sanic:
    """rasa_sdk's Sanic app with the token check, generic errors and metrics."""
    if not token:
        raise ValueError("the action server needs a token")
    # No CORS: only Rasa calls this server, never a browser.
    app = sdk_endpoint.create_app(actions, cors_origins="")
    require_token(app, token)
    answer_errors_generically(app)
    metrics.instrument_action_server(app)
    return app


def require_token(app: Sanic, token: str) -> None:
    """Reject every request but OPEN_PATHS that lacks the token, before anything else runs."""
    expected = token.encode("utf-8")

    async def check_token(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        header = request.headers.get("authorization") or ""
        given = header[len(BEARER):] if header.startswith(BEARER) else ""
        if hmac.compare_digest(given.encode("utf-8"), expected):
            return None
        return response.json({"error": "unauthorized"}, status=401)

    # Request middleware runs in the order of registration: this one first.
    app.register_middleware(check_token, "request")


def answer_errors_generically(app: Sanic) -> None:
    """Replace rasa_sdk's handler, which echoes the request body (the whole tracker)."""

    async def generic_error(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            status = exception.status_code
            logger.warning("Action server: %s %s -> %s", request.method, request.path, status)
            return response.json({"error": "bad request" if status < 500 else "internal error"}, status=status)
        # Type and code location, never the message or the request: both may hold personal data.
        logger.error(
            "Action %s failed with %s at\n%s",
            _action_name(request), type(exception).__name__,
            "".join(traceback.format_tb(exception.__traceback__)).rstrip(),
        )
        return response.json({"error": "internal error"}, status=500)

    # Registered after rasa_sdk's handler for Exception: this one replaces it.
    app.error_handler.add(Exception, generic_error)


def _action_name(request: Request) -> Text:
    try:
        name = (request.json or {}).get("next_action")
    except Exception:  # not JSON: nothing to name
        return "?"
    return name if isinstance(name, str) and name.isidentifier() else "?"


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bot.action_server",
        description="Rasa action server behind ACTION_SERVER_TOKEN (see bot/action_server.py).",
    )
    parser.add_argument("--actions", default=ACTIONS_PACKAGE, help="package with the actions")
    sdk_utils.add_logging_level_option_arguments(parser)
    args = parser.parse_args(argv)
    sdk_utils.configure_colored_logging(args.loglevel)
    sdk_utils.update_sanic_log_level()
    try:
        endpoint = ActionServerEndpoint.from_env()
        metrics.start_exporter(MetricsEndpoint.from_env())
    except SettingsError as error:
        sys.exit(f"Action-Server: {error}")
    app = create_app(endpoint.token, args.actions)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    logger.info("Action server on http://%s:%s (token required)", endpoint.host, endpoint.port)
    app.run(
        endpoint.host, endpoint.port, workers=sdk_utils.number_of_sanic_workers(), access_log=False,
    )


if __name__ == "__main__":
    main()
