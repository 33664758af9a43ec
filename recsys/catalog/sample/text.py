"""Words for the sample catalog: invented artists, titles, lyrics, summaries, themes and moods.

Each genre has its own vocabulary so that a text encoder separates genres the way it would
for real lyrics (ambient: drift, ocean, breath; metal: fire, steel, rage...). All names are
made up here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Vocab:
    label: str  # how descriptions name the genre
    artists: tuple[str, ...]
    adjectives: tuple[str, ...]
    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    themes: tuple[str, ...]
    moods: tuple[str, ...]
    tags: tuple[str, ...]
    sound: str  # instrumentation, for the description
    years: tuple[int, int]


def _w(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


VOCAB: dict[str, Vocab] = {
    "ambient": Vocab(
        "ambient", _w("Saelis Drift, Low Tide Choir, Vela Hush"),
        _w("pale, slow, silent, weightless, distant, soft, endless, hazy, still, tidal"),
        _w("ocean, breath, mist, horizon, tide, cloud, glacier, dawn, shore, haze, stillness, light"),
        _w("drift, breathe, float, dissolve, settle, fade, hover, unfold"),
        _w("drifting, the ocean, breathing, stillness, distant horizons, morning mist, solitude, "
           "slow time, weightlessness, the tide, dissolving, light on water"),
        _w("calm, serene, dreamy, meditative, peaceful, wistful, floating, hushed, tranquil, soothing"),
        _w("chill, sleep, meditation, drone, soundscape, downtempo"),
        "slow sine pads, soft noise swells and distant bells", (1978, 2023)),
    "techno": Vocab(
        "techno", _w("Kollektor 9, Unit Brenner, Nachtform"),
        _w("electric, concrete, neon, infinite, mechanical, pulsing, binary, hollow, chrome, nocturnal"),
        _w("machine, pulse, circuit, warehouse, strobe, signal, grid, night, engine, voltage, loop, tunnel"),
        _w("pulse, repeat, dance, lock, loop, surge, run, ignite"),
        _w("the dancefloor, machines, repetition, the night city, warehouse raves, the body in motion, "
           "signals, electricity, hypnosis, the grid, endless loops, movement"),
        _w("hypnotic, driving, euphoric, dark, relentless, cold, energetic, trance-like, focused, tense"),
        _w("electronic, club, rave, warehouse, four-on-the-floor, dj"),
        "a four-on-the-floor kick, offbeat hi-hats, claps and a rolling saw bass", (1990, 2024)),
    "folk": Vocab(
        "folk", _w("Wren & Hollow, Ada Fernsby, The Marrow Pines"),
        _w("old, wooden, quiet, golden, lonesome, wild, gentle, winding, rusty, homeward"),
        _w("river, road, valley, home, harvest, cabin, meadow, mountain, fire, letter, orchard, train"),
        _w("wander, remember, carry, walk, sing, gather, return, plant"),
        _w("home, the open road, family, the changing seasons, the river, memory, harvest, "
           "leaving town, old friends, the countryside, letters, belonging"),
        _w("nostalgic, warm, tender, hopeful, bittersweet, earnest, homesick, gentle, reflective, content"),
        _w("acoustic, singer-songwriter, americana, fingerpicking, campfire"),
        "fingerpicked acoustic guitar with gentle strums", (1965, 2023)),
    "metal": Vocab(
        "metal", _w("Iron Pyre, Gravewarden, Skarnhelm"),
        _w("burning, iron, black, savage, molten, broken, endless, blood-red, shattered, infernal"),
        _w("fire, steel, rage, throne, blade, storm, ash, war, skull, chain, inferno, thunder"),
        _w("burn, crush, destroy, rise, scream, conquer, bleed, shatter"),
        _w("war, rage, destruction, rebellion, fire, death, power, betrayal, the apocalypse, "
           "defiance, chaos, vengeance"),
        _w("aggressive, furious, intense, dark, defiant, menacing, wrathful, heavy, chaotic, triumphant"),
        _w("heavy, thrash, headbanging, loud, riffs, double-bass"),
        "distorted power-chord riffs, palm-muted chugs, double-bass drums and crashes", (1983, 2024)),
    "jazz": Vocab(
        "jazz", _w("The Milo Vance Quartet, Ruth Okafor Trio, Blue Cellar Five"),
        _w("blue, smoky, late, velvet, easy, midnight, swinging, crooked, mellow, after-hours"),
        _w("night, club, city, cigarette, rain, piano, corner, avenue, melody, lounge, moon, saxophone"),
        _w("swing, linger, wander, sway, whisper, improvise, stroll, slip"),
        _w("late nights, the city, romance, jazz clubs, rain on the avenue, improvisation, "
           "old flames, nightlife, swing, conversation, loneliness, the moon"),
        _w("smooth, relaxed, sophisticated, playful, melancholic, sultry, laid-back, warm, nocturnal, elegant"),
        _w("swing, bebop, standards, walking bass, trio, lounge"),
        "a swung walking bass, electric-piano seventh chords and ride cymbal", (1955, 1975)),
    "classical-piano": Vocab(
        "classical piano", _w("Ilse Varga, Tomas Reindl, Clara Abendroth"),
        _w("lyric, pastoral, solemn, tender, fleeting, autumnal, noble, nocturnal, graceful, pensive"),
        _w("nocturne, etude, prelude, sonata, reverie, waltz, romance, elegy, serenade, fantasia, "
           "album leaf, impromptu"),
        _w("linger, remember, yearn, reflect, mourn, dream, unfold, rest"),
        _w("memory, longing, the passing of time, grief, love, nature, reverie, youth, "
           "solitude, the seasons, nostalgia, farewell"),
        _w("contemplative, elegant, melancholic, romantic, tender, expressive, serene, yearning, delicate, solemn"),
        _w("piano, solo piano, romantic era, classical, rubato, concert"),
        "solo piano with broken-chord accompaniment and a rubato melody", (1958, 2022)),
    "reggae": Vocab(
        "reggae", _w("Irie Meridian, Selah Youth, The Kingston Skylarks"),
        _w("sweet, rising, natural, easy, sunny, righteous, steady, island, mystic, humble"),
        _w("sun, island, roots, sea, unity, love, freedom, yard, rain, zion, morning, people"),
        _w("rise, stand, unite, smile, move, praise, rock, chant"),
        _w("unity, love, freedom, the island, roots, resistance, faith, community, the sunshine, "
           "peace, struggle, togetherness"),
        _w("uplifting, laid-back, joyful, peaceful, positive, groovy, warm, spiritual, easygoing, proud"),
        _w("roots, one drop, dub, skank, island, conscious"),
        "offbeat skank chords, a deep round bassline and a one-drop rimshot", (1972, 1990)),
    "chiptune": Vocab(
        "chiptune", _w("Pixel Harbor, Bitlark, Cart Reset"),
        _w("pixel, turbo, hyper, super, retro, glitch, neon, extra, bonus, final"),
        _w("level, castle, quest, boss, star, coin, dungeon, arcade, jump, power-up, cartridge, hero"),
        _w("jump, level up, collect, dash, respawn, warp, power up, save"),
        _w("video games, adventure, high scores, childhood, the arcade, quests, boss battles, "
           "pixels, bonus stages, heroes, nostalgia, winning"),
        _w("bright, playful, energetic, cheerful, nostalgic, adventurous, bouncy, frantic, triumphant, quirky"),
        _w("8-bit, video game, retro, electronic, square wave, arcade"),
        "square-wave arpeggios, a pulse bass, an 8-bit lead and noise-channel drums", (1986, 2024)),
}

LYRIC_LINES = (
    "I {verb} through the {adj} {noun}",
    "{Adj} {noun}, {verb} with me",
    "we {verb} until the {noun} is gone",
    "there is a {noun} inside the {noun2}",
    "{verb} on, {adj} {noun2}",
    "all I know is the {noun}",
    "the {noun2} calls me home to {verb}",
    "you and I, we {verb} like the {noun}",
)
PLACES = _w("the Harbour Hall, the Old Mill, Cellar 9, the Glasshouse, Riverside Park, the Union Rooms")


def pick(rng: np.random.Generator, items: tuple[str, ...], k: int = 1) -> list[str]:
    return [items[i] for i in rng.choice(len(items), size=k, replace=False)]


SMALL_WORDS = frozenset(("of", "the", "a", "and", "in", "on", "to", "with"))


def _title_case(text: str) -> str:
    """Headline case that leaves small words and hyphenated parts alone: "Songs of the Fire"."""
    parts = text.split(" ")
    return " ".join(
        w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(parts)
    )


def title(vocab: Vocab, rng: np.random.Generator) -> str:
    adj, noun, noun2, verb = *pick(rng, vocab.adjectives), *pick(rng, vocab.nouns, 2), *pick(rng, vocab.verbs)
    shapes = (f"{adj} {noun}", f"{noun} of {noun2}", f"The {adj} {noun}", f"{verb} the {noun}", noun,
              f"{noun} & {noun2}")
    return _title_case(shapes[int(rng.integers(len(shapes)))])


def album(vocab: Vocab, rng: np.random.Generator) -> str:
    adj, noun = pick(rng, vocab.adjectives)[0], pick(rng, vocab.nouns)[0]
    shapes = (f"{adj} {noun}s", f"Songs of the {noun}", f"{noun}", f"The {adj} Sessions")
    return _title_case(shapes[int(rng.integers(len(shapes)))])


def lyrics(vocab: Vocab, song_title: str, rng: np.random.Generator) -> str:
    """Two verses around a chorus that repeats the title, as real songs do."""
    def line() -> str:
        adj, noun, noun2, verb = *pick(rng, vocab.adjectives), *pick(rng, vocab.nouns, 2), *pick(rng, vocab.verbs)
        text = LYRIC_LINES[int(rng.integers(len(LYRIC_LINES)))]
        text = text.format(adj=adj, Adj=adj.capitalize(), noun=noun, noun2=noun2, verb=verb)
        return text[:1].upper() + text[1:]

    chorus = [f"{song_title}, {song_title.lower()}", line()]
    verse1 = [line() for _ in range(int(rng.integers(2, 4)))]
    verse2 = [line() for _ in range(int(rng.integers(2, 4)))]
    return "\n".join(["[Verse 1]", *verse1, "", "[Chorus]", *chorus, "", "[Verse 2]", *verse2, "", "[Chorus]", *chorus])


def summary(vocab: Vocab, themes: list[str], moods: list[str], rng: np.random.Generator) -> str:
    verb = ("is about", "explores", "reflects on", "is a song about")[int(rng.integers(4))]
    noun = pick(rng, vocab.nouns)[0]
    return (
        f"The song {verb} {themes[0]} and {themes[1]}. The singer returns again and again to the "
        f"image of the {noun}, and the mood is {moods[0]} and {moods[1]}, touching on {themes[2]}."
    )


def description(vocab: Vocab, key: str, bpm: float, note: str = "") -> str:
    pace = "Slow" if bpm < 80 else "Mid-tempo" if bpm < 120 else "Fast"
    text = f"{pace} {vocab.label} track in {key} at {bpm:.0f} BPM: {vocab.sound}."
    return f"{text} {note}".strip()


def era_tag(year: int) -> str:
    return f"{str(year)[2]}0s" if year < 2000 else f"{year // 10 * 10}s"
