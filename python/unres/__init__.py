"""unres: exact, paragraph-level search of the UN General Assembly's disarmament resolutions
in Chinese, from Python.

    >>> import unres
    >>> unres.build(["corpus"], "index")                       # as `unres index`
    >>> idx = unres.Index("index")                              # opens; never rebuilds
    >>> page = idx.search("小武器 kind:operative", limit=10)
    >>> [hit.place for hit in page.hits]
    >>> idx.count("妇女"), idx.by_session("妇女")

Every answer is the library's own: the hits and listings are the objects the command line's
``--json`` and the HTTP API print, with the same names. The GIL is released while the index
works, so one ``Index`` serves many threads at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Type, TypeVar, Union

from . import _unres
from .errors import (
    CorpusError,
    DiskFullError,
    IndexUnavailableError,
    NotFoundError,
    ParamError,
    QueryError,
    UnresError,
    UnresWarning,
)

__version__: str = _unres.__version__

PathArg = Union[str, "os.PathLike[str]"]
Paths = Union[PathArg, Sequence[PathArg]]
Progress = Callable[[int, int], Any]
Filter = Union[str, int, None]
R = TypeVar("R", bound="Record")


def _fields_of(cls: type, d: Dict[str, Any]) -> Dict[str, Any]:
    names = {f.name for f in fields(cls) if f.init and f.name != "raw"}
    return {k: v for k, v in d.items() if k in names}


@dataclass(frozen=True)
class Record:
    """A paragraph or footnote with its resolution's metadata, as ``unres show --json``
    prints it. ``kind`` is ``preamble``, ``operative``, ``footnote`` or ``annex``."""

    file: str
    symbol: str
    part: Optional[str]
    session: int
    year: int
    title: str
    date: Optional[str]
    meeting: Optional[int]
    kind: str
    para: int
    text: str
    footnotes: List[int]
    cites: List[str]
    cited_by: List[str]
    line: int
    place: str
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def _from(cls: Type[R], d: Dict[str, Any]) -> R:
        return cls(raw=d, **_fields_of(cls, d))

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object the command line prints for this record."""
        return dict(self.raw)


@dataclass(frozen=True)
class Hit(Record):
    """A search hit: the record, its ``score``, a ``snippet`` of about 80 characters with
    its ``snippet_highlights``, the ``highlights`` of the whole text (character ranges,
    end excluded) and, for a collapsed hit, ``also_in``: the other resolutions of its
    series where the paragraph matches unchanged."""

    score: float = 0.0
    snippet: str = ""
    snippet_highlights: List[List[int]] = field(default_factory=list)
    highlights: List[List[int]] = field(default_factory=list)
    also_in: Optional[List[Dict[str, Any]]] = None


@dataclass(frozen=True)
class ResolutionCount:
    """One resolution of a listing by resolution, with the number of its records that match."""

    symbol: str
    part: Optional[str]
    session: int
    year: int
    date: Optional[str]
    title: str
    file: str
    count: int


@dataclass(frozen=True)
class Page:
    """A page of hits. ``total`` counts every match when ``total_exact`` is true and is a
    lower bound otherwise (``exact=True`` or ``Index.count`` count them all); collapsed
    pages also give ``records``. ``previous`` maps each hit's resolution (``A/RES/78/47 A``)
    to the previous member of its series, or ``None``."""

    total: int
    total_exact: bool
    offset: int
    limit: int
    hits: List[Hit]
    records: Optional[int] = None
    records_exact: Optional[bool] = None
    previous: Dict[str, Optional[Dict[str, Any]]] = field(default_factory=dict)

    def to_pandas(self) -> Any:
        """The hits as a ``pandas.DataFrame``, one row a hit, the JSON names as columns
        (pandas is an optional dependency: ``pip install pandas``)."""
        try:
            import pandas  # type: ignore[import-untyped,unused-ignore]
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Page.to_pandas needs pandas: pip install pandas") from e
        columns = [f.name for f in fields(Hit) if f.name != "raw"]
        return pandas.DataFrame([h.to_dict() for h in self.hits], columns=columns)

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)


