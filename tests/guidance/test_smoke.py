from ..world_guidance import build_guidance


def test_the_guidance_world_builds(world):
    g = build_guidance(world)
    assert g.candidate1.status == "proposed"
