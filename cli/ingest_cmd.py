"""recsys ingest / sample-catalog."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text
from rich.table import Table

from cli.common import (
    CollectionOpt, DeviceOpt, HomeOpt, JsonOpt, UrlOpt, err_console, one_of, open_store, print_json, settings,
)
from cli.render import safe_text
from cli.tables import number_column, show

app = typer.Typer()


def _profiles() -> list[str]:
    from recsys.encoders.profiles import PROFILES

    return list(PROFILES)


def _fused_modes() -> tuple[str, ...]:
    from ingest.compact import FUSED_MODES

    return FUSED_MODES


def _index_modes() -> tuple[str, ...]:
    from ingest.indexes import INDEX_MODES

    return INDEX_MODES


class RateColumn(ProgressColumn):
    """Items (tracks) per second of a stage, once rich can tell: blank until then, and for a
    stage done in one step (the graph, the index), where a lone "/s" read as a broken rate."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:6.1f}/s" if speed else " " * 8, style="progress.data.speed")


class RichProgress:
    """One bar per stage, on stderr; problem lines printed above the bars."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def stage(self, name: str, total: int | None) -> None:
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(safe_text(name), total=total)

    def advance(self, name: str, n: int = 1) -> None:
        if name in self.tasks:
            self.progress.advance(self.tasks[name], n)

    def warn(self, line: str) -> None:
        self.progress.console.print(f"[yellow]warning:[/yellow] {safe_text(line)}", highlight=False, soft_wrap=True)


def ensure_sample_catalog(directory: Path, tracks: int = 120) -> Path:
    from recsys.catalog.sample.generator import write_sample_catalog

    manifest = directory / "manifest.jsonl"
    if manifest.exists():
        return manifest
    err_console.print(f"writing the sample catalog ({tracks} tracks) to {safe_text(directory)}")
    return write_sample_catalog(directory, n_tracks=tracks)


@app.command("sample-catalog")
def sample_catalog(
    directory: Path = typer.Argument(..., help="Folder to write the catalog into."),
    tracks: int = typer.Option(120, "--tracks", "-n", min=8, max=100000, help="Number of tracks."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="Random seed (the catalog is deterministic for a seed)."),
    as_json: bool = JsonOpt,
) -> None:
    """Write a synthetic catalog: audio clips, drawn covers, text, artists, albums, genres."""
    from recsys.catalog.sample.generator import foreign_entries, write_sample_catalog
    from recsys.errors import writing_to
    from recsys.text import plain_text

    if directory.exists() and not directory.is_dir():
        raise typer.BadParameter(f"'{directory}' is a file, not a folder", param_hint="DIRECTORY")
    others = foreign_entries(directory)
    if others:
        # its manifest would then stand for the folder: a music folder would ingest as the sample
        # usage errors are printed as plain text (no markup), so only control sequences go
        shown = ", ".join(plain_text(n) for n in others[:3]) + (", ..." if len(others) > 3 else "")
        raise typer.BadParameter(
            f"'{plain_text(directory)}' holds files of its own ({shown}); give a new or empty folder", param_hint="DIRECTORY"
        )
    t0 = time.perf_counter()
    with writing_to(directory):  # a folder that cannot be made: one line naming it
        manifest = write_sample_catalog(directory, n_tracks=tracks, seed=seed)
    seconds = time.perf_counter() - t0
    if as_json:
        print_json({"directory": str(directory), "manifest": str(manifest), "tracks": tracks, "seed": seed,
                    "seconds": round(seconds, 3)})
    else:
        err_console.print(f"wrote {tracks} tracks to {safe_text(manifest)} in {seconds:.1f} s")


@app.command()
def ingest(
    ctx: typer.Context,
    catalog: Optional[Path] = typer.Argument(
        None, help="A manifest (.jsonl/.csv), a folder with one, the Fairouz folder or a music folder "
        "[default: the sample catalog in RECSYS_HOME]."
    ),
    collection: Optional[str] = CollectionOpt,
    precomputed: bool = typer.Option(False, "--precomputed", help="Use the catalog's published vectors (Fairouz)."),
    profile: Optional[str] = typer.Option(
        None, "--profile", envvar="RECSYS_PROFILE", callback=one_of("--profile", _profiles),
        help="Encoder set: offline (default, runs anywhere), paper (mxbai + OpenCLIP + OpenL3), best (mxbai + OpenCLIP + CLAP). "
             "Without it, an existing collection keeps the encoders it was made with.",
    ),
    text_encoder: Optional[str] = typer.Option(None, "--text-encoder", help="Text encoder, in place of the profile's (e.g. minilm, st:<model>)."),
    image_encoder: Optional[str] = typer.Option(None, "--image-encoder", help="Image encoder name."),
    audio_encoder: Optional[str] = typer.Option(None, "--audio-encoder", help="Audio encoder name."),
    graph_encoder: str = typer.Option(
        "randne", "--graph-encoder", envvar="RECSYS_GRAPH_ENCODER",
        help="Graph encoder: randne (id-stable, every profile's) or deepwalk (re-embeds every track when the graph changes).",
    ),
    batch_size: Optional[int] = typer.Option(
        None, "--batch-size", "-b", min=1, max=4096, envvar="RECSYS_BATCH_SIZE",
        help="Tracks per encode/upsert batch [default: 32; on cuda 128 with 20 GiB of GPU memory or more, 64 with 8 GiB or more].",
    ),
    device: Optional[str] = DeviceOpt,
    force: bool = typer.Option(
        False, "--force", help="Re-encode every track, unchanged ones too, without reading the embedding cache (it is still written)."
    ),
    retry_failed: bool = typer.Option(
        False, "--retry-failed",
        help="Encode again the inputs an earlier run could not (a file that did not decode), unchanged tracks "
        "too; their other vectors come from the embedding cache. A plain ingest does so after an upgrade of recsys.",
    ),
    keep_missing: bool = typer.Option(
        False, "--keep-missing", help="Keep tracks that are no longer in the catalog (default: remove them from the collection)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Only say what would be added, updated, moved and removed; change nothing."
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the embedding cache in RECSYS_HOME/cache."),
    shards: Optional[int] = typer.Option(None, "--shards", min=1, max=1000, help="shard_number of a new remote collection."),
    replicas: Optional[int] = typer.Option(None, "--replicas", min=1, max=100, help="replication_factor of a new remote collection."),
    ray: bool = typer.Option(
        False, "--ray",
        # "\[" keeps rich from reading [ray] as markup
        help="Decode and encode on Ray (pip install 'recsys\\[ray]'; GPUs where the cluster has them): the cluster "
        "this node belongs to (ray start, RAY_ADDRESS), else a new local instance. The graph, the fusion and the "
        "writes stay in this process.",
    ),
    ray_address: Optional[str] = typer.Option(
        None, "--ray-address", envvar="RECSYS_RAY_ADDRESS", metavar="ADDRESS",
        help="Which Ray (implies --ray; from the env var only with --ray): local (a new local instance), auto "
        "(the cluster started on this node), ray://HOST:10001 (Ray Client) or HOST:6379.",
    ),
    fused: str = typer.Option(
        "auto", "--fused", envvar="RECSYS_FUSED", callback=one_of("--fused", _fused_modes),
        help="Fused vector of a new collection: auto (compact from 20,000 tracks with --precomputed), "
        "concat (every modality side by side) or compact (128-d: 32 principal axes per modality).",
    ),
    index: str = typer.Option(
        "fused", "--index", envvar="RECSYS_INDEX", callback=one_of("--index", _index_modes),
        help="Vectors of a new collection that get an HNSW graph: fused (default: what recommend searches), all, none.",
    ),
    excerpt_vectors: bool = typer.Option(
        False, "--excerpt-vectors", envvar="RECSYS_EXCERPT_VECTORS",
        help="A new collection also keeps, per track of 40 s or more, vectors of three 10 s audio windows (near the start, "
        "at the middle, near the end), which query --audio searches beside the middle's: an excerpt from anywhere finds its track. Later "
        "ingests into it make them without the option (not with --ray).",
    ),
    as_json: bool = JsonOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Read a catalog, build its graph, encode every modality and upsert into Qdrant.

    Audio files are decoded by worker processes, one per CPU up to 16 (env
    RECSYS_DECODE_PROCESSES; 0 decodes on threads, in this process). The
    default audio encoder's descriptor is made there too (env
    RECSYS_WORKER_STEPS=0: in this process; a worker then needs about 75 MB
    instead of 110).

    On a GPU the text, image and audio models run side by side, each in a
    thread of its own (env RECSYS_ENCODE_LANES=0: one after another, which
    needs less GPU memory).
    """
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog

    from recsys.encoders.decode_pool import check_decode_processes

    check_decode_processes()  # a bad value would otherwise be passed over in silence
    cfg = settings(home, qdrant_url)
    ray_at = _ray_address(ctx, ray, ray_address)  # before the catalog is read: a missing Ray fails at once
    t0 = time.perf_counter()
    if catalog is None:
        catalog = ensure_sample_catalog(cfg.sample_catalog_dir)
        collection = collection or "sample"
    cat = read_catalog(catalog, precomputed=precomputed, cover_cache=cfg.cover_cache, tag_cache=cfg.tag_cache)
    read_s = time.perf_counter() - t0
    options = IngestOptions(
        collection=collection, precomputed=precomputed, profile=profile, text_encoder=text_encoder,
        image_encoder=image_encoder, audio_encoder=audio_encoder, graph_encoder=graph_encoder,
        batch_size=batch_size, device=device, force=force, retry_failed=retry_failed, keep_missing=keep_missing, dry_run=dry_run,
        cache_dir=None if no_cache else cfg.embedding_cache_dir,
        shard_number=shards, replication_factor=replicas,
        index=index, ray_address=ray_at, fused=fused, excerpt_vectors=excerpt_vectors,
        models_dir=cfg.models_dir(collection or cat.name),
    )
    columns = (TextColumn("{task.description:<7}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, disable=as_json) as bars:
        with open_store(cfg) as backend:
            report = ingest_catalog(cat, backend, options, RichProgress(bars))
            if report.ok and not report.dry_run and backend.keeps_counts:
                from recsys.query.facets import keep_counts

                counted = time.perf_counter()
                # what `facets` and `info` read, made now for the next command (kept until a write)
                keep_counts(backend, report.collection)
                report.seconds["counts"] = time.perf_counter() - counted
    report.seconds = {"read": read_s, **report.seconds, "total": time.perf_counter() - t0}
    if as_json:
        print_json(report.as_dict() | {"store": cfg.store_label})
    else:
        summary_table(report, cfg.store_label)
    if not report.ok:
        err_console.print("error: nothing could be ingested", style="red")
        raise typer.Exit(1)


def _ray_address(ctx: typer.Context, ray: bool, address: Optional[str]) -> Optional[str]:
    """The Ray to encode on, or None: ``--ray`` alone is Ray's own choice ("default"), an
    ``--ray-address`` typed on the command line implies ``--ray``, and RECSYS_RAY_ADDRESS only
    says where when ``--ray`` is given (set once, it does not turn every ingest into a Ray job)."""
    typed = getattr(ctx.get_parameter_source("ray_address"), "name", "") == "COMMANDLINE"
    if not (ray or (address and typed)):
        return None
    from ingest.ray_stage import check_ray

    return check_ray(address or "default")


def summary_table(report, store_label: str) -> None:
    err_console.print(f"store: {safe_text(store_label)}")
    if report.dry_run:
        dry_run_table(report)
        return
    t = Table(title=f"ingested into '{safe_text(report.collection)}'", title_justify="left")
    t.add_column("what")
    number_column(t, "count / seconds")
    files = report.files
    if files:  # a music folder: what was on disk
        t.add_row("files seen", str(files.get("seen", 0)))
        t.add_row("audio files", str(files.get("audio", 0)))
        t.add_row("skipped by type (not audio)", str(files.get("skipped", 0)))
        t.add_row("tags unreadable", str(files.get("failed", 0)))
    t.add_row("tracks in catalog", str(report.tracks))
    t.add_row("ingested now", str(report.ingested))
    t.add_row("unchanged (skipped)", str(report.unchanged))
    if report.refreshed:  # after an upgrade that changed how filter keys are made: all of them, once
        t.add_row("of them, payload rewritten (vectors kept)", str(report.refreshed))
    t.add_row("added", str(report.added))
    t.add_row("updated (content changed)", str(report.updated))
    t.add_row("moved (vectors kept)", str(report.moved))
    if report.retried:
        t.add_row("retried (a vector an earlier run lacked)", str(report.retried))
    for m, n in report.reprepared.items():  # its input decoded otherwise since it was stored
        t.add_row(f"{m} re-encoded (decoding changed)", str(n))
    t.add_row("removed", str(report.removed))
    for m, n in report.vectors.items():
        t.add_row(f"{m} vectors", str(n))
    for m, n in report.cached.items():
        t.add_row(f"{m} from the embedding cache", str(n))
    for m, n in report.failed.items():
        t.add_row(f"{m} files not decoded", str(n))
    # files no track by design (MIDI, a phone's recordings, a DAW's loops) are no problems
    notices = [p for p in report.problems if getattr(p, "notice", False)]
    problems = [p for p in report.problems if not getattr(p, "notice", False)]
    t.add_row("problems", str(len(problems)))
    if notices:
        t.add_row("notices (files no tracks by design)", str(len(notices)))
    for stage, s in report.seconds.items():
        t.add_row(f"{stage} (s)", f"{s:.2f}")
    show(t, err_console)
    for modality, (kept, now) in report.superseded.items():
        err_console.print(
            f"note: this collection keeps its {modality} encoder '{safe_text(kept)}'; its profile uses"
            f" '{safe_text(now)}' now (docs/encoders.md). To have it, ingest into a new collection"
            " (--collection NAME); the other vectors come from the embedding cache.", highlight=False,
        )
    _preparation_notes(report)
    if report.removal_skipped:
        err_console.print(f"tracks no longer in the catalog were kept: {safe_text(report.removal_skipped)}", highlight=False)
    for lines, head in ((problems, f"{len(problems)} problem(s); tracks were kept with the modalities that worked:"),
                        (notices, f"{len(notices)} notice(s) of files that are no tracks by design, a line a folder and kind:")):
        if not lines:
            continue
        err_console.print(head)
        for p in lines[:20]:
            err_console.print(f"  {safe_text(p)}", highlight=False, soft_wrap=True)
        if len(lines) > 20:
            err_console.print(f"  ... and {len(lines) - 20} more (see --json)")


def _preparation_notes(report) -> None:
    """The lines on vectors made again because their input is decoded otherwise now
    (``ingest.preparation``): which, how many, and why."""
    for line in report.preparation:
        err_console.print(f"note: {safe_text(line)}", highlight=False)


def dry_run_table(report) -> None:
    """What an ingest would change, by kind, with the first track ids of each."""
    plan = report.plan or {}
    t = Table(title=f"dry run: what an ingest would change in '{safe_text(report.collection)}'", title_justify="left")
    t.add_column("what")
    number_column(t, "count")
    t.add_column("tracks")

    names = plan.get("names", {})

    def first(ids: list[str]) -> str:
        # files and manifest lines where known: a music folder's ids are hashes of its paths
        shown = [names.get(i, i) for i in ids[:5]]
        return safe_text(", ".join(shown)) + (f", ... (+{len(ids) - 5})" if len(ids) > 5 else "")

    moved = [f"{names.get(m['from'], m['from'])} -> {names.get(m['to'], m['to'])}" if m["from"] != m["to"]
             else names.get(m["to"], m["to"])
             for m in plan.get("moved", [])]
    t.add_row("tracks in catalog", str(report.tracks), "")
    t.add_row("add", str(report.added), first(plan.get("added", [])))
    t.add_row("update (re-encode)", str(report.updated), first(plan.get("updated", [])))
    t.add_row("move (keep vectors)", str(report.moved), first(moved))
    t.add_row("remove", str(report.removed), first(plan.get("removed", [])))
    if report.retried:
        t.add_row("retry (a vector lacking)", str(report.retried), first(plan.get("retried", [])))
    again = plan.get("reprepared", {})
    for m, n in report.reprepared.items():
        t.add_row(f"re-encode {m} (decoding changed)", str(n), first([tid for tid, ms in again.items() if m in ms]))
    t.add_row("unchanged", str(report.unchanged), "")
    if report.refreshed:
        t.add_row("of them, rewrite payload (keep vectors)", str(report.refreshed), "")
    show(t, err_console)
    for modality, (kept, now) in report.superseded.items():
        err_console.print(
            f"note: this collection keeps its {modality} encoder '{safe_text(kept)}'; its profile uses"
            f" '{safe_text(now)}' now (docs/encoders.md). To have it, ingest into a new collection"
            " (--collection NAME); the other vectors come from the embedding cache.", highlight=False,
        )
    _preparation_notes(report)
    if report.removal_skipped:
        err_console.print(f"tracks no longer in the catalog would be kept: {safe_text(report.removal_skipped)}", highlight=False)
    err_console.print("nothing was changed (--dry-run)")
