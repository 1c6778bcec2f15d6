"""Problems found in the data, and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass

from kg.util.yamlsafe import Loc

__all__ = [
    "BadQuestion", "DataError", "KgError", "LookupFailed", "NoPath", "NoResult", "NothingToCompare",
    "NotYet", "Problem", "UnknownTerm"
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, at a place in a file."""

    loc: Loc
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.loc}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


class KgError(Exception):
    """Base class for errors meant for the user, shown without a traceback."""


class DataError(KgError):
    """The data (or the ontology) is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data")


class LookupFailed(KgError):
    """A name that names no entity, or more than one."""

    def __init__(self, message: str, candidates: list[tuple[str, str]] | None = None,
                 next_step: str | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []  # (id, label) pairs to suggest
        self.next_step = next_step  # what to do about it, in commands to run


class BadQuestion(KgError):
    """A question that cannot be asked as put (two ends that are one entity, fewer than two
    entities to compare, a span that ends before it starts): a usage error on the command line."""


class UnknownTerm(KgError):
    """A relation, entity type, fact kind or metric the ontology does not define.

    ``param`` names the argument that carried it, so a command line can point
    at the option (it is a usage error there).
    """

    def __init__(self, what: str, name: str, hint: str, param: str) -> None:
        super().__init__(f"unknown {what} {name!r}" + (f"; {hint}" if hint else ""))
        self.what, self.name, self.hint, self.param = what, name, hint, param


class NoResult(KgError):
    """A question with no answer under the filters given."""


class NoPath(NoResult):
    """No path joins the two entities under the filters given."""


class NotYet(NoResult):
    """The entity did not exist yet on the day asked about."""


class NothingToCompare(NoResult):
    """No row of a comparison survives the filters given."""
