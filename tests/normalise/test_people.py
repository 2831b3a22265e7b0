"""Authors/editors/photographers from credit lines (``normalisation-cases.md`` 2.1, 3.1-3.3, 1.4)."""

from __future__ import annotations

import pytest

from crawler.normalise.people import Credits, clean_name, parse_credit_line, resolve_people

# The seed article (`../shared/seed/bangkapos-csto-article.txt`) credit line, verbatim.
SEED_CREDIT = "Penulis: Iwan Satriawan CC | Editor: Iwan Satriawan"


# --- parse_credit_line ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "authors", "editors", "photographers"), [
    # 2.1 #1: lower-case names get capitalised; the rest of a mixed-case name is kept.
    ("Penulis: iwan Arifianto | Editor: muslimah", ["Iwan Arifianto"], ["Muslimah"], []),
    ("Editor: Hendra Gunawan", [], ["Hendra Gunawan"], []),
    ("| Editor: Weni Wahyuny", [], ["Weni Wahyuny"], []),
    ("Laporan Wartawan Tribun Medan, Jefri Susetio", ["Jefri Susetio"], [], []),
    ("Laporan Wartawan TribunJakarta.com, Gerald Leonardo Agustino", ["Gerald Leonardo Agustino"], [], []),
    ("Laporan wartawan Tribunnews.com, Fahdi Fahlevi", ["Fahdi Fahlevi"], [], []),
    ("Laporan Wartawan Tribun Medan Jefri Susetio", ["Jefri Susetio"], [], []),  # no comma
    ("Laporan Wartawan Tribun Medan / Jefri Susetio", ["Jefri Susetio"], [], []),  # slash
    ("Laporan Reporter Tribunnews.com Fahdi Fahlevi", ["Fahdi Fahlevi"], [], []),
    ("Laporan Wartawan Bangka Pos, Riki Pratama", ["Riki Pratama"], [], []),
    ("Laporan wartawan Tribunnews.com, Fahdi Fahlevi TRIBUNNEWS.COM, JAKARTA - Ketua Umum partai",
     ["Fahdi Fahlevi"], [], []),
    ("Reporter: Fahdi Fahlevi", ["Fahdi Fahlevi"], [], []),
    ("Pewarta: Andi Firdaus", ["Andi Firdaus"], [], []),
    ("Kontributor: Budi Santoso", ["Budi Santoso"], [], []),
    ("Wartawan: Budi Santoso", ["Budi Santoso"], [], []),
    ("Penulis : Iwan Arifianto Editor : Muslimah", ["Iwan Arifianto"], ["Muslimah"], []),
    # Kompas-style block run together without any separator.
    ("Penulis : Iwan ArifiantoEditor : Muslimah", ["Iwan Arifianto"], ["Muslimah"], []),
    ("Penulis: Glery Lazuardi", ["Glery Lazuardi"], [], []),
    ("Penulis: David Yohanes | Editor: irwan sy", ["David Yohanes"], ["Irwan Sy"], []),
    ("Penulis: Andi, Budi dan Cici | Editor: Dedi & Euis", ["Andi", "Budi", "Cici"], ["Dedi", "Euis"], []),
    ("Penulis: Andi | Penulis: andi | Editor: Dedi", ["Andi"], ["Dedi"], []),  # case-insensitive de-dup
    ("Halaman 12 / Editor: Zainuddin / Sumber: Surya Malang", [], ["Zainuddin"], []),
    ("Editor: Hendra Gunawan Sumber: Tribun Medan", [], ["Hendra Gunawan"], []),
    ("Pewarta: Andi (das/fdl) Editor: BUDI SANTOSO [dni]", ["Andi"], ["Budi Santoso"], []),
    ("Penulis: Andi (andi@tribunnews.com) | Editor: Budi https://www.tribunnews.com/editor/budi",
     ["Andi"], ["Budi"], []),
    ("Penulis: Tribunnews.com | Editor: Budi", [], ["Budi"], []),  # an outlet is nobody
    ("Penyunting: Rina Ayu", [], ["Rina Ayu"], []),
    ("Redaktur: Rina Ayu", [], ["Rina Ayu"], []),
    ("Oleh: Rina Ayu", ["Rina Ayu"], [], []),
    ("Penulis: Dan Brown", ["Dan Brown"], [], []),  # `Dan` as a given name, not the separator ` dan `
    ("By: Lucas Ou-Yang, Alex Smith", ["Lucas Ou-Yang", "Alex Smith"], [], []),  # newspaper3k docstring
    # Photo credits: `Outlet/Name` and `Name/Outlet` are photographers, never authors.
    ("Tribun Medan/Jefri Susetyo", [], [], ["Jefri Susetyo"]),
    ("Ucik Suwaibah/Tribun Batam", [], [], ["Ucik Suwaibah"]),
    ("TRIBUNNEWS.COM/IRWAN RISMAWAN", [], [], ["Irwan Rismawan"]),
    ("(Tribunnews.com/Jeprima)", [], [], ["Jeprima"]),
    ("SURYA/AHMAD ZAIMUL HAQ", [], [], ["Ahmad Zaimul Haq"]),
    ("Foto: ANTARA/Aditya Pradana Putra", [], [], ["Aditya Pradana Putra"]),
    ("Pewarta Foto: Aditya Pradana Putra", [], [], ["Aditya Pradana Putra"]),
    ("Tentara Rusia menyita senjata (Tribun Medan/Jefri Susetyo)", [], [], ["Jefri Susetyo"]),
    # Not credits.
    ("Sumber: Tribun Medan", [], [], []),
    ("Naufal Zuhdi", [], [], []),  # an unlabelled line is not a role
    ("Jokowi/Prabowo", [], [], []),  # neither side is an outlet
    ("", [], [], []),
])
def test_parse_credit_line(line, authors, editors, photographers):
    assert parse_credit_line(line) == Credits(authors, editors, photographers)


