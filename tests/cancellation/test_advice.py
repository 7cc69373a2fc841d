from cancellation.advice import sending_advice
from cancellation.texts import render
from cancellation.vocabulary import Sector


def joined(*args, **kwargs):
    return " ".join(render(sending_advice(*args, **kwargs)).split())


def test_registered_letter_advice_reminds_to_request_delivery_record():
    text = joined(None, False, False, None)
    assert "Einwurf-Einschreiben" in text
    assert "Auslieferungsbeleg" in text and "15 Monaten" in text
    assert "Vormerkung" in text


def test_a_sender_abroad_is_told_the_international_registered_letter_not_the_einwurf_einschreiben():
    # Hand-test item 19: a letter sent from Madrid was to go as "Einwurf-Einschreiben".
    text = joined(None, False, False, None, sender_abroad=True)
    assert "Einwurf-Einschreiben ist ein Produkt der Deutschen Post und dort nicht erhältlich" in text
    assert "internationales Einschreiben mit Rückschein" in text and "Recommandé" in text
    assert "Am besten beweisbar ist im Alltag ein Einwurf-Einschreiben" not in text
    assert "mindestens zwei Wochen" in text


def test_textform_only_for_contracts_after_2016():
    assert "§ 309 Nr. 13 BGB" in joined(None, True, True, True)
    assert "unterschriebenen Brief" in joined(None, True, True, False)


def test_button_fax_and_email_mentioned_only_when_available():
    with_all = joined(True, True, True, True)
    assert "§ 312k BGB" in with_all and "Sendebericht" in with_all and "E-Mail ist schnell" in with_all
    without = joined(False, False, False, True)
    assert "Sendebericht" not in without and "E-Mail ist schnell" not in without


def test_a_missing_or_hidden_button_allows_cancelling_at_any_time():
    for has_button in (True, False, None):
        assert "jederzeit ohne Einhaltung einer Frist kündigen (§ 312k Abs. 6 BGB)" in joined(has_button, False, False, None)
    assert "§ 312k" not in joined(None, False, False, None, sector=Sector.INSURANCE)
