"""Every change we make to Rasa's internals, in one guarded place.

Rasa 3.6 offers no hook for some of what a public service needs, so a few of its methods are
replaced at start-up. Each replacement is a `Patch` in `PATCHES` (the registry): its name, the
attribute it replaces ("module:Class.attribute"), a factory that builds the replacement from the
original, and why. To add one, write the factory (here or in a module named for what it does) and
add a `Patch` line to `PATCHES`.

`install()` first checks that the installed Rasa is the version these patches were written for
(`EXPECTED_RASA_VERSION`) and that every patched attribute exists, and raises `RasaPatchError`
naming each problem otherwise; only then does it replace anything. It is idempotent.

Where it runs: Rasa creates the input channels listed in bot/credentials.yml in every
`rasa run` process before it loads the model or serves a request (and Sanic workers are forked
after that). The first entry there is `RasaPatchesChannel`, a channel that handles no messages:
creating it installs the patches, a failed check stops the server with the message, and
`GET /webhooks/rasa_patches/` lists the installed patches to loopback clients that did not come
through a proxy (tests and operators check the running server with it).

The patches:

remote_action_retry (RemoteAction.run)
    A transient connection failure (the action server closed a kept-alive connection under load:
    "Cannot write to closing transport") is retried once; actions are safe to retry (the letter
    action is idempotent by its attempt-log key). If the action server stays unreachable, Rasa
    would log the error and carry on predicting, so the user would get silence or a half-finished
    turn. Instead the user is told that there is a technical problem and that their data is kept;
    their last message is taken back (no half-applied answer remains) and the turn ends. When the
    action server is back, the user resends the message and the conversation continues.
    Validation of a form answer is the exception: it is called from inside Rasa's FormAction,
    whose events must not contain a revert, so there the error is re-raised after telling the user.

response_validation_by_event_kind (RemoteAction._validate_action_result; bot/action_responses.py)
    Rasa validates every action server response against a JSON schema with
    `jsonschema.validate`, which re-checks the schema itself on every call (a quarter of a turn's
    CPU time) and tries each event against all 24 event kinds of a `oneOf`. The validators are
    built once, and each event is checked against the one kind its `event` names (the same
    decision: the kinds differ in that constant); a response that fails is checked against the
    whole schema, so the error is jsonschema's own.

conversation_language (MessageProcessor._handle_message_with_tracker)
    Each user message may change the conversation's language (the `language` slot): an explicit
    request ("English please", "auf Deutsch bitte") or a message clearly written in the other
    language, or for a new conversation the channel's hint (Telegram's language_code, the web
    page's language). The slot is set right after the message is logged, so the replies of the
    same turn are in the new language (bot/conversation_language.py, cancellation/language.py).

context_intents (MessageProcessor.parse_message)
    Context decides a message's intent before the policies see it, where words cannot: a typed
    button title is that button; an explicit language request is `switch_language`; inside a
    form "doch nicht kündigen" is `stop`, and in the letter interview a change between option and
    whole contract or a bare answer to the open question is an answer and a lone "?" asks why
    (bot/context_intents.py). Only calls that pass the conversation's tracker (the one that
    logs a user message) are affected.

incremental_past_states (DialogueStateTracker.past_states)
    The policies replay every event of the session to featurise the tracker, several times per
    turn, so a turn's cost grew with the conversation's length. The states are kept on the
    tracker and only new events are folded in; anything that rewinds earlier events replays
    everything as Rasa does (bot/tracker_states.py).

lock_ticket_kept (LockStore._acquire_lock; bot/stores/lock.py)
    A turn waiting for a conversation's lock could wait forever when its own ticket expired
    while it waited (a replica killed right after taking its ticket, the message retried on
    another replica): the balancer then answered 504. The waiter now keeps its place with a
    fresh ticket lifetime.

recent_turns_to_action_server (RemoteAction._action_call_format)
    Rasa sends the action server the whole session's events with every action call (several
    per turn), which both sides serialise and parse: at turn 40 of a conversation that is
    ~150 kB per call. Our actions and rasa_sdk's forms read only the slots, the latest message
    and the events of the last two turns (the slots just set, `slots_to_validate`; the latest
    user event, `actions/letter.py:client_of`; the user's previous message,
    `actions/form.py:_repeated`), so only the events since the user's previous message are
    sent (`RECENT_USER_MESSAGES`); slots, latest message, active loop and latest action are sent
    as before. An action that needs older events must keep what it needs in a slot.
    The domain goes without its responses: they are 240 of its 260 kB as JSON, which Rasa
    serialised and the action server parsed with every call (about a tenth of a turn's CPU), and
    nothing on the action server reads them (rasa_sdk's forms read "slots" and "forms"; our
    actions render the catalogue themselves and let Rasa render `utter_*` responses).

replayed_tracker_copy (DialogueStateTracker.copy), replayed_form_tracker
(FormAction._temporary_tracker), incremental_applied_events (DialogueStateTracker.applied_events),
deferred_state_formatting (Policy.format_tracker_states)
    The rest of what made a turn cost more the longer the conversation: Rasa replays every event
    onto a new tracker for each copy (before every action, again in forms, and forms build
    further trackers from all events before validating and asking), rebuilds the list of
    applied events a dozen times per turn, and RulePolicy formats all dialogue states for a debug
    line even when debug logging is off. The replayed tracker and the applied events are kept
    and extended by the new events only; the formatting happens only if the line is written
    (bot/tracker_replay.py; each gives exactly Rasa's result).

turn_metrics (Agent.handle_message)
    Every user message is timed and counted for the Prometheus metrics (bot/metrics.py); the
    retry patch above counts the calls to the action server. `RasaPatchesChannel` also starts
    the process's metrics exporter when METRICS_PORT is set.
"""

