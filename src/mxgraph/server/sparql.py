"""``/sparql``: the SPARQL 1.1 Protocol endpoint of ``mxgraph serve`` (read-only).

A query comes as ``GET /sparql?query=...``, as a form (``POST``,
``application/x-www-form-urlencoded``) or as the body of a ``POST`` of type
``application/sparql-query``; ``default-graph-uri`` and ``named-graph-uri``
(repeatable) name its dataset. The answer's format is negotiated from the
``Accept`` header (q-values and wildcards) or a ``format`` parameter: SPARQL
JSON, XML, CSV or TSV results for SELECT and ASK; Turtle, N-Triples, JSON-LD,
RDF/XML, TriG or N-Quads for CONSTRUCT and DESCRIBE. ``GET /sparql`` without a
query answers with the SPARQL 1.1 Service Description of the endpoint (Turtle
unless another RDF format is asked for); a browser, which prefers HTML, is sent
to the query page (``/query``, see :mod:`mxgraph.server.pages`).

Every refusal is a 4xx status with a one-line ``text/plain`` message: a syntax
error (400, at its line and column), an update or a SERVICE, LOAD or outside
FROM (400, as ``mxgraph query`` refuses them), a format the client cannot take
(406, listing those there are), an answer past ``--max-rows`` (422), a body
over :data:`MAX_BODY` (413), a URL query string over :data:`MAX_QUERY_STRING`
(414: a long query goes by POST), a wrong content type (415), a malformed request
(400). A query that runs out of time gets 503 and a message, never a cut
answer.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
<ResultFormat.XML: 'application/sparql-results+xml'>
>>> negotiate("text/html", RESULT_TYPES) is None
True
>>> strict_form(b"query=ASK%20%7B%7D&default-graph-uri=x")
[('query', 'ASK {}'), ('default-graph-uri', 'x')]
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox

from mxgraph.errors import (
    MemoryLimitExceeded,
    MxGraphError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
)
from mxgraph.query import Dataset
from mxgraph.server.pool import PoolStopped, Ticket, WorkerDied
from mxgraph.server.site import (
    GraphFormat,
    NotAcceptable,
    Rendered,
    ResultFormat,
    ResultTooLarge,
    Site,
    answer_key,
    serialize_graph,
)
from mxgraph.store import ONTOLOGY_GRAPH

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

F = TypeVar("F")

#: The largest request body taken (a query or a form): 1 MiB.
MAX_BODY = 1 << 20

#: The longest URL query string taken (64 KiB): a longer query goes in a POST body.
MAX_QUERY_STRING = 64 << 10

#: Media types a SELECT or ASK answer can be sent as, the preferred first.
RESULT_TYPES: tuple[tuple[str, ResultFormat], ...] = (
    ("application/sparql-results+json", ResultFormat.JSON),
    ("application/sparql-results+xml", ResultFormat.XML),
    ("text/csv", ResultFormat.CSV),
    ("text/tab-separated-values", ResultFormat.TSV),
    ("application/json", ResultFormat.JSON),
    ("application/xml", ResultFormat.XML),
    ("text/xml", ResultFormat.XML),
)

#: Media types a CONSTRUCT or DESCRIBE answer (or the service description) can be sent as.
GRAPH_TYPES: tuple[tuple[str, GraphFormat], ...] = (
    ("text/turtle", GraphFormat.TURTLE),
    ("application/n-triples", GraphFormat.NT),
    ("application/ld+json", GraphFormat.JSONLD),
    ("application/rdf+xml", GraphFormat.XML),
    ("application/trig", GraphFormat.TRIG),
    ("application/n-quads", GraphFormat.NQ),
    ("application/x-turtle", GraphFormat.TURTLE),
    ("text/plain", GraphFormat.NT),
    ("application/json", GraphFormat.JSONLD),
    ("application/xml", GraphFormat.XML),
    ("text/xml", GraphFormat.XML),
)

#: ``format=`` (or ``output=``) values some clients send instead of an Accept header.
_FORMAT_NAMES: dict[str, tuple[ResultFormat | None, GraphFormat | None]] = {
    "json": (ResultFormat.JSON, GraphFormat.JSONLD),
    "xml": (ResultFormat.XML, GraphFormat.XML),
    "csv": (ResultFormat.CSV, None),
    "tsv": (ResultFormat.TSV, None),
    "turtle": (None, GraphFormat.TURTLE),
    "ttl": (None, GraphFormat.TURTLE),
    "nt": (None, GraphFormat.NT),
    "ntriples": (None, GraphFormat.NT),
    "n-triples": (None, GraphFormat.NT),
    "jsonld": (None, GraphFormat.JSONLD),
    "json-ld": (None, GraphFormat.JSONLD),
    "rdfxml": (None, GraphFormat.XML),
    "rdf": (None, GraphFormat.XML),
    "trig": (None, GraphFormat.TRIG),
    "nq": (None, GraphFormat.NQ),
    "nquads": (None, GraphFormat.NQ),
}


class BadRequest(MxGraphError):
    """A request the endpoint cannot read; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# -- content negotiation -----------------------------------------------------------------


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values (malformed q: 0).

    >>> parse_accept("text/turtle;q=0.9, */*;q=0.1, application/n-triples")
    [('text/turtle', 0.9), ('*/*', 0.1), ('application/n-triples', 1.0)]
    """
    ranges = []
    for item in header.split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        if not media:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The q-value of ``media_type``: that of the most specific range matching it."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for media_range, quality in ranges:
        if media_range == media_type:
            rank = 2
        elif media_range == f"{kind}/*":
            rank = 1
        elif media_range == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            best, specificity = quality, rank
    return best


def negotiate(accept: str | None, offered: Sequence[tuple[str, F]]) -> F | None:
    """The offered format the ``Accept`` header prefers (ties: the first offered), or None.

    No header (or an empty one) accepts anything: the first offered.

    >>> negotiate(None, GRAPH_TYPES)
    <GraphFormat.TURTLE: 'text/turtle'>
    >>> negotiate("application/*;q=0.5, application/ld+json", GRAPH_TYPES)
    <GraphFormat.JSONLD: 'application/ld+json'>
    """
    if not accept or not accept.strip():
        return offered[0][1]
    ranges = parse_accept(accept)
    chosen, best = None, 0.0
    for media_type, value in offered:
        quality = _quality(media_type, ranges)
        if quality > best:
            chosen, best = value, quality
    return chosen


def _requested_formats(
    accept: str | None, format_name: str | None
) -> tuple[ResultFormat | None, GraphFormat | None]:
    """The result and graph formats a request asks for (``format=`` wins over ``Accept``)."""
    if format_name is not None:
        name = format_name.strip().lower()
        if name in _FORMAT_NAMES:
            return _FORMAT_NAMES[name]
        accept = name  # a media type given as format=
    return negotiate(accept, RESULT_TYPES), negotiate(accept, GRAPH_TYPES)


# -- reading requests --------------------------------------------------------------------

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _decode(raw: bytes, what: str) -> str:
    """Percent-decoded UTF-8 text (``+`` is a space), refusing malformed escapes."""
    if _BAD_ESCAPE.search(raw):
        raise BadRequest(
            f"malformed percent-encoding in {what}: '%' must be followed by two hex digits"
        )
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(f"{what} is not UTF-8 once percent-decoded") from None


def strict_form(raw: bytes) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query string or form body, refusing what is malformed.

    (Starlette's own parser keeps ``%zz`` as it is and replaces bytes that are not
    UTF-8, which would run a query other than the one sent.)

    >>> strict_form(b"query=%zz")
    Traceback (most recent call last):
    ...
    mxgraph.server.sparql.BadRequest: malformed percent-encoding in the value of query: ...
    """
    pairs = []
    for item in raw.split(b"&"):
        if not item:
            continue
        name_raw, _, value_raw = item.partition(b"=")
        name = _decode(name_raw, "a parameter name")
        pairs.append((name, _decode(value_raw, f"the value of {name}")))
    return pairs


