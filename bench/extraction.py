"""Extraction benchmark: our parse + normalise per page, beside the parse floor and trafilatura.

Pages: every article page of the bundled mirror (``mirror/``: generated pages of every layout era, plus the
real pages it carries byte-for-byte) and the real pages of ``../shared/corpus/real/`` when that folder is
there. Identical files (a real page copied to ``?page=all``) are timed once. A page our parser refuses
(``NotAnArticle``: the mobile homepage) is left out of every column, so all columns time the same pages.

``reps`` rounds (after one warm-up) in which each candidate and stage in turn runs over every page, timed page by
page in CPU time (``time.process_time``); a page's time for a candidate is the median of its runs. A candidate thus
runs page after page as a worker runs them, and never pays for the CPU caches another one left behind (code
timed right after a large document was freed pays for reloading its own). The crawler's own caches (recurring
names, credit lines, dates) are emptied before every round, so no page finds its results of the round before;
the real pages come last in a round, so they find what the generated pages left, as an article read in the
middle of a crawl finds what the articles before it left.
The columns are, on the same ``bytes``:

* floor: ``lxml.html.fromstring(data)``, parsing alone;
* ours: what a worker does with a response body served as ``text/html; charset=utf-8`` (every page here is):
  ``crawler.workers.read_article_page(data, "utf-8", url, state, 1)`` itself, i.e. ``parse_article`` on the
  bytes (libxml2 checking they are UTF-8 as it parses) and ``normalise_article``, the article emitted from this
  page (``max_pages`` 1, so every page is normalised once, as an article's last page is);
* trafilatura: ``trafilatura.extract(data)`` with its defaults (only when the ``bench`` extra is installed).

``python -m bench.extraction [--reps 5] [--profile bench/results/profile.txt]``.

``--loop ours|floor|none [--rounds 5] [--group generated|real]`` runs one column over the pages without timing,
for a profiler outside the process; ``none`` is the baseline of start-up and page loading. Instructions counted
by ``valgrind --tool=cachegrind --cache-sim=no python -m bench.extraction --loop ours`` do not drift with the
machine's speed as times do.

A speed change must leave every output as it was: ``--outputs-save FILE`` writes what every page gives (the
raw fields of ``parse_article`` on the bytes and on the decoded text, the ``generic`` layout's raw fields, and
the normalised item), ``--outputs-check FILE`` compares the current code's outputs with that file, names the
pages that differ and exits 1 when any does (no timing is done with either option).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import MIRROR, REAL_DIR, ROOT, fmt, median, table

CRAWLED_AT = datetime(2025, 11, 25, tzinfo=UTC)
HTTP_DATE = "Tue, 25 Nov 2025 00:00:00 GMT"


@dataclass
class Page:
    name: str  # mirror-relative path, or the real file's name
    url: str
    data: bytes
    group: str  # "generated" or "real"
    times: dict[str, float] = field(default_factory=dict)  # candidate -> median seconds (median over the runs)
    runs: list[dict[str, float]] = field(default_factory=list)  # each run's ``times``


def _url_for(rel: str) -> str:
    """The URL a mirror file answers (``host/path?query``), the inverse of the mirror handler's mapping."""
    host, _, rest = rel.partition("/")
    path, sep, query = rest.partition("?")
    return f"https://{host}/{quote(path)}" + (f"?{query}" if sep else "")


def _real_url(path: Path) -> str | None:
    """The original URL of a real page, from its ``<link rel=canonical>``/``og:url`` (None: not an article)."""
    import lxml.html

    root = lxml.html.fromstring(path.read_bytes())
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = root.xpath(xpath)
        if found:
            return str(found[0]).strip()
    return None


def load_pages(mirror: Path = MIRROR, real_dir: Path = REAL_DIR) -> list[Page]:
    from crawler import urls

    real_hashes: dict[str, str] = {}
    pages: list[Page] = []
    seen: set[str] = set()
    if real_dir.is_dir():
        for path in sorted(real_dir.glob("*.html")):
            url = _real_url(path)
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            real_hashes[digest] = path.name
            if url and urls.in_network(url) and urls.is_article_url(url):
                pages.append(Page(path.name, url, data, "real"))
                seen.add(digest)
    for path in sorted(p for p in mirror.rglob("*") if p.is_file()):
        rel = path.relative_to(mirror).as_posix()
        url = _url_for(rel)
        if not urls.in_network(url) or not urls.is_article_url(url):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        pages.append(Page(rel, url, data, "real" if digest in real_hashes else "generated"))
    return pages