from __future__ import annotations

import functools
import importlib
import ipaddress
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text, Tuple

import aiohttp
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import Event, FollowupAction, UserUttered, UserUtteranceReverted
from rasa.shared.core.trackers import EventVerbosity
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import action_responses, metrics
from bot.context_intents import context_parser
from bot.conversation_language import language_following_handler
from bot.stores.lock import ticket_keeping_acquire
from bot.tracker_replay import (
    deferred_state_formatting,
    incremental_applied_events,
    replayed_form_tracker,
    replayed_tracker_copy,
)
from bot.tracker_states import incremental_past_states
from cancellation import texts
from cancellation.settings import MetricsEndpoint, SettingsError

logger = logging.getLogger(__name__)

EXPECTED_RASA_VERSION = "3.6.21"
# Set on every replacement function: which patch it belongs to.
MARK = "__rasa_patch__"
TECHNICAL_PROBLEM_RESPONSE = "utter_technical_problem"


class RasaPatchError(RuntimeError):
    """The installed Rasa is not the one our patches were written for."""


@dataclass(frozen=True)
class Patch:
    name: str
    # "package.module:Class.attribute" (or "package.module:function")
    target: str
    # original attribute -> replacement
    build: Callable[[Any], Any]
    reason: str


# -- remote_action_retry ----------------------------------------------------------------------


def _unreachable(error: BaseException) -> bool:
    cause = error.__cause__ or error.__context__
    return "Couldn't connect" in str(error) or isinstance(cause, (aiohttp.ClientError, OSError))


async def _tell_user(output_channel: Any, nlg: Any, tracker: Any) -> None:
    message = await nlg.generate(TECHNICAL_PROBLEM_RESPONSE, tracker, output_channel.name())
    text = (message or {}).get("text") or texts.text(
        TECHNICAL_PROBLEM_RESPONSE, tracker.get_slot(texts.LANGUAGE_SLOT)
    )
    await output_channel.send_response(tracker.sender_id, {"text": text})


