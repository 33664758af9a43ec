"""Drawing a projected embedding space: a self-contained interactive HTML page (no network,
no external scripts; hover shows title, artist and genres) or a static PNG."""

from __future__ import annotations

import colorsys
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    title: str
    artist: str
    genres: tuple[str, ...]
    group: str  # what colours it: a genre, an artist or a year


def palette(groups: Sequence[str]) -> dict[str, str]:
    """Distinct colours spread around the hue circle (golden-ratio steps)."""
    out = {}
    for i, g in enumerate(sorted(set(groups))):
        h = (i * 0.618033988749895) % 1.0
        r, gg, b = colorsys.hls_to_rgb(h, 0.5, 0.65)
        out[g] = f"#{int(r * 255):02x}{int(gg * 255):02x}{int(b * 255):02x}"
    return out


def write_html(points: Sequence[MapPoint], path: Path, title: str) -> None:
    colours = palette([p.group for p in points])
    data = [
        {"x": round(p.x, 5), "y": round(p.y, 5), "t": p.title, "a": p.artist, "g": ", ".join(p.genres), "c": p.group}
        for p in points
    ]
    page = _TEMPLATE.replace("__TITLE__", html.escape(title)).replace(
        "__DATA__", json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    ).replace("__COLOURS__", json.dumps(colours, ensure_ascii=False).replace("</", "<\\/"))
    path.write_text(page, encoding="utf-8")


#: TrueType fonts tried in turn (Pillow looks in the system's font folders): Pillow's own
#: default font has no glyphs beyond ASCII and drew "Tomás" as "Tom□s". Noto CJK first, for
#: Japanese and Chinese names, where it is installed; DejaVu Sans (most Linux systems) covers
#: Latin, Greek, Cyrillic and Arabic; then the usual macOS and Windows fonts.
_FONTS = ("NotoSansCJK-Regular.ttc", "NotoSansCJKjp-Regular.otf", "DejaVuSans.ttf", "NotoSans-Regular.ttf",
          "Arial Unicode.ttf", "arialuni.ttf", "Arial.ttf", "arial.ttf")


def _font(size: int):
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def write_png(points: Sequence[MapPoint], path: Path, title: str, size: int = 1200) -> None:
    from PIL import Image, ImageDraw

    from recsys.text import plain_text

    colours = palette([p.group for p in points])
    legend_w = 260
    img = Image.new("RGB", (size + legend_w, size), "white")
    d = ImageDraw.Draw(img)
    pad = 40
    for p in points:
        cx, cy = pad + p.x * (size - 2 * pad), pad + (1 - p.y) * (size - 2 * pad)
        d.ellipse([cx - 5, cy - 5, cx + 5, cy + 5], fill=colours[p.group], outline="#333333")
    font = _font(14)
    d.text((pad, 10), plain_text(title), fill="black", font=font)
    counts: dict[str, int] = {}
    for p in points:
        counts[p.group] = counts.get(p.group, 0) + 1
    for i, (g, n) in enumerate(sorted(counts.items(), key=lambda kv: -kv[1])[:45]):
        y = pad + i * 24
        d.rectangle([size + 10, y, size + 26, y + 16], fill=colours[g])
        # one line each: a label with a line break ran into the next one
        d.text((size + 34, y + 2), f"{plain_text(g) or '(unknown)'} ({n})"[:34], fill="black", font=font)
    img.save(path)


