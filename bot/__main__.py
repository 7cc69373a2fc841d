"""`python -m bot ...`: the operator command line (see bot/cli)."""

from bot.cli import main

raise SystemExit(main())
