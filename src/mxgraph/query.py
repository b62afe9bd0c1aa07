"""Run SPARQL on a store: checked for safety, values bound, bounded in time.

Results are typed by query form: :class:`SelectResult` (rows),
:class:`AskResult` (a boolean), :class:`GraphResult` (triples of CONSTRUCT or
DESCRIBE). Every prefix of :data:`mxgraph.namespaces.PREFIXES` is predeclared.

>>> from mxgraph.store import open_store
>>> store = open_store()
>>> result = run_query(store, "SELECT ?label { mx:Country rdfs:label ?label }")
>>> [row[0].value for row in result.rows]
['country']
>>> run_query(store, "ASK { mx:Country a owl:Class }")
AskResult(value=True)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from mxgraph import resources
from mxgraph.deadline import Deadline, checked, run_in_child
from mxgraph.errors import MxGraphError, QueryRefused, QuerySyntaxError
from mxgraph.namespaces import PREFIXES
from mxgraph.safety import QueryKind, check_query
from mxgraph.store import ONTOLOGY_GRAPH, MxStore

#: What Oxigraph returns for a query.
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
T = TypeVar("T")

#: A graph name a query's dataset may hold.
Graph = ox.NamedNode | ox.BlankNode

#: An RDF term as a query result holds it.
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class SelectResult:
    """The answer to a SELECT query: variable names and rows (``None`` for unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)


@dataclass(frozen=True)
class AskResult:
    """The answer to an ASK query."""

    value: bool

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True)
class GraphResult:
    """The answer to a CONSTRUCT or DESCRIBE query: a set of triples."""

    triples: tuple[ox.Triple, ...]

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples)


@dataclass(frozen=True)
class UpdateResult:
    """What a SPARQL update changed: triples in the default graph before and after."""

    before: int
    after: int


