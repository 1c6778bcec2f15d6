"""A competitive-landscape knowledge graph of the AI-video market.

The Python API, for notebooks and other tools, is one object::

    import kg
    lnd = kg.open()                           # seeds/ and ontology/ by default
    lnd.paths("disney", "kling")              # answered from the compiled store's rows
    lnd.profile("可靈").to_json()               # any id, label or alias, in any script
    lnd.compare("sora-2", "veo", "kling")
    lnd.changes(date(2025, 9, 29), date(2025, 10, 5))
    lnd.graph()                               # a networkx MultiDiGraph
    lnd.export("graphml", "landscape.graphml")

``lnd.dataset`` (every record in memory), ``lnd.store`` (the compiled SQLite store) and
``lnd.ontology`` are there for what the methods do not cover. Every error is a ``kg.KgError``;
``kg.DataError`` carries each problem of invalid data with its file, line and column.

Importing ``kg`` is cheap: networkx, rdflib and pyvis are imported only by
the functions that need them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.data.load import check, load
from kg.data.ontology import load_ontology
from kg.errors import (
    BadQuestion,
    DataError,
    KgError,
    LookupFailed,
    NoPath,
    NoResult,
    NothingToCompare,
    NotYet,
    Problem,
    UnknownTerm,
)
from kg.landscape import Landscape, open

if TYPE_CHECKING:
    import networkx as nx

    from kg.data.model import Dataset
    from kg.store import Store

__version__ = "0.1.0"
__all__ = ["BadQuestion", "DataError", "KgError", "Landscape", "LookupFailed", "NoPath", "NoResult",
           "NotYet", "NothingToCompare", "Problem", "UnknownTerm", "build_graph", "check", "load",
           "load_ontology", "open", "open_store"]


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a networkx MultiDiGraph (see ``kg.query.graph``); ``Landscape.graph`` is
    the same for a landscape."""
    from kg.query.graph import build

    return build(dataset)


def open_store(data_dir: str | os.PathLike[str] | None = None,
               ontology_path: str | os.PathLike[str] | None = None) -> Store:
    """The compiled store of a data folder, up to date (see ``kg.store``); raises DataError."""
    from kg.store import open_store as open_compiled

    return open_compiled(data_dir, ontology_path)
