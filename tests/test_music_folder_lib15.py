"""What a fifteenth pass over real music (a Brazilian, Latin, French, German and Italian
listener's library: iTunes Brasil's "Acústico MTV" and "Ao Vivo" albums, a Spotify ripper in
pt-BR and es locales, deemix's "(part. X)" credits, Spanish "(con X)", French "(avec X)",
German "(mit X)", old Windows MP3s tagged in cp1252) found in the music-folder reader and in
the results' version dedup, each case rebuilt here from tiny files made on the fly or from
titles alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.credits import credited_artists
from recsys.query.titlekeys import plainness, version_key
from recsys.query.titlepick import TitleEntry, pick
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")
from mutagen.wave import WAVE  # noqa: E402
from mutagen.id3 import TIT2, TPE1  # noqa: E402


def _tagged(path: Path, title: str, artist: str) -> Path:
    _wav(path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text=[title]))
    audio.tags.add(TPE1(encoding=3, text=[artist]))
    audio.save()
    return path


# ---- versions in other languages' words ----------------------------------------------------


@pytest.mark.parametrize("title", [
    "Garota de Ipanema - Ao Vivo", "Corazón Partío - En Directo", "Rayando el Sol - En Vivo",
    "Chega de Saudade - Remasterizado 2015", "Desafinado - Acústico", "Amiga Mía - Versión Acústica",
    "Gasolina - Versión Radio", "Malamente - Remasterizado", "Più bella cosa - Dal vivo",
    "Hymne à l'amour - En public", "Männer - Akustik Version", "La Javanaise - Remasterisé",
])
def test_a_dash_version_in_another_language_is_the_song(title):
    # a Spotify ripper in a pt-BR or es locale writes the store's own words after a dash: the
    # live take and the remaster met in one radio as two songs, and "Chega de Saudade" was an
    # error naming its two versions
    song = title.split(" - ")[0]
    assert version_key(title, "A") == version_key(song, "A")


@pytest.mark.parametrize("title", [
    "Directo al corazón - Rosalía", "Vivo - Per lei", "Public - Enemy No. 1", "Radio - Ga Ga",
])
def test_a_titles_own_words_after_a_dash_stay(title):
    # one word alone ("vivo", "directo", "public", "radio") is a title's own
    assert version_key(title, "A") != version_key(title.split(" - ")[0], "A")


@pytest.mark.parametrize("plain, other", [
    ("Sampa (Remasterizado)", "Sampa (Ao Vivo)"),
    ("Non, je ne regrette rien (Version remasterisée)", "Non, je ne regrette rien (Live à l'Olympia)"),
    ("Xote das Meninas (Remasterizada 2015)", "Xote das Meninas (En Vivo)"),
    ("Emozioni (Remasterizzato)", "Emozioni (Dal vivo)"),
    ("La solitudine", "La solitudine (Versione acustica)"),
    ("Hymne à l'amour (Remasterisé)", "Hymne à l'amour (En public)"),
    ("Gasolina (Versión Radio)", "Gasolina (En Directo)"),
    ("Despacito (feat. Daddy Yankee)", "Despacito (Versão Brasileira)"),
    ("Verdade", "Verdade (Acústico)"),
])
def test_a_seed_takes_the_song_before_a_live_or_acoustic_take_in_any_language(plain, other):
    # "Sampa" seeded "Sampa (Ao Vivo)" (an unknown bracket ranked as the song itself, and its
    # title is the shorter) where the remaster was owned too
    assert plainness(plain) < plainness(other)
    entries = [TitleEntry("1", other, "A"), TitleEntry("2", plain, "A")]
    assert pick(plain.split(" (")[0], entries).title == plain


def test_other_language_marks_rank_as_their_english_words():
    assert [plainness(t) for t in ("Song (Remasterizado 2009)", "Song (Versión Radio)", "Song (Ao Vivo)",
                                   "Song (Versión Acústica)", "Song (Versão Rádio)")] == [0, 1, 2, 2, 1]


# ---- credits in other languages' words ------------------------------------------------------


@pytest.mark.parametrize("artist, title, credited", [
    ("Anitta", "Me Gusta (part. Cardi B & Myke Towers)", ("Anitta", "Cardi B", "Myke Towers")),
    ("Pabllo Vittar", "Flash Pose (Part. Charli XCX)", ("Pabllo Vittar", "Charli XCX")),
    ("Ivete Sangalo", "Eva (Ao Vivo) (Part. Especial Daniela Mercury)", ("Ivete Sangalo", "Daniela Mercury")),
    ("Gal Costa", "Song (Participação Especial de Gilberto Gil)", ("Gal Costa", "Gilberto Gil")),
    ("Luis Fonsi", "Despacito (Versão Brasileira) [part. Israel Novaes]", ("Luis Fonsi", "Israel Novaes")),
    ("Anitta Part. Nego do Borel", "Não Perco Meu Tempo", ("Anitta", "Nego do Borel")),
])
def test_a_brazilian_part_credits_the_guest(artist, title, credited):
    # deemix and iTunes Brasil write the guest "part." (participação): "Me Gusta" was no track
    # of Cardi B's, and "Anitta Part. Nego do Borel" an artist of its own in the facet
    assert credited_artists([artist], title) == credited


@pytest.mark.parametrize("title", [
    "Another Brick in the Wall (Part. 2)", "Suite (Part. II)", "Saga (Part. One)", "Saga Part. Ten",
    # a store's "Part. Especial" with the guest's name left out: "Especial" is no one
    "Song (Part. Especial)", "Song (Participação Especial)",
])
def test_a_numbered_part_credits_no_one(title):
    assert credited_artists(["A"], title) == ("A",)


@pytest.mark.parametrize("artist, title, credited", [
    ("Bad Bunny", "Dákiti (con Jhay Cortez)", ("Bad Bunny", "Jhay Cortez")),
    ("Los Ángeles Azules", "Nunca Es Suficiente (con Natalia Lafourcade)", ("Los Ángeles Azules", "Natalia Lafourcade")),
    ("A", "Song (con Natalia Lafourcade y Leonel García)", ("A", "Natalia Lafourcade", "Leonel García")),
    ("Natalia Lafourcade", "Song (con Los Ángeles Azules)", ("Natalia Lafourcade", "Los Ángeles Azules")),
    ("Serge Gainsbourg", "Je t'aime... moi non plus (avec Jane Birkin)", ("Serge Gainsbourg", "Jane Birkin")),
    ("Stromae", "Papaoutai (Remix) [avec Angélique Kidjo]", ("Stromae", "Angélique Kidjo")),
    ("Udo Lindenberg", "Cello (mit Clueso) (MTV Unplugged)", ("Udo Lindenberg", "Clueso")),
    ("Ozuna", "Luz (con J Balvin, Bad Bunny & Ozuna)", ("Ozuna", "J Balvin", "Bad Bunny")),
])
def test_con_avec_mit_in_a_bracket_credit_the_guest(artist, title, credited):
    assert credited_artists([artist], title) == credited


@pytest.mark.parametrize("title", [
    "Bailando con lobos", "Ich will mit dir", "Avec le temps", "Con te partirò",
    "Time to Say Goodbye (Con te partirò)", "Avec le temps (avec le temps)", "Song (con amor)",
    "Song (con la Orquesta)", "Song (mit dir)",
    # what a version is played with, capitalised as German writes its nouns
    "Über sieben Brücken musst du gehn (mit Orchester)", "Song (mit Band) (Live)", "Song (avec Orchestre)",
    "Song (con Orquesta)",
    # several of them, and German's compound nouns of them
    "Song (mit Orchester und Chor)", "Canción (con Orquesta y Coro)", "Chanson (avec Orchestre et Chœurs)",
    "Stille Nacht (mit Kinderchor)", "Lied (mit Klavierbegleitung)", "Song (mit Sinfonieorchester)",
])
def test_con_avec_mit_of_a_titles_own_credit_no_one(title):
    # the words alone, a capital "Con" of a title's own bracket, what follows in lower case
    assert credited_artists(["A"], title) == ("A",)


def test_a_guest_credited_in_another_language_is_read_from_a_file(tmp_path):
    folder = tmp_path / "lib"
    _tagged(folder / "Bad Bunny" / "01 Dákiti.wav", "Dákiti (con Jhay Cortez)", "Bad Bunny")
    _tagged(folder / "Anitta" / "01 Me Gusta.wav", "Me Gusta (part. Cardi B & Myke Towers)", "Anitta")
    tracks = {t.title: t for t in read_music_folder(folder, tmp_path / "covers").tracks}
    assert tracks["Dákiti (con Jhay Cortez)"].artists == ("Bad Bunny", "Jhay Cortez")
    assert tracks["Me Gusta (part. Cardi B & Myke Towers)"].artists == ("Anitta", "Cardi B", "Myke Towers")


# ---- names in an old Windows tagger's code page --------------------------------------------


def test_a_latin1_frame_written_in_windows_1252_reads_its_letters(tmp_path):
    # an old Windows ripper wrote "Cœur de pirate" in Windows-1252 into a Latin-1 frame: its
    # "œ" (0x9C) read as a control character and became a space ("C ur de pirate", an artist
    # of its own in the facet), "’" (0x92) likewise
    path = tmp_path / "lib" / "Old MP3s" / "01.wav"
    _wav(path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=0, text=["L\x92\xc9t\xe9 indien"]))
    audio.tags.add(TPE1(encoding=0, text=["C\x9cur de pirate"]))
    audio.save()
    (track,) = read_music_folder(tmp_path / "lib", tmp_path / "covers").tracks
    assert (track.title, track.artist) == ("L\u2019\u00c9t\u00e9 indien", "C\u0153ur de pirate")


def test_a_latin1_frames_text_without_control_characters_stays():
    from recsys.catalog.tagtext import repaired
    assert repaired("Fran\xe7oise Hardy") == "Fran\xe7oise Hardy"
    assert repaired("x\x81y") == "x\x81y"  # no Windows-1252 letter: left to the others' rules
