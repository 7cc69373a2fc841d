import datetime as dt

import pytest

from letters import EarlierCancellation, PostalAddress, SpecialTermination, Statement, render
from letters.wording import clauses, compose

NOTICE = Statement(
    "change_notice",
    (("description", "Grundgebühr steigt auf 34,99 €"), ("effective", "01.01.2027"), ("received", "01.10.2026")),
)
NOTICE_TEXT = (
    "Mit Ihrer Mitteilung, die mir am 01.10.2026 zugegangen ist, haben Sie eine Änderung des Vertrags zum "
    "01.01.2027 angekündigt: Grundgebühr steigt auf 34,99 €."
)
PRICE_CHANGE = SpecialTermination(
    ground="price_change", terms="without_notice", legal_basis="§ 57 Abs. 1 TKG", statements=(NOTICE,)
)
DEATH = SpecialTermination(
    ground="death",
    preamble=(
        Statement("death_holder", (("died_on", "01.11.2026"), ("holder", "Max Mustermann"))),
        Statement("death_writer", (("relationship", "Tochter"),)),
        Statement("death_certificate_enclosed"),
    ),
    statements=(Statement("death_goodwill"),),
)


def text_of(letter, pdf_tools) -> str:
    return pdf_tools.flat(render(letter))


def test_contract_is_cancelled_at_the_next_possible_date(make_letter, pdf_tools):
    text = text_of(make_letter(), pdf_tools)
    assert "Kündigung Mobilfunkvertrag Kundennummer 123456789, Rufnummer 0176 12345678" in text
    assert "Sehr geehrte Damen und Herren, hiermit kündige ich den oben genannten Vertrag fristgerecht " \
        "zum nächstmöglichen Zeitpunkt." in text
    assert "Vertragsnummer" not in text
    assert "Mit freundlichen Grüßen Max Mustermann" in text
    assert "Anlagen" not in text
    assert "hilfsweise" not in text


def test_requested_end_date_falls_back_to_the_next_possible_date(make_letter, pdf_tools):
    text = text_of(make_letter(requested_end=dt.date(2027, 5, 31)), pdf_tools)
    assert "kündige ich den oben genannten Vertrag zum 31.05.2027, hilfsweise zum nächstmöglichen " \
        "Zeitpunkt." in text


def test_only_the_numbers_given_appear_in_the_subject(make_letter, pdf_tools):
    text = text_of(make_letter(customer_number=None, contract_number="V-42", phone_number=None), pdf_tools)
    assert "Kündigung Mobilfunkvertrag Vertragsnummer V-42 Sehr geehrte" in text
    assert "Kundennummer" not in text and "Rufnummer" not in text


def test_option_cancellation_keeps_the_main_contract(make_letter, pdf_tools):
    text = text_of(make_letter(subject_kind="option", subject_label="Datenpaket XL"), pdf_tools)
    assert "Kündigung der Option „Datenpaket XL“ Kundennummer 123456789" in text
    assert "hiermit kündige ich die Option „Datenpaket XL“ zu dem oben genannten Vertrag fristgerecht " \
        "zum nächstmöglichen Zeitpunkt." in text
    assert "Die Kündigung betrifft ausschließlich diese Option; der Vertrag im Übrigen soll unverändert " \
        "fortbestehen." in text
    assert "kündige ich den oben genannten Vertrag" not in text
    assert "zu dem die Option endet" in text


def test_holder_is_identified_with_birth_date_and_customer_password(make_letter, pdf_tools):
    letter = make_letter(
        contract_number="V-998877", date_of_birth=dt.date(1980, 2, 1), customer_password="4711"
    )
    text = text_of(letter, pdf_tools)
    assert (
        "Zur Zuordnung meiner Kündigung: Name: Max Mustermann Geburtsdatum: 01.02.1980 "
        "Kundennummer: 123456789 Vertragsnummer: V-998877 Rufnummer: 0176 12345678 "
        "Kundenkennzahl: 4711"
    ) in text