def _text(v: Filter) -> Optional[str]:
    return None if v is None else str(v)


class Index:
    """An open index. ``Index(path)`` opens the index in ``path`` as it is: it never
    builds or updates it (``open_or_update`` does). One ``Index`` may be shared by many
    threads; each search releases the GIL.

    The filters of every search method are those of ``unres search``: ``kind``
    (``preamble``, ``operative``, ``footnote``, ``annex``, or several joined by commas),
    ``session`` and ``year`` (one, or a range ``"70-78"``), ``symbol`` and ``cites``.
    """

    def __init__(self, path: PathArg) -> None:
        self._native = _unres.Index(os.fspath(path))

    @classmethod
    def _wrap(cls, native: Any) -> "Index":
        index = cls.__new__(cls)
        index._native = native
        return index

    @property
    def path(self) -> str:
        """The index folder."""
        return str(self._native.path)

    @property
    def freshness(self) -> Dict[str, Any]:
        """What ``open_or_update`` did (``built``, ``updated`` …); empty after ``Index(path)``."""
        return self._native.freshness

    def __repr__(self) -> str:
        return f"unres.Index({self.path!r})"

    def _ask(self, q: str, filters: Dict[str, Filter], **rest: Any) -> Dict[str, Any]:
        args: Dict[str, Any] = {k: _text(v) for k, v in filters.items()}
        args.update(rest)
        page: Dict[str, Any] = self._native.search(q, **args)
        return page

    def search(
        self,
        q: str,
        *,
        limit: int = 10,
        offset: int = 0,
        sort: str = "relevance",
        collapse: bool = False,
        exact: bool = False,
        kind: Filter = None,
        session: Filter = None,
        year: Filter = None,
        symbol: Optional[str] = None,
        cites: Optional[str] = None,
    ) -> Page:
        """A page of hits for query ``q`` (the query language of ``unres search``), as
        ``unres search --json`` and ``/api/search`` give it. ``sort`` is ``relevance``,
        ``newest`` or ``oldest``; ``collapse=True`` gives each paragraph once, its newest
        version; ``exact=True`` counts every match for ``total``."""
        page = self._ask(
            q,
            dict(kind=kind, session=session, year=year, symbol=symbol, cites=cites),
            sort=sort,
            collapse=collapse,
            limit=limit,
            offset=offset,
            exact=exact,
        )
        return Page(
            total=page["total"],
            total_exact=page["total_exact"],
            offset=page["offset"],
            limit=page["limit"],
            hits=[Hit._from(h) for h in page.get("hits", [])],
            records=page.get("records"),
            records_exact=page.get("records_exact"),
            previous=page.get("previous", {}),
        )

    def count(
        self,
        q: str,
        *,
        collapse: bool = False,
        kind: Filter = None,
        session: Filter = None,
        year: Filter = None,
        symbol: Optional[str] = None,
        cites: Optional[str] = None,
    ) -> int:
        """The exact number of records matching ``q`` (of paragraphs with
        ``collapse=True``), as ``unres search --count`` prints it."""
        page = self._ask(
            q,
            dict(kind=kind, session=session, year=year, symbol=symbol, cites=cites),
            collapse=collapse,
            limit=0,
            exact=True,
        )
        return int(page["total"])

    def by_session(
        self,
        q: str,
        *,
        kind: Filter = None,
        session: Filter = None,
        year: Filter = None,
        symbol: Optional[str] = None,
        cites: Optional[str] = None,
    ) -> Dict[int, int]:
        """Matching records per session, ``{session: count}`` in session order (``unres
        search --by-session``)."""
        page = self._ask(
            q,
            dict(kind=kind, session=session, year=year, symbol=symbol, cites=cites),
            by="session",
        )
        return {s["session"]: s["count"] for s in page.get("sessions", [])}

    def by_resolution(
        self,
        q: str,
        *,
        sort: str = "relevance",
        kind: Filter = None,
        session: Filter = None,
        year: Filter = None,
        symbol: Optional[str] = None,
        cites: Optional[str] = None,
    ) -> List[ResolutionCount]:
        """The resolutions with matching records and how many (``unres search
        --by-resolution``), most matches first, or by date with ``sort``."""
        page = self._ask(
            q,
            dict(kind=kind, session=session, year=year, symbol=symbol, cites=cites),
            by="resolution",
            sort=sort,
        )
        return [ResolutionCount(**r) for r in page.get("resolutions", [])]

    def records(self, reference: str) -> List[Record]:
        """Every record of a resolution (``"A/RES/78/46"``, one part ``"A/RES/78/47 A"``),
        as ``unres show --json`` prints them."""
        return [Record._from(r) for r in self._native.records(reference)]

    def record(self, reference: str) -> Record:
        """One record: ``idx.record("A/RES/78/46 op.3")`` (``pp.`` preamble, ``op.``
        operative, ``fn.`` footnote, ``annex.``)."""
        return Record._from(self._native.record(reference))

    def resolution(self, reference: str) -> Dict[str, Any]:
        """A resolution with its metadata, ``paragraphs`` and ``footnotes`` (its first part
        when the reference names none)."""
        return self._native.resolution(reference)

    def diff(self, old: str, new: Optional[str] = None, *, changed: bool = False) -> List[Dict[str, Any]]:
        """The paragraphs of two versions of a resolution, paired, as ``unres diff --json``
        prints them; with one reference, against the previous member of its series.
        ``changed=True`` keeps only what changed or moved."""
        return self._native.diff(old, new, changed=changed)

    def history(self, reference: str) -> List[Dict[str, Any]]:
        """A paragraph back through its series, newest first (``unres history --json``):
        ``idx.history("A/RES/78/46 op.3")``."""
        return self._native.history(reference)

    def stats(self) -> Dict[str, Any]:
        """Records by session and kind (``unres stats --json``)."""
        return self._native.stats()


