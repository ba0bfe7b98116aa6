"""Shared fixtures for the measures tests (P4, R16, R24–R29).

The party group (`party_group`, `leader`) comes from the meetings tests. Helpers bring a measure
to any stage through the public services, the way the group would: plan it (R24, R27), have the
safety rep assess the risk (R26), try it out (R25), evaluate it and decide (R29).
"""

import datetime
import html

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.conftest import client_for
from tests.meetings.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    leader,
    party_group,
    steering_group,
)
from trepart.measures import services
from trepart.measures.models import Decision, Measure, Stage


@pytest.fixture(autouse=True)
def english():
    """Service messages are matched in English; pages get English through the cookie."""
    with translation.override("en"):
        yield


def logged_in(user, language="en"):
    client = client_for(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def with_version(measure, data=None) -> dict:
    """A move POST as the page sends it: with the version the page shows (issue 9)."""
    from trepart.core.concurrency import current_version

    return {**(data or {}), "version": current_version(measure)}


def text_of(response) -> str:
    """The page as a reader sees it (entities unescaped)."""
    return html.unescape(response.content.decode())


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def plan(**overrides) -> dict:
    """Every part of the plan answered (R24, R27), the evaluation in two months."""
    fields = {
        "problem": "Mange korte helgevakter gir slitne ansatte.",
        "need_and_purpose": "Færre helger på jobb, bedre kontinuitet for beboerne.",
        "goals": "Langvakter i helgene; informeres på personalmøtet.",
        "anchoring_political": "",
        "anchoring_administrative": "Kommunalsjefen er informert.",
        "anchoring_union": "Fagforbundet og NSF er med i partsgruppa.",
        "anchoring_staff": "Åtte ansatte har meldt seg frivillig.",
        "cooperation": "Partsgruppa følger opp hver måned.",
        "resources": "Ingen ekstra kostnader; to timer planlegging.",
        "follow_up": "Status på hvert partsgruppemøte.",
        "facts_needed": "Sykefravær siste halvår.",
        "staff_asked": "Gruppearbeid på personalmøtet 3. mars.",
        "responsibilities": "Leder lager turnus, verneombudet følger arbeidsbelastningen.",
        "success_criteria": "Lavere sykefravær, ansatte opplever mer fri.",
        "evaluation_on": days(60),
    }
    fields.update(overrides)
    return fields


RISKS = [
    {
        "description": "Lange vakter kan gi slitasje.",
        "likelihood": 2,
        "consequence": 2,
        "mitigation": "Pauser avtales på forhånd.",
    }
]


def new_measure(group, unit, title="Langvakter i helgene", **kwargs) -> Measure:
    return services.measure_create(actor=group["leader"], unit=unit, title=title, **kwargs)


def assess_risk(group, measure) -> None:
    services.risk_assessment_save(
        actor=group["safety"], measure=measure, summary="Akseptabel risiko.", risks=RISKS
    )


def advance(
    measure: Measure,
    group,
    stage: str,
    *,
    decision=Decision.KEEP,
    referred_to="",
    evaluation_on=None,
) -> Measure:
    """Move `measure` forward through the public services until it reaches `stage`."""
    actor = group["leader"]
    if stage == Stage.STOPPED:
        return services.stop(actor=actor, measure=measure, reason="Vi prioriterer annet nå.")
    order = [Stage.IDEA, Stage.PLANNED, Stage.IN_TRIAL, Stage.EVALUATED, Stage.DECIDED, Stage.DONE]
    while order.index(measure.stage) < order.index(stage):
        if measure.stage == Stage.IDEA:
            extra = {"evaluation_on": evaluation_on} if evaluation_on else {}
            services.plan_save(actor=actor, measure=measure, **plan(**extra))
            assess_risk(group, measure)
        elif measure.stage == Stage.PLANNED:
            # A short trial, so evaluating it now is not early (issue 10).
            services.trial_start(
                actor=actor,
                measure=measure,
                participants="Åtte frivillige",
                ends_on=datetime.date.today() + datetime.timedelta(days=7),
            )
        elif measure.stage == Stage.IN_TRIAL:
            services.evaluate(
                actor=actor,
                measure=measure,
                findings="Sykefraværet gikk ned fra 9 til 6 prosent.",
                assessment="Det virker.",
            )
        elif measure.stage == Stage.EVALUATED:
            services.decide(
                actor=actor,
                measure=measure,
                decision=decision,
                note="Ansatte vil fortsette.",
                referred_to=referred_to,
            )
        elif measure.stage == Stage.DECIDED:
            services.complete(actor=actor, measure=measure, comment="Innført fast.")
    measure.refresh_from_db()
    return measure


def measure_at(group, unit, stage, title=None, **kwargs) -> Measure:
    measure = new_measure(group, unit, title=title or f"Tiltak ({stage})")
    return advance(measure, group, stage, **kwargs)


def set_stage(measure: Measure, stage: str) -> Measure:
    """Put a measure in a stage directly (for testing the state machine itself)."""
    Measure.objects.filter(pk=measure.pk).update(stage=stage)
    measure.refresh_from_db()
    return measure


def field_tag(body: str, name: str) -> str:
    """The opening tag of the form control named `name` (the first one on the page)."""
    import re

    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bname="{name}"[^>]*>', body)
    assert match, f"no field {name!r} on the page"
    return match.group(0)