async def _read_body(request: Request) -> bytes:
    """The request body, refused (413) past :data:`MAX_BODY`.

    A body a little past the limit is read to its end and dropped, so the client gets
    the 413 rather than a connection closed while it writes; one that says it is far
    larger is refused before it is read.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > _DRAIN_LIMIT:
        raise BadRequest(_too_large(int(declared)), 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= MAX_BODY:
            chunks.append(chunk)
        elif size > _DRAIN_LIMIT:
            break
    if size > MAX_BODY:
        raise BadRequest(_too_large(size), 413)
    return b"".join(chunks)


#: A body up to this size is read (and dropped) before a 413, larger ones are not read.
_DRAIN_LIMIT = 16 * MAX_BODY


def _too_large(size: int) -> str:
    return f"the request body ({size:,} bytes or more) is larger than the {MAX_BODY:,} bytes taken"


async def _parameters(request: Request) -> list[tuple[str, str]]:
    """Every parameter of a request: its query string's, then its form's (or its query body)."""
    query_string: bytes = request.scope.get("query_string", b"")
    if len(query_string) > MAX_QUERY_STRING:
        raise BadRequest(
            f"the URL's query string ({len(query_string):,} bytes) is longer than the "
            f"{MAX_QUERY_STRING:,} bytes taken: send a long query by POST (as "
            f"application/sparql-query or a form, up to {MAX_BODY:,} bytes)",
            414,
        )
    params = strict_form(query_string)
    if request.method != "POST":
        return params
    media_type, _, options = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", options, re.IGNORECASE)
    if charset and charset[1].lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii"):
        raise BadRequest(f"the body must be UTF-8, not {charset[1]}", 415)
    if media_type == "application/sparql-update":
        raise BadRequest(_READ_ONLY)
    if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        shown = media_type or "no content type"
        raise BadRequest(
            f"cannot read a POST body of type {shown}: send the query as "
            "application/sparql-query or a form (application/x-www-form-urlencoded)",
            415,
        )
    body = await _read_body(request)
    if media_type == "application/x-www-form-urlencoded":
        return params + strict_form(body)
    try:
        return [*params, ("query", body.decode("utf-8"))]
    except UnicodeDecodeError:
        raise BadRequest("the query is not UTF-8") from None


_READ_ONLY = (
    "this endpoint is read-only: SPARQL updates are refused (load data with "
    "mxgraph load, then serve the store)"
)


def _one(params: Sequence[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise BadRequest(f"the request holds {len(values)} {name} parameters; send one")
    return values[0] if values else None


def _timeout(params: Sequence[tuple[str, str]]) -> float | None:
    """A client's own limit, ``timeout`` in milliseconds (as Virtuoso reads it), in seconds."""
    value = _one(params, "timeout")
    if value is None or not value.strip():
        return None
    try:
        milliseconds = float(value)
    except ValueError:
        raise BadRequest(f"timeout must be a number of milliseconds, not {value!r}") from None
    if not milliseconds > 0:  # also NaN
        raise BadRequest(f"timeout must be a positive number of milliseconds, not {value!r}")
    return milliseconds / 1000


