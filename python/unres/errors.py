"""The exceptions of ``unres``: one base class, ``UnresError``, and one class a kind of
failure. Their messages are the command line's."""

from __future__ import annotations


class UnresError(Exception):
    """Anything ``unres`` cannot do, with the command line's message."""


class QueryError(UnresError, ValueError):
    """A query that cannot be read. ``column`` is the 1-based column (in characters) of the
    offending part and ``fragment`` that part, as typed."""

    column: int = 0
    fragment: str = ""


class ParamError(UnresError, ValueError):
    """A search parameter or a reference that cannot be read (a sort, a kind, a session
    range, a limit past its cap, ``op.x``)."""


class NotFoundError(UnresError, LookupError):
    """No such resolution, part or record in the index."""


class IndexUnavailableError(UnresError, OSError):
    """No index in the folder, one of another format version, a damaged or locked one."""


class CorpusError(UnresError, OSError):
    """A corpus file that cannot be read or parsed."""


class DiskFullError(UnresError, OSError):
    """The disk filled up during an update: nothing was committed."""


class UnresWarning(UserWarning):
    """A file skipped or a resolution given twice; the work went on without it."""


__all__ = [
    "UnresError",
    "QueryError",
    "ParamError",
    "NotFoundError",
    "IndexUnavailableError",
    "CorpusError",
    "DiskFullError",
    "UnresWarning",
]
