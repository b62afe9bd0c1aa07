"""How lookup results are shown: readable sections and stable JSON documents.

Each builder turns a result of a lookup (:mod:`mxgraph.describe`, :mod:`mxgraph.neighbors`,
:mod:`mxgraph.search`, :mod:`mxgraph.stats`) or of :mod:`mxgraph.paths`
into a :class:`~mxgraph.output.Report`, which :func:`mxgraph.output.render_report`
prints as text (``--format table``) or JSON (``--format json``).

JSON documents (stable for scripts; keys are never removed, only added)
------------------------------------------------------------------------

``ref`` below is ``{"label": str, "curie": str, "iri": str}`` (an entity,
relation, class or unit; a node without label has its CURIE as label).
``citation`` is ``{"sentence": ref, "quote": str, "start": int|null,
"end": int|null}`` (offsets in code points into the fact sheet, end exclusive).

``describe``::

    {"entity": ref, "types": [ref], "aliases": [str], "description": str|null,
     "wikidata": [{"id": "Q217072", "iri": str}],
     "attributes": [{"property": ref, "value": str, "datatype": curie|null,
                     "language": str|null}],
     "relations": [{"direction": "out"|"in", "relation": ref, "entity": ref,
                    "sources": [citation], "two_way": bool}],
     "facts": [{"fact": ref, "types": [ref], "role": ref,
                "value": number|null, "lower_bound": number|null,
                "upper_bound": number|null, "ordinal": int|null,
                "unit": ref|null, "currency": str|null, "qualifier": ref|null,
                "qualifier_text": str|null, "per": ref|null, "time": ref|null,
                "links": [{"relation": ref, "entity": ref}],
                "sources": [citation]}],
     "sources": [citation]}

``out`` relations are stated with the entity as subject, ``in`` with it as
object; a link stated both ways is listed once (``two_way`` when its relation is
symmetric, such as cooperates with). A relation's ``sources`` are the sentences that
state it (empty only for
one no sentence states, such as an inferred one); the entity's ``sources`` are
every sentence that mentions it or states one of its relations. A fact's
``role`` is the relation linking it to the entity.

``neighbors``::

    {"entity": ref, "depth": int, "direction": "out"|"in"|"both",
     "relation": ref|null, "type": ref|null,
     "neighbors": [{"depth": int, "from": ref, "direction": "out"|"in",
                    "relation": ref, "entity": ref, "sources": [citation],
                    "two_way": bool}]}

``path``::

    {"from": ref, "to": ref, "length": int|null, "max_length": int|null,
     "truncated": bool,
     "paths": [{"length": int,
                "steps": [{"from": ref, "to": ref,
                           "relations": [{"relation": ref, "direction": "out"|"in",
                                          "sources": [citation]}]}]}],
     "revisits": [ref]}

    (``revisits``: through ``--via``, the entities the paths pass twice when the search
    found no path that visits each entity once.)

``search``::

    {"query": str, "type": ref|null, "limit": int,
     "hits": [{"entity": ref, "score": int,
               "field": "label"|"alias"|"description"|"figure"|"sentence",
               "matched": str, "types": [ref], "sentence": ref|null,
               "spans": [[start, end]]}]}

(``matched`` is the sentence's text for figure and sentence hits; ``spans`` are the
character offsets in ``matched`` of what matched.)

``stats``::

    {"triples": int, "entities": int, "entity_links": int,
     "classes": [{"class": ref, "entities": int}],
     "relations": [{"relation": ref, "uses": int}],
     "top_by_degree": [{"entity": ref, "degree": int, "pagerank": float}],
     "top_by_pagerank": [{"entity": ref, "degree": int, "pagerank": float}]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mxgraph.direction import Direction
from mxgraph.namespaces import WD
from mxgraph.output import Report, Section, highlighted, money, readable_number
from mxgraph.provenance import Citation
from mxgraph.resolve import EntityRef, TermRef

if TYPE_CHECKING:  # each report's lookup module is imported by the command that runs it
    from mxgraph.describe import EntityDescription, Number, QuantitativeFact
    from mxgraph.neighbors import Neighborhood
    from mxgraph.paths import Path, PathResult
    from mxgraph.search import SearchHit, SearchResult
    from mxgraph.stats import Centrality, GraphStats


def arrow(direction: Direction, relation: TermRef, two_way: bool = False) -> str:
    """``—runs→`` for a relation stated from the entity, ``←run by—`` for one stated to it,
    ``←cooperates with→`` for a symmetric one stated both ways.

    >>> arrow(Direction.IN, TermRef.of("http://example.org/p", "launched by"))
    '←launched by—'
    >>> arrow(Direction.OUT, TermRef.of("http://example.org/p", "cooperates with"), True)
    '←cooperates with→'
    """
    if two_way:
        return f"←{relation.label}→"
    if direction is Direction.IN:
        return f"←{relation.label}—"
    return f"—{relation.label}→"


def named(ref: EntityRef | TermRef) -> str:
    """``label (curie)``, or just the CURIE when the label is the CURIE.

    >>> named(EntityRef.of("https://w3id.org/mxgraph/id/chile", "Chile"))
    'Chile (mxd:chile)'
    """
    return ref.curie if ref.label == ref.curie else f"{ref.label} ({ref.curie})"


def number(value: Number) -> str:
    """A number with thousands separators (:func:`~mxgraph.output.readable_number`).

    >>> number(2800000000), number(1.5)
    ('2,800,000,000', '1.5')
    """
    return readable_number(value)


def citation_line(citation: Citation) -> str:
    """``mxd:p19s1 [7911–8190] "quote"``."""
    where = "" if citation.start is None else f" [{citation.start}–{citation.end}]"
    return f'{citation.sentence.curie}{where} "{citation.quote}"'


def cited_ids(sources: tuple[Citation, ...]) -> str:
    """``  [mxd:p21s1, mxd:p21s2]`` after a relation: the sentences that state it.

    >>> from mxgraph.resolve import EntityRef
    >>> cited_ids((Citation(0, 5, EntityRef.of("https://w3id.org/mxgraph/id/p21s2"), "x"),))
    '  [mxd:p21s2]'
    """
    return f"  [{', '.join(c.sentence.curie for c in sources)}]" if sources else ""


def _wikidata_id(iri: str) -> str:
    return iri[len(WD) :] if iri.startswith(WD) else iri


# --- describe ---------------------------------------------------------------------------


def describe_report(description: EntityDescription) -> Report:
    """Sections for ``mxgraph describe`` and its JSON document."""
    d = description
    fields = [("curie", d.entity.curie), ("iri", d.entity.iri)]
    fields += [("type", named(t)) for t in d.types]
    if d.aliases:
        fields.append(("aliases", "; ".join(d.aliases)))
    if d.description:
        fields.append(("description", d.description))
    fields += [("wikidata", f"{_wikidata_id(iri)} <{iri}>") for iri in d.wikidata]
    fields += [
        (a.property.label, a.value + (f" ({a.datatype})" if a.datatype else ""))
        for a in d.attributes
    ]
    sections = [Section(d.entity.label, fields=tuple(fields))]
    if d.relations:
        sections.append(
            Section(
                f"Relations ({len(d.relations)})",
                lines=tuple(
                    f"{arrow(r.direction, r.relation, r.two_way)} {named(r.other)}"
                    f"{cited_ids(r.sources)}"
                    for r in d.relations
                ),
            )
        )
    sections += [_fact_section(f) for f in d.facts]
    if d.sources:
        sections.append(
            Section(f"Sources ({len(d.sources)})", lines=tuple(citation_line(c) for c in d.sources))
        )
    document = {
        "entity": d.entity.to_json(),
        "types": [t.to_json() for t in d.types],
        "aliases": list(d.aliases),
        "description": d.description,
        "wikidata": [{"id": _wikidata_id(iri), "iri": iri} for iri in d.wikidata],
        "attributes": [a.to_json() for a in d.attributes],
        "relations": [r.to_json() for r in d.relations],
        "facts": [f.to_json() for f in d.facts],
        "sources": [c.to_json() for c in d.sources],
    }
    return Report(tuple(sections), document)


def amount(fact: QuantitativeFact) -> str | None:
    """The value or bounds of a fact, with money, unit and time unit, as one readable phrase
    (exact figures are in the JSON).

    >>> from mxgraph.store import open_store
    >>> from mxgraph.describe import describe_entity
    >>> facts = describe_entity(open_store(), "mxd:us-mexico-border").facts
    >>> [amount(f) for f in facts]  # doctest: +NORMALIZE_WHITESPACE
    ['55 ports of entry', '100,000 to under 1,000,000 border crossings per day (hundreds of
    thousands)', '2,000 miles']
    """
    f = fact

    def show(value: Number) -> str:
        return money(value, f.currency) if f.currency else number(value)

    many: Number | None = None
    if f.value is not None:
        text, many = show(f.value), f.value
    elif f.lower_bound is not None and f.upper_bound is not None:
        text, many = f"{show(f.lower_bound)}–{show(f.upper_bound)}", f.upper_bound
    elif f.lower_bound is not None and f.exclusive_upper_bound is not None:
        text = f"{show(f.lower_bound)} to under {show(f.exclusive_upper_bound)}"
        many = f.exclusive_upper_bound
    elif f.exclusive_lower_bound is not None:
        text, many = f"more than {show(f.exclusive_lower_bound)}", f.exclusive_lower_bound
    elif f.lower_bound is not None:
        text, many = f"at least {show(f.lower_bound)}", f.lower_bound
    elif f.exclusive_upper_bound is not None:
        text, many = f"under {show(f.exclusive_upper_bound)}", f.exclusive_upper_bound
    elif f.upper_bound is not None:
        text, many = f"at most {show(f.upper_bound)}", f.upper_bound
    elif f.ordinal is not None:
        text = f"rank {f.ordinal}"
    else:
        return None
    if f.unit:
        text += f" {plural(f.unit.label) if many is not None and many != 1 else f.unit.label}"
    if f.per:
        text += f" per {f.per.label}"
    words = f.qualifier_text
    if words and words.lower() not in text.lower():
        exact = f.value is not None
        text = f"{words} {text}" if exact else f"{text} ({words})"
    return text


#: Units whose plural is not the singular with -s.
_PLURALS = {"person": "people", "percent": "percent", "country": "countries", "day": "days"}


def plural(unit: str) -> str:
    """The plural of a unit's label: its head noun pluralized.

    >>> plural("mile"), plural("port of entry"), plural("person"), plural("border crossing")
    ('miles', 'ports of entry', 'people', 'border crossings')
    """
    head, of, rest = unit.partition(" of ")
    words = head.split(" ")
    last = words[-1]
    if last in _PLURALS:
        words[-1] = _PLURALS[last]
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        words[-1] = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        words[-1] = last + "es"
    else:
        words[-1] = last + "s"
    return " ".join(words) + (of + rest if of else "")


def _fact_section(fact: QuantitativeFact) -> Section:
    fields = [("type", ", ".join(named(t) for t in fact.types)), ("linked by", fact.role.label)]
    shown = amount(fact)
    if shown:
        fields.append(("amount", shown))
    if fact.qualifier or fact.qualifier_text:
        words = f'"{fact.qualifier_text}"' if fact.qualifier_text else ""
        kind = f"({fact.qualifier.label})" if fact.qualifier else ""
        fields.append(("qualifier", " ".join(part for part in (words, kind) if part)))
    if fact.time:
        fields.append(("time", fact.time.label))
    fields += [(link.relation.label, named(link.other)) for link in fact.links]
    fields += [("source", citation_line(c)) for c in fact.sources]
    return Section(f"Fact: {named(fact.fact)}", fields=tuple(fields))


# --- neighbors --------------------------------------------------------------------------


def neighbors_report(neighborhood: Neighborhood, *, sources: bool = False) -> Report:
    """Sections for ``mxgraph neighbors`` and its JSON document; with ``sources`` each
    relation is a line with the sentences that state it under it, instead of a table row."""
    n = neighborhood
    title = f"Neighbors of {named(n.entity)} within {n.depth} step{'s' if n.depth > 1 else ''}"
    filters = [f"direction {n.direction.value}"]
    if n.relation:
        filters.append(f"relation {named(n.relation)}")
    if n.type:
        filters.append(f"type {named(n.type)}")
    summary = (
        f"{len(n.neighbors)} relation{'' if len(n.neighbors) == 1 else 's'} ({', '.join(filters)})"
    )
    rows = tuple(
        (
            str(x.depth),
            x.via.label,
            arrow(x.direction, x.relation, x.two_way),
            x.entity.label,
            x.entity.curie,
        )
        for x in n.neighbors
    )
    if sources:
        lines = [summary]
        for x in n.neighbors:
            lines.append(
                f"{x.depth}  {x.via.label} {arrow(x.direction, x.relation, x.two_way)} "
                f"{named(x.entity)}"
            )
            lines += [f"     {citation_line(c)}" for c in x.sources] or ["     (no source)"]
        section = Section(title, lines=tuple(lines))
    else:
        section = Section(
            title,
            lines=(summary,),
            columns=("depth", "from", "relation", "neighbor", "curie") if rows else (),
            rows=rows,
        )
    document = {
        "entity": n.entity.to_json(),
        "depth": n.depth,
        "direction": n.direction.value,
        "relation": n.relation.to_json() if n.relation else None,
        "type": n.type.to_json() if n.type else None,
        "neighbors": [x.to_json() for x in n.neighbors],
    }
    return Report((section,), document)


# --- path -------------------------------------------------------------------------------


def path_report(result: PathResult, *, sources: bool = False) -> Report:
    """Sections for ``mxgraph path`` and its JSON document; with ``sources`` each path is
    followed by its steps, each with the sentences that state its relations."""
    r = result
    title = f"From {named(r.start)} to {named(r.end)}"
    if r.length is None:
        within = f" within {r.max_length} steps" if r.max_length is not None else ""
        lines: tuple[str, ...] = (f"no path{within}",)
    elif r.length == 0:
        lines = ("the same entity: no path to find",)
    else:
        count = len(r.paths)
        heading = (
            f"{count}{'+' if r.truncated else ''} shortest path{'s' if count != 1 else ''} "
            f"of length {r.length}"
        )
        lines = (heading, *(line for p in r.paths for line in _path_lines(p, sources)))
        if r.revisits:
            passed = ", ".join(ref.label for ref in r.revisits)
            lines += (
                f"note: these pass {passed} twice (the search found no path through it "
                "that visits each entity once)",
            )
    document = {
        "from": r.start.to_json(),
        "to": r.end.to_json(),
        "length": r.length,
        "max_length": r.max_length,
        "truncated": r.truncated,
        "paths": [p.to_json() for p in r.paths],
        "revisits": [ref.to_json() for ref in r.revisits],
    }
    return Report((Section(title, lines=lines),), document)


def _path_lines(path: Path, sources: bool) -> list[str]:
    lines = [path.chain()]
    if sources:
        for step in path.steps:
            lines.append(f"  {step.start.label} {step.arrow()} {step.end.label}")
            cited = sorted({c for r in step.relations for c in r.sources})
            lines += [f"    {citation_line(c)}" for c in cited] or ["    (no source)"]
    return lines


# --- search -----------------------------------------------------------------------------


def search_report(result: SearchResult) -> Report:
    """Sections for ``mxgraph search`` and its JSON document.

    A hit found by a figure or a sentence shows the sentence's id in the table;
    the sentences follow, each once, with what matched highlighted
    (:func:`~mxgraph.output.highlighted`: bold on a terminal, ``«…»`` elsewhere).
    """
    query, hits, type, limit = result.query, result.hits, result.type, result.limit
    title = f"Search {query!r}" + (f" among {named(type)}" if type else "")
    summary = f"{len(hits)} entit{'y' if len(hits) == 1 else 'ies'}"
    if not hits:
        # Say what was read, so an empty answer is not mistaken for a failed search.
        summary += (
            ": no name, alias, description or figure"
            + (f" of {named(type)}" if type else "")
            + ", nor a sentence one cites, matches it"
        )

    def matched(hit: SearchHit) -> str:
        if hit.sentence is not None:
            return hit.sentence.curie
        if hit.field == "label":
            return ""
        import textwrap  # here: only a search's table needs it

        return textwrap.shorten(hit.matched, 60, placeholder="…")

    rows = tuple(
        (
            str(h.score),
            h.entity.label,
            h.entity.curie,
            ", ".join(t.label for t in h.types),
            h.field,
            matched(h),
        )
        for h in hits
    )
    section = Section(
        title,
        lines=(summary,),
        columns=("score", "entity", "curie", "type", "field", "matched") if rows else (),
        rows=rows,
    )
    sentences: dict[str, str] = {}
    for hit in hits:
        if hit.sentence is not None and hit.sentence.curie not in sentences:
            quote = highlighted(hit.matched, hit.spans)
            sentences[hit.sentence.curie] = f'{hit.sentence.curie} "{quote}"'
    document = {
        "query": query,
        "type": type.to_json() if type else None,
        "limit": limit,
        "hits": [h.to_json() for h in hits],
    }
    if not sentences:
        return Report((section,), document)
    return Report((section, Section("Sentences", lines=tuple(sentences.values()))), document)


# --- stats ------------------------------------------------------------------------------


def stats_report(stats: GraphStats) -> Report:
    """Sections for ``mxgraph stats`` and its JSON document."""
    s = stats
    summary = Section(
        "Graph",
        fields=(
            ("triples", number(s.triples)),
            ("entities", number(s.entities)),
            ("entity links", number(s.entity_links)),
        ),
    )
    classes = Section(
        "Entities by class",
        columns=("class", "curie", "entities"),
        rows=tuple((c.type.label, c.type.curie, str(c.entities)) for c in s.classes),
    )
    relations = Section(
        "Relations by use",
        columns=("relation", "curie", "uses"),
        rows=tuple((r.relation.label, r.relation.curie, str(r.uses)) for r in s.relations),
    )

    def central(title: str, ranked: tuple[Centrality, ...]) -> Section:
        rows = tuple(
            (str(i), c.entity.label, c.entity.curie, str(c.degree), f"{c.pagerank:.4f}")
            for i, c in enumerate(ranked, start=1)
        )
        return Section(title, columns=("#", "entity", "curie", "degree", "pagerank"), rows=rows)

    document = {
        "triples": s.triples,
        "entities": s.entities,
        "entity_links": s.entity_links,
        "classes": [{"class": c.type.to_json(), "entities": c.entities} for c in s.classes],
        "relations": [{"relation": r.relation.to_json(), "uses": r.uses} for r in s.relations],
        "top_by_degree": [c.to_json() for c in s.top_by_degree],
        "top_by_pagerank": [c.to_json() for c in s.top_by_pagerank],
    }
    sections = (
        summary,
        central("Most connected (degree)", s.top_by_degree),
        central("Most central (PageRank)", s.top_by_pagerank),
        classes,
        relations,
    )
    return Report(sections, document)
