"""Search entities by their names, descriptions, figures and the sentences citing them.

:func:`search_entities` reads the texts from an on-disk store's word index
(:mod:`mxgraph.search_index`) or, elsewhere, with SPARQL queries whose
store-side filters keep only texts holding every word searched for (a regex)
or figures equal to the number searched for; both paths score the texts by
the same rules (:data:`SCORES`, :func:`match_score`, :mod:`mxgraph.search_text`:
words by stem, numbers by value). The text searched for never enters query
syntax except as escaped literal patterns and a bound value. Results are
frozen dataclasses; :func:`mxgraph.lookup_format.search_report` renders them.

>>> from mxgraph.store import open_store
>>> search_entities(open_store(), "merida").hits[0].entity.curie
'mxd:merida-initiative'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from mxgraph.namespaces import MX, XSD
from mxgraph.resolve import (
    EntityRef,
    TermRef,
    add_label,
    best_label,
    entity_condition,
    entity_types,
    instances_of,
    normalize_name,
    resolve_class,
)
from mxgraph.search_text import (
    figures,
    highlights,
    literal_figure,
    query_figure,
    query_stems,
    stems_match,
)

if TYPE_CHECKING:
    from mxgraph.search_index import SearchIndex


@dataclass(frozen=True)
class SearchHit:
    """An entity matching a search: its score, the field that matched and the matching text.

    ``field`` is ``label``, ``alias``, ``description``, ``figure`` (a fact whose
    value or bound is the number searched for) or ``sentence`` (a source
    sentence the entity cites). For figures and sentences, ``matched`` is the
    sentence's text and ``sentence`` the sentence. ``spans`` are the
    ``(start, end)`` offsets in ``matched`` of what matched
    (:func:`~mxgraph.search_text.highlights`).
    """

    entity: EntityRef
    score: int
    field: str
    matched: str
    types: tuple[TermRef, ...]
    sentence: EntityRef | None = None
    spans: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, object]:
        """``{"entity": ref, "score": n, "field", "matched", "types", "sentence": ref|null,
        "spans": [[start, end]]}``."""
        return {
            "entity": self.entity.to_json(),
            "score": self.score,
            "field": self.field,
            "matched": self.matched,
            "types": [t.to_json() for t in self.types],
            "sentence": self.sentence.to_json() if self.sentence else None,
            "spans": [list(span) for span in self.spans],
        }


@dataclass(frozen=True)
class SearchResult:
    """The answer to a search: what was asked, and the hits, best first."""

    query: str
    type: TermRef | None
    limit: int
    hits: tuple[SearchHit, ...]


#: Scores by kind of match; an entity scores its best match. An entity found through a
#: sentence it cites (``mx:citation``) scores below every match of its own texts; a
#: sentence matches by its words or its numbers, not by any part of its text (a quote
#: mark would match half the sentences).
SCORES = {
    "exact label": 100,
    "exact alias": 95,
    "label prefix": 90,
    "exact figure": 80,
    "alias prefix": 70,
    "label words": 60,
    "label stems": 57,
    "alias words": 55,
    "alias stems": 52,
    "label substring": 50,
    "alias substring": 45,
    "description words": 30,
    "description stems": 27,
    "description substring": 20,
    "sentence figure": 18,
    "sentence words": 15,
    "sentence stems": 12,
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

# The facts with a figure equal to ?figure (bound to an xsd:decimal): SPARQL compares
# numbers by value, whatever their numeric datatype.
_FIGURE_QUERY = """
SELECT ?e ?text ?label ?figure WHERE {{
  VALUES ?p {{ mx:value mx:lowerBound mx:upperBound mx:exclusiveLowerBound
              mx:exclusiveUpperBound }}
  ?e ?p ?text .
  FILTER(isLiteral(?text) && ?text = ?figure)
  {entity_condition}
  OPTIONAL {{ ?e skos:prefLabel ?label }}
}}"""

# The source sentences holding the words (or, for a number, some digit), with the
# entities citing them.
_SENTENCE_QUERY = """
SELECT ?s ?text ?e ?label WHERE {{
  ?s a mx:SourceSentence ; oa:hasSelector ?selector .
  ?selector oa:exact ?text .
  {text_filter}
  ?e mx:citation ?s .
  {entity_condition}
  OPTIONAL {{ ?e skos:prefLabel ?label }}
}}"""

# The sentences some entities cite: for a fact found by its figure, the one stating it.
_CITED_QUERY = """
SELECT ?e ?s ?text WHERE {{
  {values}
  ?e mx:citation ?s .
  ?s a mx:SourceSentence ; oa:hasSelector ?selector .
  ?selector oa:exact ?text .
}}"""


def _text_filter(query: str) -> str:
    """A FILTER keeping only texts that contain every stem of the normalized ``query``.

    Every kind of match in :func:`match_score` needs each stem of
    :func:`~mxgraph.search_text.query_stems` in the text (a stem is the start
    of its word), so the store can drop the other texts. The patterns (from
    :func:`~mxgraph.resolve.name_pattern`, accent and case variants included)
    are written as escaped literals; empty when a stem has characters they
    do not cover, so every text is read.
    """
    from mxgraph.resolve import name_pattern

    patterns = [name_pattern(stem, anchored=False) for stem in query_stems(query)]
    if not patterns or any(p is None for p in patterns):
        return ""
    tests = " && ".join(f"REGEX(LCASE(STR(?text)), {ox.Literal(p)})" for p in patterns if p)
    return f"FILTER({tests})"


_WORD = re.compile(r"\w+")


def score_rules(field: str) -> tuple[tuple[str, int], ...]:
    """The kinds of match that score in ``field``, in the order they are tried, with scores.

    >>> score_rules("alias")
    (('exact', 95), ('prefix', 70), ('words', 55), ('stems', 52), ('substring', 45))
    >>> score_rules("description"), score_rules("figure")
    ((('words', 30), ('stems', 27), ('substring', 20)), (('exact', 80),))
    """
    kinds = ("words", "stems", "substring") if field in ("description", "sentence") else _KINDS
    keys = ((kind, f"exact {field}" if kind == "exact" else f"{field} {kind}") for kind in kinds)
    return tuple((kind, SCORES[key]) for kind, key in keys if key in SCORES)


_KINDS = ("exact", "prefix", "words", "stems", "substring")

#: The fields of an entity's own texts search reads, with their rules (see :func:`score_rules`).
SEARCH_RULES = {field: score_rules(field) for field in ("label", "alias", "description")}

#: The rules for source sentences (the figure rule applies to the numbers they state).
SENTENCE_RULES = {
    "sentence": score_rules("sentence"),
    "figure": (("exact", SCORES["sentence figure"]),),
}


def match_score(query: str, text: str, field: str) -> int:
    """How well the normalized ``query`` matches ``text`` in ``field`` (0: not at all).

    The first kind of match of :func:`score_rules` that holds gives the score;
    :mod:`mxgraph.search_index` applies the same rules in SQLite. ``words``:
    every word of the query is a word of the text; ``stems``: every stem, joining
    words left out (:func:`~mxgraph.search_text.stems_match`).

    >>> match_score("merida", "Merida Initiative", "label")
    90
    >>> match_score("merida", "USAID programs under the Merida Initiative", "label")
    60
    >>> match_score("merida", "Mérida", "alias")
    95
    >>> match_score("crossings per day", "Legal border crossings each day", "label")
    57
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
        elif kind == "stems":
            matched = stems_match(query, name)
        else:
            matched = query in name
        if matched:
            return score
    return 0


