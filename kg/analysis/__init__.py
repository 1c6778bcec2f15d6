"""Analyses built on the queries: the comparison matrix (``compare``), changes between two days
or two revisions (``diff``), the one-page brief (``brief``) and the citation coverage of source
texts (``coverage``). Results are data; ``kg.render`` turns them into text, Markdown or HTML.

Layer 4: imports ``kg.query``, ``kg.store``, ``kg.data`` and ``kg.util``.
"""

__all__: list[str] = []
