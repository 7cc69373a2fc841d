"""A complete set of interview answers (slot name -> value), as the form leaves them before the
letter: for action tests that need a letter to be allowed."""

COMPLETE_ANSWERS = {
    "subject_kind": "contract",
    "provider": "Studio X",
    "provider_key": None,
    "provider_address": {"lines": ["Studio X GmbH"], "street": "Hafenweg 1", "postcode": "20457", "city": "Hamburg"},
    "contract_type": "gym",
    "full_name": "Erika Mustermann",
    "street": "Lindenweg 3",
    "postcode": "12345",
    "city": "Musterstadt",
    "customer_number": "K-1234",
    "contract_reference": "none",
    "end_date": "asap",
    "extras": [],
    "email": "none",
    "summary_confirmed": "yes",
}
