"""The credited artists of a music file: "Drake feat. Rihanna" is Drake's track, with Rihanna.

The rules a tagger uses (MusicBrainz Picard, beets' ``ftintitle``, foobar2000's multi-value
fields), for the music-folder reader only (a manifest's artist is taken as written):

- split on a featuring word: " feat. ", " feat ", " ft. ", " ft ", " featuring " (any case),
  and on "(feat. X)" / "[ft. X]" brackets, in the artist and in the title ("Song (feat. X)",
  the most common form; a bracket may hold one of its own: "(Feat. 태연 (TAEYEON))");
- in a title, a bare featuring word at its end too, as mixtape and single downloads write it
  ("Goosebumps ft. Kendrick Lamar", "Bad and Boujee Ft Lil Uzi Vert", "Hot f/ Gunna"): where a
  name follows it that begins with a letter, not a number ("6 Ft. 7 Ft." is a title), up to the
  title's end or its next bracket. Not "w/": it is a title's own "with" as often ("Dancing w/
  Myself", "Out w/ the Old");
- split on ";" and on " / " (with spaces: "AC/DC" stays one), on " vs. " / " vs " (a DJ's
  credit of a mashup or a back-to-back: "Armin van Buuren vs. Vini Vici", the first the
  primary), on the Chinese stores' lists ("陈奕迅/王菲", "周杰伦、费玉清", "陈奕迅,王菲": a "/"
  or a comma beside a Han, kana or Hangul letter, the enumeration comma "、"), and on NUL (ID3v2.4's value separator where a reader left it joined); several
  values of a multi-value artist frame are several artists too;
- the featured part (what follows a featuring word, or a "(feat. ...)" bracket) also on ", ",
  " & " and " and ": "A feat. B, C & D" credits B, C and D, as taggers write a list of guests;
- never the primary part on "&", "and" or ",": those are in band names ("Simon & Garfunkel",
  "Earth, Wind & Fire", "Crosby, Stills, Nash & Young"), which no rule can tell from a duet. A
  featured band or duo with one is split here ("feat. Earth, Wind & Fire", "feat. Wisin y
  Yandel"), and read whole again where the library names it (``guestbands``);
- a collaboration's " x " ("Future x Metro Boomin", "Kygo X Whitney Houston", "×"), between
  names on both sides (``_collaborators``): each is credited, the primary part after the whole
  value, which stays the primary artist as a duo's "A & B" does where the library names both
  (``leaders``): the artist cap and the version dedup key on the collaboration. Not an "X" of
  a name ("Malcolm X", "X Japan", "Brand X Music", "Generation X Band"), nor one in a word
  ("The xx", "SBTRKT").

The first name is the primary artist: the artist node of the graph, the artist of the artist
cap. The others are featured: an edge each from the track to their own artist node.
"""

from __future__ import annotations

import re
from typing import Iterable

from recsys.labels import double_name

#: Brazilian stores' "part." (participação) with its "Especial" ("(Part. Especial Daniela
#: Mercury)", "(Participação Especial de X)"): a featuring word where a name follows it, not a
#: number ("(Part. 2)", "Part. II", "Part. One" name another piece), nor "Especial" alone (the
#: store's "(Part. Especial)" with the guest's name left out)
_PART_WORD = (r"(?:part\.|participa[çc][ãa]o)(?:\s+especial)?(?:\s+de)?"
              r"(?!\s+(?:\d|[ivx]{1,5}\b|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b|especial\s*[\)\]]))")
