"""`seriesm lite` and `seriesm addin` never point at a name this project has not published."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT
from xl_seriesm.excel import install
from xl_seriesm.excel.spec import FUNCTIONS


def _base_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def test_lite_requirements_are_xlwings_and_the_package_dependencies() -> None:
    # Lite's documentation asks for xlwings in requirements.txt; the rest is what the
    # package itself needs, exactly as pyproject.toml declares it.
    assert ("xlwings", *_base_dependencies()) == install.LITE_REQUIREMENTS
    assert install.lite_requirements().splitlines() == list(install.LITE_REQUIREMENTS)


@pytest.mark.parametrize("wheel", [None, "https://example.org/dist/xl_seriesm-0.1.0-py3-none-any.whl"])
def test_no_requirement_names_xl_seriesm(wheel: str | None) -> None:
    for line in install.lite_requirements(wheel).splitlines():
        if line.startswith("https://"):
            assert line == wheel  # the user's own wheel, by URL
        else:
            assert Requirement(line).name.replace("_", "-") != "xl-seriesm"
    assert "pip install xl-seriesm" not in install.ADDIN_STEPS
    assert '"xl-seriesm[' not in install.ADDIN_STEPS


@pytest.mark.parametrize("wheel", ["http://example.org/a.whl", "https://example.org/a.tar.gz",
                                   "https://example.org/a.whl\nevil", "xl-seriesm==0.1.0",
                                   "https:///a.whl"])
def test_a_wheel_must_be_one_https_url_of_a_wheel(wheel: str) -> None:
    with pytest.raises(ValueError, match="--wheel"):
        install.lite_requirements(wheel)


def test_classic_steps_build_the_wheel_and_trust_the_vba_project() -> None:
    steps = install.ADDIN_STEPS
    assert "python -m pip wheel --no-deps -w dist ." in steps
    assert f"python -m pip install xlwings dist\\{install.WHEEL}" in steps
    assert '"Trust access to the VBA project object model"' in steps


def test_embedded_modules_are_the_installed_ones_and_all_the_functions_import() -> None:
    archive = zipfile.ZipFile(BytesIO(install.function_sources()))
    package = ROOT / "xl_seriesm"
    for name in archive.namelist():
        assert archive.read(name) == (package / name.removeprefix("xl_seriesm/")).read_bytes()
    # The same bytes every time, so a regenerated main.py changes only with the sources.
    assert install.function_sources() == install.function_sources()


def test_main_py_runs_from_its_embedded_modules_alone(tmp_path: Path) -> None:
    """In a Python where xl_seriesm is not importable (run from elsewhere, the package's own
    finder removed), main.py still gives every function: its embedded copy is complete."""
    main = tmp_path / "main.py"
    main.write_text(install.lite_main(), encoding="utf-8")
    code = (
        "import sys; sys.meta_path[:] = [f for f in sys.meta_path "
        "if 'editable' not in type(f).__name__.lower() and 'editable' not in repr(f)]; "
        "sys.path[:] = [p for p in sys.path if p != sys.argv[2]]; "
        "import importlib.util; s = importlib.util.spec_from_file_location('main', sys.argv[1]);"
        " m = importlib.util.module_from_spec(s); s.loader.exec_module(m); "
        "import xl_seriesm; print(xl_seriesm.__file__.replace(chr(92), '/')); "
        "print(m.SERIESM_ACCRUED(9100, '2005-01-10', '2005-04-10'), len(m.__all__))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", code, str(main), str(ROOT)], capture_output=True,
                          text=True, cwd=tmp_path, env=env, check=False)
    assert done.returncode == 0, done.stderr
    where, answer = done.stdout.splitlines()
    assert where.endswith("xl_seriesm.zip/xl_seriesm/__init__.py")
    # 9,100 × $50 × 90/360 = $113,750 (§2).
    assert answer.split() == ["113750.0", str(len(FUNCTIONS))]


def test_an_edited_main_py_refuses_to_run(tmp_path: Path) -> None:
    text = install.lite_main()
    start = text.index('    "', text.index("_SOURCES = (")) + 5
    tampered = text[:start] + ("A" if text[start] != "A" else "B") + text[start + 1:]
    main = tmp_path / "main.py"
    main.write_text(tampered, encoding="utf-8")
    done = subprocess.run([sys.executable, str(main)], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.returncode != 0
    assert "main.py was changed: regenerate it with `seriesm lite`" in done.stderr
