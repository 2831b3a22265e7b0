"""``scrapy bench`` without touching the run's feed, stats or state (see :class:`crawler.commands.AdHocCommand`)."""

from scrapy.commands.bench import Command as ScrapyBenchCommand

from crawler.commands import AdHocCommand


class Command(AdHocCommand, ScrapyBenchCommand):
    pass
