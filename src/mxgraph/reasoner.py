"""Check with HermiT that ontology and data are consistent, next to the W3C vocabularies.

HermiT is an OWL 2 DL reasoner; owlready2 ships it (it needs a Java runtime).
:func:`check_consistency` hands it the store's triples, the bundled ontology
when the store lacks it, and by default ``ontology/w3c-axioms.ttl``: the axioms
of PROV-O, ORG, Web Annotation, SKOS, schema.org's type hierarchy, OWL-Time and
DCMI Terms that the ontology relies on. It answers whether the whole is
consistent and which named classes are unsatisfiable, and can read the types
HermiT infers for a few individuals.

Years and dates. ``xsd:gYear`` and ``xsd:date`` are not in the OWL 2 datatype
map, and HermiT refuses any literal of them. Its ``--ignoreUnsupportedDatatypes``
flag is no way out: it drops the assertions too, so a year given where a number
is expected, or two years for a functional property, pass unseen. Instead each
such literal goes to HermiT as an ``xsd:dateTime`` of the same moment (a year as
its first instant, a date as its noon, so a year never equals a date): still a
time value, distinct from every other year or date and disjoint from numbers and
strings, so those errors stay errors. Any other datatype outside the map, and any
use of one in an axiom (``rdfs:range xsd:gYear``), is reported as a problem
rather than reasoned about.

>>> from mxgraph.store import open_store
>>> report = check_consistency(open_store())  # doctest: +SKIP
>>> report.summary()  # doctest: +SKIP
'consistent (HermiT, with the W3C axioms): no unsatisfiable class'
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mxgraph import resources
from mxgraph.errors import MxGraphError
from mxgraph.namespaces import OWL, RDF, RDFS, XSD, curie
from mxgraph.store import MxStore

#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus
#: rdf:langString, which OWL 2 reads as rdf:PlainLiteral with a language tag.
OWL2_DATATYPES = frozenset(
    [OWL.real, OWL.rational, RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal]
    + [
        XSD[name]
        for name in (
            *("decimal", "integer", "nonNegativeInteger", "nonPositiveInteger"),
            *("positiveInteger", "negativeInteger", "long", "int", "short", "byte"),
            *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
            *("double", "float", "string", "normalizedString", "token", "language"),
            *("Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary"),
            *("anyURI", "dateTime", "dateTimeStamp"),
        )
    ]
)

_YEAR = re.compile(r"^(-?[0-9]{4,})(Z|[+-][0-9]{2}:[0-9]{2})?$")
_DATE = re.compile(r"^(-?[0-9]{4,}-[0-9]{2}-[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$")
_DATETIME = ox.NamedNode(XSD.dateTime)


def w3c_axioms_file() -> Path:
    """The axioms of the reused W3C vocabularies (shipped with the ontology)."""
    return resources.data_root() / "ontology" / "w3c-axioms.ttl"


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT says about ontology + data (+ the W3C axioms)."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    w3c_axioms: bool = True
    seconds: float = 0.0
    types: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Consistent, every named class satisfiable, and nothing HermiT could not read."""
        return self.consistent and not self.unsatisfiable and not self.problems

    def summary(self) -> str:
        """One line: the verdict, with what was left out or found unsatisfiable.

        >>> ConsistencyReport(True).summary()
        'consistent (HermiT, with the W3C axioms): no unsatisfiable class'
        >>> ConsistencyReport(False, w3c_axioms=False).summary()
        'inconsistent (HermiT, ontology and data alone)'
        """
        scope = "with the W3C axioms" if self.w3c_axioms else "ontology and data alone"
        if self.problems:
            return f"not checked (HermiT, {scope}): " + "; ".join(self.problems)
        if not self.consistent:
            return f"inconsistent (HermiT, {scope})"
        if self.unsatisfiable:
            names = ", ".join(self.unsatisfiable)
            return f"consistent (HermiT, {scope}) but unsatisfiable: {names}"
        return f"consistent (HermiT, {scope}): no unsatisfiable class"


def hermit_literal(literal: ox.Literal) -> ox.Literal | None:
    """The literal as HermiT is given it: years and dates as ``xsd:dateTime``, else unchanged.

    ``None`` for a year or date that is not well formed.

    >>> hermit_literal(ox.Literal("2018", datatype=ox.NamedNode(XSD.gYear))).value
    '2018-01-01T00:00:00Z'
    >>> hermit_literal(ox.Literal("2018-03-08", datatype=ox.NamedNode(XSD.date))).value
    '2018-03-08T12:00:00Z'
    >>> hermit_literal(ox.Literal("next year", datatype=ox.NamedNode(XSD.gYear))) is None
    True
    """
    datatype = literal.datatype.value
    if datatype == XSD.gYear:
        match = _YEAR.match(literal.value)
        if not match:
            return None
        return ox.Literal(f"{match[1]}-01-01T00:00:00{match[2] or 'Z'}", datatype=_DATETIME)
    if datatype == XSD.date:
        match = _DATE.match(literal.value)
        if not match:
            return None
        return ox.Literal(f"{match[1]}T12:00:00{match[2] or 'Z'}", datatype=_DATETIME)
    return literal


#: Lexical forms of the numeric and boolean datatypes (XML Schema 1.1, part 2, section 3.3).
_LEXICAL = {
    **dict.fromkeys(
        [
            XSD[n]
            for n in (
                "integer",
                "nonNegativeInteger",
                "nonPositiveInteger",
                "positiveInteger",
                "negativeInteger",
                "long",
                "int",
                "short",
                "byte",
                "unsignedLong",
                "unsignedInt",
                "unsignedShort",
                "unsignedByte",
            )
        ],
        re.compile(r"^[+-]?\d+$"),
    ),
    XSD.decimal: re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    **dict.fromkeys(
        [XSD.double, XSD.float],
        re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
    ),
    XSD.boolean: re.compile(r"^(true|false|1|0)$"),
}


