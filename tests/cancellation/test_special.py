import datetime as dt

import pytest

from cancellation.special import GROUNDS, FactQuestion, assess, measurement_steps, required_facts
from letters.model import SpecialTermination

D = dt.date
TODAY = D(2026, 11, 25)  # a Wednesday


def price_facts(received="2026-10-01", effective="2026-12-01"):
    return {
        "notice_received": received,
        "change_effective": effective,
        "change_description": "Die Grundgebühr steigt von 29,99 € auf 34,99 € monatlich",
    }


@pytest.mark.parametrize("ground", GROUNDS)
def test_every_ground_has_questions_with_kinds(ground):
    questions = required_facts(ground)
    assert questions and all(isinstance(q, FactQuestion) for q in questions)
    assert all(q.kind in ("date", "text") and "?" in q.question_de for q in questions)
    assert len({q.key for q in questions}) == len(questions)


def test_unknown_ground_is_rejected():
    with pytest.raises(ValueError):
        required_facts("boredom")


def test_missing_fact_is_rejected():
    facts = price_facts()
    del facts["change_effective"]
    with pytest.raises(ValueError, match="change_effective"):
        assess("price_change", facts, TODAY)


def test_unreadable_date_is_rejected():
    with pytest.raises(ValueError):
        assess("price_change", price_facts(received="letzte Woche"), TODAY)


def test_price_change_within_three_months_is_allowed_and_ends_when_change_applies():
    result = assess("price_change", price_facts(), TODAY)
    assert result.allowed is True
    assert result.earliest_end == D(2026, 12, 1)
    assert result.legal_basis == "§ 57 Abs. 1 TKG"
    assert "01.10.2026" in result.statement and "34,99 €" in result.statement
    assert "01.01.2027" in result.explanation  # three months after receipt of the notice
    assert "§ 57 Abs. 1 TKG" in result.explanation
    assert result.enclosures == ("Kopie der Mitteilung über die Vertragsänderung",)


def test_price_change_after_three_months_falls_back_to_ordinary_cancellation():
    result = assess("price_change", price_facts(received="01.06.2026", effective="2026-08-01"), TODAY)
    assert result.allowed is False
    assert result.earliest_end is None
    warning = " ".join(result.warnings)
    assert "Drei-Monats-Frist nach der Mitteilung vom 01.06.2026 ist am 01.09.2026 abgelaufen" in warning
    assert "hilfsweise ordentlich" in warning


def test_price_change_last_day_by_post_too_late_warns_to_use_faster_channel():
    # Deadline 25.11.2026 (today); an Einschreiben posted today arrives on 26.11.
    result = assess("price_change", price_facts(received="2026-08-25"), TODAY)
    assert result.allowed is True
    assert any("Kündigungsbutton, Fax oder E-Mail" in w for w in result.warnings)


def test_price_change_already_effective_ends_with_receipt():
    result = assess("price_change", price_facts(received="2026-10-01", effective="2026-11-01"), TODAY)
    assert result.allowed is True and result.earliest_end is None


def test_price_change_to_letter_is_a_special_termination():
    letter = assess("price_change", price_facts(), TODAY).to_letter()
    assert isinstance(letter, SpecialTermination)
    assert letter.ground == "price_change" and letter.legal_basis == "§ 57 Abs. 1 TKG"


def slow_facts(**overrides):
    facts = {
        "fixed_line": "ja",
        "contracted_speed": "maximal 250, normalerweise 200, mindestens 150 Mbit/s",
        "measurement_completed": "2026-11-20",
        "deviation_confirmed": "Ja",
    }
    facts.update(overrides)
    return facts


def test_slow_internet_with_confirmed_deviation_is_allowed_with_protocol():
    result = assess("slow_internet", slow_facts(), TODAY)
    assert result.allowed is True
    assert result.enclosures == ("Messprotokoll der Breitbandmessung",)
    assert "§ 57 Abs. 4 TKG" in result.explanation
    assert "LAN-Kabel" in result.explanation and "30 Messungen" in result.explanation
    assert "20.11.2026" in result.statement


