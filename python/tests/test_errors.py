"""Errors: every one an ``unres.UnresError``, a query or parameter error a ``ValueError``,
with the command line's message."""

from __future__ import annotations

import pytest

import unres


@pytest.mark.parametrize("q", ['"小武器', "kind:nothing 妇女", "session:abc 妇女", "妇女 year:abc", "cites:"])
def test_a_bad_query_is_a_query_error_with_the_command_lines_message(index, cli, q: str) -> None:
    idx = unres.Index(index)
    with pytest.raises(unres.UnresError) as raised:
        idx.search(q)
    assert isinstance(raised.value, ValueError)
    done = cli.run("search", q, "--index", str(index), check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == f"unres: {raised.value}"
    if isinstance(raised.value, unres.QueryError):
        assert raised.value.column >= 1
        assert raised.value.fragment in q


def test_bad_parameters_name_what_is_wrong(index) -> None:
    idx = unres.Index(index)
    with pytest.raises(unres.ParamError, match="sort"):
        idx.search("妇女", sort="bogus")
    with pytest.raises(unres.ParamError, match="kind"):
        idx.search("妇女", kind="paragraph")
    with pytest.raises(unres.ParamError):
        idx.record("A/RES/78/46 op.x")
    with pytest.raises(unres.ParamError, match="names no record"):
        idx.record("A/RES/78/46")


def test_missing_things_are_not_found_errors(index, cli) -> None:
    idx = unres.Index(index)
    with pytest.raises(unres.NotFoundError) as raised:
        idx.records("A/RES/1/1")
    assert isinstance(raised.value, LookupError)
    done = cli.run("show", "A/RES/1/1", "--index", str(index), check=False)
    assert done.returncode == 1 and done.stderr.strip() == f"unres: {raised.value}"
    with pytest.raises(unres.NotFoundError, match="has no"):
        idx.record("A/RES/78/46 op.999")
    first = next(h for h in idx.search("武器", sort="oldest", limit=1).hits)
    with pytest.raises(unres.NotFoundError, match="no earlier member") as raised:
        idx.diff(first.symbol)
    done = cli.run("diff", first.symbol, "--index", str(index), check=False)
    assert done.returncode == 1 and done.stderr.strip() == f"unres: {raised.value}"


def test_no_index_is_an_error_naming_the_folder(tmp_path) -> None:
    with pytest.raises(unres.IndexUnavailableError, match="no index here") as raised:
        unres.Index(tmp_path / "nothing")
    assert str(tmp_path / "nothing") in str(raised.value)
    assert isinstance(raised.value, OSError)
