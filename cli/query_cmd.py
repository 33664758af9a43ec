"""The query commands (recommend, query, playlist, path): parse the options, answer, render."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from cli.common import (
    CollectionOpt, DeviceOpt, HomeOpt, JsonOpt, UrlOpt, one_of, open_store, pick_collection, print_json, settings,
    vector_names,
)
from cli.render import counted, results_table
from recsys.errors import NotFoundError
from recsys.store.base import QueryFilter

app = typer.Typer()

UsingOpt = typer.Option(
    "fused", "--using", "-u", callback=one_of("--using", vector_names), help="Vector to search: fused, text, image, audio or graph."
)
KOpt = typer.Option(10, "-k", "--limit", min=1, max=1000, help="Number of results.")
GenreOpt = typer.Option(None, "--genre", "-g", help="Only these genres (repeatable; case and accents do not matter).")
ArtistFilterOpt = typer.Option(
    None, "--only-artist", help="Only tracks by these artists (repeatable; case and accents do not matter; "
    "a track crediting several, \"A feat. B\", is each one's)."
)
ComposerOpt = typer.Option(
    None, "--composer", help="Only works by these composers, whoever performs them (repeatable): a name as `recsys "
    "facets composers` lists it, or its surname alone (\"bach\", \"dvorak\"; case and accents do not matter), or "
    "another spelling (\"J.S. Bach\", \"Tschaikowsky\"). A name that fits several composers is an error naming them."
)
PerformerOpt = typer.Option(
    None, "--performer", help="Only tracks on which these musicians play, as the tags credit them (PERFORMER, TMCL; "
    "repeatable: any of them): a name as `recsys facets performers` lists it, or a surname alone (\"chambers\"; case "
    "and accents do not matter). A name that fits several musicians is an error naming them."
)
ExcludeArtistOpt = typer.Option(
    None, "--exclude-artist", help="No tracks by these artists (repeatable; case and accents do not matter)."
)
YearOpt = typer.Option(None, "--year", help="A year (1994) or a range (1990-1999, 1990-, -1999).")
BpmOpt = typer.Option(
    None, "--bpm", help="A tempo (128: 127.5-128.5) or a range (120-128, 120-, -128), as the tracks' BPM tags give it."
)
KeyOpt = typer.Option(
    None, "--key", help="Only tracks in these keys (repeatable): Camelot (8A), Open Key (1m) or a note name "
    "(Am, F# minor, E♭ major), as the tracks' key tags give it."
)
KindOpt = typer.Option(
    None, "--kind", help="music, spoken or any: which tracks the results hold. Without it, a song's results leave "
    "spoken word (podcasts, audiobooks, voice memos, skits) out and an episode's keep to spoken word; `query` keeps both.",
    case_sensitive=False,
)
CleanOpt = typer.Option(
    False, "--clean/--no-clean", envvar="RECSYS_CLEAN", help="A parent's radio: no track marked explicit (an iTunes"
    " rtng or ITUNESADVISORY tag, an EXPLICIT tag, \"[Explicit]\" in its title or album), and of a song owned"
    " explicit and clean, the clean copy. Tracks with no advisory are kept: most files carry none. An explicit"
    " seed is still a seed. RECSYS_CLEAN=1 makes it the default; --no-clean overrides that.",
)
MixableOpt = typer.Option(
    False, "--mixable", help="Only tracks a DJ can mix into the seed (a playlist: each seed's into it): a compatible key on the Camelot "
    "wheel (the same, ±1, or the relative major or minor) and a tempo within 6%. The seed needs BPM and key tags."
)
MaxPerArtistOpt = typer.Option(2, "--max-per-artist", min=0, max=1000, help="Cap on tracks per artist (0: no cap).")
ExplainOpt = typer.Option(False, "--explain", "-e", help="Show each result's similarity to the seed per modality.")


def check_output(output: Optional[Path]) -> Optional[Path]:
    """-o: a file name (checked before the query runs), not a folder."""
    if output is not None and (not output.name or output.is_dir()):
        raise typer.BadParameter(f"'{output}' is a folder; give a file name like mix.m3u8", param_hint="--output")
    return output


M3uOutputOpt = typer.Option(
    None, "--output", "-o", callback=check_output, help="Also write the playlist to this file, as extended M3U (UTF-8): mix.m3u8."
)
RelativeOpt = typer.Option(
    False, "--relative", help="Paths in the playlist file relative to its folder [default: absolute]."
)


SeedsHelp = (
    "Seed tracks: titles (exact, else fuzzy matched), track ids or audio files (absolute, or "
    "relative to the catalog), or playlist files (.m3u, .m3u8, .pls, .xspf: their tracks of the "
    "collection, found as the ingest finds a playlist's, even with another machine's paths). "
    "None with --artist: an artist radio."
)
FromPlaylistOpt = typer.Option(
    None, "--from-playlist", help="A playlist of the collection by name (repeatable; case and accents do "
    "not matter, a part of the name will do; `recsys facets playlists` lists them): its tracks are seeds, "
    "before SEEDS, and are left out of the results."
)
SeedArtistHelp = (
    "Artist of the seed titles, to disambiguate; alone (no seeds): an artist radio, seeded with "
    "up to 10 of the artist's songs (themselves left out, the usual cap per artist); a name no artist has but a "
    "composer or a musician the tags credit: his radio."
)


def seed_list(seeds: Optional[List[str]], artist: Optional[str], playlists: Optional[List[str]] = None) -> tuple[str, ...]:
    """The seeds as given; none is fine only with --artist (an artist radio) or --from-playlist."""
    if not seeds and not artist and not playlists:
        raise typer.BadParameter("give at least one seed track, a playlist (a file, or --from-playlist NAME), "
                                 "or --artist for an artist radio", param_hint="SEEDS")
    return tuple(seeds or ())


def seeds_heading(resp, others: str) -> str:
    """A table's "Like ..." for an answer whose seeds hold playlists: each playlist by name and
    size, then the seeds given beside them (``others``: how to show those)."""
    from cli.render import safe_text

    shown = [f"the playlist {safe_text(p.name)} ({counted(len(p.track_ids), 'track')})" for p in resp.playlists]
    return ", ".join(shown + ([others] if others else []))


def make_filter(
    genre, only_artist, exclude_artist, year, bpm=None, key=None, composer=None, kind=None, clean=False,
    performer=None,
) -> QueryFilter:
    """The options' filter, through the builder every surface shares (``recsys.query.filterspec``):
    a value it refuses is a usage error naming the option."""
    from recsys.query.filterspec import FilterValueError, listener_filter, parse_bpms, parse_years

    try:
        return listener_filter(
            genres=genre or (), only_artists=only_artist or (), exclude_artists=exclude_artist or (),
            composers=composer or (), performers=performer or (), years=parse_years(year), bpms=parse_bpms(bpm),
            keys=key or (), kind=kind, clean=clean,
        )
    except FilterValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"--{exc.option}") from None


def answer(run, req, collection: Optional[str], home: Optional[Path], qdrant_url: Optional[str]):
    """Open the store and the collection, and answer ``req`` with ``run(library, req)``:
    (the collection's name, the answer)."""
    from recsys.query.library import Library

    with open_store(settings(home, qdrant_url)) as backend:
        lib = Library(backend, pick_collection(backend, collection))
        out = run(lib, req)
        flt = getattr(req, "flt", None)
        if flt is not None and not getattr(out, "results", out):  # nothing found: a typo in a filter?
            from recsys.query.facets import unmatched_filter

            why = unmatched_filter(lib, flt)
            if why is not None:
                raise NotFoundError(why)
        return lib.name, out


def print_response(resp, name: str, using: str, title: str, explain: bool, as_json: bool) -> None:
    """A recommend or playlist answer: --json on stdout, else a table on stderr."""
    if as_json:
        print_json(resp.as_dict() | {"collection": name, "using": using})
    else:
        results_table(title, resp.results, explain)


@app.command()
def recommend(
    titles: Optional[List[str]] = typer.Argument(None, help=SeedsHelp, show_default=False, metavar="SEEDS"),
    artist: Optional[str] = typer.Option(None, "--artist", "-a", help=SeedArtistHelp),
    from_playlist: Optional[List[str]] = FromPlaylistOpt,
    negatives: Optional[List[str]] = typer.Option(
        None, "--not", help="Tracks to steer away from: titles, track ids or audio files (repeatable)."
    ),
    k: int = KOpt,
    using: str = UsingOpt,
    genre: Optional[List[str]] = GenreOpt,
    only_artist: Optional[List[str]] = ArtistFilterOpt,
    exclude_artist: Optional[List[str]] = ExcludeArtistOpt,
    composer: Optional[List[str]] = ComposerOpt,
    performer: Optional[List[str]] = PerformerOpt,
    year: Optional[str] = YearOpt,
    bpm: Optional[str] = BpmOpt,
    key: Optional[List[str]] = KeyOpt,
    kind: Optional[str] = KindOpt,
    clean: bool = CleanOpt,
    mixable: bool = MixableOpt,
    max_per_artist: int = MaxPerArtistOpt,
    explain: bool = ExplainOpt,
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Tracks similar to one or more seed tracks, with explanations; a playlist (a file, or
    --from-playlist NAME): tracks like its tracks, none of them; --artist alone: an artist
    radio."""
    from cli.render import playlist_seeds_note
    from recsys.query.recommend import RecommendRequest, recommend as run
    from recsys.text import described

    req = RecommendRequest(
        seeds=seed_list(titles, artist, from_playlist), artist=artist, negatives=tuple(negatives or ()), k=k, using=using,
        flt=make_filter(genre, only_artist, exclude_artist, year, bpm, key, composer, kind, clean, performer), max_per_artist=max_per_artist, explain=explain,
        mixable=mixable, playlists=tuple(from_playlist or ()),
    )
    name, resp = answer(run, req, collection, home, qdrant_url)
    playlist_seeds_note(resp.playlists)
    listed = {t for p in resp.playlists for t in p.track_ids}
    seeds = ", ".join(described(s.payload.get("title") or s.track_id, s.payload.get("artist") or "")
                      for s in resp.seeds if s.track_id not in listed)
    heading = f"Artist radio: like {artist}" if not titles and not from_playlist else f"Like {seeds}"
    if resp.playlists:
        heading = f"Like {seeds_heading(resp, seeds)}"
    if not titles and resp.composer_radio:  # no artist of that name, but a composer
        heading = f"Composer radio: works of {resp.composer_radio} (no artist is named {artist})"
    if not titles and resp.performer_radio:  # no artist nor composer of that name, but a musician
        heading = f"Performer radio: sessions with {resp.performer_radio} (no artist is named {artist})"
    print_response(resp, name, using, f"{heading}{mixable_heading(resp.mixable)} ({using})", explain, as_json)


def mixable_heading(note: Optional[dict]) -> str:
    """What --mixable matched, for a table's title: ", mixable with 8A at 128 BPM (7A 8A 8B 9A, 120.3-135.7 BPM)"."""
    if not note:
        return ""
    return (f", mixable with {note['key']} at {note['bpm']:g} BPM ({' '.join(note['keys'])}, "
            f"{note['bpm_min']:g}-{note['bpm_max']:g} BPM)")


@app.command()
def query(
    image: Optional[Path] = typer.Option(None, "--image", help="An image file, e.g. an album cover."),
    text: Optional[str] = typer.Option(None, "--text", help="A text: a mood, a theme, a description."),
    audio: Optional[Path] = typer.Option(None, "--audio", help="An audio clip (wav, flac, ogg, mp3)."),
    k: int = KOpt,
    using: Optional[str] = typer.Option(None, "--using", "-u", callback=one_of("--using", vector_names), help="Vector to search [default: the input's modality]."),
    genre: Optional[List[str]] = GenreOpt,
    only_artist: Optional[List[str]] = typer.Option(
        None, "--artist", "--only-artist", help="Only tracks by these artists (repeatable)."
    ),
    exclude_artist: Optional[List[str]] = ExcludeArtistOpt,
    composer: Optional[List[str]] = ComposerOpt,
    performer: Optional[List[str]] = PerformerOpt,
    year: Optional[str] = YearOpt,
    bpm: Optional[str] = BpmOpt,
    key: Optional[List[str]] = KeyOpt,
    kind: Optional[str] = KindOpt,
    clean: bool = CleanOpt,
    max_per_artist: int = MaxPerArtistOpt,
    explain: bool = ExplainOpt,
    as_json: bool = JsonOpt,
    device: Optional[str] = DeviceOpt,
    profile: Optional[str] = typer.Option(
        None, "--profile", envvar="RECSYS_PROFILE", help="Fail unless the collection was built with this profile."
    ),
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Cross-modal search: a cover, a text or an audio clip in, tracks out. With CLIP or CLAP
    encoders, --text also searches covers (--using image) or sounds (--using audio)."""
    from recsys.query.cross_modal import QueryRequest, query as run

    given = [(m, v) for m, v in (("image", image), ("text", text), ("audio", audio)) if v is not None]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --image, --text or --audio")
    modality, value = given[0]
    req = QueryRequest(
        modality=modality, value=str(value), k=k, using=using,
        flt=make_filter(genre, only_artist, exclude_artist, year, bpm, key, composer, kind, clean, performer), max_per_artist=max_per_artist,
        explain=explain, device=device, profile=profile,
    )
    name, results = answer(run, req, collection, home, qdrant_url)
    if as_json:
        print_json({"collection": name, "query": {modality: str(value)}, "using": using or modality,
                    "results": [r.as_dict() for r in results]})
        return
    shown = Path(value).name if modality != "text" else repr(value)
    results_table(f"{modality.capitalize()} query {shown} ({using or modality})", results, explain)


@app.command()
def playlist(
    seeds: Optional[List[str]] = typer.Argument(None, help=SeedsHelp, show_default=False, metavar="SEEDS"),
    per_seed: int = typer.Option(3, "--per-seed", min=1, max=100, help="Tracks per seed."),
    artist: Optional[str] = typer.Option(None, "--artist", "-a", help=SeedArtistHelp),
    from_playlist: Optional[List[str]] = FromPlaylistOpt,
    diversity: float = typer.Option(0.3, "--diversity", min=0.0, max=1.0, help="MMR diversity (0: relevance only)."),
    using: str = UsingOpt,
    genre: Optional[List[str]] = GenreOpt,
    only_artist: Optional[List[str]] = ArtistFilterOpt,
    exclude_artist: Optional[List[str]] = ExcludeArtistOpt,
    composer: Optional[List[str]] = ComposerOpt,
    performer: Optional[List[str]] = PerformerOpt,
    year: Optional[str] = YearOpt,
    bpm: Optional[str] = BpmOpt,
    key: Optional[List[str]] = KeyOpt,
    kind: Optional[str] = KindOpt,
    clean: bool = CleanOpt,
    mixable: bool = MixableOpt,
    max_per_artist: int = MaxPerArtistOpt,
    explain: bool = ExplainOpt,
    output: Optional[Path] = M3uOutputOpt,
    relative: bool = RelativeOpt,
    only_new: bool = typer.Option(
        False, "--only-new", help="Only the new tracks, in the table and the -o file, without the seeds "
        "[default: the seeds first: a playlist given as seeds, then the tracks that continue it]."
    ),
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """An ordered playlist from several seeds: the seeds first, as given, then from the last
    seed each next track the one closest to the track before it (a greedy walk over a pool of
    --per-seed MMR-diversified neighbours per seed), never an artist twice in a row, no
    duplicates or versions, a cap per artist. -o mix.m3u8 writes it as a playlist file.

    A playlist as the seed (a file, or --from-playlist NAME) is continued: its tracks, then new
    songs like them (past 16 seeds, --per-seed per group of similar seeds; its own tracks do not
    count toward the cap; --only-new: the new songs alone)."""
    from cli.render import playlist_seeds_note
    from recsys.query.playlist import PlaylistRequest, playlist as run

    req = PlaylistRequest(
        seeds=seed_list(seeds, artist, from_playlist), artist=artist, per_seed=per_seed, using=using,
        flt=make_filter(genre, only_artist, exclude_artist, year, bpm, key, composer, kind, clean, performer), max_per_artist=max_per_artist,
        diversity=diversity, explain=explain, mixable=mixable, playlists=tuple(from_playlist or ()),
    )
    name, resp = answer(run, req, collection, home, qdrant_url)
    playlist_seeds_note(resp.playlists)
    source = (f"the works of {resp.composer_radio} (no artist is named {artist})" if resp.composer_radio
              else f"the sessions with {resp.performer_radio} (no artist is named {artist})" if resp.performer_radio
              else counted(len(resp.seeds), 'seed'))
    if resp.playlists:
        others = len(resp.seeds) - len({t for p in resp.playlists for t in p.track_ids})
        source = seeds_heading(resp, counted(others, "seed") if others else "")
    what = "New tracks" if only_new else "Playlist"
    title = f"{what} from {source}{mixable_heading(resp.mixable)} ({using}), in playing order"
    emit_playlist(resp.as_dict(), resp.results if only_new else resp.playlist, name, using, title, explain,
                  as_json, output, relative)


def emit_playlist(data: dict, tracks, name: str, using: str, title: str, explain: bool, as_json: bool,
                  output: Optional[Path], relative: bool) -> None:
    """An ordered playlist (``tracks``): written to ``output`` as M3U8 when given, then
    --json on stdout (``data`` and the file) or the table on stderr."""
    from cli.render import playlist_file_note
    from recsys.query.playlist import write_m3u8

    written = write_m3u8(tracks, output, relative) if output is not None else None
    if as_json:
        print_json(data | {"collection": name, "using": using} | ({"m3u8": written.as_dict()} if written else {}))
    else:
        results_table(title, tracks, explain)
    if written is not None and (not as_json or written.unavailable):
        playlist_file_note(written)


@app.command("path")
def path_(
    start: str = typer.Argument(..., help="The track to start from (title, fuzzy matched)."),
    end: str = typer.Argument(..., help="The track to arrive at."),
    steps: int = typer.Option(4, "--steps", "-n", min=1, max=100, help="Tracks between the two."),
    start_artist: Optional[str] = typer.Option(None, "--from-artist", help="Artist of the first track (disambiguates)."),
    end_artist: Optional[str] = typer.Option(None, "--to-artist", help="Artist of the last track (disambiguates)."),
    using: str = UsingOpt,
    genre: Optional[List[str]] = GenreOpt,
    only_artist: Optional[List[str]] = ArtistFilterOpt,
    exclude_artist: Optional[List[str]] = ExcludeArtistOpt,
    composer: Optional[List[str]] = ComposerOpt,
    performer: Optional[List[str]] = PerformerOpt,
    year: Optional[str] = YearOpt,
    bpm: Optional[str] = BpmOpt,
    key: Optional[List[str]] = KeyOpt,
    kind: Optional[str] = KindOpt,
    clean: bool = CleanOpt,
    max_per_artist: int = MaxPerArtistOpt,
    output: Optional[Path] = M3uOutputOpt,
    relative: bool = RelativeOpt,
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """A playlist that walks from one track to another: --steps points evenly on the line
    between their vectors (slerp on the unit sphere), for each the nearest unused track."""
    from recsys.query.path import PathRequest, path as run

    req = PathRequest(
        start=start, end=end, steps=steps, start_artist=start_artist, end_artist=end_artist, using=using,
        flt=make_filter(genre, only_artist, exclude_artist, year, bpm, key, composer, kind, clean, performer), max_per_artist=max_per_artist,
    )
    name, resp = answer(run, req, collection, home, qdrant_url)
    ends = f'"{resp.start.payload.get("title")}" to "{resp.end.payload.get("title")}"'
    emit_playlist(resp.as_dict(), resp.results, name, using, f"Path from {ends} ({using})", False, as_json,
                  output, relative)
