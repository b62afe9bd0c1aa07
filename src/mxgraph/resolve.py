"""Entity resolution: turn what a user typed (IRI, CURIE, label, alias) into one entity.

An **entity** is an IRI with a ``skos:prefLabel`` that is neither a term of
mxgraph's ontology nor a source sentence (see :data:`ENTITY_CONDITION`).
Names are compared after :func:`normalize_name`: accents, case, curly quotes
and dash variants do not matter. The names come from one SPARQL query; the
name a user typed is compared in Python and never enters query text.

>>> from mxgraph.store import open_store
>>> store = open_store()
>>> resolve_entity(store, "Mérida Initiative").curie
'mxd:merida-initiative'
>>> resolve_entity(store, "usaid").label
'U.S. Agency for International Development'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from mxgraph.backend import Source, SparqlBackend, as_backend, is_true, values_block
from mxgraph.errors import AmbiguousEntity, EntityNotFound
from mxgraph.namespaces import MX, MXD, PREFIXES, TIME, curie
from mxgraph.query import Term

#: Classes whose instances are not entities (ontology terms, source sentences).
NON_ENTITY_CLASSES = (
    "mx:SourceSentence, owl:Class, rdfs:Class, owl:ObjectProperty,\n"
    "                       owl:DatatypeProperty, owl:AnnotationProperty, rdf:Property,\n"
    "                       owl:Ontology, skos:ConceptScheme"
)

#: SPARQL keeping ``?e`` only if it is an entity (other variables: :func:`entity_condition`).
#: The classes are listed with IN, not VALUES: Virtuoso drops a query's own VALUES
#: block (the lookups' bound nodes) when a NOT EXISTS inside holds another one.
#: Evaluated per row (``STR`` reads the IRI's text): meant for rows already narrowed
#: down; whole-graph readers use :func:`load_entity_index`, which decides in Python.
ENTITY_CONDITION = f"""
  FILTER(isIRI(?e) && !STRSTARTS(STR(?e), "{MX}"))
  FILTER EXISTS {{ ?e skos:prefLabel ?e_label }}
  FILTER NOT EXISTS {{
    ?e a ?e_meta .
    FILTER(?e_meta IN ({NON_ENTITY_CLASSES}))
  }}