def _retrying_run(original: Callable[..., Awaitable[List[Event]]]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def run(self, output_channel, nlg, tracker, domain) -> List[Event]:  # type: ignore[no-untyped-def]
        try:
            events = await original(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            if not _unreachable(error):
                metrics.action_call(self.name(), "error")
                raise
            logger.warning("Action server call for %s failed (%s); retrying once", self.name(), error)
        except Exception:
            metrics.action_call(self.name(), "error")
            raise
        else:
            metrics.action_call(self.name(), "ok")
            return events
        try:
            events = await original(self, output_channel, nlg, tracker, domain)
        except RasaException as error:
            if not _unreachable(error):
                metrics.action_call(self.name(), "error")
                raise
            metrics.action_call(self.name(), "unreachable")
            logger.error("Action server unreachable while running %s: %s", self.name(), error)
            await _tell_user(output_channel, nlg, tracker)
            if self.name().startswith("validate_"):
                # Called from inside a form: let the form fail as a whole. Rasa then keeps the
                # form active, applies none of this answer and waits for the next message.
                raise
            return [UserUtteranceReverted(), FollowupAction("action_listen")]
        except Exception:
            metrics.action_call(self.name(), "error")
            raise
        metrics.action_call(self.name(), "retried")
        return events

    return run


# -- recent_turns_to_action_server ------------------------------------------------------------


# The action server gets the events since this many user messages ago (see the patch's notes).
RECENT_USER_MESSAGES = 2


def recent_turns(events: Sequence[Event], user_messages: int = RECENT_USER_MESSAGES) -> List[Event]:
    """The events since the `user_messages`-th latest user message (all when there are fewer)."""
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == user_messages:
                return [events[position] for position in range(index, len(events))]
    return list(events)


# What the action server reads of the domain: rasa_sdk's forms read "slots" and "forms"; our
# actions render their texts from the catalogue files themselves (cancellation/texts.py).
_DOMAIN_KEYS_NOT_SENT = ("responses",)


# (domain object, its slim dict): one model's domain is loaded once per process. Keyed by identity:
# Domain.__hash__ fingerprints the whole domain, far dearer than what the cache saves.
_slim_domain: List[Any] = [None, None]


def domain_for_action_server(domain: Any) -> Dict[Text, Any]:
    """The domain as Rasa sends it to the action server, without the responses (computed once per
    domain object: a loaded domain does not change)."""
    cached_domain, slim = _slim_domain
    if cached_domain is not domain:
        slim = {key: value for key, value in domain.as_dict().items()
                if key not in _DOMAIN_KEYS_NOT_SENT}
        _slim_domain[:] = [domain, slim]
    return slim


def _recent_turns_call_format(original: Callable[..., Dict[Text, Any]]) -> Callable[..., Any]:
    def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> Dict[Text, Any]:
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in recent_turns(tracker.events)]
        result: Dict[Text, Any] = {
            "next_action": self.name(),
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": rasa.__version__,
        }
        # As Rasa 3.6.21 decides whether to send the domain; without its responses.
        if (not self._is_selective_domain_enabled()
                or domain.does_custom_action_explicitly_need_domain(self.name())):
            result["domain"] = domain_for_action_server(domain)
        return result

    return _action_call_format


# -- the registry -----------------------------------------------------------------------------

PATCHES: Tuple[Patch, ...] = (
    Patch(
        name="remote_action_retry",
        target="rasa.core.actions.action:RemoteAction.run",
        build=_retrying_run,
        reason="retry once, then tell the user instead of failing silently",
    ),
    Patch(
        name="response_validation_by_event_kind",
        target="rasa.core.actions.action:RemoteAction._validate_action_result",
        build=action_responses.validating_action_result,
        reason="check each returned event against its own kind's schema, not all 24 kinds",
    ),
    Patch(
        name="conversation_language",
        target="rasa.core.processor:MessageProcessor._handle_message_with_tracker",
        build=language_following_handler,
        reason="switch the conversation's language with the user's before the turn's replies",
    ),
    Patch(
        name="context_intents",
        target="rasa.core.processor:MessageProcessor.parse_message",
        build=context_parser,
        reason="let the open form, question and buttons decide a message's intent where its words cannot",
    ),
    Patch(
        name="incremental_past_states",
        target="rasa.shared.core.trackers:DialogueStateTracker.past_states",
        build=incremental_past_states,
        reason="featurise only the events added since the last prediction, not the whole session",
    ),
    Patch(
        name="lock_ticket_kept",
        target="rasa.core.lock_store:LockStore._acquire_lock",
        build=ticket_keeping_acquire,
        reason="a turn whose lock ticket expired while it waited is served, not stuck forever",
    ),
    Patch(
        name="recent_turns_to_action_server",
        target="rasa.core.actions.action:RemoteAction._action_call_format",
        build=_recent_turns_call_format,
        reason="send the action server the last two turns' events, not the whole session's",
    ),
    Patch(
        name="replayed_tracker_copy",
        target="rasa.shared.core.trackers:DialogueStateTracker.copy",
        build=replayed_tracker_copy,
        reason="copy a tracker from its kept replay, not by replaying every event again",
    ),
    Patch(
        name="replayed_form_tracker",
        target="rasa.core.actions.forms:FormAction._temporary_tracker",
        build=replayed_form_tracker,
        reason="build a form's trackers from the kept replay plus the form's new events",
    ),
    Patch(
        name="incremental_applied_events",
        target="rasa.shared.core.trackers:DialogueStateTracker.applied_events",
        build=incremental_applied_events,
        reason="extend the applied events by the new events, not rebuild them from the start",
    ),
    Patch(
        name="deferred_state_formatting",
        target="rasa.core.policies.policy:Policy.format_tracker_states",
        build=deferred_state_formatting,
        reason="format RulePolicy's dialogue states for the debug log only when it is written",
    ),
    Patch(
        name="turn_metrics",
        target="rasa.core.agent:Agent.handle_message",
        build=metrics.timed_handle_message,
        reason="time and count every user message for the Prometheus metrics (bot/metrics.py)",
    ),
)


# -- installing -------------------------------------------------------------------------------


def _resolve(target: str) -> Tuple[Any, str]:
    """(owner object, attribute name) for "module:Owner.attribute"; raises LookupError."""
    module_name, _, path = target.partition(":")
    if not module_name or not path:
        raise LookupError(f"{target!r} is not of the form 'module:Owner.attribute'")
    try:
        owner: Any = importlib.import_module(module_name)
    except ImportError as error:
        raise LookupError(f"module {module_name} cannot be imported ({error})") from None
    *owners, attribute = path.split(".")
    for name in owners:
        if not hasattr(owner, name):
            raise LookupError(f"{module_name} has no {name}")
        owner = getattr(owner, name)
    if not hasattr(owner, attribute):
        raise LookupError(f"{target} does not exist")
    return owner, attribute


def check(
    patches: Sequence[Patch] = PATCHES, rasa_version: Optional[str] = None
) -> List[Tuple[Patch, Any, str]]:
    """Every patch's (patch, owner, attribute), or RasaPatchError naming every problem."""
    version = rasa.__version__ if rasa_version is None else rasa_version
    problems: List[str] = []
    if version != EXPECTED_RASA_VERSION:
        problems.append(
            f"Rasa {EXPECTED_RASA_VERSION} is required, but {version} is installed "
            "(pip install -r requirements.lock)"
        )
    resolved = []
    for patch in patches:
        try:
            owner, attribute = _resolve(patch.target)
        except LookupError as error:
            problems.append(f"patch {patch.name}: {error}")
            continue
        resolved.append((patch, owner, attribute))
    if problems:
        raise RasaPatchError(
            "Cannot start: bot/rasa_patches.py does not fit the installed Rasa. "
            + "; ".join(problems)
            + ". Adapt the patches (and EXPECTED_RASA_VERSION) before upgrading Rasa."
        )
    return resolved


def install(
    patches: Sequence[Patch] = PATCHES, rasa_version: Optional[str] = None
) -> Tuple[str, ...]:
    """Check, then install every patch not yet installed; the names of all installed patches."""
    for patch, owner, attribute in check(patches, rasa_version):
        current = getattr(owner, attribute)
        if getattr(current, MARK, None) == patch.name:
            continue
        replacement = patch.build(current)
        # A static method is read back from its class as the plain function: mark that.
        marked = replacement.__func__ if isinstance(replacement, staticmethod) else replacement
        setattr(marked, MARK, patch.name)
        setattr(owner, attribute, replacement)
        logger.debug("Rasa patch %s installed on %s", patch.name, patch.target)
    return installed(patches)


def installed(patches: Sequence[Patch] = PATCHES) -> Tuple[str, ...]:
    """The names of the patches whose replacement is in place right now."""
    names = []
    for patch in patches:
        try:
            owner, attribute = _resolve(patch.target)
        except LookupError:
            continue
        if getattr(getattr(owner, attribute), MARK, None) == patch.name:
            names.append(patch.name)
    return tuple(names)


# -- the hook Rasa runs in every server process ---------------------------------------------


def _is_direct_loopback(request: Request) -> bool:
    """A client on this machine that did not come through a proxy (a local proxy such as
    HAProxy forwards public requests from a loopback address, but adds X-Forwarded-For)."""
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.ip).is_loopback
    except ValueError:
        return False


class RasaPatchesChannel(InputChannel):
    """bot/credentials.yml: `bot.rasa_patches.RasaPatchesChannel:` (the first entry).

    Rasa creates it in every server process before serving: that installs the patches (and
    starts the metrics exporter when METRICS_PORT is set). It
    handles no messages; GET /webhooks/rasa_patches/ lists the installed patches (loopback only).
    """

    @classmethod
    def name(cls) -> Text:
        return "rasa_patches"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        try:
            names = install()
            metrics.start_exporter(MetricsEndpoint.from_env())
        except (RasaPatchError, SettingsError) as error:
            logger.critical("%s", error)
            raise SystemExit(str(error)) from None
        logger.info("Rasa patches installed: %s", ", ".join(names))
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        patches = Blueprint("rasa_patches", __name__)

        @patches.get("/")
        async def listing(request: Request) -> HTTPResponse:
            if not _is_direct_loopback(request):
                return response.json({"error": "Nicht gefunden."}, status=404)
            return response.json({"rasa": rasa.__version__, "patches": list(installed())})

        return patches
