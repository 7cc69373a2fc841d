"""The web chat in a real browser (Debian's Chromium) against the running servers.

A user opens the page, answers the bot's questions in the rasa-webchat widget (typing and tapping
quick replies), reloads the page halfway, finishes, and downloads the letter. No request may
leave the machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Sequence
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.conftest import attempts_json
from tests.e2e.pdftext import pdf_text
from tests.support.stack import ROOT, Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

BOT_MESSAGES = ".rw-from-response .rw-message"
USER_MESSAGES = ".rw-from-client .rw-message"
QUICK_REPLIES = ".rw-replies .rw-reply"
INPUT = "textarea.rw-new-message"
REPLY_TIMEOUT_S = 60
# The bot may answer with several messages; a reply is complete when nothing new came for this long.
QUIET_S = 1.2


@dataclass(frozen=True)
class Step:
    """Answer the bot's question: `asks` must be in its latest message before we reply."""

    asks: str
    answer: str
    tap: bool = False  # tap the quick reply titled `answer` instead of typing it


# The bot's real question order (bot/domain/responses.yml, actions/form.py).
BEFORE_RELOAD: Sequence[Step] = (
    Step("Was möchten Sie kündigen?", "Einen Vertrag kündigen", tap=True),
    Step("Bei welchem Anbieter", "o2"),
    Step("Art von Vertrag", "Handy / Mobilfunk", tap=True),
    Step("vollständiger Name", "Erika Mustermann"),
)
AFTER_RELOAD: Sequence[Step] = (
    Step("Anschrift", "Musterstraße 5, 10115 Berlin"),
    Step("Kundennummer", "123456789"),
    Step("Rufnummer oder Vertragsnummer", "0176 12345678"),
    Step("Kundenkennzahl", "weiß ich nicht"),
    Step("Zu wann", "Zum nächstmöglichen Zeitpunkt", tap=True),
    Step("noch etwas enthalten", "Nichts davon", tap=True),
    Step("E-Mail", "Ohne E-Mail", tap=True),
    Step("Bitte prüfen Sie Ihre Angaben", "ja"),
)
EXPECTED_IN_LETTER = (
    "Erika Mustermann",
    "Musterstraße 5",
    "10115 Berlin",
    "Kündigung",
    "Mobilfunkvertrag",
    "123456789",
    "nächstmöglichen Zeitpunkt",
)


