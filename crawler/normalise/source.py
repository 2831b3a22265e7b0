"""The outlet registry and the `source` / `source_url` normaliser.

``OUTLETS`` is the one place that says how an outlet is spelled in our output. Every Tribun portal is in
it (from :data:`crawler.portals.PORTALS`: brand, hosts and ``tribun<key>.<tld>`` domains) plus the outlets
Tribun pages credit most. People normalisation uses the same registry to drop desk and outlet names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from crawler.normalise import credits
from crawler.normalise.text import normalise_text, strip_tags
from crawler.portals import PORTALS, portal_for_host
from crawler.urls import canonical_url

__all__ = ["OUTLETS", "fold_outlet", "known_outlet", "normalise_outlet", "parse_source"]

# Brand spellings that differ from ``PORTALS``: the outlet's own name in its syndication credits. Jabar
# credits itself `TribunJabar.id` (issue 3 requires `tribunjabar.id` → `TribunJabar.id`), while
# ``PORTALS`` still carries the 2020 footer's `Tribun Jabar`.
_TRIBUN_BRAND_OVERRIDES = {"jabar": "TribunJabar.id"}

# Domains and names a portal is credited under besides its brand and hosts.
_TRIBUN_ALIASES: dict[str, tuple[str, ...]] = {
    "tribunnews": ("Tribunnews", "Tribun News", "Tribunnews.com", "TribunNews.com"),
    "aceh": ("serambinews.com", "Serambinews", "Serambi", "Tribun Aceh"),
    "babel": ("babelnews.com", "Babel News"),
    "bali": ("tribun-bali.com", "tribunbali.com"),
    "bangka": ("bangkapos.com", "Bangkapos", "BangkaPos.com", "Tribun Bangka"),
    "banjarmasin": ("banjarmasinpost.co.id", "BPost", "Banjarmasinpost", "Tribun Banjarmasin"),
    "batam": ("tribunbatam.id",),
    "belitung": ("posbelitung.co", "posbelitung.com", "PosBelitung"),
    "bogor": ("tribunnewsbogor.com", "Tribun Bogor", "TribunnewsBogor"),
    "jabar": ("tribunjabar.id", "tribunjabar.co.id", "Tribun Jabar", "TribunJabar", "Tribun Jawa Barat"),
    "jakarta": ("tribunjakarta.com", "Tribun Jakarta"),
    "jateng": ("tribunjateng.com", "Tribun Jawa Tengah"),
    "jatim": ("tribunjatim.com", "Tribun Jatim", "Tribun Jawa Timur"),
    "jogja": ("tribunjogja.com", "Tribun Yogya", "Tribun Yogyakarta"),
    "kaltim": ("tribunkaltim.co",),
    "kupang": ("pos-kupang.com", "poskupang.com", "Pos-Kupang"),
    "lampung": ("tribunlampung.co.id",),
    "madura": ("tribunmadura.com", "Tribun Madura"),
    "makassar": ("tribun-timur.com", "tribuntimur.com", "Tribun-Timur", "Tribun Makassar"),
    "manado": ("tribunmanado.co.id",),
    "medan": ("tribun-medan.com", "tribunmedan.com"),
    "palembang": ("sripoku.com", "Sripoku", "Sripo", "Tribun Palembang"),
    "pekanbaru": ("tribunpekanbaru.com",),
    "pontianak": ("tribunpontianak.co.id",),
    "solo": ("tribunsolo.com", "Tribun Solo"),
    "sumsel": ("tribunsumsel.com", "Tribunsumsel"),
    "surabaya": ("surya.co.id", "Surya.co.id", "Harian Surya", "Tribun Surabaya"),
    "suryamalang": ("suryamalang.com", "SuryaMalang.com", "Surya Malang"),
    "wartakota": ("wartakotalive.com", "Wartakota", "Warta Kota Live", "Wartakotalive"),
}
_TRIBUN_TLDS = ("com", "id", "coid", "co")

# Outlets outside the portal list: brand → names and domains they are credited under.
_OTHER_OUTLETS: dict[str, tuple[str, ...]] = {
    "Tribun Network": ("tribunnetwork.com", "Tribun Network", "TribunNetwork", "Tribun"),
    "Tribun-Video.com": ("tribun-video.com", "video.tribunnews.com", "Tribun Video"),
    "TribunnewsWiki.com": ("tribunnewswiki.com", "Tribunnews Wiki"),
    "TribunTravel.com": ("travel.tribunnews.com", "Tribun Travel", "TribunTravel"),
    "TribunStyle.com": ("style.tribunnews.com", "Tribun Style", "TribunStyle"),
    "TribunHealth.com": ("health.tribunnews.com", "Tribun Health", "TribunHealth"),
    "Kompas.com": ("kompas.com", "Kompascom", "Kompas com", "www.kompas.com"),
    "Kompas": ("Harian Kompas", "kompas.id", "Kompas.id"),
    "Kompas TV": ("kompas.tv", "KompasTV"),
    "Intisari Online": ("intisari-online", "intisari-online.com", "Intisari", "Intisari-Online.com"),
    "Grid.ID": ("grid.id", "GridID"),
    "GridHot.ID": ("gridhot.id", "GridHot"),
    "GridOto.com": ("gridoto.com", "GridOto"),
    "BolaSport.com": ("bolasport.com", "BolaSport"),
    "Nakita": ("nakita.grid.id", "nakita.id"),
    "National Geographic Indonesia": ("nationalgeographic.grid.id", "nationalgeographic.co.id",
                                      "NatGeo Indonesia"),
    "Sonora.id": ("sonora.id", "Sonora"),
    "Motorplus": ("motorplus-online.com", "Motorplus Online"),
    "Kontan": ("kontan.co.id", "Kontan.co.id", "Harian Kontan"),
    "Antara": ("antaranews.com", "Antara News", "Antaranews", "LKBN Antara", "Kantor Berita Antara"),
    "Detik.com": ("detik.com", "Detik", "detikcom", "detikNews", "detik news"),
    "CNN Indonesia": ("cnnindonesia.com", "CNNIndonesia"),
    "CNBC Indonesia": ("cnbcindonesia.com", "CNBCIndonesia"),
    "Liputan6.com": ("liputan6.com", "Liputan6", "Liputan 6"),
    "Suara.com": ("suara.com", "Suara"),
    "Okezone": ("okezone.com", "Okezone.com"),
    "Tempo.co": ("tempo.co", "Tempo", "tempo.co.id", "Koran Tempo"),
    "Republika": ("republika.co.id", "Republika.co.id", "Republika Online", "ROL"),
    "Sindonews": ("sindonews.com", "Sindonews.com", "Sindo", "Koran Sindo"),
    "Kumparan": ("kumparan.com", "kumparan"),
    "Merdeka.com": ("merdeka.com", "Merdeka"),
    "VIVA.co.id": ("viva.co.id", "VIVA", "Vivanews"),
    "JPNN.com": ("jpnn.com", "JPNN"),
    "iNews.id": ("inews.id", "iNews"),
    "Bisnis.com": ("bisnis.com", "Bisnis Indonesia"),
    "Katadata": ("katadata.co.id",),
    "Jawa Pos": ("jawapos.com", "JawaPos", "JawaPos.com"),
    "Media Indonesia": ("mediaindonesia.com",),
    "Medcom.id": ("medcom.id", "Medcom"),
    "Metro TV": ("metrotvnews.com", "MetroTV"),
    "Bola.com": ("bola.com",),
    "Kapanlagi.com": ("kapanlagi.com", "Kapanlagi"),
    "tvOnenews.com": ("tvonenews.com", "tvOne"),
    "BBC Indonesia": ("BBC News Indonesia", "bbc.com/indonesia"),
    "BBC": ("bbc.com", "bbc.co.uk", "BBC News"),
    "Reuters": ("reuters.com",),
    "AFP": ("Agence France-Presse", "afp.com"),
    "AP": ("Associated Press", "apnews.com", "AP News"),
    "Xinhua": ("xinhuanet.com", "Xinhua News Agency"),
    "Al Jazeera": ("aljazeera.com", "Aljazeera"),
    "CNN": ("cnn.com",),
}

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_NON_ALNUM = re.compile(r"[\W_]+")
_DOTTED = re.compile(r"[\w-]+(?:\.[\w-]+)+")  # a bare domain (`regional.kompas.com`)


def fold_outlet(text: str) -> str:
    """Registry key: lower case, no scheme or ``www.``, path dropped for URLs, non-alphanumerics removed."""
    text = text.strip().casefold()
    if _has_scheme(text) or text.startswith("www."):
        text = _SCHEME.sub("", text).split("/", 1)[0].split("?", 1)[0]
    text = text.removeprefix("www.")
    return _alnum_only(text)


def _alnum_only(text: str) -> str:
    """_NON_ALNUM.sub("", text). Most texts looked up are names (`andini pratiwi`): letters, digits and spaces,
    where the substitution only removes the spaces. \\w is str.isalnum() or `_`, so a text isalnum() accepts once
    the spaces are out has nothing else for the pattern to remove."""
    joined = text.replace(" ", "")
    if joined.isalnum() or not joined:
        return joined
    return _NON_ALNUM.sub("", text)


def _has_scheme(text: str) -> bool:
    # A scheme ends in `://`: a text without it (a name, a bare domain) is spared the match.
    return "://" in text and _SCHEME.match(text) is not None


def _build_registry() -> tuple[dict[str, str], list[str]]:
    registry: dict[str, str] = {}
    conflicts: list[str] = []

    def add(name: str, brand: str) -> None:
        key = fold_outlet(name)
        if not key:
            return
        if registry.setdefault(key, brand) != brand:
            conflicts.append(f"{name!r}: {registry[key]!r} vs {brand!r}")

    for portal in PORTALS:
        brand = _TRIBUN_BRAND_OVERRIDES.get(portal.key, portal.brand)
        for name in (brand, portal.brand, portal.host, *portal.aliases, *_TRIBUN_ALIASES.get(portal.key, ())):
            add(name, brand)
        if portal.key != "tribunnews":
            for tld in _TRIBUN_TLDS:
                add(f"tribun{portal.key}{tld}", brand)
            add(f"tribun{portal.key}", brand)
            if "." not in portal.brand:
                add(portal.brand + ".com", brand)
    for brand, aliases in _OTHER_OUTLETS.items():
        for name in (brand, *aliases):
            add(name, brand)
    return registry, conflicts


OUTLETS, _CONFLICTS = _build_registry()


def _host_of(text: str) -> str | None:
    if not (_has_scheme(text) or text.lower().startswith("www.")):
        return None
    try:
        host = urlsplit(text if _has_scheme(text) else "http://" + text).hostname
    except ValueError:
        return None
    return host or None


def known_outlet(value: object) -> str | None:
    """The registry brand for an outlet name, domain, host or URL; None when the outlet is not known."""
    if type(value) is str and _plain_words(value):
        # Most values asked about are a person's name or words of it (`Andini`, `Andini Pratiwi`): ASCII letters
        # and single spaces are their own normal form and their registry key is their letters in lower case, and
        # without a dot or a colon they are no host or URL. Such a value is one dictionary lookup.
        return OUTLETS.get(value.lower().replace(" ", ""))
    return _known_outlet_of_any(value)


def _plain_words(text: str) -> bool:
    """ASCII letters and single spaces, no space at either end, at most 200 characters."""
    return (text.isascii() and text.replace(" ", "").isalpha() and "  " not in text and text[:1] != " "
            and text[-1:] != " " and len(text) <= 200)


def _known_outlet_of_any(value: object) -> str | None:
    """known_outlet for any value: normalised, folded into its registry key, and read as a host when it is one."""
    text = normalise_text(value)
    if text is None or len(text) > 200:
        return None
    brand = OUTLETS.get(fold_outlet(text))
    if brand is not None:
        return brand
    host = _host_of(text)
    if host is None and "." in text and _DOTTED.fullmatch(text):  # a domain has its dot
        host = text.lower()
    if host:
        # A sub-domain of a known outlet (`regional.kompas.com`) is that outlet.
        labels = host.removeprefix("www.").split(".")
        for i in range(len(labels) - 1):
            brand = OUTLETS.get(fold_outlet(".".join(labels[i:])))
            if brand is not None:
                return brand
    return None


# Outlet text as written: quotes, brackets, and the label words a credit puts in front of it.
_OUTLET_PREFIX = re.compile(r"^(?:sumber|source|via|dari|di|oleh)\b\s*:?\s*", re.I)
_OUTLET_TRIM = " \t\"'“”‘’«»()[]{}<>.,;:|/-–—•·*"
# Characters no outlet name has, and the separators credit lines put between fields (so an outlet we emit
# reads back as the same outlet from `Sumber: <outlet>`).
_OUTLET_BAD = re.compile(r"[!?@#$%^=~`\\,;:|<>{}\[\]()\"“”]|\s[/•·]\s|\d{5,}")
# Credit and citation phrases are never part of an outlet's name.
_OUTLET_LABELS = re.compile(
    r"\b(?:artikel\s+ini|tayang|dengan\s+judul|dilansir|dikutip|via|"
    rf"{credits.alternation([*credits.LABELS, *credits.REPORTER_LABELS])})\b",
    re.I,
)
_MAX_OUTLET_WORDS = 6


def _clean_outlet_text(text: str) -> str:
    while True:
        before = text
        text = _OUTLET_PREFIX.sub("", text).strip(_OUTLET_TRIM)
        if text == before:
            return text


def normalise_outlet(value: object) -> str | None:
    """Known outlet → its brand; unknown but plausible outlet text → the cleaned text as written; junk → None."""
    if isinstance(value, dict):
        value = value.get("name")
    text = strip_tags(value)
    if text is None or len(text) > 200:
        return None
    text = _clean_outlet_text(text)
    if not text:
        return None
    brand = known_outlet(text)
    if brand is not None:
        return brand
    host = _host_of(text)
    if host:
        return host.removeprefix("www.")
    if (len(text) > 60 or len(text.split()) > _MAX_OUTLET_WORDS or _OUTLET_BAD.search(text)
            or _OUTLET_LABELS.search(text) or not any(ch.isalpha() for ch in text)):
        return None
    return text


# --- parse_source -----------------------------------------------------------------------------------

_PEOPLE = (credits.AUTHOR, credits.EDITOR, credits.PHOTO, credits.IGNORE)

_FOOTER = re.compile(
    r"\bArtikel\s+ini\s+(?:telah\s+)?(?:tayang|terbit|dimuat)\s+(?:di|pada)\s*(?P<outlet>.+?)\s*"
    r"(?:\bdengan\s+judul\b\s*(?P<rest>.*)|[,.;](?=\s|$)\s*(?P<tail>.*)|$)",
    re.I | re.S,
)
_SUMBER = re.compile(
    rf"(?:^|(?<=[\s|/•·(]))(?:{credits.alternation(credits.labels_with(credits.SOURCE))})\s*:\s*(?P<outlet>.+?)\s*"
    rf"(?=$|\||\s[/•·]\s|[;,]|\b(?:{credits.alternation(credits.labels_with(*_PEOPLE))})\s*:)",
    re.I | re.S,
)
_VIA = re.compile(
    r"^\s*(?:\d+\s?\w{1,6}(?:\s+(?:yang\s+)?lalu)?\s+)?via\s+(?P<outlet>\S+(?:\s+\S+){0,2}?)\s*[.]?\s*$",
    re.I,
)
# `via` also names channels, not outlets.
_NOT_VIA_OUTLETS = frozenset({
    "whatsapp", "wa", "telegram", "email", "e-mail", "surel", "telepon", "sms", "instagram", "ig", "twitter",
    "x", "facebook", "fb", "youtube", "tiktok", "zoom", "google", "google news", "pesan", "aplikasi",
    "daring", "online", "line", "threads",
})
_KLIK = re.compile(r"Klik\s+untuk\s+baca\s*:?\s*(?P<url>https?://\S+)", re.I)
_URL = re.compile(r"https?://[^\s\"'<>]+", re.I)
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']?(?P<url>https?://[^"'\s>]+)""", re.I)
_URL_TRAIL = ".,;:)]}\"'”’…"


