"""Search entities by their names and descriptions, ranked (exact name first).

:func:`search_entities` reads the texts from an on-disk store's word index
(:mod:`mxgraph.search_index`) or, elsewhere, with one SPARQL query whose
store-side regex keeps only texts holding every word searched for; both
score the texts by the same rules (:data:`SCORES`, :func:`match_score`).
The text searched for never enters query syntax except as escaped literal
patterns. Results are frozen dataclasses;
:func:`mxgraph.lookup_format.search_report` renders them.

>>> from mxgraph.store import open_store
>>> search_entities(open_store(), "merida").hits[0].entity.curie
'mxd:merida-initiative'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from mxgraph.backend import (
    LocalBackend,
    Source,
    SparqlBackend,
    as_backend,
    check_deadline,
    values_block,
)
from mxgraph.errors import MxGraphError
from mxgraph.resolve import (
    EntityRef,
    TermRef,
    add_label,
    best_label,
    entity_condition,
    instances_of,
    normalize_name,
    resolve_class,
)


@dataclass(frozen=True)
class SearchHit:
    """An entity matching a search: its score, the field that matched and the matching text."""

    entity: EntityRef
    score: int
    field: str
    matched: str
    types: tuple[TermRef, ...]

    def to_json(self) -> dict[str, object]:
        """``{"entity": ref, "score": n, "field": "label"|"alias"|"description", ...}``."""
        return {
            "entity": self.entity.to_json(),
            "score": self.score,
            "field": self.field,
            "matched": self.matched,
            "types": [t.to_json() for t in self.types],
        }


@dataclass(frozen=True)
class SearchResult:
    """The answer to a search: what was asked, and the hits, best first."""

    query: str
    type: TermRef | None
    limit: int
    hits: tuple[SearchHit, ...]


#: Scores by kind of match; an entity scores its best match.
SCORES = {
    "exact label": 100,
    "exact alias": 95,
    "label prefix": 90,
    "alias prefix": 70,
    "label words": 60,
    "alias words": 55,
    "label substring": 50,
    "alias substring": 45,
    "description words": 30,
    "description substring": 20,
}

# {text_filter} keeps texts holding every word searched for (see _text_filter).
_SEARCH_QUERY = """
SELECT ?e ?field ?text ?label WHERE {{
  {{ ?e skos:prefLabel ?text BIND("label" AS ?field) }}
  UNION {{ ?e skos:altLabel ?text BIND("alias" AS ?field) }}
  UNION {{ ?e dct:description ?text BIND("description" AS ?field) }}
  {text_filter}
  {entity_condition}
  OPTIONAL {{ ?e skos:prefLabel ?label }}
}}"""


def _text_filter(query: str) -> str:
    """A FILTER keeping only texts that contain every word of the normalized ``query``.

    Every kind of match in :func:`match_score` needs each word of the query in
    the text, so the store can drop the other texts. The patterns (from
    :func:`~mxgraph.resolve.name_pattern`, accent and case variants included)
    are written as escaped literals; empty when a word has characters they
    do not cover, so every text is read.
    """
    from mxgraph.resolve import name_pattern

    patterns = [name_pattern(word, anchored=False) for word in _WORD.findall(query)]
    if not patterns or any(p is None for p in patterns):
        return ""
    tests = " && ".join(f"REGEX(LCASE(STR(?text)), {ox.Literal(p)})" for p in patterns if p)
    return f"FILTER({tests})"


_TYPES_QUERY = """
SELECT ?node ?type ?label WHERE {{
  {values}
  ?node a ?type .
  OPTIONAL {{ ?type rdfs:label ?label }}
}}"""

_WORD = re.compile(r"\w+")


def score_rules(field: str) -> tuple[tuple[str, int], ...]:
    """The kinds of match that score in ``field``, in the order they are tried, with scores.

    >>> score_rules("alias")
    (('exact', 95), ('prefix', 70), ('words', 55), ('substring', 45))
    >>> score_rules("description")
    (('words', 30), ('substring', 20))
    """
    kinds = ("words", "substring") if field == "description" else _KINDS
    keys = ((kind, f"exact {field}" if kind == "exact" else f"{field} {kind}") for kind in kinds)
    return tuple((kind, SCORES[key]) for kind, key in keys if key in SCORES)


_KINDS = ("exact", "prefix", "words", "substring")

#: The fields search reads, with their rules (see :func:`score_rules`).
SEARCH_RULES = {field: score_rules(field) for field in ("label", "alias", "description")}


def match_score(query: str, text: str, field: str) -> int:
    """How well the normalized ``query`` matches ``text`` in ``field`` (0: not at all).

    The first kind of match of :func:`score_rules` that holds gives the score;
    :mod:`mxgraph.search_index` applies the same rules in SQLite.

    >>> match_score("merida", "Merida Initiative", "label")
    90
    >>> match_score("merida", "USAID programs under the Merida Initiative", "label")
    60
    >>> match_score("merida", "Mérida", "alias")
    95
    """
    name = normalize_name(text)
    for kind, score in score_rules(field):
        if kind == "exact":
            matched = name == query
        elif kind == "prefix":
            matched = name.startswith(query)
        elif kind == "words":
            wanted = _WORD.findall(query)
            words = set(_WORD.findall(name))
            matched = bool(wanted) and all(w in words for w in wanted)
        else:
            matched = query in name
        if matched:
            return score
    return 0


def search_entities(
    source: Source, text: str, *, type: str | None = None, limit: int = 20
) -> SearchResult:
    """Entities whose labels, aliases or descriptions match ``text``, best first.

    Matching ignores case and accents. Ranking (see :data:`SCORES`): exact
    label > exact alias > label prefix > alias prefix > all words in a label
    or alias > substring of a label or alias > words or substring of a
    description; ties by label. ``type`` keeps entities of that class. An
    entity's hit is its best-scoring text (ties: the smaller text).

    On an on-disk store the texts come from its word index
    (:mod:`mxgraph.search_index`, built first when missing or stale);
    elsewhere the store reads them with one query.

    >>> from mxgraph.store import open_store
    >>> found = search_entities(open_store(), "usaid", limit=3)
    >>> [(h.entity.label, h.score, h.field) for h in found.hits]
    [('U.S. Agency for International Development', 95, 'alias'),
     ('USAID Mexico Page', 90, 'label'),
     ('USAID programs under the Merida Initiative', 90, 'label')]
    """
    backend = as_backend(source)
    query = normalize_name(text)
    if not query:
        raise MxGraphError("search text is empty")
    if limit < 1:
        raise MxGraphError("--limit must be at least 1")
    class_ref = resolve_class(backend, type) if type is not None else None
    found = _indexed_matches(backend, query, None if class_ref else limit)
    if found is None:
        found = _scanned_matches(backend, query)
    check_deadline(backend)
    if class_ref is not None:
        # The class is checked by a second query over the matches: joined into the
        # scan, Virtuoso 7.2 drops rows of a transitive path beside several patterns.
        of_class = instances_of(backend, [ref.iri for ref, *_ in found], class_ref)
        found = [match for match in found if match[0].iri in of_class]
    top = found[:limit]
    types = _types(backend, [ref.iri for ref, *_ in top])
    hits = tuple(
        SearchHit(ref, score, field, matched, types.get(ref.iri, ()))
        for ref, score, field, matched in top
    )
    return SearchResult(text, class_ref, limit, hits)


_Match = tuple[EntityRef, int, str, str]  # entity, score, field, text: one per entity


def _indexed_matches(backend: SparqlBackend, query: str, limit: int | None) -> list[_Match] | None:
    """The ranked matches from an on-disk store's word index; ``None`` when there is none."""
    if not isinstance(backend, LocalBackend) or backend.store.path is None:
        return None
    from mxgraph.search_index import open_search_index

    index = open_search_index(backend.store)
    if index is None:
        return None
    try:
        hits = index.search(query, SEARCH_RULES, limit=limit)
    finally:
        index.close()
    return [(EntityRef.of(h.iri, h.label), h.score, h.field, h.text) for h in hits]


