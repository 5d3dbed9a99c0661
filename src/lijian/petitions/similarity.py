"""Duplicate and related petitions by Chinese text similarity: character bigrams.

Chinese has no spaces, so words are not split; the overlapping character bigrams of a text (with
punctuation and spaces dropped) stand for it — most Chinese words are two characters — and two
texts are as similar as the Dice coefficient of their bigram sets. Two reports of the same matter
in different words still share most bigrams (names, places, the matter); trigrams were tried and
split rephrased reports apart.
"""

from __future__ import annotations

import re

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def ngrams(text: str, sizes=(2,)) -> frozenset[str]:
    clean = _DROP.sub("", text or "")
    grams = {clean[i : i + n] for n in sizes for i in range(len(clean) - n + 1)}
    if not grams and clean:
        grams = {clean}
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def most_similar(text: str, candidates, threshold: float = 0.3, limit: int = 5) -> list[tuple[float, object]]:
    """``candidates`` are (key, text) pairs; the ``limit`` most similar at or above ``threshold``."""
    grams = ngrams(text)
    scored = [(similarity(grams, ngrams(other)), key) for key, other in candidates]
    scored = [pair for pair in scored if pair[0] >= threshold]
    scored.sort(key=lambda pair: -pair[0])
    return scored[:limit]
