from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.telegram.format import (
    MAX_MESSAGE_LENGTH,
    plain_text,
    split_message,
    telegram_length,
)


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_markdown_links_become_visible_text_and_url() -> None:
    assert plain_text("Siehe [§ 56 TKG](https://www.gesetze-im-internet.de/tkg_2021/__56.html).") == (
        "Siehe § 56 TKG: https://www.gesetze-im-internet.de/tkg_2021/__56.html."
    )
    assert plain_text("[https://example.org](https://example.org)") == "https://example.org"


def test_a_link_label_cannot_hide_where_it_points() -> None:
    # A user's name echoed by the bot: the reader sees the real target.
    assert plain_text("Danke, [Bank](https://evil.example)!") == "Danke, Bank: https://evil.example!"


def test_bold_markers_are_dropped_and_html_stays_literal() -> None:
    assert plain_text("**Wichtig:** <b>nicht</b> & so") == "Wichtig: <b>nicht</b> & so"
    assert plain_text("2 ** 3 = 8") == "2 ** 3 = 8"


def test_a_10000_character_answer_is_split_at_paragraphs_without_losing_anything() -> None:
    paragraph = "Sie können Ihren Vertrag nach § 56 TKG monatlich kündigen. " * 15
    text = "\n\n".join(f"{index}. {paragraph.strip()}" for index in range(12))
    assert len(text) > 10_000

    chunks = split_message(text)

    assert len(chunks) == 3
    assert all(telegram_length(chunk) <= MAX_MESSAGE_LENGTH for chunk in chunks)
    assert _words("".join(chunks)) == _words(text)
    # Each message starts a paragraph: nothing was cut mid-sentence.
    assert all(re.match(r"\d+\. Sie können", chunk) for chunk in chunks)


def test_one_huge_paragraph_is_split_between_sentences() -> None:
    text = " ".join(f"Satz Nummer {index} endet hier." for index in range(600))
    chunks = split_message(text)
    assert len(chunks) > 1
    assert all(chunk.endswith("endet hier.") for chunk in chunks)
    assert _words("".join(chunks)) == _words(text)


def test_text_without_any_boundary_is_cut_hard_and_emoji_count_double() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, as Telegram counts them
    chunks = split_message(text)
    assert [telegram_length(chunk) for chunk in chunks] == [4096, 1904]
    assert "".join(chunks) == text


def test_empty_text_sends_nothing() -> None:
    assert split_message("  \n\n ") == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab.! \n😀ä"), max_size=600), st.integers(5, 80))
def test_splitting_never_loses_text_and_respects_the_limit(text: str, limit: int) -> None:
    chunks = split_message(text, limit)
    assert all(0 < telegram_length(chunk) <= limit for chunk in chunks)
    assert _words("".join(chunks)) == _words(text)
