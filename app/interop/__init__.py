"""Standard exports of the graph, one module per format (issue 13).

`content` holds the graph as one document (the canonical export: release, nodes, relationships),
its source filter, its hash and each node's frameworks; `formats` names every format with its media
type and serialiser. The serialisers (`jsonexport`, `turtle`, `jsonld`, `graphml`, `csvzip`,
`sssom`) take that document and yield bytes, through the libraries that own each format (rdflib,
networkx, sssom-pydantic, the standard library's csv and zipfile). `vocabulary` is the OWL/RDFS
file for labels and relationship types; `skos` decides which relationships read as SKOS.
"""