# -- the endpoint ------------------------------------------------------------------------


def _status(error: MxGraphError) -> int:
    if isinstance(error, BadRequest):
        return error.status
    if isinstance(error, NotAcceptable):
        return 406
    if isinstance(error, ResultTooLarge):
        return 422
    if isinstance(error, QueryTimeout | MemoryLimitExceeded | PoolStopped | WorkerDied):
        return 503
    if isinstance(error, QuerySyntaxError | QueryRefused):
        return 400
    # Anything else a user's query can cause (a graph the store does not hold, a query
    # Oxigraph refuses while evaluating): the request's fault, told in the message.
    return 400


#: The command-line advice of mxgraph's refusals ("(use --allow-network)"), which an HTTP
#: client cannot follow.
_CLI_ADVICE = re.compile(r"\s*\((?:use|needs|updates need)\b[^()]*--[a-z-]+[^()]*\)")


def client_message(error: MxGraphError, site: Site, client_timeout: float | None) -> str:
    """``error``'s message for an HTTP client: the CLI's advice (options to pass) becomes
    what holds for this endpoint, and a time limit is named as the client's or the server's.

    >>> from mxgraph.store import open_store
    >>> from mxgraph.server.site import ServeConfig
    >>> site = Site(open_store(bundled=False), ServeConfig(timeout=30))
    >>> client_message(QueryRefused("SERVICE is refused: no (use --allow-network)"), site, None)
    'SERVICE is refused: no (this endpoint is read-only and offline)'
    >>> client_message(QueryTimeout("query stopped after 0.5 s (--timeout)"), site, 0.5)
    'query stopped after 0.5 s (the timeout the request asked for)'
    >>> client_message(QueryTimeout("query stopped after 30 s (--timeout)"), site, None)
    "query stopped after 30 s (the server's time limit)"
    """
    message = str(error)
    if isinstance(error, QueryRefused):
        return _CLI_ADVICE.sub(" (this endpoint is read-only and offline)", message)
    server = site.config.timeout or None
    own = client_timeout is not None and (server is None or client_timeout < server)
    limit = "the timeout the request asked for" if own else "the server's time limit"
    return message.replace("(--timeout)", f"({limit})")


