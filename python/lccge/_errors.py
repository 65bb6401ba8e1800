"""The exceptions lccge raises (the library's own message: "file:line: cause")."""

__all__ = ["Error", "InputError", "FileError"]


class Error(Exception):
    """An error reported by lccge.

    str(error) is the library's message, "file:line: cause" when the error comes from an input file.

    Attributes:
        file: the file the error is in ("" when none).
        line: its 1-based line (0 when unknown).
        cause: the message without the location.
        code: "invalid_input", "io_error", "failed" or "internal".
        problems: every problem found, as lccge.Problem objects, when there were several (the message names the
            first); else empty.
    """

    def __init__(self, message, file="", line=0, cause="", code="failed", problems=()):
        super().__init__(message)
        self.file = file
        self.line = line
        self.cause = cause or message
        self.code = code
        self.problems = list(problems)


class InputError(Error, ValueError):
    """Invalid input: a model file, data folder, name, option or value is wrong (also a ValueError)."""


class FileError(Error, OSError):
    """A file or folder could not be read or written (also an OSError)."""
