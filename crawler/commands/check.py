"""``scrapy check`` without touching the run's feed, stats or state (see :class:`crawler.commands.AdHocCommand`)."""

from scrapy.commands.check import Command as ScrapyCheckCommand

from crawler.commands import AdHocCommand


class Command(AdHocCommand, ScrapyCheckCommand):
    pass
