"""SPARQL servers as a backend: queries over the SPARQL 1.1 Protocol, answers as local ones.

:class:`RemoteEndpoint` sends queries with SPARQLWrapper and turns whatever a
server answers (SPARQL JSON, XML, TSV or CSV results; N-Triples, Turtle or
RDF/XML graphs) into the result types of :mod:`mxgraph.query`, so lookups
(:mod:`mxgraph.lookup`, :mod:`mxgraph.resolve`, :mod:`mxgraph.paths`) and the
formatter work on a server exactly as on a local store.

What servers do differently, and what is done about it here:

* Virtuoso answers ``ASK`` with a one-row binding (``__ASK_RETVAL`` = 1): an
  ASK query's single-value row becomes an :class:`~mxgraph.query.AskResult`.
* Virtuoso's JSON marks typed values ``"typed-literal"`` (the pre-1.1 form):
  read as literals with their datatype.
* Servers have no parameter binding: bound values become a ``VALUES`` block
  (:func:`mxgraph.backend.values_block`) at the start of the query's WHERE
  group, written from escaped terms, never from user text.
* Every prefix of :data:`mxgraph.namespaces.PREFIXES` is declared in front of
  the query, since servers know other prefixes or none.
* Partial answers (Virtuoso's "anytime" results: HTTP 206 or the header
  ``X-SQL-State: S1TAT``) are errors rather than silently short tables.

Every request has a timeout (the remaining ``--timeout``, also sent to the
server as ``timeout`` in milliseconds, which Virtuoso honours and others
ignore) and is retried with backoff on connection errors and HTTP 5xx.

>>> endpoint = RemoteEndpoint("http://127.0.0.1:9/sparql", timeout=1, retries=0)
>>> endpoint.select("SELECT * {}")
Traceback (most recent call last):
...
mxgraph.errors.EndpointError: cannot connect to http://127.0.0.1:9/sparql: connection refused ...
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import pyoxigraph as ox

from mxgraph.backend import values_block
from mxgraph.deadline import Deadline, checked, run_in_child
from mxgraph.errors import EndpointError, MxGraphError, QuerySyntaxError, QueryTimeout
from mxgraph.namespaces import sparql_prologue
from mxgraph.query import AskResult, GraphResult, QueryResult, SelectResult, Term, UpdateResult
from mxgraph.safety import _TOKEN, check_query

#: Seconds before the first retry; each further retry waits twice as long.
BACKOFF = 0.25

_RESULT_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.8, text/csv;q=0.7"
)
_GRAPH_ACCEPT = (
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, text/plain;q=0.5"
)
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class HttpAnswer:
    """A server's answer: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, without parameters, in lower case."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


#: The class of the source sentences, whose IRIs name the graphs of the statements they state.
_SENTENCE = "https://w3id.org/mxgraph/ontology#SourceSentence"


def _names_graphs(sparql: str) -> bool:
    """Whether the query has a ``GRAPH`` pattern (the keyword, not a name or IRI holding it).

    >>> _names_graphs("SELECT * { GRAPH ?g { ?s ?p ?o } }")
    True
    >>> _names_graphs("SELECT * { ?graph ?p <x:graph> }")
    False
    """
    from mxgraph.safety import tokenize

    return any(t.kind == "word" and t.text.upper() == "GRAPH" for t in tokenize(sparql))


