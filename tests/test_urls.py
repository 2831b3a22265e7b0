"""URL canonicalisation and article-URL rules (crawler.urls), table-driven."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote, unquote_to_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler import urls
from crawler.urls import canonical_url, date_from_url, in_network, is_article_url, page_url, portal_of

WWW = "https://www.tribunnews.com/nasional/2022/01/28/slug-berita"
SOLO = "https://solo.tribunnews.com/2020/10/09/slug-berita"
NUMERIC = "https://www.tribunnews.com/regional/7872641/mengenal-ampb-gerakan-warga-pati"

CANONICAL = [
    # (input, canonical)
    (WWW, WWW),
    # scheme, host case, mobile and bare hosts → https desktop host
    ("http://www.tribunnews.com/nasional/2022/01/28/slug-berita", WWW),
    ("HTTPS://WWW.TRIBUNNEWS.COM/nasional/2022/01/28/slug-berita", WWW),
    ("https://m.tribunnews.com/nasional/2022/01/28/slug-berita", WWW),
    ("http://m.tribunnews.com/nasional/2022/01/28/slug-berita", WWW),
    ("https://tribunnews.com/nasional/2022/01/28/slug-berita", WWW),
    ("https://www.tribunnews.com./nasional/2022/01/28/slug-berita", WWW),
    ("https://www.tribunnews.com:443/nasional/2022/01/28/slug-berita", WWW),
    ("https://user@www.tribunnews.com/nasional/2022/01/28/slug-berita", WWW),
    # AMP, paging, whole-article view
    ("https://m.tribunnews.com/amp/nasional/2022/01/28/slug-berita", WWW),
    ("https://m.tribunnews.com/amp/nasional/2022/01/28/slug-berita?page=all", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?page=2", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?page=all", WWW),
    ("https://solo.tribunnews.com/amp/2020/10/09/slug-berita", SOLO),
    ("https://solo.tribunnews.com/amp/2020/10/09/slug-berita?page=3", SOLO),
    # tracking parameters, fragments, any other query on an article
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?utm_source=fb&utm_medium=social", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?UTM_Campaign=x", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?_ga=2.1.2&fbclid=IwAR0", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?gclid=a&_gl=b&msclkid=c&igshid=d", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita#komentar", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?page=2&utm_source=x#top", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?id=5", WWW),
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita?", WWW),
    # trailing and doubled slashes, surrounding whitespace
    ("https://www.tribunnews.com/nasional/2022/01/28/slug-berita/", WWW),
    ("https://www.tribunnews.com//nasional//2022/01/28/slug-berita", WWW),
    ("  https://www.tribunnews.com/nasional/2022/01/28/slug-berita \n", WWW),
    # everything at once
    ("HTTP://M.TribunNews.com/amp/nasional/2022/01/28/slug-berita/?utm_source=x&page=2#top", WWW),
    # numeric-id articles (2025+)
    (NUMERIC, NUMERIC),
    ("https://m.tribunnews.com/amp/regional/7872641/mengenal-ampb-gerakan-warga-pati?page=all&utm_source=wa",
     NUMERIC),
    # legacy portal domains (reference section 4: www.wartakotalive.com, www.posbelitung.com)
    ("http://www.wartakotalive.com/2015/06/19/slug", "https://wartakota.tribunnews.com/2015/06/19/slug"),
    ("https://wartakotalive.com/2015/06/19/slug", "https://wartakota.tribunnews.com/2015/06/19/slug"),
    ("http://www.posbelitung.com/2015/06/19/slug", "https://belitung.tribunnews.com/2015/06/19/slug"),
    # percent-escapes: one spelling (upper-case hex, escapes only where needed), escaped '/' kept
    ("https://solo.tribunnews.com/2020/10/09/caf%c3%a9", "https://solo.tribunnews.com/2020/10/09/caf%C3%A9"),
    ("https://solo.tribunnews.com/2020/10/09/café", "https://solo.tribunnews.com/2020/10/09/caf%C3%A9"),
    ("https://solo.tribunnews.com/2020/10/09/slug%2Dberita", SOLO),
    ("https://solo.tribunnews.com/2020/10/09/a%2fb", "https://solo.tribunnews.com/2020/10/09/a%2Fb"),
    # non-article network pages keep the parameters that select content, sorted, without tracking
    ("https://www.tribunnews.com/index-news/all?page=2&date=2021-1-5&utm_source=x",
     "https://www.tribunnews.com/index-news/all?date=2021-1-5&page=2"),
    ("https://bangka.tribunnews.com/tag/timah?url=%2Fx", "https://bangka.tribunnews.com/tag/timah"),
    ("https://m.tribunnews.com/", "https://www.tribunnews.com/"),
    ("https://m.tribunnews.com", "https://www.tribunnews.com/"),
    ("https://solo.tribunnews.com/amp", "https://solo.tribunnews.com/"),
    # off-network: only the fragment goes, scheme and host lower-cased, path and query untouched
    ("https://WWW.Kompas.com/read/2025/01/01/x?utm_source=y#z", "https://www.kompas.com/read/2025/01/01/x?utm_source=y"),
    ("https://style.tribunnews.com/2020/01/01/x?page=2", "https://style.tribunnews.com/2020/01/01/x?page=2"),
]


@pytest.mark.parametrize(("url", "expected"), CANONICAL)
def test_canonical_url(url: str, expected: str):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), CANONICAL)
def test_canonical_url_is_idempotent(url: str, expected: str):
    assert canonical_url(canonical_url(url)) == canonical_url(url)


@pytest.mark.parametrize(("url", "expected"), [
    (WWW, True),
    (SOLO, True),
    (NUMERIC, True),
    ("https://m.tribunnews.com/amp/nasional/2022/01/28/slug-berita?page=all", True),
    ("https://www.tribunnews.com/metropolitan/sub/2015/06/19/slug", True),
    ("http://www.wartakotalive.com/2015/06/19/slug", True),
    ("https://www.tribunnews.com/tag/banjir", False),
    ("https://www.tribunnews.com/topic/pemilu-2024", False),
    ("https://www.tribunnews.com/video/2022/01/28/slug", False),
    ("https://www.tribunnews.com/index-news/all?date=2021-1-5", False),
    ("https://www.tribunnews.com/nasional", False),
    ("https://www.tribunnews.com/", False),
    ("https://www.tribunnews.com/penulis/2020/01/01/x", False),
    ("https://www.kompas.com/read/2025/01/01/x", False),
    ("ftp://www.tribunnews.com/nasional/2022/01/28/slug", False),
    ("https://style.tribunnews.com/2020/01/01/x", False),
])
def test_is_article_url(url: str, expected: bool):
    assert is_article_url(url) is expected


@pytest.mark.parametrize(("url", "page", "expected"), [
    (WWW, 1, WWW),
    (WWW, "1", WWW),
    (WWW, 2, f"{WWW}?page=2"),
    (WWW, "all", f"{WWW}?page=all"),
    ("https://m.tribunnews.com/amp/nasional/2022/01/28/slug-berita?page=3&utm_source=x", "all", f"{WWW}?page=all"),
])
def test_page_url(url: str, page: int | str, expected: str):
    assert page_url(url, page) == expected


@pytest.mark.parametrize(("url", "expected"), [
    (WWW, date(2022, 1, 28)),
    ("https://solo.tribunnews.com/amp/2020/10/09/slug", date(2020, 10, 9)),
    ("https://solo.tribunnews.com/2020/02/30/slug", None),
    (NUMERIC, None),
])
def test_date_from_url(url: str, expected: date | None):
    assert date_from_url(url) == expected


@pytest.mark.parametrize(("url", "portal"), [
    ("https://m.tribunnews.com/x", "tribunnews"),
    ("https://tribunnews.com/x", "tribunnews"),
    ("https://www.wartakotalive.com/x", "wartakota"),
    ("https://posbelitung.com/x", "belitung"),
    ("https://BANGKA.tribunnews.com/x", "bangka"),
    ("https://www.kompas.com/x", None),
    ("https://tribunnews.com.evil.example/x", None),
])
def test_portal_of(url: str, portal: str | None):
    found = portal_of(url)
    assert (found.key if found else None) == portal
    assert in_network(url) is (portal is not None)


_HOSTS = st.sampled_from(["www.tribunnews.com", "m.tribunnews.com", "tribunnews.com", "WWW.TRIBUNNEWS.COM"])
_JUNK = st.sampled_from(["", "?page=2", "?page=all", "?utm_source=x", "?utm_source=x&page=3", "#f", "/", "?fbclid=1#x"])


@given(host=_HOSTS, scheme=st.sampled_from(["http", "https", "HTTP"]), amp=st.booleans(), junk=_JUNK,
       slug=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,5}", fullmatch=True))
def test_every_variant_of_an_article_has_one_canonical_url(host: str, scheme: str, amp: bool, junk: str, slug: str):
    url = f"{scheme}://{host}{'/amp' if amp else ''}/nasional/2022/01/28/{slug}{junk}"
    assert canonical_url(url) == f"https://www.tribunnews.com/nasional/2022/01/28/{slug}"


@given(st.text(alphabet=st.sampled_from(list("aZ09/-._~!$&'()*+,;=:@%éC3/ ?#\\")), max_size=40))
def test_a_path_already_in_its_one_spelling_is_returned_as_is(path: str):
    """The shortcut for plain paths gives what the per-segment quoting gives."""
    collapsed = re.sub(r"/{2,}", "/", path)
    slow = "/".join(quote(unquote_to_bytes(segment), safe=urls._PATH_SAFE) for segment in collapsed.split("/"))
    assert urls._normalise_path(path) == slow
