"""recsys info."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cli.common import HomeOpt, JsonOpt, UrlOpt, err_console, open_store, print_json, settings
from cli.render import counted, safe_text
from cli.tables import number_column, show
from recsys.query.info import collect_info

app = typer.Typer()


@app.command()
def info(as_json: bool = JsonOpt, home: Optional[Path] = HomeOpt, qdrant_url: Optional[str] = UrlOpt) -> None:
    """Collections, points, vectors per modality, encoders and where the store lives."""
    cfg = settings(home, qdrant_url)
    with open_store(cfg) as backend:
        data = [c.as_dict() for c in collect_info(backend)]
    if as_json:
        print_json({"store": cfg.store_label, "collections": data})
        return
    err_console.print(f"store: {safe_text(cfg.store_label)}")
    if not data:
        err_console.print("no collections yet; run `recsys ingest`")
    for c in data:
        t = Table(title=safe_text(f"collection '{c['collection']}': {counted(c['points'], 'track')} ({c['catalog']['kind']} {c['catalog']['path']})"),
                  title_justify="left")
        number_column(t, "vector", justify="left")  # a name, a short one: kept whole like the numbers
        number_column(t, "points")
        number_column(t, "dim")
        t.add_column("encoder", no_wrap=True, overflow="ellipsis")
        t.add_column("model", no_wrap=True, overflow="ellipsis")
        for v, n in c["vectors"].items():
            enc = c["encoders"].get(v)
            if v == "fused":
                enc_name, model = c["fused"]["kind"], "+".join(c["fused"]["parts"]) or (c["fused"]["checkpoint"] or "")
            else:
                enc_name, model = (enc["name"], enc["model"]) if enc else ("", "")
            t.add_row(*(safe_text(x) for x in (v, n, c["dims"][v], enc_name, model)))
        show(t, err_console)
