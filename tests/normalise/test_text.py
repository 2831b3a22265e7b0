"""Text normalisers: whitespace/entities, titles, datelines, body, credit paragraphs, fingerprint.

Datelines and credit texts are the SEEN strings of ``normalisation-cases.md`` 2.1 and ``tribun-markup.md`` 5.
"""

from __future__ import annotations

import re

import pytest

from crawler.normalise.text import (
    body_from_paragraphs,
    clean_title,
    fingerprint,
    normalise_text,
    split_credit_paragraphs,
    split_dateline,
)

# --- normalise_text -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("  Presiden   Jokowi  ", "Presiden Jokowi"),
    ("Presiden\u00a0Jokowi", "Presiden Jokowi"),
    ("Presiden\u200bJokowi", "Presiden Jokowi"),
    ("Pre\u00adsiden\ufeff", "Presiden"),
    ("Jo\u200dko\u200cwi", "Jokowi"),
    ("a\tb\nc\r\n\nd", "a b c d"),
    ("Tom &amp; Jerry", "Tom & Jerry"),
    ("&quot;Kutipan&quot;", '"Kutipan"'),
    ("&amp;quot;ganda&amp;quot;", '"ganda"'),
    ("caf&#233;", "café"),
    ("cafe\u0301", "café"),  # NFC
    ("“Kutipan” ‘lengkung’", "“Kutipan” ‘lengkung’"),  # curly quotes kept
    ("a\x00b\x07c", "abc"),
    ("", None),
    ("   \u00a0\u200b ", None),
    (b"Bangka\xc2\xa0Pos", "Bangka Pos"),
    (None, None),
    (42, None),
    (["a"], None),
])
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


# --- clean_title ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("Satu Anggota Diserang, Inilah Aliansi Militer CSTO - Bangkapos.com",
     "Satu Anggota Diserang, Inilah Aliansi Militer CSTO"),
    ("Kadishub DKI: Taksi Uber Tak Punya Izin - Tribunnews.com", "Kadishub DKI: Taksi Uber Tak Punya Izin"),
    ("Amerika Serikat Kirim Senjata – Halaman all", "Amerika Serikat Kirim Senjata"),
    ("Protokol Kesehatan 3M - Halaman 2", "Protokol Kesehatan 3M"),
    ("Protokol Kesehatan 3M - Halaman 2 - Tribun Solo", "Protokol Kesehatan 3M"),
    ("Protokol Kesehatan 3M | Tribunnews.com", "Protokol Kesehatan 3M"),
    ("Protokol Kesehatan 3M - Tribun Solo", "Protokol Kesehatan 3M"),
    ("Protokol Kesehatan 3M - TribunSolo.com", "Protokol Kesehatan 3M"),
    ("Warga Makassar Antre - Tribun-timur.com", "Warga Makassar Antre"),
    ("Persib Menang - Tribun Jabar", "Persib Menang"),
    ("Persib Menang - TribunJabar.id", "Persib Menang"),
    ("Banjir di Palembang - Sriwijaya Post", "Banjir di Palembang"),
    ("Banjir di Medan - Tribun Medan - Halaman all", "Banjir di Medan"),
    ("Berita &amp; Fakta - Tribunnews.com", "Berita & Fakta"),
    ("“Kutipan” Presiden - Tribunnews.com", "“Kutipan” Presiden"),
    ("Harga BBM Naik - Warta Kota", "Harga BBM Naik"),
    # Real headline dashes stay.
    ("Covid-19 Melonjak - Pasien Bertambah", "Covid-19 Melonjak - Pasien Bertambah"),
    ("Jokowi - Prabowo Bertemu di Solo", "Jokowi - Prabowo Bertemu di Solo"),
    ("Kasus Korupsi - Halaman Baru Penyidikan KPK", "Kasus Korupsi - Halaman Baru Penyidikan KPK"),
    ("Tribun-Timur Raih Penghargaan", "Tribun-Timur Raih Penghargaan"),
    ("Bangkapos.com-Perang", "Bangkapos.com-Perang"),
    ("Tribunnews.com", "Tribunnews.com"),  # a title that is only the site name is kept
    ("", None),
    (None, None),
])
def test_clean_title(raw, expected):
    assert clean_title(raw) == expected


def test_clean_title_with_brand_argument():
    assert clean_title("Judul Berita : Serambi Indonesia", brand="Serambi Indonesia") == "Judul Berita"
    assert clean_title("Judul Berita - Portal Unik", brand="Portal Unik") == "Judul Berita"
    assert clean_title("Judul Berita - Portal Unik") == "Judul Berita - Portal Unik"


