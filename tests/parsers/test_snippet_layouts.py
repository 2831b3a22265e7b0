"""Era C (both shapes), mobile, AMP and degenerate pages, from hand-written snippets built on docs/layouts.md."""

from __future__ import annotations

import pytest

from crawler.parsers import LAYOUTS, amp, desktop2023, generic, mobile, parse_article
from crawler.parsers.base import NotAnArticle

from .conftest import snippet

BANGKA = "https://bangka.tribunnews.com/2022/03/21/satu-anggota-diserang-inilah-aliansi-militer-csto"
JATENG = "https://jateng.tribunnews.com/2026/07/24/harga-cabai-naik-jelang-lebaran"


class TestEraCShapeOne:
    """``h5#penulis`` one-line credit, ``<time><strong>Tayang:</strong> <span>``, Diperbarui, "24h via"."""

    @pytest.fixture(scope="class")
    @classmethod
    def raw(cls):
        return parse_article(snippet("era_c_shape1.html"), BANGKA)

    def test_layout_and_title(self, raw) -> None:
        assert raw.layout == desktop2023.NAME
        assert raw.title == "Satu Anggota Diserang, Inilah Aliansi Militer CSTO yang Dipimpin Rusia"  # JSON-LD first
        assert raw.lede.startswith("Jika suatu negara anggota")

    def test_body_noise_removed(self, raw) -> None:
        assert raw.paragraphs == [
            "BANGKAPOS.COM-Perang antara Rusia dan Ukraina dikhawatirkan bakal menyeret negara-negara lain.",
            "Apalagi gelontoran senjata untuk Ukraina masih berdatangan dari negara-negara anggota NATO.",
            "50 persen Anggaran Ditanggung Rusia",
            "Dilansir dari intisari-online, Rusia merupakan negara dengan potensi militer terbesar.",
            "Artikel ini telah tayang di Intisari-Online.com dengan judul CSTO.",  # moved out by a normaliser
        ]

    def test_people(self, raw) -> None:
        assert raw.credit_lines == ["Penulis: Iwan Satriawan CC | Editor: Iwan Satriawan"]
        assert raw.structured_authors == ["Iwan Satriawan CC", "Iwan Satriawan"]
        assert raw.structured_editors == ["Iwan Satriawan"]
        assert raw.structured_source == "Intisari Online"
        assert raw.source_lines == ["via intisari-online"]

    def test_dates(self, raw) -> None:
        assert raw.published == [
            ("jsonld", "2022-03-21T10:15:00+07:00"),
            ("datalayer", "2022-03-21 10:15:00"),
            ("visible", "Tayang: Senin, 21 Maret 2022 10:15 WIB"),
            ("relative", "24h"),
        ]
        assert raw.modified == [
            ("jsonld", "2022-03-21T12:00:00+07:00"),
            ("visible", "Diperbarui: Senin, 21 Maret 2022 12:00 WIB"),
        ]

    def test_section_tags_image(self, raw) -> None:
        assert raw.section == "Militer dan Kepolisian"
        assert raw.tags == ["CSTO", "Rusia"]  # tagcloud3 first; "#" dropped
        assert raw.image_url == "https://asset-2.tstatic.net/bangka/foto/bank/images/tentara-rusia.jpg"  # og:image
        assert raw.image_caption == ("Tentara Rusia menyita serangkaian senjata Barat yang membantu Ukraina "
                                     "(Militari.com)")

    def test_pagination(self, raw) -> None:
        assert (raw.page, raw.page_count) == (1, 2)
        assert raw.page_urls == [BANGKA + "?page=2"]


class TestEraCShapeTwo:
    """``div#penulis`` + ``div#editor``, ``<strong>Tayang:</strong> <time datetime>``, malformed JSON-LD, page 2."""

    @pytest.fixture(scope="class")
    @classmethod
    def raw(cls):
        return parse_article(snippet("era_c_shape2.html"), JATENG + "?page=2")

    def test_malformed_jsonld_repaired(self, raw) -> None:
        # Trailing comma and a raw newline inside the headline string.
        assert raw.title == "Harga Cabai Naik Jelang Lebaran"
        assert raw.structured_authors == ["Budi Santoso"]
        assert raw.tags == ["cabai", "harga pangan", "lebaran"]  # JSON-LD keywords as a comma string
        assert raw.image_url == "https://asset-2.tstatic.net/jateng/foto/bank/images/cabai.jpg"

    def test_credits_and_dates(self, raw) -> None:
        assert raw.layout == desktop2023.NAME
        assert raw.credit_lines == ["Penulis: Budi Santoso", "Editor: Sri Rahayu"]
        assert raw.published == [
            ("jsonld", "2026-07-24T12:40:00+07:00"),
            ("visible", "Jumat, 24 Juli 2026 12:40 WIB"),
            ("visible", "2026-07-24T12:40+07:00"),
        ]

    def test_body_keeps_breaks_and_credit_paragraph(self, raw) -> None:
        assert raw.paragraphs == [
            "TRIBUNJATENG.COM, SEMARANG – Harga cabai rawit naik menjelang Lebaran.",
            "Kenaikan mencapai Rp 20.000 per kilogram.\nPedagang mengeluhkan pasokan.",
            "Penulis: Budi Santoso",
        ]
        assert raw.image_caption == "Pedagang cabai di Pasar Johar (Tribun Jateng/Budi)"

    def test_pagination_on_page_two(self, raw) -> None:
        assert (raw.page, raw.page_count, raw.is_all_pages) == (2, 3, False)
        assert raw.page_urls == [JATENG, JATENG + "?page=3"]  # ?page=all link is not a page number


