"""What a fifteenth pass over real music (a Brazilian, Latin, French, German and Italian
listener's library: iTunes Brasil's "Acústico MTV" and "Ao Vivo" albums, a Spotify ripper in
pt-BR and es locales, deemix's "(part. X)" credits, Spanish "(con X)", French "(avec X)",
German "(mit X)", old Windows MP3s tagged in cp1252) found in the music-folder reader and in
the results' version dedup, each case rebuilt here from tiny files made on the fly or from
titles alone."""

from __future__ import annotations

import pytest

from recsys.query.titles import TitleEntry, pick, plainness, version_key


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
