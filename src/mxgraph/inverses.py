"""Links stated both ways: a property and its inverse, or a symmetric property.

The data states "USAID runs the programs" and "the programs are run by USAID",
"Mexico cooperates with Canada" and "Canada cooperates with Mexico": one link
each time, which lookups show once (the first as ``—runs→``, the second as
``←cooperates with→``). :func:`load_inverses` reads which properties pair up
from the ontology (``owl:inverseOf``, ``owl:SymmetricProperty``).

>>> from mxgraph.store import open_store
>>> from mxgraph.namespaces import MX
>>> links = load_inverses(open_store())
>>> links.inverse_of(MX.runs) == MX.runBy, links.is_symmetric(MX.cooperatesWith)
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pyoxigraph as ox

from mxgraph.backend import Source, as_backend

if TYPE_CHECKING:
    from mxgraph.provenance import Citation
    from mxgraph.resolve import TermRef

_PAIRS = """
SELECT ?p ?q ?symmetric WHERE {
  { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p }
  UNION { ?p a owl:SymmetricProperty BIND(?p AS ?q) VALUES ?symmetric { "yes" } }
}"""


@dataclass(frozen=True)
class Inverses:
    """Which properties are each other's inverse, and which are symmetric."""

    inverses: dict[str, str]
    symmetric: frozenset[str]

    def inverse_of(self, predicate: str) -> str | None:
        """The inverse of ``predicate`` (itself if symmetric), or None."""
        if predicate in self.symmetric:
            return predicate
        return self.inverses.get(predicate)

    def is_symmetric(self, predicate: str) -> bool:
        """Whether ``predicate`` is symmetric (the same link either way)."""
        return predicate in self.symmetric


def load_inverses(source: Source) -> Inverses:
    """The ontology's inverse pairs and symmetric properties, as the store or server holds them."""
    inverses: dict[str, str] = {}
    symmetric: set[str] = set()
    for p, q, flag in as_backend(source).select(_PAIRS).rows:
        if isinstance(p, ox.NamedNode) and isinstance(q, ox.NamedNode):
            if isinstance(flag, ox.Literal):
                symmetric.add(p.value)
            else:
                inverses[p.value] = q.value
    return Inverses(inverses, frozenset(symmetric))


class Linked(Protocol):
    """A shown link: its relation, the sentences that state it, whether it runs both ways."""

    @property
    def relation(self) -> TermRef: ...

    @property
    def sources(self) -> tuple[Citation, ...]: ...

    @property
    def two_way(self) -> bool: ...


L = TypeVar("L", bound=Linked)


def one_per_link(
    items: Sequence[L],
    links: Inverses,
    outgoing: Callable[[L], bool],
    key: Callable[[L, str], Hashable],
) -> list[L]:
    """``items`` with each link stated both ways kept once, as its outgoing item.

    ``key(item, predicate)`` identifies the link an item shows, with its relation
    replaced by ``predicate``: an incoming item whose inverse key is an outgoing
    item's key is the same link; its sources join the outgoing item, which is
    marked two-way when the relation is symmetric (``←cooperates with→``).
    """
    index = {key(item, item.relation.iri): i for i, item in enumerate(items) if outgoing(item)}
    kept: list[Any] = list(items)
    dropped: set[int] = set()
    for i, item in enumerate(items):
        inverse = None if outgoing(item) else links.inverse_of(item.relation.iri)
        twin = index.get(key(item, inverse)) if inverse else None
        if twin is None:
            continue
        sources = tuple(sorted(set(kept[twin].sources) | set(item.sources)))
        kept[twin] = replace(kept[twin], sources=sources, two_way=links.is_symmetric(inverse or ""))
        dropped.add(i)
    return [item for i, item in enumerate(kept) if i not in dropped]
