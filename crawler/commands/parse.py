"""``scrapy parse`` without touching the run's feed, stats or state (see :class:`crawler.commands.AdHocCommand`)."""

from scrapy.commands.parse import Command as ScrapyParseCommand

from crawler.commands import AdHocCommand


class Command(AdHocCommand, ScrapyParseCommand):
    pass
