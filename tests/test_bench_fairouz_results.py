"""bench/fairouz_results.py writes docs/results.md: a rerun keeps the sections written by hand
below its marker (the maps, the caveats); it used to write over them."""

from __future__ import annotations

from tests.support.bench_modules import load_bench


def test_a_rerun_keeps_what_is_written_by_hand(tmp_path):
    bench = load_bench("fairouz_results")
    out = tmp_path / "results.md"
    assert bench.kept_by_hand(out) == ""  # a new file
    out.write_text("# Results\nold figures\n" + bench.HAND_WRITTEN + "\n## Maps\nby hand\n")
    kept = bench.kept_by_hand(out)
    assert kept.startswith("\n" + bench.HAND_WRITTEN) and kept.endswith("## Maps\nby hand\n")
    assert "old figures" not in kept
    out.write_text("# Results\nno marker\n")
    assert bench.kept_by_hand(out) == ""


def test_the_report_in_docs_has_the_marker():
    from pathlib import Path

    bench = load_bench("fairouz_results")
    text = (Path(__file__).resolve().parents[1] / "docs" / "results.md").read_text()
    assert text.count(bench.HAND_WRITTEN) == 1 and text.index(bench.HAND_WRITTEN) < text.index("## Maps")
