"""The real documents of ../shared/corpus as a corpus and a database (built once per session).

Each file is added the way a maintainer adds a received document: `tracker add` with the
URL on its first line and the country, series and edition year of its gold file
(tests/gold/<name>.yml, `document:`). So the follow-up tests do not depend on metadata
detection, which is tested elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tracker.build import build
from tracker.local import add_files

GOLD = Path(__file__).resolve().parent / "gold"
_BUILT: dict[str, Path] = {}


def add_shared(shared: Path, corpus: Path) -> int:
    added = 0
    for gold_file in sorted(GOLD.glob("*.yml")):
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        path = shared / gold["file"]
        first = path.read_text(encoding="utf-8").splitlines()[0]
        url = first.removeprefix("URL:").strip() if first.startswith("URL:") else None
        meta = gold["document"]
        done, errors = add_files(
            [str(path)],
            str(corpus),
            url=url,
            country=meta["country_code"],
            series=meta["series"],
            year=meta["report_year"],
        )
        assert not errors, errors
        added += len(done)
    return added


@pytest.fixture(scope="session")
def shared_db(shared: Path, tmp_path_factory) -> Path:
    """tracker.db built from every document of ../shared that has a gold file."""
    if "db" not in _BUILT:
        root = tmp_path_factory.mktemp("shared")
        add_shared(shared, root / "corpus")
        report = build(str(root / "corpus"), str(root / "tracker.db"))
        assert report.replaced and report.documents == 34, report.summary()
        _BUILT["db"] = root / "tracker.db"
    return _BUILT["db"]
