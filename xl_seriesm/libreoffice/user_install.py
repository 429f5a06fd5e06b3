"""``seriesm extension --install``: the extension installed into the current user's own
LibreOffice profile, root included.

``unopkg add`` refuses root ("Cannot run unopkg as root without --shared or --bundled"), and
``--shared`` changes LibreOffice for every user of the machine. The installation here is
what ``unopkg add`` does for a user, done through LibreOffice itself: a headless soffice on
the user's profile adds the extension with its ExtensionManager for the "user" repository,
which LibreOffice allows root as anyone else.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


class InstallError(RuntimeError):
    """The extension could not be installed, said with what to do."""


def profile_folder(environ: dict[str, str] | None = None) -> Path:
    """The current user's LibreOffice profile: ``$XDG_CONFIG_HOME/libreoffice/4`` (by
    default ``~/.config/libreoffice/4``), where LibreOffice keeps it on Linux."""
    env = os.environ if environ is None else environ
    config = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(config) / "libreoffice" / "4"


def install(oxt: Path, profile: Path | None = None) -> Path:
    """Install ``oxt`` for the user whose profile is ``profile`` (default: the current
    user's); the profile folder. A profile in use by a running LibreOffice is refused (two
    LibreOffice processes on one profile corrupt it)."""
    from xl_seriesm.engine import EngineError  # noqa: PLC0415
    from xl_seriesm.engine.office import _START_SECONDS, StoppedError, _Bridge  # noqa: PLC0415

    folder = profile or profile_folder()
    if (folder / ".lock").exists():
        raise InstallError(f"{folder} is in use by a running LibreOffice (it holds "
                           f"{folder / '.lock'}); close LibreOffice and run this again")
    (folder / "user").mkdir(parents=True, exist_ok=True)
    try:
        # Unsandboxed: it opens no workbook, only our own extension, into the user's profile.
        bridge = _Bridge(folder, folder, sandboxed=False)
    except EngineError as error:
        raise InstallError(str(error)) from None
    try:
        bridge.send({"op": "install", "oxt": str(oxt.resolve())})
        answer = bridge.receive(time.monotonic() + _START_SECONDS, memory=None)
    except StoppedError as stop:
        raise InstallError(f"LibreOffice stopped while installing ({stop})") from None
    finally:
        bridge.quit()
    if not answer.get("ok"):
        raise InstallError(f"LibreOffice did not install {oxt}: {answer.get('error')}")
    return folder
