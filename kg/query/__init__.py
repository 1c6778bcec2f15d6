"""Questions asked of the graph, one module per question.

- ``kg.query.paths``: shortest, k-shortest and all simple paths between two entities
- ``kg.query.neighbors``: the entities within some hops of one entity
- ``kg.query.edges``: the facts of given relations, kinds and entity types
- ``kg.query.timeline``: dated facts and figures in date order
- ``kg.query.rank``: who is central (degree, betweenness, PageRank)
- ``kg.query.figures``, ``kg.query.profile`` (``kg show``), ``kg.query.sources``,
  ``kg.query.stats``: figures, one entity or source, the source registry, counts
- ``kg.query.graph``: the networkx view; ``kg.query.selection``: what --as-of, --relation,
  --type and --role keep

Each takes a Dataset and plain arguments, checks names against the ontology
(``UnknownTerm``), and returns records with a ``to_json`` whose shape is
documented in docs/queries.md.
"""

__all__: list[str] = []
