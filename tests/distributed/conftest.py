"""Fixtures of the distributed suite: a real redis-server per test (tests/redisserver.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.redisserver import RedisServer, available


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if not available():
        pytest.skip("redis-server is not installed (.ci/run installs it: apt-get install redis-server)")
    with RedisServer(tmp_path / "redis") as server:
        yield server
