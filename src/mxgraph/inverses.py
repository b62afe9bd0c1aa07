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

from dataclasses import dataclass

import pyoxigraph as ox

from mxgraph.backend import Source, as_backend

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
