"""The web chat in a real browser (Debian's Chromium) against the running servers.

A user opens the page, answers the bot's questions in the rasa-webchat widget (typing and tapping
quick replies), reloads the page halfway, finishes, and downloads the letter. No request may
leave the machine.

Accessibility: axe-core (vendored at setup time by scripts/vendor_axe.sh, never served to users)
checks the page against WCAG 2.0/2.1 A and AA, in German and English, on a phone with the chat
closed and open and on a desktop (where the chat is always open next to the text). The chat is
used with the keyboard alone, and new bot messages are in a polite live region.
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

AXE = ROOT / "tests" / "e2e" / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
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


def open_page(
    browser: Browser, stack: Stack, viewport: dict, tmp_path: Path, locale: str = "de-DE"
) -> "tuple[Page, Traffic]":
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale=locale)
    # axe-core is injected by the browser, outside the page's CSP, and only in tests.
    context.add_init_script(path=str(AXE))
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


# --- a page everyone can use ----------------------------------------------------------------


def wcag_violations(page: Page) -> List[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per node."""
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def wait_for_greeting(page: Page) -> None:
    page.wait_for_selector(BOT_MESSAGES, timeout=REPLY_TIMEOUT_S * 1000)
    ChatWidget(page).wait_for_bot(0)


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_no_wcag_aa_violation_with_the_chat_closed_and_open(
    browser: Browser, stack: Stack, tmp_path: Path, locale: str
) -> None:
    assert AXE.is_file(), "axe-core is not vendored: run scripts/vendor_axe.sh (make e2e does)"
    found = {}

    # Phone: the chat is closed behind the launcher, then opened.
    page, traffic = open_page(browser, stack, MOBILE, tmp_path, locale)
    page.locator(".rw-launcher").wait_for(timeout=REPLY_TIMEOUT_S * 1000)
    found["mobile, chat closed"] = wcag_violations(page)
    page.locator(".rw-launcher").click()
    wait_for_greeting(page)
    found["mobile, chat open"] = wcag_violations(page)
    assert traffic.non_local() == []
    page.context.close()

    # Desktop: the chat is always open next to the text (there is no launcher to close it).
    page, traffic = open_page(browser, stack, DESKTOP, tmp_path, locale)
    wait_for_greeting(page)
    found["desktop, chat open"] = wcag_violations(page)
    assert traffic.non_local() == []
    page.context.close()

    assert {where: lines for where, lines in found.items() if lines} == {}


def press_tab_until(page: Page, selector: str, limit: int = 40) -> None:
    """Tab through the page until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} not reached by {limit} Tab presses; focus is on {focused}")


def test_the_chat_works_by_keyboard_alone(browser: Browser, stack: Stack, tmp_path: Path) -> None:
    page, traffic = open_page(browser, stack, MOBILE, tmp_path)
    chat = ChatWidget(page)
    launcher = page.locator(".rw-launcher")
    launcher.wait_for(timeout=REPLY_TIMEOUT_S * 1000)
    assert launcher.get_attribute("aria-label") == "Chat öffnen"

    # Open the chat with the keyboard.
    press_tab_until(page, ".rw-launcher")
    page.keyboard.press("Enter")
    wait_for_greeting(page)
    log = page.locator(".rw-messages-container")
    assert log.get_attribute("aria-live") == "polite" and log.get_attribute("role") == "log"
    assert page.locator(".rw-send").get_attribute("aria-label") == "Nachricht senden"

    # A quick reply, chosen with Tab and Enter.
    seen = page.locator(BOT_MESSAGES).count()
    press_tab_until(page, ".rw-reply")
    while "Vertrag" not in page.evaluate("document.activeElement.textContent"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    asked = chat.wait_for_bot(seen)
    assert any("Bei welchem Anbieter" in text for text in asked), asked

    # Typing an answer and sending it with Enter.
    seen = page.locator(BOT_MESSAGES).count()
    press_tab_until(page, INPUT)
    page.keyboard.type("o2")
    page.keyboard.press("Enter")
    asked = chat.wait_for_bot(seen)
    assert any("Art von Vertrag" in text for text in asked), asked
    # The new messages are inside the live region, so screen readers announce them.
    assert log.locator(".rw-from-response").count() >= 3
    assert traffic.non_local() == []
    page.context.close()


def test_an_english_browser_gets_the_page_and_the_chat_in_english(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    page, traffic = open_page(browser, stack, DESKTOP, tmp_path, locale="en-US")
    chat = ChatWidget(page)
    wait_for_greeting(page)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "without waiting on the hotline" in page.locator("h1").inner_text()
    assert page.locator(INPUT).get_attribute("placeholder") == "Type a message …"
    greeting = chat.bot_texts()
    assert any("cancel" in text for text in greeting), greeting

    answer = chat.say("I want to cancel my gym membership")
    assert any("provider" in text for text in answer), answer
    # The link to the German page.
    assert page.locator("a.language-link").inner_text() == "Deutsch"
    assert traffic.non_local() == []
    page.context.close()


def test_the_widgets_own_texts_follow_the_conversation_when_it_switches_language(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    page, traffic = open_page(browser, stack, DESKTOP, tmp_path)
    chat = ChatWidget(page)
    wait_for_greeting(page)
    assert page.locator(INPUT).get_attribute("placeholder") == "Nachricht eingeben …"

    answer = chat.say("English please")
    assert any("English" in text for text in answer), answer
    assert page.locator(INPUT).get_attribute("placeholder") == "Type a message …"
    assert page.locator(".rw-send").get_attribute("aria-label") == "Send message"
    assert page.locator("#chat-title").inner_text() == "Chat with Kündigungshilfe"
    assert page.locator("#chat").get_attribute("lang") == "en"

    chat.say("auf Deutsch bitte")
    assert page.locator(INPUT).get_attribute("placeholder") == "Nachricht eingeben …"
    assert page.locator(".rw-send").get_attribute("aria-label") == "Nachricht senden"
    assert page.locator("#chat").get_attribute("lang") == "de"
    assert traffic.non_local() == []
    page.context.close()
