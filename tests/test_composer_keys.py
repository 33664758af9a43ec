"""A composer's spellings read as one person (``recsys.query.composerkeys``) and a collection's
composers grouped and named by them (``recsys.query.composers.ComposerIndex``): no store."""

from __future__ import annotations

import pytest

from recsys.query.composerkeys import compatible, parse_composer
from recsys.query.composers import AmbiguousComposerError, ComposerIndex


def _same(a: str, b: str) -> bool:
    pa, pb = parse_composer(a), parse_composer(b)
    assert pa is not None and pb is not None
    return compatible(pa, pb)


@pytest.mark.parametrize("a, b", [
    ("J.S. Bach", "Johann Sebastian Bach"), ("Bach, J. S.", "Johann Sebastian Bach"), ("bach", "Johann Sebastian Bach"),
    ("Beethoven, Ludwig van", "Ludwig van Beethoven"), ("L. van Beethoven", "Beethoven"),
    ("tchaikovsky", "Petr Iljič Čajkovskij"), ("Chaikovsky, Pyotr Il'yich", "Pyotr Ilyich Tchaikovsky"),
    ("Peter Tschaikowsky", "Pyotr Ilyich Tchaikovsky"), ("Rachmaninov", "Sergei Rachmaninoff"),
    ("dvorak", "Antonín Dvořák"), ("Dvořák, Antonín", "Anton Dvorak"), ("Prokofieff", "Sergei Prokofiev"),
    ("Strawinsky", "Igor Stravinsky"), ("Georg Friedrich Händel", "George Frideric Handel"), ("Haendel", "Händel"),
    ("Joseph Haydn", "Franz Joseph Haydn"), ("Mozart, Wolfgang Amadeus (1756-1791)", "W. A. Mozart"),
    ("rimsky korsakov", "Nikolai Rimsky-Korsakov"), ("saint saens", "Camille Saint-Saëns"),
    ("vaughan williams", "Ralph Vaughan Williams"), ("Mendelssohn", "Felix Mendelssohn Bartholdy"),
    ("Johann Strauss II", "Strauss, Johann, Jr."), ("Schoenberg", "Arnold Schönberg"),
])
def test_spellings_of_one_composer_are_one(a: str, b: str) -> None:
    assert _same(a, b) and _same(b, a)


@pytest.mark.parametrize("a, b", [
    ("C.P.E. Bach", "Johann Sebastian Bach"), ("Carl Philipp Emanuel Bach", "J.S. Bach"),
    ("Johann Christian Bach", "Johann Christoph Friedrich Bach"), ("Leopold Mozart", "Wolfgang Amadeus Mozart"),
    ("Michael Haydn", "Franz Joseph Haydn"), ("Richard Strauss", "Johann Strauss"),
    ("Johann Strauss I", "Johann Strauss II"), ("Tchaikovsky", "Rachmaninoff"), ("Clara Schumann", "Robert Schumann"),
])
def test_other_composers_are_other(a: str, b: str) -> None:
    assert not _same(a, b) and not _same(b, a)


def test_a_name_without_a_word_is_no_name() -> None:
    assert parse_composer("?") is None and parse_composer("  ") is None


def test_the_facet_counts_one_composer_once_in_its_plainest_spelling() -> None:
    """Three spellings of Tchaikovsky, two of J.S. Bach and C.P.E. Bach apart; a "Bach" alone
    beside two Bachs stays as tagged (whose is it?); one beside one Beethoven joins him."""
    index = ComposerIndex.of_rows([
        ("Petr Iljič Čajkovskij", 4), ("Pyotr Ilyich Tchaikovsky", 2), ("Chaikovsky, Pyotr Il'yich", 2),
        ("Bach, Johann Sebastian", 5), ("J.S. Bach", 2), ("Carl Philipp Emanuel Bach", 3), ("Bach", 1),
        ("Ludwig van Beethoven", 6), ("Beethoven", 1), ("", 9),
    ])
    assert index.rows() == [("Pyotr Ilyich Tchaikovsky", 8), ("Bach, Johann Sebastian", 7), ("Ludwig van Beethoven", 7),
                            ("Carl Philipp Emanuel Bach", 3), ("Bach", 1)]
    tchaikovsky = index.composers[0]
    assert set(tchaikovsky.spellings) == {"Petr Iljič Čajkovskij", "Pyotr Ilyich Tchaikovsky", "Chaikovsky, Pyotr Il'yich"}


