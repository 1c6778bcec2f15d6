"""Changing the data files: adding records (``curate``), importing spreadsheet rows
(``csvimport``), the text layout of a data file and ``kg fmt`` (``layout``) and new records as
YAML text in the data's style (``yamlwrite``).

Layer 6, beside ``kg.export`` and ``kg.rdf``.
"""

__all__: list[str] = []
