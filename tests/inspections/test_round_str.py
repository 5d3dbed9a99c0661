"""A round names itself in the reader's language: ``Round.__str__`` translates when it is called."""

from django.utils import translation

from ..world import build_rounds


def test_a_round_names_itself_in_english_in_the_english_interface(world):
    rounds = build_rounds(world)
    with translation.override("en"):
        name = str(rounds.round1)
        inspection = str(rounds.inspection1)
    assert name == f"{world.body1.name} {world.term1.name} Round 1"
    assert inspection.startswith(name)  # an inspection names its round the same way
    with translation.override("zh-hans"):
        assert str(rounds.round1) == f"{world.body1.name} {world.term1.name} 第1轮"
