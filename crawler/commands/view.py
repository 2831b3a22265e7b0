"""``scrapy view`` without touching the run's feed, stats or state (see :class:`crawler.commands.AdHocCommand`)."""

from scrapy.commands.view import Command as ScrapyViewCommand

from crawler.commands import AdHocCommand


class Command(AdHocCommand, ScrapyViewCommand):
    pass