def test_a_typed_name_is_the_one_composer_it_fits_or_an_error_naming_them() -> None:
    index = ComposerIndex.of_rows([("Johann Sebastian Bach", 5), ("Carl Philipp Emanuel Bach", 3), ("Bach", 1),
                                   ("Antonín Dvořák", 2), ("Pyotr Ilyich Tchaikovsky", 2), ("Tschaikowsky", 1)])
    assert index.resolve("DVORAK", "lib").name == "Antonín Dvořák"
    assert index.resolve("Čajkovskij", "lib").spellings == ("Pyotr Ilyich Tchaikovsky", "Tschaikowsky")
    assert index.resolve("J.S. Bach", "lib").spellings == ("Johann Sebastian Bach",)  # not the "Bach" kept apart
    assert index.resolve("Bach, C. P. E.", "lib").name == "Carl Philipp Emanuel Bach"
    assert index.resolve("Mahler", "lib") is None and index.resolve("W. F. Bach", "lib") is None
    with pytest.raises(AmbiguousComposerError) as e:
        index.resolve("bach", "lib")
    assert [c.name for c in e.value.candidates] == ["Johann Sebastian Bach", "Carl Philipp Emanuel Bach", "Bach"]
    assert ("the composer 'bach' is more than one in collection 'lib': Johann Sebastian Bach (5 tracks), Carl Philipp"
            " Emanuel Bach (3 tracks), Bach (1 track)") in str(e.value)


@pytest.mark.parametrize("a, b", [
    ("Пётр Ильич Чайковский", "Pyotr Ilyich Tchaikovsky"), ("Чайковский", "tchaikovsky"), ("Сергей Прокофьев", "Prokofiev"),
    ("Сергей Рахманинов", "Sergei Rachmaninoff"), ("Николай Римский-Корсаков", "rimsky korsakov"),
    ("Модест Мусоргский", "Mussorgsky"), ("Дмитрий Шостакович", "Dmitri Shostakovich"), ("Арам Хачатурян", "Khachaturian"),
    ("Михаил Глинка", "Mikhail Glinka"), ("Μίκης Θεοδωράκης", "Mikis Theodorakis"),
])
def test_a_composer_tagged_in_cyrillic_or_greek_is_his_latin_spellings(a: str, b: str) -> None:
    """`--composer tchaikovsky` found nothing of a Russian label's "Пётр Ильич Чайковский": the
    surname key kept its Cyrillic letters, no spelling of the table's."""
    assert _same(a, b) and _same(b, a)


def test_a_cyrillic_spelling_joins_the_composer_shown_in_latin() -> None:
    index = ComposerIndex.of_rows([("Пётр Ильич Чайковский", 3), ("Pyotr Ilyich Tchaikovsky", 2), ("Сергей Рахманинов", 1)])
    assert index.rows() == [("Pyotr Ilyich Tchaikovsky", 5), ("Сергей Рахманинов", 1)]
    assert index.resolve("tchaikovsky", "lib").spellings == ("Пётр Ильич Чайковский", "Pyotr Ilyich Tchaikovsky")
    assert index.resolve("Rachmaninoff", "lib").name == "Сергей Рахманинов"
    assert not _same("Пётр Ильич Чайковский", "Сергей Рахманинов")


