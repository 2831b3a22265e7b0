"""Shingles, MinHash and the near-duplicate index (crawler.similarity)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import similarity
from crawler.similarity import NearDuplicateIndex, band_rows, lowest_jaccard, minhash, overlap, shingles
from tests.dedup.conftest import COPY, OTHER, STORY

ROOT = Path(__file__).resolve().parents[2]


def test_shingles_ignore_case_and_punctuation():
    assert shingles("Banjir melanda Bangka, kata Bupati.") == shingles("banjir  melanda BANGKA kata bupati")
    assert len(shingles("satu dua tiga empat")) == 2
    assert len(shingles("dua kata")) == 1  # shorter than a shingle: one shingle of all words
    assert shingles("  ,.  ") == frozenset()


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({1, 2, 3, 4}, {1, 2, 3, 4}, 1.0),
    ({1, 2, 3, 4}, {3, 4, 5, 6}, 0.5),
    ({1, 2}, {1, 2, 3, 4, 5, 6}, 1.0),  # the smaller set is wholly in the larger
    ({1, 2}, {3}, 0.0),
    (set(), {1}, 0.0),
])
def test_overlap(a: set[int], b: set[int], expected: float):
    assert overlap(frozenset(a), b) == pytest.approx(expected)
    assert overlap(frozenset(b), a) == pytest.approx(expected)


def test_syndicated_copy_is_near_and_a_different_story_is_not():
    # Jaccard alone would miss it: the copy's reporter line, caption and footer add ~12 % of shingles.
    assert jaccard(shingles(STORY), shingles(COPY)) < 0.9
    assert overlap(shingles(STORY), shingles(COPY)) >= 0.9
    assert overlap(shingles(STORY), shingles(OTHER)) < 0.1


def test_minhash_agrees_with_jaccard():
    a, b = shingles(STORY), shingles(COPY)
    sa, sb = minhash(a), minhash(b)
    estimate = sum(x == y for x, y in zip(sa, sb, strict=True)) / len(sa)
    assert abs(estimate - jaccard(a, b)) < 0.15  # 64 permutations: the estimate is only for candidate picking


def test_bands_find_the_least_similar_qualifying_pair():
    # Overlap 0.9 between a body and one twice as long is Jaccard 0.43: still found 99 % of the time.
    floor = lowest_jaccard(0.9)
    assert floor == pytest.approx(0.45 / 1.05)
    for threshold in (0.5, 0.8, 0.9, 0.95):
        jac = lowest_jaccard(threshold)
        rows = band_rows(jac)
        assert 1 - (1 - jac**rows) ** (similarity.NUM_PERM // rows) >= 0.99
    assert band_rows(0.9) > band_rows(0.43)  # more similar pairs afford longer bands (fewer candidates)


def test_index_finds_the_copy_with_its_exact_similarity():
    index = NearDuplicateIndex(0.9)
    index.add("https://bangka.tribunnews.com/2025/01/10/banjir", shingles(STORY))
    index.add("https://surabaya.tribunnews.com/2025/01/10/cabai", shingles(OTHER))
    match = index.query(shingles(COPY))
    assert match is not None
    assert match.key == "https://bangka.tribunnews.com/2025/01/10/banjir"
    assert match.similarity == pytest.approx(overlap(shingles(STORY), shingles(COPY)))
    assert index.query(shingles(OTHER.replace("Surabaya", "Malang"))).key.endswith("/cabai")
    assert index.query(shingles("Sebuah berita lain sama sekali tentang sepak bola di Jakarta. " * 3)) is None


def test_the_copy_is_found_whichever_arrives_first():
    index = NearDuplicateIndex(0.9)
    index.add("copy", shingles(COPY))
    assert index.query(shingles(STORY)).key == "copy"


def test_short_texts_and_very_different_lengths_are_not_near_duplicates():
    index = NearDuplicateIndex(0.9)
    index.add("full", shingles(STORY))
    flash = STORY.split("\n\n")
    assert index.query(shingles("\n\n".join(flash[:3]))) is None  # wholly contained, but a third of the length
    assert index.query(shingles("\n\n".join(flash[:6]))).key == "full"
    index.add("video", shingles("Simak videonya berikut ini."))
    assert len(index) == 1  # too short to be indexed
    assert index.query(shingles("Simak videonya berikut ini ya.")) is None


def test_threshold_is_respected():
    score = overlap(shingles(STORY), shingles(COPY))
    strict = NearDuplicateIndex(min(1.0, score + 0.005))
    strict.add("a", shingles(STORY))
    assert strict.query(shingles(COPY)) is None


def _random_text(rng: random.Random, vocabulary: list[str], words: int = 150) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def test_query_verifies_few_candidates_among_thousands(monkeypatch: pytest.MonkeyPatch):
    """LSH, not pairwise: a query computes the exact overlap of a handful of candidates, not of all
    indexed items (counted, not timed)."""
    rng = random.Random(7)
    vocabulary = [f"kata{i}" for i in range(3000)]
    index = NearDuplicateIndex(0.9)
    for i in range(2000):
        index.add(f"doc{i}", shingles(_random_text(rng, vocabulary)))
    calls: list[int] = []
    real = similarity.overlap
    monkeypatch.setattr(similarity, "overlap", lambda a, b: calls.append(1) or real(a, b))
    assert index.query(shingles(_random_text(rng, vocabulary))) is None
    assert len(calls) < 10
    assert index.query(shingles(STORY)) is None


def test_index_forgets_the_oldest_beyond_its_capacity():
    index = NearDuplicateIndex(0.9, capacity=2)
    index.add("story", shingles(STORY))
    index.add("other", shingles(OTHER))
    assert index.query(shingles(COPY)).key == "story"
    index.add("third", shingles(" ".join(f"kata{i}" for i in range(40))))
    assert len(index) == 2
    assert index.query(shingles(COPY)) is None
    assert index._buckets and all("story" not in keys for keys in index._buckets.values())


def test_invalid_threshold_is_refused():
    with pytest.raises(ValueError):
        NearDuplicateIndex(0)


def test_signatures_and_bands_are_the_same_in_every_process():
    """Per-process hash salting must not change decisions between runs."""
    code = ("from crawler.similarity import NearDuplicateIndex, shingles, minhash; import sys;"
            "s = shingles(sys.argv[1]); print(minhash(s)[:4], NearDuplicateIndex(0.9)._band_keys(minhash(s))[:4])")
    outputs = {
        subprocess.run([sys.executable, "-c", code, STORY], cwd=ROOT, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_signature_of_a_short_text_fills_every_bin_the_same_way_for_equal_sets():
    # 25 shingles leave most of the 64 bins empty; densified bins must still agree for equal sets and differ
    # from real minima (they carry the distance above bit 32).
    text = shingles(" ".join(f"kata{i}" for i in range(27)))
    sig = minhash(text)
    assert len(sig) == similarity.NUM_PERM and None not in sig
    assert sig == minhash(frozenset(sorted(text)))
    assert any(value >> 32 for value in sig)
    assert {value & 0xFFFFFFFF for value in sig} <= text


def test_the_hardest_qualifying_pairs_are_candidates_at_least_97_percent_of_the_time():
    """Overlap 0.9 with a body twice as long (Jaccard 0.43) is the least similar pair the index must find;
    band_rows promises ≥ 99 % for independent permutations, and one-permutation hashing must keep it."""
    rng = random.Random(11)
    vocabulary = [f"kata{i}" for i in range(5000)]
    found = 0
    trials = 200
    for _ in range(trials):
        short = [rng.choice(vocabulary) for _ in range(120)]
        # The long body: 90 % of the short one's text, then as many new words again.
        long = short[: int(len(short) * 0.9)] + [rng.choice(vocabulary) for _ in range(len(short) + 20)]
        index = NearDuplicateIndex(0.5)  # the exact-overlap check is not under test here
        index.add("long", shingles(" ".join(long)))
        a, b = shingles(" ".join(short)), shingles(" ".join(long))
        assert 0.35 < len(a & b) / len(a | b) < 0.5
        candidates = {key for band in index._band_keys(minhash(a)) for key in index._buckets.get(band, ())}
        found += "long" in candidates
    assert found >= 0.97 * trials


def test_query_finds_every_qualifying_pair_of_a_seeded_sample():
    """Candidate picking (bands) and dismissal (signature agreement) are both probabilistic; on pairs near
    the decision boundary (overlap 0.9-0.97, length ratio down to 0.55) neither may lose a true pair."""
    rng = random.Random(5)
    vocabulary = [f"kata{i}" for i in range(20000)]
    qualifying = 0
    for trial in range(300):
        story = [rng.choice(vocabulary) for _ in range(rng.randint(60, 300))]
        copy = [w if rng.random() > rng.uniform(0.005, 0.02) else rng.choice(vocabulary) for w in story]
        copy += [rng.choice(vocabulary) for _ in range(int(len(story) * rng.uniform(0, 0.75)))]
        a, b = shingles(" ".join(story)), shingles(" ".join(copy))
        if overlap(a, b) < 0.9 or min(len(a), len(b)) < 0.5 * max(len(a), len(b)):
            continue
        qualifying += 1
        index = NearDuplicateIndex(0.9)
        index.add(f"story{trial}", a)
        match = index.query(b)
        assert match is not None and match.key == f"story{trial}", (trial, overlap(a, b), len(a), len(b))
    assert qualifying >= 150


def test_articles_sharing_boilerplate_are_dismissed_without_an_exact_overlap(monkeypatch: pytest.MonkeyPatch):
    # Every article of a portal repeats the same lines (bylines, "Baca juga" blocks): they make band collisions,
    # and the signature agreement has to dismiss those candidates before the costly exact overlap.
    rng = random.Random(3)
    vocabulary = [f"kata{i}" for i in range(5000)]
    boilerplate = " ".join(rng.choice(vocabulary) for _ in range(60))
    index = NearDuplicateIndex(0.9)
    for i in range(500):
        index.add(f"doc{i}", shingles(boilerplate + " " + _random_text(rng, vocabulary, 140)))
    calls: list[int] = []
    real = similarity.overlap
    monkeypatch.setattr(similarity, "overlap", lambda a, b: calls.append(1) or real(a, b))
    candidates = 0
    for _ in range(20):
        text = shingles(boilerplate + " " + _random_text(rng, vocabulary, 140))
        _, bands = index._signed(text)
        candidates += len({key for band in bands for key in index._buckets.get(band, ())})
        assert index.query(text) is None
    assert candidates > 20 * 50  # the boilerplate does make many candidates
    assert len(calls) < candidates / 20


def test_screened_query_computes_the_overlap_of_exactly_the_candidates_the_full_test_would(
        monkeypatch: pytest.MonkeyPatch):
    """The query screens candidates on one byte of each signature coordinate before the exact test; the
    screen may only spare work, never change which candidates get their exact overlap computed (nor so the
    decision). Stories share boilerplate (many band collisions); copies range from near-identical to well
    below the threshold, at lengths down to less than half, so candidates fall on both sides of every bound."""
    rng = random.Random(17)
    vocabulary = [f"kata{i}" for i in range(4000)]
    boilerplate = [rng.choice(vocabulary) for _ in range(50)]
    index = NearDuplicateIndex(0.9)
    stories: list[list[str]] = []
    exact: list[int] = []
    real_overlap = similarity.overlap
    monkeypatch.setattr(similarity, "overlap", lambda a, b: exact.append(id(b)) or real_overlap(a, b))
    matched = candidates = compared = 0
    for i in range(1500):
        if stories and rng.random() < 0.4:
            story = rng.choice(stories)
            changed = rng.uniform(0.0, 0.15)
            words = [w if rng.random() > changed else rng.choice(vocabulary) for w in story]
            words += [rng.choice(vocabulary) for _ in range(int(len(story) * rng.uniform(0, 1.2)))]
        else:
            words = boilerplate + [rng.choice(vocabulary) for _ in range(rng.randint(40, 250))]
            stories.append(words)
        text = shingles(" ".join(words))
        _, bands = index._signed(text)
        every = dict.fromkeys(key for band in bands for key in index._buckets.get(band, ()))
        exact.clear()
        expected = index.best_of(text, ((key, *index._items[key]) for key in every))
        full = list(exact)
        exact.clear()
        assert index.query(text) == expected, i
        assert exact == full, i
        matched += expected is not None
        candidates += len(every)
        compared += len(full)
        index.add(f"doc{i}", text)
    assert matched > 100 and compared > 2 * matched
    assert candidates > 20 * compared


@pytest.mark.parametrize("rows", [1, 2, 3, 4, 8, 16])
def test_band_keys_are_the_form_state_files_store(rows: int):
    """Band b's key is hash((b, *its rows of the signature)): the persisted near-duplicate index of earlier runs
    holds keys of this form, so any faster way to compute them must give exactly these."""
    rng = random.Random(rows)
    index = NearDuplicateIndex(0.9)
    index.rows = rows
    for _ in range(50):
        signature = tuple(rng.getrandbits(39) for _ in range(similarity.NUM_PERM))
        expected = tuple(hash((band, *signature[band * rows:(band + 1) * rows]))
                         for band in range(similarity.NUM_PERM // rows))
        assert index._band_keys(signature) == expected