def candidates() -> dict[str, Callable[[Page], Any]]:
    """name -> function of a page; ``ours`` first, then the floor, then trafilatura when installed."""
    import lxml.html

    from crawler import urls
    from crawler.article_flow import ArticleState
    from crawler.workers import read_article_page

    def ours(page: Page) -> Any:
        state = ArticleState(url=urls.canonical_url(page.url), fetched_at=CRAWLED_AT, http_date=HTTP_DATE)
        step = read_article_page(page.data, "utf-8", page.url, state, 1)
        if step.article is None:
            raise AssertionError(f"{page.name}: not normalised")
        return step.article

    def floor(page: Page) -> Any:
        return lxml.html.fromstring(page.data)

    found: dict[str, Callable[[Page], Any]] = {"ours": ours, "floor": floor}
    try:
        import trafilatura
    except ImportError:
        return found

    def traf(page: Page) -> Any:
        return trafilatura.extract(page.data)

    found["trafilatura"] = traf
    return found


def stages() -> dict[str, Callable[[Page], Any]]:
    """The pieces of ``ours``, timed on their own to show where its time goes."""
    from lxml import etree

    from crawler import urls
    from crawler.items import FetchedArticle
    from crawler.normalise.article import normalise_article
    from crawler.parsers import parse_article

    cache: dict[str, Any] = {}
    utf8 = etree.HTMLParser(encoding="utf-8")

    def lxml_bytes(page: Page) -> Any:  # what parse_article's own lxml parse costs (the bytes, as UTF-8)
        return etree.HTML(page.data, utf8)

    def parse(page: Page) -> Any:  # parse_article, including its lxml parse
        raw = parse_article(page.data, page.url, encoding="utf-8")
        cache[page.name] = raw
        return raw

    def normalise(page: Page) -> Any:
        raw = cache.get(page.name) or parse(page)
        fetched = FetchedArticle(url=urls.canonical_url(page.url), raw=raw, fetched_at=CRAWLED_AT,
                                 http_date=HTTP_DATE, pages=1)
        return normalise_article(fetched)

    trees: dict[str, Any] = {}
    # What a per-page landmark table would cost before any field is read: one pass over every element of an
    # already parsed tree, the least such a pass does (its tag and class), and the same landmarks found by one
    # compiled XPath union instead. Neither is part of ours; they size the one-pass design against it.
    landmarks = etree.XPath(" | ".join(f"/descendant::{step}" for step in (
        "h1", "div[contains(concat(' ', normalize-space(@class), ' '), ' txt-article ')]",
        "ul[contains(@class, 'breadcrumb')]", "time", "span[contains(@class, 'total-page')]",
        "a[contains(@href, 'page=')]", "div[contains(@class, 'paging')]/descendant::a[@href]",
        "div[contains(@class, 'bdr3')]", "figcaption", "img")))

    def tree(page: Page) -> Any:
        root = trees.get(page.name)
        if root is None:
            root = trees[page.name] = etree.HTML(page.data, utf8)
        return root

    def one_pass(page: Page) -> Any:
        for el in tree(page).iter(etree.Element):
            el.tag, el.get("class")

    def union(page: Page) -> Any:
        return landmarks(tree(page))

    return {"lxml(bytes)": lxml_bytes, "parse_article": parse,
            "normalise": normalise, "one pass": one_pass, "XPath union": union}


def clear_caches() -> int:
    """Empties every ``functools`` cache of the crawler's modules (names, credit lines, dates…); returns how many.

    Run before each round, so that a round reads the pages as a crawl meets them, each once: a name or credit
    line that recurs from page to page (the same staff on every page of a portal) is still found in the cache,
    but no page finds its own results there from the round before, which would flatter ours."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if name == "crawler" or name.startswith("crawler."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and hasattr(value, "__wrapped__"):
                    value.cache_clear()
                    cleared += 1
    return cleared


def _time(funcs: dict[str, Callable[[Page], Any]], pages: list[Page], reps: int) -> None:
    """Sets ``page.times[name]``: the median time of ``funcs[name](page)`` over ``reps`` rounds, in each of which
    every function in turn runs over all the pages, the crawler's caches emptied before it (:func:`clear_caches`)."""
    for fn in funcs.values():
        for page in pages:
            fn(page)  # warm-up (imports, caches, regex compilation)
    runs: dict[str, list[list[float]]] = {name: [[] for _ in pages] for name in funcs}
    # CPU time of this process, not wall time: on a shared machine the other processes' load is not counted. The
    # functions take turns round by round (one function's round is a fraction of a second), so a slow drift of the
    # machine hits every column alike; within a round one function runs page after page, as a worker does, and
    # finds the CPU caches as its own previous page left them.
    clock = time.process_time
    for _ in range(reps):
        for name, fn in funcs.items():
            times = runs[name]
            clear_caches()
            for i, page in enumerate(pages):
                began = clock()
                fn(page)
                times[i].append(clock() - began)
    for name, per_page in runs.items():
        for page, times in zip(pages, per_page, strict=True):
            page.times[name] = median(times)