def test_fanny_and_felix_mendelssohn_are_two_composers() -> None:
    """Mendelssohn is in the transliteration table for "Mendelssohn Bartholdy" alone: his given
    name is "Felix" in every language, so initials alone must not make his sister Fanny him
    (the facet counted her songs as his, and ``--composer "Fanny Mendelssohn"`` found his)."""
    assert not _same("Fanny Mendelssohn", "Felix Mendelssohn") and not _same("Fanny Mendelssohn", "Felix Mendelssohn Bartholdy")
    assert _same("Felix Mendelssohn", "Jakob Ludwig Felix Mendelssohn Bartholdy")
    index = ComposerIndex.of_rows([("Felix Mendelssohn", 5), ("Fanny Mendelssohn", 2), ("Felix Mendelssohn Bartholdy", 1)])
    assert index.rows() == [("Felix Mendelssohn", 6), ("Fanny Mendelssohn", 2)]
    assert index.resolve("Fanny Mendelssohn", "lib").spellings == ("Fanny Mendelssohn",)


@pytest.mark.parametrize("a, b", [
    ("JS Bach", "Johann Sebastian Bach"), ("CPE Bach", "Carl Philipp Emanuel Bach"), ("WA Mozart", "Wolfgang Amadeus Mozart"),
    ("Bach, JS", "J.S. Bach"),
])
def test_initials_run_together_in_capitals_are_initials(a: str, b: str) -> None:
    """"JS Bach", "CPE Bach", "WA Mozart": as common a tag and a typed name as "J.S. Bach", but
    read as a given name "Js"/"Cpe" they fitted no Bach ("--composer 'CPE Bach'" matched nothing,
    a tagged "JS Bach" was a composer apart from Johann Sebastian)."""
    assert _same(a, b) and _same(b, a)
    assert not _same("CPE Bach", "Johann Sebastian Bach") and not _same("JS Bach", "Carl Philipp Emanuel Bach")
    assert _same("ED SHEERAN", "Ed Sheeran") and _same("Ed Sheeran", "ED SHEERAN")  # a name in capitals is no initials


@pytest.mark.parametrize("tag, people", [
    ("Thelonious Monk, Cootie Williams & Bernie Hanighen", ("Thelonious Monk", "Cootie Williams", "Bernie Hanighen")),
    ("Richard Rodgers; Lorenz Hart", ("Richard Rodgers", "Lorenz Hart")),
    ("Lennon/McCartney", ("Lennon", "McCartney")), ("Lennon - McCartney", ("Lennon", "McCartney")),
    ("John Lennon, Paul McCartney", ("John Lennon", "Paul McCartney")),
    ("Rodgers & Hammerstein", ("Rodgers", "Hammerstein")), ("Gilbert and Sullivan", ("Gilbert", "Sullivan")),
    ("Holland–Dozier–Holland", ("Holland", "Dozier")),
    ("Monk, Thelonious & Williams, Cootie", ("Monk, Thelonious", "Williams, Cootie")),
    ("Hank Williams, Jr., Fred Rose", ("Hank Williams, Jr.", "Fred Rose")),
    # one person: a sort form, a generation, dates, a hyphen inside a name
    ("Bach, Johann Sebastian", ("Bach, Johann Sebastian",)), ("Bach, J. S.", ("Bach, J. S.",)),
    ("Vaughan Williams, Ralph", ("Vaughan Williams, Ralph",)), ("Strauss, Johann, Jr.", ("Strauss, Johann, Jr.",)),
    ("Beethoven, Ludwig van (1770-1827)", ("Beethoven, Ludwig van (1770-1827)",)),
    ("Bach, Johann Sebastian, 1685-1750", ("Bach, Johann Sebastian, 1685-1750",)),
    ("Johann Sebastian Bach (1685–1750)", ("Johann Sebastian Bach (1685–1750)",)),
    ("Harry Connick, Jr.", ("Harry Connick, Jr.",)), ("Rimsky-Korsakov, Nikolai", ("Rimsky-Korsakov, Nikolai",)),
    ("Chaikovsky, Pyotr Il'yich", ("Chaikovsky, Pyotr Il'yich",)), ("Anderson", ("Anderson",)), ("", ()),
])
def test_a_composer_tag_is_read_as_its_people(tag: str, people: tuple[str, ...]) -> None:
    from recsys.catalog.composerlists import composer_people

    assert composer_people(tag) == people


