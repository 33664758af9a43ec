"""Tables as people see them at 120, 80 and 60 columns: ranks, scores and similarities whole,
title, artist and genres cut short instead; titles on one line; counts in the singular."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

import cli.render
from recsys.modalities import MODALITIES
from recsys.query.library import Result
from tests.support.cli import ingested_home, run

TITLE = "The Pensive Impromptu in E"  # 26 characters: wider than the room it gets
EXPLAINED = [0.93, 0.77, -0.09, None, 0.5, 1.0]


def _results(n: int, explain: bool, seeded: bool = False) -> list[Result]:
    out = []
    for i in range(n):
        values = [EXPLAINED[(i + j) % len(EXPLAINED)] for j in range(len(MODALITIES))]
        out.append(Result(
            track_id=f"t{i}", title=f"{TITLE} {i}", artist="The Milo Vance Quartet Orchestra", album="",
            genres=("classical-piano", "contemporary-jazz"), year=1990 + i, score=0.9 - i * 0.0123,
            explanation=dict(zip(MODALITIES, values)) if explain else None,
            seed=f"{TITLE} seed" if seeded else None,
        ))
    return out


def _draw(monkeypatch, width: int, results, explain: bool) -> str:
    file = io.StringIO()
    console = Console(file=file, width=width, color_system=None, highlight=False, emoji=False)
    monkeypatch.setattr(cli.render, "err_console", console)
    cli.render.results_table("Like \"River\" by The Marrow Pines (fused)", results, explain)
    return file.getvalue()


def _rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]


@pytest.mark.parametrize("width", [120, 80, 60])
@pytest.mark.parametrize("explain", [True, False])
@pytest.mark.parametrize("seeded", [False, True])
def test_ranks_and_scores_are_never_cut(monkeypatch, width, explain, seeded):
    results = _results(12, explain, seeded)
    text = _draw(monkeypatch, width, results, explain)
    assert all(len(line) <= width for line in text.splitlines()), text
    rows = _rows(text)
    assert len(rows) == len(results), text
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    assert "#" in header and "score" in header, text
    for i, (r, cells) in enumerate(zip(results, rows), 1):
        assert cells[0] == str(i), text  # the rank, whole
        assert f"{r.score:.3f}" in cells, text
        title = cells[1]
        assert title == r.title or (title.endswith("…") and r.title.startswith(title[:-1])), text
        if explain:
            for m, v in r.explanation.items():
                shown = "n/a" if v is None else f"{v:.2f}"
                assert any(c.endswith(shown) and not c.endswith(f"-{shown}") for c in cells[3:]) or shown in cells, (
                    m, shown, text)
        if not explain:
            assert str(r.year) in cells, text
    if width >= 120 and explain:
        assert "█" in text  # the bars are drawn where there is room
    if width >= 120 and not explain:
        assert "classical-piano" in text


def test_thirty_explained_results_with_long_titles_fit_120_columns(monkeypatch):
    """`recommend River -k 30 --explain` piped: 120 columns, 25-character titles."""
    results = _results(30, True)
    text = _draw(monkeypatch, 120, results, True)
    rows = _rows(text)
    assert [cells[0] for cells in rows] == [str(i) for i in range(1, 31)], text
    assert all(f"{r.score:.3f}" in cells for r, cells in zip(results, rows)), text
    assert "0.…" not in text and "…" not in "".join(c for cells in rows for c in cells[3:])
    assert "█" in text


def test_bar_keeps_the_value_at_every_size():
    from rich.text import Text

    for cells in (5, 1, 0):
        for value, shown in ((0.93, "0.93"), (-0.09, "-0.09"), (None, "n/a")):
            drawn = Text.from_markup(cli.render.bar(value, cells)).plain
            assert drawn.endswith(shown) and len(drawn) == {5: 11, 1: 7, 0: 5}[cells]  # a column of one width


# --- through the commands ----------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_catalog_master):
    return ingested_home(tmp_path_factory, sample_catalog_master)


def test_playlist_from_one_seed_says_seed(capsys, home, sample_catalog_master):
    rows = [json.loads(l) for l in (sample_catalog_master / "manifest.jsonl").read_text().splitlines()]
    code, _, err = run(capsys, "playlist", rows[0]["track_id"], "--home", str(home))
    assert code == 0, err
    assert "Playlist from 1 seed (" in err and "1 seeds" not in err, err
    code, _, err = run(capsys, "playlist", rows[0]["track_id"], rows[5]["track_id"], "--home", str(home))
    assert code == 0 and "Playlist from 2 seeds (" in err, err


def test_facets_title_stays_on_one_line(capsys, home, monkeypatch):
    console = Console(file=io.StringIO(), width=80, color_system=None, highlight=False, emoji=False)
    monkeypatch.setattr("cli.common.err_console", console)
    monkeypatch.setattr("cli.facets_cmd.err_console", console)
    code, _, err = run(capsys, "facets", "years", "--home", str(home))
    text = console.file.getvalue()
    assert code == 0, err
    title = next(line for line in text.splitlines() if line.startswith("Years in"))
    assert title.rstrip().endswith(")"), text  # "(N)" on the title's own line


def test_progress_rate_is_blank_until_known():
    """A stage done in one step (the graph, the index) has no rate: "120/120       /s" read as
    a broken one."""
    from rich.progress import Progress

    from cli.ingest_cmd import RateColumn

    with Progress(RateColumn(), console=Console(file=io.StringIO())) as bars:
        task = bars.add_task("graph", total=120)
        bars.advance(task, 120)
        assert "/s" not in RateColumn().render(bars.tasks[0]).plain


def test_fit_keeps_numbers_whole_below_any_sensible_width():
    """Other tables (eval's, info's) go through the same fit: at 40 columns a long number
    header wraps, text wraps or ends in "…", and where the numbers alone are wider than the
    console the table keeps their width rather than cut one."""
    from rich.table import Table

    from cli.tables import number_column, show

    for width in (40, 20):
        console = Console(file=io.StringIO(), width=width, color_system=None)
        table = Table(title="A: pair retrieval on 'sample'")
        table.add_column("vectors")
        for header in ("HR@10", "MRR@10", "P@10 (authors' L2, query kept)"):
            number_column(table, header)
        table.add_row("paper arch, trained per fold", "0.975", "0.954", "0.855")
        show(table, console)
        text = console.file.getvalue()
        rows = _rows(text)
        assert rows and rows[0][1:] == ["0.975", "0.954", "0.855"], text


def test_a_score_that_rounds_to_zero_shows_no_minus_sign(monkeypatch):
    """An untagged folder's recommend printed "-0.000" (a cosine of -0.0001): a sign that says
    nothing but looks like an error."""
    results = _results(2, False)
    results = [Result(**{**r.__dict__, "score": s}) for r, s in zip(results, (-0.0001, -0.25))]
    text = _draw(monkeypatch, 120, results, False)
    assert "-0.000" not in text and "0.000" in text and "-0.250" in text