def _well_formed(literal: ox.Literal) -> bool:
    """Whether a numeric or boolean literal's lexical form fits its datatype (others: True).

    >>> _well_formed(ox.Literal("notanint", datatype=ox.NamedNode(XSD.integer)))
    False
    """
    pattern = _LEXICAL.get(literal.datatype.value)
    return pattern is None or bool(pattern.match(literal.value.strip()))


def reasoner_input(
    triples: Iterable[ox.Triple],
) -> tuple[list[ox.Triple], list[str]]:
    """The triples HermiT can read, and the problems that kept others out.

    Years and dates become ``xsd:dateTime`` (see the module docstring); literals
    of other datatypes outside the OWL 2 map, malformed years and dates, and
    datatypes outside the map used in axioms are left out and reported.

    >>> gyear = ox.NamedNode(XSD.gYear)
    >>> p, a = ox.NamedNode("http://ex.org/p"), ox.NamedNode("http://ex.org/a")
    >>> kept, problems = reasoner_input([
    ...     ox.Triple(a, p, ox.Literal("2018", datatype=gyear)),
    ...     ox.Triple(p, ox.NamedNode(RDFS.range), gyear),
    ... ])
    >>> len(kept), problems
    (1, ['xsd:gYear used as a datatype in an axiom (1 triple), outside the OWL 2 datatype map'])
    """
    kept: list[ox.Triple] = []
    unsupported: Counter[str] = Counter()
    malformed: Counter[str] = Counter()
    in_axioms: Counter[str] = Counter()
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Literal):
            datatype = obj.datatype.value
            if datatype in (XSD.gYear, XSD.date):
                converted = hermit_literal(obj)
                if converted is None:
                    malformed[curie(datatype)] += 1
                    continue
                triple = ox.Triple(triple.subject, triple.predicate, converted)
            elif datatype not in OWL2_DATATYPES:
                unsupported[curie(datatype)] += 1
                continue
            elif not _well_formed(obj):
                malformed[curie(datatype)] += 1
                continue
        elif (
            isinstance(obj, ox.NamedNode)
            and obj.value.startswith(XSD)
            and obj.value not in OWL2_DATATYPES
            and triple.predicate.value != RDF.type
        ):
            in_axioms[curie(obj.value)] += 1
            continue
        kept.append(triple)
    problems = [
        f"{name} used as a datatype in an axiom ({_count(n, 'triple')}), "
        "outside the OWL 2 datatype map"
        for name, n in sorted(in_axioms.items())
    ]
    problems += [
        f"{_count(n, name + ' literal')} outside the OWL 2 datatype map"
        for name, n in sorted(unsupported.items())
    ]
    problems += [f"{_count(n, 'malformed ' + name)}" for name, n in sorted(malformed.items())]
    return kept, problems


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _store_triples(store: MxStore, w3c_axioms: bool) -> Iterator[ox.Triple]:
    yield from store
    paths = [] if store.has_ontology() else list(resources.ontology_files())
    if w3c_axioms:
        paths.append(w3c_axioms_file())
    for path in paths:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            yield quad.triple


def check_consistency(
    store: MxStore, *, w3c_axioms: bool = True, types_of: Sequence[str] = ()
) -> ConsistencyReport:
    """Run HermiT over the store's triples (plus the ontology and, by default, the W3C axioms).

    ``types_of`` names individuals (full IRIs) whose inferred named types to
    return in :attr:`ConsistencyReport.types`, as CURIEs. Raises
    :class:`~mxgraph.errors.MxGraphError` when Java is missing or HermiT fails.
    """
    start = time.perf_counter()
    triples, problems = reasoner_input(_store_triples(store, w3c_axioms))
    if problems:
        return ConsistencyReport(
            False, problems=problems, w3c_axioms=w3c_axioms, seconds=time.perf_counter() - start
        )
    if shutil.which("java") is None:
        raise MxGraphError(
            "the consistency check needs a Java runtime for HermiT "
            "(Debian: apt-get install default-jre-headless); --no-reasoner skips it"
        )
    # Imported here only: no other command needs owlready2 or Java.
    import owlready2  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="mxgraph-hermit-") as folder:
        path = Path(folder) / "input.nt"
        ox.serialize(triples, output=str(path), format=ox.RdfFormat.N_TRIPLES)
        world = owlready2.World()
        try:
            try:
                world.get_ontology(path.as_uri()).load(format="ntriples")
            except owlready2.OwlReadyOntologyParsingError as error:
                raise MxGraphError(f"HermiT's reader refused the data: {error}") from None
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return ConsistencyReport(
                    False, w3c_axioms=w3c_axioms, seconds=time.perf_counter() - start
                )
            except owlready2.OwlReadyJavaError as error:
                detail = next((line for line in str(error).splitlines()[1:] if line.strip()), "")
                raise MxGraphError(f"HermiT failed: {detail.strip()}") from None
            unsatisfiable = sorted(
                curie(cls.iri) for cls in world.inconsistent_classes() if cls.iri != OWL.Nothing
            )
            types = {iri: _named_types(world, iri) for iri in types_of}
        finally:
            world.close()
    return ConsistencyReport(
        True,
        unsatisfiable=unsatisfiable,
        w3c_axioms=w3c_axioms,
        seconds=time.perf_counter() - start,
        types=types,
    )


def _named_types(world: object, iri: str) -> list[str]:
    entity = world[iri]  # type: ignore[index]
    if entity is None:
        return []
    found = {cls.iri for cls in entity.INDIRECT_is_a if isinstance(getattr(cls, "iri", None), str)}
    return sorted(curie(name) for name in found - {OWL.Thing})