def test_seed_credit_line_keeps_cc():
    # Decision: `CC` stays. The name is mixed case, so it is kept as written; we cannot tell whether `CC`
    # is a Bangka Pos contributor label or part of the byline, and dropping all-caps tokens would damage
    # real initials. The editor `Iwan Satriawan` is therefore a different string from the author.
    assert parse_credit_line(SEED_CREDIT) == Credits(["Iwan Satriawan CC"], ["Iwan Satriawan"], [])


def test_credit_line_with_html_and_entities():
    line = ("<h5 id='penulis'>Penulis: <b><a href='/penulis/david'>David&nbsp;Yohanes</a></b> <span>|</span> "
            "Editor: <b><a href='/editor/irwan'>irwan sy</a></b></h5>")
    assert parse_credit_line(line) == Credits(["David Yohanes"], ["Irwan Sy"], [])


@pytest.mark.parametrize("value", [None, 5, [], {}, b"Editor: Budi"])
def test_parse_credit_line_odd_types(value):
    result = parse_credit_line(value)
    assert isinstance(result, Credits)
    if value == b"Editor: Budi":
        assert result.editors == ["Budi"]
    else:
        assert result == Credits()


# --- clean_name -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("iwan Arifianto", "Iwan Arifianto"),
    ("muslimah", "Muslimah"),
    ("IWAN SATRIAWAN", "Iwan Satriawan"),
    ("Iwan Satriawan CC", "Iwan Satriawan CC"),
    ("Gerald Leonardo Agustino", "Gerald Leonardo Agustino"),
    ("muhammad bin salman", "Muhammad bin Salman"),
    ("Lucas Ou-Yang", "Lucas Ou-Yang"),
    ("McDonald", "McDonald"),
    ("AR", "AR"),  # short all-caps token = initials
    ("  Jefri\u00a0 Susetio\u200b ", "Jefri Susetio"),
    ("Penulis: Glery Lazuardi", "Glery Lazuardi"),
    ("Editor : Willy Widianto", "Willy Widianto"),
    ("Laporan Wartawan Tribun Medan, Jefri Susetio", "Jefri Susetio"),
    ("Tribun Medan/Jefri Susetyo", "Jefri Susetyo"),
    ("Ucik Suwaibah/Tribun Batam", "Ucik Suwaibah"),
    ("Fahdi Fahlevi (das/fdl)", "Fahdi Fahlevi"),
    ("Fahdi Fahlevi [dni]", "Fahdi Fahlevi"),
    ("Fahdi Fahlevi (*)", "Fahdi Fahlevi"),
    ("Surya Adi", "Surya Adi"),  # `Surya` is an outlet, but also a given name
    ("Surya", "Surya"),
    ("Hanang Yuwono ", "Hanang Yuwono"),
    ("Iwan S.", "Iwan S."),
    # trafilatura normalize_authors cases (3.1) that apply to one name.
    ("John Doe", "John Doe"),
    ("abc", "Abc"),
    ("Steve Steve 123", "Steve Steve"),
    ("By Steve Steve", "Steve Steve"),
    ("123", None),
    ("john.doe@example.com", None),
    ("&#233;tienne", "Étienne"),
    ("<b>John Doe</b>", "John Doe"),
    ("John 😊 Doe", "John Doe"),
    ("John Doe123", "John Doe"),
    ("John_Doe", "John Doe"),
    ("John Doe* ", "John Doe"),
    ("Alice &amp; Bob", "Alice"),  # one person: the first of several
    # Not people.
    ("Tribunnews.com", None),
    ("Tribun Medan", None),
    ("TribunJakarta.com", None),
    ("Bangka Pos", None),
    ("Kompas.com", None),
    ("mediaindonesia.com developer", None),
    ("https://www.tribunnews.com/penulis/andi", None),
    ("Editor", None),
    ("admin", None),
    ("(das/fdl)", None),
    ("", None),
    ("a" * 300, None),
    ("Satu dua tiga empat lima enam tujuh delapan sembilan", None),
    (None, None),
    (5, None),
    ({"@type": "Person", "name": "hanang yuwono"}, "Hanang Yuwono"),
    ({"givenName": "Jefri", "familyName": "Susetio"}, "Jefri Susetio"),
    ({}, None),
])
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


