"""Ten million facts (or any multiple) from a generated landscape, in bounded memory.

``bench/generate.py`` holds a whole landscape in memory before writing it,
which at ten million facts takes more memory than the 2-core benchmark
machine should give it. This script writes COPIES renamed copies of a
landscape it generated instead, file by file: copy k renames every entity
(``organization-12`` → ``organization-12-c3``) and its names (``Nova
Organization 12c3``, ``星云12c3号``, ``Nova12c3``) and keeps the sources, so
the result is valid data of COPIES times the facts, in COPIES disconnected
parts that share their sources::

    python bench/generate.py --facts 1000000 --out m1
    python bench/replicate.py --source m1 --copies 10 --out m10
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

_ID = re.compile(r"(?<![\w-])(creative-work|organization|model|product|app|feature|platform|"
                 r"person|policy|figure)-(\d+)(?![\w-])")
_NAMES = re.compile(r"^    (?:labels|aliases): .*$", re.M)
_NUMBER = re.compile(r"\d+")


def renamed(text: str, copy: int) -> str:
    """A data file's text with its entities and their names renamed for copy ``copy``: each
    entity id takes a suffix, and so does each number in a line of labels or aliases."""
    suffix = f"c{copy}"
    text = _ID.sub(lambda m: f"{m.group(1)}-{m.group(2)}-{suffix}", text)
    return _NAMES.sub(lambda line: _NUMBER.sub(lambda m: m.group(0) + suffix, line.group(0)), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="a folder bench/generate.py wrote")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    parts = sorted(args.source.glob("part-*.yaml"))
    if not (args.source / "sources.yaml").is_file() or not parts:
        print(f"{args.source}: not a folder bench/generate.py wrote", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.yaml"):
        old.unlink()
    shutil.copyfile(args.source / "sources.yaml", args.out / "sources.yaml")
    for copy in range(args.copies):
        for part in parts:
            text = part.read_text(encoding="utf-8")
            target = args.out / f"part-c{copy:02d}-{part.name.removeprefix('part-')}"
            target.write_text(text if copy == 0 else renamed(text, copy), encoding="utf-8")
    print(f"{args.copies} copies of {len(parts)} files -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
