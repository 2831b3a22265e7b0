"""The two real desktop article pages (P2015, P2020) and the real mobile homepage (P2022m)."""

from __future__ import annotations

import pytest

from crawler.parsers import desktop2015, desktop2017, parse_article
from crawler.parsers.base import NotAnArticle, RawArticle

from .conftest import P2015_URL, P2020_URL

NOISE_MARKERS = ("Baca", "Halaman selanjutnya", "Halaman 1/2", "googletag", "lihat foto")


@pytest.fixture(scope="module")
def p2015(p2015_html: str) -> RawArticle:
    return parse_article(p2015_html, P2015_URL)


@pytest.fixture(scope="module")
def p2020(p2020_html: str) -> RawArticle:
    return parse_article(p2020_html, P2020_URL)


class TestP2015:
    def test_layout(self, p2015: RawArticle) -> None:
        assert p2015.layout == desktop2015.NAME

    def test_title_and_lede(self, p2015: RawArticle) -> None:
        # No JSON-LD in 2015: og:title wins, site suffix still on (normalisers strip it).
        assert p2015.title == ("Kadishub DKI: Taksi Uber Tak Punya Izin Operasi, Uji KIR, Tidak Berargo dan "
                               "Bermahkota - Tribunnews.com")
        assert p2015.lede == ("Sebab, perusahaan itu tidak mempunyai syarat-syarat tertentu berupa izin jalan dan "
                              "mengangkut penumpang")

    def test_paragraphs(self, p2015: RawArticle) -> None:
        paras = p2015.paragraphs
        assert len(paras) == 8
        assert paras[0] == ("TRIBUNNEWS.COM, JAKARTA - Kepala Dinas Perhubungan DKI Jakarta, Benjamin Bukit menilai "
                            "perusahaan Uber telah mengoperasikan taksi secara ilegal.")
        assert paras[-1] == ("Aparat gabungan mengamankan lima unit kendaraan roda empat beserta sopir. Sementara, bos "
                             "perusahaan Uber di Indonesia belum ditangkap. Sejauh ini, aparat masih melakukan "
                             "pengembangan kasus ini.")
        joined = "\n".join(paras)
        for marker in NOISE_MARKERS:
            assert marker not in joined
        assert "Ahok Ancam Copot" not in joined  # the "Baca Juga" related list after the body
        assert "Taksi Uber yang terjaring razia gabungan" not in joined  # lead image caption

    def test_credits_and_people(self, p2015: RawArticle) -> None:
        assert p2015.credit_lines == ["Penulis: Glery Lazuardi", "Editor: Willy Widianto"]
        assert p2015.source_lines == []
        assert p2015.structured_authors == []
        assert p2015.structured_editors == []
        assert p2015.structured_source is None

    def test_dates(self, p2015: RawArticle) -> None:
        assert p2015.published == [("visible", "Jumat, 19 Juni 2015 12:58 WIB")]
        assert p2015.modified == []

    def test_section_tags_image(self, p2015: RawArticle) -> None:
        # Breadcrumb Tribunnews.com » Metropolitan » News: "News" is the bucket every rubric has.
        assert p2015.section == "Metropolitan"
        # The "Terkait" line of #related holds one tag link, "#Benjamin Bukit"; the meta keywords
        # ("benjamin bukit,news,metropolitan") are not the page's tags.
        assert p2015.tags == ["Benjamin Bukit"]
        assert p2015.image_url == "http://cdn-2.tstatic.net/tribunnews/foto/bank/images/taksi-uber_20150619_120430.jpg"
        assert p2015.image_caption == "Taksi Uber yang terjaring razia gabungan"
        assert p2015.image_credit == "Glery Lazuardi"  # the dark overlay at the photo's bottom right
        assert p2015.canonical_url == P2015_URL

    def test_single_page(self, p2015: RawArticle) -> None:
        assert (p2015.page, p2015.page_count, p2015.page_urls, p2015.is_all_pages) == (1, 1, [], False)


