"""Placeholder: replaced by the cross-run dedup work (request-level skip of already-emitted articles)."""

from scrapy.exceptions import NotConfigured


class SeenRequestsMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        raise NotConfigured("not implemented yet")