def sentence_score(query: str, figure: str | None, text: str) -> int:
    """How well a source sentence's ``text`` matches: by words (:data:`SENTENCE_RULES`), or
    by stating the number searched for (``figure``, a :func:`~mxgraph.search_text.canonical`
    value), whichever scores more.

    >>> sentence_score("678 billion", "678000000000", "Trade totaled $678 billion.")
    18
    >>> sentence_score("trade", None, "Trade totaled $678 billion.")
    15
    """
    score = match_score(query, text, "sentence")
    if figure is not None and any(value == figure for value, _, _ in figures(text)):
        score = max(score, SCORES["sentence figure"])
    return score


def search_entities(
    source: Source, text: str, *, type: str | None = None, limit: int = 20
) -> SearchResult:
    """Entities whose labels, aliases, descriptions, figures or cited sentences match ``text``.

    Matching ignores case and accents; words match as written, then by stem,
    and a number by value (:mod:`mxgraph.search_text`). Ranking (see
    :data:`SCORES`): exact label > exact alias > label prefix > a fact whose
    figure is the number searched for > alias prefix > all words (then stems) in
    a label or alias > substring of a label or alias > words, stems or substring
    of a description > a sentence the entity cites (stating the number, holding
    the words, then the stems); ties by kind (a group named only as a party and a
    figure after the things they are about), then by label. ``type`` keeps entities of that
    class. An entity's hit is its best-scoring text (ties: the smaller text).
    Sentences are read only when the entities' own texts give fewer than
    ``limit`` hits.

    On an on-disk store the texts come from its word index
    (:mod:`mxgraph.search_index`, built first when missing or stale);
    elsewhere the store reads them with a few queries.

    >>> from mxgraph.store import open_store
    >>> found = search_entities(open_store(), "usaid", limit=3)
    >>> [(h.entity.label, h.score, h.field) for h in found.hits]
    [('U.S. Agency for International Development', 95, 'alias'),
     ('USAID Mexico Page', 90, 'label'),
     ('USAID programs under the Merida Initiative', 90, 'label')]
    >>> hit = search_entities(open_store(), "$2.8 billion", limit=1).hits[0]
    >>> start, end = hit.spans[0]
    >>> hit.entity.curie, hit.field, hit.sentence.curie, hit.matched[start:end]
    ('mxd:fact-merida-appropriation', 'figure', 'mxd:p18s3', '$2.8 billion')
    """
    backend = as_backend(source)
    query = normalize_name(text)
    if not query:
        raise MxGraphError("search text is empty")
    if limit < 1:
        raise MxGraphError("--limit must be at least 1")
    figure = query_figure(text)
    class_ref = resolve_class(backend, type) if type is not None else None
    index = _open_index(backend)
    try:
        if index is not None:
            # As many as _named_first reorders, so the index and the scan rank alike.
            found = _indexed_matches(index, query, figure, None if class_ref else 3 * limit)
        else:
            found = _scanned_matches(backend, query, figure)
        check_deadline(backend)
        found = _of_class(backend, found, class_ref)
        if len(found) < limit:
            own = {match[0].iri for match in found}
            if index is not None:
                wanted = None if class_ref else 3 * limit - len(found)
                cited = _indexed_sentence_matches(index, query, figure, wanted, own)
            else:
                cited = _scanned_sentence_matches(backend, query, figure)
            check_deadline(backend)
            cited = [match for match in cited if match[0].iri not in own]
            found += _of_class(backend, cited, class_ref)
    finally:
        if index is not None:
            index.close()
    top = _named_first(backend, found, limit)[:limit]
    stating = _stating_sentences(backend, [m[0].iri for m in top if m[2] == "figure"], figure)
    types = entity_types(backend, [ref.iri for ref, *_ in top])
    hits = []
    for ref, score, field, matched, sentence in top:
        if field == "figure" and ref.iri in stating:
            sentence, matched = stating[ref.iri]
        hits.append(
            SearchHit(
                ref,
                score,
                field,
                matched,
                types.get(ref.iri, ()),
                EntityRef.of(sentence) if sentence else None,
                highlights(text, matched),
            )
        )
    return SearchResult(text, class_ref, limit, tuple(hits))


