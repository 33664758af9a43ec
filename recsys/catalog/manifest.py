"""The manifest reader: one track per row of a JSONL or CSV file.

Every bad row or field becomes one ``CatalogProblem`` line that names the file and line, so a
user can fix a 10 000-row manifest from the report alone. A bad required field drops the row;
a bad optional field drops only that field. Files are not opened here: a missing audio or cover
file is reported by the encoder stage, which has to open it anyway.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recsys.catalog.advisory import advisory_of, advisory_value
from recsys.catalog.tempokey import BPM_RANGE, parse_bpm, parse_key
from recsys.catalog.model import (  # MAX_NAME_CHARS: track_id, title, artist, album, each list item
    MAX_NAME_CHARS, Catalog, CatalogProblem, NotARegularFile, TrackRecord, file_problem, open_regular,
)
from recsys.errors import CatalogError
from recsys.text import escaped

REQUIRED = ("track_id", "title", "artist")
TEXT_FIELDS = ("album", "lyrics", "summary", "description")
LIST_FIELDS = ("genres", "tags", "themes", "moods", "playlists")
PATH_FIELDS = ("audio", "cover")
#: The TrackRecord/payload spellings, accepted so a payload dump reads back as a manifest.
ALIASES = {"audio_path": "audio", "cover_path": "cover"}
FIELDS = (*REQUIRED, *TEXT_FIELDS, *LIST_FIELDS, *PATH_FIELDS, "year", "bpm", "key", "explicit")
MANIFEST_SUFFIXES = (".jsonl", ".csv")
YEAR_RANGE = (1000, 2999)
#: Size caps (characters). Longer text is cut at the cap, with one problem line; a longer
#: track_id or path is refused (cutting it would name another track or file).
MAX_TEXT_CHARS = 100_000  # lyrics, summary, description
MAX_PATH_CHARS = 4_096  # audio, cover
MAX_LIST_ITEMS = 1_000  # genres, tags, themes, moods, playlists
#: Values quoted in problem lines are cut to this many characters.
SHOWN_CHARS = 60


def catalog_name(folder: Path) -> str:
    """A catalog's name: its folder name as a slug ([a-z0-9_-]), usable as a collection name."""
    text = unicodedata.normalize("NFKD", folder.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-_")[:64].strip("-_")
    return slug or "catalog"


def split_list(text: str) -> tuple[str, ...]:
    """``"rock; pop;;rock"`` -> ``("rock", "pop")``: trimmed, empties and repeats dropped."""
    items = (part.strip() for part in text.split(";"))
    return tuple(dict.fromkeys(item for item in items if item))


class FieldError(ValueError):
    """A field value that cannot be used; its message is the user-facing text."""


@dataclass
class _RowReader:
    """Turns raw rows (str -> raw value) into TrackRecords, collecting problems."""

    file_name: str
    root: Path
    tracks: list[TrackRecord] = field(default_factory=list)
    problems: list[CatalogProblem] = field(default_factory=list)
    first_line: dict[str, int] = field(default_factory=dict)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(CatalogProblem(f"{self.file_name}:{line}", message))

    def add(self, line: int, raw: dict[str, Any]) -> None:
        row = _normalise_keys(raw)
        required: dict[str, str] = {}
        missing: list[str] = []
        for name in REQUIRED:
            try:
                value = _text(name, row.get(name)).strip()
            except FieldError as exc:
                self.problem(line, str(exc))
                return
            if not value:
                missing.append(name)
            elif len(value) > MAX_NAME_CHARS:
                if name == "track_id":
                    self.problem(line, f"track_id is {len(value):,} characters long (at most {MAX_NAME_CHARS:,})")
                    return
                self.problem(line, _cut_message(name, value, MAX_NAME_CHARS))
                value = value[:MAX_NAME_CHARS].strip()
            required[name] = value
        if missing:
            noun = "field" if len(missing) == 1 else "fields"
            self.problem(line, f"missing required {noun} " + ", ".join(f"'{m}'" for m in missing))
            return
        track_id = required["track_id"]
        if track_id in self.first_line:  # the first row with an id wins; later ones are skipped
            self.problem(
                line, f"duplicate track_id '{_shown(track_id)}' (first at line {self.first_line[track_id]})"
            )
            return
        self.first_line[track_id] = line

        fields: dict[str, Any] = {}
        for name in FIELDS[len(REQUIRED) :]:
            value = row.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                fields[name] = self._optional(name, value, line)
            except FieldError as exc:
                self.problem(line, str(exc))
        self.tracks.append(
            TrackRecord(
                track_id=track_id,
                title=required["title"],
                artist=required["artist"],
                album=fields.get("album", ""),
                genres=fields.get("genres", ()),
                tags=fields.get("tags", ()),
                year=fields.get("year"),
                lyrics=fields.get("lyrics", ""),
                summary=fields.get("summary", ""),
                description=fields.get("description", ""),
                themes=fields.get("themes", ()),
                moods=fields.get("moods", ()),
                audio_path=fields.get("audio"),
                cover_path=fields.get("cover"),
                playlists=fields.get("playlists", ()),
                source=f"{self.file_name}:{line}",
                bpm=fields.get("bpm"),
                key=fields.get("key", ""),
                # the column's advisory, else the title's or the album's marks (``advisory``)
                explicit=advisory_of(fields.get("explicit"), required["title"], fields.get("album", "")),
            )
        )

    def _optional(self, name: str, value: Any, line: int) -> Any:
        if name in TEXT_FIELDS:
            text = _text(name, value).strip()
            cap = MAX_NAME_CHARS if name == "album" else MAX_TEXT_CHARS
            if len(text) > cap:
                self.problem(line, _cut_message(name, text, cap))
                text = text[:cap].strip()
            return text
        if name in LIST_FIELDS:
            items = _list(name, value)
            if len(items) > MAX_LIST_ITEMS or any(len(i) > MAX_NAME_CHARS for i in items):
                self.problem(
                    line,
                    f"field '{name}' is too long ({len(items):,} values; at most {MAX_LIST_ITEMS:,} values"
                    f" of {MAX_NAME_CHARS:,} characters are kept)",
                )
                items = tuple(dict.fromkeys(i[:MAX_NAME_CHARS].strip() for i in items[:MAX_LIST_ITEMS]))
            return items
        if name == "year":
            return _year(value)
        if name in ("bpm", "key"):
            return _tempo_or_key(name, value)
        if name == "explicit":
            return _explicit(value)
        return _path(name, _text(name, value).strip(), self.root)


def _normalise_keys(raw: dict[str, Any]) -> dict[str, Any]:
    """Header names are matched case-insensitively and without surrounding spaces."""
    row: dict[str, Any] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            continue
        name = key.strip().lstrip("\ufeff").lower()  # a BOM before the first name
        name = ALIASES.get(name, name)
        if name in FIELDS and name not in row:
            row[name] = value
    return row


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        _check_unicode(name, value)
        return value
    # JSON numbers are fine as ids or titles ("1999"); bools, NaN/Infinity and containers are mistakes.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    raise FieldError(f"field '{name}' must be text, got {_json_type(value)}")


def _check_unicode(name: str, text: str) -> None:
    """JSON escapes can spell lone surrogates ("\\ud800"): text that has no UTF-8 form, which
    neither a hash nor the store could take."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FieldError(
            f"field '{name}' is not valid Unicode text (a lone surrogate {text[exc.start]!r} at character {exc.start})"
        ) from None


def _shown(text: str) -> str:
    """A value as quoted in a problem line: cut to SHOWN_CHARS characters, and on one line:
    line breaks, NULs, terminal escapes and other unprintable characters written as escapes."""
    return escaped(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "...")


def _cut_message(name: str, text: str, cap: int) -> str:
    return f"field '{name}' is {len(text):,} characters long; the first {cap:,} are kept"


def _list(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        _check_unicode(name, value)
        return split_list(value)
    if isinstance(value, list):
        items: list[str] = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise FieldError(f"field '{name}' must be a list of text, got a {_json_type(item)} item")
            items.append(_text(name, item).strip())
        return tuple(dict.fromkeys(i for i in items if i))
    raise FieldError(f"field '{name}' must be a list or a ';'-separated text, got {_json_type(value)}")


def _year(value: Any) -> int:
    if isinstance(value, (dict, list)):
        raise FieldError(f"year must be a number, got {_json_type(value)}")
    # json.dumps of a bool or a number: 'true', 'Infinity', 'NaN'; never of a container
    shown = _shown(value if isinstance(value, str) else json.dumps(value))
    if isinstance(value, str):
        _check_unicode("year", value)
    if isinstance(value, bool):
        raise FieldError(f"year '{shown}' is not a number")
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str):
        try:
            # digits: int(), exact (more than 20 of them is out of range whatever they say);
            # float() for "2014.0", "1e3", "inf"
            digits = value.strip()
            if digits.isascii() and digits.isdigit():
                number = int(digits) if len(digits) <= 20 else 10**20
            else:
                number = float(digits)
        except (ValueError, OverflowError):
            raise FieldError(f"year '{shown}' is not a number") from None
    else:
        raise FieldError(f"year '{shown}' is not a number")
    if isinstance(number, float) and (not math.isfinite(number) or not number.is_integer()):
        raise FieldError(f"year '{shown}' is not a whole number")  # NaN, Infinity, 1999.5
    # compared before int(): a 4000-digit integer or 1e300 is out of range, not an overflow
    if not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        raise FieldError(f"year '{shown}' is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
    return int(number)


def _tempo_or_key(name: str, value: Any) -> float | str:
    """A DJ's tempo (a number, 30-300) or key (Camelot "8A", Open Key "1m", "Am", "F# minor"),
    read as the music folder reads their tags (``tempokey``): the key kept in Camelot."""
    if name == "bpm":
        bpm = None if isinstance(value, bool) else parse_bpm(value if isinstance(value, (int, float)) else _text(name, value))
        if bpm is None:
            raise FieldError(f"bpm '{_shown(str(value))}' is not a tempo ({BPM_RANGE[0]:g}-{BPM_RANGE[1]:g})")
        return bpm
    key = parse_key(_text(name, value))
    if not key:
        raise FieldError(f"key '{_shown(str(value))}' is not a musical key (8A, 1m, Am, F# minor...)")
    return key


def _explicit(value: Any) -> bool | None:
    """The ``explicit`` column: true/false (JSON's, or "true", "1", "yes", "explicit"; "false",
    "0", "no", "clean"), or iTunes' advisory numbers (1 or 4 explicit, 2 clean)."""
    found = advisory_value(value, "explicit") if isinstance(value, (bool, str, int)) else None
    if found is None:
        raise FieldError(f"explicit '{_shown(str(value))}' is neither true nor false (true, false, 1, 0, explicit, clean)")
    return found


def _path(name: str, text: str, root: Path) -> Path:
    if "\x00" in text:
        raise FieldError(f"{name} path '{_shown(text)}' contains a NUL character")
    if len(text) > MAX_PATH_CHARS:
        raise FieldError(f"{name} path is {len(text):,} characters long (at most {MAX_PATH_CHARS:,})")
    # Lexical check (normpath, not resolve): it stops '../' and absolute paths in a manifest
    # from reaching outside the catalog, while a symlink the folder's owner placed inside the
    # catalog keeps working.
    full = Path(os.path.normpath(root / text))
    if full != root and root not in full.parents:
        raise FieldError(f"{name} path '{_shown(text)}' escapes the catalog folder")
    # A path that exists but is no regular file (a FIFO would block its reader, a link to
    # /dev/zero never ends, a symlink loop) is refused here, once; a missing file is left to
    # the encoders, which report it for that track.
    problem = file_problem(full)
    if problem is not None and problem != "file not found":
        raise FieldError(f"{name} '{_shown(text)}': {problem}")
    return full


def _json_type(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN/Infinity"
    names = {dict: "object", list: "list", bool: "true/false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # -sig: spreadsheets often prepend a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"{path.name}:{line}: not UTF-8 text (byte {exc.start})") from None


def _read_jsonl(text: str, reader: _RowReader) -> int:
    rows = 0
    # split("\n"), not splitlines(): JSON strings may hold raw U+2028 and other separators.
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        rows += 1
        try:
            obj = json.loads(line.lstrip("\ufeff"))  # a BOM left by concatenated files
        except json.JSONDecodeError as exc:
            reader.problem(line_no, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:  # "[[[[..." deeper than the parser's stack
            reader.problem(line_no, "invalid JSON (nested too deeply)")
            continue
        except ValueError:  # an integer of more than 4300 digits (sys.get_int_max_str_digits)
            reader.problem(line_no, "invalid JSON (a number too long to read)")
            continue
        if not isinstance(obj, dict):
            reader.problem(line_no, f"expected a JSON object, got {_json_type(obj)}")
            continue
        reader.add(line_no, obj)
    return rows


def _read_csv(path: Path, text: str, reader: _RowReader) -> int:
    rows = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    try:
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(rows)
    except StopIteration:
        return 0
    except csv.Error as exc:
        raise CatalogError(f"{path.name}:{rows.line_num}: unreadable CSV header ({exc})") from None
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    names = [ALIASES.get(n, n) for n in names]
    absent = [r for r in REQUIRED if r not in names]
    if absent:
        raise CatalogError(
            f"{path.name}:{rows.line_num}: header lacks required column(s) "
            + ", ".join(f"'{a}'" for a in absent)
            + f" (found: {', '.join(_shown(' '.join(h.split())) for h in header[:20]) or 'nothing'})"
        )
    count = 0
    end_line = rows.line_num
    while True:
        start_line = end_line + 1  # a quoted field may span lines: report where the row starts
        try:
            values = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            reader.problem(rows.line_num, f"unreadable CSV row ({exc})")
            end_line = rows.line_num
            continue
        end_line = rows.line_num
        if not any(v.strip() for v in values):
            continue
        count += 1
        if len(values) > len(names):
            # Extra cells almost always mean an unquoted comma that shifted every later column.
            reader.problem(
                start_line,
                f"row has {len(values)} fields but the header has {len(names)}"
                " (quote values that contain commas)",
            )
            continue
        reader.add(start_line, dict(zip(names, values)))
    return count


def read_manifest(path: Path | str) -> Catalog:
    """Read a ``.jsonl`` or ``.csv`` manifest; paths in it are relative to its folder.

    Raises CatalogError when the file is missing, of another type, unreadable or has no rows;
    every bad row or field is a CatalogProblem of the returned catalog.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MANIFEST_SUFFIXES:
        raise CatalogError(f"{path}: a manifest must be a .jsonl or .csv file")
    problem = file_problem(path)
    if problem == "file not found":
        raise CatalogError(f"manifest {path} does not exist")
    if problem is not None:
        raise CatalogError(f"manifest {path}: {problem}")
    try:
        with open_regular(path) as fh:
            data = fh.read()
    except NotARegularFile as exc:
        raise CatalogError(f"manifest {path}: {exc}") from None
    except OSError as exc:
        raise CatalogError(f"cannot read manifest {path}: {exc.strerror or exc}") from None
    text = _decode(path, data)
    root = Path(os.path.normpath(path.parent.absolute()))
    reader = _RowReader(file_name=path.name, root=root)
    rows = _read_jsonl(text, reader) if suffix == ".jsonl" else _read_csv(path, text, reader)
    if rows == 0:
        raise CatalogError(f"manifest {path} is empty: it has no track rows")
    return Catalog(
        name=catalog_name(root),
        root=root,
        kind="manifest",
        tracks=reader.tracks,
        problems=reader.problems,
    )
