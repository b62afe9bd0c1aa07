"""The one formatter: query results to table, CSV, TSV, JSON or Markdown; triples to RDF.

SELECT and ASK results use the W3C SPARQL 1.1 result formats (CSV, TSV,
JSON) or a human-readable table or Markdown in which IRIs show as CURIEs;
CONSTRUCT and DESCRIBE results are RDF (Turtle by default), or a
subject/predicate/object table in the result formats.

>>> from mxgraph.query import AskResult
>>> render_result(AskResult(True), OutputFormat.JSON)
b'{"head": {}, "boolean": true}\\n'
>>> curie("https://w3id.org/mxgraph/ontology#Country")
'mx:Country'
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

import pyoxigraph as ox

from mxgraph.deadline import Deadline
from mxgraph.errors import MxGraphError
from mxgraph.namespaces import PREFIXES, RDF, XSD, curie
from mxgraph.query import AskResult, GraphResult, QueryResult, SelectResult, Term, UpdateResult
from mxgraph.rdf_formats import RDF_FORMATS, RdfSyntax


class OutputFormat(str, Enum):
    """Every output format: result formats first, then RDF formats for triples."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    MARKDOWN = "markdown"
    TURTLE = "turtle"
    NT = "nt"
    NQ = "nq"
    TRIG = "trig"
    JSONLD = "jsonld"
    XML = "xml"

    @property
    def is_rdf(self) -> bool:
        """Whether this is an RDF serialization (for triples) rather than a result format."""
        return self.value in RDF_SYNTAXES


#: The RDF syntaxes a graph can be written in, by output format name.
RDF_SYNTAXES: dict[str, RdfSyntax] = {
    name: RdfSyntax(name) for name in ("turtle", "nt", "nq", "trig", "jsonld", "xml")
}

#: The output format a file name's extension asks for (``-o answer.csv``).
_BY_EXTENSION: dict[str, OutputFormat] = {
    "csv": OutputFormat.CSV,
    "tsv": OutputFormat.TSV,
    "json": OutputFormat.JSON,
    "srj": OutputFormat.JSON,
    "md": OutputFormat.MARKDOWN,
    "markdown": OutputFormat.MARKDOWN,
    "ttl": OutputFormat.TURTLE,
    "nt": OutputFormat.NT,
    "nq": OutputFormat.NQ,
    "trig": OutputFormat.TRIG,
    "jsonld": OutputFormat.JSONLD,
    "rdf": OutputFormat.XML,
    "xml": OutputFormat.XML,
    "owl": OutputFormat.XML,
}


def format_for_output(path: str | None) -> OutputFormat | None:
    """The format ``-o FILE`` implies by its extension (None: none known; ``.txt`` is a table).

    >>> format_for_output("answer.csv"), format_for_output("graph.NT"), format_for_output("x")
    (<OutputFormat.CSV: 'csv'>, <OutputFormat.NT: 'nt'>, None)
    """
    if path is None:
        return None
    suffix = path.rpartition(".")[2].lower() if "." in path.rpartition("/")[2] else ""
    return _BY_EXTENSION.get(suffix)


RESULT_FORMATS = tuple(f for f in OutputFormat if not f.is_rdf)
RDF_OUTPUT_FORMATS = tuple(f for f in OutputFormat if f.is_rdf)

_XSD_STRING = XSD.string


def default_format(result: QueryResult | UpdateResult) -> OutputFormat:
    """Table for SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE.

    >>> default_format(GraphResult(())).value
    'turtle'
    """
    return OutputFormat.TURTLE if isinstance(result, GraphResult) else OutputFormat.TABLE


