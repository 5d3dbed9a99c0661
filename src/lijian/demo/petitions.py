"""Petitions the city's groups received on site, through the petitions services: letters, visits,
calls, online and QR reports, a joint reception with the district's patrol office wherever the
city inspected a district committee (M8), most routed to the group and answered (how many, when
and by whom: ``policy.petitions``; what they say: ``vocabulary.petitions``)."""

from __future__ import annotations

import datetime
import random

from lijian.demo.policy.petitions import (
    JOINT_RECEPTION_DAY,
    handling_draw,
    joint_petitioner,
    petition_count,
    petition_draw,
)
from lijian.demo.vocabulary.petitions import ANSWER, ANSWERED, JOINT_RECEPTION_MATTER, OUT_OF_SCOPE
from lijian.orgs.models import InspectionBody
from lijian.petitions import services

D = datetime.date


def receive_petitions(actor, inspection, onsite: D, rng: random.Random, today: D) -> None:
    """Two to six petitions for ``inspection``, received while its group is on site."""
    org = inspection.organization
    for _ in range(petition_count(rng)):
        drawn = petition_draw(rng, onsite, org.name)
        petition = services.petition_receive(
            actor=actor,
            body=inspection.round.body,
            group=inspection.group,
            inspection=inspection,
            channel=drawn.channel,
            received_on=drawn.received_on,
            summary=drawn.summary,
            identity=drawn.identity,
        )
        _handle(actor, petition, inspection, rng, today)
    if org.kind == "district_committee":
        _joint_reception(actor, inspection, onsite, rng, today)


def _handle(actor, petition, inspection, rng: random.Random, today: D) -> None:
    handling = handling_draw(rng, petition.received_on)
    if handling.out_of_scope:
        services.petition_close(actor=actor, petition=petition, reason=OUT_OF_SCOPE)
        return
    services.petition_route_to_group(actor=actor, petition=petition, inspection=inspection)
    if handling.answered_on > today:
        return
    services.petition_answer(actor=actor, petition=petition, answered_on=handling.answered_on, answer=ANSWER)
    services.petition_close(actor=actor, petition=petition, reason=ANSWERED)


def _joint_reception(actor, inspection, onsite: D, rng: random.Random, today: D) -> None:
    """The city group and the district committee's patrol office receive visitors together."""
    district_office = InspectionBody.objects.filter(owner_org=inspection.organization, level="patrol").first()
    if district_office is None:
        return
    petition = services.petition_receive(
        actor=actor,
        body=inspection.round.body,
        group=inspection.group,
        inspection=inspection,
        joint_body=district_office,
        channel="joint_reception",
        received_on=onsite + JOINT_RECEPTION_DAY,
        summary=JOINT_RECEPTION_MATTER.format(org=inspection.organization.name),
        identity=joint_petitioner(rng),
    )
    _handle(actor, petition, inspection, rng, today)
