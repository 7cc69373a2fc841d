"""Handing a stored PDF to the user: a download link, or on Telegram the file itself."""

from __future__ import annotations

import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from cancellation.log.records import Document

from actions import services
from actions.answers import channel_of
from actions.speech import tell
from cancellation.texts import say

LINK_TITLES = {Document.LETTER: "utter_download_letter", Document.EVIDENCE: "utter_download_evidence"}


def download_url(token: str) -> str:
    return f"{services.settings().public_base_url.rstrip('/')}/letters/{token}"


def hand_out(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    reference: str,
    ready: str,
    document: str = Document.LETTER,
    filename_prefix: str = "Kuendigung",
) -> None:
    """Issue a download token for `reference` and tell the user where the PDF is."""
    days = services.settings().letter_link_ttl_days
    token = services.attempt_log().tokens.issue(
        reference, ttl=dt.timedelta(days=days), document=document
    )
    url = download_url(token)
    if channel_of(tracker) == "telegram" and document == Document.LETTER:
        # Telegram gets the file itself, uploaded by the channel; no public link.
        dispatcher.utter_message(text=ready)
        dispatcher.utter_message(
            json_message={
                "letter": {
                    "reference": reference,
                    "download_url": url,
                    "filename": f"{filename_prefix}-{reference}.pdf",
                }
            }
        )
        return
    title = say(LINK_TITLES[document])
    tell(dispatcher, tracker, say("utter_download_link", ready=ready, title=title, url=url, days=days))
