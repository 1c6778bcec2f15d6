"""The data and how it is read: the ontology (``ontology``), the shape of one record
(``records``), the typed records and the ``Dataset`` (``model``), reading a data folder
(``load``), the checks across records (``validate``), names and their folding (``names``),
partial dates (``dates``), how a fact or figure reads (``phrases``), locators and source texts
(``citations``) and a data folder at a git revision (``revisions``).

Layer 1: imports ``kg.util`` and ``kg.errors`` only.
"""

__all__: list[str] = []
