"""Grouping Chinese problem texts by similarity: character 2- and 3-grams weighted by TF-IDF, cosine
similarity, and groups of texts at least ``THRESHOLD`` alike to their centre. Pure Python, no
database, deterministic: the same texts in the same order give the same groups.

Chinese is written without spaces, so words are not split out: overlapping character n-grams stand
for them (三重一大 gives 三重, 重一, 一大, 三重一, 重一大), which needs no dictionary and no download.
The n-grams most texts share (问题, 不到位 …) say nothing about which problem a text is; they are
weighed down by their inverse document frequency and those in more than ``MAX_SHARE`` of the texts
are dropped altogether. Each text is compared with the groups' centres only, not with every other
text, which keeps thousands of problems to a fraction of a second.
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
# An n-gram in more than this share of the texts is a stop word, but never one in this many texts or
# fewer (a common problem worded a few dozen ways keeps its own words).
MAX_SHARE = 0.25
MIN_STOP_WORD_TEXTS = 50


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
    limit = max(MIN_STOP_WORD_TEXTS, int(MAX_SHARE * total))
    idf = {g: math.log((1 + total) / (1 + d)) + 1 for g, d in df.items() if d <= limit}
    weights = []
    for counts in grams:
        vector = {g: (1 + math.log(c)) * idf[g] for g, c in counts.items() if g in idf}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        weights.append({g: w / norm for g, w in vector.items()})
    return Vectors(list(texts), weights)


def leader_groups(vectors: Vectors, order: Iterable[int], threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of the texts ``order`` lists, each as ``[centre, members…]``. The texts are taken in
    ``order`` (the most said first): each joins the centre it is most alike to, when at least
    ``threshold`` alike (the earlier centre on a tie), else becomes a centre itself.

    Every member is alike to its centre, so a group does not drift from one subject to another
    through a chain of texts each alike to the next; and a text is compared with the centres only,
    through an inverted index of their n-grams, never with every other text."""
    weights = vectors.weights
    index: dict[str, list[int]] = defaultdict(list)
    groups: dict[int, list[int]] = {}
    for i in order:
        dots: dict[int, float] = defaultdict(float)
        for gram, weight in weights[i].items():
            for centre in index.get(gram, ()):
                dots[centre] += weight * weights[centre][gram]
        best = min(dots, key=lambda c: (-dots[c], c), default=None)
        if best is not None and dots[best] >= threshold:
            groups[best].append(i)
            continue
        groups[i] = [i]
        for gram in weights[i]:
            index[gram].append(i)
    return list(groups.values())


@dataclass(frozen=True)
class TextGroup:
    """Items whose texts are alike: the items (as given), their distinct wordings and the typical one
    (the wording of the group's centre, the text most said)."""

    partition: Hashable
    items: list
    texts: list[str]  # the distinct original texts, the most frequent first
    typical: str


def group_texts(
    items: Sequence[tuple[object, Hashable, str]], threshold: float = THRESHOLD
) -> list[TextGroup]:
    """Group ``items`` — ``(item, partition, text)`` — within each partition by text similarity.

    Items whose normalised texts are equal are one text. In each partition the texts are taken the
    most said first (then the nearest the partition's centroid first) and grouped around centres
    (``leader_groups``): a text joins the centre it is most alike to, when their cosine is at least
    ``threshold``. The group's typical wording is its centre's. Deterministic: the groups come in
    the order of (partition's first item's position, typical text), the items of a group in the
    order their texts first appear. An item with an empty text is left out."""
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
    groups = []
    for members in partitions.values():
        # The most said texts first, then those nearest the partition's centroid: a centre is a
        # typical wording, not an outlier that happens to come first.
        centroid: dict[str, float] = defaultdict(float)
        for i in members:
            for gram, weight in vectors.weights[i].items():
                centroid[gram] += weight * len(by_text[i])
        nearness = {i: sum(w * centroid[g] for g, w in vectors.weights[i].items()) for i in members}
        ranked = sorted(members, key=lambda i: (-len(by_text[i]), -nearness[i], normalised[i]))
        for centre, *others in leader_groups(vectors, ranked, threshold):
            group = [centre, *others]
            wording: dict[str, int] = defaultdict(int)
            for i in group:
                for text, count in originals[i].items():
                    wording[text] += count
            groups.append(
                TextGroup(
                    partition=partition_of[centre],
                    items=[item for i in sorted(group) for item in by_text[i]],
                    texts=sorted(wording, key=lambda t: (-wording[t], t)),
                    typical=max(originals[centre], key=lambda t: (originals[centre][t], t)),
                )
            )
    groups.sort(key=lambda g: (order[g.partition], normalise(g.typical)))
    return groups
