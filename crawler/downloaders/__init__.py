"""Download handlers for http(s): the live network, the offline mirror, or an origin override.

Registered for both schemes in settings; which mode runs is decided once, from settings, when the
crawler starts. All three sit at the bottom of Scrapy's download stack, so middlewares, retries,
robots.txt, throttling and stats behave exactly as on the live network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.utils.misc import build_from_crawler, load_object

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

HTTP_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"


class TribunDownloadHandler(BaseDownloadHandler):
    """Dispatches to WARC files (``TRIBUN_REPLAY``), the mirror (``TRIBUN_MIRROR``), the origin override
    (``TRIBUN_ORIGIN``) or plain HTTP."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        if settings.getlist("TRIBUN_REPLAY"):
            from crawler.downloaders.replay import WarcReplayHandler

            self._impl: BaseDownloadHandler = WarcReplayHandler(crawler)
        elif settings.get("TRIBUN_MIRROR"):
            from crawler.downloaders.mirror import MirrorDownloadHandler

            self._impl = MirrorDownloadHandler(crawler)
        elif settings.get("TRIBUN_ORIGIN"):
            from crawler.downloaders.origin import OriginDownloadHandler

            self._impl = OriginDownloadHandler(crawler)
        else:
            self._impl = build_from_crawler(load_object(HTTP_HANDLER), crawler)

    async def download_request(self, request: Request) -> Response:
        return await self._impl.download_request(request)

    async def close(self) -> None:
        await self._impl.close()