#: Russian "при уч." / "при участии" ("with the participation of"), its "п.у.", Ukrainian "за
#: участю" / "за уч.", Bulgarian "с участието на": the "feat." of Russian-language releases and
#: download sites ("Би-2 при уч. Юлия Чичерина")
_RU_WORD = r"(?:при\s+уч(?:\.|астии)|п\.\s?у\.|за\s+(?:уч\.|участю)|с\s+участието\s+на)"
_FEAT_WORD = r"(?:feat\.?|ft\.?|featuring|" + _PART_WORD + "|" + _RU_WORD + ")"
#: "(feat. X)" or "[ft. X]": the bracket and what it holds, a bracket of its own included
#: ("(Feat. 태연 (TAEYEON))", a Korean store's guest by both names)
#: after a featuring word: a space, or nothing after its dot where a name begins, as Japanese
#: releases write it ("砂の惑星 feat.初音ミク", "Bad Apple!! feat.nomico"; "Part.2" is no guest)
_AFTER = r"(?:\s+|(?<=\.)(?=[^\W\d_]))"
_BRACKETED_FEAT = re.compile(r"[\(\[]\s*" + _FEAT_WORD + _AFTER + r"((?:[^\(\)\[\]]|\([^\(\)]*\))*)[\)\]]", re.IGNORECASE)
#: Spanish "con", French "avec", German "mit" in a bracket of their own, lower case as a store
#: writes its "feat." ("Dákiti (con Jhay Cortez)", "Je t'aime... moi non plus (avec Jane
#: Birkin)", "Cello (mit Clueso)"): a credit where a name follows (``_a_name``). A title's own
#: words are not ("(Con te partirò)", "(Avec le temps)", "(con amor)"), nor are these words
#: bare ("Bailando con lobos", "Ich will mit dir")
_BRACKETED_WITH = re.compile(r"[\(\[]\s*(?-i:con|avec|mit)\s+([^\(\)\[\]]+?)\s*[\)\]]")
#: the small words of names that stay lower case ("Ana Belén y Víctor Manuel", "Nego do
#: Borel", "Los Ángeles Azules", "Ludwig van Beethoven")
_PARTICLES = frozenset("de da do dos das del della di du la le los las el van von der den y e et und and & x".split())
#: a bare featuring word in a title and the guests after it, to the title's end or its next
#: bracket: "Goosebumps ft. Kendrick Lamar", "Mask Off (Remix) featuring Kendrick Lamar", the
#: mixtape downloads' "f/" ("Hot f/ Gunna"); a name, not a number ("6 Ft. 7 Ft."); not "w/",
#: a title's own "with" as often ("Dancing w/ Myself")
#: nor a word that begins no guest's name: "A Feat of Strength", "A Feat Of Strength" (title
#: case), and a fort's "Ft." ("Leaving Ft. Worth", "Ft. Lauderdale")
_NO_GUEST = r"(?!(?:of|to|in|on|for|at|from|is|was|or|as|by|worth|lauderdale|myers|collins|knox|bragg|sumter|mcmurray)\b)"
TITLE_FEAT = re.compile(r"\s+(?:" + _FEAT_WORD + r"|f/)" + _AFTER + r"(?=[^\W\d_])" + _NO_GUEST + r"([^\(\)\[\]]+?)\s*(?=[\(\[]|$)",
                        re.IGNORECASE)
