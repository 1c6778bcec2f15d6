"""kg.util.bounded: work in a child process, stopped at its deadline or its memory limit."""

from __future__ import annotations

import time

import pytest

from kg.errors import KgError
from kg.util.bounded import LimitExceeded, register_error, run_bounded


@register_error
class _Custom(KgError):
    pass


def test_the_result_comes_back_as_data() -> None:
    assert run_bounded(lambda: {"rows": [[1, "a\ud800\u2028"]], "ok": True}, 10, 256, "it") == {
        "rows": [[1, "a\ud800\u2028"]], "ok": True}


def test_work_past_its_deadline_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"the loop took longer than 0.5 s and was stopped"):
        run_bounded(lambda: time.sleep(60), 0.5, 256, "the loop")
    assert time.monotonic() - started < 10


def test_work_that_takes_too_much_memory_is_stopped() -> None:
    def hog() -> int:
        blocks = []
        while True:
            blocks.append(bytearray(16 * 1024 * 1024))
            if len(blocks) > 1000:  # 16 GiB: the limit must have stopped it long before
                return len(blocks)

    with pytest.raises(LimitExceeded, match=r"ran out of memory \(limit 64 MiB"):
        run_bounded(hog, 60, 64, "the hog")


def test_errors_cross_with_their_class_and_message() -> None:
    def fail() -> None:
        raise _Custom("a clear message")

    with pytest.raises(_Custom, match="a clear message"):
        run_bounded(fail, 10, 256, "it")

    def other() -> None:
        raise KgError("plain")

    with pytest.raises(KgError, match="plain"):
        run_bounded(other, 10, 256, "it")


def test_a_child_that_dies_gives_a_clear_error() -> None:
    import os

    with pytest.raises(KgError, match="failed without an answer"):
        run_bounded(lambda: os._exit(3), 10, 256, "it")


def test_a_memory_message_names_only_an_option_the_command_has() -> None:
    def hog() -> int:
        blocks = []
        while len(blocks) < 1000:
            blocks.append(bytearray(16 * 1024 * 1024))
        return len(blocks)

    with pytest.raises(LimitExceeded) as info:
        run_bounded(hog, 60, 64, "reading x.ttl", memory_option=None)
    assert str(info.value) == "it ran out of memory (limit 64 MiB)"
