"""User data never drives the terminal: titles, artists, genres, tags, track ids and paths with
rich markup (``[link=...]``, ``[/bold]``, ``[remix]``) print as written, and control sequences
(colours, OSC 8 hyperlinks, C1 CSI) never reach stdout or stderr, in every command's tables,
progress, problem lines and errors; ``--json`` keeps the exact strings. Ctrl-C ends quietly."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import TINY_ARGS, run
from tests.support.manifests import read_rows, write_rows

REPO = Path(__file__).resolve().parents[1]

LINK = "[link=http://x]a[/link]"
CLOSE = "[/bold] x"
REMIX = "[remix]"
SGR = "\x1b[31mred"
OSC8 = "\x1b]8;;http://evil\x07click\x1b]8;;\x07"
C1 = "\x9b31m"
EMOJI = ":fire:"
NASTY = (LINK, CLOSE, REMIX, SGR, OSC8, C1, EMOJI)

#: what must never be written outside --json: ESC, BEL, DEL and every C1 control
UNSAFE = re.compile("[\x07\x1b\x7f-\x9f]")


def _nasty_catalog(master: Path, dst: Path) -> tuple[Path, list[dict]]:
    shutil.copytree(master, dst)
    rows = read_rows(dst)[:16]
    for i, s in enumerate(NASTY):
        rows[i]["title"] = f"{s} {i}"
        rows[i]["artist"] = f"{s} artist"
        rows[i]["genres"] = [s]
        rows[i]["tags"] = [s, "plain"]
    # a real audio file under a name with markup and an OSC 8 link, and a missing one whose
    # problem line carries a closing tag and colours (it once aborted the ingest)
    odd = f"audio/{REMIX} \x1b]8;;file:evil\x07click\x1b]8;;\x07 [b].wav"  # no "/" in a file name
    (dst / rows[6]["audio"]).rename(dst / odd)
    rows[6]["audio"] = odd
    rows[7]["audio"] = f"audio/[/oops] {SGR}{C1}.wav"
    rows[8]["track_id"] = f"id{REMIX}{SGR}"
    write_rows(dst, rows)
    return dst, rows


@pytest.fixture(scope="module")
def nasty(sample_catalog_master, tmp_path_factory):
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    root = tmp_path_factory.mktemp("nasty")
    catalog, rows = _nasty_catalog(sample_catalog_master, root / "catalog")
    return catalog, rows, root / "home"


def _visible(text: str) -> None:
    assert "Traceback" not in text and "internal error" not in text, text
    bad = UNSAFE.findall(text)
    assert not bad, f"control characters {bad!r} written: {text!r}"


@pytest.fixture(scope="module")
def ingested(nasty):
    """The ingest as people see it (tables, problem lines), once for the module."""
    from cli.main import main
    import io
    import contextlib

    catalog, rows, home = nasty
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # err_console writes to sys.stderr
        code = main(["ingest", str(catalog), "--home", str(home), *TINY_ARGS])
    return code, out.getvalue(), err.getvalue(), catalog, rows, home


def test_ingest_prints_problem_lines_with_markup_and_no_control_codes(ingested):
    code, out, err, *_ = ingested
    assert code == 0, err
    _visible(out + err)
    assert "[/oops]" in err  # the missing file's problem line, as written
    assert "problem(s)" in err


def _cases(rows, tmp: Path):
    t = rows[1]["track_id"]  # the "[/bold] x" track
    return [
        ["recommend", t, "-k", "20"],
        ["recommend", t, "-k", "20", "--explain"],
        ["recommend", rows[8]["track_id"], "-k", "5"],
        ["recommend", "--artist", f"{REMIX} artist", "-k", "10"],
        ["recommend", t, "-k", "5", "--genre", REMIX, "--genre", CLOSE],
        ["playlist", t, rows[2]["track_id"], "--per-seed", "5", "-o", str(tmp / f"{REMIX} [/oops] {SGR}.m3u8")],
        ["playlist", t, rows[2]["track_id"], "--explain"],
        ["path", rows[0]["track_id"], rows[5]["track_id"], "--steps", "3"],
        ["query", "--text", f"{LINK} {SGR} {OSC8} {C1}", "-k", "20"],
        ["query", "--audio", str(tmp / f"{SGR}\x1b]8;;x\x07y\x1b]8;;\x07 [/oops].wav")],  # an error naming a path
        ["facets", "genres"],
        ["facets", "artists"],
        ["info"],
        ["recommend", f"no such {LINK} {CLOSE} {SGR} {OSC8} {C1}"],  # the error line quotes the seed
    ]


def test_every_command_prints_user_data_as_written(ingested, capsys, tmp_path):
    code, _, err0, catalog, rows, home = ingested
    assert code == 0, err0
    seen = ""
    for argv in _cases(rows, tmp_path):
        argv = [*argv, "--home", str(home)]
        code, out, err = run(capsys, *argv)
        assert code in (0, 1), (argv, code, err)
        _visible(out + err)
        assert "error:" not in err or code == 1, (argv, err)
        if code == 1:  # one line: error: ...
            assert err.count("error:") == 1 and err.strip().startswith("error:"), (argv, err)
        seen += err
    # markup printed as written, control sequences gone but their visible text kept
    for shown in ("[remix]", "[/bold] x", "[link=http://x]a[/link]", "[/oops]", "click", "red", ":fire:"):
        assert shown in seen, shown
    assert "[link=http://x]a[/link] artist" in seen  # an artist cell, not a link


def test_json_keeps_the_exact_strings(ingested, capsys):
    *_, rows, home = ingested
    code, out, err = run(capsys, "recommend", rows[1]["track_id"], "-k", "40", "--max-per-artist", "0",
                         "--json", "--home", str(home))
    assert code == 0, err
    assert not UNSAFE.search(out)  # escaped as \u001b, \u0007, \u009b
    data = json.loads(out)
    titles = {r["title"] for r in data["results"]} | {s["title"] for s in data.get("seeds", [])}
    assert {f"{s} {i}" for i, s in enumerate(NASTY)} <= titles
    code, out, err = run(capsys, "facets", "genres", "--json", "--home", str(home))
    assert code == 0 and not UNSAFE.search(out)
    assert set(NASTY) <= {v["value"] for v in json.loads(out)["values"]}


def test_error_line_has_no_control_codes(capsys, tmp_path):
    bad = tmp_path / f"missing {SGR} {OSC8} {C1} [/oops]"
    code, out, err = run(capsys, "ingest", str(bad), "--home", str(tmp_path / "h"), *TINY_ARGS)
    assert code == 1
    _visible(out + err)
    assert err.startswith("error:") and err.count("\n") == 1 and "[/oops]" in err


def test_usage_error_quoting_a_value_has_no_control_codes(capsys, tmp_path):
    code, out, err = run(capsys, "recommend", "x", "--year", f"{SGR}{OSC8}{C1}", "--home", str(tmp_path))
    assert code == 2
    _visible(out + err)
    assert "redclick" in err


_INTERRUPTIBLE = """
import signal
import sys
# a shell gives a command the default SIGINT; a test run that ignored it earlier would hand
# SIG_IGN down to this child (dispositions survive exec), and Ctrl-C would never arrive
signal.signal(signal.SIGINT, signal.default_int_handler)
from tests.support.tiny_encoders import register_tiny_encoders
register_tiny_encoders(audio_delay=1.0)  # 12 batches: 12 s, Ctrl-C lands mid-encoding
from cli.main import entrypoint
sys.argv = ["recsys", *sys.argv[1:]]
entrypoint()
"""


def test_ctrl_c_during_ingest_exits_130_quietly(sample_catalog, tmp_path, capsys):
    env = dict(os.environ, RECSYS_HOME=str(tmp_path / "home"), COLUMNS="100")
    proc = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTIBLE, "ingest", str(sample_catalog), "--batch-size", "4", *TINY_ARGS],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    store = tmp_path / "home"
    deadline = time.time() + 60
    while time.time() < deadline and not (store.exists() and any(store.rglob("*"))):
        time.sleep(0.1)
    time.sleep(3.0)  # into the (slow) audio encoding, a chunk or two written (12 s in all; 1.5 s was too little on a loaded machine)
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "error" not in err.lower(), err
    code, out, err = run(capsys, "info", "--json", "--home", str(store))  # the store closed cleanly
    assert code == 0, err
    assert 0 < json.loads(out)["collections"][0]["points"] < 48


@pytest.mark.parametrize("raw,shown", [
    (LINK, LINK), (CLOSE, CLOSE), (REMIX, REMIX), (SGR, "red"), (OSC8, "click"), (C1, ""),
    ("a\tb\nc", "a b c"), ("\x1bPq#0\x1b\\x", "x"), ("\x1b(Bok", "ok"), ("ok\x1b", "ok"), ("\x9d0;title\x9cz", "z"),
    ("back\\", "back\\"), ("\\[", "\\["), ("\\\\[x]", "\\\\[x]"), (EMOJI, EMOJI), ("a\udcffb", "a\ufffdb"), ("فيروز \u200f", "فيروز \u200f"),
])
def test_safe_text_shows_the_visible_text(raw, shown):
    from rich.text import Text

    from cli.render import plain_text, safe_text

    assert plain_text(raw) == shown
    assert Text.from_markup(safe_text(raw), emoji=False).plain == shown


def test_safe_text_is_markup_safe_for_any_string():
    from hypothesis import given, settings, strategies as st
    from rich.text import Text

    from cli.render import plain_text, safe_text

    alphabet = st.sampled_from(list("[]/\\=ab x#\t\n") + ["\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\x00", "é", "[/", "[link="])

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.lists(alphabet, max_size=30).map("".join))
    def prop(s):
        assert not UNSAFE.search(plain_text(s))
        assert Text.from_markup(safe_text(s), emoji=False).plain == plain_text(s)

    prop()