def _scanned_matches(backend: SparqlBackend, query: str) -> list[_Match]:
    """Every entity matching ``query``, ranked, from one query over all names and descriptions."""
    sparql = _SEARCH_QUERY.format(
        entity_condition=entity_condition("e"),
        text_filter=_text_filter(query),
    )
    best: dict[str, tuple[int, str, str]] = {}
    labels: dict[str, list[ox.Literal]] = {}
    for entity, field, name, label in backend.select(sparql).rows:
        if not (
            isinstance(entity, ox.NamedNode)
            and isinstance(field, ox.Literal)
            and isinstance(name, ox.Literal)
        ):
            continue
        if isinstance(label, ox.Literal):
            add_label(labels, entity.value, label)
        score = match_score(query, name.value, field.value)
        if not score:
            continue
        known = best.get(entity.value)
        if known is None or (-score, name.value) < (-known[0], known[2]):
            best[entity.value] = (score, field.value, name.value)
    refs = {iri: EntityRef.of(iri, best_label(labels.get(iri, []))) for iri in best}
    ranked = sorted(best, key=lambda iri: (-best[iri][0], normalize_name(refs[iri].label), iri))
    return [(refs[iri], *best[iri]) for iri in ranked]


def _types(backend: SparqlBackend, iris: Sequence[str]) -> dict[str, tuple[TermRef, ...]]:
    if not iris:
        return {}
    sparql = _TYPES_QUERY.format(values=values_block("node", [ox.NamedNode(i) for i in iris]))
    labels: dict[str, dict[str, list[ox.Literal]]] = {}
    for node, type_, label in backend.select(sparql).rows:
        if isinstance(node, ox.NamedNode) and isinstance(type_, ox.NamedNode):
            found = labels.setdefault(node.value, {}).setdefault(type_.value, [])
            if isinstance(label, ox.Literal):
                found.append(label)
    return {
        node: tuple(sorted(TermRef.of(t, best_label(found)) for t, found in by_type.items()))
        for node, by_type in labels.items()
    }