#: entity, score, field, text, sentence IRI ("" unless the match is a sentence): one per entity
_Match = tuple[EntityRef, int, str, str, str]


def _of_class(
    backend: SparqlBackend, found: list[_Match], class_ref: TermRef | None
) -> list[_Match]:
    """The matches of entities of the class (all when there is none)."""
    if class_ref is None:
        return found
    # The class is checked by a second query over the matches: joined into the
    # scan, Virtuoso 7.2 drops rows of a transitive path beside several patterns.
    of_class = instances_of(backend, [ref.iri for ref, *_ in found], class_ref)
    return [match for match in found if match[0].iri in of_class]


#: At equal score these come after the organizations, programs, places and topics they are
#: about: a group the source names only as one party ("agencies of the ... Group") and a figure.
_SECONDARY_CLASSES = (MX.ParticipantGroup, MX.QuantitativeFact)


def _named_first(backend: SparqlBackend, found: list[_Match], limit: int) -> list[_Match]:
    """``found`` with, among equal scores, the things themselves before groups and figures.

    Only the first ``3 * limit`` matches are reordered (the rest cannot reach the top
    ``limit`` unless they tie with it), so this costs two queries over a bounded set.
    """
    window = found[: 3 * limit]
    if len(window) < 2:
        return found
    iris = [match[0].iri for match in window]
    secondary: set[str] = set()
    for class_iri in _SECONDARY_CLASSES:
        secondary |= instances_of(backend, iris, TermRef.of(class_iri))
    order = sorted(
        range(len(window)),
        key=lambda i: (-window[i][1], window[i][0].iri in secondary, i),
    )
    return [window[i] for i in order] + found[len(window) :]


