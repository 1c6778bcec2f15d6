"""Questions asked of the graph, one module per question.

- ``kg.query.paths``: shortest, k-shortest and all simple paths between two entities
- ``kg.query.neighbors``: the entities within some hops of one entity
- ``kg.query.edges``: the facts of given relations, kinds and entity types
- ``kg.query.timeline``: dated facts and figures in date order
- ``kg.query.rank``: who is central (degree, betweenness, PageRank)

Each takes a Dataset and plain arguments, checks names against the ontology
(``UnknownTerm``), and returns records with a ``to_json`` whose shape is
documented in docs/queries.md.
"""
