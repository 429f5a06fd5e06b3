"""The Excel face: the spec of every function, the functions (``udfs``), reading cell values,
the classic add-in and Lite set-up, and the function reference generator.
"""

#: The modules of this folder that set Excel up or write the reference rather than compute;
#: the Lite ``main.py`` and the LibreOffice extension bundle the others.
TOOLING = ("docs.py", "install.py")
