"""Registry of the Tribun network's portals: key, hosts, brand name and time zone.

Source: the network footer of a real 2020 TribunSolo page (see ``../shared/reference/tribun-markup.md``,
section 4) for hostnames and most brand names. Brand names the footer does not spell out follow the
network's own ``Tribun<Name>`` convention. Time zones follow Indonesia's three zones by province.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

NETWORK_DOMAIN = "tribunnews.com"


@dataclass(frozen=True, slots=True)
class Portal:
    key: str
    host: str  # the canonical (desktop) host
    brand: str
    tz: timezone
    aliases: tuple[str, ...] = ()  # other hosts serving the same portal (mobile, legacy domains)

    @property
    def base_url(self) -> str:
        return f"https://{self.host}"

    @property
    def index_news_url(self) -> str:
        """The dated article listing (``?date=Y-M-D&page=N``): www lists every section under ``/all``."""
        return f"{self.base_url}/index-news/all" if self.key == "tribunnews" else f"{self.base_url}/index-news"


def _regional(key: str, brand: str, tz: timezone = WIB, aliases: tuple[str, ...] = ()) -> Portal:
    return Portal(key, f"{key}.{NETWORK_DOMAIN}", brand, tz, aliases)


# Order: national first, then regional portals alphabetically.
PORTALS: tuple[Portal, ...] = (
    Portal("tribunnews", f"www.{NETWORK_DOMAIN}", "Tribunnews.com", WIB,
           (f"m.{NETWORK_DOMAIN}", NETWORK_DOMAIN)),
    _regional("aceh", "Serambi Indonesia"),
    _regional("ambon", "Tribun Ambon", WIT),
    _regional("babel", "BabelNews"),
    _regional("bali", "Tribun Bali", WITA),
    _regional("bangka", "Bangka Pos"),
    _regional("banjarmasin", "Banjarmasin Post", WITA),
    _regional("banten", "Tribun Banten"),
    _regional("banyumas", "Tribun Banyumas"),
    _regional("batam", "Tribun Batam"),
    _regional("belitung", "Pos Belitung", aliases=("www.posbelitung.com", "posbelitung.com")),
    _regional("bengkulu", "Tribunbengkulu.com"),
    _regional("bogor", "TribunnewsBogor.com"),
    _regional("cirebon", "Tribun Cirebon"),
    _regional("jabar", "TribunJabar.id"),  # today's brand; the 2020 footer said "Tribun Jabar"
    _regional("jakarta", "TribunJakarta.com"),
    _regional("jambi", "Tribun Jambi"),
    _regional("jateng", "Tribun Jateng"),
    _regional("jatim", "TribunJatim.com"),
    _regional("jogja", "Tribun Jogja"),
    _regional("kaltara", "Tribun Kaltara", WITA),
    _regional("kaltim", "Tribun Kaltim", WITA),
    _regional("kupang", "Pos Kupang", WITA),
    _regional("lampung", "Tribun Lampung"),
    _regional("lombok", "Tribun Lombok", WITA),
    _regional("madura", "TribunMadura.com"),
    _regional("makassar", "Tribun Timur", WITA),
    _regional("manado", "Tribun Manado", WITA),
    _regional("mataram", "Tribun Mataram", WITA),
    _regional("medan", "Tribun Medan"),
    _regional("padang", "Tribun Padang"),
    _regional("palembang", "Sriwijaya Post"),
    _regional("palu", "Tribun Palu", WITA),
    _regional("pantura", "Tribun Pantura"),
    _regional("papua", "Tribun Papua", WIT),
    _regional("pekanbaru", "Tribun Pekanbaru"),
    _regional("pontianak", "Tribun Pontianak"),
    _regional("solo", "TribunSolo.com"),
    _regional("sumsel", "Tribun Sumsel"),
    _regional("surabaya", "Surya"),
    _regional("suryamalang", "Surya Malang"),
    _regional("ternate", "Tribun Ternate", WIT),
    _regional("wartakota", "Warta Kota", aliases=("www.wartakotalive.com", "wartakotalive.com")),
)

BY_KEY: dict[str, Portal] = {p.key: p for p in PORTALS}
BY_HOST: dict[str, Portal] = {h: p for p in PORTALS for h in (p.host, *p.aliases)}


def portal_for_host(host: str | None) -> Portal | None:
    """The portal serving ``host`` (desktop, mobile or legacy domain), or None outside the network."""
    if not host:
        return None
    host = host.lower().rstrip(".").split(":", 1)[0]
    return BY_HOST.get(host)


def select(keys: str | None) -> list[Portal]:
    """Portals named in a comma-separated ``-a portals=`` value; all of them when empty.

    Raises ValueError naming every unknown key, so a typo fails the crawl at once instead of silently
    crawling less.
    """
    if not keys or not keys.strip():
        return list(PORTALS)
    wanted = [k.strip().lower() for k in keys.split(",") if k.strip()]
    unknown = [k for k in wanted if k not in BY_KEY]
    if unknown:
        raise ValueError(f"unknown portal(s): {', '.join(unknown)}; known: {', '.join(BY_KEY)}")
    return [BY_KEY[k] for k in dict.fromkeys(wanted)]


def network_hosts() -> list[str]:
    """Every host this crawler may request (desktop, mobile and legacy domains)."""
    return sorted(BY_HOST)
