"""Build the offline mirror of the Tribun network used by the README demo and the end-to-end tests.

    python -m tools.build_mirror [--out mirror] [--expected tests/fixtures/mirror_expected.json]
    python -m tools.build_mirror --out /tmp/bench-mirror --n 5000 --seed 7 --expected /tmp/bench-expected.json

The mirror is laid out as ``wget --mirror`` writes it: ``<out>/<host>/<path>``, ``index.html`` for a path
ending in ``/``, the query string kept verbatim in the file name (``slug?page=all``,
``index-news?date=2024-5-14&page=2``). ``crawler.downloaders.mirror`` serves it; a missing file is a 404.

What is in it:

* the three real pages of ``../shared/corpus/real/`` copied byte-for-byte (checked against their SHA-256):
  P2015 at its real www URL (plus an identical ``?page=all``), P2020 at its real solo URL, and the real
  mobile homepage at ``m.tribunnews.com/index.html``;
* one SYNTHETIC page derived from a real one: P2020's ``?page=2`` is the real page 1 with its body and
  pagination replaced (text: ``P2020-PAGE2`` in ``tools/mirror_content/solo.txt``); P2020 has no
  ``?page=all`` file, so a crawler must walk its pages;
* generated article pages for every layout era of ``docs/layouts.md`` (text in ``tools/mirror_content/``,
  all invented except the Bangka Pos seed article ``K0``, whose page-2 continuation after "Dilansir dari
  intisari-online, Rusia merupakan negara ..." is SYNTHETIC and marked in ``bangka.txt``);
* www in the shape reported live in July 2026 (``../shared/reference/tribun-markup.md`` section 7): 2026 article pages
  (``shape: 2026``) at numeric-id URLs ``/{section}/{id}/{slug}`` and one at a dated URL, with a JSON-LD
  ``@graph`` (author array, ``editor``, ``isAccessibleForFree``, Home › section › sub-section breadcrumb), a
  "Ringkasan Berita" recap opening the body and a "Sesuai Minatmu" widget right after it. One is premium
  (``isAccessibleForFree: false``: teaser paragraphs, then a subscribe box inside the body); one has two pages
  and a ``?page=all`` that returns the whole article (the makassar era-C article already covers a server
  that ignores ``?page=all``);
* per portal ``robots.txt``, ``sitemap.xml``, ``/rss`` and dated ``index-news`` listings, which also carry
  non-article and off-network URLs and one article URL whose page is missing (404). On www: the 2026
  robots.txt (listings, tags and topics disallowed, search bots allowed, one ``Sitemap:``), a sitemap index
  of per-section ``sitemap-news.xml``, ``sitemap-web.xml`` and ``sitemap-images.xml`` (every www article is
  in a -news file), an ``/rss`` whose every link is the home page, and the undated ``/index-news?page=N``
  (20 items a page, pages 11+ repeat page 10), filled with stories the mirror does not hold (404).

Everything is deterministic: no clock, no unseeded randomness. :func:`generate` returns the expectation
document (``tests/fixtures/mirror_expected.json``) that describes exactly what a crawl of the mirror must
produce. With ``n_articles`` it instead writes N recombined articles (for benchmarks) and their discovery
documents. The page templates are the ``render_<layout>(article, page)`` functions.
"""

# The page templates below reproduce real Tribun markup, whose lines are long and whose inline scripts mix tabs
# and spaces (copied from the real P2020 dataLayer); wrapping them would change the pages. Hence, file-wide:
# ruff: noqa: E501, E101

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import shutil
import sys
import zlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CONTENT_DIR = HERE / "mirror_content"
REAL_DIR = REPO.parent / "shared" / "corpus" / "real"
DEFAULT_OUT = REPO / "mirror"
DEFAULT_EXPECTED = REPO / "tests" / "fixtures" / "mirror_expected.json"

# Items per index-news page. The live site shows about 20 [CLAIM]; the committed mirror uses a small page so
# that one bangka day (2024-05-14) spans two listing pages without inventing dozens of extra stories.
LISTING_PAGE_SIZE = 6
# The mirror is a snapshot taken before this moment; no page in it may be dated later.
GENERATED_AT = datetime(2026, 12, 1, tzinfo=timezone(timedelta(hours=7)))
BENCH_LISTING_PAGE_SIZE = 20

LAYOUTS = ("desktop2015", "desktop2017", "desktop2023", "mobile", "amp")


# ----------------------------------------------------------------------------------------------------------
# Portals


@dataclass(frozen=True)
class Site:
    key: str
    host: str
    brand: str          # og:site_name / news:name / Sumber brand
    title_suffix: str   # "<title>Headline - suffix</title>"
    img: str            # image folder on tstatic.net
    offset: int         # hours east of UTC
    zone: str           # WIB / WITA
    ad_unit: str
    logo: str
    home_label: str     # brand spelled as the network menu spells it

    @property
    def base(self) -> str:
        return f"https://{self.host}"

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(hours=self.offset))

    @property
    def index_news(self) -> str:
        return f"{self.base}/index-news/all" if self.key == "tribunnews" else f"{self.base}/index-news"


SITES: dict[str, Site] = {
    "tribunnews": Site("tribunnews", "www.tribunnews.com", "Tribunnews.com", "Tribunnews.com", "tribunnews", 7,
                       "WIB", "/56646742/Tribunnews", "tribunnews", "Tribunnews.com"),
    "bangka": Site("bangka", "bangka.tribunnews.com", "Bangka Pos", "Bangkapos.com", "bangka", 7, "WIB",
                   "/31800665/BangkaPos", "bangkapos", "Bangka Pos"),
    "solo": Site("solo", "solo.tribunnews.com", "TribunSolo.com", "Tribun Solo", "solo", 7, "WIB",
                 "/31800665/TribunSolo", "tribunsolo", "TribunSolo.com"),
    "makassar": Site("makassar", "makassar.tribunnews.com", "Tribun Timur", "Tribun-timur.com", "makassar", 8,
                     "WITA", "/31800665/TribunTimur", "tribuntimur", "Tribun Timur"),
    "jakarta": Site("jakarta", "jakarta.tribunnews.com", "TribunJakarta.com", "TribunJakarta.com", "jakarta", 7,
                    "WIB", "/31800665/TribunJakarta", "tribunjakarta", "TribunJakarta.com"),
}
MOBILE_HOST = "m.tribunnews.com"

# Brand -> home page, for "Sumber:" links and the syndication footer.
BRAND_HOME = {
    "Tribunnews.com": "https://www.tribunnews.com", "Bangka Pos": "https://bangka.tribunnews.com",
    "TribunSolo.com": "https://solo.tribunnews.com", "Tribun Timur": "https://makassar.tribunnews.com",
    "Tribun-Timur.com": "https://makassar.tribunnews.com", "TribunJakarta.com": "https://jakarta.tribunnews.com",
    "Tribun Medan": "https://medan.tribunnews.com", "intisari-online": "https://intisari.grid.id",
}

# The network menu and footer (hostnames and brands of the real P2020 footer).
NETWORK = [
    ("aceh", "Serambi Indonesia"), ("ambon", "Tribun Ambon"), ("babel", "BabelNews"), ("bali", "Tribun Bali"),
    ("bangka", "Bangka Pos"), ("banjarmasin", "Banjarmasin Post"), ("banten", "Tribun Banten"),
    ("banyumas", "Tribun Banyumas"), ("batam", "Tribun Batam"), ("belitung", "Pos Belitung"),
    ("bogor", "TribunnewsBogor.com"), ("cirebon", "Tribun Cirebon"), ("jabar", "Tribun Jabar"),
    ("jakarta", "TribunJakarta.com"), ("jambi", "Tribun Jambi"), ("jateng", "Tribun Jateng"),
    ("jatim", "TribunJatim.com"), ("jogja", "Tribun Jogja"), ("kaltara", "Tribun Kaltara"),
    ("kaltim", "Tribun Kaltim"), ("kupang", "Pos Kupang"), ("lampung", "Tribun Lampung"),
    ("lombok", "Tribun Lombok"), ("madura", "TribunMadura.com"), ("makassar", "Tribun Timur"),
    ("manado", "Tribun Manado"), ("mataram", "Tribun Mataram"), ("medan", "Tribun Medan"),
    ("padang", "Tribun Padang"), ("palembang", "Sriwijaya Post"), ("palu", "Tribun Palu"),
    ("pantura", "Tribun Pantura"), ("papua", "Tribun Papua"), ("pekanbaru", "Tribun Pekanbaru"),
    ("pontianak", "Tribun Pontianak"), ("solo", "TribunSolo.com"), ("sumsel", "Tribun Sumsel"),
    ("surabaya", "Surya"), ("suryamalang", "Surya Malang"), ("ternate", "Tribun Ternate"),
    ("wartakota", "Warta Kota"),
]
WWW_SECTIONS = ["News", "Nasional", "Regional", "Internasional", "Metropolitan", "Bisnis", "Superball", "Sport",
                "Seleb", "Lifestyle", "Kesehatan", "Otomotif", "Techno", "Travel", "Video"]
REGIONAL_SECTIONS = ["News", "Regional", "Nasional", "Bisnis", "Sport", "Seleb", "Lifestyle", "Kesehatan",
                     "Otomotif", "Video", "Topik"]

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


# ----------------------------------------------------------------------------------------------------------
# Real pages (byte-for-byte copies) and what a crawl must make of them


REAL_PAGES = {
    "P2015": ("www.tribunnews.com_2015-06-19_kadishub-dki-taksi-uber.html",
              "28aa593849edff239fa7e73f5bf18c987704b6975014e6cb53f0740c260ffa24"),
    "P2020": ("solo.tribunnews.com_2020-10-09_protokol-kesehatan-3m.html",
              "d85539fb5f3daa1644a137dd6b44215d8da16909d53ad11cc27e93f89c035da3"),
    "P2022m": ("m.tribunnews.com_homepage_2022-01-28.html",
               "9cd468189d4c5efbd5239d71b507dd104ba7d8c6809302487ae48323fa1891f3"),
}
P2015_URL = ("https://www.tribunnews.com/metropolitan/2015/06/19/"
             "kadishub-dki-taksi-uber-tak-punya-izin-operasi-uji-kir-tidak-berargo-dan-bermahkota")
P2020_URL = ("https://solo.tribunnews.com/2020/10/09/"
             "protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-penjelasan-dokter")

# Facts read off the real pages by hand (checked by the e2e tests through the parsers). For P2020 the
# paragraph count, first and last words cover page 1 (real) plus page 2 (synthetic, P2020-PAGE2).
REAL_ARTICLES: dict[str, dict[str, Any]] = {
    "P2015": {
        "key": "P2015", "portal": "tribunnews", "layout": "desktop2015", "url": P2015_URL, "section": "metropolitan",
        "title": "Kadishub DKI: Taksi Uber Tak Punya Izin Operasi, Uji KIR, Tidak Berargo dan Bermahkota",
        "lede": ("Sebab, perusahaan itu tidak mempunyai syarat-syarat tertentu berupa izin jalan dan mengangkut "
                 "penumpang"),
        "published": "2015-06-19T12:58:00+07:00", "n_pages": 1,
        "authors": ["Glery Lazuardi"], "editors": ["Willy Widianto"], "source": None, "city": "JAKARTA",
        "paragraphs": 8, "first_words": "Kepala Dinas Perhubungan DKI Jakarta, Benjamin Bukit menilai",
        "last_words": "Sejauh ini, aparat masih melakukan pengembangan kasus ini.",
        "image_url": "http://cdn-2.tstatic.net/tribunnews/foto/bank/images/taksi-uber_20150619_120430.jpg",
        "tags": ["Benjamin Bukit"], "listed": ["sitemap"],
    },
    "P2020": {
        "key": "P2020", "portal": "solo", "layout": "desktop2017", "url": P2020_URL, "section": None,
        "title": "Protokol Kesehatan 3M adalah Vaksin Terbaik Cegah Covid-19, Simak Penjelasan Dokter",
        "lede": "Kondisi saat ini harus yang diwaspadai adalah Orang Tanpa Gejala (OTG) yang merasa sehat dan terus "
                "beraktifitas dengan mengabaikan protokol kesehatan.",
        "published": "2020-10-09T13:52:50+07:00", "n_pages": 2,
        "authors": [], "editors": ["Hanang Yuwono"], "source": "Tribunnews.com", "city": "JAKARTA",
        "first_words": "Hingga kini masyarakat masih menunggu adanya vaksin Covid-19",
        "page1_paragraphs": 10,
        "image_url": "https://cdn-2.tstatic.net/solo/foto/bank/images/ilustrasi-masker-anak2.jpg",
        "tags": ["Penanganan Covid-19 di Indonesia", "Eka Ginanjar", "Vaksin Covid-19"],
        "listed": ["sitemap", "rss"],
    },
}