def term_label(term: Term | None) -> str:
    """A term as people read it: IRIs as CURIEs, literals by their lexical value.

    >>> term_label(ox.Literal("México", language="es"))
    'México'
    >>> term_label(ox.NamedNode("http://www.w3.org/2002/07/owl#Class"))
    'owl:Class'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return (
        f"<< {term_label(term.subject)} {term_label(term.predicate)} {term_label(term.object)} >>"
    )


#: The datatypes of numbers: XSD's decimal, float and double and the integer types.
NUMERIC_DATATYPES = frozenset(
    XSD[name]
    for name in (  # noqa: SIM905
        "decimal integer float double long int short byte nonNegativeInteger positiveInteger "
        "nonPositiveInteger negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
)


def readable_number(value: int | float | Decimal) -> str:
    """A number with thousands separators, whole numbers without decimals.

    >>> readable_number(2800000000), readable_number(1.5), readable_number(Decimal("2.8E+9"))
    ('2,800,000,000', '1.5', '2,800,000,000')
    >>> readable_number(Decimal("1234.50")), readable_number(Decimal("-0.000001"))
    ('1,234.5', '-0.000001')
    """
    if isinstance(value, Decimal):
        return format(value.normalize(), ",f")
    return f"{value:,}"


def money(value: int | float | Decimal, currency: str) -> str:
    """An amount as a person reads it: ``$2.8 billion``; other currencies keep their code.

    >>> money(2800000000, "USD"), money(18000000000, "USD"), money(1500, "MXN")
    ('$2.8 billion', '$18 billion', '1,500 MXN')
    """
    scaled = readable_number(value)
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if abs(float(value)) >= size:
            scaled = f"{value / size:.4g} {word}"
            break
    return f"${scaled}" if currency == "USD" else f"{scaled} {currency}"


def table_label(term: Term | None) -> str:
    """:func:`term_label` for a table people read: a typed number with thousands separators
    (``2,000``, ``678,000,000,000``); csv, tsv and json keep the exact lexical form.

    A number alone does not say what it counts, so no ``$`` or unit is added here;
    a query's table shows money where the query says so (see :func:`money_columns`).

    >>> table_label(ox.Literal("678000000000.0", datatype=ox.NamedNode(XSD.decimal)))
    '678,000,000,000'
    >>> table_label(ox.Literal("2018", datatype=ox.NamedNode(XSD.gYear)))
    '2018'
    """
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC_DATATYPES:
        try:
            value = Decimal(term.value.strip())
        except InvalidOperation:
            return term.value
        return readable_number(value) if value.is_finite() else term.value
    return term_label(term)


def render_result(
    result: QueryResult | UpdateResult,
    fmt: OutputFormat | None = None,
    *,
    deadline: Deadline | None = None,
    color: bool = False,
    width: int | None = None,
) -> bytes:
    """Format a query result as bytes; ``deadline`` is checked while rows are written.

    >>> from mxgraph.query import SelectResult
    >>> rows = SelectResult(("x", "y"), ((ox.Literal("a,b"), None),))
    >>> render_result(rows, OutputFormat.CSV)
    b'x,y\\r\\n"a,b",\\r\\n'
    """
    fmt = default_format(result) if fmt is None else OutputFormat(fmt)
    deadline = deadline or Deadline.start(None)
    if isinstance(result, UpdateResult):
        return f"update done: {result.before} triples before, {result.after} after\n".encode()
    if fmt.is_rdf:
        if not isinstance(result, GraphResult):
            kinds = ", ".join(f.value for f in RESULT_FORMATS)
            raise MxGraphError(
                f"--format {fmt.value} is for CONSTRUCT and DESCRIBE results; "
                f"SELECT and ASK results can be: {kinds}"
            )
        return serialize_triples(result.triples, RDF_SYNTAXES[fmt.value])
    if isinstance(result, GraphResult):
        result = SelectResult(
            ("subject", "predicate", "object"),
            tuple((t.subject, t.predicate, t.object) for t in result.triples),
        )
    if isinstance(result, AskResult):
        if fmt is OutputFormat.JSON:
            return json.dumps({"head": {}, "boolean": result.value}).encode() + b"\n"
        return b"true\n" if result.value else b"false\n"
    writer = _WRITERS[fmt]
    return writer(result, deadline, color, width)


def _rows(result: SelectResult, deadline: Deadline) -> Iterator[tuple[Term | None, ...]]:
    for row in result.rows:
        deadline.check()
        yield row


def _csv(result: SelectResult, deadline: Deadline, color: bool, width: int | None) -> bytes:
    # W3C SPARQL 1.1 CSV: IRIs and literals by value, blank nodes as _:label, CRLF lines.
    import csv  # here: only CSV output needs it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in _rows(result, deadline):
        writer.writerow([_csv_value(term) for term in row])
    return buffer.getvalue().encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return triple_term(term)
    return term.value


def triple_term(triple: ox.Triple) -> str:
    """An RDF 1.2 triple term as SPARQL 1.2 and N-Triples 1.2 write it, ``<<( s p o )>>``.

    >>> t = ox.Triple(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"),
    ...               ox.Literal("x"))
    >>> triple_term(ox.Triple(t.subject, t.predicate, t))
    '<<( <http://ex.org/a> <http://ex.org/p> <<( <http://ex.org/a> <http://ex.org/p> "x" )>> )>>'
    """
    parts = [triple_term(t) if isinstance(t, ox.Triple) else str(t) for t in triple]
    return f"<<( {' '.join(parts)} )>>"


def _tsv(result: SelectResult, deadline: Deadline, color: bool, width: int | None) -> bytes:
    # W3C SPARQL 1.1 TSV: ?var header, terms in Turtle/N-Triples syntax, LF lines.
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in _rows(result, deadline):
        lines.append("\t".join(_tsv_term(term) for term in row))
    return ("\n".join(lines) + "\n").encode()


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    return triple_term(term) if isinstance(term, ox.Triple) else str(term)


def term_json(term: Term) -> dict[str, object]:
    """A term in the W3C SPARQL 1.1 Query Results JSON format.

    >>> term_json(ox.Literal("1", datatype=ox.NamedNode(XSD.integer)))
    {'type': 'literal', 'value': '1', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
    >>> term_json(ox.Literal("hola", language="es"))
    {'type': 'literal', 'value': 'hola', 'xml:lang': 'es'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _json(result: SelectResult, deadline: Deadline, color: bool, width: int | None) -> bytes:
    bindings = [
        {
            var: term_json(term)
            for var, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        for row in _rows(result, deadline)
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"


def _markdown(result: SelectResult, deadline: Deadline, color: bool, width: int | None) -> bytes:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = [
        "| " + " | ".join(cell(v) for v in result.variables) + " |",
        "|" + "|".join(" --- " for _ in result.variables) + "|",
    ]
    for row in _rows(result, deadline):
        lines.append("| " + " | ".join(cell(term_label(t)) for t in row) + " |")
    return ("\n".join(lines) + "\n").encode()


def money_columns(variables: Sequence[str]) -> dict[int, int]:
    """Which columns a table shows as money: ``{number column: currency column}``.

    A column named ``currency`` (an ISO 4217 code, as the named queries give it)
    makes the column just before it an amount in that currency: ``678000000000``
    and ``USD`` read ``$678 billion`` in a table; csv, tsv and json keep both
    exact.

    >>> money_columns(["figure", "value", "currency", "per"])
    {1: 2}
    >>> money_columns(["currency"])
    {}
    """
    return {
        index - 1: index
        for index, name in enumerate(variables)
        if name.casefold() == "currency" and index > 0
    }


def _money_cell(amount: Term | None, currency: Term | None) -> str | None:
    """``$2.8 billion`` for a typed number and a three-letter currency code, else None."""
    if not (isinstance(amount, ox.Literal) and amount.datatype.value in NUMERIC_DATATYPES):
        return None
    code = currency.value if isinstance(currency, ox.Literal | ox.NamedNode) else ""
    code = code.rpartition("/")[2].rpartition("#")[2]
    if not (len(code) == 3 and code.isalpha() and code.isupper()):
        return None
    try:
        value = Decimal(amount.value.strip())
    except InvalidOperation:
        return None
    return money(value, code) if value.is_finite() else None


def _table(result: SelectResult, deadline: Deadline, color: bool, width: int | None) -> bytes:
    from rich.console import Console
    from rich.table import Table

    table = Table(*result.variables, show_lines=False)
    amounts = money_columns(result.variables)
    for row in _rows(result, deadline):
        cells = [table_label(term) for term in row]
        for amount, currency in amounts.items():
            shown = _money_cell(row[amount], row[currency])
            if shown is not None:
                cells[amount] = shown
        table.add_row(*cells)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=width or 1000,
        highlight=False,
    )
    console.print(table)
    lines = buffer.getvalue().splitlines()
    return ("\n".join(line.rstrip() for line in lines) + "\n").encode()


_WRITERS = {
    OutputFormat.TABLE: _table,
    OutputFormat.CSV: _csv,
    OutputFormat.TSV: _tsv,
    OutputFormat.JSON: _json,
    OutputFormat.MARKDOWN: _markdown,
}


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The entries of :data:`PREFIXES` whose namespace some IRI of ``triples`` starts with.

    >>> t = ox.Triple(ox.NamedNode(PREFIXES["mx"] + "a"), ox.NamedNode(RDF.type),
    ...               ox.NamedNode(PREFIXES["owl"] + "Class"))
    >>> used_prefixes([t])
    {'mx': 'https://w3id.org/mxgraph/ontology#', 'owl': 'http://www.w3.org/2002/07/owl#'}
    """
    namespaces = set(PREFIXES.values())
    used: set[str] = set()

    def visit(term: Term) -> None:
        if isinstance(term, ox.NamedNode):
            iri = term.value
        elif isinstance(term, ox.Literal):
            if term.language or term.datatype.value == _XSD_STRING:
                return  # written as "..."@lang or "..." without a datatype
            iri = term.datatype.value
        elif isinstance(term, ox.Triple):
            for part in (term.subject, term.predicate, term.object):
                visit(part)
            return
        else:
            return
        for namespace in namespaces - used:
            if iri.startswith(namespace):
                used.add(namespace)

    for triple in triples:
        visit(triple.subject)
        if triple.predicate.value != RDF.type:  # written as "a" in Turtle
            visit(triple.predicate)
        visit(triple.object)
    return {prefix: ns for prefix, ns in PREFIXES.items() if ns in used}


def _sort_key(triple: ox.Triple) -> tuple[bool, str, bool, str, str]:
    return (
        isinstance(triple.subject, ox.BlankNode),
        str(triple.subject),
        triple.predicate.value != RDF.type,
        triple.predicate.value,
        str(triple.object),
    )


def serialize_triples(triples: Iterable[ox.Triple], syntax: RdfSyntax) -> bytes:
    """Triples in an RDF syntax, grouped by subject, with only the prefixes they use.

    >>> t = ox.Triple(ox.NamedNode(PREFIXES["mx"] + "a"), ox.NamedNode(RDF.type),
    ...               ox.NamedNode(PREFIXES["owl"] + "Class"))
    >>> print(serialize_triples([t], RdfSyntax.TURTLE).decode(), end="")
    @prefix mx: <https://w3id.org/mxgraph/ontology#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    mx:a a owl:Class .
    """
    ordered = sorted(triples, key=_sort_key)
    if syntax is RdfSyntax.JSONLD:
        return _compact_json_ld([ox.Quad(t.subject, t.predicate, t.object) for t in ordered])
    spec = RDF_FORMATS[syntax]
    prefixes = used_prefixes(ordered) if syntax in _PREFIXED_SYNTAXES else None
    output = ox.serialize(ordered, format=spec.oxigraph, prefixes=prefixes) or b""
    return output if output.endswith(b"\n") or not output else output + b"\n"


def serialize_dataset(
    triples: Iterable[ox.Triple], named: Iterable[ox.Quad], syntax: RdfSyntax
) -> bytes:
    """The default graph's triples and the ``named`` graphs' quads in a dataset syntax (TriG,
    N-Quads), the default graph first, then each named graph, grouped by subject.

    >>> t = ox.Triple(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"),
    ...               ox.NamedNode("http://ex.org/b"))
    >>> print(serialize_dataset([t], [ox.Quad(*t, ox.NamedNode("http://ex.org/g"))],
    ...                         RdfSyntax.NQ).decode(), end="")
    <http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .
    <http://ex.org/a> <http://ex.org/p> <http://ex.org/b> <http://ex.org/g> .
    """
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in sorted(triples, key=_sort_key)]
    quads += sorted(named, key=lambda q: (str(q.graph_name), _sort_key(q.triple)))
    if syntax is RdfSyntax.JSONLD:
        return _compact_json_ld(quads)
    spec = RDF_FORMATS[syntax]
    prefixes = used_prefixes([q.triple for q in quads]) if syntax in _PREFIXED_SYNTAXES else None
    output = ox.serialize(quads, format=spec.oxigraph, prefixes=prefixes) or b""
    return output if output.endswith(b"\n") or not output else output + b"\n"


def _compact_json_ld(quads: list[ox.Quad]) -> bytes:
    """JSON-LD with the prefixes it uses as ``@context`` and compact IRIs (named graphs kept).

    Oxigraph writes expanded JSON-LD; its IRIs are shortened here with the context's
    prefixes and ``rdf:type`` becomes ``@type``. Values stay as Oxigraph typed them
    (``{"@value": "2500", "@type": "xsd:double"}``): JSON numbers would turn a whole double
    into an integer when read back.

    >>> q = ox.Quad(ox.NamedNode(PREFIXES["mxd"] + "mexico"), ox.NamedNode(RDF.type),
    ...             ox.NamedNode(PREFIXES["mx"] + "Country"))
    >>> print(_compact_json_ld([q]).decode(), end="")
    {
     "@context": {
      "mx": "https://w3id.org/mxgraph/ontology#",
      "mxd": "https://w3id.org/mxgraph/id/"
     },
     "@graph": [
      {
       "@id": "mxd:mexico",
       "@type": [
        "mx:Country"
       ]
      }
     ]
    }
    """
    expanded = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b"[]")
    context = used_prefixes([q.triple for q in quads])
    by_length = sorted(context.items(), key=lambda item: -len(item[1]))

    def short(iri: str) -> str:
        for name, namespace in by_length:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and not local.startswith("/"):
                return f"{name}:{local}"
        return iri

    def compact(node: object) -> object:
        if isinstance(node, list):
            return [compact(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, object] = {}
        for key, value in node.items():
            if key in ("@id", "@type") and isinstance(value, str):
                out[key] = short(value)
            elif key == RDF.type and isinstance(value, list):
                out["@type"] = [short(v["@id"]) if "@id" in v else v for v in value]
            elif key.startswith("@"):
                out[key] = compact(value)
            else:
                out[short(key)] = compact(value)
        return out

    document = {"@context": context, "@graph": compact(expanded)}
    return json.dumps(document, indent=1, ensure_ascii=False).encode() + b"\n"


_PREFIXED_SYNTAXES = frozenset({RdfSyntax.TURTLE, RdfSyntax.TRIG, RdfSyntax.XML, RdfSyntax.N3})


# --- Reports: titled sections of fields, lines and tables (lookup commands) ---------------


class ReportFormat(str, Enum):
    """How a report prints: readable sections, or its JSON document."""

    TABLE = "table"
    JSON = "json"


#: Marks around a highlighted part of a report's line (see :func:`highlighted`).
_MARK_START, _MARK_END = "\x02", "\x03"

#: How a highlighted part shows: bold on a terminal, between guillemets elsewhere.
HIGHLIGHT_TERMINAL = ("\x1b[1m", "\x1b[0m")
HIGHLIGHT_PLAIN = ("«", "»")


def highlighted(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with its ``(start, end)`` spans marked, for a :class:`Section`'s lines or fields:
    :func:`render_report` shows them bold on a terminal and ``«…»`` elsewhere.

    >>> line = highlighted("appropriated $2.8 billion in equipment", [(13, 25)])
    >>> print(render_report(Report((Section(lines=(line,)),), None), ReportFormat.TABLE).decode())
    appropriated «$2.8 billion» in equipment
    <BLANKLINE>
    """
    parts: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if start < done or end <= start:
            continue  # overlapping or empty: the earlier span stands
        parts += [text[done:start], _MARK_START, text[start:end], _MARK_END]
        done = end
    parts.append(text[done:])
    return "".join(parts)


@dataclass(frozen=True)
class Section:
    """A titled part of a report: ``key: value`` fields, then lines, then a table."""

    title: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    lines: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Report:
    """What a command shows: sections for people and a JSON-ready document for scripts."""

    sections: tuple[Section, ...]
    document: object


def render_report(
    report: Report, fmt: ReportFormat, *, color: bool = False, width: int | None = None
) -> bytes:
    """A report as text sections (fields aligned, tables drawn) or as indented JSON.

    >>> report = Report((Section("Chile", fields=(("curie", "mxd:chile"),)),), {"label": "Chile"})
    >>> print(render_report(report, ReportFormat.TABLE).decode(), end="")
    Chile
      curie: mxd:chile
    >>> render_report(report, ReportFormat.JSON)
    b'{\\n  "label": "Chile"\\n}\\n'
    """
    if ReportFormat(fmt) is ReportFormat.JSON:
        return json.dumps(report.document, ensure_ascii=False, indent=2).encode() + b"\n"
    blocks = [_section_text(s, color, width) for s in report.sections]
    return ("\n".join(block for block in blocks if block)).encode()


def _section_text(section: Section, color: bool, width: int | None) -> str:
    lines: list[str] = []
    if section.title:
        lines.append(f"\x1b[1m{section.title}\x1b[0m" if color else section.title)
    indent = "  " if section.title else ""
    key_width = max((len(key) for key, _ in section.fields), default=0) + 1
    for key, value in section.fields:
        lines.append(f"{indent}{key + ':':<{key_width}} {value}".rstrip())
    lines += [f"{indent}{line}" for line in section.lines]
    if section.columns:
        lines += _drawn_table(section.columns, section.rows, color, width)
    start, end = HIGHLIGHT_TERMINAL if color else HIGHLIGHT_PLAIN
    text = "".join(f"{line}\n" for line in lines)
    return text.replace(_MARK_START, start).replace(_MARK_END, end)


def _drawn_table(
    columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], color: bool, width: int | None
) -> list[str]:
    """A table in the box style of the query tables, drawn without rich (fast).

    With ``width`` (a terminal's), the widest columns are narrowed until the
    table fits, and their cells wrap over several lines, as query tables do.
    """
    cells = [[" ".join(cell.split()) for cell in row] for row in rows]
    widths = [
        max([_text_width(column), *(_text_width(row[i]) for row in cells)])
        for i, column in enumerate(columns)
    ]
    if width is not None:
        widths = _fitted(widths, [_text_width(c) for c in columns], width)

    def line(left: str, fill: str, middle: str, right: str) -> str:
        return left + middle.join(fill * (w + 2) for w in widths) + right

    def row_lines(values: list[str] | tuple[str, ...], bar: str, bold: bool = False) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths, strict=True)]
        lines = []
        for index in range(max(len(parts) for parts in wrapped)):
            parts = [p[index] if index < len(p) else "" for p in wrapped]
            padded = [v + " " * (w - _text_width(v)) for v, w in zip(parts, widths, strict=True)]
            if bold:
                padded = [f"\x1b[1m{v}\x1b[0m" for v in padded]
            lines.append((bar + bar.join(f" {v} " for v in padded) + bar).rstrip())
        return lines

    return [
        line("┏", "━", "┳", "┓"),
        *row_lines(columns, "┃", bold=color),
        line("┡", "━", "╇", "┩"),
        *(text for row in cells for text in row_lines(row, "│")),
        line("└", "─", "┴", "┘"),
    ]


def _fitted(widths: list[int], minimums: list[int], width: int) -> list[int]:
    """Column widths narrowed, widest first, until the drawn table fits in ``width``
    (each column keeps at least its header's width, or 8)."""
    fitted = list(widths)
    frame = 3 * len(fitted) + 1
    floors = [min(w, max(m, 8)) for w, m in zip(widths, minimums, strict=True)]
    while sum(fitted) + frame > width:
        widest = max(range(len(fitted)), key=lambda i: fitted[i] - floors[i])
        if fitted[widest] <= floors[widest]:
            break
        fitted[widest] -= 1
    return fitted


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (words kept whole where they fit)."""
    if _text_width(text) <= width:
        return [text]
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def _text_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (East Asian) characters count two, marks none."""
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )
