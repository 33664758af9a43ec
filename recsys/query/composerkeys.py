"""Whether two spellings of a composer name one person: "J.S. Bach", "Bach, J. S." and "Johann
Sebastian Bach" do; "Tschaikowsky" and "Pyotr Ilyich Tchaikovsky" do; "C.P.E. Bach" and
"Johann Sebastian Bach" do not.

A composer's name is read as its surname and the given names before it. The surname is compared
as a key: accents and case aside, hyphens and apostrophes dropped ("Rimsky-Korsakov",
"D'Indy"), a German umlaut's "ae"/"oe"/"ue" read as the vowel ("Haendel", "Schoenberg"), a
few two-word surnames kept whole ("Vaughan Williams", "Mendelssohn Bartholdy"), and the
transliterations of the most-recorded Russian composers, and Handel's, read through a small
table (``SURNAME_VARIANTS``): no rule of spelling makes "Čajkovskij" out of "Tchaikovsky", and
a guess would join strangers. A name tagged in Cyrillic or Greek is read in Latin letters first
(``recsys.translit``, as artist keys read it): "Пётр Ильич Чайковский" is "petr ilyich
chaikovsky", "Сергей Прокофьев" "sergei prokofyev", both in the table. The library
catalogue's sort form, "Bach, Johann Sebastian", is read as "Johann Sebastian Bach"; dates and
notes in parentheses are left out.

Two names with one surname key are one composer when their given names are compatible: one's
are the other's in order, some left out ("Joseph Haydn", "Franz Joseph Haydn"), an initial
standing for a name with its letter ("J.S."), a name for one it begins ("Anton", "Antonín");
a name alone ("Bach") is compatible with every Bach. For the composers in the table, whose given
names are spelled in as many ways ("Pyotr Ilyich", "Petr Iljič", "Peter"), the initials alone
are compared. A generation ("Johann Strauss II", "Jr.") must be the same where both give one.

A family's act ("Rahbani Brothers", "The Pointer Sisters", "Warner Bros.", "Bach & Sons", "Les
Frères Rahbani") is named by its surname, the word before "Brothers": "Brothers" is no surname
(read so, "Rahbani Brothers" was a Mr. Brothers, and ``--composer Rahbani`` found Ziad Rahbani
alone). It is one composer of its own, none of the family's people: never one with "Ziad
Rahbani", and a surname alone ("Rahbani") fits both, as it fits any two people of one surname.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from recsys.catalog.composerlists import GENERATIONS, NAME_PARTICLES
from recsys.translit import to_latin

#: canonical surname key -> the keys of its other spellings (transliterations, old German forms)
SURNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "tchaikovsky": ("tschaikowsky", "tschaikowski", "tchaikowsky", "tchaikovski", "tchaikovskij", "chaikovsky",
                    "chaikovskiy", "chaykovsky", "cajkovskij", "czajkowski", "ciaikovsky", "ciajkovskij",
                    "tsjaikovski", "tjajkovskij", "csajkovszkij"),
    "rachmaninoff": ("rachmaninov", "rakhmaninov", "rachmaninow", "rachmaninof", "rahmaninov"),
    "prokofiev": ("prokofieff", "prokofjew", "prokofiew", "prokofjev", "prokofyev"),
    "stravinsky": ("strawinsky", "stravinskij", "strawinski", "stravinski", "strawinskij"),
    "shostakovich": ("schostakowitsch", "chostakovitch", "sostakovic", "shostakovitch", "szostakowicz"),
    "mussorgsky": ("moussorgsky", "musorgsky", "mussorgski", "musorgskij", "mussorgskij", "moussorgski"),
    "rimskykorsakov": ("rimskykorsakoff", "rimskijkorsakov", "rimskykorsakow"),
    "scriabin": ("skryabin", "skrjabin", "scriabine", "skriabin"),
    "glazunov": ("glazunow", "glasunow", "glazounov"),
    "khachaturian": ("chatschaturjan", "khatchaturian", "khachaturyan", "chatchaturian"),
    "handel": ("hendel",),  # "Händel" and "Haendel" meet by the umlaut rule
    "mendelssohn": ("mendelssohnbartholdy",),
    # given names in several languages, one surname: "Frédéric" / "Fryderyk", "Franz" / "Ferenc"
    "chopin": (),
    "liszt": (),
    "dvorak": (),
}
#: table surnames whose given names are spelled one way: compared in full, as any other's
_GIVEN_IN_FULL = frozenset({"mendelssohn"})
_CANONICAL = {v: k for k, vs in SURNAME_VARIANTS.items() for v in vs} | {k: k for k in SURNAME_VARIANTS}

#: two-word surnames (their key: the words joined), read whole at a name's end
_COMPOUNDS = frozenset({"vaughanwilliams", "mendelssohnbartholdy", "lloydwebber", "rimskykorsakov", "saintsaens",
                        "villalobos", "castelnuovotedesco", "rimskijkorsakov"})
#: words that join a given name to a surname ("Ludwig van Beethoven"), and a generation's words
#: ("Johann Strauss II", "Jr."): the catalog's, whose composer lists are read by them too
_PARTICLES = NAME_PARTICLES
_GENERATIONS = GENERATIONS
#: letters NFKD does not take apart
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_DATES = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b\d{3,4}\b\s*[-–]?\s*(?:\d{3,4}\b)?")
_UMLAUT = re.compile(r"([aou])e")
#: a family's act, by the words after its surname ("Rahbani Brothers", "Warner Bros.", "Bach &
#: Sons") or before it ("The Pointer Sisters", "Les Frères Rahbani"), as ``_fold`` writes them
_FAMILY_AFTER = re.compile(r"\s+(?:brothers|bros\.?|sisters|(?:&|and)\s+sons)\s*$")
_FAMILY_BEFORE = re.compile(r"^\s*les\s+(?:freres|soeurs)\s+")
_THE = re.compile(r"^\s*the(?:\s+|\s*$)")
#: initials run together in capitals before another word: "JS Bach", "CPE Bach", "WA Mozart"
#: (not a generation's "II", nor a name all in capitals: "ED SHEERAN")
_RUN_INITIALS = re.compile(r"\b(?!(?:I{1,3}|IV|VI{0,3}|IX|X{1,3})\b)([A-Z]{2,3})\b(?=[\s,]+\w)")


@dataclass(frozen=True)
class ComposerName:
    """A composer's name as compared: the surname key, the given names (folded; an initial is
    one letter), the generation ("ii", "jr"; "" for none)."""

    surname: str
    given: tuple[str, ...]
    generation: str = ""
    #: whether the name spells the surname as its key does ("Tchaikovsky", not "Čajkovskij"):
    #: of a composer's spellings, the one a facet shows
    plain: bool = True
    #: a family's act ("Rahbani Brothers": surname "rahbani", no given names), none of its people
    family: bool = False

    @property
    def transliterated(self) -> bool:
        """Whether the surname is one of the table's, whose given names are compared by initials
        (not Mendelssohn's, there for "Mendelssohn Bartholdy": "Felix" everywhere, and "Fanny"
        is his sister)."""
        return self.surname in SURNAME_VARIANTS and self.surname not in _GIVEN_IN_FULL


def _fold(text: str) -> str:
    text = text.casefold().translate(_LETTERS)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        # a name tagged in Cyrillic or Greek, read as the artist key reads it: "Чайковский" is
        # "chaikovsky", one of the table's spellings of Tchaikovsky
        text = to_latin(text)
    return text.replace("'", "").replace("’", "").replace("ʹ", "")


def _words(text: str) -> list[str]:
    """Words of a name part: periods and spaces split ("J.S." -> j, s), hyphens stay."""
    return [w for w in re.split(r"[\s.]+", re.sub(r"[^\w\s.\-]", " ", text)) if w.strip("-")]


def parse_words(name: str) -> list[str]:
    """The words of a name as typed, hyphens splitting too ("Shankar-Ehsaan-Loy": three)."""
    return [w for w in re.split(r"[\s.\-]+", re.sub(r"[^\w\s.\-]", " ", name)) if w]


#: a vowel written twice: Indian names romanised by ear write a long vowel so or not
#: ("Keeravaani" and "Keeravani", "Gannguli"'s kin); no surname of the table has one
_VOWEL_RUN = re.compile(r"([aeiou])\1+")


def surname_key(words: list[str]) -> tuple[str, bool]:
    """The key of a surname's words ("van", "beethoven" -> "beethoven"; "rimsky-korsakov" ->
    "rimskykorsakov"; "tschaikowsky" -> "tchaikovsky"; "keeravaani" -> "keravani"), and whether
    they spell it so."""
    joined = "".join(w.replace("-", "") for w in words if w not in _PARTICLES) or "".join(words)
    joined = _VOWEL_RUN.sub(r"\1", _UMLAUT.sub(r"\1", joined))
    key = _CANONICAL.get(joined, joined)
    return key, key == joined


def parse_composer(name: str) -> ComposerName | None:
    """``name`` read as a surname and given names; None when it has no word (punctuation alone)."""
    if any(c.islower() for c in name):
        name = _RUN_INITIALS.sub(lambda m: " ".join(f"{c}." for c in m.group(1)), name)
    text = _DATES.sub(" ", _fold(name))
    text, family = _without_family_words(text)
    parts = [p for p in (p.strip() for p in text.split(",")) if _words(p)]
    generation = ""
    if len(parts) > 1 and _words(parts[-1]) and " ".join(_words(parts[-1])) in _GENERATIONS:
        generation = _GENERATIONS[" ".join(_words(parts.pop()))]
    if len(parts) >= 2:  # "Bach, Johann Sebastian": the sort form
        surname_words, given_words = _words(parts[0]), _words(parts[1])
    else:
        words = _words(" ".join(parts))
        if not words:
            return None
        if len(words) > 2 and words[-1] in _GENERATIONS:
            generation = _GENERATIONS[words.pop()]
        cut = len(words) - 1
        if len(words) >= 2 and "".join(words[-2:]).replace("-", "") in _COMPOUNDS:
            cut = len(words) - 2
        while cut > 0 and words[cut - 1] in _PARTICLES:  # "van" of "Ludwig van Beethoven"
            cut -= 1
        surname_words, given_words = words[cut:], words[:cut]
    if not surname_words:
        return None
    # a family's act names none of its people: "Assi Rahbani Brothers" is no Assi's
    given = () if family else tuple(g for w in given_words for g in w.split("-") if g and g not in _PARTICLES)
    key, plain = surname_key(surname_words)
    return ComposerName(key, given, generation, plain, family)


def _without_family_words(text: str) -> tuple[str, bool]:
    """A folded name without a family act's words ("rahbani brothers" -> "rahbani"), and whether
    it had them; as it is where it had none, or nothing else (a sort form's comma: as it is)."""
    if "," in text:
        return text, False
    core = _FAMILY_BEFORE.sub("", _FAMILY_AFTER.sub("", text))
    rest = _THE.sub("", core)  # "The Pointer Sisters"
    if core == text or not _words(rest):  # no family's words, or no surname: "The Brothers"
        return text, False
    return rest, True


def _same_given(a: str, b: str, initials_only: bool) -> bool:
    if a == b:
        return True
    if a[0] != b[0]:
        return False
    return initials_only or len(a) == 1 or len(b) == 1 or a.startswith(b) or b.startswith(a)


def compatible(a: ComposerName, b: ComposerName) -> bool:
    """Whether ``a`` and ``b`` may name one composer (the module's rule)."""
    if a.surname != b.surname:
        return False
    if a.generation and b.generation and a.generation != b.generation:
        return False
    if a.family != b.family and (a.given or b.given):  # "Rahbani Brothers" and "Ziad Rahbani": two
        return False
    short, long = (a.given, b.given) if len(a.given) <= len(b.given) else (b.given, a.given)
    initials_only = a.transliterated
    i = 0
    for name in short:  # each of the shorter's given names, in order, among the longer's
        while i < len(long) and not _same_given(name, long[i], initials_only):
            i += 1
        if i == len(long):
            return False
        i += 1
    return True
