"""A promo pool's and an upload's marks in a title (``recsys.catalog.promomarks``): "[PROMO]",
"(FREE DL)", "**OUT NOW**", "PREMIERE:", "[EXCLUSIVE]" say how the file came, not what the song
is; a title's own "Premiere", "Free Bird", "Exclusive Love" stay."""

from __future__ import annotations

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.promomarks import without_promo_marks
from tests.test_music_folder_lib9 import _dj_wav
from tests.test_music_folder_tags import _wav

pytest.importorskip("mutagen")


@pytest.mark.parametrize("text, plain", [
    ("Gunroar (Extended Mix) [PROMO]", "Gunroar (Extended Mix)"),
    ("Gunroar (Extended Mix) (Promo)", "Gunroar (Extended Mix)"),
    ("Gunroar (Promo Only)", "Gunroar"),
    ("Stairs [FREE DOWNLOAD]", "Stairs"),
    ("Stairs (FREE DL)", "Stairs"),
    ("Stairs [FREE DOWNLOAD] (Extended Mix)", "Stairs (Extended Mix)"),
    ("[FREE] Stairs", "Stairs"),
    ("Knolls [OUT NOW]", "Knolls"),
    ("Knolls (Out Now on Anjunabeats)", "Knolls"),
    ("**OUT NOW** Knolls", "Knolls"),
    ("Knolls **OUT NOW**", "Knolls"),
    ("Knolls [Premiere]", "Knolls"),
    ("[PREMIERE] Kenta Cho - Gunroar", "Kenta Cho - Gunroar"),
    ("PREMIERE: Kenta Cho - Gunroar", "Kenta Cho - Gunroar"),
    ("Premiere: Kenta Cho - Gunroar", "Kenta Cho - Gunroar"),
    ("Premiere | Kenta Cho - Gunroar", "Kenta Cho - Gunroar"),
    ("*PREMIERE* Kenta Cho - Gunroar", "Kenta Cho - Gunroar"),
    ("EXCLUSIVE: Gunroar", "Gunroar"),
    ("Gunroar [EXCLUSIVE]", "Gunroar"),
    ("Kenta Cho - Sea Battle (Original Mix) - promo", "Kenta Cho - Sea Battle (Original Mix)"),
    ("Kenta Cho - Sea Battle - Premiere", "Kenta Cho - Sea Battle"),
    ("Kenta_Cho_-_Gunroar_(Extended_Mix)_[PROMO]", "Kenta_Cho_-_Gunroar_(Extended_Mix)"),
])
def test_promo_marks_go(text, plain):
    assert without_promo_marks(text) == plain


@pytest.mark.parametrize("text", [
    "Premiere", "Exclusive", "Promo", "(Promo)", "[PROMO]", "Out Now", "Free Download", "Free Bird",
    "Lynyrd Skynyrd - Free Bird", "Exclusive Love", "Promo Mix", "Song (Promo Edit)", "Song (Exclusive Mix)",
    "Break (Free)", "Set Me Free", "Premiere: The Movie", "Exclusive: Song", "Artist - Premiere",
    "Song - Exclusive", "Free (Live)", "The Premiere of Love", "Out Now (Live)", "", "Promo 2005", "Demo / Promo",
    "Promo Only Club Video March 2008",
])
def test_a_titles_own_words_stay(text):
    assert without_promo_marks(text) == text


def test_a_promos_title_tag_and_names_lose_the_marks(tmp_path):
    """A real DJ's "Gunroar (Extended Mix) [PROMO]" (the pool's title tag) and "Kenta Cho - Sea
    Battle (Original Mix) - promo.mp3" (its name) were titles of their own beside the bought
    copies; "[Premiere] Artist - Title" was by the artist "[Premiere] Artist"."""
    lib = tmp_path / "lib"
    _dj_wav(lib / "Promos" / "gunroar promo.wav", "Gunroar (Extended Mix) [PROMO]", "Kenta Cho",
            album="Gunroar (Remixes) - PROMO")
    _dj_wav(lib / "Tracks" / "gunroar.wav", "Gunroar (Radio Edit)", "Kenta Cho", album="Gunroar (Remixes)")
    _dj_wav(lib / "Promos" / "premiere.wav", "PREMIERE: Gunroar (Radio Edit)", "Kenta Cho")
    _dj_wav(lib / "Promos" / "free bird.wav", "Free Bird", "Lynyrd Skynyrd")
    _dj_wav(lib / "Promos" / "premiere title.wav", "Premiere", "Evil Mastermind")
    for stem in ("Kenta Cho - Sea Battle (Original Mix) - promo", "[Premiere] Mattias Westlund - Knolls",
                 "Nexuiz Team - Stairs (FREE DL)", "**OUT NOW** Evil Mastermind - Coherence"):
        _wav(lib / "Downloads" / f"{stem}.wav")
    tracks = read_music_folder(lib, tmp_path / "covers").tracks
    got = {t.source: (t.artist, t.title) for t in tracks}
    # the promo's album "Gunroar (Remixes) - PROMO" is the bought copy's: one album
    assert {t.album for t in tracks if t.source in ("Promos/gunroar promo.wav", "Tracks/gunroar.wav")} == {"Gunroar (Remixes)"}
    assert got["Promos/gunroar promo.wav"] == ("Kenta Cho", "Gunroar (Extended Mix)")
    assert got["Promos/premiere.wav"] == ("Kenta Cho", "Gunroar (Radio Edit)")
    assert got["Promos/free bird.wav"] == ("Lynyrd Skynyrd", "Free Bird")
    assert got["Promos/premiere title.wav"] == ("Evil Mastermind", "Premiere")
    assert got["Downloads/Kenta Cho - Sea Battle (Original Mix) - promo.wav"] == ("Kenta Cho", "Sea Battle (Original Mix)")
    assert got["Downloads/[Premiere] Mattias Westlund - Knolls.wav"] == ("Mattias Westlund", "Knolls")
    assert got["Downloads/Nexuiz Team - Stairs (FREE DL).wav"] == ("Nexuiz Team", "Stairs")
    assert got["Downloads/**OUT NOW** Evil Mastermind - Coherence.wav"] == ("Evil Mastermind", "Coherence")


def test_a_tempo_and_key_before_a_promo_mark_are_read(tmp_path):
    lib = tmp_path / "lib"
    _wav(lib / "Tracks" / "Mattias Westlund - Heroes Rite 128 8A [PROMO].wav")
    ((track,),) = [read_music_folder(lib, tmp_path / "covers").tracks]
    assert (track.artist, track.title, track.bpm, track.key) == ("Mattias Westlund", "Heroes Rite", 128.0, "8A")
