"""Refuse RDF/XML that declares entities (the "billion laughs" expansion).

Oxigraph's RDF/XML parser expands entities declared in a document's internal
DTD: a 941-byte file of nested entity references grows to gigabytes. Like
defusedxml, mxgraph refuses any entity declaration. Declarations can only
stand in the document type declaration, before the root element, so the
check reads (with the standard library's expat, which expands nothing here)
only up to the root element's start tag.

>>> refuse_xml_entities(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x:"/>', "ok.rdf")
>>> refuse_xml_entities(b'<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', "lol.rdf")
Traceback (most recent call last):
...
mxgraph.errors.RdfSyntaxError: lol.rdf:1:25: RDF syntax error: entity declarations are refused ...
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.parsers import expat

from mxgraph.errors import RdfSyntaxError

_CHUNK = 1 << 16


class _RootReached(Exception):
    """The root element starts: the prolog, where entities are declared, is over."""


def refuse_xml_entities(source: bytes | Path, name: str) -> None:
    """Raise :class:`RdfSyntaxError` (file, line, column) if ``source`` declares an entity."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def declared(entity: str, *_: object) -> None:
        raise RdfSyntaxError(
            name,
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
            f"entity declarations are refused (<!ENTITY {entity} ...>: entities can expand "
            "a small file into gigabytes)",
        )

    def root(*_: object) -> None:
        raise _RootReached

    parser.EntityDeclHandler = declared
    parser.StartElementHandler = root
    try:
        for chunk in _chunks(source):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (_RootReached, expat.ExpatError):
        return  # the root started, or not well-formed XML: the RDF/XML parser will say where


def _chunks(source: bytes | Path) -> Iterable[bytes]:
    if isinstance(source, bytes):
        yield source
        return
    with open(source, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk
