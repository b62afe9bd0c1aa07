"""``python -m mxgraph`` runs the command line."""

from mxgraph.cli import main

main()