def read_real(real_dir: Path, key: str) -> bytes:
    name, sha = REAL_PAGES[key]
    data = (real_dir / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        raise SystemExit(f"{real_dir / name}: SHA-256 differs from SOURCES.md; refusing to copy an edited page")
    return data


# ----------------------------------------------------------------------------------------------------------
# Content files


_MARKER = re.compile(r"^\[(\w[\w-]*)\]\s*(.*)$")


def load_content(content_dir: Path = CONTENT_DIR) -> dict[str, dict[str, Any]]:
    """Parse ``tools/mirror_content/*.txt`` (format in its README) into raw article dicts keyed by KEY."""
    articles: dict[str, dict[str, Any]] = {}
    for path in sorted(content_dir.glob("*.txt")):
        current: dict[str, Any] | None = None
        in_body = False
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("#"):
                continue
            if line.startswith("=== "):
                key = line[4:].strip()
                if key in articles:
                    raise ValueError(f"{path}:{lineno}: duplicate article key {key}")
                current = {"key": key, "body": []}
                articles[key] = current
                in_body = False
                continue
            if current is None or not line.strip():
                continue
            if line.strip() == "---":
                in_body = True
                continue
            if in_body:
                m = _MARKER.match(line.strip())
                if m:
                    current["body"].append((m.group(1), m.group(2).strip()))
                else:
                    current["body"].append(("p", line.strip()))
            else:
                name, sep, value = line.partition(":")
                if not sep:
                    raise ValueError(f"{path}:{lineno}: expected 'name: value'")
                current[name.strip()] = value.strip()
    return articles


def _split(value: str | None, sep: str = ",") -> list[str]:
    return [v.strip() for v in (value or "").split(sep) if v.strip()]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def html_text(fragment: str) -> str:
    """Visible text of an inline HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def fix_amp(fragment: str) -> str:
    """Escape bare ``&`` in content text so the HTML stays valid."""
    return re.sub(r"&(?!#?\w+;)", "&amp;", fragment)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def js_str(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def prepare(raw: dict[str, Any], index: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Turn a raw article (content file entry or bench recombination) into the dict the renderers use."""
    if raw.get("_prepared"):
        return raw
    a = dict(raw)
    site = SITES[a["portal"]]
    a["site"] = site
    dt = datetime.fromisoformat(a["published"])
    if a["layout"] == "desktop2015":  # era A shows minutes only and has no structured date
        dt = dt.replace(second=0)
    a["dt"] = dt
    a["mdt"] = datetime.fromisoformat(a["modified"]) if a.get("modified") else None
    y, m, d = f"{dt:%Y}", f"{dt:%m}", f"{dt:%d}"
    section = a.get("section") or None
    a["section"] = section
    if a.get("numeric_id"):  # the 2025+ www shape: /{section}/{id}/{slug}, no date in the URL
        path = f"/{section}/{a['numeric_id']}/{a['slug']}"
    elif site.key == "tribunnews":
        path = f"/{section}/{y}/{m}/{d}/{a['slug']}"
    else:
        path = f"/{y}/{m}/{d}/{a['slug']}"
    a["path"] = path
    a["url"] = site.base + path
    a["amp_url"] = (f"{site.base}/amp{path}" if "amp" in _split(a.get("variants")) else None)
    a["mobile_url"] = (f"https://{MOBILE_HOST}{path}" if "mobile" in _split(a.get("variants")) else None)
    body = a["body"]
    if a.get("body_from") and index is not None:
        body = index[a["body_from"]]["body"]
    pages: list[list[tuple[str, str]]] = [[]]
    tails: list[str] = []
    for kind, value in body:
        if kind == "page":
            pages.append([])
        elif kind == "tail":
            tails.append(value)
        else:
            pages[-1].append((kind, value))
    a["pages"] = pages
    a["n_pages"] = len(pages)
    a["tails"] = tails
    penulis = a.get("penulis", "")
    a["penulis"] = penulis
    a["authors_exp"] = _split(a.get("authors"), ";") or ([penulis] if penulis else [])
    a["editors_exp"] = _split(a.get("editors"), ";") or _split(a.get("editor"), ";")
    a["tags_list"] = _split(a.get("tags"))
    a["listed_list"] = _split(a.get("listed"))
    a.setdefault("page_all", "whole")
    a.setdefault("source", "")
    a["source"] = a["source"] or None
    a.setdefault("source_style", "sumber" if a["source"] and not a.get("footer") else "none")
    if a.get("footer"):
        a["source_style"] = "footer"
    a["rubric"] = a.get("rubric") or (section or "News").title()
    a["id"] = a.get("numeric_id") or str(zlib.crc32(a["url"].encode()) % 9_000_000 + 1_000_000)
    a["summary_points"] = _split(a.get("summary"), "|")
    a["premium"] = a.get("premium") == "yes"
    a["_prepared"] = True
    return a


def resolve_refs(articles: list[dict[str, Any]]) -> None:
    """Turn ``[baca] KEY`` markers into (title, url) pairs."""
    by_key = {a["key"]: a for a in articles}
    for a in articles:
        for page in a["pages"]:
            for i, (kind, value) in enumerate(page):
                if kind in ("baca", "bacajuga") and isinstance(value, str):
                    target = by_key[value]
                    page[i] = (kind, (target["title"], target["url"]))


def body_paragraphs(a: dict[str, Any]) -> list[str]:
    """Plain text of the paragraphs a crawl must keep: text and sub-heading lines, all pages in order."""
    return [html_text(v) for page in a["pages"] for k, v in page if k in ("p", "sub")]


# ----------------------------------------------------------------------------------------------------------
# Formatting helpers


def visible_date(dt: datetime, zone: str | None) -> str:
    text = f"{DAYS[dt.weekday()]}, {dt.day} {MONTHS[dt.month - 1]} {dt.year} {dt:%H:%M}"
    return f"{text} {zone}" if zone else text


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def image_url(a: dict[str, Any], file: str | None = None, era: str | None = None) -> str:
    file = file or a.get("image") or "default.jpg"
    era = era or a["layout"]
    site = a["site"]
    if era == "desktop2015":
        return f"http://cdn-2.tstatic.net/tribunnews/foto/bank/images/{file}"
    if era == "desktop2017":
        return f"https://cdn-2.tstatic.net/{site.img}/foto/bank/images/{file}"
    return f"https://asset-2.tstatic.net/{site.img}/foto/bank/images/{file}"


def caption_with_credit(a: dict[str, Any]) -> str:
    cap = a.get("caption") or a["title"]
    return f"{cap} ({a['credit']})" if a.get("credit") else cap


def page_href(a: dict[str, Any], n: int | str) -> str:
    return a["url"] if n == 1 else f"{a['url']}?page={n}"


def items_for(a: dict[str, Any], page: int | str) -> list[tuple[str, Any]]:
    if page == "all":
        return [item for p in a["pages"] for item in p]
    return list(a["pages"][int(page) - 1])


def is_last(a: dict[str, Any], page: int | str) -> bool:
    return page == "all" or int(page) == a["n_pages"]


def _abs_links(fragment: str, site: Site) -> str:
    return fragment.replace('href="/', f'href="{site.base}/')


# ----------------------------------------------------------------------------------------------------------
# Shared page chunks (the noise around the article: styles, ad scripts, menus, sidebars, footers)

_CSS_ARTICLE = """
.main{width:1000px;margin:0 auto}.fl{float:left}.fr{float:right}.cl2{clear:both}.w677{width:677px}
.w300{width:300px}.pos_rel{position:relative}.ovh{overflow:hidden}.grey{color:#999}.grey2{color:#666}
.red{color:#b9201f}.blue{color:#1a4e9a}.fbo{font-weight:bold}.fbo2{font-weight:600}.f12{font-size:12px}
.f14{font-size:14px}.f16{font-size:16px}.f18{font-size:18px}.f20{font-size:20px}.f22{font-size:22px}
.f32{font-size:32px}.ln40{line-height:40px}.ln24{line-height:24px}.mt5{margin-top:5px}.mt10{margin-top:10px}
.mb5{margin-bottom:5px}.mb10{margin-bottom:10px}.mb20{margin-bottom:20px}.pt10{padding-top:10px}
.pb10{padding-bottom:10px}.ptb15{padding:15px 0}.bdr3{border-bottom:1px solid #e5e5e5}
.txt-article p{margin:0 0 18px;font-size:18px;line-height:30px;color:#222}
.txt-article figure{margin:10px 0 20px}.txt-article figcaption{font-size:12px;color:#777}
p.baca{border-left:4px solid #b9201f;padding:6px 12px;background:#f7f7f7}p.baca a{font-style:italic}
.paging a{display:inline-block;padding:6px 12px;margin:0 2px;border:1px solid #ddd;border-radius:3px}
.paging .total-page{margin-right:10px;color:#666}.tagcloud3 a{display:inline-block;padding:3px 10px;
background:#f0f0f0;border-radius:12px;margin:0 5px 5px 0}.credit h5{font-weight:normal;font-size:13px}
.sosmed-artikel a{display:inline-block;width:32px;height:32px;border-radius:50%;background:#1a4e9a}
.art-list{list-style:none;margin:0;padding:0}.art-list li{padding:12px 0;border-bottom:1px solid #eee}
.ads-placeholder{text-align:center;margin:20px auto;min-height:250px;background:#fafafa}
.summary-article{background:#f4f8ff;border-left:4px solid #1a4e9a;padding:10px 15px;font-size:15px}
.footer{background:#1b1b1b;color:#aaa;padding:30px 0;font-size:12px}.footer a{color:#ddd}
.lsihomeloc{columns:3;list-style:none;padding:0}.lsihomeloc li{padding:3px 0}
.nav{background:#1a4e9a;height:44px}.nav a{color:#fff;padding:12px 10px;display:inline-block;font-size:14px}
.breadcrumb{background:#ebebeb;height:35px;list-style:none;overflow:hidden;margin:0;padding:0}
.breadcrumb li{display:inline-block}.breadcrumb li a{color:#333;font-size:.8rem;padding:10px 6px 10px 10px}
"""

_GTM = """<!-- Google Tag Manager -->
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-NNJ5M3B');</script>
<!-- End Google Tag Manager -->"""

_GTM_NOSCRIPT = """<!-- Google Tag Manager (noscript) -->
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-NNJ5M3B"
height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>
<!-- End Google Tag Manager (noscript) -->"""

_SAFE_BRANDING = r"""
	document.addEventListener("DOMContentLoaded", function(event){
		var cekclassread = document.getElementsByClassName("txt-article")[0];
		if(cekclassread != undefined){
			var content = cekclassread.innerText;
			var gpt_safe = content.match(/\b(bencana|boikot|corona|covid-19|fatal|hoax|hukuman|kecelakaan|korban|kriminal|pembunuhan|penyakit|pidana|polisi|racun|tersangka|viral|virus)\b/gi);
			safe = gpt_safe ? 'no' : 'yes';
		}else{
			safe = 'yes';
		}
		googletag.pubads().setTargeting('safe_branding', safe);
	});
	try{
		var ls = window.localStorage;
		var lr = ls.getItem("_jxitr");
		if (lr && lr.length > 2){
			try{ googletag.pubads().setTargeting('jx_audience_interest', JSON.parse(lr).join().split(',')); }catch(e){}
		}
	}catch(e){}
"""


def _gpt_script(site: Site, page_type: str, slots: list[tuple[str, str, str]]) -> str:
    lines = ["<script async src=\"https://securepubads.g.doubleclick.net/tag/js/gpt.js\"></script>",
             "<script type='text/javascript'>", "var googletag = googletag || {}; googletag.cmd = googletag.cmd || [];",
             "googletag.cmd.push(function() {"]
    for var, sizes, div in slots:
        unit = f"{site.ad_unit}/{page_type.title()}"
        lines += [f"\tvar {var} = googletag.defineSlot('{unit}', {sizes}, '{div}');",
                  f"\t{var}.setTargeting('pos',['{div.replace('div-', '').replace('-', '')}']);",
                  f"\t{var}.setTargeting('page',['{page_type}']);",
                  f"\t{var}.addService(googletag.pubads());"]
    lines += [_SAFE_BRANDING, "\tgoogletag.pubads().enableSingleRequest();",
              "\tgoogletag.pubads().collapseEmptyDivs();", "\tgoogletag.enableServices();", "});", "</script>"]
    return "\n".join(lines)


_AD_SLOTS = [("dlws", "[160, 600]", "div-Left-WideSkyscraper"),
             ("dtl", "[[728, 90], [970, 90],[970, 250]]", "div-Top-Leaderboard"),
             ("dimr", "[[300, 250],[300,100],[1,1]]", "div-Inside-MediumRectangle"),
             ("drmr1", "[[300, 600],[300, 250]]", "div-Right-MediumRectangle-1"),
             ("drmr2", "[300, 250]", "div-Right-MediumRectangle-2"),
             ("dbim", "[[640, 100],[320, 100],[1, 1]]", "div-BelowImages")]


def _ad_div(div_id: str) -> str:
    return (f"<div id='{div_id}' style='text-align:center;margin:auto'><script type='text/javascript'>"
            f"googletag.cmd.push(function() {{ googletag.display('{div_id}'); }});</script></div>")


def _network_menu() -> str:
    items = "\n".join(f'\t\t\t\t<li><a href="https://{h}.tribunnews.com" title="{attr(b)}" target="_blank">{attr(b)}'
                      f"</a></li>" for h, b in NETWORK)
    return (
        '<div class="submenu"><div class="tnetwork">\n\t\t\t<ul class="lsihomeloc">\n'
        '\t\t\t\t<li><a href="https://www.tribunnews.com/" title="Tribunnews.com">Tribunnews.com</a></li>\n'
        '\t\t\t\t<li><a href="https://www.tribunnewswiki.com/" title="TribunnewsWiki.com" target="_blank">'
        "TribunnewsWiki.com</a></li>\n"
        '\t\t\t\t<li><a href="https://video.tribunnews.com/" title="Tribun-Video.com" target="_blank">'
        "Tribun-Video.com</a></li>\n\t\t\t</ul>\n\t\t\t<div class=\"cl2 bdr mb10 mt5\"></div>\n"
        f'\t\t\t<ul class="lsihomeloc">\n{items}\n\t\t\t</ul>\n\t\t</div></div>'
    )


def _header(site: Site, dt: datetime | None = None) -> str:
    sections = WWW_SECTIONS if site.key == "tribunnews" else REGIONAL_SECTIONS
    nav = "\n".join(f'\t\t<a href="{site.base}/{slugify(s)}" title="{s}">{s}</a>' for s in sections)
    today = f'<li class="fbo2 grey ar">{visible_date(dt, None).rsplit(" ", 1)[0]}</li>' if dt else ""
    return f"""<div class="thead">
	<div class="theader main">
		<div class="tlogo"><a href="{site.base}/" class="show" title="{attr(site.brand)}"><img
			src="https://asset-1.tstatic.net/img/logo/daerah/svg3/{site.logo}.svg" alt="{attr(site.brand)}" height="40"
			style="height:40px;width:auto"/></a></div>
		<ul class="fr">
			{today}
			<li class="havc search blue"><span class="fbo2">Cari</span>
				<form action="{site.base}/search" id="cse-search-box"><input name="q" type="text" class="inputsearch"
				placeholder="Cari Berita" lang="id"/><button type="submit" class="buttonsearch">Cari</button></form>
			</li>
			<li class="havc tn"><a href="https://www.tribunnews.com" target="_blank"><div class="fl fbo2 blue">Network</div></a>
			{_network_menu()}
			</li>
		</ul>
	</div>
	<div class="nav main">
{nav}
	</div>
</div>
{_ad_div("div-Top-Leaderboard")}"""


def _footer(site: Site) -> str:
    links = " ".join(f'<a href="https://{h}.tribunnews.com" title="{attr(b)}">{attr(b)}</a>' for h, b in NETWORK)
    return f"""<div class="footer mt20">
	<div class="main">
		<div class="mb10"><a href="{site.base}/redaksi">Redaksi</a> | <a href="{site.base}/about">Tentang Kami</a> |
		<a href="{site.base}/pedoman">Pedoman Media Siber</a> | <a href="{site.base}/privacy">Kebijakan Privasi</a> |
		<a href="{site.index_news}">Indeks Berita</a> | <a href="{site.base}/rss">RSS</a></div>
		<div class="network f11 ln18">{links}</div>
		<div class="mt10">&copy; 2025 TRIBUNnews.com Network, a subsidiary of KG Media. All Right Reserved</div>
	</div>
</div>
<script src="https://asset-1.tstatic.net/js/tribun/tribun_desktop_082023.min.js" defer></script>
<script>
	$(document).ready(function(){{ $(".timeago").each(function(){{ var t = $(this).attr("title"); }}); }});
	window.addEventListener("scroll", function(){{ var h = document.querySelector(".thead");
		if (window.pageYOffset > 120) {{ h.classList.add("fixed"); }} else {{ h.classList.remove("fixed"); }} }});
</script>"""


def _sidebar(a: dict[str, Any], others: list[dict[str, Any]]) -> str:
    rows = []
    for o in others[:6]:
        rows.append(
            f'\t\t<li class="p1520 art-list"><h3><a class="f16 ln24 fbo txt-oev-2" href="{o["url"]}" '
            f'title="{attr(o["title"])}">{attr(o["title"])}</a></h3><time class="grey foot timeago" '
            f'title="{o["dt"]:%Y-%m-%d %H:%M:%S}">{visible_date(o["dt"], o["site"].zone)}</time></li>')
    return f"""<div class="fr w300 mt20" id="sidebar">
	{_ad_div("div-Right-MediumRectangle-1")}
	<div class="mb20">
		<h3 class="f20 fbo2 red bdr3 pb10">Berita Terkini</h3>
		<ul class="art-list">
{chr(10).join(rows)}
		</ul>
	</div>
	{_ad_div("div-Right-MediumRectangle-2")}
	<div class="mb20"><h3 class="f20 fbo2 red bdr3 pb10">Topik Populer</h3>
		<a class="rd2" href="{a['site'].base}/topic/berita-terkini">#Berita Terkini</a>
		<a class="rd2" href="{a['site'].base}/topic/cuaca-ekstrem">#Cuaca Ekstrem</a>
	</div>
</div>"""


# ----------------------------------------------------------------------------------------------------------
# Structured data


def datalayer(a: dict[str, Any], agent: str, penulis: str | None = None) -> str:
    penulis = a.get("datalayer_penulis", a["penulis"]) if penulis is None else penulis
    dt = a["dt"]
    length = sum(len(p.split()) for p in body_paragraphs(a))
    return f"""<script type="text/javascript">
	dataLayer = [{{
	  'editor': '{js_str(a.get("editor", ""))}',
	  'penulis':'{js_str(penulis)}',
	  'publish_date': '{dt:%Y-%m-%d %H:%M:%S}',
	  'domain': '{a["site"].key}',
	  'title': '{js_str(a["title"])}',
	  'section': '{js_str(slugify(a["section"] or "news"))}',
	  'source': '{js_str(a["source"] or "")}',
	  'subcategory': '{js_str(slugify(a.get("subrubric") or a["rubric"]))}',
	  'content_category' : 'news',
	  'content_tag' :'{js_str(", ".join(a["tags_list"]))}',
      'content_type': 'standard',
	  'content_topic': '{js_str(a.get("topic", ""))}',
	  'article_length':'{length}',
	  'idArticle':'{a["id"]}',
	  'month':'{dt:%m}',
	  'year':'{dt:%Y}',
	  'agent':'{agent}',
 }}];
</script>"""


def _person(name: str, site: Site, role: str = "penulis") -> dict[str, str]:
    return {"@type": "Person", "name": name, "url": f"{site.base}/{role}/{slugify(name)}"}


def jsonld_blocks(a: dict[str, Any], era: str) -> str:
    """The JSON-LD of an article page: era B a single NewsArticle (+ WebPage), era C an ``@graph``."""
    site = a["site"]
    dt, mdt = a["dt"], a["mdt"] or a["dt"]
    writer = a["penulis"] or a.get("editor", "")  # real trap: with no writer, the editor is the JSON-LD author
    publisher = {"@type": "Organization", "name": site.brand,
                 "logo": {"@type": "ImageObject", "url": f"https://asset-1.tstatic.net/img/logo/{site.logo}.png",
                          "width": 240, "height": 60}}
    img = image_url(a, era=era)
    if era == "desktop2017":
        article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
                   "datePublished": iso(dt), "dateModified": iso(mdt),
                   "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]}, "description": a.get("lede", ""),
                   "image": {"@type": "ImageObject", "url": img, "width": 700, "height": 393},
                   "author": {"@type": "Person", "name": writer}, "publisher": publisher}
        webpage = {"@context": "https://schema.org", "@type": "WebPage", "headline": a["title"], "url": a["url"],
                   "datePublished": iso(dt), "image": img, "thumbnailUrl": img.replace("/images/", "/thumbnails2/")}
        return (f'<script type="application/ld+json">\n{json.dumps(article, ensure_ascii=False, indent=2)}\n'
                f'</script>\n<script type="application/ld+json">\n'
                f"{json.dumps(webpage, ensure_ascii=False, indent=2)}\n</script>")
    shape = a.get("shape", "1")
    crumbs = [("Home", f"{site.base}/"), (a["rubric"], f"{site.base}/{slugify(a['rubric'])}"), (a["title"], a["url"])]
    if shape == "2026":
        return _jsonld_2026(a, img, publisher)
    breadcrumb = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": n, "item": u} for i, (n, u) in enumerate(crumbs, 1)]}
    article = {"@type": "NewsArticle", "headline": a["title"], "description": a.get("lede", ""),
               "datePublished": iso(dt), "dateModified": iso(mdt),
               "author": [_person(writer, site, "penulis" if a["penulis"] else "editor")],
               "articleSection": a["rubric"],
               "keywords": a["tags_list"] if shape == "1" else ", ".join(a["tags_list"]),
               "isAccessibleForFree": True,
               "image": ({"@type": "ImageObject", "url": img, "width": 700, "height": 393} if shape == "1"
                         else [img]),
               "mainEntityOfPage": ({"@type": "WebPage", "@id": a["url"]} if shape == "1" else a["url"]),
               "publisher": publisher}
    graph = {"@context": "https://schema.org", "@graph": [article, breadcrumb]}
    text = json.dumps(graph, ensure_ascii=False, indent=2)
    if a.get("jsonld") == "malformed":
        # A real-world failure mode: a trailing comma and a raw newline inside a string. Must be skipped.
        text = text.replace(f'"headline": {json.dumps(a["title"], ensure_ascii=False)}',
                            f'"headline": "{a["title"]}\n"', 1)
        text = text.replace('"isAccessibleForFree": true,', '"isAccessibleForFree": true,,', 1)
    website = {"@context": "https://schema.org", "@type": "WebSite", "url": f"{site.base}/",
               "potentialAction": {"@type": "SearchAction", "target": f"{site.base}/search?q={{search_term_string}}",
                                   "query-input": "required name=search_term_string"}}
    return (f'<script type="application/ld+json">\n{json.dumps(website, ensure_ascii=False)}\n</script>\n'
            f'<script type="application/ld+json">\n{text}\n</script>')