def _ranked(
    best: dict[str, tuple[int, str, str, str]], labels: dict[str, str | None]
) -> list[_Match]:
    """Matches ``{iri: (score, field, text, sentence)}`` by score, normalized label, IRI."""
    refs = {iri: EntityRef.of(iri, labels.get(iri)) for iri in best}
    ranked = sorted(best, key=lambda iri: (-best[iri][0], normalize_name(refs[iri].label), iri))
    return [(refs[iri], *best[iri]) for iri in ranked]


def _better(score: int, text: str, sentence: str, known: tuple[int, str, str, str] | None) -> bool:
    """Whether a match beats the best known one: a higher score, then the smaller text."""
    return known is None or (-score, text, sentence) < (-known[0], known[2], known[3])


def _open_index(backend: SparqlBackend) -> SearchIndex | None:
    """An on-disk store's word index; ``None`` elsewhere or when it cannot be had."""
    if not isinstance(backend, LocalBackend) or backend.store.path is None:
        return None
    from mxgraph.search_index import open_search_index

    return open_search_index(backend.store)


def _indexed_matches(
    index: SearchIndex, query: str, figure: str | None, limit: int | None
) -> list[_Match]:
    """The ranked matches of entities' own texts (and figures) from the word index."""
    rules: dict[str, Sequence[tuple[str, int]]] = dict(SEARCH_RULES)
    if figure is not None:
        rules["figure"] = score_rules("figure")
    hits = index.search(query, rules, limit=limit, queries={"figure": figure or ""})
    return [(EntityRef.of(h.iri, h.label), h.score, h.field, h.text, "") for h in hits]


def _indexed_sentence_matches(
    index: SearchIndex,
    query: str,
    figure: str | None,
    limit: int | None,
    exclude: Collection[str],
) -> list[_Match]:
    """The entities citing a matching sentence, ranked, from the word index."""
    rules = SENTENCE_RULES if figure is not None else {"sentence": SENTENCE_RULES["sentence"]}
    hits = index.citing(
        query, rules, queries={"figure": figure or ""}, limit=limit, exclude=exclude
    )
    return [(EntityRef.of(h.iri, h.label), h.score, "sentence", h.text, h.sentence) for h in hits]


