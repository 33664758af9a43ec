"""Web sites' names in a download's tags and file name: "Song (www.SongsPk.com)", "Artist -
www.SongsPk.com", an album "www.MP3Juices.cc", "y2mate.com - Artist - Song_320kbps.mp3".

The sites that hand out MP3s (and the converters that turn a video into one) stamp their name
into every field they write, and into the file name. A phone's ``Download/`` folder read so
had the title "Breaking the Chains (www.SongsPk.com)" by "Mattias Westlund - www.SongsPk.com",
from the album "The Battle for Wesnoth OST - www.SongsPk.com": an artist node and facet row of
its own beside the real one, a seed "Breaking the Chains" to match past the address, an album
"www.MP3Juices.cc" shared by unrelated songs, and y2mate's downloads were by "y2mate.com".

A site's name is a host name: "www." or "http(s)://" before it, or a final part among the
top-level domains these sites use (``_TLDS``). It goes where it stands apart from the words:
in brackets of its own, after or before a spaced dash (" - Mr-Jatt.com", "y2mate.com - "), and
an album named by a site alone is no album. Standing apart so, any of the sites' domains will
do without "www." ("(Songspk.name)", "[Webmusic.IN]", "(PagalWorld.com.se)", "- SenSongsMp3.Co",
"- Masstamilan.In": after a dash, a name of four characters or more before its dot), and a
bracketed site after a dash takes the dash with it (Songs.PK's "Arijit Singh - [Songs.PK]" left
"Arijit Singh -" as the artist). A genre is read without them too ("Bollywood - DJMaza.Info"). A name with
a dot inside a word ("Dot.com Blues", "Mr. Blue Sky") is no site: only a whole bracket, a whole
dash-part or an album that is a site's name alone is taken; a Chinese site's name beside its host
("九酷音乐网 www.9ku.com", "一听音乐网 www.1ting.com") is a site's name alone. A converter's bitrate at the end ("_320kbps", "
(128 kbps)") goes too.

A site's name without its domain goes too where the same file names the site with it
(``site_brands``, ``without_site_brands``): NaijaLoaded's downloads are "Burna Boy |
Naijaloaded.com.ng" (its domain: the artist came out right) but "Last Last | NaijaLoaded" and
"Love, Damini | Naijaloaded", Fakaza's "Scorpion Kings | Fakaza" by "... - Fakaza.me": a real
Afrobeats library's seed "Rush" was "Rush | NaijaLoaded", and each site's albums were albums of
their own beside the same songs' iTunes copies. Its name must stand apart as the domain's does
(after a bar or a spaced dash, in brackets of its own, or alone as an album), and the file must
name the domain: "Essence | Lagos" keeps its "Lagos" in a file that names no lagos.com.
"""

from __future__ import annotations

import re

#: the top-level domains of the sites that stamp downloads, and the common ones: a name with
#: "www." or "http://" before it may end in any of them
_TLDS = (
    "com", "net", "org", "info", "biz", "cc", "co", "io", "me", "to", "tv", "fm", "ws", "pk", "in",
    "ru", "su", "mobi", "xyz", "site", "live", "club", "top", "link", "online", "pw", "la", "li",
    "nu", "vc", "cx", "ch", "us", "uk", "co.uk", "com.pk", "co.in", "ng", "com.ng", "eu",
    "de", "fr", "es", "it", "nl", "pl", "br", "com.br", "mx", "ir", "tk", "ml", "name",
    # the Indian and Pakistani sites' later homes: "PagalWorld.com.se", "Mr-Jatt.im", "Pagalworld.Ink"
    "se", "im", "ink", "cm", "app", "dev", "fun",
)
#: those a bare name ("Mr-Jatt.com") must end in: none an English or a Romance word ("feat.me",
#: "Vol.in", "Pt.it"), nor a word's abbreviation
_BARE_TLDS = ("com", "net", "org", "info", "biz", "cc", "pk", "ru", "su", "mobi", "xyz", "club", "top",
              "online", "pw", "ws", "vc", "cx", "co.uk", "com.pk", "co.in", "com.ng", "com.br", "tk", "ml")