QueryResult = SelectResult | AskResult | GraphResult


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs on, named as the SPARQL 1.1 Protocol names it.

    ``default_graphs`` (``default-graph-uri``) are merged into the query's default
    graph and ``named_graphs`` (``named-graph-uri``) are the graphs ``GRAPH`` can
    see. When either is given the dataset is exactly these graphs (either may be
    empty), and it takes precedence over the query's ``FROM``; when neither is, the
    query runs on the store's own dataset (:data:`NO_DATASET`).

    >>> Dataset(("https://w3id.org/mxgraph/graph/ontology",)).given
    True
    >>> NO_DATASET.given
    False
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Whether any graph is named (else the store's own dataset applies)."""
        return bool(self.default_graphs or self.named_graphs)


#: The store's own dataset: every triple in the default graph, every named graph by name.
NO_DATASET = Dataset()


def is_empty(result: QueryResult | UpdateResult) -> bool:
    """Whether a query found nothing: no rows, ASK false, or no triples.

    >>> is_empty(AskResult(False)), is_empty(SelectResult(("x",), ((None,),)))
    (True, False)
    """
    if isinstance(result, AskResult):
        return not result.value
    if isinstance(result, SelectResult | GraphResult):
        return len(result) == 0
    return False


def run_query(
    store: MxStore,
    sparql: str,
    *,
    bindings: Mapping[str, Term] | None = None,
    timeout: float | Deadline | None = 30,
    allow_network: bool = False,
    allow_update: bool = False,
    in_process: bool = False,
    dataset: Dataset = NO_DATASET,
    read_at_most: int | None = None,
) -> QueryResult | UpdateResult:
    """Run a SPARQL query (or, with ``allow_update``, an update) and return its typed result.

    ``bindings`` give variables values before evaluation (never pasted into the
    text). ``timeout`` (seconds or a :class:`~mxgraph.deadline.Deadline`) bounds
    evaluation; past it :class:`~mxgraph.errors.QueryTimeout` is raised.

    Unless ``allow_network``, the query is refused if it asks for the network
    (:func:`~mxgraph.safety.check_query`) and is evaluated in a child process
    that the kernel keeps off the network (:mod:`mxgraph.sandbox`), with or
    without a time limit. ``in_process`` (for mxgraph's own fixed query texts,
    values bound) skips that child when there is no time limit, so a large
    answer is read without a serialisation round trip, and also on the bundled
    graph alone (:attr:`~mxgraph.store.MxStore.shipped_only`: a known text on
    known data takes milliseconds; the time limit is checked while rows are
    read); the check still applies.

    ``dataset`` names the graphs the query runs on (see :class:`Dataset`); a graph
    the store does not hold is refused rather than read as an empty one.

    ``read_at_most`` stops reading a SELECT's rows or a CONSTRUCT's triples after that
    many: a caller refusing answers longer than ``N`` passes ``N + 1`` and never holds
    more rows than that (``mxgraph serve --max-rows``; a child, when there is one, still
    writes the whole answer).

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> result = run_query(store, "SELECT ?c ?l { ?c rdfs:label ?l }",
    ...                    bindings={"l": ox.Literal("country", language="en")})
    >>> [str(row[0]) for row in result]
    ['<https://w3id.org/mxgraph/ontology#Country>']
    >>> run_query(store, "SELECT * {")
    Traceback (most recent call last):
    ...
    mxgraph.errors.QuerySyntaxError: SPARQL syntax error at line 1, column 11: expected ...
    """
    deadline = timeout if isinstance(timeout, Deadline) else Deadline.start(timeout)
    known = in_process and store.shipped_only and not allow_update
    in_child = not (known or (deadline.at is None and (in_process or allow_network)))
    default_graph, named_graphs = _dataset_graphs(store, dataset)

    def check() -> QueryKind:
        return check_query(
            sparql,
            allow_network=allow_network,
            allow_update=allow_update,
            store_graphs=_StoreGraphs(store),
        )

    # Without allow_update the check refuses every update, so only a query is evaluated.
    if (allow_update or not in_child) and check() == "update":
        return _run_update(store, sparql)
    substitutions = _substitutions(bindings or {})

    def evaluate(read: Callable[[Answer], T]) -> T:
        if in_child and not allow_update:
            # Checked in the child, so a huge query (a million VALUES) is read within the
            # time limit too; a refusal comes back as the same QueryRefused.
            check()
        try:
            return read(
                store.oxigraph.query(
                    sparql,
                    prefixes=PREFIXES,
                    substitutions=substitutions,
                    default_graph=default_graph,
                    named_graphs=named_graphs,
                )
            )
        except SyntaxError as error:
            raise query_syntax_error(sparql, error) from None
        except RuntimeError as error:
            if "SELECT projection" in str(error):
                raise MxGraphError(
                    "cannot bind a variable the query does not select: a bound variable "
                    "must appear in the SELECT clause (SELECT * selects all)"
                ) from None
            raise MxGraphError(f"query failed: {error}") from None
        except PermissionError as error:
            if allow_network:
                raise MxGraphError(f"query failed: {error}") from None
            # The kernel wall refused a socket: the query tried to federate.
            raise QueryRefused(
                "the query tried to open a network connection, which a local query may not do "
                "(use --allow-network)"
            ) from None
        except OSError as error:
            raise MxGraphError(f"query failed: {error}") from None

    if not in_child:
        # No time limit and no wall needed: read the answer here, without the child's
        # serialisation round trip (a third of the time of a 300,000-row answer).
        result = evaluate(lambda answer: _result(answer, deadline, read_at_most))
        deadline.check()
        return result
    answer = run_in_child(lambda: evaluate(_encode), deadline, offline=not allow_network)
    return _decode(answer, deadline, read_at_most)


def stream_select(
    store: MxStore, sparql: str, deadline: Deadline
) -> Iterator[tuple[Term | None, ...]]:
    """The rows of a SELECT query, read from Oxigraph one at a time in this process.

    For mxgraph's own query texts when nothing needs a child (see
    :func:`run_query`'s ``in_process``): no row is held but the current one, so
    a whole-graph read (``stats``) keeps one answer's worth of Python objects
    out of memory. ``deadline`` is checked every few thousand rows.

    >>> from mxgraph.store import open_store
    >>> rows = stream_select(open_store(), "SELECT ?n { VALUES ?n { 1 2 } }", Deadline.start(None))
    >>> [row[0].value for row in rows]
    ['1', '2']
    """
    check_query(sparql, allow_network=False, allow_update=False, store_graphs=_StoreGraphs(store))
    try:
        answer = store.oxigraph.query(sparql, prefixes=PREFIXES)
    except SyntaxError as error:
        raise query_syntax_error(sparql, error) from None
    except (RuntimeError, OSError) as error:
        raise MxGraphError(f"query failed: {error}") from None
    if not isinstance(answer, ox.QuerySolutions):
        raise MxGraphError("a lookup query must be a SELECT query")
    return _stream_rows(answer, deadline)


def _stream_rows(
    answer: ox.QuerySolutions, deadline: Deadline
) -> Iterator[tuple[Term | None, ...]]:
    try:
        yield from checked(map(tuple, answer), deadline)
    except (RuntimeError, OSError) as error:  # Oxigraph evaluates as the rows are read
        raise MxGraphError(f"query failed: {error}") from None
    deadline.check()


class _StoreGraphs(Collection[str]):
    """The names of the store's named graphs, asked of the store one name at a time (a ``FROM``
    of a graph the store holds, such as a source sentence's, reads no file or URL)."""

    def __init__(self, store: MxStore) -> None:
        self.store = store

    def __contains__(self, name: object) -> bool:
        try:
            return isinstance(name, str) and self.store.oxigraph.contains_named_graph(
                ox.NamedNode(name)
            )
        except ValueError:
            return False

    def __iter__(self) -> Iterator[str]:
        return (graph.value for graph in self.store.oxigraph.named_graphs())

    def __len__(self) -> int:
        return sum(1 for _ in self.store.oxigraph.named_graphs())


def _dataset_graphs(
    store: MxStore, dataset: Dataset
) -> tuple[list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None, list[Graph] | None]:
    """Oxigraph's ``default_graph`` and ``named_graphs`` for ``dataset`` (None: the store's)."""
    if not dataset.given:
        return None, None
    arguments: list[list[Graph]] = []
    for option, names in (
        ("default-graph-uri", dataset.default_graphs),
        ("named-graph-uri", dataset.named_graphs),
    ):
        graphs: list[Graph] = []
        for name in names:
            try:
                graph = ox.NamedNode(name)
            except ValueError:
                raise MxGraphError(f"{option} {name!r} is not an IRI") from None
            if not store.oxigraph.contains_named_graph(graph):
                raise MxGraphError(
                    f"{option} <{name}> names no graph in the store (its named graphs are "
                    f"the source sentences' IRIs and <{ONTOLOGY_GRAPH.value}>)"
                )
            graphs.append(graph)
        arguments.append(graphs)
    return list(arguments[0]), arguments[1]


def _substitutions(bindings: Mapping[str, Term]) -> dict[ox.Variable, Term]:
    substitutions: dict[ox.Variable, Term] = {}
    for name, value in bindings.items():
        try:
            substitutions[ox.Variable(name.lstrip("?$"))] = value
        except ValueError:
            raise MxGraphError(f"cannot bind {name!r}: not a SPARQL variable name") from None
    return substitutions


def _result(
    answer: Answer, deadline: Deadline | None = None, read_at_most: int | None = None
) -> QueryResult:
    """An Oxigraph answer read into mxgraph's result types (every row read now, or the first
    ``read_at_most``), checking ``deadline`` every few thousand rows."""
    if isinstance(answer, ox.QueryBoolean):
        return AskResult(bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        rows = itertools.islice(map(tuple, answer), read_at_most)
        return SelectResult(variables, tuple(checked(rows, deadline)))
    return GraphResult(tuple(checked(itertools.islice(answer, read_at_most), deadline)))


def _encode(answer: Answer) -> bytes:
    """An Oxigraph answer as bytes for the trip from the child (read by :func:`_decode`)."""
    if isinstance(answer, ox.QueryBoolean):
        return b"A1" if bool(answer) else b"A0"
    if isinstance(answer, ox.QuerySolutions):
        # TSV (terms in Turtle syntax, lossless): written in a third and read in 0.8x the
        # time of JSON for a 100,000-row answer.
        return b"S" + (answer.serialize(format=ox.QueryResultsFormat.TSV) or b"")
    return b"G" + (answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")


def _decode(answer: bytes, deadline: Deadline, read_at_most: int | None = None) -> QueryResult:
    kind, payload = answer[:1], answer[1:]
    if kind == b"A":
        return AskResult(payload == b"1")
    if kind == b"G":
        triples = ox.parse(payload, ox.RdfFormat.N_TRIPLES) if payload else ()
        read = itertools.islice((quad.triple for quad in triples), read_at_most)
        return GraphResult(tuple(checked(read, deadline)))
    solutions = ox.parse_query_results(payload, ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    return _result(solutions, deadline, read_at_most)


def _run_update(store: MxStore, sparql: str) -> UpdateResult:
    # Updates run in-process: a child's writes would not reach this process's
    # view of the store. They are only allowed on an explicitly writable store.
    before = len(store)
    try:
        store.oxigraph.update(sparql, prefixes=PREFIXES)
    except SyntaxError as error:
        raise query_syntax_error(sparql, error) from None
    except OSError as error:
        raise MxGraphError(f"update failed: {error}") from None
    return UpdateResult(before, len(store))


#: Update forms (an update given to the query command is refused by the check first).
_UPDATE_FORMS = (
    *("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE"),
    *("DROP", "ADD", "MOVE", "COPY", "WITH"),
)

_POSITION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]")


def query_syntax_error(sparql: str, error: SyntaxError) -> QuerySyntaxError:
    """Turn Oxigraph's "error at 3:17: expected one of ..." into a one-line message.

    Oxigraph counts columns in bytes; the message counts characters.

    >>> try:
    ...     ox.Store().query("SELECT ?x\\nWHERE { ?x ?p ?o } LIMIT x")
    ... except SyntaxError as e:
    ...     print(query_syntax_error("SELECT ?x\\nWHERE { ?x ?p ?o } LIMIT x", e))
    SPARQL syntax error at line 2, column 26 (near "x"): expected one of HAVING, OFFSET, ...
    """
    message = str(error)
    unknown_form = _unknown_form(sparql)
    if unknown_form is not None:
        return unknown_form
    match = _POSITION.match(message)
    if match is None:
        return QuerySyntaxError(f"SPARQL syntax error: {' '.join(message.split())}")
    line, byte_column, detail = int(match[1]), int(match[2]), match[3]
    lines = sparql.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    column = len(text.encode()[: byte_column - 1].decode(errors="ignore")) + 1
    summary = _summarize(detail)
    if "Prefix not found" in detail:
        prefix = _prefix_before(text[: column - 1])
        if prefix is not None:
            column = text[: column - 1].rindex(prefix + ":") + 1
            known = ", ".join(sorted(PREFIXES))
            summary = (
                f"undeclared prefix {prefix}: (declare it with PREFIX {prefix}: <...>, or use "
                f"one of mxgraph's: {known})"
            )
    near = text[column - 1 : column + 19].strip()
    where = f"line {line}, column {column}" + (f' (near "{near}")' if near else "")
    return QuerySyntaxError(f"SPARQL syntax error at {where}: {summary}")


_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK", *_UPDATE_FORMS}
_DIRECTIVE = re.compile(
    r"\s*(?:#[^\n]*\n\s*)*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*(?:#[^\n]*\n\s*)*)*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")


def _unknown_form(sparql: str) -> QuerySyntaxError | None:
    """An error at the query's first word when it is no query form (``SELEC ?x``): Oxigraph
    reports where it gave up trying the forms, further on."""
    start = _DIRECTIVE.match(sparql)
    offset = start.end() if start else 0
    word = _WORD.match(sparql, offset)
    if word is None or word[0].upper() in _FORMS or word[0].upper() in ("PREFIX", "BASE"):
        return None
    line = sparql.count("\n", 0, offset) + 1
    column = offset - (sparql.rfind("\n", 0, offset) + 1) + 1
    import difflib

    close = difflib.get_close_matches(word[0].upper(), sorted(_FORMS), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return QuerySyntaxError(
        f'SPARQL syntax error at line {line}, column {column} (near "{word[0]}"): '
        f"expected SELECT, CONSTRUCT, DESCRIBE or ASK{hint}"
    )


def _prefix_before(text: str) -> str | None:
    """The prefix of the last prefixed name in ``text`` (where Oxigraph stopped)."""
    found = re.findall(r"(?<![\w:<])([A-Za-z][\w.-]*|):[\w.-]*", text)
    return found[-1] if found else None


def _summarize(detail: str) -> str:
    """Drop character classes from Oxigraph's expected-token list and keep it short."""
    detail = " ".join(_CHAR_CLASS.sub("", detail).split())
    if not detail.startswith("expected"):
        return detail
    head, _, rest = detail.partition(" one of ")
    items = [item.strip() for item in (rest or head.removeprefix("expected")).split(",")]
    items = [item for item in items if item and item != "[_]"]
    if "Prefix not found" in items:
        return "undeclared prefix (declare it with PREFIX or use one of mxgraph's prefixes)"
    if not items:
        return "unexpected input"
    shown = ", ".join(items[:8]) + (", ..." if len(items) > 8 else "")
    return f"expected {'one of ' if len(items) > 1 else ''}{shown}"


@dataclass(frozen=True)
class NamedQuery:
    """A bundled query: its file's name without ``.rq``, header fields and text."""

    name: str
    title: str
    question: str
    description: str
    sparql: str = field(repr=False)
    path: Path | None = field(default=None, repr=False, compare=False)


_HEADER = re.compile(r"^#\s*(title|question|description)\s*:\s*(.*)$", re.IGNORECASE)


def parse_named_query(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Read the ``# title:``, ``# question:`` and ``# description:`` header of a query.

    >>> parse_named_query("n", "# title: Count\\n# question: How many?\\nSELECT * {}").title
    'Count'
    """
    fields = {"title": "", "question": "", "description": ""}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            fields[match[1].lower()] = match[2].strip()
    return NamedQuery(name, sparql=text, path=path, **fields)


def list_named_queries(folder: Path | None = None) -> list[NamedQuery]:
    """The named queries in ``folder`` (default: the bundled ones), sorted by name.

    >>> isinstance(list_named_queries(), list)
    True
    """
    folder = resources.queries_dir() if folder is None else folder
    return [
        parse_named_query(path.stem, path.read_text(encoding="utf-8"), path)
        for path in sorted(folder.glob("*.rq"))
    ]


def load_named_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name``; an unknown name lists the known ones.

    >>> load_named_query("no-such-query", Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: unknown named query 'no-such-query'; available: (none)
    """
    queries = {query.name: query for query in list_named_queries(folder)}
    if name in queries:
        return queries[name]
    available = ", ".join(queries) or "(none)"
    raise MxGraphError(f"unknown named query {name!r}; available: {available}")


_LANG_LITERAL = re.compile(r'^"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$', re.DOTALL)
_TYPED_LITERAL = re.compile(r'^"(.*)"\^\^(.+)$', re.DOTALL)
_CURIE = re.compile(r"^([A-Za-z][\w\-.]*):([^\s<>\"{}|^`\\]*)$")


def parse_term(text: str) -> Term:
    """A value given on the command line as an RDF term.

    ``<iri>`` and ``prefix:local`` (a known prefix) are IRIs, ``"text"@lang``
    and ``"text"^^datatype`` are literals with a language or datatype, and
    anything else is a plain string literal, taken verbatim.

    >>> parse_term("mxd:Mexico")
    <NamedNode value=https://w3id.org/mxgraph/id/Mexico>
    >>> parse_term('"México"@es')
    <Literal value=México language=es>
    >>> parse_term('x" } #')
    <Literal value=x" } # datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    >>> parse_term("<http://ex.org/a b>")
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: not a valid RDF term: <http://ex.org/a b> (Invalid IRI ...)
    """
    try:
        if text.startswith("<") and text.endswith(">"):
            return ox.NamedNode(text[1:-1])
        match = _CURIE.match(text)
        if match and match[1] in PREFIXES:
            return ox.NamedNode(PREFIXES[match[1]] + match[2])
        match = _LANG_LITERAL.match(text)
        if match:
            return ox.Literal(match[1], language=match[2])
        match = _TYPED_LITERAL.match(text)
        if match:
            datatype = parse_term(match[2])
            if not isinstance(datatype, ox.NamedNode):
                raise MxGraphError(f"not a datatype IRI: {match[2]}")
            return ox.Literal(match[1], datatype=datatype)
    except ValueError as error:
        raise MxGraphError(f"not a valid RDF term: {text} ({error})") from None
    return ox.Literal(text)


def parse_binding(text: str) -> tuple[str, Term]:
    """``NAME=VALUE`` from ``--bind`` as a variable name and a term (see :func:`parse_term`).

    >>> parse_binding("country=mxd:Mexico")
    ('country', <NamedNode value=https://w3id.org/mxgraph/id/Mexico>)
    """
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise MxGraphError(f"--bind expects NAME=VALUE, got {text!r}")
    return name.strip().lstrip("?$"), parse_term(value)
