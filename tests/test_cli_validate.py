"""``mxgraph validate`` through typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mxgraph.cli import app

runner = CliRunner()


needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


@needs_java
def test_bundled_graph_is_valid() -> None:
    # The consistency check (HermiT, with the W3C axioms) is on by default.
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid: ")
    assert result.stdout.endswith(
        "triples conform to the mxgraph shapes, use only declared terms and are consistent "
        "with the W3C vocabularies they reuse (HermiT)\n"
    )


def test_no_reasoner_skips_the_consistency_check() -> None:
    result = runner.invoke(app, ["validate", "--no-reasoner"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "triples conform to the mxgraph shapes and use only declared terms\n"
    )


@needs_java
def test_inconsistent_data_is_one_reasoner_line(tmp_path: Path) -> None:
    # A cooperation (a prov:Activity) that is also a document (a prov:Entity): PROV-O makes
    # the two disjoint, so HermiT finds ontology + data + W3C axioms inconsistent.
    bad = tmp_path / "activity-entity.ttl"
    bad.write_text(
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "<https://w3id.org/mxgraph/id/border-cooperation> a mx:FactSheet .\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--format", "json", str(bad)])
    assert result.exit_code == 1
    consistency = json.loads(result.stdout)["consistency"]
    assert consistency["consistent"] is False
    assert consistency["summary"] == "inconsistent (HermiT, with the W3C axioms)"
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.stdout.endswith("reasoner: inconsistent (HermiT, with the W3C axioms)\n")
    assert result.stderr.endswith(", not consistent under HermiT\n")


def test_invalid_file_gives_report_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/mxgraph/id/atlantis> a mx:Country ; skos:prefLabel "Atlantis"@en .\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--no-reasoner", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == (
        "violation: mxd:atlantis mx:citation: needs mx:citation pointing at the source "
        "sentence it comes from [MinCountConstraintComponent]\n"
    )
    assert result.stderr == "error: 1 SHACL violation(s), 0 undeclared term(s)\n"


def test_json_report(tmp_path: Path) -> None:
    bad = tmp_path / "typo.ttl"
    bad.write_text(
        "<https://w3id.org/mxgraph/id/mexico> "
        '<http://www.w3.org/2004/02/skos/core#altLable> "Mexiko"@de .\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--no-reasoner", "--format", "json", str(bad)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["consistency"] is None
    assert report["violations"] == []
    assert report["undeclared_terms"] == [{"term": "skos:altLable", "uses": 1}]


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "<https://w3id.org/mxgraph/id/x> a mx:Country ;\n"
        "    mx:memberOf <https://w3id.org/mxgraph/id/y> ,, .\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {bad}:3:")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_an_ill_typed_literal_is_reported_not_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text(
        "<http://ex.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"notanint"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )
    result = runner.invoke(app, ["validate", "-d", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "1 malformed xsd:integer" in result.stdout + result.stderr


def test_validate_stops_at_the_timeout_with_one_error_line() -> None:
    result = runner.invoke(app, ["validate", "--timeout", "0.3"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: validation stopped after 0.3 s (--timeout); give it more time with "
        "--timeout SECONDS, or --timeout 0 for no limit\n"
    )


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_validate_timeout_must_be_seconds(value: str) -> None:
    result = runner.invoke(app, ["validate", "--timeout", value])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "is not a number of seconds from 0 (no limit)" in result.stderr


def test_a_validation_stopped_at_the_timeout_leaves_no_java_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HermiT's Java, started by the child through owlready2, dies with the child."""
    import os
    import subprocess
    import time

    import mxgraph.validate
    from mxgraph.cli_validate import validate_within
    from mxgraph.deadline import Deadline
    from mxgraph.errors import QueryTimeout
    from mxgraph.store import open_store

    pid_file = tmp_path / "pid"

    def slow_validation(store: object, *, reasoner: bool) -> object:
        from owlready2 import reasoning  # type: ignore[import-untyped]

        # As owlready2 starts Java: its keyword arguments; a long sleep stands in for HermiT.
        sleeper = subprocess.Popen(["sleep", "60"], **reasoning._subprocess_kargs)
        pid_file.write_text(str(sleeper.pid))
        sleeper.wait()
        raise AssertionError("not reached: the child is killed first")

    monkeypatch.setattr(mxgraph.validate, "validate_store", slow_validation)
    with pytest.raises(QueryTimeout, match=r"^validation stopped after 1 s \(--timeout\)"):
        validate_within(open_store(), reasoner=True, deadline=Deadline.start(1))
    sleeper = int(pid_file.read_text())
    for _ in range(50):
        try:
            os.kill(sleeper, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(sleeper, 9)
        pytest.fail("the Java stand-in outlived the validation")
