"""``python -m mxgraph`` runs the command line."""

from mxgraph.cli_fast import main

main()
