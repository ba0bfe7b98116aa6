"""Dependencies run one way (ARCHITECTURE rule 8): the import contracts hold.

`make lint` runs the same contracts; this test makes CI (which runs `make test`) fail on an
upward import too, and shows that the contracts would notice one.
"""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LINT_IMPORTS = pathlib.Path(sys.executable).parent / "lint-imports"


def _lint(cwd: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module,line",
    [
        # A lower app importing a higher one, even inside a function, breaks the layers.
        ("meetings/selectors.py", "def _probe():\n    from trepart.measures import selectors\n"),
        ("core/hooks.py", "from trepart.organisation import models as _m  # noqa\n"),
        # The top-layer siblings must not know each other.
        ("home/views.py", "from trepart.demo import organisation as _d  # noqa\n"),
    ],
)
def test_an_upward_import_breaks_the_contracts(tmp_path, module, line):
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copytree(
        ROOT / "trepart", copy / "trepart", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    target = copy / "trepart" / module
    target.write_text(target.read_text() + "\n\n" + line)
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
