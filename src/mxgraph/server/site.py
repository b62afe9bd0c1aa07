"""What every route of the server shares: one graph, its configuration, and how requests reach it.

A :class:`Site` is made once per server from an opened
:class:`~mxgraph.store.MxStore` and a :class:`ServeConfig`. Routes never
touch the store on the event loop: :meth:`Site.call` runs a blocking function
(a lookup, a query) in a worker thread, bounded by a limiter so a burst of
slow queries cannot take every thread; :meth:`Site.backend` gives each request
its own :class:`~mxgraph.backend.LocalBackend` with a fresh deadline of
``--timeout`` seconds.

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from mxgraph.backend import LocalBackend
from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError
from mxgraph.namespaces import MX, MXD
from mxgraph.query import GraphResult, QueryResult, SelectResult, UpdateResult, run_query
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
    #: How many requests may run queries at once (worker threads).
    workers: int = 8


class Site:
    """The graph a server answers from, and the helpers its routes share."""

    def __init__(self, store: MxStore, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self._limiter: object | None = None

    def backend(self) -> LocalBackend:
        """A backend for one request: its queries share one deadline of ``config.timeout``."""
        return LocalBackend(self.store, Deadline.start(self.config.timeout or None))

    def query(self, sparql: str) -> QueryResult:
        """Run a user's SPARQL query as ``mxgraph query`` does: checked, walled, time-limited.

        Updates, SERVICE and LOAD are refused (:class:`~mxgraph.errors.QueryRefused`);
        past ``config.timeout`` :class:`~mxgraph.errors.QueryTimeout` is raised; an
        answer longer than ``config.max_rows`` raises :class:`ResultTooLarge`.
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
        result = run_query(self.store, sparql, timeout=self.config.timeout or None)
        assert not isinstance(result, UpdateResult)  # updates are refused above
        size = len(result) if isinstance(result, SelectResult | GraphResult) else 0
        if size > self.config.max_rows:
            unit = "rows" if isinstance(result, SelectResult) else "triples"
            raise ResultTooLarge(
                f"the answer has more than {self.config.max_rows:,} {unit} "
                f"(--max-rows {self.config.max_rows}); add a LIMIT or narrow the query"
            )
        return result

    async def call(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run blocking ``fn(*args, **kwargs)`` in a worker thread, off the event loop."""
        import anyio.to_thread

        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.config.workers)
        return await anyio.to_thread.run_sync(
            functools.partial(fn, *args, **kwargs),
            limiter=self._limiter,  # type: ignore[arg-type]
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
