"""Python's answers equal the command line's ``--json`` on the same index: first pages
(order included), exact counts, counts by session and by resolution, records, diffs,
histories and stats."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

import unres

# Words of the seed and of the generator, two-character words inside longer ones, a
# phrase, negation, filters, the orders and the collapsed view.
QUERIES = [
    "妇女",
    "小武器",
    "国际合作",
    "发展中国家",
    "核武器",
    "武器",
    '"小武器和轻武器"',
    "弹药 -妇女",
    "小武器 kind:operative",
    "裁军 kind:preamble",
    "同上 kind:footnote",
    "cites:A/RES/77/71",
    "3D 打印",
    "国际追查文书",
    "联合国 session:70-78",
]


def page_hits(page: unres.Page) -> List[Dict[str, Any]]:
    return [h.to_dict() for h in page.hits]


@pytest.mark.parametrize("q", QUERIES)
def test_first_pages_equal_the_command_lines(index, cli, q: str) -> None:
    idx = unres.Index(index)
    for sort in ("relevance", "newest", "oldest"):
        expected = cli.search(q, "--sort", sort, "--limit", "10")
        assert page_hits(idx.search(q, sort=sort, limit=10)) == expected, (q, sort)
    expected = cli.search(q, "--limit", "5", "--offset", "5")
    assert page_hits(idx.search(q, limit=5, offset=5)) == expected


@pytest.mark.parametrize("q", QUERIES)
def test_counts_and_listings_equal_the_command_lines(index, cli, q: str) -> None:
    idx = unres.Index(index)
    count = cli.run("search", q, "--count", "--index", str(index)).stdout.strip()
    assert idx.count(q) == int(count)
    sessions = cli.search(q, "--by-session")
    assert idx.by_session(q) == {s["session"]: s["count"] for s in sessions}
    assert sum(idx.by_session(q).values()) == idx.count(q)
    resolutions = cli.search(q, "--by-resolution")
    assert [r.__dict__ for r in idx.by_resolution(q)] == resolutions


@pytest.mark.parametrize("q", ["武器", "小武器 kind:operative", "国际合作"])
def test_collapsed_pages_equal_the_command_lines(index, cli, q: str) -> None:
    idx = unres.Index(index)
    expected = cli.search(q, "--collapse", "--sort", "newest", "--limit", "10")
    page = idx.search(q, collapse=True, sort="newest", limit=10)
    assert page_hits(page) == expected
    paragraphs = cli.run("search", q, "--collapse", "--count", "--index", str(index)).stdout
    assert idx.count(q, collapse=True) == int(paragraphs)


def test_filters_are_the_command_lines(index, cli) -> None:
    idx = unres.Index(index)
    stats = idx.stats()
    sessions = sorted(int(s) for s in stats["by_session"])
    low, high = sessions[0], sessions[len(sessions) // 2]
    expected = cli.search("武器", "--session", f"{low}-{high}", "--kind", "operative", "--limit", "20")
    got = idx.search("武器", session=f"{low}-{high}", kind="operative", limit=20)
    assert page_hits(got) == expected and expected
    assert all(low <= h.session <= high and h.kind == "operative" for h in got.hits)
    # An int is a session as its digits are.
    assert idx.count("武器", session=low) == idx.count("武器", session=str(low)) > 0


def test_a_page_knows_its_totals(index) -> None:
    idx = unres.Index(index)
    page = idx.search("武器", limit=10)
    exact = idx.search("武器", limit=10, exact=True)
    assert exact.total_exact and exact.total == idx.count("武器")
    assert page.total <= exact.total and len(page.hits) == 10
    assert page_hits(page) == page_hits(exact)
    # Every hit's resolution is in `previous`, with its series' previous member or None.
    for h in page.hits:
        key = h.symbol if h.part is None else f"{h.symbol} {h.part}"
        assert key in page.previous


def test_records_diffs_histories_and_stats_equal_the_command_lines(index, cli) -> None:
    idx = unres.Index(index)
    assert [r.to_dict() for r in idx.records("A/RES/78/46")] == cli.lines("show", "A/RES/78/46", "--json")
    one = idx.record("A/RES/78/46 op.3")
    assert [one.to_dict()] == cli.lines("show", "A/RES/78/46", "op.3", "--json")
    assert one.place == "A/RES/78/46 执行部分第 3 段"
    assert idx.stats() == cli.lines("stats", "--json")[0]
    # A member of a series, against the previous one and between two named resolutions.
    page = idx.search("武器", sort="newest", limit=50)
    later = [key for key, previous in page.previous.items() if previous and " " not in key]
    assert later, "the generated series give resolutions a previous member"
    symbol = later[0]
    assert idx.diff(symbol) == cli.lines("diff", symbol, "--json")
    assert idx.diff(symbol, changed=True) == cli.lines("diff", symbol, "--json", "--changed")
    ref = f"{symbol} op.1"
    assert idx.history(ref) == cli.lines("history", symbol, "op.1", "--json")
    resolution = idx.resolution("A/RES/78/46")
    assert resolution["symbol"] == "A/RES/78/46"
    assert len(resolution["paragraphs"]) + len(resolution["footnotes"]) == 72
