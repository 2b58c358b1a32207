"""Types of the native module ``unres._unres`` (see ``unres/__init__.py`` for the typed
classes built on it)."""

from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence

__version__: str

class Index:
    def __init__(self, path: str) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def freshness(self) -> Dict[str, Any]: ...
    def search(
        self,
        q: str,
        *,
        kind: Optional[str] = None,
        session: Optional[str] = None,
        year: Optional[str] = None,
        symbol: Optional[str] = None,
        cites: Optional[str] = None,
        sort: Optional[str] = None,
        collapse: bool = False,
        by: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        exact: bool = False,
    ) -> Dict[str, Any]: ...
    def records(self, reference: str) -> List[Dict[str, Any]]: ...
    def record(self, reference: str) -> Dict[str, Any]: ...
    def resolution(self, reference: str) -> Dict[str, Any]: ...
    def diff(self, old: str, new: Optional[str] = None, *, changed: bool = False) -> List[Dict[str, Any]]: ...
    def history(self, reference: str) -> List[Dict[str, Any]]: ...
    def stats(self) -> Dict[str, Any]: ...

class Records:
    def __iter__(self) -> Iterator[Dict[str, Any]]: ...
    def __next__(self) -> Dict[str, Any]: ...

def build(
    paths: Sequence[str],
    index: str,
    *,
    progress: Optional[Callable[[int, int], Any]] = None,
    rebuild: bool = False,
    threads: Optional[int] = None,
) -> Dict[str, Any]: ...
def open_or_update(
    corpus: Sequence[str], index: str, *, progress: Optional[Callable[[int, int], Any]] = None
) -> Index: ...
def export(paths: Sequence[str]) -> Records: ...