def test_confirmation_is_requested_in_writing_and_email_offered_as_extra_channel(make_letter, pdf_tools):
    plain = text_of(make_letter(), pdf_tools)
    assert "Bitte bestätigen Sie mir schriftlich den Eingang dieser Kündigung und das Datum, zu dem der " \
        "Vertrag endet." in plain
    assert "E-Mail" not in plain
    with_mail = text_of(make_letter(confirmation_email="max@example.org"), pdf_tools)
    assert "Zusätzlich können Sie mir die Bestätigung per E-Mail an max@example.org senden." in with_mail


def test_special_termination_is_extraordinary_with_ordinary_fallback_basis_and_facts(make_letter, pdf_tools):
    letter = make_letter(special=PRICE_CHANGE, enclosures=("change_notice",))
    text = text_of(letter, pdf_tools)
    assert "hiermit kündige ich den oben genannten Vertrag außerordentlich und fristlos, hilfsweise " \
        "ordentlich zum nächstmöglichen Zeitpunkt." in text
    assert "Die außerordentliche Kündigung stütze ich auf § 57 Abs. 1 TKG." in text
    assert NOTICE_TEXT in text
    assert text.endswith("Anlagen Kopie der Mitteilung über die Vertragsänderung Vorgangsnummer KB-2026-7F3K9Q")


def test_special_termination_with_requested_end_names_that_date_as_first_fallback(make_letter, pdf_tools):
    text = text_of(make_letter(special=PRICE_CHANGE, requested_end=dt.date(2027, 1, 1)), pdf_tools)
    assert "außerordentlich und fristlos, hilfsweise ordentlich zum 01.01.2027, weiter hilfsweise zum " \
        "nächstmöglichen Zeitpunkt." in text


def test_a_change_that_takes_effect_later_ends_the_contract_on_that_day(make_letter, pdf_tools):
    energy = SpecialTermination(
        "price_change", terms="at_change", legal_basis="§ 41 Abs. 5 EnWG", end=dt.date(2027, 1, 1), statements=(NOTICE,)
    )
    text = text_of(make_letter(special=energy), pdf_tools)
    assert "außerordentlich ohne Einhaltung einer Kündigungsfrist zum 01.01.2027, dem Tag, an dem die " \
        "angekündigte Änderung wirksam wird, hilfsweise ordentlich zum nächstmöglichen Zeitpunkt." in text
    assert "stütze ich auf § 41 Abs. 5 EnWG." in text and "TKG" not in text


def test_relocation_names_the_move_and_the_end_with_one_month_notice(make_letter, pdf_tools):
    relocation = SpecialTermination(
        "relocation", terms="relocation", legal_basis="§ 60 Abs. 2 TKG", end=dt.date(2027, 1, 15),
        statements=(
            Statement("relocation_future", (("address", "Hauptstraße 1, 80331 München"), ("move", "15.01.2027"))),
            Statement("relocation_not_offered"),
        ),
    )
    text = text_of(make_letter(special=relocation), pdf_tools)
    assert "wegen meines Umzugs außerordentlich mit einer Frist von einem Monat zum 15.01.2027, hilfsweise " \
        "ordentlich zum nächstmöglichen Zeitpunkt." in text
    assert "fristlos" not in text
    assert "stütze ich auf § 60 Abs. 2 TKG. Ich ziehe am 15.01.2027 an folgende Anschrift um: Hauptstraße 1, " \
        "80331 München. Dort bieten Sie den Dienst nach meiner Kenntnis nicht an." in text


def test_a_right_from_the_contract_terms_cites_no_law(make_letter, pdf_tools):
    terms = SpecialTermination(
        "price_change", terms="earliest", statements=(NOTICE, Statement("change_notice_grants_right"))
    )
    text = text_of(make_letter(special=terms), pdf_tools)
    assert "außerordentlich zum frühestmöglichen Zeitpunkt, hilfsweise ordentlich" in text
    assert "§" not in text and "stütze" not in text


