"""Faults: ``kill -9`` during every writing command, read-only, missing and full output
locations, and readers running while the data is edited.

Every target must be the old version or the new one, never a part or a mix (a CSV pair or an
imported folder from two runs); errors are one line; no temporary file is left for good.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEEDS, process_alive, run_cli
from tests.datagen import write_large_dataset

ENTITIES = 250  # large enough that an export takes a moment to write
KILLS = 4  # kill -9 moments per command


def kg(*args: str, cache: Path, **kwargs: object) -> subprocess.Popen:
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "kg", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def run(*args: str, cache: Path) -> subprocess.CompletedProcess:
    process = kg(*args, cache=cache)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def snapshot(target: Path) -> dict[str, bytes] | bytes | None:
    """A file's bytes, a folder's files, or None when the target does not exist."""
    if target.is_dir():
        return {p.name: p.read_bytes() for p in sorted(target.iterdir())}
    return target.read_bytes() if target.exists() else None


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def age_leftovers(folder: Path) -> None:
    for path in folder.iterdir():
        if path.name.endswith(".tmp"):
            os.utime(path, (time.time() - 60, time.time() - 60))


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Two versions of a large dataset (same size, other text) and a cache folder."""
    base = tmp_path_factory.mktemp("faults")
    return (write_large_dataset(base / "old", ENTITIES, "old"),
            write_large_dataset(base / "new", ENTITIES, "new"), base / "cache")


WRITERS = {
    "rdf": ["export", "rdf", "--format", "nt", "-o", "{target}"],
    "graphml": ["export", "graphml", "-o", "{target}"],
    "gexf": ["export", "gexf", "-o", "{target}"],
    "csv": ["export", "csv", "-o", "{target}"],
    "import": ["import", "rdf", "{dump}", "-o", "{target}"],
}


@pytest.mark.parametrize("command", WRITERS)
def test_kill_9_leaves_the_old_or_the_new_version(command: str, versions: tuple[Path, Path, Path],
                                                  tmp_path: Path) -> None:
    old, new, cache = versions
    target = tmp_path / "out" / ("target" if command in ("csv", "import") else f"target.{command}")

    def args(data: Path, to: Path) -> list[str]:
        dump = tmp_path / f"{data.name}.nt"
        if command == "import" and not dump.exists():
            assert run("--data", str(data), "export", "rdf", "--format", "nt", "-o", str(dump),
                       cache=cache).returncode == 0
        words = [w.format(target=to, dump=dump) for w in WRITERS[command]]
        return ([] if command == "import" else ["--data", str(data)]) + words

    reference = tmp_path / "reference"
    started = time.monotonic()
    assert run(*args(new, reference / target.name), cache=cache).returncode == 0
    duration = time.monotonic() - started
    new_version = snapshot(reference / target.name)
    assert run(*args(old, target), cache=cache).returncode == 0
    old_version = snapshot(target)
    assert old_version != new_version
    rng = random.Random(f"kill-{command}")
    for trial in range(KILLS):
        for path in target.parent.iterdir():  # so that a new temporary file shows a new write
            if path.name.endswith(".tmp"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        process = kg(*args(new, target), cache=cache)
        if trial % 2:  # at a random moment
            time.sleep(duration * rng.uniform(0.1, 1.1))
        else:  # while the target is being written: its temporary file has appeared
            _wait_for_writing(process, target.parent, time.monotonic() + 120)
            time.sleep(rng.uniform(0, 0.02))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        assert snapshot(target) in (old_version, new_version), "a partial or mixed target"
        if snapshot(target) == new_version:  # start again from the old one
            assert run(*args(old, target), cache=cache).returncode == 0
    age_leftovers(target.parent)
    assert run(*args(new, target), cache=cache).returncode == 0
    assert snapshot(target) == new_version
    assert leftovers(target.parent) == [], "the next run removes what killed runs left"


def _wait_for_writing(process: subprocess.Popen, folder: Path, deadline: float) -> None:
    while process.poll() is None and time.monotonic() < deadline:
        if leftovers(folder):
            return
        time.sleep(0.001)


# ---------------------------------------------------------------- where the output cannot go

@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[callable]:
    """Mount a small tmpfs (needs root, as CI has); yields a function taking the mount options."""
    mounts: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mount{len(mounts)}"
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", "-l", str(point)], check=False)


EXPORTS = [["export", "rdf", "-o", "{out}/kg.ttl"], ["export", "graphml", "-o", "{out}/kg.graphml"],
           ["export", "csv", "-o", "{out}/csv"], ["export", "html", "-o", "{out}/kg.html"]]


def _check_refused(out: Path, result: object) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write ") and "Traceback" not in \
        result.output, result.stderr
    assert not out.exists() or [p for p in out.iterdir()] == []


@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: c[1])
def test_a_read_only_location_is_one_line_and_writes_nothing(command: list[str], mounted,
                                                             tmp_path: Path) -> None:
    if os.geteuid() == 0:  # chmod does not stop root: a read-only file system does
        out = mounted("ro,size=1m")
    else:
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o555)
    _check_refused(out, run_cli(*[w.format(out=out) for w in command], data=SEEDS))


