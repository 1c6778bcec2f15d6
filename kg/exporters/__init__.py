"""Export formats, registered by name; each lives in its own module.

An exporter module provides ``export(dataset, target, **options) -> list[Path]``
that writes the files (atomically, see ``write_atomic``) and returns them.
Modules are imported only when their format is used, so a command that only
reads never pays for rdflib or pyvis.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from kg.errors import KgError


@dataclass(frozen=True)
class Exporter:
    name: str
    module: str
    description: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("rdf", "kg.exporters.rdf", "RDF: Turtle, N-Triples, JSON-LD, TriG or RDF/XML"),
        Exporter("graphml", "kg.exporters.graphml", "GraphML (Gephi, yEd, Cytoscape)"),
        Exporter("gexf", "kg.exporters.gexf", "GEXF (Gephi)"),
        Exporter("json", "kg.exporters.nodelink", "node-link JSON (networkx, d3)"),
        Exporter("csv", "kg.exporters.csv", "CSV: nodes.csv and edges.csv in a folder"),
        Exporter("html", "kg.exporters.html", "one self-contained interactive HTML page"),
    )
}


def get(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise KgError(f"unknown export format {name!r}; known: {', '.join(EXPORTERS)}") from None


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write a file so that readers see the old content or the new, never a part.

    The content goes to a temporary file beside the target, which then
    replaces it; on any failure the target is left as it was.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise KgError(f"cannot write {path}: {exc.strerror}") from None
        raise
    return path
