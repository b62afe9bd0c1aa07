"""``mxgraph validate``: SHACL shapes, closed vocabulary and consistency over the graph.

Exit status 0 when everything conforms, 1 with a report otherwise. With
``--format json`` the report is ``{"conforms": bool, "triples": int,
"violations": [{"focus", "path", "value", "constraint", "message",
"severity"}], "undeclared_terms": [{"term", "uses"}], "consistency":
{"consistent", "unsatisfiable", "problems", "w3c_axioms", "summary"} or null}``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mxgraph.cli_common import (
    DataFormatOption,
    DataOption,
    MxGraphGroup,
    NoBundledOption,
    StoreOption,
    emit_bytes,
    open_store_from_options,
)
from mxgraph.errors import ValidationFailed

if TYPE_CHECKING:
    from mxgraph.validate import ValidationReport

app = typer.Typer(cls=MxGraphGroup)


class ReportFormat(str, Enum):
    """How ``validate`` prints its report."""

    TEXT = "text"
    JSON = "json"


def render_report(report: ValidationReport, fmt: ReportFormat) -> str:
    """The report as text lines (one per problem) or as JSON."""
    if fmt is ReportFormat.JSON:
        document = {
            "conforms": report.conforms,
            "triples": report.triples,
            "violations": [asdict(v) for v in report.violations],
            "undeclared_terms": [asdict(t) for t in report.undeclared_terms],
            "consistency": None,
        }
        if report.consistency is not None:
            document["consistency"] = {
                "consistent": report.consistency.consistent,
                "unsatisfiable": report.consistency.unsatisfiable,
                "problems": report.consistency.problems,
                "w3c_axioms": report.consistency.w3c_axioms,
                "summary": report.consistency.summary(),
            }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if report.conforms and report.consistency is not None:
        return (
            f"valid: {report.triples} triples conform to the mxgraph shapes, use only declared "
            "terms and are consistent with the W3C vocabularies they reuse (HermiT)\n"
        )
    if report.conforms:
        return (
            f"valid: {report.triples} triples conform to the mxgraph shapes "
            "and use only declared terms\n"
        )
    lines = [f"violation: {v}" for v in report.violations]
    lines += [f"undeclared: {t}" for t in report.undeclared_terms]
    if report.consistency is not None and not report.consistency.ok:
        lines.append(f"reasoner: {report.consistency.summary()}")
    return "\n".join(lines) + "\n"


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="RDF files to validate with the graph (same as --data).", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", case_sensitive=False, help="Report format.")
    ] = ReportFormat.TEXT,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    reasoner: Annotated[
        bool,
        typer.Option(
            "--reasoner/--no-reasoner",
            help="Also check with HermiT that ontology, data and the axioms of the reused W3C "
            "vocabularies are consistent, with no unsatisfiable class (needs Java; about 1.5 s).",
        ),
    ] = True,
) -> None:
    """Check the graph against the SHACL shapes, the declared vocabulary and, with HermiT,
    for consistency (exit 1 if not)."""
    graph = open_store_from_options([*(files or ()), *(data or ())], data_format, no_bundled, store)
    from mxgraph.validate import validate_store

    report = validate_store(graph, reasoner=reasoner)
    emit_bytes(render_report(report, fmt).encode(), None)
    if not report.conforms:
        inconsistent = report.consistency is not None and not report.consistency.ok
        raise ValidationFailed(
            f"{len(report.violations)} SHACL violation(s), "
            f"{len(report.undeclared_terms)} undeclared term(s)"
            + (", not consistent under HermiT" if inconsistent else "")
        )
