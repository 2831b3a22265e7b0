"""Monitors that judge a finished run (spidermon): items, field coverage, error and drop rates, unread pages,
schema validity and coverage drift against earlier runs. A failed monitor makes ``scrapy crawl`` exit 79."""
