"""``python -m xl_seriesm``: the ``seriesm`` command line."""

from xl_seriesm.cli import main

raise SystemExit(main())