#: a producer's credit at a title's end, bracketed or bare: "(Prod. by Metro Boomin)", "[Prod.
#: By Pi'erre Bourne]", "(prod. Kaytranada)", "Jumpman prod. Metro Boomin": a credit, no part
#: of the song's name; bare, "prod by" without its dot too ("Magnolia prod by Pi'erre Bourne"),
#: not a title's own "prod" ("Prod", "Cattle Prod Blues")
TITLE_PRODUCER = re.compile(
    r"\s*(?:[\(\[]\s*prod(?:\.|uced)?\s+(?:by\s+)?[^\)\]]+[\)\]]|\s(?:prod\.|prod(?=\s+by\s)|produced\s+by)\s+(?:by\s+)?[^\(\)\[\]]+?(?=\s*[\(\[]|$))",
    re.IGNORECASE,
)
#: " feat. " and its kin, between two names
_FEAT = re.compile(r"\s+" + _FEAT_WORD + _AFTER, re.IGNORECASE)
#: Han, kana and Hangul: the scripts whose names the Chinese stores list without spaces
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
#: a list of names as Chinese stores and players write one: NetEase Cloud Music's and QQ Music's
#: "陈奕迅/王菲" (no spaces), KuGou's "周杰伦、费玉清" (the enumeration comma), a file name's
#: "陈奕迅,王菲" ("/" is no file name's): "/", "／", "," and "，" beside a Han, kana or Hangul
#: letter, "、" anywhere. "AC/DC" and "Earth, Wind & Fire" have none beside theirs
_CJK_LIST = (r"\s*、\s*|(?<=[" + _CJK + r"])\s*[/／,，]\s*|\s*[/／,，]\s*(?=[" + _CJK + r"])")
#: ";" (with or without spaces), " / " (with spaces), " vs. " / " vs " (with spaces), NUL, and
#: a Chinese store's list (``_CJK_LIST``)
_LIST = re.compile(r"\s*;\s*|\s+/\s+|\s+vs\.?\s+|\x00|" + _CJK_LIST, re.IGNORECASE)
#: ", ", " & ", " and " and the "and" of Spanish, Portuguese, Italian, French and German ("(con
#: Natalia Lafourcade y Leonel García)"): a list of guests, split in the featured part only (a
#: primary artist with one is a band name far more often than a duet)
_GUESTS = re.compile(r"\s*,\s+|\s+&\s+|\s+(?:and|y|e|et|und)\s+", re.IGNORECASE)


#: " x " between two names, as rap, K-pop and dance releases credit a collaboration ("Future x
#: Metro Boomin", "Kygo X Whitney Houston", Japanese "×"): with spaces on both sides, so never a
#: name's own "X" at its start or end ("X Japan", "Malcolm X", "Pussy Riot x") or in a word
#: ("The xx", "SBTRKT")
_X = re.compile(r"\s+[xX×]\s+")
#: the last word of a name that ends in its "X", when more words follow it ("Malcolm X Band",
#: "Brand X Music", "Generation X Tribute"): no collaboration of "Brand" and "Music"
_BEFORE_AN_X = frozenset(
    "malcolm brand racer generation planet project professor mr mister madame miss ms agent dr doctor brother "
    "sister subject factor lady model chapter volume vol mission operation".split()
)
#: a first word after the "X" that goes on with one name, not a second one ("... X Music",
#: "... X Band", "... X Live")
_AFTER_AN_X = frozenset(
    "music band orchestra ensemble live project records recordings collective crew productions sound sounds "
    "trio quartet experience tribute".split()
)


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def split_artists(text: str) -> list[str]:
    """The artists one artist (or album artist) value credits, in order, primary first.
    "Drake feat. Rihanna" -> ["Drake", "Rihanna"]; "Simon & Garfunkel" -> ["Simon & Garfunkel"]."""
    featured = [n for m in _bracketed_credits(text) for n in _names(m.group(1), featured=True)]
    main = _without_bracketed_credits(text)
    return _unique([*_names(main), *featured])


