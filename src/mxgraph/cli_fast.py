"""The ``mxgraph`` entry point: a plain ``query`` or lookup line runs without typer.

Importing typer takes longer than a whole ``oxigraph query`` process (about
50 ms of about 20), so :func:`main` first reads the command line itself, with
one parser driven by the table :data:`COMMANDS` (``query``, ``describe``,
``neighbors``, ``path``, ``search``, ``stats``): a line made only of its
command's options (long or short names, ``--name=value``), values that convert
as typer would convert them and the command's positional arguments runs the
command's function directly (:func:`query_command`, or one of
:mod:`mxgraph.cli_lookup_base`). Anything else (help, any other command, an
unknown or malformed option, a value typer would refuse, a missing or extra
argument, ``--``) goes to the typer app in :mod:`mxgraph.cli`, which then
parses the line and reports errors as before. The typer commands call the same
functions, and a test compares the arguments both give them for many lines,
and this table with typer's options.

>>> command, arguments = parse_line(["query", "--named", "embassy", "-f", "CSV"])
>>> arguments["named"]
'embassy'
>>> parse_line(["describe", "--help"]) is None
True
"""

from __future__ import annotations

import errno
import gc
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

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
from mxgraph.direction import Direction
from mxgraph.errors import MxGraphError
from mxgraph.output import OutputFormat, ReportFormat
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


# NamedTuples, not dataclasses: the table is built at every start, and a dataclass takes
# about three times as long to define.
class Param(NamedTuple):
    """One option of a command as typer defines it: the keyword it fills and how its value
    converts (``kind``: flag, text, path, int, float or choice; ``minimum`` for an int,
    ``check`` for the callback typer runs on the value, which raises ValueError to refuse it)."""

    keyword: str
    kind: str
    multiple: bool = False
    file_okay: bool = True
    dir_okay: bool = True
    choices: type[Enum] | None = None
    minimum: int | None = None
    check: Callable[[Any], object] | None = None


class Command(NamedTuple):
    """A command the fast path runs: ``run`` (``module:function``, imported only when the
    line runs), its ``options`` by every name typer gives them, and the keywords of its
    positional ``arguments`` in order, the first ``required`` of them required."""

    run: str
    options: Mapping[str, Param]
    arguments: tuple[str, ...] = ()
    required: int = 0

    def function(self) -> Callable[..., int | None]:
        """The function that runs the command."""
        module, _, name = self.run.partition(":")
        found: Callable[..., int | None] = getattr(importlib.import_module(module), name)
        return found


_TEXT = "text"
_FLAG = "flag"


def _options(*groups: tuple[tuple[tuple[str, ...], Param], ...]) -> dict[str, Param]:
    """An option table by every name, from groups of (names, param)."""
    return {name: param for group in groups for names, param in group for name in names}


_DATA = (
    (("--data", "-d"), Param("data", "path", multiple=True)),
    (("--data-format",), Param("data_format", "choice", choices=RdfSyntax)),
    (("--no-bundled",), Param("no_bundled", _FLAG)),
    (("--store",), Param("store", "path", file_okay=False)),
    (("--timeout",), Param("timeout", "float", check=check_timeout)),
    (("--infer",), Param("infer", _FLAG)),
)
_REMOTE = (
    (("--endpoint", "-e"), Param("endpoint", _TEXT)),
    (("--graph",), Param("graph", _TEXT)),
    (("--user",), Param("user", _TEXT)),
)
_LOOKUP = (
    (("--format", "-f"), Param("fmt", "choice", choices=ReportFormat)),
    *_DATA,
    *_REMOTE,
)
_SOURCES = ((("--sources",), Param("sources", _FLAG)),)
_TYPE = ((("--type", "-t"), Param("type_", _TEXT)),)

