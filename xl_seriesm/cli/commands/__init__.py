"""The subcommands of ``seriesm``, one module each: ``run(args)`` does the command and
imports what it needs only then, so that ``seriesm --help`` stays fast.
"""

from xl_seriesm.cli.commands import (
    addin,
    calc,
    captable,
    demo,
    docs,
    explain,
    extension,
    golden,
    lite,
    regress,
    relink,
    report,
    screenshots,
    template,
)

__all__ = ["addin", "calc", "captable", "demo", "docs", "explain", "extension", "golden",
           "lite", "regress", "relink", "report", "screenshots", "template"]