_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh}
#plot{flex:1;position:relative}canvas{width:100%;height:100%;display:block}
#legend{width:260px;overflow:auto;padding:8px;border-left:1px solid #ddd;font-size:13px}
#legend div{cursor:pointer;margin:2px 0}#legend span{display:inline-block;width:12px;height:12px;margin-right:6px}
#tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #999;padding:4px 6px;font-size:13px;display:none}
h1{font-size:15px;margin:6px 0}
</style></head><body>
<div id="plot"><canvas id="c"></canvas><div id="tip"></div></div>
<div id="legend"><h1>__TITLE__</h1><p>Hover a point; click a legend entry to hide it.</p></div>
<script>
const data=__DATA__, colours=__COLOURS__, hidden=new Set();
const c=document.getElementById('c'), ctx=c.getContext('2d'), tip=document.getElementById('tip');
let scr=[];
function draw(){const r=c.getBoundingClientRect();c.width=r.width*devicePixelRatio;c.height=r.height*devicePixelRatio;
ctx.setTransform(devicePixelRatio,0,0,devicePixelRatio,0,0);ctx.clearRect(0,0,r.width,r.height);const p=30;scr=[];
for(const d of data){if(hidden.has(d.c))continue;const x=p+d.x*(r.width-2*p),y=p+(1-d.y)*(r.height-2*p);scr.push([x,y,d]);
ctx.beginPath();ctx.arc(x,y,5,0,7);ctx.fillStyle=colours[d.c];ctx.fill();ctx.strokeStyle='#333';ctx.lineWidth=.5;ctx.stroke();}}
c.addEventListener('mousemove',e=>{const r=c.getBoundingClientRect(),mx=e.clientX-r.left,my=e.clientY-r.top;let best=null,bd=100;
for(const s of scr){const dd=(s[0]-mx)**2+(s[1]-my)**2;if(dd<bd){bd=dd;best=s;}}
if(!best){tip.style.display='none';return;}const d=best[2];tip.textContent='';
const b=document.createElement('b');b.textContent=d.t;tip.append(b,document.createElement('br'),d.a,document.createElement('br'),d.g);
tip.style.left=(best[0]+10)+'px';tip.style.top=(best[1]+10)+'px';tip.style.display='block';});
const counts={};for(const d of data)counts[d.c]=(counts[d.c]||0)+1;
for(const [g,n] of Object.entries(counts).sort((a,b)=>b[1]-a[1])){const el=document.createElement('div');
const sw=document.createElement('span');sw.style.background=colours[g];el.append(sw,`${g} (${n})`);
el.onclick=()=>{hidden.has(g)?hidden.delete(g):hidden.add(g);el.style.opacity=hidden.has(g)?.3:1;draw();};
document.getElementById('legend').append(el);}
window.addEventListener('resize',draw);draw();
</script></body></html>
"""


COLOR_BY = ("genre", "artist", "year")


def build_map(backend, collection: str, using: str, color: str = "genre", method: str = "auto",
              seed: int = 42, flt=None) -> tuple[list[MapPoint], str]:
    """Every track that has the ``using`` vector (and that ``flt``, a ``QueryFilter``, matches:
    a clean server maps no track marked explicit), projected to 2-D and grouped for colour."""
    from recsys.errors import RecsysError
    from recsys.analysis.projection import project_2d

    if color not in COLOR_BY:
        raise RecsysError(f"cannot colour by '{color}'; choose one of {', '.join(COLOR_BY)}")
    from recsys.collection import physical_vector

    using = physical_vector(backend.get_spec(collection), using)
    records = list(backend.scroll(collection, batch_size=1024, using=using, flt=flt))
    if not records:
        raise RecsysError(f"collection '{collection}' has no '{using}' vectors to map")
    xy, used = project_2d(np.stack([r.vectors[using] for r in records]), method=method, seed=seed)
    points = []
    for (x, y), r in zip(xy, records):
        p = r.payload
        genres = tuple(p.get("genres") or ())
        if color == "genre":
            group = genres[0] if genres else "(no genre)"
        elif color == "artist":
            group = str(p.get("artist") or "(unknown)")
        else:
            year = p.get("year")
            group = f"{(year // 10) * 10}s" if isinstance(year, int) else "(no year)"
        points.append(MapPoint(float(x), float(y), str(p.get("title", "")), str(p.get("artist", "")), genres, group))
    return points, used
