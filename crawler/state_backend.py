"""What the crawl needs from a state store, and which one a crawl opens.

Two stores keep the same contract: :class:`crawler.state.StateStore` (SQLite, one machine, the default) and
:class:`crawler.state_redis.RedisStateStore` (``-s TRIBUN_REDIS_URL=redis://…``: every node of a
distributed crawl reads and commits to one state). The crawl only calls what :class:`StateBackend` lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from crawler.nodes import redis_prefix, redis_url
from crawler.state import SignatureRow, StateRow, StateStore, StoredArticle, state_path

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@runtime_checkable
class StateBackend(Protocol):
    """Emitted URLs, body fingerprints, lastmods and runs, committed in one all-or-nothing step per run, and
    the near-duplicate index persisted across runs (signature rows of emitted articles, by LSH band)."""

    def get(self, url: str) -> StoredArticle | None: ...

    def by_fingerprint(self, fingerprint: str) -> StoredArticle | None: ...

    def count(self) -> int: ...

    def commit(self, rows: Iterable[StateRow], touched: Iterable[str] = (), *, run_id: str,
               now: int | None = None, coverage: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
               signatures: Iterable[SignatureRow] = (), prune_before: int | None = None) -> int: ...

    def near_duplicate_candidates(self, bands: Sequence[int], since: int) -> list[SignatureRow]: ...

    def forget_signature(self, url: str) -> None: ...

    def signature_count(self) -> int: ...

    def set_exit_status(self, run_id: str, status: int) -> None: ...

    def close(self) -> None: ...


def open_state_store(settings: BaseSettings) -> StateBackend:
    """The store the settings choose: Redis when ``TRIBUN_REDIS_URL`` is set, else the SQLite file."""
    url = redis_url(settings)
    if url is None:
        return StateStore(state_path(settings))
    from crawler.state_redis import RedisStateStore  # the `distributed` extra: only imported when asked for

    return RedisStateStore(url, prefix=redis_prefix(settings))
