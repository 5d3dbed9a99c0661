"""The vendored map of Tianjin: every district of the city has a shape, named as the demo names the
district's committee, so the city's cockpit shows each district and a click lands on its body."""

import csv
from types import SimpleNamespace

from lijian.analytics.cockpit import _region, map_regions
from lijian.demo.tianjin import DATA
from lijian.demo.vocabulary.tianjin import short_name
from lijian.orgs.choices import OrgKind

from .tianjin_map import area, centroid, district_polygons


def _districts() -> list[str]:
    with open(DATA / "tianjin_divisions.csv", encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row["level"] == "district"]


def test_every_district_of_tianjin_has_a_shape_on_the_map():
    districts = _districts()
    assert len(districts) == 16 and "蓟州区" in districts
    shapes = district_polygons()
    assert set(map_regions()) == set(districts)
    for name in districts:
        rings = shapes[name]
        assert rings and all(len(ring) >= 3 for ring in rings), name
        assert sum(abs(area(ring)) for ring in rings) > 1e-4, name  # not a point or a sliver
        lng, lat = centroid(name)
        assert 116.6 < lng < 118.1 and 38.5 < lat < 40.3, name  # inside Tianjin


def test_each_district_committee_of_the_demo_names_its_region():
    for name in _districts():
        committee = SimpleNamespace(name=f"中共天津市{name}委员会", kind=OrgKind.DISTRICT_COMMITTEE)
        assert _region(committee) == short_name(committee) == name