def _crumbs_2026(a: dict[str, Any]) -> list[tuple[str, str]]:
    """Home, section, sub-section: the reported 2026 breadcrumb stops at the rubric, not at the article."""
    site = a["site"]
    section_url = f"{site.base}/{a['section']}"
    crumbs = [("Home", f"{site.base}/"), (a["rubric"], section_url)]
    if a.get("subrubric"):
        crumbs.append((a["subrubric"], f"{section_url}/{slugify(a['subrubric'])}"))
    return crumbs


def _jsonld_2026(a: dict[str, Any], img: str, publisher: dict[str, Any]) -> str:
    """The reported 2026 ``@graph``: NewsArticle with an author array, an ``editor`` Person and
    ``isAccessibleForFree`` (false on premium pages, which also mark the paywalled part) + BreadcrumbList."""
    site = a["site"]
    article: dict[str, Any] = {
        "@type": "NewsArticle", "headline": a["title"], "description": a.get("lede", ""),
        "datePublished": iso(a["dt"]), "dateModified": iso(a["mdt"] or a["dt"]),
        "author": [_person(n, site) for n in a["authors_exp"]],
        "editor": _person(a.get("editor", ""), site, "editor"),
        "image": {"@type": "ImageObject", "url": img, "width": 700, "height": 393},
        "articleSection": a["rubric"], "keywords": a["tags_list"], "isAccessibleForFree": not a["premium"],
        "mainEntityOfPage": {"@type": "WebPage", "@id": a["url"]}, "publisher": publisher,
    }
    if a["premium"]:
        article["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False,
                              "cssSelector": ".paywall-box"}
    breadcrumb = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": n, "item": u} for i, (n, u) in enumerate(_crumbs_2026(a), 1)]}
    graph = {"@context": "https://schema.org", "@graph": [article, breadcrumb]}
    website = {"@context": "https://schema.org", "@type": "WebSite", "url": f"{site.base}/",
               "potentialAction": {"@type": "SearchAction", "target": f"{site.base}/search?q={{search_term_string}}",
                                   "query-input": "required name=search_term_string"}}
    return (f'<script type="application/ld+json">\n{json.dumps(website, ensure_ascii=False)}\n</script>\n'
            f'<script type="application/ld+json">\n{json.dumps(graph, ensure_ascii=False, indent=2)}\n</script>')


def _title_tag(a: dict[str, Any], page: int | str) -> str:
    suffix = ""
    if page == "all" and a["n_pages"] > 1:
        suffix = " - Halaman all"
    elif page not in ("all", 1):
        suffix = f" Halaman {page}"
    return f"{a['title']}{suffix} - {a['site'].title_suffix}"


def _meta_head(a: dict[str, Any], page: int | str, era: str, canonical: str | None = None) -> str:
    site = a["site"]
    title = attr(_title_tag(a, page))
    og_title = attr(f"{a['title']} - {site.title_suffix}")
    lede = attr(a.get("lede", ""))
    img = image_url(a, era=era)
    canonical = canonical or a["url"]
    amp = (f'<link rel="amphtml" href="{a["amp_url"]}" data-component-name="amp:html:link">\n'
           if a.get("amp_url") else "")
    alt_mobile = (f'<link rel="alternate" media="only screen and (max-width: 640px)" href="{a["mobile_url"]}">\n'
                  if a.get("mobile_url") else "")
    return f"""<title>{title}</title>
<link href="//securepubads.g.doubleclick.net" rel="dns-prefetch">
<link href="//asset-1.tstatic.net" rel="dns-prefetch">
<link href="//asset-2.tstatic.net" rel="dns-prefetch">
<link href="//{site.host}" rel="dns-prefetch">
<link rel="preconnect" href="https://www.googletagmanager.com">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{lede}" />
<meta name="keywords" content="{attr(", ".join(a["tags_list"]))}" />
<meta name="news_keywords" content="{attr(", ".join(a["tags_list"]))}" />
<meta name="robots" content="index,follow,max-image-preview:large"/>
<meta name="googlebot-news" content="index,follow"/>
<link rel="canonical" href="{canonical}"/>
{amp}{alt_mobile}<meta property="fb:app_id" content="114488588566911" />
<meta property="og:site_name" content="{attr(site.title_suffix)}"/>
<meta property="og:type" content="article" />
<meta property="og:title" content="{og_title}"/>
<meta property="og:image" content="{img}" />
<meta property="og:image:type" content="image/jpeg" />
<meta property="og:description" content="{lede}"/>
<meta property="og:url" content="{canonical}"/>
<meta property="android:app_id" content="{a["id"]}" />
<meta name="twitter:card" content="summary_large_image"/>
<meta name="twitter:title" content="{og_title}" />
<meta name="twitter:description" content="{lede}" />
<meta name="twitter:image" content="{img}"/>
<link rel="image_src" href="{img}" />
<link rel="shortcut icon" href="https://asset-1.tstatic.net/img/icon/tribun-icon_32.png" />
<link rel="alternate" type="application/rss+xml" title="{attr(site.brand)}" href="{site.base}/rss" />"""


# ----------------------------------------------------------------------------------------------------------
# Article bodies


def _first_paragraph(a: dict[str, Any], text: str) -> str:
    dateline = a.get("dateline", "")
    if a.get("dateline_only") == "yes":
        return f"<p>{dateline}</p>\n<p>{text}</p>"
    return f"<p>{dateline}{text}</p>"


def render_items(a: dict[str, Any], page: int | str, style: str) -> str:
    """Body HTML of one page (or all pages) in the markup of ``style`` (an era, "mobile" or "amp")."""
    site = a["site"]
    out: list[str] = []
    first_done = page not in ("all", 1)
    if not first_done and a.get("reporter"):
        out.append(f"<p><strong>{fix_amp(a['reporter'])}</strong></p>")
    ad_n = 0
    for kind, value in items_for(a, page):
        if kind == "p":
            text = _abs_links(fix_amp(value), site)
            if not first_done:
                out.append(_first_paragraph(a, text))
                first_done = True
            else:
                out.append(f"<p>{text}</p>")
        elif kind == "sub":
            out.append(f"<p><strong>{fix_amp(value)}</strong></p>")
        elif kind == "summary":
            out.append(f'<blockquote class="summary-article"><p>{fix_amp(value)}</p></blockquote>')
        elif kind == "baca":
            title, url = value
            if style == "desktop2017":
                out.append(f'<p class="baca"><strong> &bull; <a title="{attr(title)}" href="{url}">{attr(title)}'
                           f"</a></strong></p>")
            elif style == "desktop2015":
                out.append(f'<p class="baca">Baca: <a href="{url}" title="{attr(title)}">{attr(title)}</a></p>')
            else:
                out.append(f'<p class="baca">Baca juga: <a href="{url}" title="{attr(title)}">{attr(title)}</a></p>')
        elif kind == "bacajuga":
            title, url = value
            out.append(f'<p><strong>Baca juga: <a href="{url}">{attr(title)}</a></strong></p>')
        elif kind == "fig":
            file, _, cap = (s.strip() for s in value.partition("|"))
            src = image_url(a, file, era=style if style in LAYOUTS[:3] else "desktop2023")
            if style == "amp":
                out.append(f'<figure><amp-img src="{src}" width="700" height="393" layout="responsive" '
                           f'alt="{attr(cap)}"></amp-img><figcaption>{attr(cap)}</figcaption></figure>')
            else:
                cls = ' class="image"' if style == "desktop2017" else ""
                out.append(f'<figure{cls}><img src="{src}" alt="{attr(cap)}" width="700" height="393" '
                           f'loading="lazy" />\n<figcaption>{attr(cap)}</figcaption>\n</figure>')
        elif kind == "ad":
            ad_n += 1
            if style == "amp":
                out.append(f'<amp-ad width="300" height="250" type="doubleclick" '
                           f'data-slot="{site.ad_unit}/AMP/Inside-{ad_n}" data-multi-size="300x100"></amp-ad>')
            elif style == "desktop2017":
                out.append(_ad_div("div-Inside-MediumRectangle" if ad_n == 1 else f"div-Inside-MediumRectangle-{ad_n}"))
            elif style == "desktop2015":
                section = (a["section"] or "news").title()
                out.append(_ad_div(f"div-Article-{section}-Inside-MediumRectangle-{ad_n}"))
            elif style == "mobile":
                out.append(f'<div class="ads mb10 ac">{_ad_div(f"div-gpt-ad-mobile-inside-{ad_n}")}</div>')
            else:
                out.append(f'<div class="ads-placeholder">{_ad_div(f"div-gpt-ad-Inside-Article-{ad_n}")}</div>')
        elif kind == "script":
            out.append("<script type=\"text/javascript\">window._tbl = window._tbl || []; _tbl.push({mode: "
                       "'thumbnails-mid', container: 'taboola-mid-article', placement: 'Mid Article'});</script>")
        elif kind == "share":
            out.append(f'<div class="sosmed-artikel share mb10"><a class="socmed-li" target="_blank" '
                       f'href="https://www.facebook.com/sharer/sharer.php?u={a["url"]}" title="Facebook">'
                       f'<i class="fa fa-facebook"></i> Bagikan</a> <a class="socmed-li" target="_blank" '
                       f'href="https://api.whatsapp.com/send?text={a["url"]}" title="WhatsApp">'
                       f'<i class="fa fa-whatsapp"></i> WhatsApp</a></div>')
        elif kind == "empty":
            out.append("<p >&nbsp;</p>")
        elif kind == "table":
            out.append(f'<table style="width: 100%"><tbody><tr><th class="bdr2"><a href="{site.base}/" '
                       f'class="fbo2 f15">{attr(value)}</a></th></tr></tbody></table>')
        else:
            raise ValueError(f"{a['key']}: unknown body marker [{kind}]")
    if is_last(a, page):
        out.extend(f"<p>{fix_amp(t)}</p>" for t in a["tails"])
        if a.get("footer"):
            out.append(f"<p>{fix_amp(a['footer'])}</p>")
    return "\n".join(out)


