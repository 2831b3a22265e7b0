"""``scrapy shell`` without touching the run's feed, stats or state (see :class:`crawler.commands.AdHocCommand`)."""

from scrapy.commands.shell import Command as ScrapyShellCommand

from crawler.commands import AdHocCommand


class Command(AdHocCommand, ScrapyShellCommand):
    pass