def test_legal_citations_are_never_split_at_a_line_end(make_letter, pdf_tools):
    letter = make_letter(
        special=PRICE_CHANGE, request_number_porting=True, object_to_advertising=True,
        extra_paragraphs=("x" * 96 + " § 1922 BGB",),
    )
    for page in pdf_tools.pages(render(letter)):
        for line in page.splitlines():
            assert not line.rstrip().endswith(("§", "Abs.", "Art.")), line


def test_a_relative_writes_for_the_deceased_holder_without_claiming_to_be_the_heir(make_letter, pdf_tools):
    letter = make_letter(
        sender=PostalAddress(("Erika Musterfrau",), "Hauptstraße 1", "10115", "Berlin"),
        holder_name="Max Mustermann",
        special=DEATH,
        enclosures=("death_certificate",),
    )
    pdf = render(letter)
    text = pdf_tools.flat(pdf)
    assert "Todesfall: Vertrag von Max Mustermann" in text
    assert "Sehr geehrte Damen und Herren, der oben genannte Vertrag läuft auf den Namen Max Mustermann. " \
        "Max Mustermann ist am 01.11.2026 verstorben. Ich schreibe Ihnen als Angehörige bzw. Angehöriger " \
        "(Tochter). Eine Kopie der Sterbeurkunde liegt bei." in text
    assert "Hiermit kündige ich den oben genannten Vertrag fristgerecht zum nächstmöglichen Zeitpunkt. Ich " \
        "bitte Sie, den Vertrag wegen des Todesfalls mit sofortiger Wirkung zu beenden" in text
    for claim in ("Erbe", "Erbin", "§ 1922", "außerordentlich", "stütze"):
        assert claim not in text
    assert "Name: Max Mustermann (verstorben)" in text
    assert "Anlagen Kopie der Sterbeurkunde" in text
    assert "Mit freundlichen Grüßen Erika Musterfrau" in text
    assert pdf_tools.reader(pdf).metadata.author == "Erika Musterfrau"


def test_the_direct_debit_sentence_of_a_death_case_names_the_deceaseds_account(make_letter, pdf_tools):
    # Hand-test item 8: "von meinem Konto" in a widow's letter; the account is the deceased's.
    letter = make_letter(holder_name="Max Mustermann", special=DEATH, revoke_sepa_mandate=True)
    text = text_of(letter, pdf_tools)
    assert "keine Beträge mehr per Lastschrift vom Konto von Max Mustermann ein" in text
    assert "meinem Konto" not in text and "widerrufe ich" not in text
    assert "von meinem Konto" in text_of(make_letter(revoke_sepa_mandate=True), pdf_tools)


def test_a_different_holder_name_alone_is_not_a_death_case(make_letter, pdf_tools):
    text = text_of(make_letter(holder_name="Erika Mustermann"), pdf_tools)
    assert "verstorben" not in text and "Todesfall" not in text


def test_every_clause_the_letter_names_exists_with_its_placeholders():
    # The clause names cancellation.special uses are checked in tests/cancellation/test_special.py.
    for section in ("subject", "declaration", "special_terms", "statements", "enclosures", "identification",
                    "confirmation", "reminder", "earlier", "extras"):
        assert clauses()[section], section


@pytest.mark.parametrize("clause", sorted(clauses()["statements"]))
def test_statements_are_german_sentences_without_promises(clause):
    text = clauses()["statements"][clause].casefold()
    for claim in ("garantiert", "sicher ", "erbe ", "erbin"):
        assert claim not in text


def test_letter_text_comes_from_the_clause_file(make_letter, monkeypatch):
    changed = dict(clauses(), salutation="Guten Tag,")
    monkeypatch.setattr("letters.wording.clauses", lambda: changed)
    assert compose(make_letter()).salutation == "Guten Tag,"


