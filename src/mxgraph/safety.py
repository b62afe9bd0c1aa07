"""Keep local queries read-only and offline.

Oxigraph federates ``SERVICE`` calls over HTTP and runs updates, so a query is
checked before it runs. The check tokenizes the query the way a SPARQL lexer
does (comments, string literals, IRIs, variables, prefixed names, language
tags) and looks only at bare keywords, so ``# SERVICE``, ``"LOAD"``,
``?service`` or ``ex:insert`` are not mistaken for the keywords.

>>> check_query("SELECT * { ?s ?p 'SERVICE' } # LOAD <http://x>")
'query'
>>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
mxgraph.errors.QueryRefused: SERVICE is refused: a local query may not call remote endpoints ...
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from typing import Literal, NamedTuple

from mxgraph.errors import QueryRefused

#: A query (SELECT, ASK, CONSTRUCT, DESCRIBE) or an update.
QueryKind = Literal["query", "update"]

# One alternative per SPARQL token class that may contain keyword-like text.
# Long strings come before short ones; a "<" followed by IRI characters (or
# UCHAR escapes, \u0041) up to ">" is an IRI (as in the SPARQL grammar),
# otherwise it is the operator. A prefixed name's local part may hold escapes
# (PN_LOCAL_ESC: mx:a\' is one name, not a name and a string) and %HH.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
             |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
             |'(?:[^'\\\n\r]|\\.)*'?
             |"(?:[^"\\\n\r]|\\.)*"?)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>[\w\-.]*:(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*|_:[\w\-.]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "LOAD", "WITH"}
)


class Token(NamedTuple):
    """A lexical token of a SPARQL text: its class (``word``, ``iri``, ...) and text (a
    NamedTuple: one per token of every query checked, made faster than a dataclass)."""

    kind: str
    text: str


def tokenize(sparql: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, without comments.

    >>> [t.text for t in tokenize('SELECT ?x { ?x <http://a> "} SERVICE" } # DROP')]
    ['SELECT', '?x', '{', '?x', '<http://a>', '"} SERVICE"', '}']
    """
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind != "comment":
            yield Token(kind, match.group())


@functools.lru_cache(maxsize=256)
def _significant_tokens(sparql: str) -> tuple[Token, ...]:
    """Keywords, IRIs and prefixed names of ``sparql``; kept for queries run again (a lookup's
    or named query's text), where tokenizing was a third of a 1 ms query's time."""
    return tuple(t for t in tokenize(sparql) if t.kind in ("word", "iri", "name"))


def check_query(
    sparql: str,
    *,
    allow_network: bool = False,
    allow_update: bool = False,
    store_graphs: Collection[str] = (),
) -> QueryKind:
    """Refuse what a local query may not do; return whether it is a query or an update.

    Refused unless allowed: ``SERVICE`` and ``FROM``/``FROM NAMED`` of a graph
    the store does not hold (``allow_network``); updates (``allow_update``);
    ``LOAD`` always needs both, since it reads a file or URL.

    >>> check_query("INSERT DATA { <http://a> <http://b> <http://c> }", allow_update=True)
    'update'
    >>> check_query("SELECT * FROM <http://example.org/g> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    mxgraph.errors.QueryRefused: FROM <http://example.org/g> is refused: it names no graph ...
    """
    tokens = _significant_tokens(sparql)
    kind: QueryKind = "query"
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE" and not allow_network:
            raise QueryRefused(
                "SERVICE is refused: a local query may not call remote endpoints "
                "(use --allow-network)"
            )
        if word == "LOAD" and not (allow_network and allow_update):
            raise QueryRefused(
                "LOAD is refused: a local query may not read files or URLs "
                "(needs --allow-network and a writable --store)"
            )
        if word in _UPDATE_KEYWORDS:
            if not allow_update:
                raise QueryRefused(
                    f"{word} is refused: queries are read-only "
                    "(updates need a writable --store and --allow-update)"
                )
            kind = "update"
        if word == "FROM" and not allow_network:
            following = tokens[index + 1 : index + 3]
            if following and following[0].text.upper() == "NAMED":
                following = following[1:]
            source = following[0].text if following else ""
            if not (source.startswith("<") and source[1:-1] in store_graphs):
                raise QueryRefused(
                    f"FROM {source} is refused: it names no graph in the store and a local "
                    "query may not fetch one (use --allow-network)"
                )
    return kind
