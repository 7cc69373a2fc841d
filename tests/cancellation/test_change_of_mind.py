import pytest

from cancellation.change_of_mind import change_of_mind
from cancellation.vocabulary import ChangeOfMind

OPTION, CONTRACT, LEAVE = ChangeOfMind.OPTION_ONLY, ChangeOfMind.WHOLE_CONTRACT, ChangeOfMind.NO_CANCELLATION


@pytest.mark.parametrize(
    "text, subject, asked, expected",
    [
        ("doch lieber nur die option", "contract", "provider_address", OPTION),
        ("doch lieber nur die Option", "contract", "street", OPTION),
        ("ach nein, nur die Datenoption", "contract", "full_name", OPTION),
        ("actually only the add-on", "contract", "postcode", OPTION),
        ("ach nein, den ganzen Vertrag", "option", "option_name", CONTRACT),
        ("doch den kompletten Vertrag", "option", "customer_number", CONTRACT),
        ("nein, den ganzen Vertrag bitte", "option", "summary_confirmed", CONTRACT),
        ("actually the whole contract", "option", "email", CONTRACT),
        ("nicht den ganzen Vertrag, nur die Option", "contract", "street", OPTION),
        ("not the option, only the contract", "option", "street", CONTRACT),
        ("die Option im Vertrag, bitte", "contract", "full_name", OPTION),
        # Hand-test item 1: a refused subject is not the one meant ("nicht nur", "keine Option!").
        ("Ich will den ganzen Vertrag kündigen, nicht nur die Option", "option", "summary_confirmed", CONTRACT),
        ("keine Option! den ganzen Vertrag", "option", "option_name", CONTRACT),
        ("keine Option! den ganzen Vertrag", "option", "summary_confirmed", CONTRACT),
        ("ach nein, doch den ganzen Vertrag", "option", "summary_confirmed", CONTRACT),
        ("nicht den ganzen Vertrag, doch nur die Option Sky-Paket", "contract", "summary_confirmed", OPTION),
        ("no, the whole contract", "option", "summary_confirmed", CONTRACT),
        ("doch nicht kündigen", "contract", "provider_address", LEAVE),
        ("ich will doch nicht mehr kündigen", "option", "street", LEAVE),
        ("kündige ich doch nicht", "contract", "end_date", LEAVE),
        ("ich behalte den Vertrag doch", "contract", "city", LEAVE),
        ("I don't want to cancel anymore", "contract", "full_name", LEAVE),
        ("I changed my mind", "contract", "full_name", LEAVE),
    ],
)
def test_a_clear_change_of_mind_is_recognised_at_any_question(text, subject, asked, expected):
    assert change_of_mind(text, subject_kind=subject, asked=asked) is expected


@pytest.mark.parametrize(
    "text, subject, asked",
    [
        ("ganzer vertrag", "contract", "full_name"),  # the same subject: a (bad) answer, not a change
        ("die Datenoption", "option", "option_name"),
        ("Handyvertrag", "contract", "contract_type"),
        ("DSL mit TV-Paket", "contract", "contract_type"),  # describes the contract
        ("Abo-Service GmbH", "option", "provider"),  # a company name
        ("nur die Option", None, "subject_kind"),  # the subject question parses it itself
        ("Hauptstraße 5", "contract", "street"),
        ("Erika Muster", "option", "full_name"),
        ("zum nächstmöglichen Termin", "contract", "end_date"),
    ],
)
def test_answers_stay_answers(text, subject, asked):
    assert change_of_mind(text, subject_kind=subject, asked=asked) is None


KIND = ChangeOfMind.CONTRACT_TYPE


@pytest.mark.parametrize(
    "text, kind, asked, expected",
    [
        # Hand-test item 6: the kind of contract changed and changed back at the name question.
        ("Moment, nein, doch nicht Strom, ich meine den Gasvertrag", "energy", "full_name", KIND),
        ("ach doch, Strom", "gas", "full_name", KIND),
        ("nein, eigentlich den Gasvertrag", "energy", "summary_confirmed", KIND),
        ("doch Gas statt Strom", "energy", "full_name", KIND),
        ("actually gas, not electricity", "energy", "email", KIND),
        ("ach doch, Strom", "energy", "full_name", None),  # the kind chosen already: no change
        ("Peter Strom", "gas", "full_name", None),  # a surname, said as no change
        ("ach, Stromstraße 5", "gas", "street", None),  # an address
        ("doch lieber Gas", "energy", "contract_type", None),  # the question parses it itself
        ("doch nicht Strom kündigen", "energy", "full_name", LEAVE),
    ],
)
def test_a_changed_kind_of_contract_is_a_change_of_mind(text, kind, asked, expected):
    assert change_of_mind(text, subject_kind="contract", asked=asked, contract_type=kind) is expected
