"""The README's Python example, run as written in a folder holding the seed corpus: it
prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import re
import shutil

from conftest import ROOT


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README.md has a ```python block"
    return blocks[0]


def test_the_readme_example_runs_and_prints_what_it_says(tmp_path, monkeypatch) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    code = readme_example()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert all(line.startswith("A/RES/78/46 执行部分第 ") for line in lines[:3])
    promised = re.search(r"# (\d+ \{.*\})\s*$", code.strip().splitlines()[-1])
    assert promised and lines[3] == promised.group(1)