def _scanned_matches(backend: SparqlBackend, query: str, figure: str | None) -> list[_Match]:
    """Every entity matching ``query`` by its own texts (and figures), ranked."""
    sparql = _SEARCH_QUERY.format(
        entity_condition=entity_condition("e"),
        text_filter=_text_filter(query),
    )
    best: dict[str, tuple[int, str, str, str]] = {}
    labels: dict[str, list[ox.Literal]] = {}
    for entity, field, name, label in backend.select(sparql).rows:
        if not (
            isinstance(entity, ox.NamedNode)
            and isinstance(field, ox.Literal)
            and isinstance(name, ox.Literal)
        ):
            continue
        add_label(labels, entity.value, label)
        score = match_score(query, name.value, field.value)
        if score and _better(score, name.value, "", best.get(entity.value)):
            best[entity.value] = (score, field.value, name.value, "")
    if figure is not None:
        sparql = _FIGURE_QUERY.format(entity_condition=entity_condition("e"))
        value = ox.Literal(figure, datatype=ox.NamedNode(XSD.decimal))
        score = SCORES["exact figure"]
        for entity, lexical, label, _ in backend.select(sparql, {"figure": value}).rows:
            if isinstance(entity, ox.NamedNode) and isinstance(lexical, ox.Literal):
                add_label(labels, entity.value, label)
                shown = literal_figure(lexical.value) or lexical.value
                if _better(score, shown, "", best.get(entity.value)):
                    best[entity.value] = (score, "figure", shown, "")
    return _ranked(best, {iri: best_label(labels.get(iri, [])) for iri in best})


def _scanned_sentence_matches(
    backend: SparqlBackend, query: str, figure: str | None
) -> list[_Match]:
    """The entities citing a sentence that matches ``query``, ranked, from one query."""
    text_filter = 'FILTER(REGEX(STR(?text), "[0-9]"))' if figure else _text_filter(query)
    sparql = _SENTENCE_QUERY.format(text_filter=text_filter, entity_condition=entity_condition("e"))
    best: dict[str, tuple[int, str, str, str]] = {}
    labels: dict[str, list[ox.Literal]] = {}
    scores: dict[tuple[str, str], int] = {}
    for sentence, text, entity, label in backend.select(sparql).rows:
        if not (
            isinstance(sentence, ox.NamedNode)
            and isinstance(text, ox.Literal)
            and isinstance(entity, ox.NamedNode)
        ):
            continue
        add_label(labels, entity.value, label)
        key = (sentence.value, text.value)
        if key not in scores:
            scores[key] = sentence_score(query, figure, text.value)
        score = scores[key]
        if score and _better(score, text.value, sentence.value, best.get(entity.value)):
            best[entity.value] = (score, "sentence", text.value, sentence.value)
    return _ranked(best, {iri: best_label(labels.get(iri, [])) for iri in best})


def _stating_sentences(
    backend: SparqlBackend, facts: Sequence[str], figure: str | None
) -> dict[str, tuple[str, str]]:
    """For each fact, a sentence it cites, ``(IRI, text)``: one stating ``figure`` if any
    does, else the first by text."""
    if not facts:
        return {}
    sparql = _CITED_QUERY.format(values=values_block("e", [ox.NamedNode(i) for i in facts]))
    found: dict[str, tuple[bool, str, str]] = {}
    for entity, sentence, text in backend.select(sparql).rows:
        if not (
            isinstance(entity, ox.NamedNode)
            and isinstance(sentence, ox.NamedNode)
            and isinstance(text, ox.Literal)
        ):
            continue
        states = any(value == figure for value, _, _ in figures(text.value))
        candidate = (not states, text.value, sentence.value)
        known = found.get(entity.value)
        if known is None or candidate < known:
            found[entity.value] = candidate
    return {entity: (sentence, text) for entity, (_, text, sentence) in found.items()}
