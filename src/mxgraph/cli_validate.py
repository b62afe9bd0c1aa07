"""``mxgraph validate``: SHACL shapes, closed vocabulary and consistency over the graph.

Exit status 0 when everything conforms, 1 with a report otherwise; the work
(pyshacl, and HermiT in Java) runs in a child process stopped at ``--timeout``
(Java with it). With
``--format json`` the report is ``{"conforms": bool, "triples": int,
"violations": [{"focus", "path", "value", "constraint", "message",
"severity"}], "undeclared_terms": [{"term", "uses"}], "consistency":
{"consistent", "unsatisfiable", "problems", "w3c_axioms", "summary"} or null}``.
"""

from __future__ import annotations

import json
import os
import pickle
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mxgraph.cli_common import (
    DEFAULT_TIMEOUT,
    DataFormatOption,
    DataOption,
    MxGraphGroup,
    NoBundledOption,
    StoreOption,
    TimeoutOption,
    emit_bytes,
    open_store_from_options,
    start_deadline,
)
from mxgraph.errors import QueryTimeout, ValidationFailed

if TYPE_CHECKING:
    from mxgraph.deadline import Deadline
    from mxgraph.store import MxStore
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


def validate_within(store: MxStore, *, reasoner: bool, deadline: Deadline) -> ValidationReport:
    """:func:`~mxgraph.validate.validate_store` in a child process killed at ``deadline``.

    HermiT runs in a Java process started by the child; it is made to die with the
    child, so a validation stopped at the limit leaves nothing running.
    """
    from mxgraph.deadline import run_in_child
    from mxgraph.validate import validate_store

    def work() -> bytes:
        if reasoner and deadline.at is not None:
            _java_dies_with_this_process()
        return pickle.dumps(validate_store(store, reasoner=reasoner))

    try:
        answer = run_in_child(work, deadline)
    except QueryTimeout:
        raise QueryTimeout(
            f"validation stopped after {deadline.seconds:g} s (--timeout); "
            "give it more time with --timeout SECONDS, or --timeout 0 for no limit"
        ) from None
    # Our own child's bytes, written just above: safe to unpickle.
    report: ValidationReport = pickle.loads(answer)
    return report


def _java_dies_with_this_process() -> None:  # pragma: no cover - runs in the child
    """Have the kernel kill the Java process owlready2 starts when this process dies (Linux):
    a child killed at the time limit would otherwise leave HermiT running."""
    from owlready2 import reasoning  # type: ignore[import-untyped]

    from mxgraph.sandbox import die_with_parent

    me = os.getpid()
    options = getattr(reasoning, "_subprocess_kargs", None)
    if isinstance(options, dict):
        options["preexec_fn"] = lambda: die_with_parent(me)


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
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
) -> None:
    """Check the graph against the SHACL shapes, the declared vocabulary and, with HermiT,
    for consistency (exit 1 if not)."""
    deadline = start_deadline(timeout)
    graph = open_store_from_options([*(files or ()), *(data or ())], data_format, no_bundled, store)
    report = validate_within(graph, reasoner=reasoner, deadline=deadline)
    emit_bytes(render_report(report, fmt).encode(), None)
    if not report.conforms:
        inconsistent = report.consistency is not None and not report.consistency.ok
        raise ValidationFailed(
            f"{len(report.violations)} SHACL violation(s), "
            f"{len(report.undeclared_terms)} undeclared term(s)"
            + (", not consistent under HermiT" if inconsistent else "")
        )
