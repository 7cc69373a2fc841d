"""One running stack (action server + Rasa, SQLite) shared by the REST conversation tests."""

from __future__ import annotations

import itertools
import json
import subprocess
from typing import Iterator, List

import pytest

from tests.support.stack import ROOT, VENV_BIN, Stack, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


_senders = itertools.count(1)


class Chat:
    """One user talking to the bot over REST; keeps the replies of the last turn."""

    def __init__(self, stack: Stack, sender: str) -> None:
        self.stack = stack
        self.sender = sender
        self.replies: List[dict] = []

    def say(self, message: str) -> str:
        self.replies = self.stack.say(self.sender, message)
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(reply.get("text", "") for reply in self.replies if reply.get("text"))

    @property
    def buttons(self) -> List[dict]:
        return [button for reply in self.replies for button in reply.get("buttons", [])]


@pytest.fixture
def chat(stack: Stack, request) -> Chat:
    return Chat(stack, f"test-{request.node.name}-{next(_senders)}")


def attempts_json(stack: Stack) -> list:
    output = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot", "attempts", "list", "--json"],
        cwd=ROOT, env=stack.env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output)
