"""The W3C RDF syntax test suites: every good file loads, every bad one is a one-line error.

Turtle, TriG, N-Triples, N-Quads and RDF/XML, as rdflib's source distribution
ships them (see tests/w3c.py). A positive or evaluation test must load; a
negative one must fail with :class:`~mxgraph.errors.MxGraphError` whose
message is one line naming the file, and through the CLI exit 1 with one
``error:`` line.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from mxgraph.cli import app
from mxgraph.errors import MxGraphError
from mxgraph.store import open_store

SUITES = {"turtle": "ttl", "trig": "trig", "ntriples": "nt", "nquads": "nq", "rdf-xml": "rdf"}
RDFT = "http://www.w3.org/ns/rdftest#"
MF_ACTION = ox.NamedNode("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#action")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def w3c_tests(root: Path) -> list[tuple[str, Path, bool]]:
    """(suite, file, whether it must load) for every syntax or evaluation test."""
    tests = []
    for suite in SUITES:
        manifest = root / suite / "manifest.ttl"
        base = manifest.parent.as_uri() + "/"
        graph = ox.Store()
        graph.load(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=base)
        for quad in graph.quads_for_pattern(None, RDF_TYPE, None):
            kind = quad.object.value  # type: ignore[union-attr]
            if not kind.startswith(RDFT):
                continue
            for action in graph.quads_for_pattern(quad.subject, MF_ACTION, None):
                path = Path(action.object.value.removeprefix("file://"))  # type: ignore[union-attr]
                tests.append((suite, path, "Negative" not in kind))
    return sorted(tests)


def test_every_good_file_loads_and_every_bad_one_is_a_one_line_error(w3c_suites: Path) -> None:
    tests = w3c_tests(w3c_suites)
    assert len(tests) > 900
    wrong: list[str] = []
    for suite, path, good in tests:
        try:
            open_store([path], bundled=False, data_format=None)
            loaded, message = True, ""
        except MxGraphError as error:
            loaded, message = False, str(error)
        if loaded != good:
            wrong.append(f"{suite}/{path.name}: {'loaded' if loaded else message}")
        elif not loaded and (str(path) not in message or "\n" in message):
            wrong.append(f"{suite}/{path.name}: message {message!r}")
    assert wrong == []


def test_bad_files_through_the_cli(w3c_suites: Path) -> None:
    runner = CliRunner()
    bad = [path for _, path, good in w3c_tests(w3c_suites) if not good][::10]
    assert len(bad) > 25
    for path in bad:
        result = runner.invoke(app, ["query", "ASK {}", "--no-bundled", "-d", str(path)])
        assert result.exit_code == 1, path
        assert result.stdout == ""
        assert result.stderr.startswith(f"error: {path}") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_each_suite_is_present(w3c_suites: Path, suite: str) -> None:
    assert any(s == suite for s, _, _ in w3c_tests(w3c_suites))