def _clean_url(raw: str | None) -> str | None:
    if not raw:
        return None
    url = raw.strip()
    while url and (url[-1] in _URL_TRAIL or url.endswith("...")):
        url = url[:-3] if url.endswith("...") else url[:-1]
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        return None
    if portal_for_host(host) is not None:
        try:
            return canonical_url(url)
        except Exception:  # a malformed query must not cost us the rest of the item
            return url
    return url


def _lines(value: object) -> list[str]:
    if type(value) is not list:  # a list is iterable and none of the single values: no ABC check for it
        if value is None:
            return []
        if isinstance(value, (str, bytes, bytearray, dict)):
            value = [value]
        if not isinstance(value, Iterable):
            return []
    out: list[str] = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, (bytes, bytearray)):
            item = bytes(item).decode("utf-8", errors="replace")
        if isinstance(item, str):
            out.append(item)
    return out


def _from_line(raw: str) -> tuple[str | None, str | None]:
    text = strip_tags(raw)
    if not text:
        return None, None
    footer = _FOOTER.search(text)
    if footer is not None:
        outlet = normalise_outlet(footer.group("outlet"))
        rest = footer.group("rest") or footer.group("tail") or ""
        klik = _KLIK.search(rest)
        url_match = klik.group("url") if klik else None
        if url_match is None:
            found = _URL.search(rest)
            url_match = found.group(0) if found else None
        if url_match is None and "<" in raw:
            # The title may be an anchor whose text is not the URL: take the first link after the title.
            judul = raw.lower().find("dengan")
            href = _HREF.search(raw, max(judul, 0))
            url_match = href.group("url") if href else None
        return outlet, _clean_url(url_match)
    sumber = _SUMBER.search(text)
    if sumber is not None:
        value = sumber.group("outlet")
        url = _URL.search(value)
        return normalise_outlet(value), _clean_url(url.group(0)) if url else None
    via = _VIA.match(text)
    if via is not None and via.group("outlet").strip(_OUTLET_TRIM).casefold() not in _NOT_VIA_OUTLETS:
        return normalise_outlet(via.group("outlet")), None
    return None, None


def parse_source(lines: object, structured: object = None) -> tuple[str | None, str | None]:
    """(source, source_url) from visible credit lines (`Sumber: X`, `Artikel ini telah tayang di X dengan judul
    …, URL`, `via x`), first credit wins; the structured source (dataLayer) only when nothing visible credits
    one. Outlets cited inside the text (`dilansir dari X`) are never read here."""
    source: str | None = None
    source_url: str | None = None
    for raw in _lines(lines):
        outlet, url = _from_line(raw)
        if source is None and outlet is not None:
            source = outlet
        if source_url is None and url is not None:
            source_url = url
        if source is not None and source_url is not None:
            break
    if source is None and source_url is not None:
        source = normalise_outlet(source_url)
    if source is None:
        for raw in _lines(structured):
            source = normalise_outlet(raw)
            if source is not None:
                break
    return source, source_url
