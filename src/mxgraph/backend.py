"""Where lookups send their SPARQL: a small interface, and its implementation on a local store.

Entity lookups (:mod:`mxgraph.resolve`, :mod:`mxgraph.lookup`,
:mod:`mxgraph.paths`) are written as SPARQL SELECT queries run through a
:class:`SparqlBackend`, so the same code can run on a remote endpoint by
implementing :meth:`SparqlBackend.select` there. Values typed by users are
never pasted into query text: they travel as ``bindings``, or as a
``VALUES`` block built by :func:`values_block` from pyoxigraph terms, whose
serialization escapes them.

>>> from mxgraph.namespaces import MXD
>>> from mxgraph.store import open_store
>>> backend = LocalBackend(open_store())
>>> result = backend.select("SELECT ?c ?l { ?c skos:prefLabel ?l }",
...                         {"c": ox.NamedNode(MXD.chile)})
>>> [row[1].value for row in result.rows]
['Chile']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError
from mxgraph.query import SelectResult, Term, run_query, stream_select
from mxgraph.store import MxStore


@runtime_checkable
class SparqlBackend(Protocol):
    """Anything that answers a SPARQL SELECT query, with variables bound to values.

    Every prefix of :data:`mxgraph.namespaces.PREFIXES` may be used undeclared.
    A bound variable must appear in the SELECT clause.
    """

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """The rows answering ``sparql`` with ``bindings`` given before evaluation."""
        ...


class LocalBackend:
    """A :class:`SparqlBackend` over an in-process :class:`~mxgraph.store.MxStore`.

    ``timeout`` (seconds, a :class:`~mxgraph.deadline.Deadline` or ``None``)
    starts one deadline shared by every query run through this backend, so a
    lookup of several queries stops as a whole.

    >>> from mxgraph.store import open_store
    >>> LocalBackend(open_store(bundled=False), timeout=None).select("SELECT * {}").rows
    ((),)
    """

    def __init__(self, store: MxStore, timeout: float | Deadline | None = 30) -> None:
        self.store = store
        self.deadline = timeout if isinstance(timeout, Deadline) else Deadline.start(timeout)

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        """Run a SELECT query on the store (see :func:`mxgraph.query.run_query`)."""
        # A lookup's texts are mxgraph's own with values bound, so without a time
        # limit they run in-process (see run_query).
        result = run_query(
            self.store, sparql, bindings=bindings, timeout=self.deadline, in_process=True
        )
        if not isinstance(result, SelectResult):
            raise MxGraphError("a lookup query must be a SELECT query")
        return result

    def stream(self, sparql: str) -> Iterator[tuple[Term | None, ...]]:
        """The rows of a SELECT query, one at a time as Oxigraph gives them.

        Without a time limit (or on the bundled graph alone) the query runs in
        this process and no row is held but the current one; with one it runs
        in a child that can be stopped (:meth:`select`), and its rows come from
        that answer.
        """
        if self.deadline.at is None or self.store.shipped_only:
            return stream_select(self.store, sparql, self.deadline)
        return iter(self.select(sparql).rows)

    def check_deadline(self) -> None:
        """Raise :class:`~mxgraph.errors.QueryTimeout` once the shared deadline has passed."""
        self.deadline.check()


#: What lookup functions accept: a store (wrapped in a :class:`LocalBackend`) or a backend.
Source = MxStore | SparqlBackend


def as_backend(source: Source) -> SparqlBackend:
    """The backend for ``source``: a store gets a :class:`LocalBackend` without time limit.

    >>> from mxgraph.store import open_store
    >>> isinstance(as_backend(open_store(bundled=False)), LocalBackend)
    True
    """
    if isinstance(source, MxStore):
        return LocalBackend(source, timeout=None)
    return source


def check_deadline(backend: SparqlBackend) -> None:
    """Stop Python-side work (ranking, graph search) when the backend's deadline has passed."""
    check = getattr(backend, "check_deadline", None)
    if callable(check):
        check()


def select_rows(source: Source, sparql: str) -> Iterator[tuple[Term | None, ...]]:
    """The rows answering ``sparql``, one at a time where the backend streams them
    (:meth:`LocalBackend.stream`), else those of :meth:`SparqlBackend.select`.

    >>> from mxgraph.store import open_store
    >>> [row[0].value for row in select_rows(open_store(), "SELECT ?n { VALUES ?n { 1 } }")]
    ['1']
    """
    backend = as_backend(source)
    stream: Callable[[str], Iterator[tuple[Term | None, ...]]] | None = getattr(
        backend, "stream", None
    )
    if stream is not None:
        return stream(sparql)
    return iter(backend.select(sparql).rows)


def is_true(value: Term | None) -> bool:
    """Whether a result value is boolean true.

    ``"1"`` is a lexical form of ``true`` too, and servers without a boolean
    type (Virtuoso answers ``BIND(true AS ?x)`` with the integer 1) send it.

    >>> is_true(ox.Literal(True)), is_true(ox.Literal("1")), is_true(ox.Literal(False))
    (True, True, False)
    """
    return isinstance(value, ox.Literal) and value.value in ("true", "1")


def int_value(term: object) -> int | None:
    """A result value as an int (a count, an offset); None when it is none.

    >>> int_value(ox.Literal(12)), int_value(ox.Literal("twelve")), int_value(None)
    (12, None, None)
    """
    if isinstance(term, ox.Literal):
        try:
            return int(term.value)
        except ValueError:
            return None
    return None


def values_block(variable: str, terms: Iterable[ox.NamedNode | ox.Literal]) -> str:
    """A ``VALUES ?variable { ... }`` block; each term is written in its escaped N-Triples form.

    pyoxigraph refuses IRIs with spaces, quotes or ``>``, and escapes quotes
    and newlines in literals, so the block cannot end early.

    >>> from mxgraph.namespaces import MXD
    >>> values_block("x", [ox.NamedNode(MXD.chile), ox.Literal('a" } #')])
    'VALUES ?x { <https://w3id.org/mxgraph/id/chile> "a\\\\" } #" }'
    """
    if not variable.isidentifier():
        raise ValueError(f"not a variable name: {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(str(term) for term in terms)} }}"
