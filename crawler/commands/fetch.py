"""``scrapy fetch`` without touching the run's feed, stats or state (see :class:`crawler.commands.AdHocCommand`)."""

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from crawler.commands import AdHocCommand


class Command(AdHocCommand, ScrapyFetchCommand):
    pass