def test_extras_revoke_mandate_object_to_advertising_and_port_the_number(make_letter, pdf_tools):
    plain = text_of(make_letter(), pdf_tools)
    for absent in ("SEPA", "Art. 21", "§ 59"):
        assert absent not in plain
    text = text_of(
        make_letter(revoke_sepa_mandate=True, object_to_advertising=True, request_number_porting=True),
        pdf_tools,
    )
    assert "Das Ihnen erteilte SEPA-Lastschriftmandat widerrufe ich mit Wirkung nach dem Einzug der " \
        "Schlussrechnung." in text
    assert "widerspreche ich nach Art. 21 Abs. 2 DSGVO" in text
    assert "(§ 7 UWG)" in text
    assert "Ich möchte meine Rufnummer 0176 12345678 zu einem anderen Anbieter mitnehmen (§ 59 TKG)." in text


def test_reminder_refers_to_the_first_letter_and_sets_fourteen_days(make_letter, pdf_tools):
    letter = make_letter(reminder_of=("KB-2026-AAAAAA", dt.date(2026, 11, 1)))
    text = text_of(letter, pdf_tools)
    assert "Erinnerung an mein Schreiben vom 01.11.2026" in text
    assert "Erstes Schreiben KB-2026-AAAAAA vom 01.11.2026" in text
    assert "mit meinem Schreiben vom 01.11.2026 (Vorgangsnummer KB-2026-AAAAAA) habe ich den Vertrag " \
        "gekündigt. Eine Bestätigung habe ich bis heute nicht erhalten." in text
    assert "Vorsorglich kündige ich hiermit nochmals den oben genannten Vertrag fristgerecht zum " \
        "nächstmöglichen Zeitpunkt." in text
    assert "innerhalb von 14 Tagen, also bis zum 10.12.2026, schriftlich" in text


def test_a_cancellation_made_elsewhere_is_repeated_with_its_day_and_fourteen_days(make_letter, pdf_tools):
    # hand-test item 10: cancelled by phone or online, never confirmed; the new letter refers to it
    text = text_of(make_letter(earlier_cancellation=EarlierCancellation(on=dt.date(2026, 11, 11))), pdf_tools)
    assert "Wiederholung meiner Kündigung vom 11.11.2026" in text
    assert "am 11.11.2026 habe ich den Vertrag bereits gekündigt. Eine Bestätigung habe ich bis heute " \
        "nicht erhalten." in text
    assert "Vorsorglich kündige ich hiermit nochmals den oben genannten Vertrag" in text
    assert "innerhalb von 14 Tagen, also bis zum 10.12.2026, schriftlich" in text
    assert "Erstes Schreiben" not in text and "(Vorgangsnummer" not in text  # no letter of ours to cite
    undated = text_of(make_letter(earlier_cancellation=EarlierCancellation()), pdf_tools)
    assert "Wiederholung meiner Kündigung" in undated and "Kündigung vom" not in undated
    assert "ich habe den Vertrag bereits gekündigt." in undated  # lower case after the salutation


def test_extra_paragraphs_and_enclosures_come_in_order(make_letter, pdf_tools):
    letter = make_letter(
        extra_paragraphs=("Erster Zusatz.", "Zweiter Zusatz."), enclosures=("Anlage eins", "Anlage zwei")
    )
    text = text_of(letter, pdf_tools)
    assert "endet. Erster Zusatz. Zweiter Zusatz. Mit freundlichen Grüßen" in text
    assert "Anlagen Anlage eins Anlage zwei" in text


def test_no_promises_or_advertising_claims(make_letter, pdf_tools):
    letter = make_letter(
        special=PRICE_CHANGE, revoke_sepa_mandate=True, object_to_advertising=True,
        request_number_porting=True, reminder_of=("KB-2026-AAAAAA", dt.date(2026, 11, 1)),
    )
    text = text_of(letter, pdf_tools).casefold()
    for claim in ("anwalt", "garantiert", "sicher ", "rechtssicher", "betreff"):
        assert claim not in text