@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: c[1])
def test_a_full_disk_is_one_line_and_leaves_the_old_files(command: list[str], mounted) -> None:
    out = mounted("size=64k")
    words = [w.format(out=out) for w in command]
    target = Path(words[-1])
    if command[1] == "csv":
        target.mkdir()
        (target / "nodes.csv").write_text("old\n", encoding="utf-8")
        (target / "edges.csv").write_text("old\n", encoding="utf-8")
    else:
        target.write_text("old\n", encoding="utf-8")
    before = snapshot(target)
    result = run_cli(*words, data=SEEDS)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: cannot write {target}: No space left on device"]
    assert snapshot(target) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("command", EXPORTS + [["import", "rdf", "{dump}", "-o", "{out}/imported"]],
                         ids=lambda c: c[1] if c[0] == "export" else "import")
def test_a_file_size_limit_is_one_line_and_leaves_the_old_files(command: list[str],
                                                                tmp_path: Path) -> None:
    """The same as a full disk, without root: RLIMIT_FSIZE in the writing process."""
    out = tmp_path / "out"
    out.mkdir()
    dump = tmp_path / "dump.ttl"
    assert run_cli("export", "rdf", "-o", str(dump), data=SEEDS).exit_code == 0
    words = [w.format(out=out, dump=dump) for w in command]
    target = Path(words[-1])
    if command[1] == "csv" or command[0] == "import":
        target.mkdir()
    else:
        target.write_text("old\n", encoding="utf-8")
    before = snapshot(target)
    limit = "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))"
    code = f"{limit}\nimport sys\nfrom kg.cli import main\nsys.exit(main())"
    data = [] if command[0] == "import" else ["--data", str(SEEDS)]
    result = subprocess.run([sys.executable, "-c", code, *data, *words], capture_output=True,
                            text=True, env={**os.environ, "KG_CACHE": "0"}, timeout=300)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"error: cannot write {target}: File too large"]
    assert snapshot(target) == before
    assert leftovers(out) == []


def test_a_missing_output_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "not" / "yet" / "kg.ttl"
    assert run_cli("export", "rdf", "-o", str(target), data=SEEDS).exit_code == 0
    assert target.read_bytes().startswith(b"@prefix")


def test_an_output_below_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for command in (["export", "rdf", "-o", str(tmp_path / "file" / "kg.ttl")],
                    ["export", "csv", "-o", str(tmp_path / "file" / "csv")]):
        result = run_cli(*command, data=SEEDS)
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: cannot write {command[-1]}: ")


# ---------------------------------------------------------------- readers while the data changes