def test_brand_safety_fallback_when_dom_body_empty() -> None:
    raw = parse_article(snippet("era_c_brand_safety.html"), "https://jatim.tribunnews.com/2025/11/04/x")
    assert raw.layout == desktop2023.NAME
    assert raw.paragraphs == ["Paragraf pertama dari skrip.", 'Paragraf kedua dengan "kutipan" di dalamnya.']
    assert raw.title == "Judul Dari OG - TribunJatim.com"


def test_page_all_without_pagination_is_whole_article() -> None:
    raw = parse_article(snippet("page_all.html"), "https://surabaya.tribunnews.com/2025/11/03/banjir-rob?page=all")
    assert raw.is_all_pages is True
    assert (raw.page, raw.page_count, raw.page_urls) == (1, 1, [])
    assert raw.credit_lines == ["Penulis: David Yohanes | Editor: irwan sy"]
    assert "Halaman 1/2" not in raw.paragraphs
    assert raw.paragraphs[-1] == "(das/fdl)"


def test_page_without_page_all_is_not_whole() -> None:
    raw = parse_article(snippet("page_all.html"), "https://surabaya.tribunnews.com/2025/11/03/banjir-rob")
    assert raw.is_all_pages is False


class TestMobile:
    URL = "https://m.tribunnews.com/nasional/2022/01/28/vaksin-booster-dibuka-untuk-umum"

    @pytest.fixture(scope="class")
    @classmethod
    def raw(cls):
        return parse_article(snippet("mobile_article.html"), cls.URL)

    def test_fields(self, raw) -> None:
        assert raw.layout == mobile.NAME
        assert raw.canonical_url == "https://www.tribunnews.com/nasional/2022/01/28/vaksin-booster-dibuka-untuk-umum"
        assert raw.title == "Vaksin Booster Dibuka untuk Umum"
        assert raw.paragraphs == [
            "TRIBUNNEWS.COM, JAKARTA - Pemerintah resmi membuka vaksin booster untuk umum.",
            "Laporan Wartawan Tribunnews.com, Rina Ayu",
            "Vaksinasi dilakukan di puskesmas terdekat.",
        ]
        assert raw.published == [("datalayer", "2022-01-28 17:05:11"), ("visible", "Jumat, 28 Januari 2022 17:05 WIB")]
        assert raw.credit_lines == ["Penulis: Rina Ayu", "Editor: Johnson Simanjuntak"]
        assert raw.structured_authors == ["Rina Ayu"]
        assert raw.structured_editors == ["Johnson Simanjuntak"]
        assert raw.tags == ["Vaksin Booster", "Covid-19"]
        assert raw.section == "nasional"
        assert (raw.page_count, raw.page_urls) == (2, [self.URL + "?page=2"])


class TestAmp:
    URL = "https://solo.tribunnews.com/amp/2020/10/09/protokol-kesehatan-3m"

    @pytest.fixture(scope="class")
    @classmethod
    def raw(cls):
        return parse_article(snippet("amp_article.html"), cls.URL)

    def test_fields(self, raw) -> None:
        assert raw.layout == amp.NAME
        assert raw.canonical_url == "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m"
        assert raw.title == "Protokol Kesehatan 3M adalah Vaksin Terbaik"
        assert raw.paragraphs == [
            "TRIBUNSOLO.COM, JAKARTA --Hingga kini masyarakat masih menunggu adanya vaksin Covid-19.",
            "Menurutnya, tidak ada vaksin yang lebih baik daripada protokol kesehatan.",
        ]
        assert raw.published == [("visible", "Jumat, 9 Oktober 2020 13:52 WIB"),
                                 ("visible", "2020-10-09T13:52:50+07:00")]
        assert raw.credit_lines == ["Penulis: Anggit Ratna", "Editor: Hanang Yuwono"]
        assert raw.image_url == "https://cdn-2.tstatic.net/solo/foto/bank/images/ilustrasi-masker-anak2.jpg"
        assert raw.image_caption == "Masker kini menjadi barang penting di tengah pandemi."
        assert raw.tags == ["Vaksin", "Masker"]

    def test_html_amp_attribute_also_recognised(self) -> None:
        html = snippet("amp_article.html").replace("<html ⚡", "<html amp")
        assert parse_article(html, self.URL).layout == amp.NAME


