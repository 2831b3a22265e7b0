"""tribun-crawler: a Scrapy crawler for the Tribun news network."""

__version__ = "0.1.0"

# The network's CDN answers 403 to every User-Agent that does not look like a browser's (reported live
# in 2026 for curl, axios, feedparser and custom crawler strings), so the default is browser-class.
# The crawler's own token and contact URL are appended: the site can still tell who is asking.
BROWSER_USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/142.0.0.0 Safari/537.36")
# The product token robots.txt groups are matched against (ROBOTSTXT_USER_AGENT): never a search bot's.
ROBOTS_TOKEN = "tribun-crawler"


def user_agent(contact_url: str) -> str:
    """The default User-Agent: browser-class, then ``tribun-crawler/<version> (+<contact_url>)``."""
    return f"{BROWSER_USER_AGENT} {ROBOTS_TOKEN}/{__version__} (+{contact_url})"