def test_a_list_counts_for_each_of_its_composers() -> None:
    """'Round Midnight's "Thelonious Monk, Cootie Williams & Bernie Hanighen" is Monk's song
    too: one composer row each, Monk's tracks counting it, and his filter naming the list."""
    index = ComposerIndex.of_rows([
        ("Thelonious Monk", 5), ("Thelonious Monk, Cootie Williams & Bernie Hanighen", 2), ("Richard Rodgers", 3),
        ("Richard Rodgers; Lorenz Hart", 1), ("Rodgers & Hammerstein", 1), ("Lennon/McCartney", 2),
        ("John Lennon, Paul McCartney", 1), ("Holland–Dozier–Holland", 1), ("Eddie Holland", 1), ("Brian Holland", 1),
    ])
    assert index.rows() == [
        ("Thelonious Monk", 7), ("Richard Rodgers", 5), ("John Lennon", 3), ("Paul McCartney", 3), ("Bernie Hanighen", 2),
        ("Cootie Williams", 2), ("Brian Holland", 1), ("Dozier", 1), ("Eddie Holland", 1), ("Hammerstein", 1),
        ("Holland", 1), ("Lorenz Hart", 1),
    ]
    monk = index.resolve("monk", "lib")
    assert monk.values == ("Thelonious Monk", "Thelonious Monk, Cootie Williams & Bernie Hanighen")
    assert index.resolve("Richard Rodgers", "lib").values == (
        "Richard Rodgers", "Richard Rodgers; Lorenz Hart", "Rodgers & Hammerstein")  # the team's surname is his
    assert set(index.resolve("mccartney", "lib").values) == {"Lennon/McCartney", "John Lennon, Paul McCartney"}


@pytest.mark.parametrize("tag, people", [
    ("Traditional; arr. John Rutter", ("Traditional", "John Rutter")),
    ("Bizet/arr. Shchedrin", ("Bizet", "Shchedrin")), ("Trad./Arr. Pete Seeger", ("Trad.", "Pete Seeger")),
    ("Traditional; arranged by Ralph Vaughan Williams", ("Traditional", "Ralph Vaughan Williams")),
    ("Arrigo Boito; Giuseppe Verdi", ("Arrigo Boito", "Giuseppe Verdi")),
])
def test_an_arrangers_mark_is_no_part_of_his_name(tag: str, people: tuple[str, ...]) -> None:
    """A folk or choral tag's "Traditional; arr. John Rutter": the facet listed a composer "arr.
    John Rutter" (the fullest spelling of his, shown for his own works too)."""
    from recsys.catalog.composerlists import composer_people

    assert composer_people(tag) == people
    index = ComposerIndex.of_rows([("Traditional; arr. John Rutter", 3), ("John Rutter", 5)])
    assert index.rows() == [("John Rutter", 8), ("Traditional", 3)]


def test_a_list_of_surnames_the_library_names_in_full_is_its_composers() -> None:
    """Caravan's "Ellington, Tizol & Mills" is written as "Earth, Wind & Fire" is (single words,
    commas, "&"), and was one composer of its own: beside "Duke Ellington" and "Irving Mills"
    it is three, each surname its composer's (Ellington's tracks count it, his filter names it,
    "Tizol" one of his own). Where none of its words is a composer named in full, or the tag is
    an artist of the collection, the band's name stays one."""
    rows = [("Duke Ellington", 5), ("Ellington, Tizol & Mills", 2), ("Irving Mills; Duke Ellington", 1),
            ("Earth, Wind & Fire", 2), ("Maurice White", 1), ("Crosby, Stills, Nash & Young", 1), ("Neil Young", 2)]
    index = ComposerIndex.of_rows(rows, frozenset({"crosbystillsnashyoung"}))
    assert index.rows() == [("Duke Ellington", 8), ("Irving Mills", 3), ("Earth, Wind & Fire", 2), ("Neil Young", 2),
                            ("Tizol", 2), ("Crosby, Stills, Nash & Young", 1), ("Maurice White", 1)]
    assert set(index.resolve("Ellington", "lib").values) == {
        "Duke Ellington", "Ellington, Tizol & Mills", "Irving Mills; Duke Ellington"}
    # typed as tagged: the three men's songs together, Caravan's row
    from recsys.catalog.composerlists import composer_people

    assert composer_people("Ellington, Tizol & Mills", index.bands, index.known_surname) == ("Ellington", "Tizol", "Mills")
    alone = ComposerIndex.of_rows([("Ellington, Tizol & Mills", 2), ("Stock, Aitken & Waterman", 1)])
    assert alone.rows() == [("Ellington, Tizol & Mills", 2), ("Stock, Aitken & Waterman", 1)]


