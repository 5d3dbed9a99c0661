"""The vendored map of Tianjin read as ECharts reads it: its features' polygons decoded from the
compressed GeoJSON ECharts ships (``UTF8Encoding``: zigzag, delta-coded characters)."""

from __future__ import annotations

import json
from functools import cache

from lijian.analytics.cockpit import MAP_FILE


def _decode_ring(text: str, offsets: list[int], scale: float) -> list[tuple[float, float]]:
    x0, y0 = offsets
    ring = []
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x0 += (dx >> 1) ^ -(dx & 1)
        y0 += (dy >> 1) ^ -(dy & 1)
        ring.append((x0 / scale, y0 / scale))
    return ring


@cache
def district_polygons() -> dict[str, list[list[tuple[float, float]]]]:
    """Each feature's name and its outer rings as (longitude, latitude) points."""
    with open(MAP_FILE, encoding="utf-8") as handle:
        geo = json.load(handle)
    scale = geo.get("UTF8Scale", 1024)
    found = {}
    for feature in geo["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        offsets = geometry.get("encodeOffsets") or []
        if geometry["type"] == "Polygon":
            offsets = [offsets]
        rings = []
        for polygon, polygon_offsets in zip(polygons, offsets or [[]] * len(polygons), strict=True):
            if not polygon:
                continue
            outer = polygon[0]
            rings.append(_decode_ring(outer, polygon_offsets[0], scale) if geo.get("UTF8Encoding") else outer)
        found[feature["properties"]["name"]] = rings
    return found


def area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def centroid(name: str) -> list[float]:
    """The centroid of the district's largest ring (longitude, latitude): a point inside a convex-ish
    district, where a person aims to click it."""
    ring = max(district_polygons()[name], key=lambda r: abs(area(r)))
    a = area(ring)
    cx = sum(
        (x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    cy = sum(
        (y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    return [cx / (6 * a), cy / (6 * a)]