# --- split_dateline -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "place", "rest"), [
    ("TRIBUNNEWS.COM, JAKARTA - Presiden Joko Widodo", "JAKARTA", "Presiden Joko Widodo"),
    ("TRIBUNNEWS.COM, JAKARTA -  Presiden Joko Widodo", "JAKARTA", "Presiden Joko Widodo"),
    ("TRIBUNSOLO.COM, JAKARTA --Hingga saat ini", "JAKARTA", "Hingga saat ini"),
    ("TRIBUNNEWS.COM, JAKARTA --Penggunaan laser", "JAKARTA", "Penggunaan laser"),
    ("BANGKAPOS.COM-Perang antara Rusia dan Ukraina", None, "Perang antara Rusia dan Ukraina"),
    ("TRIBUNJAKARTA.COM, KOJA – Warga", "KOJA", "Warga"),
    ("Tribunnews.Com, jakarta - dipercaya menjabat", "JAKARTA", "dipercaya menjabat"),
    ("TRIBUN-TIMUR.COM, MAKASSAR - Wali Kota", "MAKASSAR", "Wali Kota"),
    ("TRIBUN-TIMUR.COM, MAKASSAR - ", "MAKASSAR", None),
    ("SURYAMALANG.COM, MALANG - Polisi", "MALANG", "Polisi"),
    ("TRIBUNJATENG.COM, SURABAYA – Warga", "SURABAYA", "Warga"),
    ("TRIBUNNEWS.COM, MEDAN - Panitia", "MEDAN", "Panitia"),
    ("JAKARTA, TRIBUN - Pemerintah", "JAKARTA", "Pemerintah"),
    ("TRIBUNNEWS.COM – Amerika Serikat (AS) mengirim", None, "Amerika Serikat (AS) mengirim"),
    ("TRIBUNNEWS.com – Baru-baru ini", None, "Baru-baru ini"),
    ("TRIBUNNEWS.COM, BANDAR LAMPUNG - Gubernur", "BANDAR LAMPUNG", "Gubernur"),
    ("Liputan6.com, Jakarta: Keinginan", "JAKARTA", "Keinginan"),
    ("SURYA.co.id, SURABAYA - Polisi", "SURABAYA", "Polisi"),
])
def test_split_dateline(raw, place, rest):
    assert split_dateline(raw) == (place, rest)


@pytest.mark.parametrize("raw", [
    "Presiden Joko Widodo - yang hadir di Solo - menyatakan",
    "KPK menetapkan tiga tersangka - kata juru bicara",
    "Jakarta, Tribun - kata dia",  # print form needs an upper-case place
    "Kompas.com dan Tribunnews.com - dua media",
    "Menurut Tribunnews.com, Jakarta adalah kota",
    "Covid-19 melonjak",
    "JAKARTA—Polisi",  # a bare city without an outlet is not treated as a dateline
    "",
])
def test_paragraph_without_dateline_is_unchanged(raw):
    assert split_dateline(raw) == (None, raw)


def test_split_dateline_odd_input():
    assert split_dateline(None) == (None, None)
    assert split_dateline(12) == (None, None)


def test_doubled_dateline_is_removed_entirely():
    assert split_dateline("TRIBUNNEWS.COM - TRIBUNNEWS.COM, JAKARTA - Isi") == ("JAKARTA", "Isi")


# --- body_from_paragraphs -------------------------------------------------------------------------------

@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["Satu.", "Dua."], "Satu.\n\nDua."),
    (["Satu.", "Satu.", "Dua.", "Satu."], "Satu.\n\nDua.\n\nSatu."),  # only consecutive duplicates go
    (["  Satu\u00a0 dua ", "", "\u200b", None, "Tiga"], "Satu dua\n\nTiga"),
    (["Tom &amp; Jerry"], "Tom & Jerry"),
    ([], ""),
    (None, ""),
    (5, ""),
    ("Satu.\n\nDua.\n\n\nDua.", "Satu.\n\nDua."),
])
def test_body_from_paragraphs(paragraphs, expected):
    assert body_from_paragraphs(paragraphs) == expected


# --- split_credit_paragraphs ----------------------------------------------------------------------------

def test_reporter_line_glued_to_dateline():
    body, credits, sources = split_credit_paragraphs([
        "Laporan wartawan Tribunnews.com, Fahdi Fahlevi TRIBUNNEWS.COM, JAKARTA - Ketua Umum partai hadir.",
        "Paragraf kedua.",
    ])
    assert credits == ["Laporan wartawan Tribunnews.com, Fahdi Fahlevi"]
    assert body == ["TRIBUNNEWS.COM, JAKARTA - Ketua Umum partai hadir.", "Paragraf kedua."]
    assert sources == []


@pytest.mark.parametrize("line", [
    "Laporan Wartawan TribunJakarta.com, Gerald Leonardo Agustino",
    "Laporan Wartawan Tribun Medan, Jefri Susetio",
    "Laporan Wartawan Tribun Medan Jefri Susetio",
    "Laporan Wartawan Tribun Medan / Jefri Susetio",
    "Laporan Reporter Tribunnews.com Fahdi Fahlevi",
])
def test_leading_reporter_paragraph_moves_out(line):
    body, credits, _ = split_credit_paragraphs([line, "TRIBUNJAKARTA.COM, KOJA – Warga berkumpul."])
    assert credits == [line]
    assert body == ["TRIBUNJAKARTA.COM, KOJA – Warga berkumpul."]


