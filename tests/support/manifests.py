"""Reading and rewriting a test catalog's manifest.jsonl (tests edit rows between ingests)."""

from __future__ import annotations

import json
from pathlib import Path


def read_rows(catalog_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (catalog_dir / "manifest.jsonl").read_text().splitlines()]


def write_rows(catalog_dir: Path, rows: list[dict]) -> None:
    (catalog_dir / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
