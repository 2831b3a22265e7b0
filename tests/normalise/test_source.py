"""Outlet registry, ``normalise_outlet`` and ``parse_source`` (``normalisation-cases.md`` 2.1 #2, #11-16)."""

from __future__ import annotations

import pytest

from crawler.normalise.source import _CONFLICTS, OUTLETS, fold_outlet, normalise_outlet, parse_source
from crawler.portals import PORTALS

# --- the registry ---------------------------------------------------------------------------------------

def test_registry_has_no_key_claimed_by_two_brands():
    assert _CONFLICTS == []


@pytest.mark.parametrize("portal", PORTALS, ids=lambda p: p.key)
def test_every_portal_brand_and_host_is_registered(portal):
    brand = normalise_outlet(portal.brand)
    assert brand is not None
    for host in (portal.host, *portal.aliases):
        assert normalise_outlet(host) == brand
        assert normalise_outlet(f"https://{host}/") == brand


def test_every_brand_is_its_own_key():
    for brand in set(OUTLETS.values()):
        assert OUTLETS[fold_outlet(brand)] == brand


@pytest.mark.parametrize(("raw", "key"), [
    ("https://www.Kompas.com/read/x", "kompascom"),
    ("Tribun-Timur.com", "tribuntimurcom"),
    ("  Intisari Online ", "intisarionline"),
    ("www.tribunnews.com", "tribunnewscom"),
])
def test_fold_outlet(raw, key):
    assert fold_outlet(raw) == key


# --- normalise_outlet -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("intisari-online", "Intisari Online"),
    ("Intisari-Online.com", "Intisari Online"),
    ("kompas.com", "Kompas.com"),
    ("KOMPAS.com", "Kompas.com"),
    ("https://regional.kompas.com/read/2021/05/23/140132278/x", "Kompas.com"),
    ("tribunjabar.id", "TribunJabar.id"),
    ("Tribun Jabar", "TribunJabar.id"),  # one brand per outlet
    ("jabar.tribunnews.com", "TribunJabar.id"),
    ("Tribunnews.com", "Tribunnews.com"),
    ("tribunnews", "Tribunnews.com"),
    ("TRIBUNNEWS.COM", "Tribunnews.com"),
    ("Tribun Medan", "Tribun Medan"),
    ("Tribunsumsel.com", "Tribun Sumsel"),  # the portal registry's brand
    ("TribunJakarta.com", "TribunJakarta.com"),
    ("tribunjakarta.com", "TribunJakarta.com"),
    ("tribunsolo.com", "TribunSolo.com"),
    ("Tribun Solo", "TribunSolo.com"),
    ("tribun-timur.com", "Tribun Timur"),
    ("bangkapos.com", "Bangka Pos"),
    ("Bangkapos.com", "Bangka Pos"),
    ("surya.co.id", "Surya"),
    ("Surya Malang", "Surya Malang"),
    ("serambinews.com", "Serambi Indonesia"),
    ("wartakotalive.com", "Warta Kota"),
    ("Grid.ID", "Grid.ID"),
    ("kontan.co.id", "Kontan"),
    ("ANTARA", "Antara"),
    ("antaranews.com", "Antara"),
    ("detik.com", "Detik.com"),
    ("detikcom", "Detik.com"),
    ("cnnindonesia.com", "CNN Indonesia"),
    ("Liputan6", "Liputan6.com"),
    ("suara.com", "Suara.com"),
    ("Okezone.com", "Okezone"),
    ("tempo.co", "Tempo.co"),
    ("republika.co.id", "Republika"),
    ("Sindonews.com", "Sindonews"),
    ("kumparan", "Kumparan"),
    ("BBC News Indonesia", "BBC Indonesia"),
    ("reuters", "Reuters"),
    ("afp", "AFP"),
    ("Associated Press", "AP"),
    # Cleaning around the name.
    ("Sumber: Kompas.com", "Kompas.com"),
    ("via intisari-online", "Intisari Online"),
    ('"Kompas.com".', "Kompas.com"),
    ("<a href='https://www.tribunnews.com'>Tribunnews.com</a>", "Tribunnews.com"),
    ("Kompas.com\u00a0", "Kompas.com"),
    ({"@type": "Organization", "name": "Tribunnews.com"}, "Tribunnews.com"),
    # Unknown but plausible: kept as written.
    ("Harian Jogja", "Harian Jogja"),
    ("id.rbth.com", "id.rbth.com"),
    ("https://www.example.org/berita/1", "example.org"),
    # Junk.
    ("", None),
    ("   ", None),
    ("!!!", None),
    ("12345", None),
    ("Presiden Joko Widodo mengatakan bahwa negara akan hadir dalam setiap", None),
    ("a, b", None),
    ("Artikel ini telah tayang di", None),
    ("dilansir dari Kompas", None),
    (None, None),
    (5, None),
    (["Kompas.com"], None),
])
def test_normalise_outlet(raw, expected):
    assert normalise_outlet(raw) == expected


