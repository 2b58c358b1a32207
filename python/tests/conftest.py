"""Fixtures of the Python tests: a generated corpus with series (the project's generator,
benches/synth) plus the seed resolution, indexed once through ``unres.build``, and the
command line's binary to compare the answers with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _binary(name: str, env: str) -> Path:
    """The binary named by ``env``, else the newer of the release and debug builds."""
    if os.environ.get(env):
        return Path(os.environ[env])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    built = [target / p / name for p in ("release", "debug") if (target / p / name).exists()]
    if not built:
        raise RuntimeError(f"no {name}: build it with `cargo build --bin {name}` or set {env}")
    return max(built, key=lambda p: p.stat().st_mtime)


class Cli:
    """The command line, run on the same index."""

    def __init__(self, binary: Path, index: Path) -> None:
        self.binary = binary
        self.index = index

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(self.binary), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        if check and done.returncode not in (0, 1):
            raise AssertionError(f"unres {' '.join(args)}: exit {done.returncode}: {done.stderr}")
        return done

    def lines(self, *args: str) -> List[Dict[str, Any]]:
        out = self.run(*args, "--index", str(self.index)).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def search(self, *args: str) -> List[Dict[str, Any]]:
        return self.lines("search", *args, "--json")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    synth = _binary("unres-synth", "UNRES_SYNTH")
    subprocess.run(
        [str(synth), str(folder), "--count", "240", "--seed", "31", "--series", "12"],
        check=True,
        capture_output=True,
    )
    shutil.copy(ROOT / "corpus" / "A-RES-78-46.zh.txt", folder)
    return folder


@pytest.fixture(scope="session")
def index(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import unres

    path = tmp_path_factory.mktemp("built") / "index"
    report = unres.build([corpus], path)
    assert report["failed"] == []
    assert report["files"] == len(list(corpus.rglob("*.txt")))
    return path


@pytest.fixture(scope="session")
def cli(index: Path) -> Cli:
    return Cli(_binary("unres", "UNRES_BIN"), index)
