"""Monitors that judge a finished run (spidermon): items, field coverage, error and drop rates, unread pages,
schema validity and coverage drift against earlier runs. A failed monitor makes ``scrapy crawl`` exit 79."""

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

# spidermon 1.27's runner still calls Spider.log(), deprecated in Scrapy 2.13+: one WARNING line in every
# run's log that says nothing about the run. Only that message from spidermon is silenced.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", category=ScrapyDeprecationWarning,
                        module=r"spidermon\.")