def test_every_optional_element_absent() -> None:
    # Title and body only, no date block: no era's own markers, so the generic layout reads it.
    raw = parse_article(snippet("minimal_article.html"), "https://www.tribunnews.com/nasional/2020/01/01/min")
    assert raw.layout == generic.NAME
    assert raw.title == "Judul Minimal"
    assert raw.paragraphs == ["Satu-satunya paragraf."]
    for name in ("canonical_url", "lede", "section", "image_url", "image_caption", "image_credit", "structured_source"):
        assert getattr(raw, name) is None, name
    for name in ("structured_authors", "structured_editors", "credit_lines", "source_lines", "published",
                 "modified", "tags", "page_urls"):
        assert getattr(raw, name) == [], name
    assert (raw.page, raw.page_count, raw.is_all_pages) == (1, 1, False)


@pytest.mark.parametrize("name", ["tag_page.html", "error_page.html"])
def test_listing_and_error_pages_are_not_articles(name: str) -> None:
    with pytest.raises(NotAnArticle):
        parse_article(snippet(name), "https://www.tribunnews.com/nasional/2020/01/01/x")


@pytest.mark.parametrize("html", ["", "   ", "\x00\x01\x02", "plain text", "<html></html>", "<?xml version='1.0'?><a/>",
                                  '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
                                  "<h1 id=arttitle>Only a title</h1>"])
def test_empty_and_garbage_input(html: str) -> None:
    with pytest.raises(NotAnArticle):
        parse_article(html, "https://www.tribunnews.com/nasional/2020/01/01/x")


def test_registry_contract() -> None:
    names = [layout.NAME for layout in LAYOUTS]
    assert len(names) == len(set(names))
    assert names[-1] == generic.NAME  # the fallback for pages no era claims goes last
    for layout in LAYOUTS:
        assert callable(layout.matches) and callable(layout.parse)
        assert layout.__name__.rsplit(".", 1)[-1] == layout.NAME


def test_body_noise_variants() -> None:
    body = (
        "<p>Isi pertama.</p>"
        "<table><tr><td><a href='/a'>Berita terkait satu</a></td></tr><tr><td><a href='/b'>Dua</a></td></tr></table>"
        "<ul><li><a href='/c'>Rekomendasi tautan</a></li></ul>"
        "<ul><li>Poin isi nyata yang bukan tautan</li></ul>"
        "<div class='sosmed-artikel'>Bagikan</div><div class='share'>Share</div><div class='top-banner'>Iklan</div>"
        "<iframe src='x'></iframe><noscript>nojs</noscript><style>p{}</style><ins class='adsbygoogle'>ad</ins>"
        "<p>Simak juga video berikut</p><p>Lihat juga: x</p><p>BACA JUGA: y</p><p>Halaman 2/3</p>"
        "<div class='caption'>Keterangan foto</div>"
        "<blockquote class='twitter-tweet'>tweet</blockquote>"
        "Teks lepas tanpa paragraf<br><br>baris kedua <b>tebal</b>"
        "<div class='wrap'><p>Dalam pembungkus.</p></div>"
        "<h3>Subjudul</h3>"
    )
    html = (f"<html><body><h1 id='arttitle'>T</h1><div class='grey bdr3'><time>Rabu, 1 Januari 2020 10:00</time>"
            f"</div><div class='side-article txt-article'>{body}</div></body></html>")
    raw = parse_article(html, "https://www.tribunnews.com/nasional/2020/01/01/x")
    assert raw.paragraphs == [
        "Isi pertama.",
        "Poin isi nyata yang bukan tautan",
        "Teks lepas tanpa paragraf",
        "baris kedua tebal",
        "Dalam pembungkus.",
        "Subjudul",
    ]


def test_one_line_credit_without_writer() -> None:
    html = snippet("page_all.html").replace(
        'Penulis: <b><a href="#">David Yohanes</a></b> <span>|</span>', "<span>|</span>")
    raw = parse_article(html, "https://surabaya.tribunnews.com/2025/11/03/banjir-rob")
    assert raw.credit_lines == ["Editor: irwan sy"]