#: Messages are one line of at most this many characters (a syntax error quotes the query).
_MESSAGE_LIMIT = 2000


def _text(message: str, status: int) -> Response:
    from starlette.responses import PlainTextResponse

    line = " ".join(message.split())
    if len(line) > _MESSAGE_LIMIT:
        line = line[: _MESSAGE_LIMIT - 1] + "…"
    return PlainTextResponse(line + "\n", status_code=status)


async def sparql_endpoint(request: Request) -> Response:
    """Answer one request to ``/sparql`` (see the module docstring)."""
    from starlette.responses import RedirectResponse, Response

    site: Site = request.app.state.site
    client_timeout: float | None = None
    if request.method == "OPTIONS":  # a plain one (CORS preflights are answered before)
        return Response(status_code=204, headers={"Allow": _ALLOW})
    if request.method not in ("GET", "HEAD", "POST"):
        response = _text(f"{request.method} is not allowed here: send GET or POST", 405)
        response.headers["Allow"] = _ALLOW
        return response
    from starlette.requests import ClientDisconnect

    try:
        try:
            params = await _parameters(request)
        except ClientDisconnect:
            return _text("the client went away before sending its query", 499)
        if any(key == "update" for key, _ in params):
            raise BadRequest(_READ_ONLY)
        query = _one(params, "query")
        format_name = _one(params, "format") or _one(params, "output")
        accept = request.headers.get("accept")
        if query is None:
            if request.method == "POST":
                raise BadRequest("the request holds no query: send it as the query parameter")
            if format_name is None and _prefers_html(accept):
                # A browser: the query page (mxgraph.server.pages) is the endpoint's HTML face.
                return RedirectResponse("query", status_code=303)  # relative: behind a prefix too
            graph_format = _requested_formats(accept, format_name)[1]
            if graph_format is None:
                raise NotAcceptable(
                    "the service description is RDF: accept one of "
                    + ", ".join(f.value for f in GraphFormat)
                )
            body = await site.call(service_description, site, _endpoint_url(request), graph_format)
            return Response(body, media_type=graph_format.value, headers=_VARY)
        if not query.strip():
            raise BadRequest("the query is empty")
        dataset = Dataset(
            tuple(value for key, value in params if key == "default-graph-uri"),
            tuple(value for key, value in params if key == "named-graph-uri"),
        )
        result_format, graph_format = _requested_formats(accept, format_name)
        client_timeout = _timeout(params)
        # Asked before: the kept answer, without a thread or a worker (Site.answers).
        kept = site.answers.get(answer_key(query, result_format, graph_format, dataset))
        if kept is not None:
            return Response(kept.body, media_type=kept.media_type, headers=_VARY)
        ticket = Ticket()
        answering = asyncio.ensure_future(
            site.call_query(
                site.render,
                query,
                result_format,
                graph_format,
                dataset=dataset,
                timeout=client_timeout,
                ticket=ticket,
            )
        )
        rendered = await _unless_client_leaves(request, answering, ticket)
    except MxGraphError as error:
        return _text(client_message(error, site, client_timeout), _status(error))
    return Response(rendered.body, media_type=rendered.media_type, headers=_VARY)


#: The methods ``/sparql`` answers (HEAD as GET, without the body).
_ALLOW = "GET, HEAD, POST, OPTIONS"

#: Answers depend on the Accept header: caches must keep one per value.
_VARY = {"Vary": "Accept"}


#: How often a client waiting for a slow answer is checked for having gone away (seconds).
_DISCONNECT_POLL = 0.25


async def _unless_client_leaves(
    request: Request, answering: asyncio.Future[Rendered], ticket: Ticket
) -> Rendered:
    """The answer, unless the client disconnects first: then the query's worker is stopped
    (so an abandoned query does not hold a worker until its time limit)."""
    while True:
        done, _ = await asyncio.wait({answering}, timeout=_DISCONNECT_POLL)
        if done:
            return answering.result()
        if await request.is_disconnected():
            ticket.cancel()
            with contextlib.suppress(MxGraphError):
                await answering
            raise BadRequest("the client went away before the answer", 499)