class TestP2020:
    def test_layout(self, p2020: RawArticle) -> None:
        assert p2020.layout == desktop2017.NAME

    def test_title_and_lede(self, p2020: RawArticle) -> None:
        assert p2020.title == "Protokol Kesehatan 3M adalah Vaksin Terbaik Cegah Covid-19, Simak Penjelasan Dokter"
        assert p2020.lede.startswith("Kondisi saat ini harus yang diwaspadai adalah Orang Tanpa Gejala (OTG)")

    def test_paragraphs(self, p2020: RawArticle) -> None:
        paras = p2020.paragraphs
        assert len(paras) == 10
        assert paras[0] == ("TRIBUNSOLO.COM, JAKARTA --Hingga kini masyarakat masih menunggu adanya vaksin Covid-19 "
                            "untuk mengakhiri masa pandemi.")
        assert paras[2].startswith("Ketua Tim Pedoman & Protokol")  # entity decoded, inner text kept
        assert paras[-1] == ('"Disiplin menggunakan masker, menjaga jarak, dan mencuci tangan dengan sabun ini adalah '
                             'bukan hanya menjaga keselamatan diri sendiri, namun juga keluarga dan orang disekitar," '
                             "jelasnya.")
        joined = "\n".join(paras)
        for marker in NOISE_MARKERS:
            assert marker not in joined
        assert "Pesan Nunung" not in joined  # p.baca
        assert "Infografis Harga Vaksin" not in joined  # inline figure caption
        assert "" not in paras and "\xa0" not in joined

    def test_people_trap(self, p2020: RawArticle) -> None:
        # dataLayer penulis is empty and the JSON-LD author is the editor: both kept raw for the normaliser.
        assert p2020.structured_authors == ["Hanang Yuwono"]
        assert p2020.structured_editors == ["Hanang Yuwono"]
        assert p2020.credit_lines == ["Editor: Hanang Yuwono"]
        assert p2020.source_lines == ["Sumber: Tribunnews.com"]
        assert p2020.structured_source == "Tribunnews.com"

    def test_dates(self, p2020: RawArticle) -> None:
        assert p2020.published == [
            ("jsonld", "2020-10-09T13:52:50+07:00"),
            ("datalayer", "2020-10-09 13:52:50"),
            ("visible", "Jumat, 9 Oktober 2020 13:52"),
        ]
        assert p2020.modified == [("jsonld", "2020-10-09T13:52:50+07:00")]

    def test_section_tags_image(self, p2020: RawArticle) -> None:
        assert p2020.section == "Nasional"  # breadcrumb Home › News › Nasional; the dataLayer says only "news"
        assert p2020.tags == ["Penanganan Covid-19 di Indonesia", "Eka Ginanjar", "Vaksin Covid-19"]
        assert p2020.image_url == "https://cdn-2.tstatic.net/solo/foto/bank/images/ilustrasi-masker-anak2.jpg"
        assert p2020.image_caption.startswith("Masker kini menjadi barang penting di tengah pandemi.")
        assert p2020.image_caption.endswith("tokoh idola.")
        assert p2020.image_credit == "Tribun Jateng/Hermawan Handaka"
        assert p2020.canonical_url == P2020_URL

    def test_pagination(self, p2020: RawArticle) -> None:
        assert p2020.page == 1
        assert p2020.page_count == 2
        assert p2020.page_urls == [P2020_URL + "?page=2"]
        assert p2020.is_all_pages is False

    def test_page_all_request_showing_pagination_is_not_whole(self, p2020_html: str) -> None:
        # The server ignored ?page=all and served page 1 of 2: not a whole-article view.
        raw = parse_article(p2020_html, P2020_URL + "?page=all")
        assert raw.is_all_pages is False
        assert (raw.page, raw.page_count) == (1, 2)


def test_mobile_homepage_is_not_an_article(p2022m_html: str) -> None:
    with pytest.raises(NotAnArticle):
        parse_article(p2022m_html, "https://m.tribunnews.com/")


def test_mobile_homepage_without_content_type_is_still_not_an_article(p2022m_html: str) -> None:
    # Even without the dataLayer hint, no layout finds an article body in a listing page.
    html = p2022m_html.replace("'content_type': 'homepage'", "'content_type': 'standard'")
    with pytest.raises(NotAnArticle):
        parse_article(html, "https://m.tribunnews.com/")


def test_layout_parsers_agree_with_dispatch(p2015_html: str, p2020_html: str) -> None:
    from parsel import Selector

    sel = Selector(text=p2020_html)
    assert desktop2017.matches(sel, P2020_URL)
    assert not desktop2015.matches(sel, P2020_URL)
    assert desktop2017.parse(sel, P2020_URL) == parse_article(p2020_html, P2020_URL)
    sel = Selector(text=p2015_html)
    assert desktop2015.matches(sel, P2015_URL)


def test_selector_passed_in_is_reused(p2020_html: str) -> None:
    from parsel import Selector

    raw = parse_article("", P2020_URL, selector=Selector(text=p2020_html))
    assert raw.title.startswith("Protokol Kesehatan 3M")