_BODY = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"


def _any(tlds: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(t) for t in sorted(tlds, key=len, reverse=True)) + ")"


_HOST = (r"(?:(?:https?://)?www\." + _BODY + r"\." + _any(_TLDS) + r"|(?:https?://)?" + _BODY + r"\."
         + _any(_BARE_TLDS) + r")(?![\w.])/?")
#: a host that stands apart (a whole bracket, a whole dash-part) may end in any of the sites'
#: domains without "www.": "(Songspk.name)", "[Webmusic.IN]", "- SenSongsMp3.Co", "-
#: Masstamilan.In", "(PagalWorld.com.se)". After a dash its first part is four characters or
#: more: no "Vol.in", "Pt.it" of a title's own
_APART = r"(?:https?://)?(?:www\.)?" + _BODY + r"\." + _any(_TLDS) + r"(?![\w.])/?"
_DASHED = r"(?:" + _HOST + r"|(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]{3,}(?:\.[a-z0-9-]+)*\." + _any(_TLDS) + r"(?![\w.])/?)"
#: a Chinese download site's name beside its host, either side, as the 2000s MP3 sites stamped
#: the album: "www.9ku.com 九酷音乐网", "一听音乐网 www.1ting.com" ("网", "網": a site)
_SITE_WORD = r"[\u4e00-\u9fff]{1,12}[网網]"
_SITE = re.compile(r"^\s*(?:" + _SITE_WORD + r"\s*)?" + _HOST + r"(?:\s*" + _SITE_WORD + r")?\s*$", re.IGNORECASE)
#: an album named by a site alone, which any of the sites' domains may end ("muzofond.fm",
#: "Zaycev.net"), its name four characters or more: no album is called so
_ALBUM_SITE = re.compile(r"^\s*" + _DASHED + r"\s*$", re.IGNORECASE)
#: "(www.SongsPk.com)", "[Songs.PK]", and one after a dash of its own: Songs.PK's "Arijit Singh -
#: [Songs.PK]" and "Aashiqui 2 - [Songs.PK]" left "Arijit Singh -"; or glued on by a hyphen or
#: an underscore, as the Naija blogs name their files: "Davido_-_Fall_(NetNaija.com)" left
#: "Davido_-_Fall_", "Burna-Boy-Last-Last-[NaijaLoaded.com.ng]" "Burna-Boy-Last-Last-"
_BRACKETED = re.compile(r"(?:\s+(?:-|–|—)|[-_]+)?\s*[(\[{]\s*" + _APART + r"\s*[)\]}]", re.IGNORECASE)
#: " - www.site.com" at the end, "site.com - " at the start (also with "|", "::", "@")
_TRAILING = re.compile(r"\s+(?:-|–|—|\||::|@)\s*" + _DASHED + r"\s*$", re.IGNORECASE)
_LEADING = re.compile(r"^\s*" + _DASHED + r"\s*(?:-|–|—|\||::)\s+", re.IGNORECASE)
_BITRATE = re.compile(r"(?:[_ ]\d{2,3}\s?kbps|\s*[(\[]\d{2,3}\s?kbps[)\]])\s*$", re.IGNORECASE)


def site_name(text: str) -> bool:
    """Whether ``text`` is a web site's name alone ("www.MP3Juices.cc", "Mr-Jatt.com", "九酷音乐网
    www.9ku.com")."""
    return _SITE.match(text) is not None