def _tags_html(a: dict[str, Any], era: str) -> str:
    site = a["site"]
    path = a["path"].lstrip("/")
    if era == "desktop2015":
        return "".join(f'<a class="pr15 fbo" href="{site.base.replace("https", "http")}/tag/{slugify(t)}/?url={path}" '
                       f'title="{attr(t)}">#{attr(t)}</a>' for t in a["tags_list"])
    q = f"?url={path}" if era == "desktop2017" else ""
    return "".join(f"<h5 class='tagcload3 tagcloud3'><a class='rd2' href='{site.base}/tag/{slugify(t)}{q}' "
                   f"title='{attr(t)}'>{attr(t)}</a></h5>" for t in a["tags_list"])


def _others(a: dict[str, Any], all_articles: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if not all_articles:
        return []
    same = [o for o in all_articles if o["portal"] == a["portal"] and o["url"] != a["url"] and "dt" in o]
    return sorted(same, key=lambda o: abs((o["dt"] - a["dt"]).total_seconds()))[:6]


# --- era A (about 2015) -----------------------------------------------------------------------------------


def render_desktop2015(article: dict[str, Any], page: int | str = 1,
                       all_articles: list[dict[str, Any]] | None = None) -> str:
    """Era A desktop page (markup of the real P2015): ``h1#arttitle``, date in ``div.grey.bdr3 h3``, credits
    after the body, no JSON-LD and no dataLayer."""
    a = prepare(article)
    site = a["site"]
    http_url = a["url"].replace("https://", "http://")
    section = (a["section"] or "news").title()
    sub = a.get("subrubric") or "News"
    img = image_url(a, era="desktop2015")
    related = "\n".join(f'\t\t\t<li><a href="{o["url"].replace("https://", "http://")}" title="{attr(o["title"])}" '
                        f'class="fbo2">{attr(o["title"])}</a></li>' for o in _others(a, all_articles))
    head = _meta_head(a, page, "desktop2015", canonical=http_url)
    credits = []
    if a["penulis"]:
        credits.append(f"\t\t\t<div>Penulis: {attr(a['penulis'])}\t\t</div>")
    credits.append(f"\t\t\t\t<div>\n\t\tEditor: {attr(a.get('editor', ''))}\t\t</div>")
    return f"""<html lang="id-ID"><head>
{head}
<script type="text/javascript" src="http://cdn1.tstatic.net/js/jquery/jquery-1.8.3.min.js"></script>
<script type="text/javascript" src="http://cdn1.tstatic.net/js/tribun/tribun.1.6-20150320.js"></script>
<link rel="stylesheet" href="http://cdn1.tstatic.net/css/theme15/style.1.6-20150320.css" type="text/css">
<style type="text/css">{_CSS_ARTICLE}</style>
<script type="text/javascript">
var googletag = googletag || {{}}; googletag.cmd = googletag.cmd || [];
googletag.cmd.push(function() {{
googletag.defineSlot('/56646742/Tribunnews.Article.{section}.Top.LargeLeaderboard', [970, 90], 'div-Article-{section}-Top-LargeLeaderboard').addService(googletag.pubads());
googletag.defineSlot('/56646742/Tribunnews.Article.{section}.Left.WideSkyscraper', [160, 600], 'div-Article-{section}-Left-WideSkyscraper').addService(googletag.pubads());
googletag.defineSlot('/56646742/Tribunnews.Article.{section}.Bottom.Signature', [455, 20], 'div-Article-{section}-Bottom-Signature').addService(googletag.pubads());
googletag.pubads().enableSingleRequest(); googletag.enableServices();
}});
</script>
<script type="text/javascript">var _em = _em || []; (function(){{ var em = document.createElement('script'); em.async = true;
em.src = 'http://id-cdn.effectivemeasure.net/em.js'; document.getElementsByTagName('head')[0].appendChild(em); }})();</script>
</head>
<body>
<div id="fb-root"></div>
{_header(site)}
<div class="cl2"></div>
<!-- Tribunnews.Article.{section}.Top.LargeLeaderboard -->
{_ad_div(f"div-Article-{section}-Top-LargeLeaderboard")}
<div class="content main">
		<div class="fl w677">
		<div class="bsh mb20" id="va">
	<div class="p1020 bsht">
		<a href="http://www.tribunnews.com/" title="Halaman Depan">Tribunnews.com</a>
		<span class="pl5 pr5">»</span>
		<a href="http://www.tribunnews.com/{a["section"]}/" title="{section}">{section}</a>
				<span class="pl5 pr5">»</span>
		<a href="http://www.tribunnews.com/{a["section"]}/{slugify(sub)}/" title="{attr(sub)}">{attr(sub)}</a>
			</div>
	<div class="pos_rel" id="article">
				<h1 class="f50 black2 f400 crimson" style="line-height:110%" id="arttitle">{attr(a["title"])}</h1>
		<div class="grey bdr3 pb10 pt10"><h3>{visible_date(a["dt"], site.zone)}</h3></div>
		<div class="mt10 share hide sharebtn" style="height:20px">
	<div class="fl"><div class="fb-like" data-href="{http_url}/" data-layout="button_count" data-action="like"></div></div>
	<div class="fl ml20"><a href="https://twitter.com/share" class="twitter-share-button" data-url="{http_url}">Tweet</a></div>
	<div class="fr mt2 ml10"><a href="#" class="button2 f11" style="padding:1px 5px 2px" onclick="fbox('#shareother','Share','inline')" title="Share">+ Share</a></div>
	<div class="cl2"></div>
</div>		<div id="article_con" class="fl pt20 pos_rel">
			<div id="artimg">
			<div class="pb20 ovh"><div class="ovh imgfull_div"><img style="float:none;height:auto" class="imgfull" src="{img}" width="700" height="393" alt="{attr(a["title"])}"></div><div class="cl2"></div><div class="f11 white pa3 fr pos_rel ar" style="margin-top: -21px;background: rgba(0,0,0,.5);">{attr(a.get("credit", ""))}</div><div class="cl2"></div><div class="arial f12 pt5 grey2">{attr(a.get("caption", ""))}&nbsp;</div></div>			</div>
						<div class="cl2 mr20 fl cright w160 mb20" id="articleright">
				<!-- Tribunnews.Article.{section}.Left.WideSkyscraper -->
{_ad_div(f"div-Article-{section}-Left-WideSkyscraper")}
			</div>
						<div class="side-article txt-article mb20 helvetica">
				{render_items(a, page, "desktop2015")}
			</div>
			<div class="side-article mb20">
			<div id="related">
	<div class="fno mb10 f16"><span class="fbo2 pr10 grey">Terkait</span><span>{_tags_html(a, "desktop2015")}</span></div>
<div class="pb20">
	<div class="f16 fbo2 pb10"><span class="fbo2 grey">Baca Juga</span></div>
	<div class="lsi-3 f14">
		<ul>
{related}
		</ul>
	</div>
</div>
</div>
<div class="f11 grey pb10">
{chr(10).join(credits)}
		</div>

<!-- Tribunnews.Article.{section}.Bottom.Signature -->
{_ad_div(f"div-Article-{section}-Bottom-Signature")}
			</div>
		</div>
	</div>
	</div>
	</div>
{_sidebar(a, _others(a, all_articles))}
<div class="cl2"></div>
</div>
{_footer(site)}
</body>
</html>
"""


# --- era B (2017-2022, theme15) ---------------------------------------------------------------------------


def _all_link(a: dict[str, Any], current: str) -> str:
    """The whole-article link; on the ``?page=all`` view it is the current one. [INFERRED] No real Tribun
    page=all view has been seen: it is assumed to keep its numbered links with "Semua" (all) marked current,
    as other Indonesian portals do, which is also how the crawler learns how many pages it joins."""
    return f'<a href="{page_href(a, "all")}" rel="page-all" {current}>Semua</a>'


def _paging_2017(a: dict[str, Any], page: int | str) -> str:
    if a["n_pages"] <= 1:
        return ""
    if page == "all":
        links = [f'<a href="{page_href(a, i)}" style="font-size:14px">{i}</a>' for i in range(1, a["n_pages"] + 1)]
        links.append(_all_link(a, 'id="pagecurrent" class="white bgblue"'))
        return (f"<div class='paging mb20'><div class='pt10 pb5 plr10 ovh bggrey'><div class='pr5 pt7 fbo2 grey2 "
                f"fl f14'>Halaman</div>{''.join(links)}<div class='cl2'></div></div></div>")
    n = int(page)
    nxt = (f'<div class="mb20"><a class="bgblue white ptb5 plr10 f18" href="{page_href(a, n + 1)}">'
           f'Halaman selanjutnya <i class="fa fa-arrow-right"></i></a></div>') if n < a["n_pages"] else ""
    links = []
    for i in range(1, a["n_pages"] + 1):
        if i == n:
            links.append(f'<a href="{page_href(a, i)}" id="pagecurrent" class="white bgblue" style="margin-left:1px'
                         f'!important;font-size:14px;box-shadow:none;border:1px solid rgba(0,0,0,.1)">{i}</a>')
        else:
            links.append(f'<a href="{page_href(a, i)}" style="font-size:14px">{i}</a>')
    return (f"{nxt}<div class='paging mb20'><div class='pt10 pb5 plr10 ovh bggrey'><div class='pr5 pt7 fbo2 grey2 "
            f"fl f14'>Halaman</div>{''.join(links)}<div class='cl2'></div></div></div>")


def render_desktop2017(article: dict[str, Any], page: int | str = 1,
                       all_articles: list[dict[str, Any]] | None = None) -> str:
    """Era B desktop page (theme15, markup of the real P2020): dataLayer, JSON-LD NewsArticle, breadcrumb,
    ``h1#arttitle``, ``<time>`` in ``div.grey.bdr3`` (no ``Tayang:``), body ``div.side-article.txt-article``."""
    a = prepare(article)
    site = a["site"]
    zone = site.zone if a.get("zone") != "no" else None
    img = image_url(a, era="desktop2017")
    topic = (f'\t\t<h2 class="red f16">\n\t\t\t<a href="{site.base}/topic/{slugify(a["topic"])}" '
             f'title="{attr(a["topic"])}">{attr(a["topic"])}</a>\n\t\t</h2>\n') if a.get("topic") else ""
    crumb2 = a["section"] or "news"
    credits = []
    if a["penulis"]:
        credits.append(f'\t\t\t\t<div id="penulis">\n\t\tPenulis: {attr(a["penulis"])}\t\t</div>')
    credits.append(f'\t\t\t\t<div id="editor">\n\t\tEditor: {attr(a.get("editor", ""))}\t\t</div>')
    if a["source"]:
        home = BRAND_HOME.get(a["source"], site.base)
        credits.append(f"\t\t\t\t<div>\n\t\tSumber: <a href='{home}' target='_blank' title='{attr(a['source'])}'>"
                       f"{attr(a['source'])}</a>\t\t</div>")
    related = "".join(f'<table style="width: 100%"><tbody><tr><th class="bdr2" style="width: 80%"><a href="{o["url"]}" '
                      f'title="{attr(o["title"])}" class="fbo2 f15">{attr(o["title"])}</a></th></tr></tbody></table>'
                      for o in _others(a, all_articles)[:3])
    return f"""<!DOCTYPE html>
<html lang="id-ID" itemscope="itemscope" itemtype="https://schema.org/WebPage">
<head>
{_meta_head(a, page, "desktop2017")}
<link rel="stylesheet" href="https://cdn-1.tstatic.net/css/theme15/style.1.8-20200921.min.css" id="stylesheet" type="text/css" />
<link rel="stylesheet" href="//maxcdn.bootstrapcdn.com/font-awesome/4.5.0/css/font-awesome.min.css">
<style type="text/css">{_CSS_ARTICLE}</style>
<script type="text/javascript" src="https://cdn-1.tstatic.net/js/jquery/jquery-1.8.3.min.js"></script>
<script type="text/javascript" src="https://cdn-1.tstatic.net/js/tribun/tribun.1.8-20190807.js" defer></script>
{datalayer(a, "desktop")}
{_GTM}
{jsonld_blocks(a, "desktop2017")}
{_gpt_script(site, "article", _AD_SLOTS)}
</head>
<body id="bodyart">
{_GTM_NOSCRIPT}
<div id="fb-root"></div>
{_header(site)}
<div class="main">
<div class="fl w677">
<div class="bsh mb20" id="va">
	<ul class="breadcrumb" itemscope itemtype="http://schema.org/BreadcrumbList">
		<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
			<a itemtype="https://schema.org/Thing" itemprop="item" href="{site.base}/"><span itemprop="name">Home</span>
				<meta itemprop="position" content="1" /></a>
		</li>
		<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
			<a itemtype="https://schema.org/Thing" itemprop="item" href="{site.base}/{crumb2}"><span itemprop="name">{attr(crumb2.title())}</span>
				<meta itemprop="position" content="2" /></a>
		</li>
		<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
			<a itemtype="https://schema.org/Thing" itemprop="item" href="{site.base}/{crumb2}/{slugify(a["rubric"])}"><span itemprop="name">{attr(a["rubric"])}</span>
				<meta itemprop="position" content="3" /></a>
		</li>
	</ul>
	<div class="pos_rel" id="article" >
{topic}				<h1 class="f50 black2 f400 crimson" style="line-height:110%" id="arttitle">{attr(a["title"])}</h1>
		<h4 class="hide">{attr(a.get("lede", ""))}</h4>
		<div class="grey bdr3 pb10 pt10"><time>{visible_date(a["dt"], zone)}</time></div>
				<div id="article_con" class="fl pt20 pos_rel">
			<div id="artimg">
			<div class="pb20 ovh"><div class="ovh imgfull_div" style="position:relative;"><a href="{img}" data-descPosition="bottom" class="glightbox" data-glightbox="title:{attr(a.get("caption", ""))};"><img style="float:none;height:auto" class="imgfull" src="{img}" width='700' height='393' alt="{attr(a["title"])}" /></a></div><div class="cl2"></div><div class="f11 white pa3 fr pos_rel ar" style="margin-top: -21px;background: rgba(0,0,0,.5);">{attr(a.get("credit", ""))}</div><div class="cl2"></div><div class="arial f12 pt5 grey2">{attr(a.get("caption", ""))}&nbsp;</div></div>			</div>
			<div id='div-BelowImages' style='text-align: center;' class='mb20'>
<script type='text/javascript'>
googletag.cmd.push(function() {{ googletag.display('div-BelowImages'); }});
</script>
</div>			<div class="cl2 mr20 fl cright w160 mb20 " id="articleright">
	<div id="fixads"></div>
	<div id="wideskyscraper" class="bggrey" style="height:600px;width:160px;padding:0px;z-index:1">
	{_ad_div("div-Left-WideSkyscraper")}
	</div>
</div>			<div class="side-article txt-article">
			{render_items(a, page, "desktop2017")}
			</div>
			<div class="side-article mb5">
			{_paging_2017(a, page)}	<div class="mb10 f16 ln24 mb10 mt5" style="display:inline-block">
		<div class="fbo2 pr10 grey fl">Tags <i class='fa fa-tags grey'></i></div>
		{_tags_html(a, "desktop2017")}		<div class="cl2"></div>
	</div>
			<div class="mb10">
		<div class="f18 fbo2 pb10"><span class='fbo2 pr5 grey f16'>Berita Terkait :</span></div>
		<div class="mt5 bdr"></div>
		<div class="f14"><ul>{related}</ul></div>
	</div>
	<div class="f12 grey mb15" >
{chr(10).join(credits)}
	</div>
<div class="mb5 bor1 pt10 plr10 bggrey2">
	<span class="f800 mr10 f16 grey">Ikuti kami di</span>
	<div class="sosmed-artikel">
		<a class="socmed-li" target="_blank" href="https://www.facebook.com/{site.logo}" title="Facebook"><i class="fa fa-facebook"></i></a>
		<a class="socmed-li" target="_blank" href="https://twitter.com/{site.logo}" title="Twitter"><i class="fa fa-twitter"></i></a>
	</div>
</div>
			</div>
		</div>
	</div>
</div>
</div>
{_sidebar(a, _others(a, all_articles))}
<div class="cl2"></div>
</div>
{_footer(site)}
</body>
</html>
"""


# --- era C (2023+, theme23) -------------------------------------------------------------------------------


def _paging_2023(a: dict[str, Any], page: int | str) -> str:
    if a["n_pages"] <= 1:
        return ""
    if page == "all":
        links = [f'<a href="{page_href(a, i)}" rel="page-{i}">{i}</a>' for i in range(1, a["n_pages"] + 1)]
        links.append(_all_link(a, 'class="active"'))
        return f'<div class="paging mt20 mb20">{" ".join(links)}</div>'
    n = int(page)
    links = []
    for i in range(1, a["n_pages"] + 1):
        cls = ' class="active"' if i == n else ""
        links.append(f'<a href="{page_href(a, i)}" rel="page-{i}"{cls}>{i}</a>')
    nxt = f' <a href="{page_href(a, n + 1)}" class="next">Selanjutnya</a>' if n < a["n_pages"] else ""
    return (f'<div class="paging mt20 mb20"><span class="total-page">Halaman {n}/{a["n_pages"]}</span> '
            f'{" ".join(links)}{nxt}</div>')


def _credit_2023(a: dict[str, Any]) -> str:
    site = a["site"]
    ed = a.get("editor", "")
    if a.get("shape", "1") == "1":
        writer = (f'Penulis: <b><a href="{site.base}/penulis/{slugify(a["penulis"])}">{attr(a["penulis"])}</a></b> '
                  if a["penulis"] else "")
        return (f'<div class="credit mt10"><h5 id="penulis" class="grey f14">{writer}<span>|</span> Editor: <b><a '
                f'href="{site.base}/editor/{slugify(ed)}">{attr(ed)}</a></b></h5></div>')
    writer = (f'<div id="penulis">Penulis: <a href="/penulis/{slugify(a["penulis"])}">{attr(a["penulis"])}</a></div>'
              if a["penulis"] else "")
    return (f'<div class="f14 grey mt10 credit2">{writer}<div id="editor">Editor: <a href="/editor/{slugify(ed)}">'
            f"{attr(ed)}</a></div></div>")


def _date_2023(a: dict[str, Any]) -> str:
    site = a["site"]
    zone = site.zone if a.get("zone") != "no" else None
    shown = visible_date(a["dt"], zone)
    updated = ""
    if a.get("updated") == "yes" and a["mdt"]:
        updated = f' <span class="ml5">Diperbarui: {visible_date(a["mdt"], zone)}</span>'
    if a.get("shape", "1") == "1":
        return (f'<div class="grey bdr3 pb10 pt10"><time><strong>Tayang:</strong> <span>{shown}</span></time>'
                f"{updated}</div>")
    stamp = a["dt"].isoformat(timespec="minutes")
    return (f'<div class="grey bdr3 pb10 pt10"><strong>Tayang:</strong> <time datetime="{stamp}">{shown}</time>'
            f"{updated}</div>")


def render_desktop2023(article: dict[str, Any], page: int | str = 1,
                       all_articles: list[dict[str, Any]] | None = None) -> str:
    """Era C desktop page (theme23): ``div.txt-article.multi-fontsize``, ``Tayang:``, ``h5#penulis``
    (shape 1) or ``div#penulis``/``div#editor`` (shape 2), ``@graph`` JSON-LD, ``span.total-page``."""
    a = prepare(article)
    site = a["site"]
    img = image_url(a, era="desktop2023")
    h1_id = ' id="arttitle"' if a.get("h1id") != "no" else ""
    editcontent = " editcontent" if a.get("shape", "1") == "2" else ""
    via = ""
    if a.get("source_style") == "via":
        via = (f'<div class="mt5 grey"><span class="timeago" title="{a["dt"]:%Y-%m-%d %H:%M:%S}">'
               f'{attr(a.get("via_label", ""))}</span> via <a href="{BRAND_HOME.get(a["source"], "#")}" '
               f'target="_blank" rel="nofollow">{attr(a["source"])}</a></div>')
    sumber = ""
    if a.get("source_style") == "sumber":
        sumber = (f'<div class="f12 grey mt10 mb10">Sumber: <a href="{BRAND_HOME.get(a["source"], site.base)}" '
                  f'target="_blank">{attr(a["source"])}</a></div>')
    brand_safety = ""
    if a.get("brandsafety") == "yes":
        text = " ".join(body_paragraphs(a)).replace("\\", "\\\\").replace('"', '\\"')
        brand_safety = f'<script type="text/javascript">var keywordBrandSafety = "{text}";</script>'
    lede = (f'<h2 class="f18 ln26 grey2 mt10 mb10 fn">{attr(a["lede"])}</h2>' if a.get("lede") and page in (1, "all")
            else "")
    recirc = "".join(f'<li class="mb10"><a href="{o["url"]}" class="f16 fbo txt-oev-2" title="{attr(o["title"])}">'
                     f'{attr(o["title"])}</a></li>' for o in _others(a, all_articles)[:4])
    rubric_url = f"{site.base}/{slugify(a['rubric'])}"
    crumbs = [("Home", f"{site.base}/"), (a["rubric"], rubric_url)]
    body_class = f"side-article txt-article multi-fontsize{editcontent}"
    recap = paywall = ""
    interest = f"""<div class="side-article mb5">
			<h3 class="f20 fbo2 mb10">Sesuai Minatmu</h3>
			<ul class="lsi">{recirc}</ul>
		</div>"""
    paging = _paging_2023(a, page)
    if a.get("shape") == "2026":
        crumbs = _crumbs_2026(a)
        body_class = "side-article txt-article"
        if a["summary_points"] and page in (1, "all"):
            points = "".join(f"<li>{attr(t)}</li>" for t in a["summary_points"])
            recap = (f'<blockquote class="summary-article"><p><strong>Ringkasan Berita:</strong></p>'
                     f"<ul>{points}</ul></blockquote>\n")
        if a["premium"]:
            paywall = (f'\n<div class="paywall-box ac pa20 mt20" id="paywall"><h3 class="f20 fbo">Artikel ini khusus '
                       f"untuk pelanggan Tribunnews Premium</h3><p>Berlangganan untuk membaca kelanjutan liputan "
                       f"ini dan semua artikel premium tanpa iklan, mulai Rp 25.000 per bulan.</p><p><a "
                       f'href="{site.base}/member/langganan" class="btn-subscribe">Langganan Sekarang</a> '
                       f'<a href="{site.base}/auth/login">Sudah berlangganan? Masuk</a></p></div>')
        # The 2026 widget carries a short text under each link, and sits right after the body.
        picks = "".join(f'<li class="mb10"><a href="{o["url"]}" class="f16 fbo txt-oev-2" title="{attr(o["title"])}">'
                        f'{attr(o["title"])}</a><p class="grey2 f14 txt-oev-2">{attr(o.get("lede", ""))}</p></li>'
                        for o in _others(a, all_articles)[:4])
        interest = f"""<div class="side-article mb5">
			<h3 class="f20 fbo2 mb10">Sesuai Minatmu</h3>
			<ul class="lsi">{picks}</ul>
		</div>
		{paging}"""
        paging = ""
    crumb_items = "\n".join(
        f'\t\t<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a itemprop="item" '
        f'href="{u}"><span itemprop="name">{attr(n)}</span></a><meta itemprop="position" content="{i}" /></li>'
        for i, (n, u) in enumerate(crumbs, 1))
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
{_meta_head(a, page, "desktop2023")}
<link rel="preload" href="https://asset-1.tstatic.net/css/theme23/daerah/web/style_231020.min.css" as="style">
<link rel="stylesheet" href="https://asset-1.tstatic.net/css/theme23/daerah/web/style_231020.min.css" type="text/css" />
<style>{_CSS_ARTICLE}</style>
<script src="https://asset-1.tstatic.net/js/jquery/jquery-3.6.3.min.js"></script>
{datalayer(a, "desktop")}
{_GTM}
{jsonld_blocks(a, "desktop2023")}
<script src="https://asset-3.tstatic.net/ads/prebid/prebid8.23.0-28102023.js" async></script>
{_gpt_script(site, "article", _AD_SLOTS)}
{brand_safety}
</head>
<body>
{_GTM_NOSCRIPT}
{_header(site)}
<div class="main mt10">
<div class="fl w677">
	<ul class="breadcrumb" itemscope itemtype="https://schema.org/BreadcrumbList">
{crumb_items}
	</ul>
	<div class="pos_rel" id="article" data-content-id="{a["id"]}">
		<h1 class="f32 ln40 fbo txt-black display-block mt10"{h1_id}>{attr(a["title"])}</h1>
		{lede}
		{_credit_2023(a)}
		{_date_2023(a)}
		{via}
		<div class="sosmed-artikel share mt10 mb10" data-content-id="{a["id"]}">
			<a class="socmed-li" target="_blank" href="https://www.facebook.com/sharer/sharer.php?u={a["url"]}" title="Facebook"><i class="fa fa-facebook"></i></a>
			<a class="socmed-li" target="_blank" href="https://twitter.com/intent/tweet?url={a["url"]}" title="X"><i class="fa fa-twitter"></i></a>
			<a class="socmed-li" target="_blank" href="https://api.whatsapp.com/send?text={a["url"]}" title="WhatsApp"><i class="fa fa-whatsapp"></i></a>
		</div>
		<div id="artimg"><figure><img src="{img}" width="700" height="393" alt="{attr(a["title"])}" fetchpriority="high"><figcaption>{attr(caption_with_credit(a))}</figcaption></figure></div>
		{_ad_div("div-BelowImages")}
		<div class="{body_class}">
{recap}{render_items(a, page, "desktop2023")}{paywall}
		</div>
		{paging}
		{interest}
		<div class="mb10 mt10"><span class="fbo2 grey">Tags</span>
		{_tags_html(a, "desktop2023")}
		</div>
		{sumber}
	</div>
</div>
{_sidebar(a, _others(a, all_articles))}
<div class="cl2"></div>
</div>
{_footer(site)}
</body>
</html>
"""


# --- mobile (m.tribunnews.com) ----------------------------------------------------------------------------


def render_mobile(article: dict[str, Any], page: int | str = 1,
                  all_articles: list[dict[str, Any]] | None = None) -> str:
    """Mobile article page on ``m.tribunnews.com`` (css ``m_tnews_article``, dataLayer ``'agent':'mobile'``);
    the canonical points at the www page."""
    a = prepare(article)
    site = a["site"]
    img = image_url(a)
    tags = " ".join(f'<a class="rd2" href="https://{MOBILE_HOST}/tag/{slugify(t)}">{attr(t)}</a>'
                    for t in a["tags_list"])
    writer = f'<div id="penulis">Penulis: {attr(a["penulis"])}</div>' if a["penulis"] else ""
    era = "desktop2017" if a["layout"] == "desktop2017" else "desktop2023"
    latest = "".join(f'<li><h3><a href="{o["mobile_url"] or o["url"]}" title="{attr(o["title"])}">{attr(o["title"])}'
                     f'</a></h3><div class="grey pt5 dip"><time class="foot">{visible_date(o["dt"], site.zone)}'
                     f"</time></div></li>" for o in _others(a, all_articles)[:5])
    head = _meta_head(a, page, era).replace(
        f'<link rel="alternate" media="only screen and (max-width: 640px)" href="{a["mobile_url"]}">\n', "")
    return f"""<!DOCTYPE html>
<html lang="id-ID" itemscope="itemscope" itemtype="http://schema.org/WebPage">
<head>
{head}
<meta name="apple-mobile-web-app-status-bar-style" content="black" />
<link rel="preload" href="https://cdn-1.tstatic.net/css/theme15/m_tnews_12112021.css" as="style">
<link rel="preload" href="https://cdn-1.tstatic.net/css/theme15/m_tnews_article_20220126.css" as="style">
<link rel="stylesheet" href="https://cdn-1.tstatic.net/css/theme15/m_tnews_article_20220126.css" type="text/css" />
<style>{_CSS_ARTICLE}</style>
<script src="https://cdn-1.tstatic.net/js/jquery/jquery-1.12.0.min.js"></script>
{datalayer(a, "mobile")}
{_GTM}
{jsonld_blocks(a, era)}
{_gpt_script(site, "mobile", _AD_SLOTS[:3])}
</head>
<body>
{_GTM_NOSCRIPT}
<div class="header pos_fix bgblue"><a href="https://{MOBILE_HOST}/" title="Tribunnews.com"><img src="https://cdn-1.tstatic.net/img/logo/tribun/svg/tribunnews.svg" alt="Tribunnews.com" height="30"></a>
<div class="menu">{_network_menu()}</div></div>
<div class="main-content pt60">
	<div class="pa10">
		<h4><a href="https://{MOBILE_HOST}/{a["section"]}" class="fbo f12 red">{attr(a["rubric"])}</a></h4>
		<h1 class="f22 fbo txt-black ln28" id="arttitle">{attr(a["title"])}</h1>
		<div class="grey pt5 dip"><time class="foot">{visible_date(a["dt"], site.zone)}</time></div>
		<div class="f12 grey mt10">{writer}<div id="editor">Editor: {attr(a.get("editor", ""))}</div></div>
	</div>
	<div class="ovh"><img src="{img}" width="100%" alt="{attr(a["title"])}"><div class="f12 grey pa10">{attr(caption_with_credit(a))}</div></div>
	<div class="txt-article mt15 pa10" id="article_con">
{render_items(a, page, "mobile")}
	</div>
	<div class="mb10 pa10">{tags}</div>
	<div class="pa10"><h3 class="f18 fbo2">Berita Terkini</h3><ul class="lsi">{latest}</ul></div>
</div>
<div class="footer ac f12 grey pa10">&copy; 2025 TRIBUNnews.com Network, a subsidiary of KG Media. All Right Reserved
<div class="lsihomeloc">{" ".join(f'<a href="https://{h}.tribunnews.com">{attr(b)}</a>' for h, b in NETWORK)}</div></div>
</body>
</html>
"""


# --- AMP --------------------------------------------------------------------------------------------------

_AMP_BOILERPLATE = ("<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
                    "-moz-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) "
                    "0s 1 normal both}@-webkit-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}"
                    "@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}</style><noscript><style "
                    "amp-boilerplate>body{-webkit-animation:none;-moz-animation:none;animation:none}</style>"
                    "</noscript>")


def render_amp(article: dict[str, Any], page: int | str = 1,
               all_articles: list[dict[str, Any]] | None = None) -> str:
    """AMP article page (``<html ⚡>`` or ``<html amp>``) with canonical to the desktop page."""
    a = prepare(article)
    site = a["site"]
    img = image_url(a)
    html_tag = '<html ⚡ lang="id">' if a.get("amp_style", "bolt") == "bolt" else '<html amp lang="id">'
    tags = " ".join(f'<a href="{site.base}/tag/{slugify(t)}">{attr(t)}</a>' for t in a["tags_list"])
    writer = f'<span id="penulis">Penulis: {attr(a["penulis"])}</span> | ' if a["penulis"] else ""
    era = "desktop2017" if a["layout"] == "desktop2017" else "desktop2023"
    ld = jsonld_blocks(a, era)
    related = "".join(f'<li><a href="{o["amp_url"] or o["url"]}">{attr(o["title"])}</a></li>'
                      for o in _others(a, all_articles)[:5])
    return f"""<!doctype html>
{html_tag}
<head>
<meta charset="utf-8">
<title>{attr(_title_tag(a, page))}</title>
<link rel="canonical" href="{a["url"]}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<meta name="description" content="{attr(a.get("lede", ""))}">
<meta property="og:title" content="{attr(a["title"])} - {attr(site.title_suffix)}">
<meta property="og:url" content="{a["url"]}">
<meta property="og:image" content="{img}">
<meta property="og:site_name" content="{attr(site.title_suffix)}">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
<script async custom-element="amp-analytics" src="https://cdn.ampproject.org/v0/amp-analytics-0.1.js"></script>
<script async custom-element="amp-social-share" src="https://cdn.ampproject.org/v0/amp-social-share-0.1.js"></script>
{ld}
{_AMP_BOILERPLATE}
<style amp-custom>{_CSS_ARTICLE}
.amp-title{{font-size:24px;line-height:30px;margin:10px 0}}.amp-date{{color:#999;font-size:12px}}
.amp-caption{{font-size:12px;color:#777;padding:5px 0}}.amp-tags a{{display:inline-block;padding:3px 8px}}</style>
</head>
<body>
<amp-analytics type="gtag" data-credentials="include"><script type="application/json">{{"vars": {{"gtag_id": "GTM-NNJ5M3B", "config": {{"GTM-NNJ5M3B": {{"groups": "default"}}}}}}}}</script></amp-analytics>
<header class="amp-header"><a href="{site.base}/"><amp-img src="https://asset-1.tstatic.net/img/logo/daerah/svg3/{site.logo}.svg" width="160" height="40" alt="{attr(site.brand)}"></amp-img></a></header>
<article class="amp-article">
<div class="amp-rubric"><a href="{site.base}/{slugify(a["rubric"])}">{attr(a["rubric"])}</a></div>
<h1 class="amp-title">{attr(a["title"])}</h1>
<div class="amp-date"><time datetime="{iso(a["dt"])}">{visible_date(a["dt"], site.zone)}</time></div>
<div class="amp-credit">{writer}<span id="editor">Editor: {attr(a.get("editor", ""))}</span></div>
<amp-social-share type="facebook" width="32" height="32" data-param-app_id="114488588566911"></amp-social-share>
<amp-social-share type="whatsapp" width="32" height="32"></amp-social-share>
<amp-img src="{img}" width="700" height="393" layout="responsive" alt="{attr(a["title"])}"></amp-img><div class="amp-caption">{attr(caption_with_credit(a))}</div>
<div class="txt-article amp-article-body">
{render_items(a, page, "amp")}
</div>
<div class="amp-tags">{tags}</div>
<div class="amp-related"><h3>Berita Terkait</h3><ul>{related}</ul></div>
</article>
<footer class="amp-footer">&copy; 2025 TRIBUNnews.com Network, a subsidiary of KG Media. All Right Reserved</footer>
</body>
</html>
"""


RENDERERS = {"desktop2015": render_desktop2015, "desktop2017": render_desktop2017,
             "desktop2023": render_desktop2023, "mobile": render_mobile, "amp": render_amp}


# ----------------------------------------------------------------------------------------------------------
# The synthetic ?page=2 of the real P2020


def p2020_page2(real_page1: bytes, page2: dict[str, Any]) -> bytes:
    """P2020's ``?page=2``: the real page 1 with its body replaced by the SYNTHETIC ``P2020-PAGE2`` text and
    its pagination showing page 2 of 2. Canonical, og:url, head and chrome stay as the real page has them."""
    text = real_page1.decode("utf-8")
    start_tag = '<div class="side-article txt-article">'
    end_tag = '\n\t\t\t<div class="side-article mb5">'
    start = text.index(start_tag) + len(start_tag)
    end = text.index(end_tag, start)
    items = []
    for kind, value in page2["body"]:
        if kind == "p":
            items.append(f"<p>{fix_amp(value)}</p>")
        elif kind == "ad":
            items.append(_ad_div("div-Inside-MediumRectangle"))
        elif kind in ("baca", "bacajuga"):
            title, url = value
            items.append(f'<p class="baca"><strong> &bull; <a title="{attr(title)}" href="{url}">{attr(title)}'
                         f"</a></strong></p>")
        else:
            raise ValueError(f"P2020-PAGE2: marker [{kind}] not supported")
    body = "\n\t\t\t" + "\n".join(items) + "\n\t\t\t</div>"
    text = text[:start] + body + text[end:]
    paging_start = text.index('<div class="mb20"><a class="bgblue white ptb5 plr10 f18"')
    paging_close = "<div class='cl2'></div></div></div>"
    paging_end = text.index(paging_close, paging_start) + len(paging_close)
    paging = (f"<div class='paging mb20'><div class='pt10 pb5 plr10 ovh bggrey'><div class='pr5 pt7 fbo2 grey2 fl f14'>"
              f'Halaman</div><a href="{P2020_URL}" style="font-size:14px">1</a><a href="{P2020_URL}?page=2" '
              f'id="pagecurrent" class="white bgblue" style="margin-left:1px!important;font-size:14px;box-shadow:none;'
              f"border:1px solid rgba(0,0,0,.1)\">2</a><div class='cl2'></div></div></div>")
    text = text[:paging_start] + paging + text[paging_end:]
    title = REAL_ARTICLES["P2020"]["title"]
    text = text.replace(f"<title>{title} - Tribun Solo</title>", f"<title>{title} Halaman 2 - Tribun Solo</title>", 1)
    return text.encode("utf-8")


# ----------------------------------------------------------------------------------------------------------
# Discovery documents


# www's robots.txt as reported live in July 2026: listings, tags and topics closed to generic agents, named
# search bots allowed everywhere, one sitemap index.
WWW_DISALLOW = ["/api/", "/posts/", "/ajax/", "/json/", "/auth/", "/member/", "/komentar/", "/search", "/tag/",
                "/topic/"]
WWW_SEARCH_BOTS = ["Googlebot", "Googlebot-News", "Googlebot-Image", "Bingbot"]


def robots_txt(site: Site, extra_sitemaps: list[str]) -> str:
    if site.key == "tribunnews":
        lines = ["User-agent: *", *(f"Disallow: {p}" for p in WWW_DISALLOW), ""]
        for bot in WWW_SEARCH_BOTS:
            lines += [f"User-agent: {bot}", "Allow: /", ""]
        lines.append("Sitemap: https://www.tribunnews.com/sitemap.xml")
        return "\n".join(lines) + "\n"
    lines = ["User-agent: *", "Disallow: /search", "Disallow: /ajax/", "Disallow: /api/", "",
             f"Sitemap: {site.base}/sitemap.xml"]
    lines += [f"Sitemap: {site.base}{p}" for p in extra_sitemaps]
    return "\n".join(lines) + "\n"


def _news_url(entry: dict[str, Any], site: Site) -> str:
    if entry.get("kind") != "article":
        lastmod = f"\n\t\t<lastmod>{entry['lastmod']}</lastmod>" if entry.get("lastmod") else ""
        return f"\t<url>\n\t\t<loc>{xml_escape(entry['url'])}</loc>{lastmod}\n\t</url>"
    img = (f"\n\t\t<image:image>\n\t\t\t<image:loc>{xml_escape(entry['image'])}</image:loc>\n\t\t</image:image>"
           if entry.get("image") else "")
    return f"""	<url>
		<loc>{xml_escape(entry["url"])}</loc>
		<lastmod>{entry["lastmod"]}</lastmod>
		<news:news>
			<news:publication>
				<news:name>{xml_escape(site.brand)}</news:name>
				<news:language>id</news:language>
			</news:publication>
			<news:publication_date>{entry["published"]}</news:publication_date>
			<news:title>{xml_escape(entry["title"])}</news:title>
			<news:keywords>{xml_escape(", ".join(entry.get("tags", [])))}</news:keywords>
		</news:news>{img}
	</url>"""


def news_sitemap(site: Site, entries: list[dict[str, Any]]) -> str:
    body = "\n".join(_news_url(e, site) for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
            f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n{body}\n</urlset>\n')


def web_sitemap(entries: list[dict[str, Any]]) -> str:
    """A section's ``sitemap-web.xml``: the same articles as its news sitemap, plain ``<url>`` + ``<lastmod>``."""
    body = "\n".join(f"\t<url>\n\t\t<loc>{xml_escape(e['url'])}</loc>\n\t\t<lastmod>{e['lastmod']}</lastmod>\n\t</url>"
                     for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"\n{body}\n</urlset>\n")


def image_sitemap(entries: list[dict[str, Any]]) -> str:
    """A section's ``sitemap-images.xml``: each article page with its lead image."""
    body = "\n".join(f"\t<url>\n\t\t<loc>{xml_escape(e['url'])}</loc>\n\t\t<image:image>\n\t\t\t<image:loc>"
                     f"{xml_escape(e['image'])}</image:loc>\n\t\t</image:image>\n\t</url>" for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n{body}\n</urlset>\n')


def sitemap_index(children: list[tuple[str, str]]) -> str:
    body = "\n".join(f"\t<sitemap>\n\t\t<loc>{xml_escape(u)}</loc>\n\t\t<lastmod>{m}</lastmod>\n\t</sitemap>"
                     for u, m in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"\n{body}\n</sitemapindex>\n")


def rss_feed(site: Site, entries: list[dict[str, Any]]) -> str:
    items = []
    for e in entries:
        desc = f"\n\t\t<description><![CDATA[{e.get('lede', '')}]]></description>" if e.get("lede") else ""
        media = (f'\n\t\t<enclosure url="{xml_escape(e["image"])}" type="image/jpeg" length="0"/>'
                 if e.get("image") else "")
        items.append(f"""	<item>
		<title><![CDATA[{e["title"]}]]></title>
		<link>{xml_escape(e["link"])}</link>
		<guid isPermaLink="true">{xml_escape(e["link"])}</guid>
		<pubDate>{e["pubdate"]}</pubDate>{desc}{media}
	</item>""")
    build = entries[0]["pubdate"] if entries else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
	<title>{xml_escape(site.brand)}</title>
	<link>{site.base}</link>
	<description>Berita terkini {xml_escape(site.brand)}</description>
	<language>id</language>
	<copyright>Copyright {xml_escape(site.brand)}, TRIBUNnews.com Network</copyright>
	<lastBuildDate>{build}</lastBuildDate>
	<atom:link href="{site.base}/rss" rel="self" type="application/rss+xml"/>
	<image><url>https://asset-1.tstatic.net/img/logo/{site.logo}.png</url><title>{xml_escape(site.brand)}</title><link>{site.base}</link></image>
{chr(10).join(items)}
</channel>
</rss>
"""


def listing_url(site: Site, day: date, page: int | None) -> str:
    url = f"{site.index_news}?date={day.year}-{day.month}-{day.day}"
    return url if page is None else f"{url}&page={page}"


def _index_page(site: Site, title: str, canonical: str, form: str, rows: list[str], paging: str) -> str:
    """The page around an ``index-news`` listing's ``ul.lsi`` rows (dated and undated listings alike)."""
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<title>{attr(title)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="robots" content="index,follow"/>
<link rel="canonical" href="{attr(canonical)}"/>
<link rel="stylesheet" href="https://asset-1.tstatic.net/css/theme23/daerah/web/style_231020.min.css" type="text/css" />
<style>{_CSS_ARTICLE}</style>
<script type="text/javascript">
	dataLayer = [{{
	  'domain': '{site.key}',
	  'content_type': 'index',
	  'agent':'desktop',
 }}];
</script>
{_GTM}
{_gpt_script(site, "index", _AD_SLOTS[:2])}
</head>
<body>
{_GTM_NOSCRIPT}
{_header(site)}
<div class="main mt10">
<div class="fl w677">
	<h1 class="f24 fbo2 mb10">Indeks Berita</h1>
{form}	<div class="pos_rel">
	<ul class="lsi">
{chr(10).join(rows)}
	</ul>
	</div>
	{paging}
</div>
<div class="fr w300 mt20">{_ad_div("div-Right-MediumRectangle-1")}</div>
<div class="cl2"></div>
</div>
{_footer(site)}
</body>
</html>
"""


def render_index_news(site: Site, day: date, page: int, n_pages: int, entries: list[dict[str, Any]]) -> str:
    """One page of the dated ``index-news`` listing (``ul.lsi > li.ptb15``, ``?page=N`` pagination, ``Next``)."""
    rows = []
    for e in entries:
        thumb = (f'<div class="fr mt5 pos_rel"><a href="{e["url"]}" title="{attr(e["title"])}"><img src="{e["image"]}" '
                 f'width="120" height="86" alt="{attr(e["title"])}" class="shou2 bgwhite"></a></div>'
                 if e.get("image") else "")
        rows.append(f'\t\t<li class="ptb15">{thumb}<h3><a href="{e["url"]}" class="f16 fbo" title="{attr(e["title"])}">'
                    f'{attr(e["title"])}</a></h3>\n\t\t\t<div class="grey2 pt5 f13 ln18 txt-oev-2">'
                    f'{attr(e.get("lede", ""))}</div>\n\t\t\t<time class="grey">{e["visible"]}</time></li>')
    if not rows:
        rows.append('\t\t<li class="ptb15"><div class="grey">Tidak ada berita pada tanggal ini.</div></li>')
    paging = ""
    if n_pages > 1:
        links = []
        for i in range(1, n_pages + 1):
            href = attr(listing_url(site, day, i))
            links.append(f'<a href="{href}" class="active">{i}</a>' if i == page else f'<a href="{href}">{i}</a>')
        if page < n_pages:
            links.append(f'<a href="{attr(listing_url(site, day, page + 1))}" class="next">Next</a>')
        paging = f'<div class="paging mt20 mb20 ac">{"".join(links)}</div>'
    date_form = f"{day.year}-{day.month}-{day.day}"
    title = f"Indeks Berita {site.brand} - {DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"
    form = (f'\t<form action="{site.index_news}" method="get" class="mb20"><input type="text" name="date" '
            f'value="{date_form}">\n\t<button type="submit">Cari</button></form>\n')
    return _index_page(site, title, listing_url(site, day, None if page == 1 else page), form, rows, paging)


# The undated www listing as reported live in July 2026: /index-news?page=N, about 20 items a page, capped at
# page 10 (any later page repeats page 10), a few items topped by a topic pill that is not an article.
LATEST_PAGE_SIZE = 20
LATEST_PAGES = 10
LATEST_REPEATS = (11, 12)
LATEST_AS_OF = datetime(2026, 11, 28, 19, 45, tzinfo=timezone(timedelta(hours=7)))
_FILLER_SUBJECTS = ["Pemprov DKI Jakarta", "Polda Metro Jaya", "Kementerian Kesehatan", "BMKG", "PSSI", "KPK", "PLN",
                    "Bank Indonesia", "Pertamina", "Basarnas", "BPOM", "Kemendikdasmen", "Kemenhub",
                    "Pemkot Surabaya"]
_FILLER_ACTIONS = ["Gelar Rapat Koordinasi Jelang Libur Akhir Tahun", "Evaluasi Program Kerja Semester Kedua",
                   "Terima Kunjungan Kerja Komisi DPR", "Luncurkan Layanan Pengaduan Daring",
                   "Tanggapi Keluhan Warga soal Antrean Layanan", "Siapkan Posko Siaga di 12 Titik",
                   "Umumkan Hasil Audit Internal", "Teken Nota Kesepahaman dengan Pemerintah Daerah",
                   "Bantah Kabar Hoaks yang Beredar di Media Sosial", "Gelar Simulasi Penanganan Keadaan Darurat",
                   "Buka Rekrutmen Tenaga Pendukung", "Minta Warga Waspadai Penipuan Mengatasnamakan Lembaga",
                   "Paparkan Capaian Kinerja di Hadapan Wartawan", "Perpanjang Masa Layanan hingga Akhir Bulan"]
_FILLER_SECTIONS = ["nasional", "regional", "metropolitan", "bisnis", "sport", "kesehatan", "techno", "otomotif"]
_TOPIC_PILLS = ["Berita Terkini", "Cuaca Ekstrem", "Libur Akhir Tahun", "Liga 1 2026/2027", "Hilirisasi"]


def latest_listing_entries(articles: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The 200 items of www's undated index-news, newest first, and the URLs among them that have no page.

    The mirror holds few 2026 www articles, so the listing is filled with stories the mirror does not hold:
    their URLs answer 404, which the crawler records as ``http_404`` like any article taken down."""
    site = SITES["tribunnews"]
    real = [_entry(a) for a in articles if a["portal"] == "tribunnews" and a["dt"].year == 2026]
    fillers: list[dict[str, Any]] = []
    n = LATEST_PAGE_SIZE * LATEST_PAGES - len(real)
    for i in range(n):
        subject = _FILLER_SUBJECTS[i % len(_FILLER_SUBJECTS)]
        action = _FILLER_ACTIONS[(i // len(_FILLER_SUBJECTS) + i) % len(_FILLER_ACTIONS)]
        title = f"{subject} {action}"
        when = LATEST_AS_OF - timedelta(minutes=925 * i)
        section = _FILLER_SECTIONS[i % len(_FILLER_SECTIONS)]
        url = f"{site.base}/{section}/{7_800_000 + 37 * i}/{slugify(title)}"
        fillers.append({"kind": "article", "url": url, "title": title, "dt": when,
                        "visible": visible_date(when, site.zone)})
    entries = sorted(real + fillers, key=lambda e: e["dt"], reverse=True)
    for i, e in enumerate(entries):
        if i % 4 == 1:
            e["topic"] = _TOPIC_PILLS[(i // 4) % len(_TOPIC_PILLS)]
    return entries, [e["url"] for e in fillers]


def render_index_latest(site: Site, page: int, entries: list[dict[str, Any]]) -> str:
    """One page of the undated ``/index-news`` (``ul.lsi > li``: optional ``h4.red`` topic pill, ``h3 > a``,
    ``time.grey``). Page 10 still offers "Next": the live site answers any later page with page 10 again."""
    rows = []
    for e in entries:
        pill = (f'<h4 class="red f12 fbo2"><a href="{site.base}/topic/{slugify(e["topic"])}" '
                f'title="{attr(e["topic"])}">{attr(e["topic"])}</a></h4>' if e.get("topic") else "")
        rows.append(f'\t\t<li class="ptb15">{pill}<h3 class="f16 fbo"><a href="{e["url"]}" '
                    f'title="{attr(e["title"])}">{attr(e["title"])}</a></h3>\n'
                    f'\t\t\t<time class="grey">{e["visible"]}</time></li>')
    active = ' class="active"'
    links = [f'<a href="{site.base}/index-news?page={i}"{active if i == page else ""}>{i}</a>'
             for i in range(1, LATEST_PAGES + 1)]
    links.append(f'<a href="{site.base}/index-news?page={page + 1}" class="next">Next</a>')
    paging = f'<div class="paging mt20 mb20 ac">{"".join(links)}</div>'
    return _index_page(site, f"Indeks Berita Terkini Hari Ini - {site.title_suffix}", f"{site.base}/index-news", "",
                       rows, paging)


def build_latest_listing(w: MirrorWriter, articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Write www's ``/index-news`` pages 1-10 plus the repeats; returns what the expectation says of them.

    The bare ``/index-news`` cannot be a file beside the ``index-news/`` folder of the dated listings (the
    wget layout), so page 1 is also served as ``/index-news/`` (``index-news/index.html``)."""
    site = SITES["tribunnews"]
    entries, missing = latest_listing_entries(articles)
    pages = [entries[i:i + LATEST_PAGE_SIZE] for i in range(0, len(entries), LATEST_PAGE_SIZE)]
    for n, chunk in enumerate(pages, 1):
        html_page = render_index_latest(site, n, chunk)
        if n == 1:
            w.put(f"{site.base}/index-news/", html_page)
        w.put(f"{site.base}/index-news?page={n}", html_page)
        if n == LATEST_PAGES:
            for again in LATEST_REPEATS:
                w.put(f"{site.base}/index-news?page={again}", html_page)
    return {"url": f"{site.base}/index-news", "pages": LATEST_PAGES, "page_size": LATEST_PAGE_SIZE,
            "repeat_page_10": list(LATEST_REPEATS),
            "articles": [e["url"] for e in entries if e["url"] not in set(missing)], "missing": missing}


# ----------------------------------------------------------------------------------------------------------
# Site assembly


class MirrorWriter:
    """Collects files (path under the mirror -> bytes) and writes them out."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, url_or_path: str, content: str | bytes) -> None:
        if url_or_path.startswith("http"):
            rest = url_or_path.split("://", 1)[1]
            host, _, path = rest.partition("/")
            path = "/" + path
            if path.endswith("/"):
                path += "index.html"
            rel = host + path
        else:
            rel = url_or_path
        if rel in self.files:
            raise ValueError(f"mirror file written twice: {rel}")
        self.files[rel] = content.encode("utf-8") if isinstance(content, str) else content

    def write(self, out_dir: Path) -> None:
        hosts = {rel.split("/", 1)[0] for rel in self.files}
        for host in sorted(hosts):
            target = out_dir / host
            if target.exists():
                shutil.rmtree(target)
        for rel, data in sorted(self.files.items()):
            path = out_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def write_article(w: MirrorWriter, a: dict[str, Any], all_articles: list[dict[str, Any]]) -> None:
    render = RENDERERS[a["layout"]]
    for n in range(1, a["n_pages"] + 1):
        w.put(page_href(a, n), render(a, n, all_articles))
    if a["page_all"] == "whole":
        w.put(f"{a['url']}?page=all", render(a, "all", all_articles))
    elif a["page_all"] == "ignored":  # the server ignores ?page=all and answers page 1 of N
        w.put(f"{a['url']}?page=all", render(a, 1, all_articles))
    if a.get("mobile_url"):
        page = render_mobile(a, 1, all_articles)
        w.put(a["mobile_url"], page)
        w.put(f"{a['mobile_url']}?page=all", page)
    if a.get("amp_url"):
        w.put(a["amp_url"], render_amp(a, 1, all_articles))


def _entry(a: dict[str, Any]) -> dict[str, Any]:
    """What discovery documents say about an article."""
    image = a.get("image_url") or image_url(a)
    return {"kind": "article", "url": a["url"], "title": a["title"], "lede": a.get("lede", ""), "image": image,
            "published": iso(a["dt"]), "lastmod": iso(a.get("mdt") or a["dt"]), "tags": a.get("tags_list", []),
            "pubdate": format_datetime(a["dt"]), "dt": a["dt"],
            "visible": visible_date(a["dt"], a["site"].zone), "portal": a["portal"], "section": a.get("section")}


def build_discovery(w: MirrorWriter, articles: list[dict[str, Any]], extras: dict[str, Any],
                    page_size: int, window: tuple[date, date] | None = None) -> dict[str, list[str]]:
    """Write robots.txt, sitemaps, /rss and index-news listings; returns where each article URL was listed."""
    listed: dict[str, set[str]] = defaultdict(set)
    by_portal: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in articles:
        by_portal[a["portal"]].append(a)
    for key, site in SITES.items():
        mine = sorted(by_portal.get(key, []), key=lambda a: a["dt"], reverse=True)
        extra = extras.get(key, {})
        # --- sitemaps
        sitemap_entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in mine:
            for where in a["listed_list"]:
                if where == "sitemap":
                    name = f"/{a['section']}/sitemap-news.xml" if key == "tribunnews" else "/sitemap.xml"
                elif where == "sitemap-news":
                    name = "/sitemap-news.xml"
                else:
                    continue
                sitemap_entries[name].append(_entry(a))
                listed[a["url"]].add("sitemap")
        for name, items in extra.get("sitemap", {}).items():
            sitemap_entries[name].extend(items)
        children: list[tuple[str, str]] = []
        for name in sorted(sitemap_entries):
            items = sorted(sitemap_entries[name], key=lambda e: e.get("lastmod", ""), reverse=True)
            w.put(f"{site.base}{name}", news_sitemap(site, items))
            if key == "tribunnews":
                # Each section also has a -web and an -images sitemap of the same articles (reported 2026 shape).
                latest = max(e.get("lastmod", "") for e in items)
                articles_only = [e for e in items if e.get("kind") == "article"]
                web, images = name.replace("-news.xml", "-web.xml"), name.replace("-news.xml", "-images.xml")
                w.put(f"{site.base}{web}", web_sitemap(articles_only))
                w.put(f"{site.base}{images}", image_sitemap([e for e in articles_only if e.get("image")]))
                children += [(f"{site.base}{n}", latest) for n in (name, web, images)]
        if key == "tribunnews":
            w.put(f"{site.base}/sitemap.xml", sitemap_index(children))
        elif "/sitemap.xml" not in sitemap_entries:
            w.put(f"{site.base}/sitemap.xml", news_sitemap(site, []))
        extra_maps = sorted(n for n in sitemap_entries if n != "/sitemap.xml" and key != "tribunnews")
        w.put(f"{site.base}/robots.txt", robots_txt(site, extra_maps))
        # --- rss
        rss_items = []
        for a in mine:
            if "rss" not in a["listed_list"]:
                continue
            e = _entry(a)
            link = a["url"]
            if key == "tribunnews":
                # Reported live in 2026: www's feed is valid RSS with real headlines, but every <link>/<guid> is
                # the home page, so it lists no article.
                link = f"{site.base}/"
            elif a.get("rss_url") == "mobile" and a.get("mobile_url"):
                link = a["mobile_url"]
            elif a.get("rss_url") == "utm":
                link = f"{a['url']}?utm_source=rss&utm_medium=rss&utm_campaign=rss"
            e["link"] = link
            rss_items.append(e)
            if link != f"{site.base}/":
                listed[a["url"]].add("rss")
        rss_items += extra.get("rss", [])
        rss_items.sort(key=lambda e: e["dt"], reverse=True)
        w.put(f"{site.base}/rss", rss_feed(site, rss_items))
        # --- index-news
        days: dict[date, list[dict[str, Any]]] = defaultdict(list)
        for a in mine:
            days[a["dt"].date()].append(_entry(a))
            listed[a["url"]].add("index-news")
        for e in extra.get("index-news", []):
            days[e["dt"].date()].append(e)
        if window and key == extras.get("window_portal"):
            d = window[0]
            while d <= window[1]:
                days.setdefault(d, [])
                d += timedelta(days=1)
        for day, entries in sorted(days.items()):
            entries.sort(key=lambda e: e["dt"], reverse=True)
            chunks = [entries[i:i + page_size] for i in range(0, len(entries), page_size)] or [[]]
            for n, chunk in enumerate(chunks, 1):
                page = render_index_news(site, day, n, len(chunks), chunk)
                if n == 1:
                    w.put(listing_url(site, day, None), page)
                w.put(listing_url(site, day, n), page)
    return {url: sorted(v, key=["sitemap", "rss", "index-news"].index) for url, v in listed.items()}


# ----------------------------------------------------------------------------------------------------------
# Expectations


def first_words(text: str, n: int = 8) -> str:
    return " ".join(text.split()[:n])


def last_words(text: str, n: int = 8) -> str:
    return " ".join(text.split()[-n:])


# How the crawl names an outlet credited as written on the page: by its brand (issue 3's registry).
EXPECTED_BRAND = {"Tribun-Timur.com": "Tribun Timur", "intisari-online": "Intisari Online"}


def expected_entry(a: dict[str, Any], listed: list[str]) -> dict[str, Any]:
    paras = body_paragraphs(a)
    return {
        "url": a["url"], "portal": a["portal"], "layout": a["layout"], "title": a["title"],
        "published_at": iso(a["dt"]), "pages": a["n_pages"], "authors": a["authors_exp"],
        "editors": a["editors_exp"], "source": EXPECTED_BRAND.get(a["source"], a["source"]),
        "dateline": a.get("city") or None,
        "paragraphs": len(paras), "first_words": first_words(paras[0]), "last_words": last_words(paras[-1]),
        "listed_in": listed,
    }


# ----------------------------------------------------------------------------------------------------------
# The committed mirror

# Non-article URLs placed in discovery documents; none may ever become an item.
NON_ARTICLES = {
    "tag": "https://bangka.tribunnews.com/tag/timah",
    "topic": "https://solo.tribunnews.com/topic/penanganan-covid",
    "penulis": "https://jakarta.tribunnews.com/penulis/satrio-nugroho",
    "section": "https://makassar.tribunnews.com/news",
    "video": "https://bangka.tribunnews.com/video/2024/05/14/detik-detik-perang-ketupat-tempilang-2024",
    "search": "https://www.tribunnews.com/search?q=csto",
}
OFF_NETWORK = "https://www.kompas.com/read/2025/01/01/x"
MISSING = "https://makassar.tribunnews.com/2025/02/11/gubernur-sulsel-resmikan-jembatan-kembar-di-sungai-jeneberang"
BACKFILL = ("bangka", date(2024, 5, 13), date(2024, 5, 15))


def _plain_entry(url: str, title: str, when: datetime, site: Site) -> dict[str, Any]:
    return {"kind": "other", "url": url, "link": url, "title": title, "dt": when, "pubdate": format_datetime(when),
            "lastmod": iso(when), "visible": visible_date(when, site.zone)}


def _curated_extras() -> dict[str, Any]:
    wib, wita = SITES["bangka"].tz, SITES["makassar"].tz
    missing_dt = datetime(2025, 2, 11, 10, 5, 0, tzinfo=wita)
    missing = {"kind": "article", "url": MISSING,
               "title": "Gubernur Sulsel Resmikan Jembatan Kembar di Sungai Jeneberang",
               "published": iso(missing_dt), "lastmod": iso(missing_dt), "tags": ["Jembatan Kembar", "Gowa"],
               "image": "https://asset-2.tstatic.net/makassar/foto/bank/images/jembatan-kembar-jeneberang.jpg"}
    return {
        "window_portal": BACKFILL[0],
        "tribunnews": {
            "sitemap": {"/nasional/sitemap-news.xml": [
                {"kind": "other", "url": NON_ARTICLES["search"], "lastmod": "2025-07-29T19:05:00+07:00"}]},
        },
        "bangka": {
            "sitemap": {"/sitemap.xml": [{"kind": "other", "url": NON_ARTICLES["tag"],
                                          "lastmod": "2024-05-14T12:00:00+07:00"}]},
            "index-news": [_plain_entry(NON_ARTICLES["video"], "VIDEO: Detik-detik Perang Ketupat Tempilang 2024",
                                        datetime(2024, 5, 14, 12, 10, tzinfo=wib), SITES["bangka"])],
        },
        "solo": {"rss": [_plain_entry(NON_ARTICLES["topic"], "Penanganan Covid",
                                      datetime(2020, 10, 9, 14, 0, tzinfo=wib), SITES["solo"])]},
        # The off-network item sits in a regional feed: www's feed links nothing but its home page.
        "jakarta": {"rss": [_plain_entry(NON_ARTICLES["penulis"], "Satrio Nugroho",
                                         datetime(2025, 5, 6, 11, 0, tzinfo=wib), SITES["jakarta"]),
                            _plain_entry(OFF_NETWORK, "Kompas.com: Berita Terkini Hari Ini",
                                         datetime(2025, 1, 1, 9, 0, tzinfo=wib), SITES["jakarta"])]},
        "makassar": {"sitemap": {
            "/sitemap.xml": [{"kind": "other", "url": NON_ARTICLES["section"], "lastmod": "2025-01-22T13:00:00+08:00"}],
            "/sitemap-news.xml": [missing]}},
    }


def _real_article(key: str) -> dict[str, Any]:
    r = dict(REAL_ARTICLES[key])
    site = SITES[r["portal"]]
    r.update(site=site, dt=datetime.fromisoformat(r["published"]), mdt=None, tags_list=r["tags"],
             listed_list=r["listed"], amp_url=None, mobile_url=None, real=True)
    return r


def build_curated(real_dir: Path) -> tuple[MirrorWriter, dict[str, Any]]:
    raw = load_content()
    p2020_page2_raw = raw.pop("P2020-PAGE2")
    prepared = [prepare(r, raw) for r in raw.values()]
    reals = [_real_article("P2015"), _real_article("P2020")]
    everything = prepared + reals
    resolve_refs(prepared)
    by_key = {a["key"]: a for a in everything}
    p2020_page2_raw["body"] = [(k, (by_key[v]["title"], by_key[v]["url"]) if k in ("baca", "bacajuga") else v)
                               for k, v in p2020_page2_raw["body"]]

    w = MirrorWriter()
    for a in prepared:
        if a["dt"] >= GENERATED_AT:
            raise SystemExit(f"{a['key']}: published after the mirror was made ({GENERATED_AT:%Y-%m-%d})")
        write_article(w, a, everything)
    p2015 = read_real(real_dir, "P2015")
    w.put(P2015_URL, p2015)
    w.put(f"{P2015_URL}?page=all", p2015)  # single page: the live site answers ?page=all with the same page
    p2020 = read_real(real_dir, "P2020")
    w.put(P2020_URL, p2020)
    w.put(f"{P2020_URL}?page=2", p2020_page2(p2020, p2020_page2_raw))  # no ?page=all: the crawler must walk
    w.put(f"https://{MOBILE_HOST}/index.html", read_real(real_dir, "P2022m"))
    w.put(f"https://{MOBILE_HOST}/robots.txt",
          "User-agent: *\nDisallow: /search\nDisallow: /ajax/\n\nSitemap: https://www.tribunnews.com/sitemap.xml\n")

    listed = build_discovery(w, everything, _curated_extras(), LISTING_PAGE_SIZE, BACKFILL[1:])
    latest_listing = build_latest_listing(w, prepared)

    entries = []
    for a in sorted(everything, key=lambda a: (list(SITES).index(a["portal"]), a["dt"])):
        if a.get("real"):
            p2 = [html_text(v) for k, v in p2020_page2_raw["body"] if k == "p"] if a["key"] == "P2020" else []
            paragraphs = a.get("paragraphs", a.get("page1_paragraphs", 0) + len(p2))
            entries.append({
                "url": a["url"], "portal": a["portal"], "layout": a["layout"], "title": a["title"],
                "published_at": a["published"], "pages": a["n_pages"], "authors": a["authors"],
                "editors": a["editors"], "source": a["source"], "dateline": a["city"], "paragraphs": paragraphs,
                "first_words": a["first_words"], "last_words": a.get("last_words") or last_words(p2[-1]),
                "listed_in": listed[a["url"]]})
        else:
            entries.append(expected_entry(a, listed[a["url"]]))
    variants = []
    for a in prepared:
        if a.get("mobile_url"):
            variants.append({"url": a["mobile_url"], "canonical": a["url"], "layout": "mobile"})
        if a.get("amp_url"):
            variants.append({"url": a["amp_url"], "canonical": a["url"], "layout": "amp"})
    syndicated = [{"copy": a["url"], "original": by_key[a["copy_of"]]["url"], "kind": a["copy_kind"]}
                  for a in prepared if a.get("copy_of")]
    portal, since, until = BACKFILL
    window_urls = sorted(a["url"] for a in everything
                         if a["portal"] == portal and since <= a["dt"].date() <= until)
    expected = {
        "_comment": "Generated by tools/build_mirror.py; do not edit by hand. Describes what a crawl of mirror/ "
                    "must produce. paragraphs/first_words/last_words are over the body after removing the dateline, "
                    "reporter/credit lines, initials codes and the syndication footer.",
        "articles": entries,
        "variants": variants,
        "syndicated": syndicated,
        "non_articles": sorted(NON_ARTICLES.values()),
        "off_network": [OFF_NETWORK],
        "missing": [MISSING],
        "backfill": {"portal": portal, "since": since.isoformat(), "until": until.isoformat(), "urls": window_urls},
        "listing_page_size": LISTING_PAGE_SIZE,
        "index_news_latest": latest_listing,
    }
    return w, expected


# ----------------------------------------------------------------------------------------------------------
# Benchmark mode: N recombined articles


_BENCH_PLACES = ["Jakarta", "Bandung", "Surabaya", "Makassar", "Medan", "Pangkalpinang", "Solo", "Semarang",
                 "Denpasar", "Palembang", "Pontianak", "Manado", "Kupang", "Ambon", "Jayapura", "Padang"]


def bench_articles(n: int, seed: int) -> list[dict[str, Any]]:
    """N varied articles built by recombining the paragraphs of the curated content (seeded, deterministic)."""
    rng = random.Random(seed)
    raw = load_content()
    raw.pop("P2020-PAGE2", None)
    sources = [r for r in raw.values() if r.get("layout") and not r.get("body_from")]
    firsts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    pool: list[str] = []
    for r in sources:
        firsts[r["portal"]].append(r)
        paras = [v for k, v in r["body"] if k == "p"]
        pool.extend(paras[1:])
    titles = [r["title"] for r in sources]
    out = []
    sections = ["nasional", "regional", "bisnis", "sport", "seleb", "internasional", "metropolitan"]
    for i in range(n):
        portal = rng.choice(list(SITES))
        layout = rng.choices(["desktop2023", "desktop2017", "desktop2015"],
                             weights=[6, 3, 1 if portal == "tribunnews" else 0])[0]
        year = {"desktop2015": rng.randint(2014, 2016), "desktop2017": rng.randint(2017, 2022),
                "desktop2023": rng.randint(2023, 2025)}[layout]
        site = SITES[portal]
        dt = datetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(6, 22), rng.randint(0, 59),
                      0 if layout == "desktop2015" else rng.randint(0, 59), tzinfo=site.tz)
        src = rng.choice(firsts[portal])
        first = next(v for k, v in src["body"] if k == "p")
        k = rng.randint(3, 14)
        paras = [first, *rng.sample(pool, k)]
        n_pages = rng.choices([1, 2, 3], weights=[7, 2, 1])[0] if len(paras) >= 6 else 1
        body: list[tuple[str, str]] = []
        per_page = -(-len(paras) // n_pages)
        for j, p in enumerate(paras):
            if j and j % per_page == 0:
                body.append(("page", ""))
            body.append(("p", p))
            if j == 2 and rng.random() < 0.7:
                body.append(("ad", ""))
            if j == 1 and rng.random() < 0.3:
                body.append(("empty", ""))
        title = f"{rng.choice(titles)} di {rng.choice(_BENCH_PLACES)}"
        out.append({
            "key": f"B{i}", "portal": portal, "layout": layout, "shape": rng.choice(["1", "2"]),
            "section": rng.choice(sections) if portal == "tribunnews" else "", "rubric": src.get("rubric", "News"),
            "published": iso(dt), "slug": f"{slugify(title)[:90]}-{i}", "title": title,
            "lede": src.get("lede", ""), "penulis": src.get("penulis", ""), "editor": src.get("editor", ""),
            "authors": src.get("authors", ""), "reporter": src.get("reporter", ""), "source": src.get("source", ""),
            "dateline": src.get("dateline", ""), "city": src.get("city", ""), "image": src.get("image", ""),
            "caption": src.get("caption", ""), "credit": src.get("credit", ""), "tags": src.get("tags", ""),
            "listed": rng.choice(["sitemap", "rss", "sitemap, rss"]), "body": body,
            "zone": "no" if rng.random() < 0.1 else "",
        })
        if portal == "tribunnews" and "sitemap" not in out[-1]["listed"]:
            out[-1]["listed"] = "sitemap, rss"  # www's feed links only its home page: its sitemap must list it
    return out


def build_bench(n: int, seed: int) -> tuple[MirrorWriter, dict[str, Any]]:
    prepared = [prepare(r) for r in bench_articles(n, seed)]
    w = MirrorWriter()
    for a in prepared:
        write_article(w, a, [])
    listed = build_discovery(w, prepared, {}, BENCH_LISTING_PAGE_SIZE)
    return w, {"articles": [expected_entry(a, listed[a["url"]]) for a in prepared], "seed": seed}


# ----------------------------------------------------------------------------------------------------------
# Entry points


def generate(out_dir: Path | str = DEFAULT_OUT, n_articles: int | None = None, seed: int = 20240514,
             real_dir: Path | str = REAL_DIR) -> dict[str, Any]:
    """Write the mirror into ``out_dir`` and return its expectation document.

    ``n_articles=None`` builds the committed, hand-curated mirror (real pages included). A number builds that
    many recombined synthetic articles instead (benchmarks); ``seed`` makes the result reproducible.
    """
    out_dir = Path(out_dir)
    if n_articles is None:
        writer, expected = build_curated(Path(real_dir))
    else:
        writer, expected = build_bench(n_articles, seed)
    writer.write(out_dir)
    expected["files"] = len(writer.files)
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="mirror directory (default: mirror/)")
    parser.add_argument("--expected", default=None,
                        help="where to write the expectation JSON (default: tests/fixtures/mirror_expected.json "
                             "for the curated mirror, <out>/expected.json for --n)")
    parser.add_argument("--n", type=int, default=None, help="generate N recombined articles (benchmark mode)")
    parser.add_argument("--seed", type=int, default=20240514)
    parser.add_argument("--real", default=str(REAL_DIR), help="folder of the real pages (../shared/corpus/real)")
    args = parser.parse_args(argv)
    expected = generate(args.out, args.n, args.seed, args.real)
    target = Path(args.expected) if args.expected else (DEFAULT_EXPECTED if args.n is None
                                                        else Path(args.out) / "expected.json")
    expected.pop("files", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(expected['articles'])} articles) and {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