# --- resolve_people -------------------------------------------------------------------------------------

def test_p2020_editor_trap():
    # Real TribunSolo page: dataLayer editor and JSON-LD author are both the editor; no Penulis shown.
    authors, editors = resolve_people(["Editor: Hanang Yuwono"], [{"@type": "Person", "name": "Hanang Yuwono"}],
                                      ["Hanang Yuwono"])
    assert (authors, editors) == ([], ["Hanang Yuwono"])


def test_trap_without_visible_credit_uses_structured_editor():
    assert resolve_people([], [{"@type": "Person", "name": "Hanang Yuwono"}], ["Hanang Yuwono"]) == (
        [], ["Hanang Yuwono"])


def test_media_indonesia_trap():
    # fundus 1.4: JSON-LD author `Heryadi` is the visible editor; meta author is developer junk.
    authors, editors = resolve_people(["Editor : Heryadi"],
                                      [{"@type": "Person", "name": "Heryadi", "jobTitle": "Jurnalis"},
                                       "mediaindonesia.com developer"], [])
    assert (authors, editors) == ([], ["Heryadi"])


def test_p2015_visible_credits():
    assert resolve_people(["Penulis: Glery Lazuardi", "Editor: Willy Widianto"], [], []) == (
        ["Glery Lazuardi"], ["Willy Widianto"])


def test_visible_authors_win_over_structured():
    assert resolve_people(["Penulis: Andi"], ["Budi"], []) == (["Andi"], [])


def test_structured_author_used_when_no_visible_author_and_not_an_editor():
    assert resolve_people(["Editor: Willy Widianto"], [{"@type": "Person", "name": "Glery Lazuardi"}],
                          ["Willy Widianto"]) == (["Glery Lazuardi"], ["Willy Widianto"])


def test_visible_editor_wins_over_structured_editor():
    assert resolve_people(["Editor: Willy"], [], ["Budi"]) == ([], ["Willy"])


def test_seed_article_people():
    assert resolve_people([SEED_CREDIT], [], []) == (["Iwan Satriawan CC"], ["Iwan Satriawan"])


def test_page_order_and_dedup_across_lines():
    lines = ["Laporan Wartawan Tribun Medan, Jefri Susetio", "Penulis: jefri susetio, Andi", "Editor: Hendra",
             "Editor: HENDRA"]
    assert resolve_people(lines, [], []) == (["Jefri Susetio", "Andi"], ["Hendra"])


def test_photographers_are_not_authors():
    assert resolve_people(["Tribun Medan/Jefri Susetyo", "Editor: Hendra Gunawan"], [], []) == (
        [], ["Hendra Gunawan"])


@pytest.mark.parametrize(("structured", "expected"), [
    # fundus generic_author_parsing cases (3.2) as structured authors.
    (None, []),
    ("Peter", ["Peter"]),
    ("Peter , Funny", ["Peter", "Funny"]),
    ({"name": "Peter Funny"}, ["Peter Funny"]),
    ({}, []),
    ({"what": "ever"}, []),
    ([{}], []),
    ([{}, {"wrong": "key"}], []),
    ([" Now", "we", "test ", " strip "], ["Now", "We", "Test", "Strip"]),
    ([{"name": "Peter Funny"}, {"name": "Funny Peter"}, {"this": "is not a pipe"}, {}],
     ["Peter Funny", "Funny Peter"]),
    ([["Andi"], [None, 5, "Budi"]], ["Andi", "Budi"]),
    ("Tribunnews.com", []),
    ("Tribun Solo", []),
])
def test_structured_author_shapes(structured, expected):
    assert resolve_people([], structured, []) == (expected, [])


@pytest.mark.parametrize("args", [(None, None, None), (5, 5, 5), ([None, 3, {}], [object()], "x"),
                                  ("Penulis: Andi", None, None)])
def test_resolve_people_total(args):
    authors, editors = resolve_people(*args)
    assert isinstance(authors, list) and isinstance(editors, list)
    assert all(isinstance(n, str) and n for n in authors + editors)


def test_parse_credit_line_hands_out_fresh_lists_each_call() -> None:
    # Results are cached by line: a caller changing one Credits must not change what the next call gives.
    first = parse_credit_line("Penulis: Budi Santoso | Editor: Siti Aminah")
    first.authors.append("Orang Lain")
    first.editors.clear()
    again = parse_credit_line("Penulis: Budi Santoso | Editor: Siti Aminah")
    assert (again.authors, again.editors, again.photographers) == (["Budi Santoso"], ["Siti Aminah"], [])
