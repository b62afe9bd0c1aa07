"""The generated docs match the code: CLI reference, ontology reference, cookbook outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxgraph.docgen import (
    cli_reference,
    cookbook_examples,
    ontology_reference,
    refresh_cookbook,
    run_cookbook_command,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
STALE = "is out of date; regenerate it with: python tools/gen_docs.py"
COOKBOOK = (DOCS / "cookbook.md").read_text(encoding="utf-8")
EXAMPLES = cookbook_examples(COOKBOOK)


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), f"docs/cli.md {STALE}"


def test_cli_reference_lists_every_command_and_option() -> None:
    import typer.main

    from mxgraph.cli import app

    text = cli_reference()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"## mxgraph {name}\n" in text
        for param in command.params:
            for option in param.opts if param.param_type_name == "option" else ():
                assert f"`{option}`" in text


def test_ontology_reference_is_current() -> None:
    assert (DOCS / "ontology.md").read_text(encoding="utf-8") == ontology_reference(), (
        f"docs/ontology.md {STALE}"
    )


def test_ontology_reference_rows() -> None:
    text = ontology_reference()
    assert (
        "| `mx:memberOf` | member of | The agent belongs to the organization. | `prov:Agent` "
        "| `mx:Organization` | `org:memberOf` | inverse of `mx:hasMember` | 16 |"
    ) in text
    assert "| `mx:GovernmentAgency` | government agency |" in text
    assert "`mx:Organization`, `org:FormalOrganization`, `schema:GovernmentOrganization`" in text
    assert "| `mx:partOf` |" in text and "transitive" in text


def test_cookbook_has_a_dozen_questions() -> None:
    questions = [line for line in COOKBOOK.splitlines() if line.startswith("## ")]
    assert len(questions) >= 12
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.command[8:60] for e in EXAMPLES])
def test_cookbook_output_is_real(example: object) -> None:
    from mxgraph.docgen import CookbookExample

    assert isinstance(example, CookbookExample)
    assert run_cookbook_command(example.command) == example.expected, (
        f"docs/cookbook.md: output of {example.command!r} {STALE}"
    )


def test_refresh_only_rewrites_outputs() -> None:
    text = "Intro\n\n```console\n$ mxgraph queries -f csv\nstale\n```\n\nEnd\n"
    refreshed = refresh_cookbook(text)
    assert refreshed.startswith("Intro\n\n```console\n$ mxgraph queries -f csv\nname,title,")
    assert refreshed.endswith("```\n\nEnd\n")
    assert "stale" not in refreshed


def test_failing_cookbook_command_is_reported() -> None:
    with pytest.raises(RuntimeError, match="exited 1: error: "):
        run_cookbook_command("mxgraph describe 'No Such Entity Anywhere'")
