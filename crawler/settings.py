"""Every setting of the crawler, in one place. Override any of them with ``-s NAME=value``.

Project-specific knobs start with ``TRIBUN_``; the rest are Scrapy's own.
"""

from pathlib import Path

from crawler import __version__

PROJECT_ROOT = Path(__file__).resolve().parent.parent

BOT_NAME = "tribun"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy extract` and our `crawl` (exit status, run lock) live here; Scrapy lets a project command
# replace a built-in one of the same name.
COMMANDS_MODULE = "crawler.commands"

# --- Where things go -----------------------------------------------------------------------------
# Run output. Relative paths are taken from the project root, not the cwd, so cron jobs need no `cd`.
TRIBUN_OUTPUT_DIR = str(PROJECT_ROOT / "output")
# Default feed: one file per run, named by run start (UTC, sortable). `-O`/`-o`/FEEDS replace it.
# The atomic file storage writes `.<name>.part` and renames on close: readers never see half a file.
FEEDS = {
    "%(output_dir)s/tribun/%(run_id)s.jsonl": {"format": "jsonlines", "encoding": "utf-8"},
}
FEED_EXPORT_ENCODING = "utf-8"  # JSON without \u escapes
FEED_STORE_EMPTY = True  # an empty run still leaves an (empty) finished file, so cron output is predictable
FEED_STORAGES = {
    "": "crawler.feeds.AtomicFileFeedStorage",
    "file": "crawler.feeds.AtomicFileFeedStorage",
}
FEED_URI_PARAMS = "crawler.feeds.uri_params"

# --- Offline and test switches -------------------------------------------------------------------
# TRIBUN_MIRROR=DIR answers every request from DIR (wget --mirror layout); a missing file is a 404.
TRIBUN_MIRROR = None
# TRIBUN_ORIGIN=http://127.0.0.1:PORT sends every network request to that server, Host header kept.
TRIBUN_ORIGIN = None
DOWNLOAD_HANDLERS = {
    "http": "crawler.downloaders.TribunDownloadHandler",
    "https": "crawler.downloaders.TribunDownloadHandler",
}

# --- Politeness ----------------------------------------------------------------------------------
TRIBUN_CONTACT_URL = "https://github.com/tribun-crawler/tribun-crawler"
USER_AGENT = f"tribun-crawler/{__version__} (+{TRIBUN_CONTACT_URL})"
ROBOTSTXT_OBEY = True
# All portals are served by one origin, so the per-IP cap is the one that protects it; the per-domain
# cap stops one portal's backlog from starving the others.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
CONCURRENT_REQUESTS_PER_IP = 8
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
# Real article pages are 100-300 KB; anything past 8 MB is not an article and is dropped unparsed.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False  # articles need no session; cookies only leak state between portals

# --- Discovery -----------------------------------------------------------------------------------
# Most pages a multi-page article may have before walking stops (a pagination trap guard).
TRIBUN_MAX_PAGES = 30
# Most index-news listing pages walked per portal and day in backfill mode.
TRIBUN_MAX_LISTING_PAGES = 50

# --- Components ----------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Skips article requests already emitted by an earlier run (cross-run dedup, state store).
    "crawler.middlewares.seen.SeenRequestsMiddleware": 50,
}
SPIDER_MIDDLEWARES = {}
# Order matters: normalise raw page evidence into an Article, validate it, then deduplicate.
ITEM_PIPELINES = {
    "crawler.pipelines.normalise.NormalisePipeline": 100,
    "crawler.pipelines.validate.ValidatePipeline": 200,
    "crawler.pipelines.dedup.DedupPipeline": 300,
}
EXTENSIONS = {
    # Final stats as JSON beside the feed (output/tribun/<run>.stats.json), for monitoring.
    "crawler.extensions.runstats.RunStats": 900,
}
# Where RunStats writes; %(output_dir)s and %(run_id)s are filled in. Empty: off.
TRIBUN_STATS_FILE = "%(output_dir)s/tribun/%(run_id)s.stats.json"

# --- State (cross-run dedup) ---------------------------------------------------------------------
# SQLite (WAL) store of emitted articles; relative to TRIBUN_OUTPUT_DIR.
TRIBUN_STATE_PATH = ".state/tribun.sqlite3"

# --- Engine --------------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
