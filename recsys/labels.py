"""The key an artist or a genre is matched and grouped by, wherever it is spelled: one band
tagged "AC/DC" on one album, "ACDC" or "AC_DC" on a folder, typed "ac/dc" or "acdc"; "Guns N'
Roses" with a straight, a curly or a modifier apostrophe, or none; "Post-Rock", "Post Rock",
"Postrock"; "Mø" and "Mo", "Óðinn" and "Odinn"; "Art Blakey & The Jazz Messengers" and "Art
Blakey and the Jazz Messengers", "Rhythm & Blues" and "Rhythm and Blues"; "Кино" and "Kino",
"Μίκης Θεοδωράκης" and "Mikis Theodorakis" (Cyrillic and Greek read in Latin letters,
``recsys.translit``; Chinese, Japanese, Arabic, Hebrew not), "周杰倫" and "周杰伦" (Chinese in
simplified characters, ``recsys.hanzi``). A genre's key reads its
abbreviations and other spellings too (``genre_key``): "Prog Rock" and "Progressive Rock",
"MPB" and "Música Popular Brasileira", "R&B" and "Rhythm and Blues". A name in two scripts,
"BLACKPINK (블랙핑크)", is keyed by each of its names as well (``name_keys``): "blackpink" and
"블랙핑크" are its artist too.

Core, so that the catalog (which writes the keys into each payload, ``artist_key`` and
``genres_key``) and the store (whose filters and facets compare by them) share one function
each.
"""

from __future__ import annotations

import re
import unicodedata

from recsys.hanzi import simplified
from recsys.translit import to_latin

#: Letters NFKD does not decompose, as a Latin keyboard types them: "Mø", "Óðinn", "Þeyr",
#: "Ægir", "Łódź". Folded after the accents are taken off.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "o", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h", "ı": "i",
    # apostrophes that Unicode calls letters (modifier letters: "Guns ʼnʼ Roses", Hawaiian
    # "ʻOkina"): the ASCII one, punctuation to every key
    "ʼ": "'", "ʻ": "'", "ʹ": "'",
    # Arabic and Persian as Arabic search folds them (Lucene's ArabicNormalizer, its Persian
    # one): a copy's tatweel, the stretching line ("فيـروز"), is no letter; alef maksura and
    # Persian yeh are yeh, Persian keheh is kaf, teh marbuta and heh with yeh are heh, as a
    # keyboard of the other country or an Egyptian hand writes them ("نانسى عجرم" and "نانسي
    # عجرم" one singer; "يكي بود" and "یکی بود" one song; "زهرة" and "زهره"). The harakat
    # are combining marks, off with the accents; hamza's alefs are alef by NFKD already
    "\u0640": "", "\u0649": "\u064a", "\u06cc": "\u064a", "\u06a9": "\u0643", "\u0629": "\u0647",
    "\u06d5": "\u0647",
    # Arabic-Indic and Persian digits, as ASCII ones: a title's "٢" is the "2" typed
    **{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06f0 + d): str(d) for d in range(10)},
})
#: the kana voicing marks (dakuten, handakuten) NFKD splits off "ガ", "パ": a letter's, kept
_KANA_MARKS = frozenset("\u3099\u309a")
_VOICED = re.compile("[\u3040-\u30ff][\u3099\u309a]")
#: A word's letters and digits: everything else (spaces, "/", "-", "_", apostrophes of every
#: form, "!", ")))") separates nothing in a key
_WORD = re.compile(r"[^\W_]+")


