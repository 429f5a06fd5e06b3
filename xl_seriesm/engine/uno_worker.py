"""The bridge to one LibreOffice, run by a Python that has LibreOffice's ``uno`` module.

``uno`` exists only for the Python LibreOffice was built with (Debian's python3-uno), not
for this package's virtual environment, so the engine runs this file in that Python as a
child process: it imports nothing but the standard library and ``uno``. It starts soffice
headless with a private profile, connects over a pipe, and answers requests on stdin, one
JSON line each, on stdout:

* ``{"op": "compute", "size": N, "ranges": {sheet: ["A1:A9", ...]}}`` followed by the N
  bytes of the workbook: load it from memory (LibreOffice gets no path, so it writes no lock
  file and no copy of it anywhere), macros never run and links never updated, recalculate
  every formula
  (``calculateAll``), and return the value of every cell of the ranges: a number, a text, or
  ``{"error": code, "text": shown}``;
* ``{"op": "install", "oxt": P}``: add an extension to the profile;
* ``{"op": "quit"}``.

A request that finds soffice gone before it starts (killed from outside while idle) is
answered ``{"gone": true}``; one during which soffice dies or its UNO bridge is disposed (a
crash, an outside kill) ``{"crashed": true}``; either way the bridge then exits and the
engine starts a fresh pair. The last argument is the read end of the engine's lifeline:
when it closes (the engine's process ended, however), the bridge kills its process group,
soffice included, so nothing is left running.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

# Load properties (com.sun.star.document.MacroExecMode.NEVER_EXECUTE, UpdateDocMode.NO_UPDATE).
NEVER_EXECUTE = 0
NO_UPDATE = 0


def _properties(uno, **values):
    from com.sun.star.beans import PropertyValue  # noqa: PLC0415

    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def _connect(uno, pipe, office, seconds):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if office.poll() is not None:
                raise RuntimeError(f"soffice stopped at start (exit code {office.returncode})")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _cell_value(cell_range, row, column, value):
    if value is not None:
        return value
    cell = cell_range.getCellByPosition(column, row)
    return {"error": cell.getError(), "text": cell.getString()}


def compute(uno, context, desktop, request, data):
    stream = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.io.SequenceInputStream", context)
    stream.initialize((uno.ByteSequence(data),))
    started = time.perf_counter()
    document = desktop.loadComponentFromURL(
        "private:stream", "_blank", 0,
        _properties(uno, InputStream=stream, Hidden=True, ReadOnly=True,
                    MacroExecutionMode=NEVER_EXECUTE, UpdateDocMode=NO_UPDATE,
                    FilterName="Calc MS Excel 2007 XML"))
    if document is None or not hasattr(document, "calculateAll"):
        raise RuntimeError("LibreOffice did not open it as a spreadsheet")
    try:
        loaded = time.perf_counter()
        document.calculateAll()
        calculated = time.perf_counter()
        sheets = document.getSheets()
        values = {}
        for name, ranges in request["ranges"].items():
            if not sheets.hasByName(name):
                raise RuntimeError(f"LibreOffice found no sheet named {name!r}")
            sheet = sheets.getByName(name)
            found = []
            for area in ranges:
                cell_range = sheet.getCellRangeByName(area)
                rows = cell_range.getDataArray()
                found.append([[_cell_value(cell_range, i, j, v) for j, v in enumerate(row)]
                              for i, row in enumerate(rows)])
            values[name] = found
        return {"values": values, "load_seconds": loaded - started,
                "calculate_seconds": calculated - loaded}
    finally:
        document.close(True)


def install(uno, context, request):
    import unohelper  # noqa: PLC0415
    from com.sun.star.task import XInteractionHandler  # noqa: PLC0415
    from com.sun.star.ucb import XCommandEnvironment  # noqa: PLC0415

    approve = uno.getTypeByName("com.sun.star.task.XInteractionApprove")

    class Approve(unohelper.Base, XInteractionHandler):
        """Says yes to the questions of an installation (as `unopkg add` does)."""

        def handle(self, question):
            for choice in question.getContinuations():
                if choice.queryInterface(approve):
                    choice.select()
                    return

    class Quiet(unohelper.Base, XCommandEnvironment):
        def getInteractionHandler(self):
            return Approve()

        def getProgressHandler(self):
            return None

    manager = context.getValueByName("/singletons/com.sun.star.deployment.ExtensionManager")
    manager.addExtension(uno.systemPathToFileUrl(request["oxt"]), (), "user", None, Quiet())
    return {}


def office_environment(profile):
    """soffice's environment: the private profile as HOME, and this Python's folder first on
    PATH with no virtual environment or Python path in force. LibreOffice's embedded Python,
    which runs the Series M add-in, finds its home through PATH: with a virtual
    environment's bin first (an activated venv), it took that venv's Python for its own and
    every load of a workbook failed (measured on 7.4: loadComponentFromURL returned None)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "CONDA_PREFIX")}
    own = os.path.dirname(os.path.realpath(sys.executable))
    env["PATH"] = os.pathsep.join([own, *[d for d in env.get("PATH", "").split(os.pathsep)
                                          if d and d != own]])
    env["HOME"] = profile
    return env


def _watch(lifeline):
    """Kill this process group (the bridge and soffice) once the engine's end closes."""
    def wait():
        try:
            while os.read(lifeline, 4096):
                pass
        except OSError:
            pass
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=wait, name="lifeline", daemon=True).start()


#: What a lost bridge to soffice looks like from here.
_LOST = ("DisposedException", "bridge disposed", "cannot get value ServiceManager",
         "Binary URP bridge")


def _answers(desktop):
    """Whether soffice still answers over the bridge (a call that costs nothing)."""
    try:
        desktop.getComponents()
    except Exception:  # any error of the call means the bridge is gone
        return False
    return True


def _lost(office, desktop, error):
    """Whether an error means soffice is gone (rather than a book it could not open): it
    stopped, the error says the bridge went, or a harmless call over the bridge fails."""
    if office.poll() is not None:
        return True
    text = f"{type(error).__name__}: {error}"
    return any(mark in text for mark in _LOST) or not _answers(desktop)


def main():
    soffice, profile, pipe, lifeline = sys.argv[1:5]
    _watch(int(lifeline))
    reply = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the answer channel
    import uno  # noqa: PLC0415

    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "--nolockcheck", f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=office_environment(profile))

    def answer(payload):
        reply.write(json.dumps(payload) + "\n")
        reply.flush()

    try:
        context = _connect(uno, pipe, office, 120)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context)
        answer({"ready": True, "office_pid": office.pid})
        requests = sys.stdin.buffer
        for line in iter(requests.readline, b""):
            request = json.loads(line)
            data = requests.read(request.get("size", 0))
            if request["op"] == "quit":
                break
            if office.poll() is not None or not _answers(desktop):
                answer({"ok": False, "gone": True, "error": "soffice had stopped"})
                return
            try:
                handler = {"compute": lambda r: compute(uno, context, desktop, r, data),
                           "install": lambda r: install(uno, context, r)}[request["op"]]
                answer({"ok": True, **handler(request)})
            except Exception as error:  # reported to the engine, which names the file
                message = f"{type(error).__name__}: {error}"
                if _lost(office, desktop, error):
                    answer({"ok": False, "crashed": True, "error": message[:300]})
                    return
                answer({"ok": False, "error": message})
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as soffice quits
            pass
        office.wait(30)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