def _prefers_html(accept: str | None) -> bool:
    """Whether ``Accept`` puts HTML above every RDF format of the service description.

    >>> _prefers_html("text/html,application/xhtml+xml,*/*;q=0.8"), _prefers_html(None)
    (True, False)
    """
    if not accept:
        return False
    ranges = parse_accept(accept)
    html = _quality("text/html", ranges)
    return html > 0 and all(html > _quality(media, ranges) for media, _ in GRAPH_TYPES)


def _endpoint_url(request: Request) -> str:
    """The endpoint's own URL, as the service description names it: under ``--base-url``
    when given, else at the address the request reached (the server's own socket address,
    never the client's ``Host`` header, which anyone can set)."""
    site: Site = request.app.state.site
    if site.config.base_url:
        return site.config.base_url.rstrip("/") + "/sparql"
    return endpoint_at(request.scope.get("server"), site)


def endpoint_at(address: tuple[str, int] | None, site: Site) -> str:
    """The URL of ``/sparql`` at a socket ``address`` (IPv6 in brackets), or at the
    configured host and port when the address is unknown.

    >>> from mxgraph.store import open_store
    >>> from mxgraph.server.site import ServeConfig
    >>> site = Site(open_store(bundled=False), ServeConfig())
    >>> endpoint_at(("::1", 8000), site), endpoint_at(None, site)
    ('http://[::1]:8000/sparql', 'http://127.0.0.1:7878/sparql')
    """
    host, port = address or (site.config.host, site.config.port)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"


# -- the service description ---------------------------------------------------------------

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_VOID = "http://rdfs.org/ns/void#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: The W3C format IRIs (http://www.w3.org/ns/formats/) of the formats served.
_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "TriG",
    "N-Quads",
)

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def service_description(site: Site, endpoint: str, graph_format: GraphFormat) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``, in ``graph_format``.

    It names the endpoint, the language (SPARQL 1.1 Query; no update), the result
    formats, and the default dataset: the default graph (every triple) and each
    named graph (each source sentence's, and the ontology's copy) with its size.
    It claims no ``sd:feature``: of those the vocabulary defines, none holds here
    (SERVICE is refused, IRIs are not dereferenced by queries, and the default graph
    holds triples that no named graph does, so it is not their union).

    >>> from mxgraph.store import open_store
    >>> from mxgraph.server.site import ServeConfig
    >>> site = Site(open_store(), ServeConfig())
    >>> text = service_description(site, "http://127.0.0.1:7878/sparql", GraphFormat.TURTLE)
    >>> b"sparql-service-description#SPARQL11Query" in text
    True
    """

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def sd(name: str) -> ox.NamedNode:
        return iri(_SD + name)

    service = iri(endpoint)
    rdf_type = iri(_RDF_TYPE)
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
    ]
    triples += [
        ox.Triple(service, sd("resultFormat"), iri(_FORMATS + name)) for name in _FORMAT_IRIS
    ]
    dataset, default = ox.BlankNode(), ox.BlankNode()
    triples += [
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
        ox.Triple(default, iri(_VOID + "triples"), ox.Literal(len(site.store))),
    ]
    backend = site.backend()
    for name, count in backend.select(_GRAPH_SIZES).rows:
        if not isinstance(name, ox.NamedNode) or not isinstance(count, ox.Literal):
            continue
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, rdf_type, sd("NamedGraph")),
            ox.Triple(named, sd("name"), name),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, rdf_type, sd("Graph")),
            ox.Triple(graph, iri(_VOID + "triples"), ox.Literal(int(count.value))),
        ]
        if name == ONTOLOGY_GRAPH:
            label = "a copy of the ontology's triples"
        else:
            label = "the statements of this source sentence"
        triples.append(
            ox.Triple(
                graph, iri("http://purl.org/dc/terms/description"), ox.Literal(label, language="en")
            )
        )
    return serialize_graph(triples, graph_format)


def routes(site: Site) -> list[BaseRoute]:
    """The ``/sparql`` route, with CORS so a browser client on another origin can query it.

    >>> from mxgraph.store import open_store
    >>> from mxgraph.server.site import ServeConfig
    >>> [route.path for route in routes(Site(open_store(bundled=False), ServeConfig()))]
    ['/sparql']
    """
    from starlette.middleware.cors import CORSMiddleware
    from starlette.routing import Route, request_response

    endpoint = CORSMiddleware(
        request_response(sparql_endpoint),
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        max_age=86400,
    )
    return [Route("/sparql", endpoint)]
