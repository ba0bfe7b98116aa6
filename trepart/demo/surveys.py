"""Demo staff surveys for Fjordvik kommune (P7; R17, R25), at Fjordtun sykehjem:

| Survey                                   | who answers            | answers | results            |
|------------------------------------------|------------------------|---------|--------------------|
| Hva skal partsgruppa jobbe med? (R17)    | anonymous link         | 7       | shown (closed)     |
| Evaluering: Langvakter i helg (R25)      | staff who log in       | 3       | too few (open)     |

The evaluation is linked to the running trial "Langvakter i helg", so the measure page shows
it; the demo employee (Fatima Ali) has not answered it and can. Answers go through
`response_submit` with dates in the past weeks. Idempotent: a survey is found by its unit and
title.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone, translation

from trepart.accounts.models import User
from trepart.measures.models import Measure
from trepart.organisation.models import RoleAssignment, Unit
from trepart.surveys import services_surveys as authoring
from trepart.surveys.models import Question, Survey
from trepart.surveys.services import response_submit

FJORDTUN = "Fjordtun sykehjem"
TRIAL = "Langvakter i helg"
WORK_ON_TITLE = "Hva skal partsgruppa jobbe med?"
DEMO_LOGIN_NAMES = {
    "Anne Kristiansen",
    "Bjørn Tangen",
    "Hilde Rønning",
    "Kristin Bakke",
    "Fatima Ali",
}

# (choice index, text 1, text 2) per answer to "what should we work on?"
WORK_ON_ANSWERS = [
    (2, "Turnusen: for mange helger på rad for noen av oss.", "Godt samhold på Langtid 1."),
    (0, "Mer tid til å snakke sammen etter tunge dager.", "Fagdagene."),
    (2, "Helgeturnus og hvordan vakter byttes.", ""),
    (3, "Opplæring i det nye medisinsystemet.", "At lederen er lett å få tak i."),
    (0, "Støy og for lite plass på vaktrommet.", "Kollegaene."),
    (2, "Vi trenger faste vaktbytteregler.", "Fagdagene."),
    (4, "Beskjeder som ikke når fram til nattevakta.", ""),
]
# (likert 1, likert 2, likert 3, choice, text) per answer to the evaluation
EVALUATION_ANSWERS = [
    (4, 4, 3, 0, "Færre helger, mer sammenhengende fri."),
    (3, 2, 4, 1, "Langvaktene er tunge mot slutten."),
    (4, 5, 4, 0, ""),
]


def _person(municipality, name):
    return User.objects.filter(municipality=municipality, full_name=name).first()


def _work_on(unit, leader, today) -> Survey | None:
    if Survey.objects.filter(unit=unit, title=WORK_ON_TITLE).exists():
        return None
    survey = authoring.survey_create(
        actor=leader, kind=Survey.Kind.WORK_ON, unit=unit, audience=Survey.Audience.ANONYMOUS_LINK
    )
    survey.title = WORK_ON_TITLE
    survey.opens_on = today - datetime.timedelta(days=40)
    survey.closes_on = today - datetime.timedelta(days=20)
    survey.save(update_fields=["title", "opens_on", "closes_on"])
    authoring.survey_open(actor=leader, survey=survey)
    choice, text1, text2 = list(survey.questions.order_by("order"))
    for i, (c, t1, t2) in enumerate(WORK_ON_ANSWERS):
        answers = {choice.pk: c, text1.pk: t1, text2.pk: t2}
        day = survey.opens_on + datetime.timedelta(days=i * 2)
        response_submit(survey=survey, answers=answers, unit=unit, today=day)
    authoring.survey_close(actor=leader, survey=survey)
    return survey


def _evaluation(unit, leader, today) -> Survey | None:
    measure = Measure.objects.filter(unit=unit, title=TRIAL).first()
    if measure is None or Survey.objects.filter(measure=measure).exists():
        return None
    survey = authoring.survey_create(
        actor=leader,
        kind=Survey.Kind.TRIAL_EVALUATION,
        measure=measure,
        audience=Survey.Audience.STAFF,
    )
    survey.title = f"Evaluering: {TRIAL}"
    survey.opens_on = today - datetime.timedelta(days=10)
    survey.closes_on = today + datetime.timedelta(days=20)
    survey.save(update_fields=["title", "opens_on", "closes_on"])
    authoring.survey_open(actor=leader, survey=survey)
    people = list(
        User.objects.filter(
            pk__in=RoleAssignment.objects.current().filter(unit=unit).values("person")
        )
        .exclude(full_name__in=DEMO_LOGIN_NAMES)
        .order_by("full_name")[: len(EVALUATION_ANSWERS)]
    )
    questions = list(survey.questions.order_by("order"))
    likert = [q for q in questions if q.kind == Question.Kind.LIKERT]
    choice = next(q for q in questions if q.kind == Question.Kind.CHOICE)
    text = next(q for q in questions if q.kind == Question.Kind.TEXT)
    for i, (person, (l1, l2, l3, c, t)) in enumerate(zip(people, EVALUATION_ANSWERS, strict=False)):
        answers = {likert[0].pk: l1, likert[1].pk: l2, likert[2].pk: l3, choice.pk: c, text.pk: t}
        day = survey.opens_on + datetime.timedelta(days=i * 3)
        response_submit(survey=survey, answers=answers, person=person, unit=unit, today=day)
    return survey


def load(municipality) -> int:
    """Make the demo surveys that are not there yet; returns how many were made."""
    unit = Unit.objects.filter(municipality=municipality, name=FJORDTUN).first()
    leader = _person(municipality, "Anne Kristiansen")
    if unit is None or leader is None:
        return 0
    today = timezone.localdate()
    with translation.override(municipality.default_language or "nb"), transaction.atomic():
        made = [_work_on(unit, leader, today), _evaluation(unit, leader, today)]
    return sum(1 for s in made if s is not None)
