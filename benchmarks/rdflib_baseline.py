"""The plain-rdflib way to answer what mxgraph answers, for the benchmark.

    python rdflib_baseline.py query QUERY.rq FILE.ttl...
    python rdflib_baseline.py path EDGES.rq FROM_IRI TO_IRI FILE.ttl...

Parses the Turtle files into an in-memory rdflib Graph, runs the query with
rdflib's own SPARQL engine and prints the rows as CSV; ``path`` also finds a
shortest path over the edges with networkx. No mxgraph code is used.
"""

from __future__ import annotations

import csv
import sys

import rdflib


def load(files: list[str]) -> rdflib.Dataset:
    # As mxgraph reads them: the sentence graphs' statements are in the default graph too.
    graph = rdflib.Dataset(default_union=True)
    for name in files:
        graph.parse(name, format="trig" if name.endswith(".trig") else "turtle")
    return graph


def main(argv: list[str]) -> None:
    command, query_file, *rest = argv
    with open(query_file, encoding="utf-8") as handle:
        sparql = handle.read()
    writer = csv.writer(sys.stdout)
    if command == "query":
        rows = load(rest).query(sparql)
        writer.writerow([str(v) for v in rows.vars or []])
        for row in rows:
            writer.writerow(["" if v is None else str(v) for v in row])
    elif command == "path":
        import networkx

        source, target, *files = rest
        edges = networkx.Graph()
        for s, _p, o in load(files).query(sparql):
            edges.add_edge(str(s), str(o))
        writer.writerow(networkx.shortest_path(edges, source, target))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
