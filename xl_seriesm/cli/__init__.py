"""The command line, ``seriesm``: one module per subcommand, the parser helpers, the demo
and the sample cap table it runs on.

``main`` and ``build_parser`` are re-exported here because ``pyproject.toml`` names the
entry point ``xl_seriesm.cli:main`` and the tests import them from this path.
"""

from xl_seriesm.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