#: what a live or studio version is played with, capitalised as German writes every noun:
#: "(mit Orchester)", "(mit Band)", "(avec Orchestre)", "(con Orquesta)" name no guest
_ENSEMBLES = frozenset(
    "orchester orchestre orchestra orquesta orquestra band banda chor choir coro chœur choeur streichern "
    "streichorchester streichquartett bläsern quartett quartet quatuor cuarteto trio klavier piano gitarre "
    "guitare guitarra gitarra akustikgitarre big-band bigband ensemble "
    # instruments, German plurals in -n included ("(mit Pauken und Trompeten)", "(con Mariachi)")
    "mariachi streicher bläser trompete trompeten posaune posaunen geige geigen violine violinen "
    "cello celli harfe flöte flöten orgel akkordeon saxophon pauke pauken trommel trommeln schlagzeug "
    "trompeta trompette tromba violín violino violon acordeón accordéon fisarmonica cuerdas cordes archi".split()
)
#: what, not whom, a song is sung with ("Ich liebe dich (mit Liebe)", "(mit Gefühl)", "(con
#: Amore)", "(mit Freunden)"): German capitalises every noun (a title-caser Italian's and
#: Spanish's too), so such a noun looks like a guest's one-word name ("(mit Clueso)", "(con
#: Giorgia)", "(con Shakira)"), which only a list tells apart. Not a rule of two words or of
#: the library's word: that lost all four of a real library's one-word guests (docs/benchmarks.md)
_MANNERS = frozenset(
    "liebe gefühl gefühlen herz herzen seele schmerz humor musik gesang text freude glück sehnsucht "
    "leidenschaft stil gott freunde freunden gäste gästen kindern "
    "amor amore amour cariño pasión passione passion sentimiento sentimento sentiment corazón cuore cœur coeur "
    "âme amigos amici amis".split()
)

#: the last part of a German compound that names an ensemble or what accompanies ("Kinderchor",
#: "Sinfonieorchester", "Klavierbegleitung", "Blaskapelle")
_ENSEMBLE_ENDS = ("chor", "chöre", "orchester", "begleitung", "kapelle", "quartett", "ensemble")


def _an_ensemble(word: str) -> bool:
    """Whether a (casefolded) word names what a version is played or sung with, not a guest:
    an ensemble word or an instrument, its plural ("Chœurs", "Coros"), a German compound
    ending in one, or a manner's word ("Liebe", "Amore")."""
    return word in _ENSEMBLES or word.rstrip("s") in _ENSEMBLES or word.endswith(_ENSEMBLE_ENDS) \
        or word in _MANNERS or word.rstrip("s") in _MANNERS


def _a_name(text: str) -> bool:
    """Whether ``text`` reads as names: each word capitalised (or a number, or of a script
    without case) but the particles of names; "Jhay Cortez", "Natalia Lafourcade y Leonel
    García", not "te partirò" or "le temps"."""
    words = [w for w in re.split(r"[\s,]+", text) if w]
    named = [w.casefold() for w in words if w.casefold() not in _PARTICLES]
    # "(mit Orchester und Chor)", "(mit Kinderchor)", "(mit Liebe)", "(mit Pauken und Trompeten)"
    if named and all(_an_ensemble(w) for w in named):
        return False
    return bool(words) and not words[0][0].islower() \
        and all(w.casefold() in _PARTICLES or not w[0].islower() for w in words)


def _with_credits(text: str) -> list[re.Match[str]]:
    """The "(con X)" / "(avec X)" / "(mit X)" brackets of ``text`` that credit someone."""
    return [m for m in _BRACKETED_WITH.finditer(text) if _a_name(m.group(1))]


def _bracketed_credits(text: str) -> list[re.Match[str]]:
    """The "(feat. X)" and "(con X)" brackets of ``text``, in order."""
    return sorted([*_BRACKETED_FEAT.finditer(text), *_with_credits(text)], key=lambda m: m.start())


def _without_bracketed_credits(text: str) -> str:
    """``text`` with its credit brackets made spaces."""
    for m in reversed(_with_credits(text)):
        text = text[:m.start()] + " " + text[m.end():]
    return _BRACKETED_FEAT.sub(" ", text)


def title_featured(title: str) -> list[str]:
    """The artists a title credits: its "(feat. X)" / "[ft. X]" brackets ("Song (feat. A; B)"
    -> ["A", "B"]), then a bare featuring word's guests ("Goosebumps ft. Kendrick Lamar")."""
    bracketed = [n for m in _bracketed_credits(title) for n in _names(m.group(1), featured=True)]
    rest = TITLE_PRODUCER.sub("", _without_bracketed_credits(title))
    bare = [n for m in TITLE_FEAT.finditer(rest) if not _A_LENGTH.search(rest[:m.start()])
            for n in _names(m.group(1), featured=True)]
    return _unique([*bracketed, *bare])


