"""Lookup commands: ``describe``, ``neighbors``, ``path``, ``search`` and ``stats``.

This module declares them for typer; what each does is in
:mod:`mxgraph.cli_lookup_base` (typer-free, also run directly by
:mod:`mxgraph.cli_fast` for a plain line). Each command opens the store the
shared data options describe, calls one library function (the module named
after it, or :mod:`mxgraph.paths`) through a
:class:`~mxgraph.backend.LocalBackend` bounded by ``--timeout``, and prints
the result with :func:`mxgraph.output.render_report`: readable sections
(``--format table``, the default) or a JSON document (``--format json``,
schemas in :mod:`mxgraph.lookup_format`). Unknown or ambiguous names end
with one ``error:`` line and exit status 1.
"""

from __future__ import annotations

from typing import Annotated

import typer

from mxgraph import cli_lookup_base
from mxgraph.cli_common import (
    DEFAULT_TIMEOUT,
    DataFormatOption,
    DataOption,
    EndpointOption,
    GraphOption,
    InferOption,
    MxGraphGroup,
    NoBundledOption,
    StoreOption,
    TimeoutOption,
    UserOption,
)
from mxgraph.direction import Direction
from mxgraph.output import ReportFormat

app = typer.Typer(cls=MxGraphGroup)

LookupFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table (readable sections) or json (a document for scripts).",
    ),
]
EntityArgument = Annotated[
    str,
    typer.Argument(
        help="An entity: label or alias (any case or accents), CURIE (mxd:usaid) or IRI.",
        show_default=False,
    ),
]


@app.command()
def describe(
    entity: EntityArgument,
    fmt: LookupFormatOption = ReportFormat.TABLE,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
    user: UserOption = None,
    infer: InferOption = False,
) -> None:
    """Everything about one entity: types, aliases, relations, facts and source sentences.

    Each relation ends with the ids of the sentences that state it; their text is
    under Sources.

    JSON: {"entity", "types", "aliases", "description", "wikidata", "attributes",
    "relations": [{"direction", "relation", "entity", "sources"}], "facts": [{"fact", "role",
    "value", "lower_bound", "upper_bound", "unit", "currency", "qualifier_text", "time",
    "sources", ...}], "sources": [{"sentence", "quote", "start", "end"}]}.
    """
    cli_lookup_base.describe_command(
        entity=entity,
        fmt=fmt,
        data=data,
        data_format=data_format,
        no_bundled=no_bundled,
        store=store,
        timeout=timeout,
        endpoint=endpoint,
        graph=graph,
        user=user,
        infer=infer,
    )


@app.command()
def neighbors(
    entity: EntityArgument,
    depth: Annotated[
        int, typer.Option("--depth", min=1, help="How many relations away to go.", metavar="N")
    ] = 1,
    relation: Annotated[
        str | None,
        typer.Option(
            "--relation",
            "-r",
            help="Follow only this relation (CURIE, IRI or label, e.g. 'member of').",
            show_default=False,
        ),
    ] = None,
    direction: Annotated[
        Direction,
        typer.Option(
            "--direction",
            case_sensitive=False,
            help="out: relations from each entity; in: relations to it; both.",
        ),
    ] = Direction.BOTH,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            help="List only neighbors of this class (CURIE, IRI or label; subclasses count).",
            show_default=False,
        ),
    ] = None,
    sources: Annotated[
        bool,
        typer.Option("--sources", help="Print under each relation the sentences that state it."),
    ] = False,
    fmt: LookupFormatOption = ReportFormat.TABLE,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
    user: UserOption = None,
    infer: InferOption = False,
) -> None:
    """The entities related to an entity, up to --depth relations away.

    JSON: {"entity", "depth", "direction", "relation", "type", "neighbors":
    [{"depth", "from", "direction", "relation", "entity", "sources"}]}.
    """
    cli_lookup_base.neighbors_command(
        entity=entity,
        depth=depth,
        relation=relation,
        direction=direction,
        type_=type_,
        sources=sources,
        fmt=fmt,
        data=data,
        data_format=data_format,
        no_bundled=no_bundled,
        store=store,
        timeout=timeout,
        endpoint=endpoint,
        graph=graph,
        user=user,
        infer=infer,
    )


