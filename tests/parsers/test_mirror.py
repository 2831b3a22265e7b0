"""Every article page of the offline mirror (``mirror/<host>/<path>``, written by tools/build_mirror.py from the
same markup contract) must parse with a title and at least one paragraph. Skipped while no mirror exists."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from crawler.parsers import parse_article
from crawler.urls import is_article_url

MIRROR = Path(__file__).resolve().parents[2] / "mirror"


def _mirror_articles() -> list[tuple[str, Path]]:
    if not MIRROR.is_dir():
        return []
    found = []
    for path in sorted(MIRROR.rglob("*")):
        if not path.is_file() or path.suffix in (".xml", ".gz", ".txt", ".json", ".jpg", ".png"):
            continue
        rel = path.relative_to(MIRROR)
        host, rest = rel.parts[0], "/".join(rel.parts[1:])
        if rest.endswith("index.html"):
            rest = rest[: -len("index.html")]
        path_part, sep, query = rest.partition("?")
        url = f"https://{host}/{quote(path_part, safe='/%')}{sep}{query}"
        if is_article_url(url):
            found.append((url, path))
    return found


ARTICLES = _mirror_articles()


@pytest.mark.skipif(not ARTICLES, reason="no mirror/ article pages yet")
@pytest.mark.parametrize(("url", "path"), ARTICLES, ids=[u for u, _ in ARTICLES] or None)
def test_mirror_article_parses(url: str, path: Path) -> None:
    raw = parse_article(path.read_text(encoding="utf-8", errors="replace"), url)
    assert raw.title, "no title"
    assert raw.paragraphs, "no paragraphs"
    assert raw.layout


EXPECTED_FILE = MIRROR.parent / "tests" / "fixtures" / "mirror_expected.json"


def _expected() -> dict:
    if not EXPECTED_FILE.is_file() or not MIRROR.is_dir():
        return {}
    import json

    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


def _mirror_file(url: str) -> Path:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    return MIRROR / parts.hostname / (unquote(parts.path).lstrip("/") + (f"?{parts.query}" if parts.query else ""))


EXPECTED = _expected()


@pytest.mark.skipif(not EXPECTED, reason="no mirror/ or tests/fixtures/mirror_expected.json yet")
@pytest.mark.parametrize("article", EXPECTED.get("articles", []), ids=lambda a: a["url"])
def test_mirror_article_matches_expectations(article: dict) -> None:
    """Layout as the builder intended; the whole text reachable (?page=all, else walking ?page=N) with its first
    and last words; at least as many raw paragraphs as the normalised count (credit lines are still in)."""
    url = article["url"]
    first = parse_article(_mirror_file(url).read_text(encoding="utf-8"), url)
    assert first.layout == article["layout"]
    whole_file = _mirror_file(url + "?page=all")
    paragraphs: list[str] = []
    if whole_file.is_file():
        whole = parse_article(whole_file.read_text(encoding="utf-8"), url + "?page=all")
        if whole.is_all_pages or whole.page_count <= 1:
            paragraphs = whole.paragraphs
    if not paragraphs:
        paragraphs = list(first.paragraphs)
        for n in range(2, first.page_count + 1):
            page = parse_article(_mirror_file(f"{url}?page={n}").read_text(encoding="utf-8"), f"{url}?page={n}")
            assert page.page == n
            paragraphs += [p for p in page.paragraphs if p not in paragraphs]
        assert first.page_count == article["pages"]
    text = " ".join(paragraphs)
    assert article["first_words"] in text
    assert article["last_words"] in text
    assert len(paragraphs) >= article["paragraphs"]


@pytest.mark.skipif(not EXPECTED, reason="no mirror/ or tests/fixtures/mirror_expected.json yet")
@pytest.mark.parametrize("variant", EXPECTED.get("variants", []), ids=lambda v: v["url"])
def test_mirror_variant_layout_and_canonical(variant: dict) -> None:
    raw = parse_article(_mirror_file(variant["url"]).read_text(encoding="utf-8"), variant["url"])
    assert raw.layout == variant["layout"]
    assert raw.canonical_url == variant["canonical"]


WWW = MIRROR / "www.tribunnews.com"


@pytest.mark.skipif(not EXPECTED, reason="no mirror/ or tests/fixtures/mirror_expected.json yet")
def test_www_discovery_is_in_the_2026_shape() -> None:
    """robots.txt, the sitemap index, /rss and the undated /index-news as reported live in July 2026."""
    from crawler.parsers.listings import parse_index_news, parse_rss, parse_sitemap, sitemap_lines

    robots = (WWW / "robots.txt").read_text(encoding="utf-8")
    star = robots.split("\n\n")[0]
    for path in ("/api/", "/posts/", "/ajax/", "/json/", "/auth/", "/member/", "/komentar/", "/search", "/tag/",
                 "/topic/"):
        assert f"Disallow: {path}\n" in star + "\n"
    assert "User-agent: Googlebot\nAllow: /" in robots
    assert sitemap_lines(robots) == ["https://www.tribunnews.com/sitemap.xml"]

    index = parse_sitemap((WWW / "sitemap.xml").read_bytes())
    kinds = {}
    for child in index.sitemaps:
        section, name = child.split("/")[-2:]
        kinds.setdefault(section, set()).add(name)
    assert kinds and all(v == {"sitemap-news.xml", "sitemap-web.xml", "sitemap-images.xml"} for v in kinds.values())
    in_news = {e.url for s in kinds for e in parse_sitemap((WWW / s / "sitemap-news.xml").read_bytes()).entries}
    www_articles = {a["url"] for a in EXPECTED["articles"] if a["portal"] == "tribunnews"}
    assert www_articles <= in_news, "every www article must be findable from a -news sitemap"

    feed = parse_rss((WWW / "rss").read_bytes())
    assert feed and {e.url for e in feed} == {"https://www.tribunnews.com/"}

    latest = EXPECTED["index_news_latest"]
    pages = [(WWW / f"index-news?page={n}").read_bytes() for n in range(1, 13)]
    assert pages[9] == pages[10] == pages[11]
    assert (WWW / "index-news" / "index.html").read_bytes() == pages[0]
    seen: list[str] = []
    for n, page in enumerate(pages[:10], 1):
        entries = parse_index_news(page.decode("utf-8"), f"{latest['url']}?page={n}").entries
        assert len(entries) == latest["page_size"]
        seen += [e.url for e in entries]
    assert len(set(seen)) == latest["pages"] * latest["page_size"]
    assert set(latest["articles"]) <= www_articles and set(latest["articles"]) | set(latest["missing"]) == set(seen)
