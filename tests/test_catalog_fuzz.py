"""Fault injection for the manifest reader: hypothesis writes JSONL and CSV manifests with every
kind of bad row (values of any JSON type, NaN/Infinity/huge numbers, nested and deeply nested
JSON, lone surrogates, BOMs, NUL bytes, invalid UTF-8, missing/extra/duplicate columns,
duplicate track ids, oversized fields, paths that escape the folder or point at a FIFO,
/dev/zero or a symlink loop) and checks that ``read_catalog``

- returns a Catalog, or raises the documented CatalogError (the manifest as a whole is
  unreadable: not UTF-8, no header...), never anything else;
- never hangs (each read runs on a thread with a deadline) and never writes (the folder's
  listing, sizes and mtimes are the same before and after);
- reports each bad row or field as one ``manifest.<ext>:<line>: what`` line, and gives every
  non-blank JSONL line a track or a problem (nothing is lost without a word);
- returns tracks that hash, serialise and stay inside the caps and the catalog folder.

A handful of generated manifests are also ingested end to end through the CLI with the tiny
encoders: exit 0, or "nothing could be ingested" / one ``error:`` line, never a traceback or
"internal error". The default run has ~200 examples; ``pytest -m slow`` runs 1,000 per format.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.deadline import within_deadline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recsys.catalog import read_catalog
from recsys.catalog.manifest import (
    FIELDS,
    MAX_LIST_ITEMS,
    MAX_NAME_CHARS,
    MAX_PATH_CHARS,
    MAX_TEXT_CHARS,
    SHOWN_CHARS,
)
from recsys.catalog.model import Catalog, file_problem
from recsys.errors import CatalogError
from tests.support.manifests import read_rows

FAST = settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# ------------------------------------------------------------------ the folder the manifests sit in


@pytest.fixture(scope="module")
def playground(tmp_path_factory, sample_catalog_master) -> Path:
    """<tmp>/cat: good files, a FIFO, a link to /dev/zero, a symlink loop, a folder, a link
    out of the folder; <tmp>/outside.wav beside it (what escaping paths aim at)."""
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "cat"
    (root / "audio").mkdir(parents=True)
    (root / "covers").mkdir()
    row = read_rows(sample_catalog_master)[0]
    shutil.copyfile(sample_catalog_master / row["audio"], root / "audio" / "ok.wav")
    shutil.copyfile(sample_catalog_master / row["cover"], root / "covers" / "ok.png")
    shutil.copyfile(sample_catalog_master / row["audio"], base / "outside.wav")
    os.mkfifo(root / "pipe.wav")
    (root / "zero.wav").symlink_to("/dev/zero")
    (root / "loop.wav").symlink_to("loop.wav")
    (root / "link-out.wav").symlink_to("../outside.wav")  # placed by the owner: allowed
    return root


def _listing(base: Path) -> dict[str, tuple]:
    """path -> (mode, size, mtime) of ``base`` and everything under it (links not followed)."""
    st_ = os.lstat(base)
    out = {str(base): (st_.st_mode, st_.st_size, st_.st_mtime_ns)}
    for dirpath, dirnames, filenames in os.walk(base):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st_ = os.lstat(path)
            out[path] = (st_.st_mode, st_.st_size, st_.st_mtime_ns)
    return out


def _on_thread(fn):
    return within_deadline(fn, what="read_catalog hung")


# ------------------------------------------------------------------------------- strategies

PATHS = [
    "audio/ok.wav", "covers/ok.png", "./audio/ok.wav", "audio/../covers/ok.png", "missing.wav",
    "pipe.wav", "zero.wav", "loop.wav", "audio", ".", "link-out.wav", "../outside.wav",
    "../../etc/passwd", "/etc/passwd", "/dev/zero", "audio/\x00.wav", "p" * (MAX_PATH_CHARS + 1),
    "a/" * 3000 + "x.wav",
]
SPECIAL = [
    "", " ", "inf", "-Infinity", "NaN", "1e400", "9" * 400, "2014", " 2014.0 ", "1999.5", "\u0661\u0669\u0669\u0669",
    "\u00b2", "rock; pop;;rock", "\x00", "a\x00b", "\ufeff", "\u2028x", "\ud800", "a\udcffb", "'\"", "x,y\nz",
    *PATHS,
]
HUGE = [MAX_NAME_CHARS + 1, MAX_TEXT_CHARS + 1, 131_073]  # 10 MB fields: test_ten_megabyte_fields
KEYS = [*FIELDS, "audio_path", "cover_path", "Track_ID", " TITLE ", "ARTIST", "Year", "extra", "", "\ufefftrack_id"]

texts = st.text(max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**300, -(10**50), 2014, 0, 3000]),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.sampled_from(SPECIAL),
    st.sampled_from(HUGE).map(lambda n: "x" * n),
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=3), max_leaves=8
)
good_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10)
track_ids = st.one_of(st.sampled_from(["t1", "t2", "t3", " t1 ", "T1"]), st.just(7), good_text, json_values)


@st.composite
def jsonl_rows(draw) -> dict:
    row = draw(st.dictionaries(st.one_of(st.sampled_from(KEYS), texts), json_values, max_size=6))
    row.update(
        track_id=draw(track_ids),
        title=draw(st.one_of(good_text, good_text, json_values)),
        artist=draw(st.one_of(good_text, good_text, json_values)),
    )
    for key in draw(st.lists(st.sampled_from(["track_id", "title", "artist"]), max_size=2)):
        row.pop(key, None)  # missing required fields
    for key in ("audio", "cover"):
        if draw(st.booleans()):
            row[key] = draw(st.sampled_from(PATHS))
    return row


RAW_LINES = [
    "[" * 100_000,  # deeper than the JSON parser's stack
    '{"track_id":"deep","title":"T","artist":"A","genres":' + "[" * 5000 + "]" * 5000 + "}",
    '{"track_id":"big","title":"T","artist":"A","year":' + "9" * 5000 + "}",  # past int's digit limit
    '{"track_id":"inf","title":"T","artist":"A","year":Infinity}',
    '{"track_id":"nan","title":NaN,"artist":"A","year":1e999}',
    '\ufeff{"track_id":"bom","title":"T","artist":"A"}',
    '{"track_id":"esc","title":"\\ud800","artist":"A"}',
    "{", "[1, 2]", "null", '"text"', "Infinity", '{"a": 1}{', "\x00", "   ", "",
]


@st.composite
def jsonl_manifests(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(RAW_LINES)))
        else:
            lines.append(json.dumps(draw(jsonl_rows()), ensure_ascii=draw(st.booleans())))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))
    return _bytes(draw, text)


def _bytes(draw, text: str) -> bytes:
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate written raw: invalid UTF-8
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data  # a BOM
    if draw(st.integers(0, 9)) == 0:  # stray bytes anywhere: mostly not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


cells = st.one_of(good_text, texts, st.sampled_from(SPECIAL), st.sampled_from(HUGE).map(lambda n: "y" * n))


@st.composite
def csv_manifests(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(KEYS), min_size=0, max_size=9))
    if draw(st.integers(0, 3)):  # mostly a usable header, in any order, with extras
        header = ["track_id", "title", "artist", *header]
        header = draw(st.permutations(header))
    out = io.StringIO()
    writer = csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(header)
    for _ in range(draw(st.integers(0, 8))):
        width = len(header) + draw(st.integers(-2, 2))
        row = [draw(cells) for _ in range(max(0, width))]
        if "track_id" in header and row and draw(st.booleans()):
            row[min(header.index("track_id"), len(row) - 1)] = draw(st.sampled_from(["t1", "t2", " t1 "]))
        if draw(st.integers(0, 5)) == 0:
            out.write(",".join(row) + "\n")  # unquoted: commas, quotes and line breaks break it
        else:
            writer.writerow(row)
    text = out.getvalue()
    if draw(st.integers(0, 6)) == 0:
        text += '"an unclosed quote,' + "z" * draw(st.sampled_from([10, 200_000]))
    return _bytes(draw, text)


# ------------------------------------------------------------------------------- the property


def _read(root: Path, suffix: str, data: bytes) -> Catalog | CatalogError:
    for old in root.glob("manifest.*"):
        old.unlink()
    manifest = root / f"manifest{suffix}"
    manifest.write_bytes(data)
    before = _listing(root.parent)
    try:
        result = _on_thread(lambda: read_catalog(root, cover_cache=root.parent / "covers"))
    except CatalogError as exc:
        result = exc
    assert _listing(root.parent) == before, "read_catalog wrote to the disk"
    return result


def _check(root: Path, suffix: str, data: bytes) -> Catalog | CatalogError:
    result = _read(root, suffix, data)
    if isinstance(result, CatalogError):
        assert "\n" not in str(result) and str(result).strip()
        return result
    catalog = result
    name = f"manifest{suffix}"
    for problem in catalog.problems:
        text = str(problem)
        assert "\n" not in text and "\r" not in text, text
        assert problem.where.startswith(f"{name}:") and problem.where[len(name) + 1 :].isdigit(), text
        assert len(problem.message) < 400, text  # values are quoted cut short
        text.encode("utf-8")
    ids = [t.track_id for t in catalog.tracks]
    assert len(ids) == len(set(ids))
    for t in catalog.tracks:
        assert t.track_id and t.track_id == t.track_id.strip() and len(t.track_id) <= MAX_NAME_CHARS
        assert t.title and t.artist and len(t.title) <= MAX_NAME_CHARS and len(t.artist) <= MAX_NAME_CHARS
        assert len(t.album) <= MAX_NAME_CHARS
        assert all(len(getattr(t, f)) <= MAX_TEXT_CHARS for f in ("lyrics", "summary", "description"))
        for f in ("genres", "tags", "themes", "moods", "playlists"):
            items = getattr(t, f)
            assert len(items) <= MAX_LIST_ITEMS and all(0 < len(i) <= MAX_NAME_CHARS for i in items)
        assert t.year is None or 1000 <= t.year <= 2999
        for path in (t.audio_path, t.cover_path):
            if path is not None:
                assert path == root or root in path.parents  # never outside the folder
                assert file_problem(path) in (None, "file not found"), path  # never a FIFO or device
        json.dumps(t.payload(), ensure_ascii=False).encode("utf-8")  # the store can take it
        _on_thread(t.content_hash)  # hashing reads the files: no hang
    if suffix == ".jsonl":  # every non-blank line is a track or at least one problem
        text = data.decode("utf-8-sig")
        lines = {n for n, line in enumerate(text.split("\n"), 1) if line.strip()}
        accounted = {int(t.source.rsplit(":", 1)[1]) for t in catalog.tracks}
        accounted |= {int(p.where.rsplit(":", 1)[1]) for p in catalog.problems}
        assert lines <= accounted, sorted(lines - accounted)
    return catalog


@FAST
@given(data=jsonl_manifests())
def test_jsonl_manifests_never_crash_hang_or_write(playground, data):
    _check(playground, ".jsonl", data)


@FAST
@given(data=csv_manifests())
def test_csv_manifests_never_crash_hang_or_write(playground, data):
    _check(playground, ".csv", data)


@pytest.mark.slow
@SLOW
@given(data=jsonl_manifests())
def test_jsonl_manifests_fuzzed_long(playground, data):
    _check(playground, ".jsonl", data)


@pytest.mark.slow
@SLOW
@given(data=csv_manifests())
def test_csv_manifests_fuzzed_long(playground, data):
    _check(playground, ".csv", data)


# ------------------------------------------------------------------ the rules, case by case


def _lines(playground: Path, suffix: str, text: str) -> list[str]:
    result = _check(playground, suffix, text.encode("utf-8"))
    assert isinstance(result, Catalog), result
    return [str(p) for p in result.problems]


def test_each_bad_jsonl_row_is_one_line_and_the_rest_is_read(playground):
    good = '{"track_id": "ok", "title": "T", "artist": "A"}'
    text = "\n".join(RAW_LINES[:5] + [good]) + "\n"  # the first five are bad
    result = _check(playground, ".jsonl", text.encode())
    assert [t.track_id for t in result.tracks] == ["inf", "ok"]  # "inf" keeps all but its year
    assert [str(p) for p in result.problems] == [
        "manifest.jsonl:1: invalid JSON (nested too deeply)",
        "manifest.jsonl:2: invalid JSON (nested too deeply)",
        "manifest.jsonl:3: invalid JSON (a number too long to read)",
        "manifest.jsonl:4: year 'Infinity' is not a whole number",
        "manifest.jsonl:5: field 'title' must be text, got NaN/Infinity",
    ]


def test_year_values_that_used_to_overflow(playground):
    rows = [
        '{"track_id": "a", "title": "T", "artist": "A", "year": "inf"}',
        '{"track_id": "b", "title": "T", "artist": "A", "year": NaN}',
        '{"track_id": "c", "title": "T", "artist": "A", "year": 1e400}',
        '{"track_id": "d", "title": "T", "artist": "A", "year": ' + "9" * 4000 + "}",
        '{"track_id": "e", "title": "T", "artist": "A", "year": "' + "9" * 4000 + '"}',
        '{"track_id": "f", "title": "T", "artist": "A", "year": [1999]}',
        '{"track_id": "g", "title": "T", "artist": "A", "year": " 2014.0 "}',
        '{"track_id": "h", "title": "T", "artist": "A", "year": "x,y\\n\\u001b[31mz"}',
    ]
    assert _lines(playground, ".jsonl", "\n".join(rows)) == [
        "manifest.jsonl:1: year 'inf' is not a whole number",
        "manifest.jsonl:2: year 'NaN' is not a whole number",
        "manifest.jsonl:3: year 'Infinity' is not a whole number",
        f"manifest.jsonl:4: year '{'9' * SHOWN_CHARS}...' is out of range (1000-2999)",
        f"manifest.jsonl:5: year '{'9' * SHOWN_CHARS}...' is out of range (1000-2999)",
        "manifest.jsonl:6: year must be a number, got list",
        "manifest.jsonl:8: year 'x,y\\n\\x1b[31mz' is not a number",  # quoted on one line, escapes inert
    ]


def test_duplicate_ids_keep_the_first_row(playground):
    text = "track_id,title,artist\nt1,First,A\nt2,Other,A\n t1 ,Second,B\n"
    result = _check(playground, ".csv", text.encode())
    assert [(t.track_id, t.title) for t in result.tracks] == [("t1", "First"), ("t2", "Other")]
    assert [str(p) for p in result.problems] == ["manifest.csv:4: duplicate track_id 't1' (first at line 2)"]


def test_paths_that_escape_or_would_hang_are_refused_and_the_track_kept(playground):
    rows = [
        {"track_id": "a", "title": "T", "artist": "A", "audio": "../outside.wav"},
        {"track_id": "b", "title": "T", "artist": "A", "audio": "/etc/passwd"},
        {"track_id": "c", "title": "T", "artist": "A", "audio": "pipe.wav", "cover": "zero.wav"},
        {"track_id": "d", "title": "T", "artist": "A", "audio": "loop.wav", "cover": "audio"},
        {"track_id": "e", "title": "T", "artist": "A", "audio": "link-out.wav", "cover": "missing.png"},
    ]
    result = _check(playground, ".jsonl", "".join(json.dumps(r) + "\n" for r in rows).encode())
    assert [t.track_id for t in result.tracks] == ["a", "b", "c", "d", "e"]
    assert [str(p) for p in result.problems] == [
        "manifest.jsonl:1: audio path '../outside.wav' escapes the catalog folder",
        "manifest.jsonl:2: audio path '/etc/passwd' escapes the catalog folder",
        "manifest.jsonl:3: audio 'pipe.wav': not a regular file (a FIFO)",
        "manifest.jsonl:3: cover 'zero.wav': not a regular file (a device or socket)",
        "manifest.jsonl:4: audio 'loop.wav': cannot read (Too many levels of symbolic links)",
        "manifest.jsonl:4: cover 'audio': is a directory, not a file",
    ]
    e = result.tracks[-1]
    assert e.audio_path == playground / "link-out.wav"  # a link placed inside the folder works
    assert e.cover_path == playground / "missing.png"  # a missing file is the encoders' to report


def test_ten_megabyte_fields_are_capped_with_one_line(playground):
    big = "w" * 10_000_000
    row = {"track_id": "a", "title": big, "artist": "A", "lyrics": big, "genres": [big, "rock"], "audio": big}
    lines = _lines(playground, ".jsonl", json.dumps(row) + "\n" + json.dumps({"track_id": big, "title": "T", "artist": "A"}))
    assert lines == [
        f"manifest.jsonl:1: field 'title' is 10,000,000 characters long; the first {MAX_NAME_CHARS:,} are kept",
        f"manifest.jsonl:1: field 'lyrics' is 10,000,000 characters long; the first {MAX_TEXT_CHARS:,} are kept",
        f"manifest.jsonl:1: field 'genres' is too long (2 values; at most {MAX_LIST_ITEMS:,} values of"
        f" {MAX_NAME_CHARS:,} characters are kept)",
        f"manifest.jsonl:1: audio path is 10,000,000 characters long (at most {MAX_PATH_CHARS:,})",
        f"manifest.jsonl:2: track_id is 10,000,000 characters long (at most {MAX_NAME_CHARS:,})",
    ]
    # CSV: a field past the csv module's limit (131,072 characters) makes its row unreadable
    lines = _lines(playground, ".csv", f"track_id,title,artist,lyrics\na,T,A,{big}\nb,T,A,short\n")
    assert lines == ["manifest.csv:2: unreadable CSV row (field larger than field limit (131072))"]


def test_bom_nul_and_encoding(playground):
    result = _check(playground, ".csv", b"\xef\xbb\xbftrack_id,title,artist\na,T\x00,A\nb,T,A\n")
    assert [t.track_id for t in result.tracks] == ["a", "b"] and result.problems == []
    result = _check(playground, ".jsonl", b'{"track_id": "a", "title": "T", "artist": "A"}\n{"track_id": "b", "title": "\xff"}\n')
    assert isinstance(result, CatalogError) and "manifest.jsonl:2: not UTF-8 text" in str(result)
    lines = _lines(playground, ".jsonl", '{"track_id": "a", "title": "\\ud800", "artist": "A"}\n{"track_id": "b", "title": "T", "artist": "A", "album": "x\\udcff"}\n')
    assert lines == [
        "manifest.jsonl:1: field 'title' is not valid Unicode text (a lone surrogate '\\ud800' at character 0)",
        "manifest.jsonl:2: field 'album' is not valid Unicode text (a lone surrogate '\\udcff' at character 1)",
    ]


# ------------------------------------------------------------------ end to end through the CLI


@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(jsonl_manifests().map(lambda d: (".jsonl", d)), csv_manifests().map(lambda d: (".csv", d))))
def test_generated_manifests_ingest_end_to_end_without_an_internal_error(playground, capsys, monkeypatch, data):
    from tests.support.cli import TINY_ARGS, run

    monkeypatch.setenv("RECSYS_DEBUG", "1")  # an unexpected exception propagates: the test fails
    suffix, raw = data
    good = '{"track_id": "good", "title": "T", "artist": "A", "audio": "audio/ok.wav", "cover": "covers/ok.png"}\n'
    if suffix == ".jsonl" and not raw.startswith(b"\xef\xbb\xbf"):
        raw = good.encode() + raw  # at least one track to ingest, unless a bad byte spoils the file
    for old in playground.glob("manifest.*"):
        old.unlink()
    (playground / f"manifest{suffix}").write_bytes(raw)
    home = Path(tempfile.mkdtemp(prefix="fuzz-home-", dir=playground.parent))
    before = _listing(playground) | _listing(playground.parent / "outside.wav")
    try:
        code, out, err = _on_thread(
            lambda: run(capsys, "ingest", str(playground), "--home", str(home), "--collection", "c", *TINY_ARGS, "--json")
        )
        after = _listing(playground) | _listing(playground.parent / "outside.wav")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert after == before, "the ingest wrote outside its home (the store, covers, cache)"
    assert "internal error" not in err and "Traceback" not in err
    assert code in (0, 1), (code, err[-2000:])
    if code == 1:
        assert "nothing could be ingested" in err or "error:" in err, err[-2000:]
    if out.strip():
        report = json.loads(out)
        assert all("\n" not in p for p in report["problems"])
