"""``python -m xl_seriesm.cli``: the ``seriesm`` command line (the tests run it so)."""

from xl_seriesm.cli.main import main

raise SystemExit(main())
