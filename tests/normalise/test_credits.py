"""One credit vocabulary (``crawler.normalise.credits``): every label of the table means the same thing to the
people parser, the body cleaner and the source normaliser."""

from __future__ import annotations

import pytest

from crawler.normalise import credits
from crawler.normalise.people import parse_credit_line, resolve_people
from crawler.normalise.source import parse_source
from crawler.normalise.text import split_credit_paragraphs, split_dateline

BODY = "Pemerintah kota mengumumkan jadwal baru angkutan umum mulai pekan depan."
NAME = "Budi Santoso"
PERSON_ROLES = (credits.AUTHOR, credits.EDITOR, credits.PHOTO)


def _roles(found) -> set[str]:
    return ({credits.AUTHOR} if NAME in found.authors else set()) | \
        ({credits.EDITOR} if NAME in found.editors else set()) | \
        ({credits.PHOTO} if NAME in found.photographers else set())


@pytest.mark.parametrize("label", list(credits.LABELS))
def test_every_label_gives_its_roles_and_leaves_the_body(label: str):
    """`<label>: Budi Santoso` credits Budi Santoso in exactly the roles the table lists, and the line is moved
    out of the body: after the text always, before it when it credits people (a `Sumber:` line only closes an
    article)."""
    roles = set(credits.LABELS[label]) & set(PERSON_ROLES)
    line = f"{label}: {NAME}"
    assert _roles(parse_credit_line(line)) == roles
    places = ([line, BODY], [BODY, line]) if credits.LABELS[label] != (credits.SOURCE,) else ([BODY, line],)
    for paragraphs in places:
        body, credit_lines, source_lines = split_credit_paragraphs(paragraphs)
        assert body == [BODY]
        assert line in credit_lines + source_lines


@pytest.mark.parametrize("label", [label for label, roles in credits.LABELS.items() if credits.SOURCE in roles])
def test_source_labels_name_the_source(label: str):
    assert parse_source([f"{label}: Kompas.com"]) == ("Kompas.com", None)
    # A source line after an editor line is read by both parsers from one paragraph.
    assert parse_source([f"Editor: {NAME} | {label}: Tribun Medan"]) == ("Tribun Medan", None)


@pytest.mark.parametrize(("line", "authors", "editors", "photographers"), [
    # The compound labels: one person, two roles.
    ("Penulis/Editor: Budi Santoso", [NAME], [NAME], []),
    ("Penulis & Editor: Budi Santoso", [NAME], [NAME], []),
    ("Penulis / Editor : Budi Santoso", [NAME], [NAME], []),
    ("penulis dan editor: budi santoso", [NAME], [NAME], []),
    ("Reporter/Editor: Budi Santoso | Foto: Andi Wijaya", [NAME], [NAME], ["Andi Wijaya"]),
    # A compound label glued to the previous name, as in the run-together Kompas-style block.
    ("Penulis: Rina AyuPenulis/Editor: Budi Santoso", ["Rina Ayu", NAME], [NAME], []),
    # The single labels keep their one role.
    ("Penulis: Budi Santoso | Editor: Rina Ayu", [NAME], ["Rina Ayu"], []),
    ("Pewarta Foto: Budi Santoso", [], [], [NAME]),
    ("Video Editor: Budi Santoso | Editor: Rina Ayu", [], ["Rina Ayu"], []),
    # A reporter line names the desk before the reporter; a known outlet there is dropped even without a
    # comma, including a one-word brand that is also a personal name (Surya, the Surabaya daily).
    ("Laporan Reporter Bangka Pos Riki Pratama", ["Riki Pratama"], [], []),
    ("Laporan Wartawan Surya Ahmad Zaimul", ["Ahmad Zaimul"], [], []),
    ("Laporan Reporter SURYA Budi Santoso", [NAME], [], []),
    ("Laporan Reporter TribunSolo.com Adi Surya", ["Adi Surya"], [], []),
    ("Laporan Wartawan Sriwijaya Post Budi Santoso", [NAME], [], []),
    # After a separator the desk is already behind: the name that follows is kept whole.
    ("Laporan Wartawan Tribun Medan, Surya Adi", ["Surya Adi"], [], []),
    ("Laporan Wartawan, Surya Adi", ["Surya Adi"], [], []),
])
def test_credit_lines(line: str, authors: list[str], editors: list[str], photographers: list[str]):
    found = parse_credit_line(line)
    assert (found.authors, found.editors, found.photographers) == (authors, editors, photographers)


def test_compound_credit_from_the_body_reaches_both_fields():
    """What the article flow does with a page whose only credit is a compound line at the end of the body."""
    body, credit_lines, _ = split_credit_paragraphs([BODY, "Penulis/Editor: Budi Santoso"])
    assert body == [BODY]
    assert resolve_people(credit_lines, [], []) == ([NAME], [NAME])


@pytest.mark.parametrize(("paragraph", "place", "rest"), [
    # `<strong>TRIBUNNEWS.COM, JAKARTA</strong> Presiden …`: the bold tag closed the dateline, no dash.
    ("TRIBUNNEWS.COM, JAKARTA Presiden Joko Widodo meresmikan", "JAKARTA", "Presiden Joko Widodo meresmikan"),
    ("TRIBUNSOLO.COM, JAKARTA PUSAT “Kami siap,” kata Budi.", "JAKARTA PUSAT", "“Kami siap,” kata Budi."),
    # The bold dateline as a paragraph of its own.
    ("TRIBUNNEWS.COM, MEDAN", "MEDAN", None),
    # Where capitals run on past the place nothing says where it ends: the paragraph is left whole.
    ("TRIBUNNEWS.COM, JAKARTA PKS menilai rencana itu", None, "TRIBUNNEWS.COM, JAKARTA PKS menilai rencana itu"),
    # Not a dateline at all: a sentence that mentions an outlet.
    ("Tribunnews.com, Jakarta Presiden", None, "Tribunnews.com, Jakarta Presiden"),
])
def test_dateline_closed_by_the_bold_tag(paragraph: str, place: str | None, rest: str | None):
    assert split_dateline(paragraph) == (place, rest)
    if rest is not None:
        assert split_dateline(rest) == (None, rest)  # idempotent


def test_a_bold_dateline_glued_behind_a_reporter_line_is_split_off_both():
    """`<p>Laporan wartawan …, Fahdi Fahlevi <strong>TRIBUNNEWS.COM, JAKARTA</strong> Ketua …</p>`: one paragraph
    holding the reporter line, then the dateline without a dash, then the text."""
    text = ("Ketua Umum partai itu menyatakan koalisi akan tetap solid menghadapi pemilihan umum tahun depan di "
            "seluruh wilayah.")
    glued = f"Laporan wartawan Tribunnews.com, Fahdi Fahlevi TRIBUNNEWS.COM, JAKARTA {text}"
    body, credit_lines, _ = split_credit_paragraphs([glued, BODY])
    assert credit_lines == ["Laporan wartawan Tribunnews.com, Fahdi Fahlevi"]
    assert split_dateline(body[0]) == ("JAKARTA", text)
    assert resolve_people(credit_lines, [], []) == (["Fahdi Fahlevi"], [])


def test_line_starts_cover_every_label():
    for label in (*credits.LABELS, *credits.REPORTER_LABELS):
        assert label.startswith(credits.LINE_STARTS), label
