"""tribun-crawler: a Scrapy crawler for the Tribun news network."""

__version__ = "0.1.0"
