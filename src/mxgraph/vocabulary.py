"""The terms of W3C and other shared vocabularies that mxgraph data may use.

mxgraph's own terms are declared in ``ontology/mxgraph.ttl``; anything else a
graph uses as a predicate or a class must be one of these known terms. The
closed-world check in :mod:`mxgraph.validate` uses this table to catch typos
such as ``skos:prefLable`` that RDF itself happily accepts.

>>> "http://www.w3.org/2004/02/skos/core#prefLabel" in KNOWN_TERMS
True
>>> "http://www.w3.org/2004/02/skos/core#prefLable" in KNOWN_TERMS
False
"""

from __future__ import annotations

from mxgraph.namespaces import DCT, OA, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, VANN, XSD

_TERMS: dict[str, tuple[str, ...]] = {
    RDF: ("type", "first", "rest", "nil", "Property", "langString", "List"),
    RDFS: (
        "label", "comment", "domain", "range", "subClassOf", "subPropertyOf", "Class",
        "Datatype", "Literal", "Resource", "seeAlso", "isDefinedBy",
    ),
    OWL: (
        "Ontology", "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
        "TransitiveProperty", "SymmetricProperty", "FunctionalProperty",
        "InverseFunctionalProperty", "inverseOf", "unionOf", "versionInfo", "versionIRI",
        "imports", "sameAs", "equivalentClass", "equivalentProperty", "Thing",
        "NamedIndividual", "disjointWith",
    ),
    XSD: (
        "string", "decimal", "integer", "nonNegativeInteger", "positiveInteger", "gYear",
        "date", "dateTime", "boolean", "double", "float", "anyURI", "duration",
    ),
    SKOS: (
        "Concept", "ConceptScheme", "prefLabel", "altLabel", "hiddenLabel", "definition",
        "note", "scopeNote", "broader", "narrower", "related", "inScheme", "hasTopConcept",
        "topConceptOf", "exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch",
    ),
    DCT: (
        "title", "description", "publisher", "creator", "contributor", "created", "issued",
        "modified", "date", "source", "isPartOf", "hasPart", "language", "license", "subject",
        "identifier", "isReferencedBy", "references", "temporal", "spatial", "type", "format",
        "rights", "bibliographicCitation",
    ),
    ORG: (
        "Organization", "FormalOrganization", "OrganizationalUnit", "Membership", "memberOf",
        "hasMember", "member", "organization", "role", "memberDuring", "subOrganizationOf",
        "hasSubOrganization", "classification", "identifier", "purpose", "Site", "hasSite",
    ),
    PROV: (
        "Entity", "Activity", "Agent", "wasDerivedFrom", "hadPrimarySource", "wasQuotedFrom",
        "wasAttributedTo", "wasGeneratedBy", "used", "qualifiedDerivation", "Derivation",
        "generatedAtTime", "startedAtTime", "endedAtTime", "wasAssociatedWith",
    ),
    TIME: (
        "TemporalEntity", "Instant", "Interval", "ProperInterval", "TemporalUnit",
        "hasBeginning", "hasEnd", "inXSDgYear", "inXSDDate", "inXSDDateTimeStamp",
        "hasDuration", "unitDay", "unitYear", "unitMonth", "unitWeek",
    ),
    OA: (
        "TextQuoteSelector", "TextPositionSelector", "exact", "prefix", "suffix", "start",
        "end", "hasSource", "hasSelector", "SpecificResource",
    ),
    SCHEMA: (
        "Country", "Place", "GovernmentOrganization", "Organization", "MonetaryAmount",
        "PostalAddress", "Legislation", "Project", "CreativeWork", "WebPage", "Report",
        "value", "minValue", "maxValue", "currency", "startDate", "endDate", "address",
        "streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry",
        "telephone", "location", "name", "alternateName", "description", "url", "sameAs",
        "Embassy", "Person",
    ),
    VANN: ("preferredNamespacePrefix", "preferredNamespaceUri"),
}

#: Full IRIs of every known term outside mxgraph's own ontology.
KNOWN_TERMS: frozenset[str] = frozenset(
    namespace + name for namespace, names in _TERMS.items() for name in names
)
