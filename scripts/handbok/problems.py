"""The one problem type that flows from loader to checker, CLI, build log and CI."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(str, enum.Enum):
    ERROR = "fel"
    WARNING = "varning"


@dataclass(frozen=True, order=True)
class Problem:
    """A finding about one place in one file, like a linter's diagnostic.

    ``path`` is relative to the handbook root when possible; ``line`` and
    ``column`` are 1-based (0 means "the whole file").
    """

    path: str
    line: int
    column: int
    code: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def format(self) -> str:
        return f"{self.location()}: {self.severity.value} {self.code} {self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def relative(path: Path, root: Path | None) -> str:
    """Show a path relative to the handbook root, with forward slashes."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


class ProblemList(list):
    """A list of problems with helpers to add them with a location."""

    def add(
        self,
        path: str,
        line: int,
        code: str,
        message: str,
        *,
        column: int = 1,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        problem = Problem(path, line, column, code, severity, message, hint)
        self.append(problem)
        return problem

    def warn(self, path: str, line: int, code: str, message: str, **kwargs) -> Problem:
        return self.add(path, line, code, message, severity=Severity.WARNING, **kwargs)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if not p.is_error]