def test_trailing_credits_sources_and_codes():
    body, credits, sources = split_credit_paragraphs([
        "TRIBUNNEWS.COM, MEDAN - Panitia ngunduh mantu.",
        "Kalimat terakhir. (das/fdl)",
        "Penulis: Glery Lazuardi",
        "Editor: Hendra Gunawan",
        "Sumber: Tribun Medan",
    ])
    assert body == ["TRIBUNNEWS.COM, MEDAN - Panitia ngunduh mantu.", "Kalimat terakhir."]
    assert credits == ["Penulis: Glery Lazuardi", "Editor: Hendra Gunawan"]
    assert sources == ["Sumber: Tribun Medan"]


def test_syndication_footer_with_kompas_style_credits():
    footer = ("Artikel ini telah tayang di Tribunnews.com dengan judul Judul Berita, "
              "https://www.tribunnews.com/nasional/2020/03/27/slug?page=2.\nPenulis: Andi Editor: Budi")
    body, credits, sources = split_credit_paragraphs(["Isi berita.", footer])
    assert body == ["Isi berita."]
    assert sources == ["Artikel ini telah tayang di Tribunnews.com dengan judul Judul Berita, "
                       "https://www.tribunnews.com/nasional/2020/03/27/slug?page=2."]
    assert credits == ["Penulis: Andi Editor: Budi"]


def test_footer_glued_to_last_body_paragraph():
    body, _, sources = split_credit_paragraphs([
        "Isi berita, katanya. Artikel ini telah tayang di Kompas.com dengan judul \"X\", https://kompas.com/a",
    ])
    assert body == ["Isi berita, katanya."]
    assert sources == ['Artikel ini telah tayang di Kompas.com dengan judul "X", https://kompas.com/a']


@pytest.mark.parametrize(("last", "expected"), [
    ("… katanya. [dni]", "… katanya."),
    ("… menabrak pembatas jalan. (*)", "… menabrak pembatas jalan."),
    ("… ujarnya. (DON)", "… ujarnya."),
    ("… ujarnya. (das/fdl)", "… ujarnya."),
    ("… ujarnya (das/fdl)", "… ujarnya"),
    ("… ujarnya. (das/fdl) [dni]", "… ujarnya."),
    ("Kerja sama dengan Amerika Serikat (AS)", "Kerja sama dengan Amerika Serikat (AS)"),  # not a code
    ("Harga naik 5 persen (yoy)", "Harga naik 5 persen (yoy)"),
])
def test_trailing_initials_codes(last, expected):
    body, _, _ = split_credit_paragraphs(["Pertama.", last])
    assert body == ["Pertama.", expected]


def test_code_only_paragraph_dropped_and_credit_behind_it_moved():
    body, credits, _ = split_credit_paragraphs(["Isi.", "Editor: Budi", "(*)"])
    assert body == ["Isi."]
    assert credits == ["Editor: Budi"]


def test_rendered_page_credit_block_goes_to_both_lists():
    line = "Halaman 12 / Editor: Zainuddin / Sumber: Surya Malang"
    body, credits, sources = split_credit_paragraphs(["Isi.", line])
    assert (body, credits, sources) == (["Isi."], [line], [line])


def test_via_line_is_a_source_line():
    body, _, sources = split_credit_paragraphs(["Isi.", "24h via intisari-online"])
    assert body == ["Isi."]
    assert sources == ["24h via intisari-online"]


def test_long_paragraph_starting_like_reporter_line_stays_body():
    text = "Laporan wartawan " + "sangat panjang tentang kejadian di lapangan " * 5
    body, credits, _ = split_credit_paragraphs([text])
    assert credits == []
    assert body == [normalise_text(text)]


def test_body_without_credits_is_unchanged():
    paragraphs = ["TRIBUNNEWS.COM, JAKARTA - Presiden hadir.", "Dilansir dari Kompas.com, Presiden berkata."]
    assert split_credit_paragraphs(paragraphs) == (paragraphs, [], [])


@pytest.mark.parametrize("value", [None, [], 3, [None, 5, ""], "Satu paragraf."])
def test_split_credit_paragraphs_total(value):
    body, credits, sources = split_credit_paragraphs(value)
    assert all(isinstance(p, str) and p for p in body + credits + sources)


# --- fingerprint ----------------------------------------------------------------------------------------

def test_fingerprint_shape_and_insensitivity():
    a = fingerprint("Presiden Jokowi hadir.\n\nIa berkata: “Siap!”")
    assert re.fullmatch(r"[0-9a-f]{32}", a)
    assert fingerprint("presiden  jokowi HADIR ia berkata siap") == a
    assert fingerprint("Presiden\u00a0Jokowi hadir; ia berkata — siap") == a
    assert fingerprint("Presiden Jokowi hadir. Ia berkata: siap?") == a


def test_fingerprint_changes_with_words():
    assert fingerprint("Presiden Jokowi hadir") != fingerprint("Presiden Prabowo hadir")
    assert fingerprint("12 orang") != fingerprint("13 orang")


def test_fingerprint_total():
    assert fingerprint(None) == fingerprint("") == fingerprint("   ")
    assert re.fullmatch(r"[0-9a-f]{32}", fingerprint(object()))