class ChatWidget:
    """The rasa-webchat widget on the page, as a user sees and uses it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def bot_texts(self) -> List[str]:
        return self.page.locator(BOT_MESSAGES).all_inner_texts()

    def user_texts(self) -> List[str]:
        return self.page.locator(USER_MESSAGES).all_inner_texts()

    def wait_for_bot(self, already_seen: int) -> List[str]:
        """The bot messages that arrive after the first `already_seen`, once the bot is quiet."""
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        count, changed = already_seen, time.monotonic()
        while time.monotonic() < deadline:
            now_count = self.page.locator(BOT_MESSAGES).count()
            if now_count != count:
                count, changed = now_count, time.monotonic()
            typing = self.page.locator(".rw-typing-indication").count() > 0
            if count > already_seen and not typing and time.monotonic() - changed >= QUIET_S:
                return self.bot_texts()[already_seen:]
            self.page.wait_for_timeout(100)
        raise AssertionError(
            f"the bot did not answer within {REPLY_TIMEOUT_S}s; last messages: {self.bot_texts()[-3:]}"
        )

    def say(self, text: str) -> List[str]:
        seen = self.page.locator(BOT_MESSAGES).count()
        self.page.fill(INPUT, text)
        self.page.press(INPUT, "Enter")
        return self.wait_for_bot(seen)

    def tap(self, title: str) -> List[str]:
        seen = self.page.locator(BOT_MESSAGES).count()
        replies = self.page.locator(QUICK_REPLIES).filter(has_text=title)
        assert replies.count() >= 1, f"no quick reply {title!r}; bot said: {self.bot_texts()[-2:]}"
        replies.last.click()
        return self.wait_for_bot(seen)

    def follow(self, steps: Sequence[Step]) -> List[str]:
        latest = self.bot_texts()[-1:]
        for step in steps:
            assert any(step.asks in text for text in latest), (
                f"expected the bot to ask {step.asks!r} before {step.answer!r}, it said: {latest}"
            )
            latest = self.tap(step.answer) if step.tap else self.say(step.answer)
        return latest


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Traffic:
    urls: List[str]
    dialogs: List[str]

    def non_local(self) -> List[str]:
        return [url for url in self.urls if urlsplit(url).hostname not in LOCAL_HOSTS]


def open_page(browser: Browser, stack: Stack, viewport: dict, tmp_path: Path) -> "tuple[Page, Traffic]":
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="de-DE")
    page = context.new_page()
    traffic = Traffic(urls=[], dialogs=[])
    page.on("request", lambda request: traffic.urls.append(request.url))
    page.on("websocket", lambda socket: traffic.urls.append(socket.url))
    page.on("dialog", lambda dialog: (traffic.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{stack.base_url}/chat")
    return page, traffic


def test_complete_cancellation_in_the_web_chat(browser: Browser, stack: Stack, tmp_path: Path) -> None:
    page, traffic = open_page(browser, stack, DESKTOP, tmp_path)
    chat = ChatWidget(page)

    # Desktop: the chat is open without a click and greets the user (initPayload /greet).
    page.wait_for_selector(BOT_MESSAGES, timeout=REPLY_TIMEOUT_S * 1000)
    chat.wait_for_bot(0)
    assert page.locator(INPUT).is_visible()
    assert page.locator(QUICK_REPLIES).count() >= 2

    chat.follow(BEFORE_RELOAD)
    history = chat.user_texts()
    assert "Erika Mustermann" in history

    # Reload mid-conversation: the history is still shown and the bot goes on where it was.
    page.reload()
    page.wait_for_selector(BOT_MESSAGES, timeout=REPLY_TIMEOUT_S * 1000)
    page.wait_for_timeout(1500)  # no second greeting must arrive
    assert chat.user_texts() == history
    assert any(AFTER_RELOAD[0].asks in text for text in chat.bot_texts()[-1:])

    done = chat.follow(AFTER_RELOAD)
    link = page.locator(BOT_MESSAGES).locator("a", has_text="Brief herunterladen").last
    assert link.count() == 1, f"no download link in: {done}"
    href = link.get_attribute("href") or ""
    assert href.startswith(f"{stack.base_url}/letters/")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("Kuendigung-KB-")
    assert download.suggested_filename.endswith(".pdf")
    reference = download.suggested_filename.removeprefix("Kuendigung-").removesuffix(".pdf")
    [row] = [row for row in attempts_json(stack) if row["reference"] == reference]
    assert row["channel"] == "web"  # recorded as the web chat in the attempt log
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in EXPECTED_IN_LETTER:
        assert expected in text, f"{expected!r} missing in the letter"

    ARTIFACTS.mkdir(exist_ok=True)
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "web-chat.png"))

    assert traffic.non_local() == []
    assert traffic.dialogs == []
    page.context.close()


def test_typed_html_and_markdown_are_shown_as_text(browser: Browser, stack: Stack, tmp_path: Path) -> None:
    page, traffic = open_page(browser, stack, DESKTOP, tmp_path)
    chat = ChatWidget(page)
    page.wait_for_selector(BOT_MESSAGES, timeout=REPLY_TIMEOUT_S * 1000)
    chat.wait_for_bot(0)

    attack = '<img src=x onerror=alert(1)> <script>alert(2)</script> [klick](javascript:alert(3))'
    chat.tap("Einen Vertrag kündigen")
    # As the provider's name: markup is refused with a plain-text explanation, never echoed.
    echo = chat.say(attack)
    page.wait_for_timeout(500)

    assert attack in chat.user_texts()  # the user's own bubble shows exactly what was typed
    assert any("Sonderzeichen wie < >" in text for text in echo), echo
    widget = page.locator("#webchat")
    assert widget.locator("img[src='x']").count() == 0
    assert widget.locator("script").count() == 0
    # Markdown links the widget renders from the echo must stay inert when clicked.
    for anchor in widget.locator("a[href^='javascript:']").all():
        anchor.click()
    page.wait_for_timeout(300)
    assert traffic.dialogs == []
    assert not any(urlsplit(url).path == "/x" for url in traffic.urls)
    page.context.close()


def test_mobile_shows_a_launcher_that_opens_the_chat(browser: Browser, stack: Stack, tmp_path: Path) -> None:
    page, traffic = open_page(browser, stack, MOBILE, tmp_path)
    launcher = page.locator(".rw-launcher")
    launcher.wait_for(timeout=REPLY_TIMEOUT_S * 1000)
    assert not page.locator(INPUT).is_visible()

    launcher.click()
    page.wait_for_selector(BOT_MESSAGES, timeout=REPLY_TIMEOUT_S * 1000)
    ChatWidget(page).wait_for_bot(0)
    assert page.locator(INPUT).is_visible()
    assert page.locator(QUICK_REPLIES).count() >= 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-chat-mobile.png"))
    assert traffic.non_local() == []
    page.context.close()
