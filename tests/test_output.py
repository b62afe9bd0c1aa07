"""The one formatter: every result format, exact output for a small result."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError, QueryTimeout
from mxgraph.output import (
    RDF_OUTPUT_FORMATS,
    RDF_SYNTAXES,
    RESULT_FORMATS,
    OutputFormat,
    curie,
    default_format,
    render_result,
)
from mxgraph.query import AskResult, GraphResult, SelectResult, run_query
from mxgraph.rdf_formats import RDF_FORMATS
from mxgraph.store import MxStore

LABELS = (
    "SELECT ?c ?label ?pop { ?c rdfs:label ?label "
    "OPTIONAL { ?c <http://example.org/population> ?pop } } ORDER BY ?label"
)

EXPECTED = {
    OutputFormat.TABLE: (
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┓\n"
        "┃ c                           ┃ label         ┃ pop         ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━┩\n"
        "│ <http://example.org/mexico> │ Mexico        │ 126,000,000 │\n"
        "│ <http://example.org/mexico> │ México        │ 126,000,000 │\n"
        "│ <http://example.org/usa>    │ United States │             │\n"
        "└─────────────────────────────┴───────────────┴─────────────┘\n"
    ),
    OutputFormat.CSV: (
        "c,label,pop\r\n"
        "http://example.org/mexico,Mexico,126000000\r\n"
        "http://example.org/mexico,México,126000000\r\n"
        "http://example.org/usa,United States,\r\n"
    ),
    OutputFormat.TSV: (
        "?c\t?label\t?pop\n"
        '<http://example.org/mexico>\t"Mexico"@en\t'
        '"126000000"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
        '<http://example.org/mexico>\t"México"@es\t'
        '"126000000"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
        '<http://example.org/usa>\t"United States"@en\t\n'
    ),
    OutputFormat.MARKDOWN: (
        "| c | label | pop |\n"
        "| --- | --- | --- |\n"
        "| <http://example.org/mexico> | Mexico | 126000000 |\n"
        "| <http://example.org/mexico> | México | 126000000 |\n"
        "| <http://example.org/usa> | United States |  |\n"
    ),
}


def test_every_format_is_a_result_or_rdf_format() -> None:
    assert set(RESULT_FORMATS) | set(RDF_OUTPUT_FORMATS) == set(OutputFormat)
    assert all(RDF_SYNTAXES[f.value] in RDF_FORMATS for f in RDF_OUTPUT_FORMATS)


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_select_in_every_result_format(tiny_store: MxStore, fmt: OutputFormat) -> None:
    result = run_query(tiny_store, LABELS)
    text = render_result(result, fmt).decode()
    if fmt is OutputFormat.JSON:
        assert json.loads(text) == {
            "head": {"vars": ["c", "label", "pop"]},
            "results": {
                "bindings": [
                    {
                        "c": {"type": "uri", "value": "http://example.org/mexico"},
                        "label": {"type": "literal", "value": label, "xml:lang": lang},
                        "pop": {
                            "type": "literal",
                            "value": "126000000",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                        },
                    }
                    for label, lang in (("Mexico", "en"), ("México", "es"))
                ]
                + [
                    {
                        "c": {"type": "uri", "value": "http://example.org/usa"},
                        "label": {"type": "literal", "value": "United States", "xml:lang": "en"},
                    }
                ]
            },
        }
    else:
        assert text == EXPECTED[fmt]


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_ask_in_every_result_format(fmt: OutputFormat) -> None:
    text = render_result(AskResult(False), fmt).decode()
    assert text == ('{"head": {}, "boolean": false}\n' if fmt is OutputFormat.JSON else "false\n")


@pytest.mark.parametrize("fmt", RDF_OUTPUT_FORMATS)
def test_select_refuses_rdf_formats(fmt: OutputFormat) -> None:
    with pytest.raises(MxGraphError, match=rf"--format {fmt.value} is for CONSTRUCT and DESCRIBE"):
        render_result(SelectResult(("x",), ()), fmt)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_graph_results_in_every_format(tiny_store: MxStore, fmt: OutputFormat) -> None:
    graph = run_query(tiny_store, "CONSTRUCT WHERE { ?s <http://example.org/neighbor> ?o }")
    text = render_result(graph, fmt).decode()
    assert text.endswith("\n")
    if fmt.is_rdf:
        parsed = ox.parse(text.encode(), RDF_FORMATS[RDF_SYNTAXES[fmt.value]].oxigraph)
        assert [q.triple for q in parsed] == list(graph)
    else:
        assert "mexico" in text and "subject" in text


def test_turtle_uses_only_the_prefixes_it_needs(tiny_store: MxStore) -> None:
    graph = run_query(tiny_store, "CONSTRUCT WHERE { ?s a ?t ; rdfs:label ?l }")
    assert render_result(graph).decode() == (
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix mx: <https://w3id.org/mxgraph/ontology#> .\n"
        "<http://example.org/mexico> a mx:Country ;\n"
        '\trdfs:label "Mexico"@en , "México"@es .\n'
        "<http://example.org/usa> a mx:Country ;\n"
        '\trdfs:label "United States"@en .\n'
    )


def test_csv_quotes_and_blank_nodes() -> None:
    result = SelectResult(
        ("a", "b"),
        ((ox.Literal('say "hi", then\nleave'), ox.BlankNode("b0")),),
    )
    text = render_result(result, OutputFormat.CSV).decode()
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ['say "hi", then\nleave', "_:b0"]]
    assert render_result(result, OutputFormat.TSV).decode().splitlines()[1] == (
        '"say \\"hi\\", then\\nleave"\t_:b0'
    )


def test_markdown_escapes_pipes() -> None:
    result = SelectResult(("a",), ((ox.Literal("x | y\nz"),),))
    assert render_result(result, OutputFormat.MARKDOWN).decode().splitlines()[2] == (
        "| x \\| y<br>z |"
    )


def test_default_formats_and_curies() -> None:
    assert default_format(SelectResult((), ())) is OutputFormat.TABLE
    assert default_format(GraphResult(())) is OutputFormat.TURTLE
    assert curie("https://w3id.org/mxgraph/id/Mexico") == "mxd:Mexico"
    assert curie("https://w3id.org/mxgraph/id/a/b") == "<https://w3id.org/mxgraph/id/a/b>"


def test_formatting_checks_the_deadline() -> None:
    result = SelectResult(("x",), ((ox.Literal("1"),),))
    with pytest.raises(QueryTimeout):
        render_result(result, OutputFormat.CSV, deadline=Deadline.start(0))


def test_table_is_plain_unless_coloured() -> None:
    result = SelectResult(("x",), ((ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),),))
    assert b"\x1b[" not in render_result(result, OutputFormat.TABLE)
    assert b"\x1b[" in render_result(result, OutputFormat.TABLE, color=True)


def test_report_tables_fit_the_terminal_width() -> None:
    from mxgraph.lookup_format import neighbors_report
    from mxgraph.neighbors import neighbors
    from mxgraph.output import ReportFormat, render_report
    from mxgraph.store import open_store

    report = neighbors_report(neighbors(open_store(), "U.S. exchange programs with Mexico"))
    wide = render_report(report, ReportFormat.TABLE).decode()
    assert max(len(line) for line in wide.splitlines()) > 100
    narrow = render_report(report, ReportFormat.TABLE, width=80).decode()
    table = [line for line in narrow.splitlines() if line[:1] in "┏┃┡│└"]
    assert len(table) > 12 and max(len(line) for line in table) <= 80
    assert "Ambassador's" in narrow and "Preservation" in narrow  # wrapped, not cut


def test_query_tables_show_big_numbers_with_separators_and_other_formats_keep_them_exact() -> None:
    """(#10) ``query -n border-facts``: 2,000 miles and 15,000,000 people in the table; the
    W3C formats keep the lexical values (2000, 15000000)."""
    from typer.testing import CliRunner

    from mxgraph.cli import app

    runner = CliRunner()
    sparql = (
        "SELECT ?fact ?value WHERE { VALUES ?fact { mxd:fact-border-length "
        "mxd:fact-border-region-population mxd:fact-ports-of-entry } ?fact mx:value ?value } "
        "ORDER BY ?value"
    )
    table = runner.invoke(app, ["query", sparql])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[3:6] == [
        "│ mxd:fact-ports-of-entry           │ 55         │",
        "│ mxd:fact-border-length            │ 2,000      │",
        "│ mxd:fact-border-region-population │ 15,000,000 │",
    ]
    for fmt, expected in (("csv", "15000000"), ("tsv", '"15000000"^^'), ("json", '"15000000"')):
        shown = runner.invoke(app, ["query", sparql, "-f", fmt]).stdout
        assert expected in shown and "15,000,000" not in shown
    # A number followed by a currency column is money in a table, and exact elsewhere.
    money = runner.invoke(app, ["query", "-n", "dollar-figures"]).stdout
    assert "│ $678 billion   │ USD " in money
    assert "│ $2.8 billion   │ USD " in money
    exact = runner.invoke(app, ["query", "-n", "dollar-figures", "-f", "csv"]).stdout
    assert ",678000000000,USD," in exact and "$" not in exact.split("\n")[1].split(",")[2]
