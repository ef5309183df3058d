"""The one exception type for refusals a person at a terminal reads.

Bad *input* is never an exception: it is a ``Problem`` with file and line
(``problems``). A ``HandbookError`` is for a command that cannot do what was
asked – git missing, a release that may not be approved – and carries a
Swedish message, a hint and optional detail lines. The CLI prints it and exits
with 1, or 2 for a bad invocation (``usage``).
"""

from __future__ import annotations


class HandbookError(Exception):
    """A refusal or failure, with a Swedish message for the person at the terminal."""

    def __init__(self, message: str, hint: str = "", details: list[str] | None = None, *, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or []
        # A bad invocation (exit code 2) rather than a refusal (exit code 1).
        self.usage = usage
