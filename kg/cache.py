"""A cache of validated datasets, so that read commands skip parsing and checking.

The key is a hash of everything the result depends on: the bytes of every
data file and of the ontology, their paths as shown in messages, and the
package's own code (file sizes and modification times). Only a dataset that
validated is cached; a cache file that cannot be read is ignored and
rewritten. ``KG_CACHE=0`` turns the cache off; ``KG_CACHE_DIR`` moves it
(default ``$XDG_CACHE_HOME/ai-video-kg`` or ``~/.cache/ai-video-kg``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from kg.load import DEFAULT_DATA, data_files, display_path, load
from kg.model import Dataset
from kg.ontology import DEFAULT_PATH as DEFAULT_ONTOLOGY
from kg.ontology import load_ontology

_PACKAGE = Path(__file__).resolve().parent
_KEEP = 16  # cache files kept; older ones are removed


def cache_dir() -> Path | None:
    """Where cached datasets go, or None when caching is off."""
    if os.environ.get("KG_CACHE", "1") == "0":
        return None
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ai-video-kg"


def _key(data: Path, ontology: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(f"{Path.cwd()}\n".encode())
    for path in (ontology, *data_files(data)):
        content = path.read_bytes()
        digest.update(f"{display_path(path)}\0{len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()


def load_cached(data_dir: str | os.PathLike[str] | None = None,
                ontology_path: str | os.PathLike[str] | None = None) -> Dataset:
    """Like ``kg.load.load``, answered from the cache when nothing changed."""
    folder = cache_dir()
    data = Path(data_dir) if data_dir is not None else DEFAULT_DATA
    ontology = Path(ontology_path) if ontology_path is not None else DEFAULT_ONTOLOGY
    if folder is None or not ontology.is_file():
        return load(data, load_ontology(ontology))
    try:
        path = folder / f"{_key(data, ontology)}.pickle"
    except OSError:  # an unreadable file: let the loader report it properly
        return load(data, load_ontology(ontology))
    try:
        dataset = pickle.loads(path.read_bytes())
        if isinstance(dataset, Dataset):
            return dataset
    except Exception:  # noqa: BLE001 - any unreadable cache entry is simply rebuilt
        pass
    dataset = load(data, load_ontology(ontology))
    _store(folder, path, dataset)
    return dataset


def _store(folder: Path, path: Path, dataset: Dataset) -> None:
    """Write a cache entry; a cache that cannot be written is no error."""
    from kg.exporters import write_atomic

    try:
        write_atomic(path, pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL))
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-_KEEP]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - read-only home, full disk …: just do without
        return
