"""A one-action package for the action-server metrics test (tests/bot/test_metrics.py)."""

from rasa_sdk import Action


class ActionMetricsProbe(Action):
    def name(self) -> str:
        return "action_metrics_probe"

    async def run(self, dispatcher, tracker, domain):
        return []