"""


def entity_condition(variable: str) -> str:
    """:data:`ENTITY_CONDITION` for the variable ``?variable`` (a fixed name, never user text).

    >>> "?s a ?s_meta" in entity_condition("s")
    True
    """
    if not re.fullmatch(r"[A-Za-z_]\w*", variable):
        raise ValueError(f"not a variable name: {variable!r}")
    return re.sub(r"\?e(?![A-Za-z0-9])", f"?{variable}", ENTITY_CONDITION)


def graph_node_condition(variable: str) -> str:
    """SPARQL keeping ``?variable`` only if it is a node of the entity graph (a fixed name):
    an entity (:func:`entity_condition`) that is not a time node (see :mod:`mxgraph.paths`).

    >>> "2006/time#" in graph_node_condition("o")
    True
    """
    condition = entity_condition(variable)
    return condition + (
        f"  FILTER NOT EXISTS {{ ?{variable} a ?{variable}_time .\n"
        f'    FILTER(STRSTARTS(STR(?{variable}_time), "http://www.w3.org/2006/time#")) }}\n'
    )


_PUNCTUATION_MAP = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
}
_PUNCTUATION = str.maketrans(_PUNCTUATION_MAP)


def normalize_name(text: str) -> str:
    """A name reduced for comparison: no accents, casefolded, plain quotes and dashes, one space.

    >>> normalize_name("  Mérida\\tINITIATIVE ")
    'merida initiative'
    >>> normalize_name("U.S.–Mexico") == normalize_name("u.s.-mexico")
    True
    >>> normalize_name("Mexico’s")
    "mexico's"
    """
    if text.isascii():  # nothing to decompose (most names; 2 s less per 150,000)
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.translate(_PUNCTUATION).casefold().split())


@dataclass(frozen=True, order=True)
class EntityRef:
    """An entity (or any other node) as lookups show it: label first, then CURIE and IRI.

    >>> EntityRef.of("https://w3id.org/mxgraph/id/chile", "Chile")
    EntityRef(label='Chile', curie='mxd:chile', iri='https://w3id.org/mxgraph/id/chile')
    """

    label: str
    curie: str
    iri: str

    @classmethod
    def of(cls, iri: str, label: str | None = None) -> EntityRef:
        """A reference to ``iri``; without a label its CURIE stands in."""
        short = curie(iri)
        return cls(label if label else short, short, iri)

    def to_json(self) -> dict[str, str]:
        """``{"label": ..., "curie": ..., "iri": ...}``."""
        return {"label": self.label, "curie": self.curie, "iri": self.iri}


@dataclass(frozen=True, order=True)
class TermRef:
    """A vocabulary term (a relation, a class, a unit) with the label people read.

    >>> TermRef.of("https://w3id.org/mxgraph/ontology#rankedAmongPartnersOf")
    TermRef(label='ranked among partners of', curie='mx:rankedAmongPartnersOf', iri='...')
    """

    label: str
    curie: str
    iri: str

    @classmethod
    def of(cls, iri: str, label: str | None = None) -> TermRef:
        """A reference to ``iri``; without a label, words made from its local name stand in."""
        return cls(label if label else humanize(iri), curie(iri), iri)

    def to_json(self) -> dict[str, str]:
        """``{"label": ..., "curie": ..., "iri": ...}``."""
        return {"label": self.label, "curie": self.curie, "iri": self.iri}


_TERM_LABELS_QUERY = "SELECT ?term ?label WHERE {{ {values} ?term rdfs:label ?label }}"


def term_refs(source: Source, iris: Iterable[str]) -> dict[str, TermRef]:
    """Each of ``iris`` (relations, classes) with its ``rdfs:label``, read in one query.

    >>> from mxgraph.store import open_store
    >>> term_refs(open_store(), ["https://w3id.org/mxgraph/ontology#memberOf"]).popitem()[1].label
    'member of'
    """
    found = sorted(set(iris))
    if not found:
        return {}
    values = values_block("term", [ox.NamedNode(iri) for iri in found])
    labels: dict[str, list[ox.Literal]] = {iri: [] for iri in found}
    for term, label in as_backend(source).select(_TERM_LABELS_QUERY.format(values=values)).rows:
        if isinstance(term, ox.NamedNode) and isinstance(label, ox.Literal):
            labels[term.value].append(label)
    return {iri: TermRef.of(iri, best_label(literals)) for iri, literals in labels.items()}


def humanize(iri: str) -> str:
    """Words from the local name of an IRI, for terms without a label.

    >>> humanize("https://w3id.org/mxgraph/ontology#USGovernmentAgency")
    'us government agency'
    >>> humanize("http://www.w3.org/2006/time#unitDay")
    'day'
    """
    local = re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri
    if iri.startswith(TIME) and re.fullmatch(r"unit[A-Z]\w*", local):
        local = local[4:]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", local)
    return " ".join(words.replace("_", " ").split()).lower()


def best_label(labels: Iterable[ox.Literal]) -> str | None:
    """The label to show: English first, then untagged, then any; ties by text.

    >>> best_label([ox.Literal("México", language="es"), ox.Literal("Mexico", language="en")])
    'Mexico'
    >>> best_label([]) is None
    True
    """
    candidates = labels if isinstance(labels, list) else list(labels)
    if len(candidates) == 1:  # the common case, without sorting
        return candidates[0].value
    ranked = sorted(
        candidates,
        key=lambda lit: (lit.language != "en", lit.language not in (None, ""), lit.value),
    )
    return ranked[0].value if ranked else None


def add_label(table: dict[str, list[ox.Literal]], iri: str, label: Term | None) -> None:
    """Add ``label`` (when it is a literal not yet there) to ``iri``'s labels in ``table``.

    >>> table: dict[str, list[ox.Literal]] = {}
    >>> add_label(table, "http://ex.org/a", ox.Literal("A"))
    >>> add_label(table, "http://ex.org/a", ox.Literal("A"))
    >>> add_label(table, "http://ex.org/b", None)
    >>> {iri: [lit.value for lit in labels] for iri, labels in table.items()}
    {'http://ex.org/a': ['A'], 'http://ex.org/b': []}
    """
    found = table.setdefault(iri, [])
    if isinstance(label, ox.Literal) and label not in found:
        found.append(label)


# The class's subclasses first, then the nodes of those types: the subclass path joined
# with the bound nodes (as ``?node a/rdfs:subClassOf* ?class``, or inside FILTER EXISTS)
# made Virtuoso 7.2 drop rows when two or more nodes were bound.
_SUBCLASSES_QUERY = "SELECT ?sub ?class WHERE { ?sub rdfs:subClassOf+ ?class }"

_TYPED_QUERY = """
SELECT ?node WHERE {{
  {nodes}
  {types}
  ?node a ?type .
}}"""


def instances_of(backend: SparqlBackend, iris: Iterable[str], class_ref: TermRef) -> set[str]:
    """Which of ``iris`` are instances of the class (or of its subclasses).

    >>> from mxgraph.backend import LocalBackend
    >>> from mxgraph.store import open_store
    >>> backend = LocalBackend(open_store())
    >>> country = resolve_class(backend, "country")
    >>> sorted(instances_of(backend, [MXD + "mexico", MXD + "merida-initiative"], country))
    ['https://w3id.org/mxgraph/id/mexico']
    """
    unique = set(iris)
    if not unique:
        return set()
    rows = backend.select(_SUBCLASSES_QUERY, {"class": ox.NamedNode(class_ref.iri)}).rows
    classes = {class_ref.iri} | {sub.value for sub, _ in rows if isinstance(sub, ox.NamedNode)}
    sparql = _TYPED_QUERY.format(
        nodes=values_block("node", [ox.NamedNode(i) for i in sorted(unique)]),
        types=values_block("type", [ox.NamedNode(i) for i in sorted(classes)]),
    )
    return {node.value for (node,) in backend.select(sparql).rows if isinstance(node, ox.NamedNode)}


class AmbiguousName(AmbiguousEntity):
    """A name several entities have: the message lists them, with their types when given.

    >>> a, b = (EntityRef.of(f"https://w3id.org/mxgraph/id/{x}", "A") for x in "ab")
    >>> print(AmbiguousName("A", (a, b), {a.iri: (TermRef.of(MX.Country, "country"),)}))
    'A' is ambiguous: it names A (country, mxd:a), A (mxd:b); give the CURIE or IRI of the
    one you mean
    """

    def __init__(
        self,
        text: str,
        candidates: tuple[EntityRef, ...],
        types: dict[str, tuple[TermRef, ...]] | None = None,
    ) -> None:
        self.text, self.candidates = text, candidates

        def named(ref: EntityRef) -> str:
            kinds = ", ".join(t.label for t in (types or {}).get(ref.iri, ()))
            return f"{ref.label} ({kinds + ', ' if kinds else ''}{ref.curie})"

        listed = ", ".join(named(ref) for ref in candidates)
        super().__init__(
            f"{text.strip()!r} is ambiguous: it names {listed}; "
            "give the CURIE or IRI of the one you mean"
        )


_TYPES_QUERY = """
SELECT ?node ?type ?label WHERE {{
  {values}
  ?node a ?type .
  OPTIONAL {{ ?type rdfs:label ?label }}
}}"""


def entity_types(source: Source, iris: Iterable[str]) -> dict[str, tuple[TermRef, ...]]:
    """The classes of each of ``iris`` (those with any), sorted by label.

    >>> from mxgraph.store import open_store
    >>> entity_types(open_store(), [MXD + "border-states", MXD + "fact-border-states"])
    {'https://w3id.org/mxgraph/id/border-states': (TermRef(label='participant group', ...),),
     'https://w3id.org/mxgraph/id/fact-border-states': (TermRef(label='count', ...),)}
    """
    unique = sorted(set(iris))
    if not unique:
        return {}
    backend = as_backend(source)
    sparql = _TYPES_QUERY.format(values=values_block("node", [ox.NamedNode(i) for i in unique]))
    labels: dict[str, dict[str, list[ox.Literal]]] = {}
    for node, type_, label in backend.select(sparql).rows:
        if isinstance(node, ox.NamedNode) and isinstance(type_, ox.NamedNode):
            found = labels.setdefault(node.value, {}).setdefault(type_.value, [])
            if isinstance(label, ox.Literal):
                found.append(label)
    return {
        node: tuple(sorted(TermRef.of(t, best_label(found)) for t, found in by_type.items()))
        for node, by_type in sorted(labels.items())
    }


@dataclass(frozen=True)
class EntityName:
    """One name of an entity: its preferred label or an alias."""

    iri: str
    text: str
    alias: bool
    normalized: str = field(compare=False)


@dataclass(frozen=True)
class EntityIndex:
    """Every entity with its label and names (see :func:`load_entity_index`)."""

    labels: dict[str, str]
    names: tuple[EntityName, ...]

    def ref(self, iri: str) -> EntityRef:
        """The reference for an entity IRI (its CURIE when it is not an entity)."""
        return EntityRef.of(iri, self.labels.get(iri))

    def resolve(self, text: str) -> EntityRef:
        """The entity named ``text`` (preferred label, then alias, then local name of its IRI)."""
        key = normalize_name(text)
        tiers: tuple[set[str], ...] = (
            {n.iri for n in self.names if not n.alias and n.normalized == key},
            {n.iri for n in self.names if n.alias and n.normalized == key},
            {iri for iri in self.labels if _words(_local_name(iri)) == _words(key)},
        )
        for matches in tiers:
            if len(matches) == 1:
                return self.ref(next(iter(matches)))
            if matches:
                raise AmbiguousName(text, tuple(sorted(self.ref(iri) for iri in matches)))
        raise self.not_found(text)

    def suggestions(self, text: str, limit: int = 5) -> list[EntityRef]:
        """Up to ``limit`` entities whose names or CURIEs are closest to ``text`` (difflib)."""
        key = normalize_name(text)
        by_name: dict[str, list[str]] = {}
        for name in self.names:
            by_name.setdefault(name.normalized, []).append(name.iri)
        for iri in self.labels:
            by_name.setdefault(_local_name(iri) or normalize_name(curie(iri)), []).append(iri)
        import difflib  # here: only a name that matches nothing needs it

        close = difflib.get_close_matches(key, list(by_name), n=limit * 3, cutoff=0.6)
        found: list[str] = []
        for name_key in close:
            for iri in sorted(by_name[name_key]):
                if iri not in found:
                    found.append(iri)
        return [self.ref(iri) for iri in found[:limit]]

    def not_found(self, text: str, iri: str | None = None) -> EntityNotFound:
        """The error for an unknown name or IRI, suggesting close matches."""
        what = "no entity named" if iri is None else "no entity with IRI"
        message = f"{what} {text.strip()!r}"
        close = self.suggestions(text if iri is None else re.split(r"[/#:]", iri)[-1])
        if close:
            message += "; did you mean: " + ", ".join(f"{r.label} ({r.curie})" for r in close)
        return EntityNotFound(message)


def _words(name: str | None) -> str | None:
    """A local name or typed name with hyphens read as spaces: ``fact-sheet`` is ``fact sheet``."""
    return None if name is None else " ".join(name.replace("-", " ").split())


def _local_name(iri: str) -> str | None:
    if iri.startswith(MXD):
        return normalize_name(iri[len(MXD) :])
    return None


# The whole-graph index reads names and non-entities with two plain queries and applies
# ENTITY_CONDITION in Python: per row in the store it cost 11 s at 10^6 triples (every
# IRI's text read for STRSTARTS, two EXISTS probes per name), against 3 s this way.
_NAMES_QUERY = """
SELECT ?e ?alias ?name WHERE {
  { ?e skos:prefLabel ?name BIND(false AS ?alias) }
  UNION
  { ?e skos:altLabel ?name BIND(true AS ?alias) }
  FILTER(isIRI(?e))
}"""

_LABELS_QUERY = """
SELECT ?e ?alias ?name WHERE { ?e skos:prefLabel ?name FILTER(isIRI(?e)) }"""

_NON_ENTITIES_QUERY = f"""
SELECT DISTINCT ?e WHERE {{
  ?e a ?type .
  FILTER(?type IN ({NON_ENTITY_CLASSES}))
}}"""


def non_entities(source: Source) -> set[str]:
    """The IRIs typed with a class whose instances are not entities (:data:`NON_ENTITY_CLASSES`).

    >>> from mxgraph.store import open_store
    >>> "https://w3id.org/mxgraph/id/p03s1" in non_entities(open_store())  # a source sentence
    True
    """
    rows = as_backend(source).select(_NON_ENTITIES_QUERY).rows
    return {e.value for (e,) in rows if isinstance(e, ox.NamedNode)}


def load_entity_index(source: Source, *, names: bool = True) -> EntityIndex:
    """Every entity's label and names (entities as :data:`ENTITY_CONDITION` defines them).

    With ``names=False`` only labels are read (no aliases, no names to resolve
    against): what whole-graph summaries need, at half the cost.

    >>> from mxgraph.store import open_store
    >>> index = load_entity_index(open_store())
    >>> index.labels["https://w3id.org/mxgraph/id/mexico"]
    'Mexico'
    >>> "https://w3id.org/mxgraph/id/p03s1" in index.labels  # a source sentence
    False
    """
    backend = as_backend(source)
    excluded = non_entities(backend)
    rows = [
        (entity, alias, name)
        for entity, alias, name in backend.select(_NAMES_QUERY if names else _LABELS_QUERY).rows
        if isinstance(entity, ox.NamedNode)
        and entity.value not in excluded
        and not entity.value.startswith(MX)
    ]
    with_label = {entity for entity, alias, _ in rows if not is_true(alias)}
    return _index_from_rows((row for row in rows if row[0] in with_label), names=names)


def _index_from_rows(rows: Iterable[tuple[Term | None, ...]], *, names: bool = True) -> EntityIndex:
    """The index of ``(entity, alias?, name, [label])`` rows; labels only unless ``names``."""
    preferred: dict[str, list[ox.Literal]] = {}
    entity_names: list[EntityName] = []
    for entity, alias, name, *label in rows:
        if not isinstance(entity, ox.NamedNode) or not isinstance(name, ox.Literal):
            continue
        is_alias = is_true(alias)
        if not is_alias:
            preferred.setdefault(entity.value, []).append(name)
        # Rows may carry the entity's preferred label too (when only an alias was picked).
        if label and isinstance(label[0], ox.Literal):
            preferred.setdefault(entity.value, []).append(label[0])
        if names:
            entity_names.append(
                EntityName(entity.value, name.value, is_alias, normalize_name(name.value))
            )
    labels = {iri: best_label(literals) or curie(iri) for iri, literals in preferred.items()}
    ordered = sorted(set(entity_names), key=lambda n: (n.iri, n.alias, n.text))
    return EntityIndex(dict(sorted(labels.items())), tuple(ordered))


_IRI_QUERY = f"""
SELECT ?e ?label WHERE {{
  ?e skos:prefLabel ?label .
  {ENTITY_CONDITION}
}}"""

_CURIE = re.compile(r"^([A-Za-z][\w\-.]*):([^\s<>\"{}|^`\\]*)$")


def parse_iri(text: str) -> str | None:
    """The IRI ``text`` spells (``<iri>``, a bare http(s) IRI or a known CURIE), else ``None``.

    >>> parse_iri("mxd:mexico")
    'https://w3id.org/mxgraph/id/mexico'
    >>> parse_iri("Mexico") is None
    True
    >>> parse_iri("<http://example.org/a b>")
    Traceback (most recent call last):
    ...
    mxgraph.errors.EntityNotFound: not a valid IRI: '<http://example.org/a b>'
    """
    text = text.strip()
    iri: str | None = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif re.match(r"^https?://", text, re.IGNORECASE):
        iri = text
    else:
        match = _CURIE.match(text)
        if match and match[1] in PREFIXES:
            iri = PREFIXES[match[1]] + match[2]
    if iri is None:
        return None
    try:
        return ox.NamedNode(iri).value
    except ValueError:
        raise EntityNotFound(f"not a valid IRI: {text!r}") from None


def resolve_entity(source: Source, name: str) -> EntityRef:
    """The one entity ``name`` denotes: an IRI, a CURIE, a label or an alias.

    Raises :class:`~mxgraph.errors.AmbiguousEntity` when several entities
    share the name (listed with their types and CURIEs) and
    :class:`~mxgraph.errors.EntityNotFound` (with up to five suggestions) when
    none has it.

    >>> from mxgraph.store import open_store
    >>> store = open_store()
    >>> resolve_entity(store, "<https://w3id.org/mxgraph/id/chile>").label
    'Chile'
    >>> resolve_entity(store, "Merida").curie
    'mxd:merida-initiative'
    >>> resolve_entity(store, "Mexcio")
    Traceback (most recent call last):
    ...
    mxgraph.errors.EntityNotFound: no entity named 'Mexcio'; did you mean: Mexico (mxd:mexico)
    """
    backend = as_backend(source)
    if not name.strip():
        raise EntityNotFound("no entity name given")
    iri = parse_iri(name)
    if iri is not None:
        return _entity_by_iri(backend, iri, name)
    try:
        candidates = _candidate_index(backend, name)
        if candidates is not None:
            try:
                return candidates.resolve(name)
            except EntityNotFound:
                pass  # suggestions need every name: read the whole index below
        return load_entity_index(backend).resolve(name)
    except AmbiguousName as error:
        # Told apart by type: the border-states group and its count share a label.
        types = entity_types(backend, [ref.iri for ref in error.candidates])
        raise AmbiguousName(error.text, error.candidates, types) from None


def _variants() -> dict[str, str]:
    """For each ASCII letter, the Latin letters that :func:`normalize_name` turns into it."""
    found: dict[str, set[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = normalize_name(char)
        if len(base) == 1 and base.isascii() and base.isalpha():
            found.setdefault(base, set()).update({char, char.lower(), char.upper()})
    return {base: "".join(sorted(chars)) for base, chars in found.items()}


_VARIANTS: dict[str, str] = {}


def name_pattern(
    key: str, gap: str = r"\s+", edge: str = r"\s*", *, anchored: bool = True
) -> str | None:
    """A regular expression matching every name that normalizes to ``key``, once lower-cased.

    ``key`` is a normalized name (:func:`normalize_name`); ``gap`` stands for
    its spaces and ``edge`` for what may surround it. ``None`` when ``key``
    holds characters the pattern does not cover (then every name is read).
    Not ``anchored``, it matches names that contain such a text.
    The store uses it to pick candidate names, compared exactly afterwards.

    >>> import re
    >>> pattern = name_pattern("merida initiative")
    >>> bool(re.fullmatch(pattern.replace(r"\\p{M}", ""), " mérida  initiative"))
    True
    """
    if not key.isascii():
        return None
    if not _VARIANTS:
        _VARIANTS.update(_variants())
    parts = []
    for char in key:
        if char == " ":
            parts.append(gap)
        elif char.isalpha():
            parts.append(f"[{char}{_VARIANTS.get(char, '')}]" + r"\p{M}*")
        elif char in "'\"-":
            same = "".join(k for k, v in _PUNCTUATION_MAP.items() if v == char)
            parts.append(f"[{re.escape(char)}{same}]")
        elif char.isalnum():
            parts.append(char)
        elif char.isprintable():
            parts.append(re.escape(char))
        else:
            return None
    body = "".join(parts)
    return f"^{edge}{body}{edge}$" if anchored else body


# The patterns are written into the text as escaped literals (str() of a pyoxigraph
# Literal, like values_block): Oxigraph compiles a constant pattern once, but a
# bound one again for every row.
_CANDIDATES_QUERY = """
SELECT ?e ?alias ?name ?label WHERE {{{{
  {{{{
    {{{{ ?e skos:prefLabel ?name BIND(false AS ?alias) }}}}
    UNION
    {{{{ ?e skos:altLabel ?name BIND(true AS ?alias) }}}}
    FILTER(REGEX(LCASE(STR(?name)), {{pattern}}))
  }}}} UNION {{{{
    ?e skos:prefLabel ?name BIND(false AS ?alias)
    FILTER(STRSTARTS(STR(?e), "{mxd}") && REGEX(LCASE(STR(?e)), {{local}}))
  }}}}
  {condition}
  OPTIONAL {{{{ ?e skos:prefLabel ?label }}}}
}}}}""".format(mxd=MXD, condition=ENTITY_CONDITION.replace("{", "{{").replace("}", "}}"))


#: The characters of a name the store's pattern compares (the rest: in Python, after).
_PATTERN_PREFIX = 24


def _candidate_index(backend: SparqlBackend, name: str) -> EntityIndex | None:
    """The entities whose names could be ``name``, picked by the store; ``None``: cannot tell.

    The patterns accept every spelling that normalizes to the name (and a few
    more), so the exact comparison that follows finds what the whole index
    would give; only the entities' own names travel from the store.
    """
    key = normalize_name(name)
    words = _words(key) or ""
    dashes = "".join(k for k, v in _PUNCTUATION_MAP.items() if v == "-")
    # A long name is picked by its start: each letter becomes a class with its accented
    # variants, and Oxigraph took 2.7 s to compile the pattern of a 75-letter label.
    long = len(key) > _PATTERN_PREFIX or len(words) > _PATTERN_PREFIX
    pattern = name_pattern(key[:_PATTERN_PREFIX], anchored=not long)
    local = name_pattern(
        words[:_PATTERN_PREFIX], gap=f"[-{dashes}]+", edge=f"[-{dashes}]*", anchored=not long
    )
    if pattern is None or local is None:
        return None
    if long:
        pattern, local = rf"^\s*{pattern}", f"^[-{dashes}]*{local}"
    local = "^" + re.escape(MXD) + local[1:]
    sparql = _CANDIDATES_QUERY.format(pattern=ox.Literal(pattern), local=ox.Literal(local))
    return _index_from_rows(backend.select(sparql).rows)


def _entity_by_iri(backend: SparqlBackend, iri: str, text: str) -> EntityRef:
    rows = backend.select(_IRI_QUERY, {"e": ox.NamedNode(iri)}).rows
    labels = [label for _, label in rows if isinstance(label, ox.Literal)]
    if labels:
        return EntityRef.of(iri, best_label(labels))
    raise load_entity_index(backend).not_found(text, iri)


_RELATIONS_QUERY = """
SELECT ?term ?label WHERE {
  { SELECT DISTINCT ?term { ?s ?term ?o } }
  OPTIONAL { ?term rdfs:label ?label }
}"""

_CLASSES_QUERY = """
SELECT ?term ?label WHERE {
  { SELECT DISTINCT ?term {
      { ?x a ?term } UNION { ?term a owl:Class } UNION { ?term a rdfs:Class } } }
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?label }
}"""


def resolve_relation(source: Source, name: str) -> TermRef:
    """The relation (a predicate used in the graph) ``name`` denotes: CURIE, IRI or label.

    >>> from mxgraph.store import open_store
    >>> resolve_relation(open_store(), "Launched By").curie
    'mx:launchedBy'
    """
    return _resolve_term(as_backend(source), name, _RELATIONS_QUERY, "relation")


def resolve_class(source: Source, name: str) -> TermRef:
    """The class ``name`` denotes: CURIE, IRI or label (``"country"``, ``"mx:Country"``).

    >>> from mxgraph.store import open_store
    >>> resolve_class(open_store(), "U.S. Government Agency").curie
    'mx:USGovernmentAgency'
    """
    return _resolve_term(as_backend(source), name, _CLASSES_QUERY, "class")


def _resolve_term(backend: SparqlBackend, name: str, sparql: str, kind: str) -> TermRef:
    labels: dict[str, list[ox.Literal]] = {}
    for term, label in backend.select(sparql).rows:
        if isinstance(term, ox.NamedNode):
            found = labels.setdefault(term.value, [])
            if isinstance(label, ox.Literal):
                found.append(label)
    terms = {iri: TermRef.of(iri, best_label(found)) for iri, found in labels.items()}
    if not name.strip():
        raise EntityNotFound(f"no {kind} name given")
    iri = parse_iri(name)
    if iri is not None:
        if iri in terms:
            return terms[iri]
        raise EntityNotFound(f"no {kind} {name.strip()!r} in the graph")
    key = normalize_name(name)
    for names_of in (lambda t: {t.label}, lambda t: {humanize(t.iri), curie(t.iri)}):
        matches = sorted(
            t for t in terms.values() if key in {normalize_name(n) for n in names_of(t)}
        )
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(f"{t.label} ({t.curie})" for t in matches)
            raise AmbiguousEntity(
                f"{name.strip()!r} is ambiguous: it names {listed}; give the CURIE or IRI"
            )
    by_label = {normalize_name(t.label): t for t in sorted(terms.values(), reverse=True)}
    import difflib

    close = difflib.get_close_matches(key, list(by_label), n=5, cutoff=0.6)
    message = f"no {kind} named {name.strip()!r}"
    if close:
        message += "; did you mean: " + ", ".join(
            f"{by_label[k].label} ({by_label[k].curie})" for k in close
        )
    raise EntityNotFound(message)
