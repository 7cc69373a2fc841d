"""Actions for the action-server tests (tests/bot/test_action_server.py): one that records that
it ran, one that fails quoting a slot value the way a careless exception message would."""

from typing import List

from rasa_sdk import Action

RUNS: List[str] = []


class ActionRecordRun(Action):
    def name(self) -> str:
        return "action_record_run"

    async def run(self, dispatcher, tracker, domain):
        RUNS.append(tracker.sender_id)
        return []


class ActionFailWithSlot(Action):
    def name(self) -> str:
        return "action_fail_with_slot"

    async def run(self, dispatcher, tracker, domain):
        raise ValueError(f"cannot handle {tracker.get_slot('name')}")
