"""The README's examples are real: each ``$ mxgraph ...`` block prints what it shows.

Console blocks are run through the CLI in-process from the project root and
their standard output and error compared with the block's text; the Python
block runs as a doctest.
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE = re.compile(r"```console\n\$ (mxgraph [^\n]*)\n(.*?)```", re.DOTALL)
EXAMPLES = CONSOLE.findall(README)


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1].strip().splitlines()
    assert first_block[0] == "sh"
    install_and_run, install_and_test = first_block[1:]
    assert "pip install ." in install_and_run and "mxgraph " in install_and_run
    assert "pip install '.[test]'" in install_and_test and "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example(command: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.stdout + result.stderr == expected
    assert result.exit_code == (1 if expected.startswith("error:") else 0)


def test_python_example() -> None:
    block = README.split("```python\n", 1)[1].split("```", 1)[0]
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0
