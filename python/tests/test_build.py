"""Building, updating and exporting from Python: the command line's records and reports,
a bad file named in a warning with every good file kept, progress, and threads."""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

import unres


def test_export_gives_the_command_lines_records(corpus, cli) -> None:
    out = cli.run("export", str(corpus)).stdout
    expected = [json.loads(line) for line in out.splitlines()]
    got = list(unres.export([corpus]))
    assert got == expected
    assert len(got) > 1000


def test_a_bad_file_is_a_warning_and_nothing_good_is_lost(corpus, tmp_path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(corpus, folder)
    (folder / "notes.txt").write_text("这不是决议。\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04" * 100)
    good = list(unres.export([corpus]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = list(unres.export(folder))
    messages = [str(w.message) for w in caught if issubclass(w.category, unres.UnresWarning)]
    assert any("notes.txt" in m for m in messages), messages
    assert any("binary.txt" in m for m in messages), messages
    assert len(records) == len(good)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = unres.build(folder, tmp_path / "index")
    assert sorted(Path(f["path"]).name for f in report["failed"]) == ["binary.txt", "notes.txt"]
    assert len(caught) >= 2
    idx = unres.Index(tmp_path / "index")
    assert idx.stats()["records"] == len(good)


def test_open_or_update_builds_then_updates(corpus, tmp_path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    calls = []
    idx = unres.open_or_update(folder, tmp_path / "index", progress=lambda d, t: calls.append((d, t)))
    assert idx.freshness["built"] is True
    assert calls and calls[-1][0] == calls[-1][1]
    before = idx.count("武器")
    again = unres.open_or_update(folder, tmp_path / "index")
    assert again.freshness == {} or again.freshness.get("built") is False
    (folder / "A-RES-78-46.zh.txt").unlink()
    updated = unres.open_or_update(folder, tmp_path / "index")
    assert updated.freshness["updated"]["removed"] == 1
    assert updated.count("武器") < before
    assert unres.Index(tmp_path / "index").count("武器") == updated.count("武器")


def test_a_progress_callback_that_raises_is_raised(corpus, tmp_path) -> None:
    def fail(done: int, total: int) -> None:
        raise KeyError("stop")

    with pytest.raises(KeyError):
        unres.build(corpus, tmp_path / "index", progress=fail)


def test_threads_share_one_index_and_get_the_same_answers(index) -> None:
    idx = unres.Index(index)
    queries = ["妇女", "小武器", "国际合作", "发展中国家", "核武器", "武器"] * 4
    alone = {q: [h.to_dict() for h in idx.search(q, limit=20).hits] for q in set(queries)}
    counts = {q: idx.count(q) for q in set(queries)}
    failures = []

    def work(qs):
        for q in qs:
            if [h.to_dict() for h in idx.search(q, limit=20).hits] != alone[q]:
                failures.append(q)
            if idx.count(q) != counts[q]:
                failures.append(q)

    threads = [threading.Thread(target=work, args=(queries[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_a_search_lets_other_threads_run(index) -> None:
    """The GIL is released while the index works. With a switch interval of a second, a
    Python thread gets no time while the main thread holds the GIL; it ticks during the
    searches only because each search lets go of it."""
    idx = unres.Index(index)
    ticks = 0
    stop = False
    started = threading.Event()

    def count_ticks():
        nonlocal ticks
        started.set()
        while not stop:
            ticks += 1
            time.sleep(0)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1.0)
    ticker = threading.Thread(target=count_ticks)
    try:
        ticker.start()
        started.wait()
        before = ticks
        # Pages of 500 hits: each search reads hundreds of stored records, long enough
        # for the waiting thread to wake up and take the GIL.
        for _ in range(20):
            idx.search("武器", limit=500)
        during = ticks - before
    finally:
        stop = True
        ticker.join()
        sys.setswitchinterval(interval)
    assert during > 0


def test_pages_become_data_frames(index) -> None:
    pandas = pytest.importorskip("pandas")
    idx = unres.Index(index)
    page = idx.search("武器", limit=7)
    frame = page.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert len(frame) == 7
    assert list(frame["place"]) == [h.place for h in page.hits]
    series = pandas.Series(idx.by_session("武器"))
    assert series.sum() == idx.count("武器")
