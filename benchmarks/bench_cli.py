"""Time whole mxgraph processes against the oxigraph CLI and a plain rdflib script.

    python benchmarks/bench_cli.py [--runs 5] [--rdflib-timeout 60] [--only NAME ...] [--no-help]

Every case runs as a separate process (mxgraph's bytecode caches written
first), the three tools interleaved round by round on the same data (the
bundled ontology and graph) and the same query, so machine noise hits all of
them alike. Prints a markdown table of median
wall times and the ratios mxgraph/oxigraph (goal: within 4x) and rdflib/mxgraph.
Then every command's ``--help`` against ``python -c "import typer"``, interleaved
the same way (goal: within 3x). Needs the
``oxigraph`` CLI (``pip install oxigraph``, part of mxgraph's test extra).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mxgraph import resources

HERE = Path(__file__).resolve().parent


@dataclass
class Case:
    """One question asked of all three tools."""

    name: str
    mxgraph: list[str]
    oxigraph_query: Path
    rdflib: list[str]
    times: dict[str, list[float]] = field(default_factory=dict)


def executable(name: str) -> list[str]:
    """The command for a console script installed beside this Python, or on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install it (pip install '.[test]')")
    return [found]


def run(command: list[str], timeout: float) -> float | None:
    """Wall seconds of one process run, or None if it failed or ran past ``timeout``."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
        return None
    return elapsed


def build_cases(data_files: list[str], only: set[str]) -> list[Case]:
    mxgraph = executable("mxgraph")
    baseline = [sys.executable, str(HERE / "rdflib_baseline.py")]
    cases = [
        Case(
            f"query --named {path.stem}",
            [*mxgraph, "query", "--named", path.stem, "--format", "csv"],
            path,
            [*baseline, "query", str(path), *data_files],
        )
        for path in sorted(resources.queries_dir().glob("*.rq"))
    ]
    describe = HERE / "sparql" / "describe-usaid.rq"
    cases.append(
        Case(
            "describe USAID",
            [*mxgraph, "describe", "USAID", "--format", "json"],
            describe,
            [*baseline, "query", str(describe), *data_files],
        )
    )
    edges = HERE / "sparql" / "entity-edges.rq"
    ids = "https://w3id.org/mxgraph/id/"
    cases.append(
        Case(
            "path Chile Canada",
            [*mxgraph, "path", "Chile", "Canada", "--format", "json"],
            edges,
            [*baseline, "path", str(edges), ids + "chile", ids + "canada", *data_files],
        )
    )
    for name, args, query in (
        ("neighbors USAID", ["neighbors", "USAID"], "neighbors-usaid.rq"),
        ("search merida", ["search", "merida"], "search-merida.rq"),
        ("stats", ["stats"], "stats.rq"),
    ):
        sparql = HERE / "sparql" / query
        cases.append(
            Case(
                name,
                [*mxgraph, *args, "--format", "json"],
                sparql,
                [*baseline, "query", str(sparql), *data_files],
            )
        )
    # A case is chosen by its command (first word: query, describe...) or its last word.
    return [
        case for case in cases if not only or only & {case.name.split()[0], case.name.split()[-1]}
    ]


def compile_bytecode() -> None:
    """Write mxgraph's bytecode caches, as an installed wheel has them.

    With ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes) an editable
    install would otherwise compile every module on every run (about 50 ms).
    """
    import compileall

    compileall.compile_dir(str(Path(resources.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per case (median taken)")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument(
        "--only", nargs="*", default=[], help="cases to run, by command (first word) or last word"
    )
    parser.add_argument("--no-help", action="store_true", help="leave out the --help cases")
    args = parser.parse_args()

    compile_bytecode()
    data_files = [str(path) for path in resources.bundled_files()]
    oxigraph = executable("oxigraph")
    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "oxigraph")
        subprocess.run(
            [*oxigraph, "load", "--location", location, "--file", *data_files],
            check=True,
            capture_output=True,
        )
        cases = build_cases(data_files, set(args.only))
        for case in cases:
            commands = {
                "mxgraph": case.mxgraph,
                "oxigraph": [
                    *oxigraph,
                    "query",
                    "--location",
                    location,
                    "--query-file",
                    str(case.oxigraph_query),
                    "--results-format",
                    "csv",
                ],
                "rdflib": case.rdflib,
            }
            for _round in range(args.runs):
                for tool, command in commands.items():
                    if case.times.get(tool) == []:
                        continue  # failed or timed out before: reported as "over"
                    limit = args.rdflib_timeout if tool == "rdflib" else 120.0
                    elapsed = run(command, limit)
                    if elapsed is None:
                        case.times[tool] = []
                    else:
                        case.times.setdefault(tool, []).append(elapsed)
            sys.stderr.write(f"done: {case.name}\n")
    print_table(cases, args)
    if not args.no_help:
        print_help_table(time_help(args.runs), args.runs)


#: The commands whose ``--help`` is timed (no command: ``mxgraph --help``).
HELP_COMMANDS = (
    *("", "query", "queries", "export", "load", "validate", "describe", "neighbors"),
    *("path", "search", "stats", "push", "viz"),
)


def time_help(runs: int) -> dict[str, list[float]]:
    """Wall seconds of each ``mxgraph [COMMAND] --help`` and of ``python -c "import typer"``
    (key ``import typer``), interleaved round by round."""
    mxgraph = executable("mxgraph")
    commands = {"import typer": [sys.executable, "-c", "import typer"]}
    for name in HELP_COMMANDS:
        commands[f"mxgraph {name} --help".replace("  ", " ")] = [
            *mxgraph,
            *([name] if name else []),
            "--help",
        ]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _round in range(runs):
        for name, command in commands.items():
            elapsed = run(command, 60.0)
            if elapsed is not None:
                times[name].append(elapsed)
    return times


def print_help_table(times: dict[str, list[float]], runs: int) -> None:
    baseline = statistics.median(times["import typer"]) * 1000
    print(f'\n`python -c "import typer"`: {baseline:.0f} ms (median of {runs}).\n')
    print("| help | ms | / import typer |")
    print("|---|---:|---:|")
    ratios = []
    for name, found in times.items():
        if name == "import typer" or not found:
            continue
        ms = statistics.median(found) * 1000
        ratios.append(ms / baseline)
        print(f"| `{name}` | {ms:.0f} | {ms / baseline:.1f}x |")
    if ratios:
        within = sum(ratio <= 3 for ratio in ratios)
        print(
            f"\n--help / import typer: worst {max(ratios):.1f}x; {within} of {len(ratios)} "
            "within 3x (goal)"
        )


def print_table(cases: list[Case], args: argparse.Namespace) -> None:
    def median_ms(case: Case, tool: str) -> float | None:
        times = case.times.get(tool) or []
        return statistics.median(times) * 1000 if times else None

    def shown(value: float | None, limit: float) -> str:
        return f"{value:.0f}" if value is not None else f"over {limit:.0f} s"

    print(
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; median of {args.runs} runs, whole processes.\n"
    )
    print("| case | mxgraph ms | oxigraph ms | rdflib ms | mxgraph/oxigraph | rdflib/mxgraph |")
    print("|---|---:|---:|---:|---:|---:|")
    ratios_ox, ratios_rdflib = [], []
    for case in cases:
        mx = median_ms(case, "mxgraph")
        ox = median_ms(case, "oxigraph")
        rl = median_ms(case, "rdflib")
        mx_ox = f"{mx / ox:.1f}x" if mx and ox else "-"
        rl_mx = (
            f"{rl / mx:.1f}x"
            if mx and rl
            else (f"> {args.rdflib_timeout * 1000 / mx:.0f}x" if mx else "-")
        )
        if mx and ox:
            ratios_ox.append(mx / ox)
        if mx and rl:
            ratios_rdflib.append(rl / mx)
        print(
            f"| {case.name} | {shown(mx, 120)} | {shown(ox, 120)} | "
            f"{shown(rl, args.rdflib_timeout)} | {mx_ox} | {rl_mx} |"
        )
    if ratios_ox:
        print(
            f"\nmxgraph/oxigraph: median {statistics.median(ratios_ox):.1f}x, "
            f"worst {max(ratios_ox):.1f}x; {sum(r <= 4 for r in ratios_ox)} of {len(ratios_ox)} "
            "within 4x (goal)"
        )
    if ratios_rdflib:
        print(
            f"rdflib/mxgraph: median {statistics.median(ratios_rdflib):.1f}x, "
            f"least {min(ratios_rdflib):.1f}x (goal: at least 3x)"
        )


if __name__ == "__main__":
    main()
