"""kg.util.processes: a forked child ends when its parent does."""

from __future__ import annotations

import os
import signal
import time

from tests.conftest import process_alive


def test_a_child_ends_with_its_killed_parent() -> None:
    """A middle process forks a grandchild that calls ``die_with_parent`` and sleeps; the
    middle one is killed; the grandchild must end within moments."""
    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(read_end)
        parent = os.getpid()
        child = os.fork()
        if child == 0:
            from kg.util.processes import die_with_parent

            die_with_parent(parent)
            time.sleep(60)
            os._exit(0)
        os.write(write_end, str(child).encode())
        time.sleep(60)
        os._exit(0)
    os.close(write_end)
    grandchild = int(os.read(read_end, 32).decode())
    os.close(read_end)
    time.sleep(0.3)  # let the grandchild ask for the signal
    os.kill(middle, signal.SIGKILL)
    os.waitpid(middle, 0)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and process_alive(grandchild):
        time.sleep(0.05)
    survived = process_alive(grandchild)
    if survived:  # leave nothing running, even when failing
        os.kill(grandchild, signal.SIGKILL)
    assert not survived