@app.command()
def path(
    start: Annotated[str, typer.Argument(metavar="FROM", help="The entity to start from.")],
    end: Annotated[str, typer.Argument(metavar="TO", help="The entity to reach.")],
    max_length: Annotated[
        int | None,
        typer.Option(
            "--max-length",
            "-m",
            min=1,
            help="Give up on paths longer than this.",
            show_default=False,
        ),
    ] = None,
    all_paths: Annotated[
        bool, typer.Option("--all", help="List every shortest path, not only the first.")
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            "-x",
            help="Do not go through this relation or class (CURIE, IRI or label; repeatable).",
            metavar="RELATION_OR_CLASS",
            show_default=False,
        ),
    ] = None,
    via: Annotated[
        str | None,
        typer.Option(
            "--via", help="Go through this entity on the way.", metavar="ENTITY", show_default=False
        ),
    ] = None,
    documents: Annotated[
        bool,
        typer.Option(
            "--documents",
            help="Also go through documents and web pages (further reading, the fact sheet).",
        ),
    ] = False,
    sources: Annotated[
        bool,
        typer.Option("--sources", help="Print under each relation the sentences that state it."),
    ] = False,
    fmt: LookupFormatOption = ReportFormat.TABLE,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
    user: UserOption = None,
    infer: InferOption = False,
) -> None:
    """The shortest connection between two entities, as entity —relation→ entity chains.

    Relations are followed either way; a link stated both ways shows once
    (←cooperates with→ for a symmetric one). Documents and web pages are not
    gone through unless --documents. When there is no path (within
    --max-length) the report says so and the exit status is 1.

    JSON: {"from", "to", "length", "max_length", "truncated", "paths": [{"length",
    "steps": [{"from", "to", "relations": [{"relation", "direction", "sources"}]}]}]}.
    """
    code = cli_lookup_base.path_command(
        start=start,
        end=end,
        max_length=max_length,
        all_paths=all_paths,
        exclude=exclude,
        via=via,
        documents=documents,
        sources=sources,
        fmt=fmt,
        data=data,
        data_format=data_format,
        no_bundled=no_bundled,
        store=store,
        timeout=timeout,
        endpoint=endpoint,
        graph=graph,
        user=user,
        infer=infer,
    )
    if code:
        raise typer.Exit(code=code)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for.", show_default=False)],
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            help="Only entities of this class (CURIE, IRI or label; subclasses count).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-l", min=1, help="At most this many entities.")
    ] = 20,
    fmt: LookupFormatOption = ReportFormat.TABLE,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
    user: UserOption = None,
    infer: InferOption = False,
) -> None:
    """Entities whose names, descriptions, figures or cited sentences match TEXT, best first.

    Case and accents do not matter; words also match by stem (crossings ~ crossing; per,
    each, of, the... are left out) and a number by value (2.8 billion = $2.8 billion =
    2,800,000,000). Scores: exact label 100, exact alias 95, label prefix 90, a fact whose
    value is the number 80 (field figure), alias prefix 70, all words in a label 60 (by
    stem 57; alias 55, 52), part of a label 50 (alias 45), a description 30, 27 or 20, and
    an entity citing a sentence that states the number 18, holds the words 15 or their
    stems 12 (field sentence). Sentences are read when the names give fewer than --limit
    entities. The sentences of figure and sentence hits are listed after the table, the
    match marked «like this» (bold on a terminal).

    JSON: {"query", "type", "limit", "hits": [{"entity", "score", "field",
    "matched", "types", "sentence", "spans": [[start, end]]}]}; spans are character
    offsets in matched.
    """
    cli_lookup_base.search_command(
        text=text,
        type_=type_,
        limit=limit,
        fmt=fmt,
        data=data,
        data_format=data_format,
        no_bundled=no_bundled,
        store=store,
        timeout=timeout,
        endpoint=endpoint,
        graph=graph,
        user=user,
        infer=infer,
    )


@app.command()
def stats(
    top: Annotated[
        int, typer.Option("--top", min=1, help="How many most connected entities to list.")
    ] = 10,
    fmt: LookupFormatOption = ReportFormat.TABLE,
    data: DataOption = None,
    data_format: DataFormatOption = None,
    no_bundled: NoBundledOption = False,
    store: StoreOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    endpoint: EndpointOption = None,
    graph: GraphOption = None,
    user: UserOption = None,
    infer: InferOption = False,
) -> None:
    """Triples, entities by class, relations by use, and the most connected entities.

    Degree and PageRank are computed on the entity graph (relations between
    entities, either way; sentences, times and ontology terms left out).

    JSON: {"triples", "entities", "entity_links", "classes": [{"class", "entities"}],
    "relations": [{"relation", "uses"}], "top_by_degree": [{"entity", "degree",
    "pagerank"}], "top_by_pagerank": [...]}.
    """
    cli_lookup_base.stats_command(
        top=top,
        fmt=fmt,
        data=data,
        data_format=data_format,
        no_bundled=no_bundled,
        store=store,
        timeout=timeout,
        endpoint=endpoint,
        graph=graph,
        user=user,
        infer=infer,
    )