#: the YouTube-to-MP3 converters that write their bare name (no domain, or "ytmp3.cc" whose ".cc"
#: a bare host may not end in) as the artist of every file they make: lib29's "Sơn Tùng M-TP |
#: LẠC TRÔI | Official Music Video" was by "ytmp3". None is an artist's name
_CONVERTERS = frozenset({
    "ytmp3", "320ytmp3", "y2mate", "savefrom", "onlymp3", "mp3juices", "mp3juice", "yt1s", "y2meta",
    "flvto", "notube", "tomp3", "ssyoutube", "savetube", "yt2mp3",
})
_CONVERTER = re.compile(r"^\s*(?:https?://)?(?:www\.)?([a-z0-9-]+)(?:\.(?:" + _any(_TLDS) + r"))?/?\s*$", re.IGNORECASE)


def converter_name(text: str) -> bool:
    """Whether ``text`` is a video converter's name alone, with its domain or without ("ytmp3",
    "y2mate", "ytmp3.cc", "www.y2mate.com"): it names no artist."""
    match = _CONVERTER.match(text) if text else None
    return match is not None and match.group(1).casefold().replace("-", "") in _CONVERTERS


def without_site_names(text: str, alone: bool = False) -> str:
    """``text`` without the web sites' names and the converter's bitrate that stand apart in it.
    A site's name alone is kept, but with ``alone`` (an album: "www.MP3Juices.cc" names no
    album): an artist tag "http://zhaymusic.com/" (a real game soundtrack's) is the one word on
    who made the song, and a title "Rock.com" is a title."""
    if not text or "." not in text and "kbps" not in text.casefold():
        return text
    if site_name(text) or alone and _ALBUM_SITE.match(text):
        return "" if alone else text
    out = _BRACKETED.sub("", text)
    out = _TRAILING.sub("", out)
    out = _LEADING.sub("", out)
    out = _BITRATE.sub("", out)
    out = out.strip()
    return out if any(c.isalnum() for c in out) else text


#: the first label of a site's host in a part ``_BRACKETED``, ``_TRAILING`` or ``_LEADING`` took:
#: "naijaloaded" of "[NaijaLoaded.com.ng]", "9jaflaver" of "(www.9jaflaver.com)"
_BRAND = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9][a-z0-9-]{3,})\.", re.IGNORECASE)


def site_brands(*texts: str) -> frozenset[str]:
    """The sites' names (casefolded, their domains dropped) that ``texts`` (a file's fields and
    its name) name with their domains where they stand apart: "naijaloaded" of "Burna Boy |
    Naijaloaded.com.ng" or "Burna-Boy-Last-Last-[NaijaLoaded.com.ng].mp3"."""
    brands: set[str] = set()
    for text in texts:
        if not text or "." not in text:
            continue
        parts = [m.group(0) for rx in (_BRACKETED, _TRAILING, _LEADING) for m in rx.finditer(text)]
        if site_name(text) or _ALBUM_SITE.match(text):
            parts.append(text)
        brands.update(m.group(1).casefold() for part in parts if (m := _BRAND.search(part.strip(" -–—|:@([{"))))
    return frozenset(brands)


def without_site_brands(text: str, brands: frozenset[str], alone: bool = False) -> str:
    """``text`` without the names of ``brands`` (``site_brands``) standing apart in it: "Last
    Last | NaijaLoaded" -> "Last Last"; with ``alone`` (an album) a name alone is no album."""
    if not brands or not text:
        return text
    names = "(?:" + "|".join(re.escape(b) for b in sorted(brands, key=len, reverse=True)) + ")"
    if re.fullmatch(r"\s*" + names + r"\s*", text, re.IGNORECASE):
        return "" if alone else text
    out = re.sub(r"\s*[(\[{]\s*" + names + r"\s*[)\]}]", "", text, flags=re.IGNORECASE)
    out = re.sub(r"\s+(?:-|–|—|\||::|@)\s*" + names + r"\s*$", "", out, flags=re.IGNORECASE)
    out = re.sub(r"^\s*" + names + r"\s*(?:-|–|—|\||::)\s+", "", out, flags=re.IGNORECASE)
    out = out.strip()
    return out if any(c.isalnum() for c in out) else text