# --- parse_source ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lines", "source", "url"), [
    (["Sumber: Tribun Medan"], "Tribun Medan", None),  # 2.1 #2
    (["Sumber: <a href='https://www.tribunnews.com' target='_blank' title='Tribunnews.com'>Tribunnews.com</a>"],
     "Tribunnews.com", None),  # P2020
    (["Sumber: Tribunnews.com"], "Tribunnews.com", None),
    (["Halaman 12 / Editor: Zainuddin / Sumber: Surya Malang"], "Surya Malang", None),
    (["Editor: Hendra Gunawan | Sumber: Kompas.com"], "Kompas.com", None),
    # 2.1 #11: unquoted title, URL after a comma.
    (["Artikel ini telah tayang di TribunJabar.id dengan judul Dunia Jurnalistik Berduka, Wartawan Senior Yusran "
      "Pare Meninggal Dunia, Dikebumikan di TPU Nagrog, https://jabar.tribunnews.com/2024/07/02/dunia-jurnalistik-"
      "berduka-wartawan-senior-yusran-pare-meninggal-dunia"],
     "TribunJabar.id",
     "https://jabar.tribunnews.com/2024/07/02/dunia-jurnalistik-berduka-wartawan-senior-yusran-pare-meninggal-dunia"),
    # 2.1 #12: anchors; the footer URL is canonicalised (http → https, Tribun host).
    (['Artikel ini telah tayang di <a href="https://sumsel.tribunnews.com">Tribunsumsel.com</a> dengan judul '
      'Gubernur Herman Deru Jawab Keluhan Netizen, <a href="http://sumsel.tribunnews.com/2019/05/03/gubernur-'
      'herman-deru">http://sumsel.tribunnews.com/2019/05/03/gubernur-herman-deru</a>'],
     "Tribun Sumsel", "https://sumsel.tribunnews.com/2019/05/03/gubernur-herman-deru"),
    # 2.1 #13: quoted title and `Klik untuk baca:`.
    (['Artikel ini telah tayang di Kompas.com dengan judul "Bongkar Paksa Makam Jenazah Covid-19, Warga Sesalkan '
      'Tidak Ada Koordinasi Saat Pemakaman", Klik untuk baca: https://regional.kompas.com/read/2021/05/23/'
      '140132278/bongkar-paksa-makam.'],
     "Kompas.com", "https://regional.kompas.com/read/2021/05/23/140132278/bongkar-paksa-makam"),
    # 2.1 #14: HTML-escaped quotes.
    (["Artikel ini telah tayang di Kompas.com dengan judul &quot;Bea Cukai akan Permudah Izin Impor Barang&quot;, "
      "https://ekonomi.kompas.com/read/2017/09/04/061600126/bea-cukai"],
     "Kompas.com", "https://ekonomi.kompas.com/read/2017/09/04/061600126/bea-cukai"),
    # 2.1 #15: &nbsp; around an anchored source name; no article URL given.
    (['Artikel ini telah tayang di&nbsp;<a href="https://www.kompas.com/">Kompas.com</a>&nbsp;dengan judul '
      '"Mendes Terbitkan Aturan"'], "Kompas.com", None),
    # Tribun footer with ?page=2 and a trailing full stop (tribun-markup.md 5).
    (["Artikel ini telah tayang di Tribunnews.com dengan judul Judul, "
      "https://www.tribunnews.com/nasional/2020/03/27/slug?page=2."],
     "Tribunnews.com", "https://www.tribunnews.com/nasional/2020/03/27/slug"),
    # Title linked instead of a bare URL.
    (['Artikel ini telah tayang di Tribunnews.com dengan judul <a href="https://m.tribunnews.com/amp/regional/'
      '7872641/mengenal-ampb">Mengenal AMPB</a>'],
     "Tribunnews.com", "https://www.tribunnews.com/regional/7872641/mengenal-ampb"),
    (["Artikel ini telah tayang di Serambinews.com"], "Serambi Indonesia", None),
    # `via`, including the seed article's header line.
    (["24h via intisari-online"], "Intisari Online", None),
    (["via Kompas.com"], "Kompas.com", None),
    (["3 jam lalu via Grid.ID"], "Grid.ID", None),
    # The first credit wins; the URL may come from a later line.
    (["Sumber: Tribun Medan", "Sumber: Kompas.com"], "Tribun Medan", None),
    (["Sumber: Tribunnews.com", "Artikel ini telah tayang di Tribunnews.com dengan judul X, "
      "https://www.tribunnews.com/nasional/2020/03/27/slug"],
     "Tribunnews.com", "https://www.tribunnews.com/nasional/2020/03/27/slug"),
    # Outlets cited inside the text are not the source (2.1 #16).
    (["… ujar Panenka seperti dilansir dari Kompas.com."], None, None),
    (["Dilansir dari Kompas.com, (13/1/2022), Wakil Direktur …"], None, None),
    (["Dilansir dari Kompas.com melalui Global Times, …"], None, None),
    (["Dilansir dari laman id.rbth.com, organisasi ini menyatukan enam negara"], None, None),
    (["seperti dikutip dari Detik.com"], None, None),
    (["Kirim via WhatsApp"], None, None),
    (["via WhatsApp"], None, None),
    # No credit.
    ([], None, None),
    (["Editor: Hendra Gunawan"], None, None),
    (None, None, None),
    (5, None, None),
    ("Sumber: Kompas.com", "Kompas.com", None),  # a single string is one line
])
def test_parse_source(lines, source, url):
    assert parse_source(lines) == (source, url)