class RemoteEndpoint:
    """A SPARQL server as a :class:`~mxgraph.backend.SparqlBackend`.

    ``url`` answers queries; ``update_url`` (default: ``url``) takes updates.
    ``graph`` is sent as ``default-graph-uri``, so queries see that graph only;
    a query that holds ``GRAPH`` also gets, as ``named-graph-uri``, the graphs of
    the source sentences that graph describes (the statements' sources, see
    :mod:`mxgraph.provenance`): the SPARQL Protocol gives a query that names a
    default graph no named graphs unless it names them too.
    ``user`` and ``password`` answer basic or digest challenges. ``accept`` is
    the ``Accept`` header of SELECT and ASK queries (any SPARQL result format
    is read). ``timeout``
    (seconds or a :class:`~mxgraph.deadline.Deadline`) is shared by every
    request, like :class:`~mxgraph.backend.LocalBackend`'s.
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        graph: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float | Deadline | None = 30,
        retries: int = 3,
        accept: str = _RESULT_ACCEPT,
    ) -> None:
        for given in (url, update_url):
            if given is not None:
                check_endpoint_url(given)
        self.url = url
        self.update_url = update_url or url
        self.graph = graph
        self.deadline = timeout if isinstance(timeout, Deadline) else Deadline.start(timeout)
        self.retries = retries
        self.accept = accept
        self.has_credentials = user is not None
        # This endpoint's own opener. With a user, digest and basic auth answer the server's
        # challenge (urllib tries digest first); without one a challenge is an HTTP 401 error
        # (urllib's basic handler would raise ValueError on a digest challenge).
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for target in {self.url, self.update_url}:
                passwords.add_password(None, target, user, password or "")
            handlers = [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        self.opener = urllib.request.build_opener(*handlers, _SameServerRedirects())
        self._source_graphs: tuple[str, ...] | None = None

    # -- the SparqlBackend protocol ---------------------------------------------------------

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT query on the server (see :meth:`query`)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, SelectResult):
            raise MxGraphError("a lookup query must be a SELECT query")
        return result

    def check_deadline(self) -> None:
        """Raise :class:`~mxgraph.errors.QueryTimeout` once the shared deadline has passed."""
        self.deadline.check()

    # -- queries and updates ----------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a query; the answer is typed by the query's form, as a local one is."""
        form = query_form(sparql)
        text = with_prefixes(bind_values(sparql, bindings or {}))
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        answer = self._request(text, accept=_GRAPH_ACCEPT if graph_form else self.accept)
        return parse_answer(answer, form, self.url, self.deadline)

    def update(self, sparql: str) -> None:
        """Send a SPARQL update to the update endpoint."""
        self._request(sparql, update=True)
        self._source_graphs = None  # the sentences may have changed

    def source_graphs(self) -> tuple[str, ...]:
        """The named graphs of the source sentences in ``graph`` (read once; none without
        ``graph``, where the server's own dataset applies)."""
        if self.graph is None:
            return ()
        if self._source_graphs is None:
            self._source_graphs = ()  # the query below holds no GRAPH; no recursion
            rows = self.select(f"SELECT DISTINCT ?sentence WHERE {{ ?sentence a <{_SENTENCE}> }}")
            found = {row[0].value for row in rows.rows if isinstance(row[0], ox.NamedNode)}
            self._source_graphs = tuple(sorted(found))
        return self._source_graphs

    def count_triples(self) -> int:
        """The number of triples in the queried graph (``graph``, or the server's default)."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        value = rows[0][0] if rows and rows[0] else None
        if not isinstance(value, ox.Literal):
            raise EndpointError(f"{self.url} did not count its triples")
        return int(value.value)

    # -- HTTP -------------------------------------------------------------------------------

    def graph_store(self, method: str, url: str, data: bytes = b"") -> HttpAnswer:
        """A Graph Store Protocol request (``PUT``, ``POST``, ``HEAD``) sending N-Triples."""
        request = urllib.request.Request(
            url,
            data=data if method in ("PUT", "POST") else None,
            method=method,
            headers={"Content-Type": "application/n-triples"},
        )
        return self._with_retries(url, lambda: request)

    def _request(self, text: str, *, accept: str = "", update: bool = False) -> HttpAnswer:
        """Send ``text`` by the SPARQL 1.1 Protocol (encoded by SPARQLWrapper)."""
        url = self.update_url if update else self.url
        return self._with_retries(url, lambda: self._sparql_request(url, text, accept, update))

    def _with_retries(self, url: str, build: Callable[[], urllib.request.Request]) -> HttpAnswer:
        """Open a request, retrying connection errors and HTTP 5xx with backoff."""
        attempt = 0
        while True:
            self.deadline.check()
            try:
                return self._open(url, build())
            except _Retryable as error:
                remaining = self.deadline.remaining()
                pause = BACKOFF * 2**attempt
                if attempt >= self.retries or (remaining is not None and remaining <= pause):
                    raise error.final from None
                time.sleep(pause)
                attempt += 1

    def _sparql_request(
        self, url: str, text: str, accept: str, update: bool
    ) -> urllib.request.Request:
        """The HTTP request for a query or update, as SPARQLWrapper encodes it."""
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url, updateEndpoint=url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no format=xml parameters: the Accept header decides
        wrapper.setQuery(text)
        # SPARQLWrapper guesses the form from keywords and sends a query as an update when
        # its text holds "INSERT" in a string; the caller knows which it is.
        wrapper.queryType = "INSERT" if update else "SELECT"
        remaining = self.deadline.remaining()
        if remaining is not None and not update:
            # Ask the server to stop a little earlier (milliseconds, as Virtuoso reads it;
            # others ignore it), so its own answer arrives before this request gives up.
            wrapper.addParameter("timeout", str(max(int(remaining * 900), 1)))
        if self.graph is not None and not update:
            wrapper.addDefaultGraph(self.graph)
            if _names_graphs(text):
                for name in self.source_graphs():
                    wrapper.addNamedGraph(name)
        if accept:
            wrapper.addCustomHttpHeader("Accept", accept)
        request: urllib.request.Request = wrapper._createRequest()
        return request

    def _open(self, url: str, request: urllib.request.Request) -> HttpAnswer:
        """Send a request and read the whole answer within the deadline.

        With a time limit the exchange runs in a forked child that is killed at the
        limit (see :mod:`mxgraph.deadline`): a socket timeout bounds each read, not
        the exchange, and a server that sends a byte every half second would
        otherwise hold the request open for ever.
        """
        if self.deadline.at is None:
            return self._exchange(url, request)

        def exchange() -> bytes:
            try:
                return pickle.dumps(("ok", self._exchange(url, request)))
            except _Retryable as error:
                return pickle.dumps(("retry", error.final))
            except MxGraphError as error:
                return pickle.dumps(("error", error))

        try:
            kind, value = pickle.loads(run_in_child(exchange, self.deadline))
        except QueryTimeout:
            raise self._timed_out(url) from None
        if kind == "retry":
            raise _Retryable(value)
        if kind == "error":
            raise value
        answer: HttpAnswer = value
        return answer

    def _exchange(self, url: str, request: urllib.request.Request) -> HttpAnswer:
        """Send a request with this endpoint's opener (its credentials) and the time left."""
        try:
            with self.opener.open(request, timeout=self.deadline.remaining()) as response:
                return HttpAnswer(
                    response.status,
                    {k.lower(): v for k, v in response.getheaders()},
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            raise self._http_failure(url, error, _read(error)) from None
        except TimeoutError:
            raise self._timed_out(url) from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise self._timed_out(url) from None
            raise _Retryable(connection_error(url, reason)) from None
        except (ConnectionError, OSError) as error:
            raise _Retryable(connection_error(url, error)) from None

    def _timed_out(self, url: str) -> QueryTimeout:
        seconds = self.deadline.seconds
        return QueryTimeout(f"{url} did not answer within {seconds:g} s (--timeout)")

    def _http_failure(self, url: str, error: urllib.error.HTTPError, body: bytes) -> Exception:
        code = error.code
        detail = _first_line(body)
        if code in (401, 403):
            hint = (
                "the server refused the credentials; check --user and MXGRAPH_ENDPOINT_PASSWORD"
                if self.has_credentials
                else "the server wants credentials; give --user (password from "
                "MXGRAPH_ENDPOINT_PASSWORD or a prompt)"
            )
            return EndpointError(f"{url}: HTTP {code} {status_phrase(code)}: {hint}")
        if code == 404:
            return EndpointError(
                f"{url}: HTTP 404 Not Found: no SPARQL endpoint at this path "
                "(check the URL, e.g. /sparql or /query)"
            )
        if _is_server_timeout(body):
            return QueryTimeout(f"{url}: the query ran into the server's time limit: {detail}")
        if code == 400:
            return QuerySyntaxError(f"{url} rejected the query (HTTP 400): {detail}")
        message = f"{url}: HTTP {code} {status_phrase(code)}" + (f": {detail}" if detail else "")
        if code >= 500:
            return _Retryable(EndpointError(message))
        return EndpointError(message)


class _Retryable(Exception):
    """A failure worth another try; ``final`` is the error to raise when tries run out."""

    def __init__(self, final: Exception) -> None:
        super().__init__(str(final))
        self.final = final


def status_phrase(code: int) -> str:
    """The standard phrase of an HTTP status (urllib's own reasons read "digest auth failed").

    >>> status_phrase(401), status_phrase(599)
    ('Unauthorized', 'error')
    """
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "error"


def check_endpoint_url(url: str) -> None:
    """Refuse what is not an http(s) URL with a host, and a URL holding credentials.

    >>> check_endpoint_url("http://alice:secret@example.org/sparql")
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: the endpoint URL http://example.org/sparql holds a user name ...
    >>> check_endpoint_url("http://[::1/sparql")
    Traceback (most recent call last):
    ...
    mxgraph.errors.MxGraphError: not a valid endpoint URL: http://[::1/sparql (Invalid IPv6 URL)
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise MxGraphError(f"not a valid endpoint URL: {redact(url)} ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MxGraphError(f"not an http(s) endpoint URL: {redact(url)}")
    if parts.username is not None or parts.password is not None:
        raise MxGraphError(
            f"the endpoint URL {redact(url)} holds a user name or password; give the user with "
            "--user and the password in MXGRAPH_ENDPOINT_PASSWORD (or at the prompt), so it "
            "stays out of shell history and messages"
        )


def redact(url: str) -> str:
    """``url`` without the user name and password it may hold.

    >>> redact("http://alice:secret@example.org:8890/sparql?x=1")
    'http://example.org:8890/sparql?x=1'
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@]*@", "//", url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class _SameServerRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same server, resending the same request.

    urllib's own handler resends a POST answered by 301, 302 or 303 as an empty GET,
    to any host: a query would get another server's unrelated answer.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.hostname, old.port) != (new.scheme, new.hostname, new.port):
            raise EndpointError(
                f"{redact(req.full_url)} redirected the request to another server "
                f"({redact(newurl)}, HTTP {code}); mxgraph follows redirects within the same "
                "server only: give that URL as --endpoint if you trust it"
            )
        if req.get_method() not in ("GET", "HEAD") and code not in (307, 308):
            raise EndpointError(
                f"{redact(req.full_url)} answered HTTP {code} moving the endpoint to "
                f"{redact(newurl)}, which would resend the query without its body; give that "
                "URL as --endpoint"
            )
        return urllib.request.Request(
            newurl,
            data=req.data,
            headers=dict(req.header_items()),
            method=req.get_method(),
            unverifiable=True,
        )