#: The commands a plain line may run, with their options as typer declares them (checked
#: against typer by tests/test_cli_fast.py: names, kinds, ranges, path rules, choices,
#: callbacks, arguments and the keywords of each function).
COMMANDS: dict[str, Command] = {
    "query": Command(
        "mxgraph.cli_fast:query_command",
        _options(
            (
                (("--file", "-q"), Param("file", "path", dir_okay=False)),
                (("--named", "-n"), Param("named", _TEXT)),
                (("--bind", "-b"), Param("bind", _TEXT, multiple=True)),
                (("--format", "-f"), Param("fmt", "choice", choices=OutputFormat)),
                (("--output", "-o"), Param("output", "path", dir_okay=False)),
                (("--allow-network",), Param("allow_network", _FLAG)),
                (("--allow-update",), Param("allow_update", _FLAG)),
                (("--max-memory",), Param("max_memory", _TEXT, check=parse_size)),
                (("--update-endpoint",), Param("update_endpoint", _TEXT)),
                (("--quiet",), Param("quiet", _FLAG)),
            ),
            _DATA,
            _REMOTE,
        ),
        arguments=("sparql",),
    ),
    "describe": Command(
        "mxgraph.cli_lookup_base:describe_command", _options(_LOOKUP), ("entity",), 1
    ),
    "neighbors": Command(
        "mxgraph.cli_lookup_base:neighbors_command",
        _options(
            (
                (("--depth",), Param("depth", "int", minimum=1)),
                (("--relation", "-r"), Param("relation", _TEXT)),
                (("--direction",), Param("direction", "choice", choices=Direction)),
            ),
            _TYPE,
            _SOURCES,
            _LOOKUP,
        ),
        ("entity",),
        1,
    ),
    "path": Command(
        "mxgraph.cli_lookup_base:path_command",
        _options(
            (
                (("--max-length", "-m"), Param("max_length", "int", minimum=1)),
                (("--all",), Param("all_paths", _FLAG)),
                (("--exclude", "-x"), Param("exclude", _TEXT, multiple=True)),
                (("--via",), Param("via", _TEXT)),
                (("--documents",), Param("documents", _FLAG)),
            ),
            _SOURCES,
            _LOOKUP,
        ),
        ("start", "end"),
        2,
    ),
    "search": Command(
        "mxgraph.cli_lookup_base:search_command",
        _options(_TYPE, ((("--limit", "-l"), Param("limit", "int", minimum=1)),), _LOOKUP),
        ("text",),
        1,
    ),
    "stats": Command(
        "mxgraph.cli_lookup_base:stats_command",
        _options(((("--top",), Param("top", "int", minimum=1)),), _LOOKUP),
    ),
}


class _NotPlain(Exception):
    """The line needs typer (help, an error to report, a form this parser does not read)."""


def _convert(param: Param, value: str) -> object:
    """``value`` as typer would pass it to the command, or _NotPlain where typer would refuse
    it (and say why)."""
    converted = _converted(param, value)
    if param.check is not None:
        try:
            param.check(converted)
        except ValueError:
            raise _NotPlain from None
    return converted


def _converted(param: Param, value: str) -> object:
    if param.kind == _TEXT:
        return value
    if param.kind in ("int", "float"):
        try:
            number = int(value) if param.kind == "int" else float(value)
        except ValueError:
            raise _NotPlain from None
        if param.minimum is not None and number < param.minimum:
            raise _NotPlain
        return number
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


def parse_line(argv: list[str]) -> tuple[Command, dict[str, Any]] | None:
    """The command ``argv`` names and the keyword arguments typer would give its function, or
    None when the line is not plain (see the module's docstring).

    >>> command, arguments = parse_line(["query", "ASK {}", "--timeout=5", "--quiet"])
    >>> command.run, arguments["timeout"]
    ('mxgraph.cli_fast:query_command', 5.0)
    >>> parse_line(["search", "merida", "-l", "3", "-f", "JSON"])[1]
    {'text': 'merida', 'limit': 3, 'fmt': <ReportFormat.JSON: 'json'>}
    >>> parse_line(["query", "--timeout", "nan"]) is None  # typer reports it
    True
    """
    command = COMMANDS.get(argv[0]) if argv else None
    if command is None:
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
            param = command.options.get(name)
            if param is None:
                raise _NotPlain
            if param.kind == _FLAG:
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
        if not command.required <= len(positional) <= len(command.arguments):
            raise _NotPlain
    except _NotPlain:
        return None
    return command, {**dict(zip(command.arguments, positional, strict=False)), **values}


def run_plain_line(argv: list[str]) -> None:
    """Run ``argv`` without typer and exit, if it is a plain line of a command in
    :data:`COMMANDS`; else return.

    Errors end as the typer app ends them: one ``error:`` line and the error's exit
    status (1), ``interrupted`` and 130 on Ctrl-C, status 1 on a closed output pipe.
    """
    parsed = parse_line(argv)
    if parsed is None:
        return
    command, arguments = parsed
    # The process ends with this command: what exists now (modules, classes, tables) lives
    # until then. Frozen, the cyclic collector does not walk it again, during the command or
    # at exit (about 6 ms of a 60 ms lookup on the bundled graph).
    gc.freeze()
    code = 0
    try:
        code = command.function()(**arguments) or 0
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
    gc.freeze()
    sys.exit(code)


def main() -> None:
    """The ``mxgraph`` command: a plain line of :data:`COMMANDS` here, anything else by the
    typer app."""
    run_plain_line(sys.argv[1:])
    from mxgraph.cli import main as typer_main

    typer_main()
