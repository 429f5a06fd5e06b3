"""The VBA module the classic add-in's "Import Functions" writes, checked on Linux.

xlwings' own generator (``xlwings.udfs.generate_vba_wrapper``, made importable by stubbing
pywin32 in tests/runtimes/classic_check.py) writes the module from the decorated functions,
exactly as ``seriesm addin`` leads a user to produce it. The module is parsed with the VBA
grammar of ``antlr4-vba`` (an ANTLR4 parser for VBA from PyPI), and every declaration is
checked against the rules of the VBA language specification (MS-VBAL) and Excel's limits:
argument names that are not reserved identifiers, Optional arguments last, identifiers and
lines within VBA's lengths, and help texts within the 255 characters
``Application.MacroOptions`` accepts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from antlr4 import CommonTokenStream, InputStream  # type: ignore[import-untyped]
from antlr4.error.ErrorListener import ErrorListener  # type: ignore[import-untyped]
from antlr4_vba.vbaLexer import vbaLexer  # type: ignore[import-untyped]
from antlr4_vba.vbaParser import vbaParser  # type: ignore[import-untyped]

from tests.conftest import ROOT
from xl_seriesm.excel.spec import EXCEL_TEXT_LIMIT, FUNCTIONS

# MS-VBAL 3.3.5.2, reserved identifiers: statement keywords, marker keywords, operators,
# reserved names, special forms, type names, literals, Rem, and those reserved for the
# implementation or the future. None may name an argument.
_RESERVED_WORDS = """
    Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng
    DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase
    Event Exit For Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop
    LSet Next On Open Option Print Private Public Put RaiseEvent ReDim Resume Return RSet
    Seek Select Set Static Stop Sub Type Unlock Wend While With Write
    Any As ByRef ByVal Each In New Shared Until WithEvents Optional ParamArray Preserve Spc
    Tab Then To
    AddressOf And Eqv Imp Is Like Mod Not Or TypeOf Xor
    Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar CVErr Date
    Debug DoEvents Fix Int Len LenB Me PSet Scale Sgn String
    Array Circle InputB LBound UBound
    Boolean Byte Currency Double Integer Long LongLong LongPtr Single Variant
    True False Nothing Empty Null Rem
    Attribute LINEINPUT VB_Base VB_Control VB_Creatable VB_Customizable VB_Description
    VB_Exposed VB_Ext_KEY VB_GlobalNameSpace VB_HelpID VB_Invoke_Func VB_Invoke_Property
    VB_Invoke_PropertyPut VB_Invoke_PropertyPutRef VB_MemberFlags VB_Name VB_PredeclaredId
    VB_ProcData VB_TemplateDerived VB_UserMemId VB_VarDescription VB_VarHelpID
    VB_VarMemberFlags VB_VarProcData VB_VarUserMemId
    CDecl Decimal DefDec
"""
RESERVED = frozenset(word.lower() for word in _RESERVED_WORDS.split())
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,254}")  # MS-VBAL 3.3.5: 255 at most
LINE_LIMIT = 1023  # characters on one physical line of a VBA module
CONTINUATION_LIMIT = 24  # line continuations in one logical line
WIZARD_LIMIT = 254  # Excel's function wizard: argument count + argument names' length
DECLARATION = re.compile(r"^Function (\w+)\((.*)\)$", re.MULTILINE)


@pytest.fixture(scope="module")
def classic() -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "runtimes" / "classic_check.py")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def _declarations(vba: str) -> dict[str, list[str]]:
    return {name: [a.strip() for a in args.split(",")] if args.strip() else []
            for name, args in DECLARATION.findall(vba)}


def test_every_function_and_argument_of_the_spec_is_declared(classic: dict[str, Any]) -> None:
    declared = _declarations(classic["vba"])
    assert sorted(declared) == sorted(f.name for f in FUNCTIONS)
    for function in FUNCTIONS:
        wanted = [f"Optional {a.name}" if a.optional else a.name for a in function.args]
        assert declared[function.name] == wanted, function.name


def test_argument_names_are_legal_vba_identifiers(classic: dict[str, Any]) -> None:
    bad = []
    for name, args in _declarations(classic["vba"]).items():
        assert IDENTIFIER.fullmatch(name), name
        for arg in args:
            bare = arg.removeprefix("Optional ")
            if not IDENTIFIER.fullmatch(bare) or bare.lower() in RESERVED:
                bad.append(f"{name}({bare})")
    assert not bad, f"VBA reserved or illegal argument names: {', '.join(bad)}"


def test_optional_arguments_come_last(classic: dict[str, Any]) -> None:
    for name, args in _declarations(classic["vba"]).items():
        flags = [a.startswith("Optional ") for a in args]
        assert flags == sorted(flags), f"{name}: a required argument after an Optional one"


def test_lines_fit_vba(classic: dict[str, Any]) -> None:
    lines = classic["vba"].splitlines()
    assert max(map(len, lines)) <= LINE_LIMIT
    run = 0
    for line in lines:
        run = run + 1 if line.rstrip().endswith(" _") else 0
        assert run <= CONTINUATION_LIMIT


def test_help_texts_fit_excel(classic: dict[str, Any]) -> None:
    for name, info in classic["meta"].items():
        assert len(info["description"]) <= EXCEL_TEXT_LIMIT, name
        for arg in info["args"]:
            assert len(arg["doc"]) <= EXCEL_TEXT_LIMIT, (name, arg["name"])
        names = [a["name"] for a in info["args"]]
        assert len(names) + sum(map(len, names)) <= WIZARD_LIMIT, name


class _Errors(ErrorListener):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def syntaxError(self, recognizer: object, symbol: object, line: int, column: int,
                    message: str, error: object) -> None:
        self.found.append(f"line {line}:{column} {message}")


def _parse_errors(module: str) -> list[str]:
    errors = _Errors()
    lexer = vbaLexer(InputStream(module))
    lexer.removeErrorListeners()
    lexer.addErrorListener(errors)
    parser = vbaParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    parser.startRule()
    return errors.found


def test_the_parser_rejects_what_vba_rejects() -> None:
    """The grammar is strict enough to be worth running: it refuses a reserved argument
    name and a required argument after an Optional one, and accepts the legal form."""
    def module(declaration: str) -> str:
        return f'Attribute VB_Name = "t"\n{declaration}\n    F = 1\nEnd Function\n'

    assert _parse_errors(module("Function F(x, Optional y)")) == []
    assert _parse_errors(module("Function F(date, Optional y)"))
    assert _parse_errors(module("Function F(Optional x, y)"))


def test_the_generated_module_parses_as_vba(classic: dict[str, Any]) -> None:
    # One function at a time, so a failure names the function and nothing cascades. The
    # Attribute line is what Excel keeps at the top of every module.
    blocks = re.findall(r"^Function (\w+)\(.*?^End Function$", classic["vba"],
                        re.MULTILINE | re.DOTALL)
    texts = re.findall(r"^Function \w+\(.*?^End Function$", classic["vba"],
                       re.MULTILINE | re.DOTALL)
    assert sorted(blocks) == sorted(f.name for f in FUNCTIONS)
    failed = {}
    for name, text in zip(blocks, texts, strict=True):
        errors = _parse_errors(f'Attribute VB_Name = "xlwings_udfs"\n{text}\n')
        if errors:
            failed[name] = errors[0]
    assert not failed, failed
