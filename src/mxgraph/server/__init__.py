"""``mxgraph serve``: a SPARQL 1.1 Protocol endpoint and a Linked Data page for every entity.

:mod:`mxgraph.server.site` holds what every route shares (the graph, the
configuration, the way a request reaches the store); :mod:`mxgraph.server.app`
builds the ASGI application; :mod:`mxgraph.server.sparql` answers ``/sparql``;
:mod:`mxgraph.server.pages` renders the HTML pages and the RDF descriptions
of entities. Nothing here is imported by the other commands.
"""
