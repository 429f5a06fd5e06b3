"""Run by tests/workbook/test_print.py with the system Python that has LibreOffice's UNO:
opens a native template in LibreOffice, adds a holder the way the About sheet says (insert
a row above the blank row under the holders, copy the row above into it, type the new
holder's inputs), recalculates, and prints the figures the test checks as JSON.

Usage: python3 lo_insert_holder.py WORKBOOK LAST_HOLDER_ROW PROFILE_FOLDER SERIES_M_SHARES
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

workbook, last, profile = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
shares = float(sys.argv[4])
pipe = f"seriesm{abs(hash(str(profile)))}"
office = subprocess.Popen(["soffice", "--headless", "--norestore", "--nologo",
                           f"-env:UserInstallation={profile.as_uri()}",
                           f"--accept=pipe,name={pipe};urp;"])
try:
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    for _ in range(120):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            time.sleep(0.5)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               context)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(workbook.as_uri(), "_blank", 0, (hidden,))
    holders = doc.Sheets.getByName("Holders")
    holders.unprotect("")
    new = last  # 0-based index of the row below the last holder: the blank row
    holders.Rows.insertByIndex(new, 1)
    source = holders.getCellRangeByName(f"A{last}:K{last}").RangeAddress
    holders.copyRange(holders.getCellByPosition(0, new).CellAddress, source)
    holders.getCellByPosition(0, new).String = "New Fund"
    for column, value in ((1, shares), (2, 5000), (3, 0)):
        holders.getCellByPosition(column, new).Value = value
    doc.calculateAll()
    total_row = last + 3  # one row more than before
    checks = doc.Sheets.getByName("Checks")
    print(json.dumps({
        "total_series_m": holders.getCellByPosition(1, total_row - 1).Value,
        "total_common": holders.getCellByPosition(2, total_row - 1).Value,
        "new_accrued": holders.getCellByPosition(4, new).Value,
        "total_formula": holders.getCellByPosition(1, total_row - 1).Formula,
        "checks": [checks.getCellByPosition(1, r).String for r in range(2, 17)],
    }))
    doc.close(True)
finally:
    office.terminate()
    office.wait(30)
