"""Which sentences of the source state a statement.

The bundled graph keeps each statement in the named graph of every source
sentence that states it (the graph is named by the sentence's IRI), besides
the default graph that plain queries read. So one SPARQL pattern finds the
sources of a statement, on a local store and on any quad store it is pushed to::

    SELECT ?source WHERE { GRAPH ?source { mxd:mexico mx:memberOf mxd:oecd } }

:func:`statement_sources` asks that for many statements at once, and
:func:`citations` reads each sentence's text and offsets.

>>> from mxgraph.store import open_store
>>> from mxgraph.namespaces import MX, MXD
>>> store = open_store()
>>> found = statement_sources(store, [(MXD.mexico, MX.memberOf, MXD.oecd)])
>>> [(c.sentence.curie, c.quote[:40]) for c in found[(MXD.mexico, MX.memberOf, MXD.oecd)]]
[('mxd:p21s2', 'Mexico and the United States belong to a')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from mxgraph.backend import Source, as_backend, int_value, values_block
from mxgraph.resolve import EntityRef

#: A statement between two nodes, as three IRIs (subject, predicate, object).
Statement = tuple[str, str, str]


@dataclass(frozen=True, order=True)
class Citation:
    """A source sentence: its node, the quoted text and its character offsets in the source."""

    start: int | None
    end: int | None
    sentence: EntityRef
    quote: str

    def to_json(self) -> dict[str, object]:
        """``{"sentence": ref, "quote": ..., "start": int|null, "end": int|null}``."""
        return {
            "sentence": self.sentence.to_json(),
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


# The statements are given as VALUES rows; the graph holding each must be a source
# sentence (the ontology's copy in its own named graph is not a source).
_SOURCES_QUERY = """
SELECT ?s ?p ?o ?source WHERE {{
  {values}
  GRAPH ?source {{ ?s ?p ?o }}
  ?source a mx:SourceSentence .
}}"""

# A sentence is a segment of the fact sheet (oa:SpecificResource) with two selectors: the
# quote (oa:exact) and the position (oa:start, oa:end).
_CITATIONS_QUERY = """
SELECT ?sentence ?exact ?start ?end WHERE {{
  {values}
  ?sentence oa:hasSelector ?quote .
  ?quote oa:exact ?exact .
  OPTIONAL {{
    ?sentence oa:hasSelector ?position .
    ?position oa:start ?start ;
              oa:end ?end .
  }}
}}"""

#: Statements per query: a VALUES block of this many rows stays well under servers' limits.
_BATCH = 200


def statement_sources(
    source: Source, statements: Iterable[Statement]
) -> dict[Statement, tuple[Citation, ...]]:
    """The source sentences of each statement, in document order (empty: none cited).

    Statements whose object is a literal are not looked up (give IRIs only).
    """
    wanted = sorted(set(statements))
    backend = as_backend(source)
    found: dict[Statement, set[str]] = {statement: set() for statement in wanted}
    for start in range(0, len(wanted), _BATCH):
        rows = " ".join(
            f"({ox.NamedNode(s)} {ox.NamedNode(p)} {ox.NamedNode(o)})"
            for s, p, o in wanted[start : start + _BATCH]
        )
        sparql = _SOURCES_QUERY.format(values=f"VALUES (?s ?p ?o) {{ {rows} }}")
        for s, p, o, sentence in backend.select(sparql).rows:
            if all(isinstance(term, ox.NamedNode) for term in (s, p, o, sentence)):
                key = (s.value, p.value, o.value)  # type: ignore[union-attr]
                found[key].add(sentence.value)  # type: ignore[union-attr]
    texts = citations(backend, sorted({iri for iris in found.values() for iri in iris}))
    return {
        statement: tuple(sorted(texts[iri] for iri in iris if iri in texts))
        for statement, iris in found.items()
    }


def citations(source: Source, sentences: Sequence[str]) -> dict[str, Citation]:
    """Each sentence's quoted text and offsets, by the sentence's IRI."""
    backend = as_backend(source)
    cited: dict[str, Citation] = {}
    for start in range(0, len(sentences), _BATCH):
        nodes = [ox.NamedNode(iri) for iri in sentences[start : start + _BATCH]]
        sparql = _CITATIONS_QUERY.format(values=values_block("sentence", nodes))
        for sentence, exact, begin, end in backend.select(sparql).rows:
            if isinstance(sentence, ox.NamedNode) and isinstance(exact, ox.Literal):
                cited[sentence.value] = Citation(
                    int_value(begin), int_value(end), EntityRef.of(sentence.value), exact.value
                )
    return cited