def accepted(pages: list[Page]) -> tuple[list[Page], list[Page]]:
    """(pages ours reads, pages it refuses as not an article)."""
    from crawler.parsers.base import NotAnArticle

    ours = candidates()["ours"]
    timed, refused = [], []
    for page in pages:
        try:
            ours(page)
        except NotAnArticle:
            refused.append(page)
            continue
        timed.append(page)
    return timed, refused


def measure(pages: list[Page], reps: int, runs: int = 1) -> tuple[list[Page], list[Page], list[str]]:
    """Times every candidate and stage on every page that our parser accepts, ``runs`` times over (each run
    ``reps`` rounds); returns (timed, refused, names)."""
    cands = candidates()
    timed, refused = accepted(pages)
    # The real pages last in each round: they meet the caches as a page in the middle of a crawl does, holding
    # what other pages left (label spellings, zones, recurring names) but nothing of their own.
    funcs = {**cands, **stages()}
    order = sorted(timed, key=lambda page: page.group == "real")
    for _ in range(runs):
        _time(funcs, order, reps)
        for page in timed:
            page.runs.append(dict(page.times))
    for page in timed:
        page.times = {name: median(run[name] for run in page.runs) for name in funcs}
    return timed, refused, list(cands)


def profile(pages: list[Page], out: Path, rounds: int = 20, top: int = 40) -> str:
    """cProfile of ``ours`` over every timed page, ``rounds`` times; top functions by cumulative and own time."""
    ours = candidates()["ours"]
    for page in pages:
        ours(page)
    prof = cProfile.Profile()
    began = time.perf_counter()
    prof.enable()
    for _ in range(rounds):
        for page in pages:
            ours(page)
    prof.disable()
    wall = time.perf_counter() - began
    text = io.StringIO()
    text.write(f"cProfile of parse + normalise (bench.extraction 'ours'): {len(pages)} pages x {rounds} rounds, "
               f"{wall:.2f} s under the profiler ({wall / rounds / len(pages) * 1e3:.2f} ms/page with profiling "
               f"overhead).\nRegenerate: python -m bench.extraction --profile "
               f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}\n")
    write_stats(prof, text, top)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.getvalue(), encoding="utf-8")
    return text.getvalue()


def by_module(stats: pstats.Stats, top: int = 25) -> str:
    """Own time summed per source file (C functions of lxml, re, str… under ``~``): where time goes, not who
    called it."""
    totals: dict[str, float] = {}
    grand = 0.0
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        name = filename if filename == "~" else "/".join(Path(filename).parts[-2:])
        totals[name] = totals.get(name, 0.0) + tottime
        grand += tottime
    lines = [f"{'own s':>8} {'share':>6}  file"]
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{seconds:8.3f} {seconds / grand:6.1%}  {name}")
    return "\n".join(lines) + "\n"


def write_stats(prof: cProfile.Profile | str, text: io.StringIO, top: int = 40, restrict: str | None = None) -> None:
    """Own time per file, then the top functions by cumulative and by own time, into ``text``."""
    text.write("\n===== own time by source file ('~' = C built-ins: lxml, re, str, …) =====\n")
    text.write(by_module(pstats.Stats(prof)))
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own time (tottime)")):
        text.write(f"\n===== top {top} by {title}" + (f" (functions matching {restrict!r})" if restrict and
                                                        key == "cumulative" else "") + " =====\n")
        stats = pstats.Stats(prof, stream=text)
        if restrict and key == "cumulative":
            stats.sort_stats(key).print_stats(restrict, top)
        else:  # strip_dirs() forgets the sort order: strip first, then sort
            stats.strip_dirs().sort_stats(key).print_stats(top)


