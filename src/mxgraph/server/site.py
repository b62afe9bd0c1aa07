"""What every route of the server shares: one graph, its configuration, and how requests reach it.

A :class:`Site` is made once per server from an opened
:class:`~mxgraph.store.MxStore` and a :class:`ServeConfig`. Routes never
touch the store on the event loop: :meth:`Site.call` runs a blocking function
(a lookup, a query) in a worker thread, bounded by a limiter so a burst of
slow queries cannot take every thread; :meth:`Site.backend` gives each request
its own :class:`~mxgraph.backend.LocalBackend` with a fresh deadline of
``--timeout`` seconds.

Where queries are evaluated: after :meth:`Site.start` (which ``mxgraph serve``
calls before any thread starts), in the pre-forked, network-walled worker
processes of :mod:`mxgraph.server.pool`, one query at a time each, killed and
replaced at the deadline. Before it (a script, a doctest) each query forks a
walled child of its own, as ``mxgraph query`` does.

What a slow query can delay: user queries (``/sparql``, the query page, the named
queries' pages) run in ``--workers`` processes, and the pages' own lookups (entity
pages, search, the home page) in ``lookup_workers`` processes that no user query
can take, with threads of their own (:data:`PAGE_THREADS`). So however many slow
queries are in flight, an entity page or a search waits only for other pages'
lookups, never for a user's query; only the pages that run a user's query wait
for a user query process, within ``--timeout``.

IRIs and pages: an entity ``https://w3id.org/mxgraph/id/usaid`` is served at
``/id/usaid`` and an ontology term ``https://w3id.org/mxgraph/ontology#Country``
at ``/ontology#Country``. :meth:`Site.link` gives the link a page should use:
the path on this server, or under ``--base-url`` when the IRIs are served from
another base.

>>> from mxgraph.store import open_store
>>> site = Site(open_store(bundled=False), ServeConfig())
>>> site.page_path("https://w3id.org/mxgraph/id/usaid")
'/id/usaid'
>>> site.page_path("https://w3id.org/mxgraph/ontology#Country")
'/ontology#Country'
>>> site.page_path("http://www.wikidata.org/entity/Q96") is None
True
>>> site.iri_for_path("/id/usaid")
'https://w3id.org/mxgraph/id/usaid'
>>> Site(open_store(bundled=False), ServeConfig(base_url="https://example.org/mx/")).link(
...     "https://w3id.org/mxgraph/id/usaid")
'https://example.org/mx/id/usaid'
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

import pyoxigraph as ox

from mxgraph.backend import LocalBackend
from mxgraph.deadline import Deadline, run_in_child
from mxgraph.errors import MxGraphError
from mxgraph.namespaces import MX, MXD
from mxgraph.output import OutputFormat, render_result, serialize_dataset, serialize_triples
from mxgraph.query import (
    NO_DATASET,
    AskResult,
    Dataset,
    GraphResult,
    QueryResult,
    SelectResult,
    Term,
    UpdateResult,
    run_query,
)
from mxgraph.rdf_formats import RdfSyntax
from mxgraph.server.pages_cache import KeptCache
from mxgraph.server.pool import Ticket, WorkerPool
from mxgraph.store import MxStore

T = TypeVar("T")

#: The base every mxgraph IRI starts with; a page's path is the rest of the IRI.
IRI_BASE = "https://w3id.org/mxgraph/"

#: Sent with every response: pages load scripts, styles and images from this server only,
#: submit forms to it only, and cannot be framed; nothing is fetched from another host.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class ResultTooLarge(MxGraphError):
    """A query's answer has more rows (or triples) than ``--max-rows``: refused, never cut."""


class NotAcceptable(MxGraphError):
    """The client accepts no format this kind of answer can be written in."""


class ResultFormat(str, Enum):
    """The SPARQL 1.1 result formats of SELECT and ASK answers, by media type."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"


class GraphFormat(str, Enum):
    """The RDF formats of CONSTRUCT and DESCRIBE answers, by media type."""

    TURTLE = "text/turtle"
    NT = "application/n-triples"
    JSONLD = "application/ld+json"
    XML = "application/rdf+xml"
    TRIG = "application/trig"
    NQ = "application/n-quads"


@dataclass(frozen=True)
class Rendered:
    """A query's answer written out: its media type and bytes."""

    media_type: str
    body: bytes