def fold_letters(text: str) -> str:
    """``text`` without accents (NFKD without combining marks; a kana's voicing mark is no
    accent: "バード" stays "バード") and with the letters NFKD keeps folded to what a Latin
    keyboard types (``_LETTERS``), Chinese in simplified characters ("周杰倫" is "周杰伦":
    ``hanzi.simplified``). ASCII is its own fold."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in text if not unicodedata.combining(c) or c in _KANA_MARKS)
    folded = simplified(folded)
    if _KANA_MARKS.isdisjoint(folded):
        return folded.translate(_LETTERS)
    # a kana's voicing mark is no accent: "バード" (bird) is not "ハート" (heart), nor "ガ" "カ";
    # composed again, as the kana's own letter (only there: Hangul stays in the jamo NFKD
    # splits it into, which the fuzzy title match reads letter by letter)
    return _VOICED.sub(lambda m: unicodedata.normalize("NFC", m.group(0)), folded).translate(_LETTERS)


#: The mark of an ``artist_key`` value no name is keyed to (a key holds no space): written
#: where MusicBrainz artist ids make several spellings one artist (``catalog.artistids``), alone
#: on each such track, and before each key of its artist's other spellings, which the track
#: carries plain as well (``--artist`` by any spelling finds it): the artist facet counts the
#: track under its artist's one key, not under those (``store.shared.same_artist_rows``)
SAME_ARTIST = "~ "

#: "and" in the languages of the libraries read so far: between two words of a name, the "&"
#: it is spelled for
_ANDS = frozenset({"and", "e", "y", "et", "und"})


#: an honorific before a South Asian musician's name, which one tag writes and the next leaves
#: out: "Ustad Nusrat Fateh Ali Khan" and "Nusrat Fateh Ali Khan", "Pandit Ravi Shankar", "Pt.
#: Bhimsen Joshi" (a name of its own follows). Not "Dr." or "Sir": "Dr. Dre", "Sir Mix-a-Lot".
#: And rai's "Cheb"/"Cheba" (young), which a singer drops when grown: Khaled's 1980s cassettes
#: say "Cheb Khaled", his albums since 1992 "Khaled", one singer. And the Malaysian titles
#: that a Malay singer's later albums and the download sites put before the name, which the
#: earlier albums and the streaming stores leave out: "Dato' Sri Siti Nurhaliza", "Datuk Siti
#: Nurhaliza" and "Siti Nurhaliza", "Tan Sri P. Ramlee" and "P. Ramlee" ("Dato" typed without
#: its apostrophe too; a name follows)
_HONORIFIC = re.compile(
    r"^\s*(?:ustad|ustaad|pandit|pt\.|cheb|cheba|"
    r"(?:dato['\u2019\u02bc]?|datuk|datin)(?:\s+(?:sri|seri|paduka))?|tan\s+sri|puan\s+sri)"
    r"\s+(?=\w)", re.IGNORECASE)


#: the Nigerian and Ghanaian titles a highlife or juju sleeve puts before a bandleader's name,
#: which other sleeves leave out: "Chief Commander Ebenezer Obey" and "Ebenezer Obey", "Chief
#: Stephen Osita Osadebe", "Alhaji Sikiru Ayinde Barrister" (a chieftaincy title, a pilgrim's).
#: Before two more words only, and none that joins names: "Chief Keef" is a rapper's name, and so
#: is the "Chief Keef" of "Chief Keef & Lil Reese". Not "Oba" (a king, and a name's first word)
_WEST_AFRICAN_TITLE = re.compile(r"^\s*(?:chief(?:\s+commander)?|alhaji)\s+(?=\S)", re.IGNORECASE)
#: the words that join two names ("Chief Keef x Tadoe", "Chief Keef feat. Lil Reese"): a name
#: after the title that holds one is no one name of two words
_NAME_JOINERS = frozenset({"x", "feat", "feat.", "ft", "ft.", "featuring", "with", "vs", "vs.", "and", "&", "+", "/"})


def _west_african_title(text: str) -> int:
    """The length of the Nigerian title that ``text`` starts with, before a name of two words or
    more (letters first, no word joining two names, no comma): 0 where there is none."""
    match = _WEST_AFRICAN_TITLE.match(text)
    if match is None:
        return 0
    words = text[match.end():].split()
    if len(words) < 2 or "," in text or any(w.casefold() in _NAME_JOINERS or not w[0].isalpha() for w in words):
        return 0
    return match.end()


def without_honorific(text: str) -> str:
    """``text`` without a leading "Ustad", "Pandit", "Pt.", "Cheb" or a Malaysian title
    ("Dato' Sri", "Datuk", "Tan Sri") before a name: "Ustad Nusrat Fateh Ali Khan" -> "Nusrat
    Fateh Ali Khan", "Dato' Sri Siti Nurhaliza" -> "Siti Nurhaliza"; "Ustad" alone stays. And a
    Nigerian "Chief" or "Alhaji" before a name of two words or more ("Chief Commander Ebenezer
    Obey" -> "Ebenezer Obey"; "Chief Keef" stays)."""
    if text[:1] not in "UuPpCcDdTtAa \t":
        return text
    text = _HONORIFIC.sub("", text)
    return text[_west_african_title(text):]


def _initial(words: list[str], i: int) -> bool:
    """Whether the one-letter "and" word at ``i`` ("e", "y") is an initial between initials:
    the "E" of "R.E.M.", whose key was "rm" where "REM" typed is "rem"."""
    return len(words[i]) == 1 and len(words[i - 1]) == 1 and len(words[i + 1]) == 1


def label_key(text: object) -> str:
    """An artist or a genre as filters and facets compare it: letters folded
    (``fold_letters``), casefolded, Cyrillic and Greek in Latin letters (``translit.to_latin``),
    and its words' letters and digits alone, run together, a leading "The" (Spanish "Los" and
    "Las" too: ``_ARTICLES``; and an honorific,
    "Ustad", "Pandit": ``without_honorific``) dropped: "AC/DC",
    "AC_DC" and "ACDC" -> "acdc"; "Guns N’ Roses" -> "gunsnroses"; "Post-Rock" and "Post Rock"
    -> "postrock"; "The Beatles" -> "beatles"; "Кино" -> "kino". A name of symbols alone
    ("!!!", "†‡†") keeps them, casefolded: it would be "" otherwise, one key for every such
    name. ``label_key(normalise_label(x)) == label_key(x)``: a key made of an older collection's
    ``artist_norm`` is the key of its artist. Genres are keyed by ``genre_key``."""
    words = _words(without_honorific(str(text)))
    # "&" is no word: "and" between two words is none either, as the "&" it is spelled for
    # ("Duke Ellington and His Orchestra", "Duke Ellington & His Orchestra"): one jazz
    # collector's Blue Note and Impulse! copies of one band were two artists. Not a first or
    # last "and" ("And One", "Me and"). Its Portuguese, Italian, Spanish, French and German
    # words too: "Chitãozinho e Xororó" and "Chitãozinho & Xororó" were two artists
    words = [w for i, w in enumerate(words) if w not in _ANDS or i == 0 or i == len(words) - 1 or _initial(words, i)]
    return "".join(words) or "".join(str(text).casefold().split())


def script_of(text: str) -> str:
    """"latin" when every letter of ``text`` is a Latin one, "other" when none is, "" when it
    mixes them or has no letter."""
    latin = [unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha()]
    if not latin:
        return ""
    return "latin" if all(latin) else "other" if not any(latin) else ""


_OPENING = {")": "(", "]": "["}


def double_name(name: str) -> tuple[str, str] | None:
    """The two names of a name written in two scripts, a Korean or Japanese store's "BTS
    (방탄소년단)", "아이유(IU)", "宇多田ヒカル (Utada Hikaru)" (one name in Latin letters, the
    other in another script, the second in a bracket closing the whole), else None. A half may
    hold a bracket of its own: "(여자)아이들 ((G)I-DLE)" is "(여자)아이들" and "(G)I-DLE" (the
    group's own name begins with one). A bracket in one script ("Crush (Band)") is a
    disambiguation, no second name."""
    text = name.strip()
    if not text or text[-1] not in _OPENING or "(" not in text and "[" not in text:
        return _glued(text)  # most names: no bracket at the end, nothing more tried
    depth = 0
    for i in range(len(text) - 1, -1, -1):  # the bracket the last one closes
        c = text[i]
        if c in ")]":
            depth += 1
        elif c in "([":
            depth -= 1
            if depth == 0:
                break
    else:
        return None
    if text[i] != _OPENING[text[-1]]:
        return None
    one, other = text[:i].strip(), text[i + 1:-1].strip()
    if not one or not other:
        return None
    return (one, other) if {script_of(one), script_of(other)} == {"latin", "other"} else None


#: a Chinese singer's two names side by side, no bracket: "G.E.M.邓紫棋", "G.E.M. 邓紫棋", "A-Lin黄丽玲",
#: "GAI周延", "F.I.R.飞儿乐队", "林俊杰JJ": one Latin word (letters, digits, dots, hyphens, an
#: apostrophe) and two to six Han characters alone
_GLUED = re.compile(r"^(?:(?P<latin>[A-Za-z][A-Za-z0-9.'\-]*)\s*(?P<han>[\u4e00-\u9fff]{2,6})"
                    r"|(?P<han2>[\u4e00-\u9fff]{2,6})\s*(?P<latin2>[A-Za-z][A-Za-z0-9.'\-]*))$")


def _glued(text: str) -> tuple[str, str] | None:
    """The two names of a Latin name written beside a Chinese one (``_GLUED``), else None.
    Not a name mixing the scripts within ("Official髭男dism") nor a Latin name of several
    words ("Jay Chou 周杰伦" stays one name: a band and its singer are written so too)."""
    if text.isascii():
        return None  # most names
    match = _GLUED.match(text)
    if match is None:
        return None
    return (match["latin"], match["han"]) if match["latin"] else (match["han2"], match["latin2"])


def name_keys(name: object) -> list[str]:
    """The keys an artist is matched by: its ``label_key``, and a name in two scripts' each
    half's (``double_name``): "BLACKPINK(블랙핑크)" -> "blackpink블랙핑크", "blackpink",
    "블랙핑크", so that ``--only-artist blackpink`` finds the Bugs download a Korean store
    named so. Most names: their key alone."""
    key = label_key(name)
    halves = double_name(str(name)) if name else None
    if halves is None:
        return [key]
    return list(dict.fromkeys((key, *(label_key(h) for h in halves))))


#: the leading articles a name is keyed without: English "The", and Spanish "Los" / "Las", which
#: a Latin band's name carries or drops as an English one does "The" ("Los Tigres del Norte" on
#: a Deezer album, "Tigres del Norte" on an old one; "Los Pibes Chorros", "Pibes Chorros"): a
#: Mexican regional listener's norteño shelf was two artists. Not the singular "El" / "La" nor
#: French "Les": "El DeBarge" is not the band DeBarge he sang in, nor "Les Paul" one "Paul"
_ARTICLES = frozenset({"the", "los", "las"})


def _words(text: object) -> list[str]:
    # transliterated after the fold: the rules read the letters normalise_label leaves
    words = _WORD.findall(to_latin(fold_letters(str(text)).casefold()))
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


#: A genre's abbreviations and other spellings, by the name its key is: one genre each, never
#: two genres thought alike ("Electronica" is not "Electronic", "Rap" not "Hip-Hop", "Jungle"
#: not "Drum and Bass"). Spellings that ``label_key`` makes one already are not listed
#: ("Synth-Pop" and "Synthpop", "Hip Hop" and "Hip-Hop", "K-Pop" and "Kpop"); nor is a word
#: alone that could name more than one ("Prog", "Alt", "Progressive": prog rock, prog house).
#: ID3v1's numbered genres, as mutagen names them, key as these do ("Alt. Rock", "R&B",
#: "Drum & Bass", "Rock & Roll", "A Cappella", "Psytrance", "JPop").
GENRE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Progressive Rock": ("Prog Rock", "Prog-Rock"),
    "Progressive Metal": ("Prog Metal",),
    "Psychedelic Rock": ("Psych Rock",),
    "Alternative Rock": ("Alt Rock", "Alt. Rock", "AlternRock"),  # the last: Winamp's ID3v1 name
    "Alternative Metal": ("Alt Metal",),
    "Alternative Country": ("Alt-Country",),
    "Rhythm and Blues": ("R&B", "RnB", "R'n'B"),
    "Rock and Roll": ("Rock 'n' Roll", "Rock n Roll"),
    "Drum and Bass": ("Drum 'n' Bass", "Drum n Bass", "DnB", "D&B"),
    "A Cappella": ("Acapella", "A Capella"),
    "Soundtrack": ("OST", "Original Soundtrack", "影视原声", "原声带"),
    "Música Popular Brasileira": ("MPB",),
    "Electronic Dance Music": ("EDM",),
    "Intelligent Dance Music": ("IDM",),
    "New Wave of British Heavy Metal": ("NWOBHM",),
    "Neue Deutsche Welle": ("NDW",),
    "Neue Deutsche Härte": ("NDH",),
    "Psytrance": ("Psychedelic Trance",),
    "UK Garage": ("UKG",),
    "K-Pop": ("Korean Pop",),
    "J-Pop": ("Japanese Pop",),
    "J-Rock": ("Japanese Rock",),
    "Reggaeton": ("Reguetón",),
    # Apple's genres in its Spanish-language stores, as iTunes México and Spain write them in
    # their downloads, and the words a Latin listener tags by hand: one genre with the US
    # store's English name ("Música Mexicana" is Apple's name of Regional Mexican)
    "Latin": ("Latino", "Latina", "Música Latina"),
    "Latin Pop": ("Pop Latino",),
    "Latin Urban": ("Urbano Latino",),
    "Regional Mexican": ("Regional Mexicano", "Música Mexicana"),
    "Shoegaze": ("Shoegazing",),
    "Christmas": ("Xmas",),
    # قوالی romanised with its doubled "w" written once or its long "a" twice; a singular
    "Qawwali": ("Qawali", "Qawaali"),
    "Sound Effects": ("Sound Effect",),
    # Melon's, Bugs' and Genie's genres, which their downloads carry in Korean
    "Dance": ("댄스", "舞曲"),
    "Ballad": ("발라드",),
    "Rock/Metal": ("록/메탈",),
    "Rap/Hip-Hop": ("랩/힙합",),
    "Indie": ("인디음악",),
    "Trot": ("트로트",),
    "Folk/Blues": ("포크/블루스",),
    "Electronica": ("일렉트로니카",),
    "Anime": ("アニメ", "애니메이션"),
    # Deezer's and Anghami's Arabic, Persian and Turkish names of genres their downloads carry
    "Tarab": ("طرب",),
    "Arabic Music": ("موسيقى عربية",),
    "Turkish Pop": ("Türk Pop", "Türkçe Pop"),
    "Persian Pop": ("پاپ ایرانی", "پاپ فارسی"),
    # Greek genres as Greek taggers write them, as greeklish and the labels' Latin spell them
    # (the key reads Greek by one system: "Έντεχνο" is entechno already, a download's "Entexno" not)
    "Entechno": ("Entexno", "Entehno"),
    "Rebetiko": ("Ρεμπέτικο", "Rembetiko", "Rebetika", "Ρεμπέτικα"),
    "Greek Pop": ("Ελληνικό Pop", "Ελληνική Pop", "Ελληνικό Ποπ"),
    "Greek Traditional": ("Παραδοσιακό", "Paradosiako"),
    # the Chinese apps' genres (QQ Music's, KuGou's and NetEase's style names, the Taiwan and
    # Hong Kong iTunes stores'): keys fold Traditional to Simplified, so "粵語流行音樂" is listed
    # as "粤语流行音乐"; Cantopop and Mandopop are Apple's names of its 粵語/華語流行音樂
    "Pop": ("流行", "流行音乐"),
    "Cantopop": ("粤语流行", "粤语流行音乐", "粤语流行曲", "粤语歌"),
    "Mandopop": ("华语流行", "华语流行音乐", "国语流行", "国语流行音乐", "华语流行曲"),
    "Rock": ("摇滚", "摇滚乐"),
    "Folk": ("民谣",),
    "Hip-Hop": ("说唱", "嘻哈"),
    "Electronic": ("电子", "电子音乐"),
    "Jazz": ("爵士", "爵士乐"),
    "Classical": ("古典", "古典音乐"),
    "Blues": ("蓝调",),
    "Country": ("乡村", "乡村音乐"),
    "New Age": ("新世纪",),
    "Light Music": ("轻音乐",),  # instrumental easy listening, as the apps file it
    "Gufeng": ("古风",),  # pop in a classical Chinese style (the apps' own genre)
    # Thai genres as the Thai stores (JOOX, iTunes Thailand) write them and as English tags
    # spell them: luk thung (country song), mor lam (Isan's sung poetry), phleng phuea chiwit
    # ("songs for life", Carabao's); Thai keys keep their own letters, so each is listed
    "Luk Thung": ("ลูกทุ่ง", "เพลงลูกทุ่ง", "Luk Thoong", "Look Thung", "Look Thoong"),
    "Mor Lam": ("หมอลำ", "Molam", "Mawlum"),
    "Phleng Phuea Chiwit": ("เพื่อชีวิต", "เพลงเพื่อชีวิต", "Phleng Phua Chiwit", "Pleng Puea Chiwit"),
}
#: a spelling's key -> its genre's key
_GENRE_KEYS = {label_key(s): label_key(name) for name, spellings in GENRE_SPELLINGS.items() for s in spellings}