def connection_error(url: str, reason: object) -> EndpointError:
    """A one-line error for a request that reached no server.

    >>> unknown = socket.gaierror(-2, "Name or service not known")
    >>> str(connection_error("http://x.invalid/q", unknown))
    'cannot reach http://x.invalid/q: unknown host x.invalid'
    """
    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(
            f"cannot connect to {url}: connection refused (is the server running?)"
        )
    if isinstance(reason, socket.gaierror):
        return EndpointError(f"cannot reach {url}: unknown host {host}")
    if isinstance(reason, ConnectionResetError):
        return EndpointError(f"{url} closed the connection without an answer")
    return EndpointError(f"cannot reach {url}: {reason}")


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except OSError:
        return b""


def _first_line(body: bytes) -> str:
    """The first non-empty line of an error body, shortened: servers send whole pages."""
    text = body.decode("utf-8", errors="replace")
    text = re.sub(r"<[^>]+>", " ", text) if "<html" in text.lower() else text
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line[:300]
    return ""


def _is_server_timeout(body: bytes) -> bool:
    """Whether an error body says the server's own time limit stopped (or refused) the query."""
    text = body.decode("utf-8", errors="replace").lower()
    marks = ("s1t00", "s1tat", "timed out", "timeout", "estimated execution time")
    return any(mark in text for mark in marks)


