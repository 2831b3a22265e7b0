"""Node names, per-node run ids and the add-on that switches the distributed mode on (crawler/nodes.py)."""

from __future__ import annotations

import fnmatch
import os
import socket

from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.nodes import DistributedMode, node_name, node_run_id, redis_url


def project(**overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_node_name_from_the_setting_is_made_safe_for_file_names():
    assert node_name(Settings({"TRIBUN_NODE": "crawl-02"})) == "crawl-02"
    assert node_name(Settings({"TRIBUN_NODE": "../etc/passwd x"})) == "etc-passwd-x"


def test_node_name_defaults_to_hostname_and_pid():
    assert node_name(Settings()) == f"{socket.gethostname().split('.')[0]}-{os.getpid()}"


def test_node_run_ids_sort_in_run_order_and_match_the_readme_glob():
    earlier = node_run_id("20261206T080210.865460Z", "zeta")
    later = node_run_id("20261206T080214.466057Z", "alpha")
    assert earlier == "20261206T080210.865460-zetaZ"
    assert sorted([later, earlier]) == [earlier, later]
    assert fnmatch.fnmatch(f"{earlier}.jsonl", "*Z.jsonl")
    assert not fnmatch.fnmatch(f"{earlier}.duplicates.jsonl", "*Z.jsonl")


def test_without_the_url_nothing_changes():
    settings = project()
    DistributedMode().update_settings(settings)
    assert redis_url(settings) is None
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert "crawler.distributed.Node" not in settings.getdict("EXTENSIONS")
    assert "crawler.middlewares.shared_budget.SharedBudgetMiddleware" not in settings.getdict("DOWNLOADER_MIDDLEWARES")


def test_the_url_switches_on_the_shared_scheduler_node_and_budget():
    settings = project(TRIBUN_REDIS_URL="redis://127.0.0.1:6379/0")
    DistributedMode().update_settings(settings)
    assert settings.get("SCHEDULER") == "crawler.distributed.SharedScheduler"
    assert settings.getdict("EXTENSIONS")["crawler.distributed.Node"] == 90
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")["crawler.middlewares.shared_budget.SharedBudgetMiddleware"] == 900
    off = project(TRIBUN_REDIS_URL="redis://127.0.0.1:6379/0", TRIBUN_REDIS_SHARED_BUDGET=False)
    DistributedMode().update_settings(off)
    assert "crawler.middlewares.shared_budget.SharedBudgetMiddleware" not in off.getdict("DOWNLOADER_MIDDLEWARES")
