"""The ``mxgraph`` entry point, and ``mxgraph query`` run without typer when the line is plain.

Importing typer takes longer than a whole ``oxigraph query`` process (about
50 ms of about 20), so :func:`main` first reads the command line itself: a
``query`` line made only of the options in :data:`QUERY_OPTIONS` (long or
short names, ``--name=value``), values that convert as typer would convert
them and at most one SPARQL argument runs :func:`query_command` directly.
Anything else (help, any other command, an unknown or malformed option, a
value typer would refuse, ``--``) goes to the typer app in :mod:`mxgraph.cli`,
which then parses the line and reports errors as before. The typer command
``query`` calls the same :func:`query_command`, and a test compares the
arguments both give it for many lines, and this table with typer's options.

>>> parse_query_line(["query", "--named", "embassy", "-f", "CSV"])["named"]
'embassy'
>>> parse_query_line(["query", "--help"]) is None
True
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from mxgraph.cli_base import (
    DEFAULT_TIMEOUT,
    apply_max_memory,
    check_timeout,
    emit_result,
    open_endpoint,
    open_store_from_options,
    parse_size,
    print_error,
    start_deadline,
)
from mxgraph.errors import MxGraphError
from mxgraph.output import OutputFormat
from mxgraph.query import is_empty, load_named_query, parse_binding, run_query
from mxgraph.rdf_formats import RdfSyntax


def query_text(sparql: str | None, file: Path | None, named: str | None) -> str:
    """The SPARQL text from exactly one of: the argument (``-``: stdin), ``--file``, ``--named``.

    >>> query_text("ASK {}", None, None)
    'ASK {}'
    """
    given = [source for source in (sparql, file, named) if source is not None]
    if len(given) != 1:
        raise MxGraphError("give exactly one of: SPARQL text (or - for stdin), --file, --named")
    if named is not None:
        return load_named_query(named).sparql
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MxGraphError(f"cannot read query file {file}: {error}") from None
    if sparql == "-":
        return sys.stdin.read()
    return str(sparql)


def query_command(
    sparql: str | None = None,
    file: Path | None = None,
    named: str | None = None,
    bind: list[str] | None = None,
    fmt: OutputFormat | None = None,
    output: Path | None = None,
    allow_network: bool = False,
    allow_update: bool = False,
    data: list[Path] | None = None,
    data_format: RdfSyntax | None = None,
    no_bundled: bool = False,
    store: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory: str | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    graph: str | None = None,
    user: str | None = None,
    infer: bool = False,
    quiet: bool = False,
) -> None:
    """What ``mxgraph query`` does (see its help), given its options as typer converts them.

    A named query is mxgraph's own text: on the bundled graph alone (no
    ``--data``, ``--store`` or ``--infer``) it is evaluated in this process,
    answered in milliseconds (see :func:`mxgraph.query.run_query`; the time
    limit is still checked while the rows are read and written). A user's
    query always goes through the walled child.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     answer = pathlib.Path(folder) / "answer.csv"
    ...     query_command(named="embassy", output=answer)
    ...     answer.read_text(encoding="utf-8").splitlines()[0]
    'embassy,country,street,city,region,postalCode,telephone,source'
    """
    apply_max_memory(max_memory)
    if allow_update and infer:
        raise MxGraphError("--infer answers from an in-memory copy; it cannot take --allow-update")
    if sparql == "-" and any(str(path) == "-" for path in data or ()):
        raise MxGraphError("standard input cannot hold both the query and --data")
    text = query_text(sparql, file, named)
    bindings = dict(parse_binding(item) for item in bind or ())
    if endpoint is not None:
        if infer:
            raise MxGraphError("--infer reasons over a local store; it cannot take --endpoint")
        from mxgraph.remote import run_remote

        deadline = start_deadline(timeout)
        server = open_endpoint(
            endpoint,
            graph=graph,
            user=user,
            update_endpoint=update_endpoint,
            deadline=deadline,
            local_options=(data, no_bundled, store),
        )
        emit_result(run_remote(server, text, bindings, allow_update), fmt, output, deadline)
        return
    if graph is not None or user is not None or update_endpoint is not None:
        raise MxGraphError("--graph, --user and --update-endpoint apply to --endpoint only")
    if allow_update and store is None:
        raise MxGraphError("--allow-update needs --store DIR: updates change an on-disk store")
    deadline = start_deadline(timeout)
    local_store = open_store_from_options(
        data,
        data_format,
        no_bundled,
        store,
        writable=allow_update,
        infer=infer,
        timeout=timeout,
        deadline=deadline,
    )
    result = run_query(
        local_store,
        text,
        bindings=bindings,
        timeout=deadline,
        allow_network=allow_network,
        allow_update=allow_update,
        in_process=named is not None,  # a text shipped with mxgraph, values bound
    )
    emit_result(result, fmt, output, deadline)
    if not quiet and is_empty(result):
        from mxgraph.diagnose import explain_empty

        for reason in explain_empty(local_store, text):
            print(f"empty answer: {reason}", file=sys.stderr)


@dataclass(frozen=True)
class Param:
    """One option of a command as typer defines it: the keyword it fills and how its value
    converts (``kind``: flag, text, path, float or choice)."""

    keyword: str
    kind: str
    multiple: bool = False
    file_okay: bool = True
    dir_okay: bool = True
    choices: type[Enum] | None = None


_TEXT = "text"

#: The options of ``mxgraph query`` by every name typer gives them (checked against typer by
#: tests/test_cli_fast.py: names, kinds, path rules and choices).
QUERY_OPTIONS: dict[str, Param] = {}
for _names, _param in (
    (("--file", "-q"), Param("file", "path", dir_okay=False)),
    (("--named", "-n"), Param("named", _TEXT)),
    (("--bind", "-b"), Param("bind", _TEXT, multiple=True)),
    (("--format", "-f"), Param("fmt", "choice", choices=OutputFormat)),
    (("--output", "-o"), Param("output", "path", dir_okay=False)),
    (("--allow-network",), Param("allow_network", "flag")),
    (("--allow-update",), Param("allow_update", "flag")),
    (("--data", "-d"), Param("data", "path", multiple=True)),
    (("--data-format",), Param("data_format", "choice", choices=RdfSyntax)),
    (("--no-bundled",), Param("no_bundled", "flag")),
    (("--store",), Param("store", "path", file_okay=False)),
    (("--timeout",), Param("timeout", "float")),
    (("--max-memory",), Param("max_memory", _TEXT)),
    (("--endpoint", "-e"), Param("endpoint", _TEXT)),
    (("--update-endpoint",), Param("update_endpoint", _TEXT)),
    (("--graph",), Param("graph", _TEXT)),
    (("--user",), Param("user", _TEXT)),
    (("--infer",), Param("infer", "flag")),
    (("--quiet",), Param("quiet", "flag")),
):
    for _name in _names:
        QUERY_OPTIONS[_name] = _param


class _NotPlain(Exception):
    """The line needs typer (help, an error to report, a form this parser does not read)."""


def _convert(param: Param, value: str) -> object:
    """``value`` as typer would pass it to the command, or _NotPlain where typer would refuse
    it (and say why)."""
    if param.kind == _TEXT:
        return value
    if param.kind == "float":
        try:
            return check_timeout(float(value))
        except ValueError:
            raise _NotPlain from None
    if param.kind == "choice":
        assert param.choices is not None
        for member in param.choices:
            if member.value.casefold() == value.casefold():
                return member
        raise _NotPlain
    # A path: click's Path checks one that exists (kind, readable) and takes one that does not.
    try:
        found = os.stat(value)
    except (OSError, ValueError):
        return Path(value)
    import stat

    if (not param.file_okay and stat.S_ISREG(found.st_mode)) or (
        not param.dir_okay and stat.S_ISDIR(found.st_mode)
    ):
        raise _NotPlain
    if not os.access(value, os.R_OK):
        raise _NotPlain
    return Path(value)


def parse_query_line(argv: list[str]) -> dict[str, Any] | None:
    """The keyword arguments typer would give :func:`query_command` for ``argv`` (``query``
    first), or None when the line is not plain (see the module's docstring).

    >>> parse_query_line(["query", "ASK {}", "--timeout=5", "--quiet"])["timeout"]
    5.0
    >>> parse_query_line(["query", "--timeout", "nan"]) is None  # typer reports it
    True
    """
    if not argv or argv[0] != "query":
        return None
    values: dict[str, Any] = {}
    positional: list[str] = []
    words = iter(argv[1:])
    try:
        for word in words:
            if word == "-" or not word.startswith("-"):
                positional.append(word)
                continue
            name, equals, attached = word.partition("=")
            if equals and not name.startswith("--"):
                raise _NotPlain  # -f=csv: click reads the value "=csv"; typer's to handle
            param = QUERY_OPTIONS.get(name)
            if param is None:
                raise _NotPlain
            if param.kind == "flag":
                if equals:
                    raise _NotPlain
                values[param.keyword] = True
                continue
            value = attached if equals else next(words, None)
            if value is None:
                raise _NotPlain
            converted = _convert(param, value)
            if param.multiple:
                values.setdefault(param.keyword, []).append(converted)
            else:
                values[param.keyword] = converted
        if len(positional) > 1:
            raise _NotPlain
        if "max_memory" in values:
            parse_size(values["max_memory"])
    except (_NotPlain, ValueError):
        return None
    if positional:
        values["sparql"] = positional[0]
    values.setdefault("timeout", DEFAULT_TIMEOUT)
    return values


def run_plain_line(argv: list[str]) -> None:
    """Run ``argv`` without typer and exit, if it is a plain ``query`` line; else return.

    Errors end as the typer app ends them: one ``error:`` line and the error's exit
    status (1), ``interrupted`` and 130 on Ctrl-C, status 1 on a closed output pipe.
    """
    arguments = parse_query_line(argv)
    if arguments is None:
        return
    code = 0
    try:
        query_command(**arguments)
    except MxGraphError as error:
        print_error(str(error))
        code = error.exit_code
    except KeyboardInterrupt:
        print_error("interrupted")
        code = 130
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        # The reader went away (mxgraph query ... | head): nothing more to write anywhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        code = 1
    sys.exit(code)


def main() -> None:
    """The ``mxgraph`` command: a plain ``query`` line here, anything else by the typer app."""
    run_plain_line(sys.argv[1:])
    from mxgraph.cli import main as typer_main

    typer_main()