@dataclass(frozen=True)
class ServeConfig:
    """The options of ``mxgraph serve`` that routes need."""

    host: str = "127.0.0.1"
    port: int = 7878
    #: Seconds each request may spend on queries (0: no limit).
    timeout: float = 30.0
    #: Results with more rows than this are refused with a message, never cut.
    max_rows: int = 100_000
    #: Where the IRIs' pages are served from, e.g. ``https://w3id.org/mxgraph/``;
    #: ``None`` links to this server's own paths.
    base_url: str | None = None
    #: Whether the graph has the entailments of ``--infer`` added.
    infer: bool = False
    #: How many user queries (``/sparql``, the query page) are evaluated at once (worker
    #: processes); they get four times as many threads, so that those waiting for a worker
    #: wait within their own deadline.
    workers: int = 8
    #: Worker processes kept for mxgraph's own lookups (the entity pages, search), which no
    #: user query can take: however many slow user queries are in flight, a page waits only
    #: for other pages' lookups. Pages get threads of their own, :data:`PAGE_THREADS`.
    lookup_workers: int = 2
    #: Bytes of query answers kept for the next request asking the same (0: none kept);
    #: see :attr:`Site.answers`.
    answer_cache: int = 64 * 1024 * 1024


#: Threads for the pages (rendering and waiting for their lookups), apart from the
#: ``4 × workers`` threads of user queries, so a flood of queries cannot take them.
PAGE_THREADS = 16


class Site:
    """The graph a server answers from, and the helpers its routes share."""

    def __init__(self, store: MxStore, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self._limiters: dict[str, object] = {}
        self._pool: WorkerPool | None = None
        self._lookup_pool: WorkerPool | None = None
        #: Answers of user queries already written, by :func:`answer_key`: the served graph
        #: does not change (the store is open read-only), so the same query asked again in
        #: the same format gets the same bytes without a worker. Only answers are kept,
        #: never errors (a time limit depends on the load and on the request's own limit).
        self.answers: KeptCache[AnswerKey, Rendered] = KeptCache(
            4096, config.answer_cache, _answer_weight
        )
        #: Why the server must stop (set when the worker processes are gone for good).
        self.failure: str | None = None

    def start(self) -> None:
        """Fork the worker processes that evaluate queries (call before any thread starts).

        Two pools: ``config.workers`` processes for user queries, and
        ``config.lookup_workers`` kept for the pages' lookups (see :class:`ServeConfig`).

        >>> from mxgraph.store import open_store
        >>> site = Site(open_store(), ServeConfig(workers=2))
        >>> site.start()
        >>> site.pool.size, site.lookup_pool.size, site.query("ASK { mxd:mexico a mx:Country }")
        (2, 2, AskResult(value=True))
        >>> site.close()
        """
        if self._pool is None and hasattr(os, "fork"):
            pools = []
            for size in (self.config.workers, self.config.lookup_workers):
                pool = WorkerPool(
                    functools.partial(_evaluate, self.store),
                    size=size,
                    error_classes=_ERROR_CLASSES,
                )
                pool.start()
                pools.append(pool)
            self._pool, self._lookup_pool = pools
            for pool in pools:
                pool.watch(self._pool_gone)

    def _pool_gone(self) -> None:
        """The process that makes the workers died: record why and stop the server
        (``mxgraph serve`` then exits non-zero, for a supervisor to restart it)."""
        import signal

        self.failure = (
            "the process that makes the query processes died (killed?): "
            "the server stopped; start it again"
        )
        os.kill(os.getpid(), signal.SIGTERM)

    def close(self) -> None:
        """Stop the worker processes (a no-op when :meth:`start` was not called)."""
        for pool in (self._pool, self._lookup_pool):
            if pool is not None:
                pool.close()
        self._pool = self._lookup_pool = None

    @property
    def pool(self) -> WorkerPool | None:
        """The worker processes of user queries, once :meth:`start` has made them."""
        return self._pool

    @property
    def lookup_pool(self) -> WorkerPool | None:
        """The worker processes kept for the pages' lookups, once :meth:`start` has made them."""
        return self._lookup_pool

    def backend(self) -> LocalBackend:
        """A backend for one request: its queries share one deadline of ``config.timeout``."""
        return _SiteBackend(self, Deadline.start(self.config.timeout or None))

    def deadline(self, timeout: float | None = None) -> Deadline:
        """A deadline of ``config.timeout`` seconds, or ``timeout`` if that is shorter.

        >>> from mxgraph.store import open_store
        >>> site = Site(open_store(bundled=False), ServeConfig(timeout=30.0))
        >>> site.deadline(2.5).seconds, site.deadline().seconds, site.deadline(60).seconds
        (2.5, 30.0, 30.0)
        """
        limits = [t for t in (self.config.timeout or None, timeout) if t is not None]
        return Deadline.start(min(limits) if limits else None)

    def query(
        self, sparql: str, *, dataset: Dataset = NO_DATASET, timeout: float | None = None
    ) -> QueryResult:
        """Run a user's SPARQL query as ``mxgraph query`` does: checked, walled, time-limited.

        Updates, SERVICE and LOAD are refused (:class:`~mxgraph.errors.QueryRefused`);
        past ``config.timeout`` (or ``timeout``, if shorter)
        :class:`~mxgraph.errors.QueryTimeout` is raised; an answer longer than
        ``config.max_rows`` raises :class:`ResultTooLarge`. ``dataset`` names the
        graphs to query (the protocol's ``default-graph-uri`` and ``named-graph-uri``).
        Blocking: call it through :meth:`call`.

        >>> from mxgraph.store import open_store
        >>> site = Site(open_store(), ServeConfig(max_rows=2))
        >>> len(site.query("SELECT ?c { ?c a mx:Country } LIMIT 2"))
        2
        >>> site.query("SELECT ?c { ?c a mx:Country }")
        Traceback (most recent call last):
        ...
        mxgraph.server.site.ResultTooLarge: the answer has more than 2 rows (--max-rows 2); ...
        """
        request = _Request("result", sparql, dataset=dataset, max_rows=self.config.max_rows)
        deadline = self.deadline(timeout)
        return _decode_result(self._run(request, deadline), deadline)

    def render(
        self,
        sparql: str,
        result_format: ResultFormat | None,
        graph_format: GraphFormat | None,
        *,
        dataset: Dataset = NO_DATASET,
        timeout: float | None = None,
        ticket: Ticket | None = None,
    ) -> Rendered:
        """Run a user's query as :meth:`query` does and write its answer for an HTTP client.

        SELECT and ASK answers are written in ``result_format``, CONSTRUCT and DESCRIBE
        answers in ``graph_format``; when the one the answer needs is ``None`` (the client
        accepts none), :class:`NotAcceptable` is raised naming the formats there are.
        The answer is written in the worker process, so the server only passes bytes on.
        Cancelling ``ticket`` (the client went away) stops the query's worker.

        >>> from mxgraph.store import open_store
        >>> site = Site(open_store(), ServeConfig())
        >>> site.render("ASK { mxd:mexico a mx:Country }", ResultFormat.JSON, None).body
        b'{"head": {}, "boolean": true}\\n'
        >>> site.render("CONSTRUCT WHERE { mxd:mexico a ?c }", ResultFormat.JSON, None)
        Traceback (most recent call last):
        ...
        mxgraph.server.site.NotAcceptable: a CONSTRUCT or DESCRIBE answer is RDF: ...
        """
        key = answer_key(sparql, result_format, graph_format, dataset)
        kept = self.answers.get(key)
        if kept is not None:
            return kept
        keep = not changes_each_time(sparql)
        request = _Request(
            "render",
            sparql,
            dataset=dataset,
            max_rows=self.config.max_rows,
            result_format=result_format.value if result_format else None,
            graph_format=graph_format.value if graph_format else None,
        )
        answer = self._run(request, self.deadline(timeout), ticket)
        media_type = (result_format if answer[:1] == b"R" else graph_format) or ResultFormat.JSON
        rendered = Rendered(media_type.value, answer[1:])
        if keep:
            self.answers.put(key, rendered)
        return rendered

    def _run(self, request: _Request, deadline: Deadline, ticket: Ticket | None = None) -> bytes:
        """Evaluate a request in a worker process (or, before :meth:`start`, a child)."""
        payload = request.encode()
        pool = self._lookup_pool if request.op == "select" else self._pool
        if pool is not None:
            return pool.run(payload, deadline, ticket)
        return run_in_child(
            functools.partial(_evaluate, self.store, payload),
            deadline,
            offline=True,
            error_classes=_ERROR_CLASSES,
        )

    async def call(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run blocking ``fn(*args, **kwargs)`` for a page in a thread, off the event loop.

        Pages share :data:`PAGE_THREADS` threads; user queries have their own
        (:meth:`call_query`), so slow queries never leave a page without a thread.
        """
        return await self._in_thread("pages", PAGE_THREADS, fn, *args, **kwargs)

    async def call_query(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run a user query's blocking ``fn(*args, **kwargs)`` in one of ``4 × workers`` threads."""
        return await self._in_thread("queries", 4 * self.config.workers, fn, *args, **kwargs)

    async def _in_thread(
        self, name: str, size: int, fn: Callable[..., T], /, *args: object, **kwargs: object
    ) -> T:
        import anyio.to_thread

        limiter = self._limiters.get(name)
        if limiter is None:
            limiter = self._limiters[name] = anyio.CapacityLimiter(size)
        return await anyio.to_thread.run_sync(
            functools.partial(fn, *args, **kwargs),
            limiter=limiter,  # type: ignore[arg-type]
        )

    def page_path(self, iri: str) -> str | None:
        """The path of ``iri``'s page on this server, or ``None`` when it is not an mxgraph IRI."""
        if iri.startswith(str(MXD)) and len(iri) > len(MXD):
            return "/" + iri[len(IRI_BASE) :]
        if iri.startswith(str(MX)):
            return "/ontology" + iri[len(MX) - 1 :]
        return None

    def iri_for_path(self, path: str) -> str:
        """The IRI a page path stands for (the inverse of :meth:`page_path`)."""
        return IRI_BASE + path.lstrip("/")

    def link(self, iri: str) -> str:
        """The href for ``iri`` on a page: its page here (or under ``--base-url``), else ``iri``."""
        path = self.page_path(iri)
        if path is None:
            return iri
        if self.config.base_url:
            return self.config.base_url.rstrip("/") + path
        return path


#: What makes two requests the same question: the query text, the formats asked for and
#: the dataset (default and named graphs).
AnswerKey = tuple[str, str | None, str | None, tuple[str, ...], tuple[str, ...]]


def answer_key(
    sparql: str,
    result_format: ResultFormat | None,
    graph_format: GraphFormat | None,
    dataset: Dataset = NO_DATASET,
) -> AnswerKey:
    """The key of :attr:`Site.answers` for a query asked in these formats on ``dataset``."""
    return (
        sparql,
        result_format.value if result_format else None,
        graph_format.value if graph_format else None,
        dataset.default_graphs,
        dataset.named_graphs,
    )


def _answer_weight(key: AnswerKey, answer: Rendered) -> int:
    """The bytes an answer kept under ``key`` holds: its body, the query's text and the
    graphs' IRIs (a megabyte of query may have a few bytes of answer), and some overhead."""
    sparql, _, _, default, named = key
    return len(answer.body) + len(sparql) + sum(map(len, (*default, *named))) + 256


#: SPARQL functions whose value differs from one evaluation to the next.
_CHANGING = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def changes_each_time(sparql: str) -> bool:
    """Whether ``sparql`` may call a function whose value differs at each evaluation
    (``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``): its answer is not
    kept. Read from the text, so a name in a string or a comment counts too.

    >>> changes_each_time("SELECT (now() AS ?t) {}"), changes_each_time("SELECT * { ?s ?p ?o }")
    (True, False)
    """
    return _CHANGING.search(sparql) is not None


class _SiteBackend(LocalBackend):
    """A :class:`~mxgraph.backend.LocalBackend` whose queries run in the site's workers."""

    def __init__(self, site: Site, deadline: Deadline) -> None:
        super().__init__(site.store, deadline)
        self.site = site

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a lookup's SELECT query in a worker, within this backend's deadline."""
        request = _Request("select", sparql, bindings=dict(bindings or {}))
        result = _decode_result(self.site._run(request, self.deadline), self.deadline)
        if not isinstance(result, SelectResult):
            raise MxGraphError("a lookup query must be a SELECT query")
        return result


_ERROR_CLASSES: dict[str, type[MxGraphError]] = {
    "ResultTooLarge": ResultTooLarge,
    "NotAcceptable": NotAcceptable,
}


@dataclass(frozen=True)
class _Request:
    """What a worker is asked: ``result`` (a user's query, its typed answer), ``render``
    (a user's query, its answer written for HTTP) or ``select`` (a lookup's query)."""

    op: str
    sparql: str
    bindings: Mapping[str, Term] | None = None
    dataset: Dataset = NO_DATASET
    max_rows: int | None = None
    result_format: str | None = None
    graph_format: str | None = None

    def encode(self) -> bytes:
        # Terms travel in their N-Triples form and are parsed back by the worker.
        return json.dumps(
            {
                "op": self.op,
                "sparql": self.sparql,
                "bindings": {k: str(v) for k, v in (self.bindings or {}).items()},
                "default": list(self.dataset.default_graphs),
                "named": list(self.dataset.named_graphs),
                "max_rows": self.max_rows,
                "result_format": self.result_format,
                "graph_format": self.graph_format,
            }
        ).encode()


def _term(text: str) -> Term:
    """A term from its N-Triples form (a request's binding)."""
    (quad,) = ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(), ox.RdfFormat.N_TRIPLES)
    term: Term = quad.object
    return term


def _evaluate(store: MxStore, payload: bytes) -> bytes:
    """Run in a worker process: answer one request (see :class:`_Request`)."""
    request = json.loads(payload)
    bindings = {name: _term(text) for name, text in request["bindings"].items()}
    dataset = Dataset(tuple(request["default"]), tuple(request["named"]))
    result = run_query(
        store,
        request["sparql"],
        bindings=bindings,
        timeout=None,  # the server kills this process at the deadline
        in_process=True,
        dataset=dataset,
        # One row past the cap tells the answer is too long; the rest is never read.
        read_at_most=None if request["max_rows"] is None else request["max_rows"] + 1,
    )
    assert not isinstance(result, UpdateResult)  # updates are refused by the check
    max_rows = request["max_rows"]
    size = len(result) if isinstance(result, SelectResult | GraphResult) else 0
    if max_rows is not None and size > max_rows:
        unit = "rows" if isinstance(result, SelectResult) else "triples"
        raise ResultTooLarge(
            f"the answer has more than {max_rows:,} {unit} (--max-rows {max_rows}); "
            "add a LIMIT or narrow the query"
        )
    if request["op"] != "render":
        if isinstance(result, AskResult):
            return b"A1" if result.value else b"A0"
        if isinstance(result, GraphResult):
            return b"G" + serialize_triples(result.triples, RdfSyntax.NT)
        # TSV holds every term exactly, and is quick to write and read.
        return b"T" + render_result(result, OutputFormat.TSV)
    if isinstance(result, GraphResult):
        if request["graph_format"] is None:
            raise NotAcceptable(
                "a CONSTRUCT or DESCRIBE answer is RDF: accept one of "
                + ", ".join(f.value for f in GraphFormat)
            )
        return b"G" + serialize_graph(result.triples, GraphFormat(request["graph_format"]))
    if request["result_format"] is None:
        raise NotAcceptable(
            "a SELECT or ASK answer is SPARQL results: accept one of "
            + ", ".join(f.value for f in ResultFormat)
        )
    return b"R" + write_results(result, ResultFormat(request["result_format"]))


def write_results(result: SelectResult | AskResult, result_format: ResultFormat) -> bytes:
    """A SELECT or ASK answer in a SPARQL 1.1 result format.

    CSV, TSV and ASK answers are written by :mod:`mxgraph.output`. Rows are read into
    JSON and XML by Oxigraph's result serializers from mxgraph's TSV, which holds every
    term exactly (RDF 1.2 triple terms too) and is a quarter of the work of writing JSON
    in Python.

    >>> rows = SelectResult(("x",), ((ox.Literal("hola", language="es"),),))
    >>> write_results(rows, ResultFormat.JSON)
    b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"hola",...'
    >>> write_results(AskResult(True), ResultFormat.TSV)
    b'true\\n'
    """
    oxigraph_format = _OXIGRAPH_RESULTS.get(result_format)
    if isinstance(result, AskResult) or oxigraph_format is None:
        own = render_result(result, _RESULT_OUTPUT.get(result_format, OutputFormat.JSON))
        if result_format is ResultFormat.XML:
            return _reserialize(own, ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML)
        return own
    own = render_result(result, OutputFormat.TSV)
    return _reserialize(own, ox.QueryResultsFormat.TSV, oxigraph_format)


#: The result formats Oxigraph writes from mxgraph's TSV (see write_results).
_OXIGRAPH_RESULTS = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
}


def _reserialize(
    data: bytes, source: ox.QueryResultsFormat, target: ox.QueryResultsFormat
) -> bytes:
    """Results in ``source`` format rewritten in ``target`` by Oxigraph."""
    parsed = ox.parse_query_results(data, source)
    return parsed.serialize(format=target) or b""


def serialize_graph(triples: Iterable[ox.Triple], graph_format: GraphFormat) -> bytes:
    """Triples in ``graph_format``, written by mxgraph's serializers (:mod:`mxgraph.output`);
    TriG and N-Quads hold them in the default graph.

    >>> t = ox.Triple(ox.NamedNode(MXD.mexico), ox.NamedNode(MX.partOf), ox.NamedNode(MXD.x))
    >>> serialize_graph([t], GraphFormat.NQ)
    b'<https://w3id.org/mxgraph/id/mexico> <https://w3id.org/mxgraph/ontology#partOf> ...'
    """
    syntax = _GRAPH_SYNTAX[graph_format]
    if graph_format in (GraphFormat.TRIG, GraphFormat.NQ):
        return serialize_dataset(triples, (), syntax)
    return serialize_triples(triples, syntax)


def _decode_result(answer: bytes, deadline: Deadline) -> QueryResult:
    """A worker's ``result`` or ``select`` answer as a typed result."""
    kind, payload = answer[:1], answer[1:]
    if kind == b"A":
        return AskResult(payload == b"1")
    if kind == b"G":
        triples = ox.parse(payload, ox.RdfFormat.N_TRIPLES) if payload else ()
        return GraphResult(tuple(quad.triple for quad in triples))
    solutions = ox.parse_query_results(payload, ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = tuple(v.value for v in solutions.variables)
    rows = tuple(tuple(solution[v] for v in variables) for solution in solutions)
    deadline.check()
    return SelectResult(variables, rows)


#: The RDF syntax of each graph format (mxgraph's serializers, mxgraph.output).
_GRAPH_SYNTAX: dict[GraphFormat, RdfSyntax] = {
    GraphFormat.TURTLE: RdfSyntax.TURTLE,
    GraphFormat.NT: RdfSyntax.NT,
    GraphFormat.JSONLD: RdfSyntax.JSONLD,
    GraphFormat.XML: RdfSyntax.XML,
    GraphFormat.TRIG: RdfSyntax.TRIG,
    GraphFormat.NQ: RdfSyntax.NQ,
}

#: The writer of each result format but XML (mxgraph.output, the W3C SPARQL 1.1 forms).
_RESULT_OUTPUT: dict[ResultFormat, OutputFormat] = {
    ResultFormat.JSON: OutputFormat.JSON,
    ResultFormat.CSV: OutputFormat.CSV,
    ResultFormat.TSV: OutputFormat.TSV,
}