def title_without_credits(title: str) -> str:
    """``title`` without its producer's credit and its bare featuring word's guests (the
    bracketed "(feat. X)" stays, as every bracket does): "Jumpman prod. Metro Boomin" ->
    "Jumpman", "Goosebumps ft. Kendrick Lamar" -> "Goosebumps", "Ten Ft Tall" as it is. For
    the results' dedup: such a single and its album copy are one song."""
    rest = TITLE_PRODUCER.sub("", title) or title
    for m in reversed(list(TITLE_FEAT.finditer(rest))):
        if not _A_LENGTH.search(rest[:m.start()]) and m.start() > 0:
            rest = rest[:m.start()] + rest[m.end():]
    return rest


#: a number before a bare "ft": "Ten Ft Tall", "6 Ft. 7 Ft." measure, they credit no one
_A_LENGTH = re.compile(r"(?:\b\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                       r"twenty|thirty|forty|fifty|hundred|thousand|million))\Z", re.IGNORECASE)


def credited_artists(artist_values: Iterable[str], title: str = "") -> tuple[str, ...]:
    """Every artist a track credits, primary first, each once (case and spacing folded): the
    values of its artist tag split by ``split_artists``, then the title's featured artists."""
    names = [n for value in artist_values for n in split_artists(value)]
    return tuple(_unique([*names, *title_featured(title)]))


def _names(text: str, featured: bool = False) -> list[str]:
    """``text`` split on the featuring words, then on ";", " / " and NUL (no brackets); what
    follows a featuring word (all of ``text`` when ``featured``: a bracket's contents) also
    on ", ", " & " and " and "; a collaboration's " x " credits each of its artists (a primary
    one after its whole name)."""
    out: list[str] = []
    for i, chunk in enumerate(_FEAT.split(text)):
        for name in _LIST.split(chunk):
            if featured or i > 0:  # guests: each guest, each of a collaboration
                out.extend(n for guest in _GUESTS.split(name) for n in _collaborators(guest) or [guest])
            elif len(doubles := _double_names(name)) > 1:  # "찬열 (CHANYEOL), 펀치 (Punch)": each
                out.extend(doubles)
            else:  # the primary part: whole, then a collaboration's artists
                out.extend([name, *_collaborators(name)])
    return out


def _double_names(name: str) -> list[str]:
    """A Korean store's list of artists each named in two scripts, "찬열 (CHANYEOL), 펀치
    (Punch)" (a drama OST's duet): each of them, as a list of such names is of several people;
    [] for any other name (a comma in a band's name stays: "Earth, Wind & Fire")."""
    parts = [p.strip() for p in name.split(", ")] if ", " in name else []
    return parts if len(parts) > 1 and all(double_name(p) for p in parts) else []


def _collaborators(name: str) -> list[str]:
    """The artists of a collaboration credited with " x " ("Future x Metro Boomin" ->
    ["Future", "Metro Boomin"]); [] for one name. Each side a name: 2 characters or more, a
    letter, not begun in lower case ("Tyler x Kali", "21 Savage x Offset", not "10 x 10" nor
    "bbno$ x Yung Gravy", which the library may vouch for: ``leaders``), and not a name's own
    "X" ("Brand X Music")."""
    parts = [p.strip() for p in _X.split(name)]
    if len(parts) < 2 or not all(len(p) >= 2 and not p[0].islower() and any(c.isalpha() for c in p) for p in parts):
        return []
    if any(p.split()[-1].casefold().rstrip(".") in _BEFORE_AN_X for p in parts[:-1]) \
            or any(p.split()[0].casefold() in _AFTER_AN_X for p in parts[1:]):
        return []
    return parts


def _unique(names: Iterable[str]) -> list[str]:
    out: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and _fold(name) not in out:
            out[_fold(name)] = name
    return list(out.values())
