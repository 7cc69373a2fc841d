"""Whether the end a user asks for can still be reached (hand-test item 5).

"Kfz-Versicherung zum Jahresende kündigen" on 2 December: the notice period had already run out on
30 November, and the letter would have named an end the insurer rejects. Only where the law sets a
minimum notice is the answer certain without the contract's own terms: insurance, at least one
month (§ 11 Abs. 4 VVG; motor insurance's AKB also say one month to the end of the insurance year).
Elsewhere the contract may allow a shorter notice, and nothing is claimed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, List, Optional

from cancellation.interview import ASAP
from cancellation.deadlines import add_months, latest_receipt_day
from cancellation.posting import SendingMethod, assumed_receipt
from cancellation.texts import Message, say
from cancellation.vocabulary import ContractType, Sector

# Sector -> (the least notice the law allows in months, the rule).
MINIMUM_NOTICE = {Sector.INSURANCE: (1, "§ 11 Abs. 4 VVG")}
INSURANCE_YEAR_MONTHS = 12  # § 12 VVG


def too_late(end: dt.date, contract_type: Any, today: dt.date) -> Optional[List[Message]]:
    """What to tell the user when a letter posted today cannot reach `end` in time; None when it can
    or when the law sets no minimum notice for this kind of contract."""
    parsed = ContractType.parse(contract_type)
    if parsed is None or parsed.sector not in MINIMUM_NOTICE:
        return None
    months, rule = MINIMUM_NOTICE[parsed.sector]
    last = latest_receipt_day(end, months)
    received = assumed_receipt(today, SendingMethod.REGISTERED)
    if received <= last:
        return None
    said = [say("utter_end_too_late", end=end, rule=rule, last=last, received=received)]
    if last >= today:
        # Text form is enough for insurance (§ 309 Nr. 13 BGB): fax or e-mail may still arrive in time.
        said.append(say("utter_end_too_late_fax", last=last))
    said.append(say("utter_end_too_late_next", end=end, next=add_months(end, INSURANCE_YEAR_MONTHS)))
    return said


def deadline_answer(end: Any, contract_type: Any, today: dt.date) -> List[Message]:
    """ "Bis wann muss die Kündigung da sein?" asked inside the interview (hand-test item 5): for the
    end chosen, the last day of receipt where the law's minimum notice makes it certain. An end that
    is too late gets `too_late`'s messages: the caller then sets the end to the next possible one."""
    if not end or end == ASAP:
        return [say("utter_deadline_during_interview")]  # "zum nächstmöglichen Zeitpunkt" anyway
    day = dt.date.fromisoformat(str(end))
    parsed = ContractType.parse(contract_type)
    if parsed is None or parsed.sector not in MINIMUM_NOTICE:
        return [say("utter_deadline_during_interview_dated", end=day)]
    warning = too_late(day, contract_type, today)
    if warning is not None:
        return warning
    months, rule = MINIMUM_NOTICE[parsed.sector]
    return [say("utter_deadline_for_end_insurance", end=day, last=latest_receipt_day(day, months), rule=rule)]
