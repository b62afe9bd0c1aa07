"""The one exception family of mxgraph.

Library code raises :class:`MxGraphError` (or a subclass) for anything a user
can cause: a bad file, a bad query, an unknown entity. The CLI catches it once
and prints ``message`` as a single line, so users never see a traceback.

>>> str(RdfSyntaxError("bad.ttl", 3, 7, "expected '.'"))
"bad.ttl:3:7: RDF syntax error: expected '.'"
"""

from __future__ import annotations


class MxGraphError(Exception):
    """A user-facing error; its message is one line and its exit code is 1."""

    exit_code: int = 1


class RdfSyntaxError(MxGraphError):
    """An RDF file that does not parse, located by file, line and column."""

    def __init__(self, path: str, line: int | None, column: int | None, detail: str) -> None:
        self.path, self.line, self.column, self.detail = path, line, column, detail
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: RDF syntax error: {detail}")


class QuerySyntaxError(MxGraphError):
    """A SPARQL query that does not parse, located by line and column in the query."""


class QueryRefused(MxGraphError):
    """A query that would reach the network, read files or change data without permission."""


class QueryTimeout(MxGraphError):
    """A query (evaluation and printing included) that ran past its time limit."""


class MemoryLimitExceeded(MxGraphError):
    """Work (a query, an export, inference) that needed more memory than ``--max-memory``."""


class EntityNotFound(MxGraphError):
    """A name that matches no entity; the message suggests close matches."""


class AmbiguousEntity(MxGraphError):
    """A name that matches several entities; the message lists them."""


class ValidationFailed(MxGraphError):
    """The data does not conform to the SHACL shapes."""


class EndpointError(MxGraphError):
    """A SPARQL server that cannot be reached, refuses the request or answers wrongly."""