@pytest.mark.parametrize(
    "overrides, allowed",
    [({"deviation_confirmed": "nein"}, False), ({"fixed_line": "nein"}, False), ({"deviation_confirmed": "weiß nicht"}, None)],
)
def test_slow_internet_without_established_deviation_is_not_promised(overrides, allowed):
    result = assess("slow_internet", slow_facts(**overrides), TODAY)
    assert result.allowed is allowed
    assert result.warnings


def test_measurement_steps_cover_the_bnetza_procedure():
    text = " ".join(measurement_steps())
    for detail in ("Desktop-App", "LAN-Kabel", "drei", "14 Tagen", "5 Minuten", "3 Stunden", "90 %"):
        assert detail in text


def relocation_facts(available="nein", move="2027-02-15"):
    return {"move_date": move, "new_address": "Hauptstraße 1, 20095 Hamburg", "available_at_new_address": available}


def test_relocation_not_offered_ends_at_move_or_one_month_after_receipt():
    later_move = assess("relocation", relocation_facts(), TODAY)
    assert later_move.allowed is True and later_move.earliest_end == D(2027, 2, 15)
    soon_move = assess("relocation", relocation_facts(move="2026-12-01"), TODAY)
    assert soon_move.earliest_end == D(2026, 12, 30)  # receipt 30.11. (four postal working days) + one month
    assert soon_move.enclosures == ("Meldebestätigung der neuen Anschrift",)
    assert "Hauptstraße 1" in soon_move.statement


def test_relocation_where_provider_offers_the_service_gives_no_special_right():
    result = assess("relocation", relocation_facts(available="ja"), TODAY)
    assert result.allowed is False and result.earliest_end is None
    assert any("hilfsweise ordentlich" in w for w in result.warnings)


def test_relocation_unknown_availability_is_unclear():
    assert assess("relocation", relocation_facts(available="weiß nicht"), TODAY).allowed is None


def test_death_has_no_statutory_right_asks_for_goodwill_with_certificate():
    facts = {"deceased_name": "Erika Muster", "date_of_death": D(2026, 10, 3), "relationship": "Tochter"}
    result = assess("death", facts, TODAY)
    assert result.allowed is None
    assert result.enclosures == ("Kopie der Sterbeurkunde",)
    assert "kein Sonderkündigungsrecht" in " ".join(result.warnings)
    assert "Kulanz" in result.statement and "03.10.2026" in result.statement
    letter = result.to_letter()
    assert letter.ground == "death" and letter.legal_basis == ""  # no right to rely on in the letter


def test_important_reason_is_never_judged_and_warns_when_late():
    fresh = assess("important_reason", {"reason": "Der Anschluss ist seit Wochen tot", "known_since": "2026-11-10"}, TODAY)
    assert fresh.allowed is None
    assert "§ 314 BGB" in fresh.explanation and fresh.legal_basis == "§ 314 BGB"
    assert len(fresh.warnings) == 1
    late = assess("important_reason", {"reason": "Umzug ins Ausland", "known_since": "2026-06-01"}, TODAY)
    assert any("mehr als zwei Monaten" in w for w in late.warnings)


@pytest.mark.parametrize("ground", GROUNDS)
def test_texts_avoid_promises(ground):
    facts = {
        "price_change": price_facts(),
        "slow_internet": slow_facts(),
        "relocation": relocation_facts(),
        "death": {"deceased_name": "Erika Muster", "date_of_death": "2026-10-03", "relationship": "Sohn"},
        "important_reason": {"reason": "Grund", "known_since": "2026-11-01"},
    }[ground]
    result = assess(ground, facts, TODAY)
    text = " ".join((result.explanation, result.statement) + result.warnings)
    assert "sicher" not in text.lower()
    assert result.legal_basis in result.explanation
