"""The web page end to end: uvicorn on a free loopback port, Debian's chromium driven headless
by playwright. Search, recommend (the similar-tracks tabs), open an explanation (the radar),
build a playlist, upload a cover, and the map; a screenshot of each view goes to the test's
folder, and also to $RECSYS_SCREENSHOTS when set (to refresh docs/screenshots/)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not CHROMIUM.exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from recsys.settings import Settings  # noqa: E402
from serve import ServeConfig, create_app  # noqa: E402
from serve.state import ServeState  # noqa: E402
from tests.support.cli import ingested_home  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(home: Path, **config) -> Iterator[str]:
    """uvicorn serving ``home``'s store in a thread (``config``: more of ``ServeConfig``'s
    fields); its base URL."""
    config = ServeConfig(settings=Settings(home=home), **config)
    state = ServeState(config)
    state.open()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(config, state), host="127.0.0.1", port=port,
                                        log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not srv.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        state.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_catalog_master) -> Path:
    return ingested_home(tmp_path_factory, sample_catalog_master)


@pytest.fixture(scope="module")
def server(home):
    """uvicorn serving the sample catalog in a thread; its base URL."""
    with serving(home) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "/")
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shoot(page, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000  # a drawn page, not a blank one
    extra = os.environ.get("RECSYS_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(extra) / out.name)
    return out


def open_track(page, query: str) -> None:
    page.fill("#search", query)
    page.wait_for_selector("#suggestions li")
    page.click("#suggestions li >> nth=0")
    page.wait_for_selector("#neighbours .result")


def test_search_and_recommend(page, tmp_path):
    expect = sync_api.expect
    open_track(page, "thunder")
    expect(page.locator("#track-title")).to_have_text("Thunder")
    expect(page.locator("#collection")).to_contain_text("48 tracks")
    # the cover and the audio come from the server, the audio through range requests
    assert page.eval_on_selector("#track-cover", "img => img.complete && img.naturalWidth > 0")
    assert page.get_attribute("#track-audio", "src").endswith("/audio")
    tabs = page.locator("#neighbour-tabs button")
    assert tabs.count() == 5
    genres = page.locator("#neighbours .result .sub").all_inner_texts()
    assert len(genres) == 8 and sum("metal" in g for g in genres) >= 4  # Thunder is metal
    page.click('#neighbour-tabs button[data-using="audio"]')
    expect(page.locator('#neighbour-tabs button[data-using="audio"]')).to_have_class("active")
    assert page.locator("#graph svg g.artist text").text_content() == "Skarnhelm"
    assert page.locator("#graph svg g.neighbour").count() == 8
    shoot(page, tmp_path, "track")


def test_open_an_explanation(page, tmp_path):
    open_track(page, "thunder")
    page.click("#neighbours .result >> nth=0 >> button.why")
    page.wait_for_selector("#explain:not([hidden]) #radar svg polygon.radar-area")
    assert page.locator("#explain-table tr").count() == 4
    points = page.get_attribute("#radar svg polygon.radar-area", "points")
    assert len(points.split()) == 4
    shoot(page, tmp_path, "explanation")
    page.click("#explain .close")
    assert page.locator("#explain").is_hidden()


def test_build_a_playlist_and_download_it(page, tmp_path):
    open_track(page, "thunder")
    page.click("#track-add-seed")
    page.click("#neighbours .result >> nth=3 >> button.add-seed")
    page.click('#views button[data-view="playlist"]')
    assert page.locator("#seeds li").count() == 2 and page.inner_text("#seed-count") == "2"
    page.click("#build-playlist")
    page.wait_for_selector("#playlist .result")
    rows = page.locator("#playlist .result")
    assert rows.count() >= 4 and page.locator("#playlist .result.seed").count() == 2
    with page.expect_download() as dl:
        page.click("#download-m3u8")
    saved = tmp_path / "playlist.m3u8"
    dl.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("#EXTM3U") and text.count("#EXTINF") == rows.count()
    shoot(page, tmp_path, "playlist")
    page.click("#seeds li >> nth=0 >> button")  # − removes a seed
    assert page.locator("#seeds li").count() == 1


def test_upload_a_cover_and_type_a_text(page, tmp_path, sample_catalog_master):
    page.click('#views button[data-view="crossmodal"]')
    page.set_input_files("#upload", str(sample_catalog_master / "sample_query_cover.png"))
    page.wait_for_selector("#query-results .result")
    genres = page.locator("#query-results .result .sub").all_inner_texts()
    assert sum("metal" in g for g in genres[:5]) >= 4  # the query cover was drawn for metal
    shoot(page, tmp_path, "cover-query")
    page.fill("#text-input", "heavy storm of steel and fire")
    page.click("#text-query button")
    sync_api.expect(page.locator("#query-label")).to_contain_text('"heavy storm of steel and fire"')


def test_the_map_with_click_to_recommend(page, tmp_path):
    page.click('#views button[data-view="map"]')
    sync_api.expect(page.locator("#map-label")).to_contain_text("48 tracks")
    assert page.locator("#map-legend div").count() == 8
    # click the first point where the page drew it
    x, y = page.evaluate("""() => { const s = mapScreen()[0]; return [s[0], s[1]]; }""")
    page.locator("#map").click(position={"x": x, "y": y})
    page.wait_for_selector("#map-results .result")
    sync_api.expect(page.locator("#map-label")).to_contain_text("like")
    shoot(page, tmp_path, "map")


def test_the_clean_toggle_goes_with_every_list_of_tracks(page, sample_catalog_master):
    """"clean" checked: every request that returns tracks asks for it (the similar tracks, the
    playlist and its file, the cover and the text query, the map's click), and a reload keeps it."""
    import json

    asked: list[tuple[str, bytes]] = []
    page.on("request", lambda r: asked.append((r.url, r.post_data_buffer or b"")) if "/api/" in r.url else None)
    page.check("#clean")
    page.reload()
    assert page.is_checked("#clean")  # kept in the browser

    def body(path: str) -> dict:
        return json.loads(next(data for url, data in reversed(asked) if url.endswith(path)))

    open_track(page, "thunder")
    assert any("/api/tracks/t" in url and "clean=true" in url for url, _ in asked)
    page.click("#track-add-seed")
    page.click('#views button[data-view="playlist"]')
    page.click("#build-playlist")
    page.wait_for_selector("#playlist .result")
    with page.expect_download():
        page.click("#download-m3u8")
    assert body("/api/playlist")["filters"] == {"clean": True}
    assert body("/api/playlist.m3u8")["filters"] == {"clean": True}
    page.click('#views button[data-view="crossmodal"]')
    # the browser does not show a multipart body with a file to playwright: the page's form fields are
    # recorded as it appends them
    page.evaluate("""() => { window.appended = []; const append = FormData.prototype.append;
        FormData.prototype.append = function (name, value, ...rest) {
            window.appended.push([name, typeof value === "string" ? value : "(file)"]);
            return append.call(this, name, value, ...rest); }; }""")
    page.set_input_files("#upload", str(sample_catalog_master / "sample_query_cover.png"))
    page.wait_for_selector("#query-results .result")
    assert ["clean", "true"] in page.evaluate("() => window.appended")
    page.fill("#text-input", "heavy storm")
    page.click("#text-query button")
    sync_api.expect(page.locator("#query-label")).to_contain_text('"heavy storm"')
    assert body("/api/query/text")["filters"] == {"clean": True}
    page.click('#views button[data-view="map"]')
    sync_api.expect(page.locator("#map-label")).to_contain_text("48 tracks")
    x, y = page.evaluate("""() => { const s = mapScreen()[0]; return [s[0], s[1]]; }""")
    page.locator("#map").click(position={"x": x, "y": y})
    page.wait_for_selector("#map-results .result")
    assert body("/api/recommend")["filters"] == {"clean": True}


def test_a_clean_server_ticks_clean_for_good(browser, home, tmp_path):
    """``recsys serve --clean``: the page shows "clean" ticked and disabled with its note, even
    where the browser kept it unticked, and asks every list of tracks with it."""
    shutil.copytree(home, tmp_path / "home")  # a store of its own: the module's server holds the other
    with serving(tmp_path / "home", clean=True) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        asked: list[str] = []
        pg.on("request", lambda r: asked.append(r.url) if "/api/tracks/t" in r.url else None)
        pg.add_init_script("localStorage.setItem('recsys_clean', '0')")  # a child unticked it before
        pg.goto(url + "/")
        box = pg.locator("#clean")
        sync_api.expect(box).to_be_checked()
        sync_api.expect(box).to_be_disabled()
        sync_api.expect(pg.locator("#clean-note")).to_be_visible()
        sync_api.expect(pg.locator("#clean-note")).to_have_text("set by this server for everyone")
        open_track(pg, "thunder")
        assert any("clean=true" in u for u in asked), asked
        shoot(pg, tmp_path, "clean-server")
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
