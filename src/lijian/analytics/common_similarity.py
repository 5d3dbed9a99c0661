"""Grouping Chinese problem texts by similarity: character 2- and 3-grams weighted by TF-IDF, cosine
similarity, and groups of texts at least ``THRESHOLD`` alike to their centre. Pure Python, no
database, deterministic: the same texts in the same order give the same groups.

Chinese is written without spaces, so words are not split out: overlapping character n-grams stand
for them (三重一大 gives 三重, 重一, 一大, 三重一, 重一大), which needs no dictionary and no download.
The n-grams most texts share (问题, 不到位 …) say nothing about which problem a text is; they are
weighed down by their inverse document frequency and those in more than ``MAX_SHARE`` of the texts
are dropped altogether, which also keeps the comparison of every text with every other cheap.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

NGRAMS = (2, 3)
# Two texts this alike (cosine of their TF-IDF vectors) belong together.
THRESHOLD = 0.3
# An n-gram in more than this share of the texts is a stop word (but never when there are few texts).
MAX_SHARE = 0.25
MIN_TEXTS_FOR_STOP_WORDS = 50


def normalise(text: str) -> str:
    """The text's letters, digits and CJK characters in NFKC form (full-width digits become ASCII),
    lower case, without spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if c.isalnum())


def ngrams(text: str) -> dict[str, int]:
    """The character n-grams (``NGRAMS``) of a normalised text and how often each occurs; a text
    shorter than the smallest n counts as its own single gram."""
    counts: dict[str, int] = defaultdict(int)
    for n in NGRAMS:
        for i in range(len(text) - n + 1):
            counts[text[i : i + n]] += 1
    if not counts and text:
        counts[text] = 1
    return dict(counts)


@dataclass(frozen=True)
class Vectors:
    """The unit TF-IDF vector of each distinct text, by its index in ``texts``."""

    texts: list[str]
    weights: list[dict[str, float]]


def vectorise(texts: Sequence[str]) -> Vectors:
    """TF-IDF vectors of distinct normalised ``texts``: sublinear term frequency (1 + ln tf), smoothed
    inverse document frequency (ln((1 + N) / (1 + df)) + 1), stop words dropped (``MAX_SHARE``),
    each vector scaled to length 1."""
    grams = [ngrams(t) for t in texts]
    df: dict[str, int] = defaultdict(int)
    for counts in grams:
        for gram in counts:
            df[gram] += 1
    total = len(texts)
    limit = max(2, int(MAX_SHARE * total)) if total >= MIN_TEXTS_FOR_STOP_WORDS else total + 1
    idf = {g: math.log((1 + total) / (1 + d)) + 1 for g, d in df.items() if d <= limit}
    weights = []
    for counts in grams:
        vector = {g: (1 + math.log(c)) * idf[g] for g, c in counts.items() if g in idf}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        weights.append({g: w / norm for g, w in vector.items()})
    return Vectors(list(texts), weights)


def similar_pairs(vectors: Vectors, members: Iterable[int], threshold: float = THRESHOLD):
    """Every pair ``(i, j, cosine)`` with ``i < j`` among the text indexes ``members`` whose cosine
    is at least ``threshold``, exactly: the dot products are summed over the shared n-grams through
    an inverted index, so texts with no n-gram in common are never compared (the stop words being
    gone, most pairs of texts share none)."""
    postings: dict[str, list[int]] = defaultdict(list)
    weights = vectors.weights
    for i in sorted(members):
        dots: dict[int, float] = defaultdict(float)
        for gram, weight in weights[i].items():
            listed = postings[gram]
            for j in listed:
                dots[j] += weight * weights[j][gram]
            listed.append(i)
        for j in sorted(dots):
            if dots[j] >= threshold:
                yield j, i, dots[j]


def star_groups(order: list[int], linked: dict[int, dict[int, float]]) -> list[list[int]]:
    """Groups around centres: the texts taken in ``order`` (the best-connected first), each not yet
    grouped becomes a centre and takes every neighbour not yet grouped (``linked``: text -> its
    neighbours and their cosines). Every member is alike to its centre, so a group does not drift
    from one subject to another through a chain of texts each alike to the next."""
    grouped: set[int] = set()
    groups = []
    for centre in order:
        if centre in grouped:
            continue
        members = [centre, *sorted(j for j in linked.get(centre, {}) if j not in grouped)]
        grouped.update(members)
        groups.append(sorted(members))
    return groups


@dataclass(frozen=True)
class TextGroup:
    """Items whose texts are alike: the items (as given), and the most typical text of them (the one
    most similar to the others, weighted by how many items say it)."""

    partition: Hashable
    items: list
    texts: list[str]  # the distinct original texts, the most frequent first
    typical: str


def group_texts(
    items: Sequence[tuple[object, Hashable, str]], threshold: float = THRESHOLD
) -> list[TextGroup]:
    """Group ``items`` — ``(item, partition, text)`` — within each partition by text similarity.

    Items whose normalised texts are equal are one text; the texts of a partition are linked when
    their cosine is at least ``threshold``, and groups form around the best-linked texts
    (``star_groups``). Deterministic:
    the groups come in the order of (partition's first item's position, smallest text), the items of
    a group in the order given. An item with an empty text is left out."""
    distinct: dict[str, int] = {}
    originals: list[dict[str, int]] = []  # per distinct text: original wording -> items
    by_text: list[list] = []
    partition_of: list[Hashable] = []
    partitions: dict[Hashable, list[int]] = {}
    order: dict[Hashable, int] = {}
    for item, partition, text in items:
        key = normalise(text)
        if not key:
            continue
        index = distinct.get((partition, key))
        if index is None:
            index = distinct[(partition, key)] = len(by_text)
            by_text.append([])
            originals.append(defaultdict(int))
            partition_of.append(partition)
            partitions.setdefault(partition, []).append(index)
            order.setdefault(partition, len(order))
        by_text[index].append(item)
        originals[index][text.strip()] += 1
    normalised = [""] * len(by_text)
    for (_partition, key), index in distinct.items():
        normalised[index] = key
    vectors = vectorise(normalised)
    pairs: list[tuple[int, int, float]] = []
    for members in partitions.values():
        pairs.extend(similar_pairs(vectors, members, threshold))
    linked: dict[int, dict[int, float]] = defaultdict(dict)
    for i, j, dot in pairs:
        linked[i][j] = linked[j][i] = dot
    weight = [len(said) for said in by_text]

    def reach(i: int) -> float:
        """How many items say this text or one alike, weighted by the likeness."""
        return weight[i] + sum(weight[j] * dot for j, dot in linked[i].items())

    centres = sorted(range(len(by_text)), key=lambda i: (-reach(i), normalised[i]))
    groups = []
    for members in star_groups(centres, linked):

        def typicality(i: int, members=members) -> tuple:
            closeness = weight[i] + sum(weight[j] * linked[i].get(j, 0.0) for j in members if j != i)
            return (-closeness, normalised[i])

        wording: dict[str, int] = defaultdict(int)
        for i in members:
            for text, count in originals[i].items():
                wording[text] += count
        central = min(members, key=typicality)
        groups.append(
            TextGroup(
                partition=partition_of[members[0]],
                items=[item for i in members for item in by_text[i]],
                texts=sorted(wording, key=lambda t: (-wording[t], t)),
                typical=max(originals[central], key=lambda t: (originals[central][t], t)),
            )
        )
    groups.sort(key=lambda g: (order[g.partition], normalise(g.typical)))
    return groups
