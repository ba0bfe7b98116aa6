"""Demo cooperation pulses for Fjordvik kommune (P6; R33–R35): four finished quarters for two
party groups with trends that improve, and the current quarter open.

| Unit               | members | the four finished quarters (oldest first) | this quarter        |
|--------------------|---------|-------------------------------------------|---------------------|
| Fjordtun sykehjem  | 7       | 6, 5, 7, 6 answers                        | open, 2 answers     |
| Solsiden barnehage | 5       | 5, 4 (too few: hidden), 5, 5 answers      | open, no answers    |

The demo logins of Fjordtun's group (the unit leader, a department leader, a union rep and the
safety rep) have not answered this quarter, so they see "answer the pulse" on their home page.
In the quarter where Solsiden has 4 answers, the steering overview shows no aggregate: with
Solsiden left out only one group counts, and an aggregate of one group would be that group's.

Idempotent: a pulse is found by its unit and period, an answer by its respondent. Answers go
through `response_submit` with the people who hold the roles; nobody is e-mailed.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from trepart.accounts.models import User
from trepart.organisation.models import Unit
from trepart.surveys import pulse, services_pulse
from trepart.surveys.models import Respondent, Survey
from trepart.surveys.services import response_submit

FJORDTUN = "Fjordtun sykehjem"
SOLSIDEN = "Solsiden barnehage"

# Members in a fixed order; the first ones answer when a quarter has fewer answers.
MEMBERS = {
    FJORDTUN: [
        "Tor Andersen",
        "Liv Sandvik",
        "Silje Hovland",
        "Hilde Rønning",
        "Kristin Bakke",
        "Bjørn Tangen",
        "Anne Kristiansen",
    ],
    SOLSIDEN: ["Ole Hansen", "Kari Nordmo", "Ida Lie", "Jonas Vik", "Marte Solberg"],
}
# Answers per finished quarter (oldest first), and in the quarter open now.
ANSWERS = {FJORDTUN: [6, 5, 7, 6], SOLSIDEN: [5, 4, 5, 5]}
ANSWERS_NOW = {FJORDTUN: 2, SOLSIDEN: 0}
# The group's mood per finished quarter: it improves.
BASE = {FJORDTUN: [2.6, 3.0, 3.5, 3.9], SOLSIDEN: [3.3, 3.4, 3.8, 4.1]}
# Some dimensions lag: "do we work on what staff care about?" most of all (R33).
OFFSET = {
    "fairness": 0.0,
    "trust": 0.3,
    "cooperation": 0.2,
    "equal_footing": -0.2,
    "staff_priorities": -0.6,
}
JITTER = [0, 1, -1, 0, 1, -1, 0]
TEXTS = {
    FJORDTUN: [
        [
            "At vi får sakene i god tid før møtet.",
            "Verneombudet må tas med fra starten, ikke bare til slutt.",
        ],
        ["Kortere møter med færre saker."],
        [
            "Fortsett med å la de ansatte komme med saker på forhånd.",
            "Mer tid til å følge opp det vi har bestemt å prøve.",
        ],
        ["Ta opp bemanning i helgene igjen."],
    ],
    SOLSIDEN: [
        ["Felles forståelse av hva som er partsgruppas saker."],
        ["Vi trenger faste møtetider."],
        ["At alle får referatet samtidig."],
        ["Flere saker fra de ansatte på personalmøtet."],
    ],
}


def _quarters(today: datetime.date, count: int) -> list[pulse.Period]:
    """The `count` quarters before today's, oldest first."""
    periods = []
    day = pulse.period_for(today).start
    for _ in range(count):
        day = day - datetime.timedelta(days=1)
        period = pulse.period_for(day)
        periods.append(period)
        day = period.start
    return list(reversed(periods))


def _value(base: float, key: str, person_index: int) -> int:
    # People differ, and not in the same way on every question.
    spread = JITTER[(person_index + 2 * pulse.KEYS.index(key)) % len(JITTER)]
    return max(1, min(5, round(base + OFFSET[key] + spread)))


def _answer(survey: Survey, person: User, values: dict, text: str, day: datetime.date) -> None:
    if Respondent.objects.filter(survey=survey, person=person).exists():
        return
    answers = {}
    for q in survey.questions.all():
        if q.key in values:
            answers[q.pk] = values[q.key]
        elif q.key == pulse.IMPROVE_KEY and text:
            answers[q.pk] = text
    response_submit(survey=survey, answers=answers, person=person, today=day)


def _pulse(unit, period, people, count, base, texts, day, close) -> None:
    survey, _created = services_pulse.pulse_open(unit, period, today=period.start)
    if survey.status != Survey.Status.OPEN:
        return  # loaded before and closed: nothing more to do
    for i, person in enumerate(people[:count]):
        values = {key: _value(base, key, i) for key in pulse.KEYS}
        text = texts[i] if i < len(texts) else ""
        _answer(survey, person, values, text, day)
    if close:
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)


@transaction.atomic
def load(municipality) -> None:
    today = timezone.localdate()
    quarters = _quarters(today, 4)
    now = pulse.period_for(today)
    for unit_name, names in MEMBERS.items():
        unit = Unit.objects.get(municipality=municipality, name=unit_name)
        by_name = {
            u.full_name: u
            for u in User.objects.filter(municipality=municipality, full_name__in=names)
        }
        people = [by_name[n] for n in names if n in by_name]
        for i, period in enumerate(quarters):
            day = period.start + datetime.timedelta(days=20)
            _pulse(
                unit,
                period,
                people,
                ANSWERS[unit_name][i],
                BASE[unit_name][i],
                TEXTS[unit_name][i],
                day,
                close=True,
            )
        day_now = min(today, now.start + datetime.timedelta(days=10))
        _pulse(
            unit,
            now,
            people,
            ANSWERS_NOW[unit_name],
            BASE[unit_name][-1] + 0.2,
            [],
            day_now,
            close=False,
        )