def _ms(seconds: float) -> float:
    return seconds * 1e3


def report(timed: list[Page], refused: list[Page], names: list[str], reps: int) -> tuple[str, dict[str, Any]]:
    """The Markdown section and the figures it shows."""
    groups = [("generated (mirror)", [p for p in timed if p.group == "generated"]),
              ("real pages", [p for p in timed if p.group == "real"]),
              ("all", timed)]
    has_traf = "trafilatura" in names
    header = ["pages", "n", "median KB", "floor ms", "ours ms", "ours/floor"]
    if has_traf:
        header += ["trafilatura ms", "trafilatura/ours"]
    header += ["ours mean ms", "floor mean ms"]
    rows, figures = [], {}
    for label, group in groups:
        if not group:
            continue
        med = {n: median(p.times[n] for p in group) for n in names}
        mean = {n: sum(p.times[n] for p in group) / len(group) for n in names}
        # The ratio of each run (the machine's speed drifts between runs more than within one), and their median.
        by_run = [median(p.runs[r]["ours"] for p in group) / median(p.runs[r]["floor"] for p in group)
                  for r in range(len(group[0].runs))]
        ratio = median(by_run)
        shown = fmt(ratio, 2, "×") + (f" ({min(by_run):.2f}–{max(by_run):.2f}×)" if len(by_run) > 1 else "")
        row = [label, len(group), fmt(median(len(p.data) / 1024 for p in group), 0),
               fmt(_ms(med["floor"])), fmt(_ms(med["ours"])), shown]
        if has_traf:
            row += [fmt(_ms(med["trafilatura"])), fmt(med["trafilatura"] / med["ours"], 1, "×")]
        row += [fmt(_ms(mean["ours"])), fmt(_ms(mean["floor"]))]
        rows.append(row)
        figures[label] = {"median_ms": {n: _ms(v) for n, v in med.items()}, "n": len(group), "ratio": ratio,
                          "ratio_runs": by_run}
    stage_names = ["lxml(bytes)", "parse_article", "normalise", "one pass", "XPath union"]
    stage_rows = []
    for label, group in groups:
        if group:
            stage_rows.append([label, *(fmt(_ms(median(p.times[s] for p in group))) for s in stage_names)])
    lines = [
        "## Extraction (per page, same bytes)",
        "",
        f"Median over pages of each page's median of {reps} rounds (CPU time; in a round each column runs over "
        "every page in turn, page after page as a worker does), measured "
        f"{len(timed[0].runs) if timed else 0} times over: the ms columns are the medians of the runs, "
        "ours/floor the median of the runs' ratios with their range. floor = `lxml.html.fromstring(bytes)`; "
        "ours = the worker's `read_article_page(bytes, \"utf-8\", url, state, 1)`: `parse_article` on the bytes "
        "(libxml2 checking they are UTF-8 as it parses) and `normalise_article`, the page read as an article's "
        "last page; "
        "trafilatura = `trafilatura.extract(bytes)`"
        + ("" if has_traf else " (not installed: `pip install -e .[bench]`)")
        + ". Targets: ours/floor ≤ 2.0× on the generated pages and ≤ 1.5× on the real ones, trafilatura/ours ≥ 5×.",
        "",
        table(header, rows),
        "",
        "Where ours spends its time (median ms/page of each stage timed alone; parse_article includes its own "
        "lxml parse of the bytes and the tree's freeing; one pass = tag and class of every element of the "
        "parsed tree, what a per-page landmark table would cost before reading any field; XPath union = the "
        "main landmarks (h1, body container, breadcrumb, times, pager, date block, captions, images) by one "
        "compiled XPath on the parsed tree; neither is part of ours):",
        "",
        table(["pages", *stage_names], stage_rows),
    ]
    if refused:
        lines += ["", f"Not timed (our parser says not an article): {', '.join(p.name for p in refused)}."]
    return "\n".join(lines), figures


def run(reps: int = 5, profile_out: Path | None = None, profile_rounds: int = 20,
        runs: int = 1) -> tuple[str, dict[str, Any]]:
    pages = load_pages()
    timed, refused, names = measure(pages, reps, runs)
    text, figures = report(timed, refused, names, reps)
    if profile_out is not None:
        profile(timed, profile_out, profile_rounds)
        shown = profile_out.relative_to(ROOT) if profile_out.is_relative_to(ROOT) else profile_out
        text += f"\n\nProfile of ours: `{shown}` (cProfile, top functions by cumulative and own time)."
    return text, figures