def build(
    paths: Paths,
    index: PathArg,
    *,
    progress: Optional[Progress] = None,
    rebuild: bool = False,
    threads: Optional[int] = None,
) -> Dict[str, Any]:
    """Builds or updates the index in ``index`` from the files under ``paths`` (as ``unres
    index``) and returns its report: ``files``, ``reindexed``, ``removed``,
    ``resolutions``, ``paragraphs``, ``footnotes``, ``failed`` (``path`` and ``reason``
    each), ``duplicates``, ``bytes``, ``seconds``, ``committed``. A file that cannot be
    read is skipped with an ``UnresWarning``. ``progress(done, total)`` is called with the
    bytes read."""
    return _unres.build(_paths(paths), os.fspath(index), progress=progress, rebuild=rebuild, threads=threads)


def open_or_update(corpus: Paths, index: PathArg, *, progress: Optional[Progress] = None) -> Index:
    """The command line's default path: opens the index in ``index``, building it from
    ``corpus`` when there is none and updating it when the corpus changed. ``freshness``
    on the index says what was done."""
    return Index._wrap(_unres.open_or_update(_paths(corpus), os.fspath(index), progress=progress))


def export(paths: Paths) -> Iterator[Dict[str, Any]]:
    """The records of the files under ``paths``, one dict each, as ``unres export`` prints
    them. A file that cannot be read, or a resolution given again by another file, is an
    ``UnresWarning`` naming it; every good file's records are still given."""
    return iter(_unres.export(_paths(paths)))


def _paths(paths: Paths) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


__all__ = [
    "Index",
    "Page",
    "Hit",
    "Record",
    "ResolutionCount",
    "build",
    "open_or_update",
    "export",
    "UnresError",
    "QueryError",
    "ParamError",
    "NotFoundError",
    "IndexUnavailableError",
    "CorpusError",
    "DiskFullError",
    "UnresWarning",
]