def test_structured_source_is_only_a_fallback():
    assert parse_source([], "Tribunnews.com") == ("Tribunnews.com", None)
    assert parse_source(["Sumber: Kompas.com"], "Tribunnews.com") == ("Kompas.com", None)
    assert parse_source(["Dilansir dari Kompas.com"], "tribunnews") == ("Tribunnews.com", None)
    assert parse_source(None, {"name": "Kompas.com"}) == ("Kompas.com", None)
    assert parse_source(None, ["", None, "Grid.ID"]) == ("Grid.ID", None)
    assert parse_source(None, 42) == (None, None)


def test_source_from_url_when_footer_names_no_outlet():
    assert parse_source(["Sumber: https://regional.kompas.com/read/2021/05/23/140132278/x"]) == (
        "Kompas.com", "https://regional.kompas.com/read/2021/05/23/140132278/x")


def test_seed_article_source():
    # Seed header: `Penulis: Iwan Satriawan CC | Editor: Iwan Satriawan` then `24h via intisari-online`; the
    # body's `Dilansir dari laman id.rbth.com` and `Dilansir dari intisari-online` are citations, not credits.
    lines = ["24h via intisari-online", "Dilansir dari laman id.rbth.com, organisasi ini menyatukan enam negara"]
    assert parse_source(lines) == ("Intisari Online", None)
