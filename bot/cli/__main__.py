"""``python -m bot.cli``: the same command line as the ``verbatim`` script."""

from bot.cli.main import main

raise SystemExit(main())