def test_readers_see_one_version_or_the_other_while_the_data_changes(tmp_path: Path) -> None:
    """Edits replace the file in one step (as editors and git do); readers with the cache on
    never see an error or a mix, and after the last edit they see the last version."""
    data = tmp_path / "data"
    write_large_dataset(data, 40, "first")
    first = (data / "data.yaml").read_bytes()
    write_large_dataset(data, 41, "second")
    second = (data / "data.yaml").read_bytes()
    cache = tmp_path / "cache"
    answers = {}
    for name, content in (("first", first), ("second", second)):
        (data / "data.yaml").write_bytes(content)
        answers[name] = json.loads(run("--data", str(data), "stats", "--format", "json",
                                       cache=cache).stdout)
    assert answers["first"] != answers["second"]

    readers = [kg("--data", str(data), "stats", "--format", "json", cache=cache) for _ in range(3)]
    seen: list[tuple[int, bytes, bytes]] = []
    deadline = time.monotonic() + 120
    flip = 0
    while len(seen) < 12 and time.monotonic() < deadline:
        staged = data / f".data.yaml.{flip}.edit"
        staged.write_bytes(second if flip % 2 == 0 else first)
        os.replace(staged, data / "data.yaml")
        flip += 1
        for i, reader in enumerate(readers):
            if reader.poll() is not None:
                out, err = reader.communicate()
                seen.append((reader.returncode, out, err))
                readers[i] = kg("--data", str(data), "stats", "--format", "json", cache=cache)
        time.sleep(0.01)
    for reader in readers:
        out, err = reader.communicate()
        seen.append((reader.returncode, out, err))
    assert len(seen) >= 12
    for code, out, err in seen:
        assert code == 0, err.decode()
        assert json.loads(out) in (answers["first"], answers["second"])
    last = "first" if flip % 2 == 0 else "second"
    final = run("--data", str(data), "stats", "--format", "json", cache=cache)
    assert json.loads(final.stdout) == answers[last]
    shutil.rmtree(cache, ignore_errors=True)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.update(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def test_parse_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    """``kill -9`` of a command while its process pool parses the data files: the workers end
    with it (before, they ran on for good)."""
    data = tmp_path / "data"
    for part in range(12):  # at least PARALLEL_FROM changed files: parsed by the pool
        write_large_dataset(data / f"part-{part}", 1500, tag=str(part))
    process = kg("--data", str(data), "stats", cache=tmp_path / "cache")
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and not workers and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert workers, "the build ended before its workers could be seen"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(process_alive(pid) for pid in workers):
        time.sleep(0.1)
    survivors = [pid for pid in workers if process_alive(pid)]
    for pid in survivors:  # the test leaves nothing running, even when it fails
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not survivors


def test_kill_during_kg_add_leaves_all_or_nothing(tmp_path: Path) -> None:
    """``kill -9`` of ``kg add entity --fact-in`` (two files written) at random moments: the
    next command sees the entity with its fact or neither, and no temporary file stays."""
    from tests.conftest import depth

    rng = random.Random(6)
    cache = tmp_path / "cache"
    for trial in range(depth(4, 20)):
        data = tmp_path / f"data-{trial}"
        shutil.copytree(SEEDS, data)
        process = kg("--data", str(data), "add", "entity", "Kling 9", "--type", "model", "--of",
                     "kling", "--fact-in", "kuaishou", "develops", "--source",
                     "dayulejia-sora2-jimeng-kling", "--locator", "para 1", "--file",
                     "market.yaml", cache=cache)
        time.sleep(rng.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        checked = run("--data", str(data), "validate", cache=cache)
        assert checked.returncode == 0, checked.stderr
        market = (data / "market.yaml").read_text(encoding="utf-8")
        kuaishou = (data / "kuaishou.yaml").read_text(encoding="utf-8")
        assert ("id: kling-9" in market) == ("object: kling-9" in market + kuaishou)
        assert not [p.name for p in data.iterdir() if p.name.startswith(".")]
