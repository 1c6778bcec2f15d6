"""A competitive-landscape knowledge graph of the AI-video market.

The Python API, for notebooks and other tools::

    import kg
    data = kg.load()                      # seeds/ by default; raises kg.DataError
    kling = data.resolve("可靈")           # any id, label or alias
    graph = kg.build_graph(data)          # networkx MultiDiGraph
    store = kg.open_store()               # the compiled store the command line reads

Importing ``kg`` is cheap: networkx, rdflib and pyvis are imported only by
the functions that need them.
"""

from __future__ import annotations

from typing import Any

from kg.data.load import check, load
from kg.data.ontology import load_ontology
from kg.errors import DataError, KgError, LookupFailed, Problem

__version__ = "0.1.0"
__all__ = ["DataError", "KgError", "LookupFailed", "Problem", "build_graph", "check", "load",
           "load_ontology", "open_store"]


def build_graph(dataset: Any):
    """The dataset as a networkx MultiDiGraph (see ``kg.query.graph``)."""
    from kg.query.graph import build

    return build(dataset)


def open_store(data_dir: Any = None, ontology_path: Any = None) -> Any:
    """The compiled store of a data folder, up to date (see ``kg.store``); raises DataError."""
    from kg.store import open_store as open_compiled

    return open_compiled(data_dir, ontology_path)