#: the words of genres in Russian, Ukrainian, Bulgarian and Serbian (as ``translit`` reads them,
#: and Serbian Latin's own "rok", "pank"), as the English genre's: a Russian library's "Рок" and
#: "Rock", "Русский рок" and "Russian Rock", "Хип-хоп" and "Hip-Hop", "Рэп" and "Rap" one genre.
#: "Шансон" (Russian chanson, the songs of the prison camps) and "Эстрада" are genres of their
#: own, not French "Chanson" nor "Pop": not read
_GENRE_WORDS = {
    "rok": "rock", "rep": "rap", "khip": "hip", "khop": "hop", "dzhaz": "jazz", "blyuz": "blues",
    "metall": "metal", "pank": "punk", "khard": "hard", "khevi": "heavy", "elektronika": "electronic",
    "elektronnaya": "electronic", "klassika": "classical", "klassicheskaya": "classical", "muzyka": "music",
    "indi": "indie", "alternativa": "alternative", "alternativny": "alternative", "saundtrek": "soundtrack",
    "reggi": "reggae", "disko": "disco", "russky": "russian", "fank": "funk", "kantri": "country",
    "tekhno": "techno", "khaus": "house", "dzhangl": "jungle",
}


def genre_key(text: object) -> str:
    """A genre as filters and facets compare it: its ``label_key``, its words in Russian,
    Ukrainian, Bulgarian or Serbian read as the English genre's (``_GENRE_WORDS``: "Русский рок"
    -> "russianrock"), an abbreviation or another spelling read as its genre's
    (``GENRE_SPELLINGS``): "Prog Rock" and "Progressive Rock" -> "progressiverock", "MPB" ->
    "musicapopularbrasileira". Not for artists: a band may be called "OST" or "MPB"."""
    key = label_key(text)
    words = _words(str(text))
    if any(w in _GENRE_WORDS for w in words):
        key = "".join(_GENRE_WORDS.get(w, w) for w in words if w not in _ANDS)
    return _GENRE_KEYS.get(key, key)