def test_a_surname_of_a_list_of_surnames_is_no_full_name_to_the_reader():
    """The reader's "Mills" beside "Irving Mills" is Irving Mills, however many lists of
    surnames end in "Mills" ("Ellington, Tizol & Mills" is three surnames where the library
    names Ellington in full: ``composernames``)."""
    from recsys.catalog.composernames import full_composer_names
    from recsys.catalog.model import TrackRecord

    composers = ["Duke Ellington", "Ellington, Tizol & Mills", "Irving Mills", "Mills"]
    tracks = [TrackRecord(f"t{i}", "x", "Band", composer=c) for i, c in enumerate(composers)]
    assert [t.composer for t in full_composer_names(tracks)] == [
        "Duke Ellington", "Ellington, Tizol & Mills", "Irving Mills", "Irving Mills"]


@pytest.mark.parametrize("name, surname", [
    ("Rahbani Brothers", "rahbani"), ("The Rahbani Brothers", "rahbani"), ("Les Frères Rahbani", "rahbani"),
    ("Sherman Brothers", "sherman"), ("Warner Bros.", "warner"), ("The Pointer Sisters", "pointer"),
    ("Bach & Sons", "bach"),
])
def test_a_familys_act_is_named_by_its_surname(name: str, surname: str) -> None:
    """"Brothers" is no surname: the word before it is (before: "Rahbani Brothers" was a Mr.
    Brothers whose given name was Rahbani)."""
    read = parse_composer(name)
    assert read is not None and (read.surname, read.given, read.family) == (surname, (), True)


@pytest.mark.parametrize("name", ["The Brothers", "Brothers", "The Beatles", "Ziad Rahbani"])
def test_a_name_without_a_familys_words_or_a_surname_before_them_is_no_familys(name: str) -> None:
    read = parse_composer(name)
    assert read is not None and not read.family


def test_a_surname_of_a_family_and_one_of_its_people_is_an_error_naming_both() -> None:
    """``--composer Rahbani`` beside "Rahbani Brothers" and "Ziad Rahbani": two composers, as any
    two people of one surname are (before: Ziad alone). The act and the son are never one, and
    each is found by its own name."""
    index = ComposerIndex.of_rows([("Rahbani Brothers", 9), ("Ziad Rahbani", 7), ("Sherman Brothers", 2),
                                   ("Richard M. Sherman", 1)])
    assert index.rows() == [("Rahbani Brothers", 9), ("Ziad Rahbani", 7), ("Sherman Brothers", 2),
                            ("Richard M. Sherman", 1)]
    with pytest.raises(AmbiguousComposerError) as e:
        index.resolve("Rahbani", "lib")
    assert "Rahbani Brothers (9 tracks), Ziad Rahbani (7 tracks)" in str(e.value)
    assert [c.name for c in index.matching("rahbani brothers")] == ["Rahbani Brothers"]
    assert [c.name for c in index.matching("The Rahbani Brothers")] == ["Rahbani Brothers"]
    assert [c.name for c in index.matching("Ziad Rahbani")] == ["Ziad Rahbani"]
    assert [c.name for c in index.matching("Richard Sherman")] == ["Richard M. Sherman"]
    assert not compatible(parse_composer("Rahbani Brothers"), parse_composer("Ziad Rahbani"))