def run_remote(
    endpoint: RemoteEndpoint,
    sparql: str,
    bindings: Mapping[str, Term] | None = None,
    allow_update: bool = False,
) -> QueryResult | UpdateResult:
    """Run a user's query (or, with ``allow_update``, update) on a server.

    The server decides what a query may reach (SERVICE, FROM); mxgraph still
    refuses updates and LOAD unless ``allow_update``.
    """
    kind = check_query(sparql, allow_network=True, allow_update=allow_update)
    if kind == "update":
        before = endpoint.count_triples()
        endpoint.update(with_prefixes(sparql))
        return UpdateResult(before, endpoint.count_triples())
    return endpoint.query(sparql, bindings)


# -- query text ------------------------------------------------------------------------------


def with_prefixes(sparql: str) -> str:
    """``sparql`` with mxgraph's prefixes declared in front, on its first line.

    Kept on one line so the server's error messages count lines as the user does.

    >>> with_prefixes("ASK {}").endswith("> ASK {}"), with_prefixes("ASK {}").count("\\n")
    (True, 0)
    """
    return " ".join(sparql_prologue().splitlines()) + " " + sparql


def query_form(sparql: str) -> str:
    """The form of a query: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    >>> query_form("PREFIX ex: <http://ex.org/> # SELECT\\nASK { ?s ex:p 'SELECT' }")
    'ASK'
    """
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup == "word" and match.group().upper() in _QUERY_FORMS:
            return match.group().upper()
    raise MxGraphError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with a ``VALUES`` block for ``bindings`` opening its WHERE group.

    Values are written by :func:`~mxgraph.backend.values_block` from terms, so
    no user text reaches the query unescaped.

    >>> bind_values("SELECT ?l WHERE { ?c rdfs:label ?l }", {"l": ox.Literal('x" } #')})
    'SELECT ?l WHERE { VALUES ?l { "x\\\\" } #" }\\n ?c rdfs:label ?l }'
    """
    if not bindings:
        return sparql
    blocks = []
    for name, value in bindings.items():
        if not isinstance(value, (ox.NamedNode, ox.Literal)):
            raise MxGraphError(f"cannot bind {name!r} on a server: only IRIs and literals")
        try:
            blocks.append(values_block(name.lstrip("?$"), [value]))
        except ValueError:
            raise MxGraphError(f"cannot bind {name!r}: not a SPARQL variable name") from None
    tokens = [(m.lastgroup, m.group(), m.end()) for m in _TOKEN.finditer(sparql)]
    where = next(
        (
            i
            for i, (kind, text, _) in enumerate(tokens)
            if kind == "word" and text.upper() == "WHERE"
        ),
        0,
    )
    brace = next((end for kind, text, end in tokens[where:] if text == "{"), None)
    if brace is None:
        raise MxGraphError("cannot bind values: the query has no WHERE group")
    return sparql[:brace] + " " + " ".join(blocks) + "\n" + sparql[brace:]


# -- answers ---------------------------------------------------------------------------------


def parse_answer(
    answer: HttpAnswer, form: str, url: str, deadline: Deadline | None = None
) -> QueryResult:
    """Turn a server's answer to a query of ``form`` into a typed result.

    >>> virtuoso_ask = HttpAnswer(200, {"content-type": "application/sparql-results+json"},
    ...     b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL":'
    ...     b' {"type": "typed-literal", "datatype": '
    ...     b'"http://www.w3.org/2001/XMLSchema#integer", "value": "1"}}]}}')
    >>> parse_answer(virtuoso_ask, "ASK", "http://x/sparql")
    AskResult(value=True)
    """
    if answer.status == 206 or answer.headers.get("x-sql-state", "").upper() == "S1TAT":
        raise EndpointError(
            f"{url} sent a partial result (HTTP {answer.status}, X-SQL-State "
            f"{answer.headers.get('x-sql-state', '-')}): the query ran into a server limit "
            "(time or rows); narrow it or raise the server's limits"
        )
    if "x-sparql-maxrows" in answer.headers:
        raise EndpointError(
            f"{url} cut the result at {answer.headers['x-sparql-maxrows']} rows (its "
            "ResultSetMaxRows limit): the answer is incomplete; narrow the query or raise the limit"
        )
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            return _parse_graph(answer, url)
        result = _parse_results(answer, url, deadline)
    except (
        SyntaxError,
        ValueError,
        KeyError,
        TypeError,
        UnicodeDecodeError,
        RecursionError,  # JSON nested 100,000 deep
    ) as error:
        raise EndpointError(
            f"{url} sent an answer that is not valid SPARQL results "
            f"({answer.content_type or 'no content type'}): {' '.join(str(error).split())[:200]}"
        ) from None
    if form == "ASK" and isinstance(result, SelectResult):
        return _ask_from_row(result, url)
    return result


def _not_results(answer: HttpAnswer, url: str) -> EndpointError:
    shown = answer.content_type or "no content type"
    return EndpointError(
        f"{url} did not answer with SPARQL results (got {shown}): is this a SPARQL endpoint?"
    )


def _parse_results(
    answer: HttpAnswer, url: str, deadline: Deadline | None = None
) -> SelectResult | AskResult:
    kind = answer.content_type
    if kind in ("application/sparql-results+json", "application/json"):
        return parse_json_results(answer.body, deadline)
    if kind == "text/csv":
        return _parse_csv_results(answer.body, ",", deadline)
    if kind == "text/tab-separated-values" and not answer.body.startswith((b"?", b"$")):
        # Virtuoso's TSV quotes its header ("x", not ?x) and writes IRIs as quoted
        # strings, without language tags: it is as lossy as CSV and read the same way.
        return _parse_csv_results(answer.body, "\t", deadline)
    formats = {
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "application/xml": ox.QueryResultsFormat.XML,
        "text/xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }
    if kind not in formats:
        raise _not_results(answer, url)
    parsed = ox.parse_query_results(answer.body, formats[kind])
    if isinstance(parsed, ox.QueryBoolean):
        return AskResult(bool(parsed))
    if not isinstance(parsed, ox.QuerySolutions):
        raise _not_results(answer, url)
    variables = tuple(v.value for v in parsed.variables)
    rows = (tuple(s[v] for v in variables) for s in parsed)
    return SelectResult(variables, tuple(checked(rows, deadline)))


def parse_json_results(body: bytes, deadline: Deadline | None = None) -> SelectResult | AskResult:
    """SPARQL JSON results, including the pre-1.1 ``typed-literal`` form.

    >>> parse_json_results(b'{"head": {}, "boolean": false}')
    AskResult(value=False)
    """
    document = json.loads(body)
    if "boolean" in document:
        return AskResult(bool(document["boolean"]))
    variables = tuple(document["head"].get("vars", ()))
    blanks: dict[str, ox.BlankNode] = {}
    rows = tuple(
        tuple(_json_term(binding[v], blanks) if v in binding else None for v in variables)
        for binding in checked(document["results"]["bindings"], deadline)
    )
    return SelectResult(variables, rows)


def _json_term(value: dict[str, Any], blanks: dict[str, ox.BlankNode]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        # Server ids (Virtuoso's "nodeID://b1") need not be valid N-Triples ids.
        return blanks.setdefault(value["value"], ox.BlankNode())
    if kind in ("literal", "typed-literal"):
        language = value.get("xml:lang")
        if language:
            return ox.Literal(value["value"], language=language)
        datatype = value.get("datatype")
        if datatype:
            return ox.Literal(value["value"], datatype=ox.NamedNode(datatype))
        return ox.Literal(value["value"])
    if kind == "triple":
        triple = value["value"]
        subject, predicate, object_ = (
            _json_term(triple[part], blanks) for part in ("subject", "predicate", "object")
        )
        return ox.Triple(subject, predicate, object_)  # type: ignore[arg-type]
    raise ValueError(f"unknown term type {kind!r}")


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")


def _parse_csv_results(
    body: bytes, delimiter: str, deadline: Deadline | None = None
) -> SelectResult:
    """SPARQL CSV results, which are lossy: IRI-shaped values become IRIs, the rest strings.

    >>> _parse_csv_results(b'x,y\\r\\nhttp://ex.org/a,"b, c"\\r\\n', ",").rows
    ((<NamedNode value=http://ex.org/a>, <Literal value=b, c datatype=...>),)
    """
    reader = csv.reader(io.StringIO(body.decode("utf-8")), delimiter=delimiter)
    header = next(reader, [])
    blanks: dict[str, ox.BlankNode] = {}

    def term(text: str) -> Term | None:
        if not text:
            return None
        if text.startswith("_:"):
            return blanks.setdefault(text, ox.BlankNode())
        if _IRI.match(text):
            return ox.NamedNode(text)
        return ox.Literal(text)

    rows = (tuple(term(v) for v in row) for row in checked(reader, deadline))
    return SelectResult(tuple(header), tuple(rows))


def _ask_from_row(result: SelectResult, url: str) -> AskResult:
    """An ASK answered as a one-row binding (Virtuoso: ``__ASK_RETVAL`` = 1)."""
    if len(result.variables) == 1 and len(result.rows) <= 1:
        value = result.rows[0][0] if result.rows else None
        if value is None:
            return AskResult(False)
        if isinstance(value, ox.Literal) and value.value.lower() in ("1", "0", "true", "false"):
            return AskResult(value.value.lower() in ("1", "true"))
    raise EndpointError(f"{url} answered an ASK query with rows, not a boolean")


_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def _parse_graph(answer: HttpAnswer, url: str) -> GraphResult:
    rdf_format = _GRAPH_FORMATS.get(answer.content_type)
    if rdf_format is None:
        raise EndpointError(
            f"{url} did not answer with RDF (got {answer.content_type or 'no content type'}): "
            "is this a SPARQL endpoint?"
        )
    quads = ox.parse(answer.body, rdf_format) if answer.body.strip() else ()
    return GraphResult(tuple(dict.fromkeys(quad.triple for quad in quads)))