def outputs(pages: list[Page]) -> dict[str, str]:
    """page name (+ ``#str`` / ``#generic`` for the other readings) -> repr of what it gives, for
    ``--outputs-save``/``--outputs-check``."""
    from crawler import urls
    from crawler.items import FetchedArticle
    from crawler.normalise.article import normalise_article
    from crawler.parsers import generic, parse_article
    from crawler.parsers.base import NotAnArticle
    from crawler.workers import parse_page

    def normalised(page: Page) -> Any:  # the page as a whole article, as the saved outputs were made
        raw = parse_page(page.data, "utf-8", page.url)
        return normalise_article(FetchedArticle(
            url=urls.canonical_url(page.url), raw=raw, fetched_at=CRAWLED_AT, http_date=HTTP_DATE,
            pages=max(raw.page_count, 1) if raw.is_all_pages else 1))

    readings: list[tuple[str, Callable[[Page], Any]]] = [
        ("", lambda p: (parse_article(p.data, p.url, encoding="utf-8"), normalised(p))),
        ("#str", lambda p: parse_article(p.data.decode("utf-8", "replace"), p.url)),
        ("#generic", lambda p: parse_article(p.data, p.url, encoding="utf-8", layouts=(generic,))),
    ]
    found: dict[str, str] = {}
    for page in pages:
        for suffix, read in readings:
            try:
                found[page.name + suffix] = repr(read(page))
            except NotAnArticle as exc:
                found[page.name + suffix] = f"NotAnArticle: {exc}"
    return found


def loop(pages: list[Page], name: str, rounds: int) -> int:
    """Runs candidate ``name`` over ``pages`` for ``rounds`` rounds as :func:`measure` does (caches emptied before
    each round), without timing: for a profiler outside the process. ``none`` runs nothing, the baseline of
    start-up and page loading. Returns how many pages were read."""
    found = candidates()
    if name != "none" and name not in found:
        raise SystemExit(f"--loop: no candidate {name!r} (choose from none, {', '.join(found)})")
    read = found.get(name)
    count = 0
    for _ in range(rounds):
        clear_caches()
        for page in pages:
            if read is not None:
                read(page)
            count += 1
    return count


def check_outputs(saved: dict[str, str], now: dict[str, str]) -> list[str]:
    """The readings whose output differs from ``saved`` (or is missing on either side)."""
    return sorted(name for name in saved.keys() | now.keys() if saved.get(name) != now.get(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="whole measurements; ours/floor is their median")
    parser.add_argument("--profile", type=Path, default=None, help="also write a cProfile report here")
    parser.add_argument("--profile-rounds", type=int, default=20)
    parser.add_argument("--outputs-save", type=Path, default=None, help="write every page's outputs here, no timing")
    parser.add_argument("--outputs-check", type=Path, default=None,
                        help="compare every page's outputs with this file (from --outputs-save), no timing")
    parser.add_argument("--loop", default=None, metavar="CANDIDATE",
                        help="run ours, floor or none over the pages without timing, for an outside profiler")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --loop")
    parser.add_argument("--group", choices=("generated", "real"), default=None, help="pages of --loop")
    args = parser.parse_args()
    if args.loop:
        pages = accepted([p for p in load_pages() if args.group in (None, p.group)])[0]
        print(f"{loop(pages, args.loop, args.rounds)} page reads by {args.loop}")
        return
    if args.outputs_save or args.outputs_check:
        now = outputs(load_pages())
        if args.outputs_save:
            args.outputs_save.write_text(json.dumps(now, indent=0, sort_keys=True), encoding="utf-8")
            print(f"{len(now)} outputs written to {args.outputs_save}")
        if args.outputs_check:
            changed = check_outputs(json.loads(args.outputs_check.read_text(encoding="utf-8")), now)
            print(f"{len(now)} outputs, {len(changed)} changed" + "".join(f"\n  {name}" for name in changed))
            if changed:
                raise SystemExit(1)
        return
    text, _ = run(args.reps, args.profile.resolve() if args.profile else None, args.profile_rounds, args.runs)
    print(text)


if __name__ == "__main__":
    main()
