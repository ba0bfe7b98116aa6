"""Reads of *who* has answered (`Respondent`), kept in their own module: the modules that read
*what* was answered (selectors.py, views_surveys.py, exports.py) never touch respondents
(tests/surveys/test_anonymity.py checks it)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from trepart.surveys.models import Respondent, Survey


def surveys_to_answer(user, unit_ids, today: datetime.date) -> list[Survey]:
    """Open staff surveys a person can answer (R23: the channel must be visible where staff
    already look): their units' and the municipality's, for staff who log in (not yet answered)
    or through the anonymous link. The cooperation pulse has its own panel. Two queries."""
    if not user.is_authenticated or not user.municipality_id:
        return []
    candidates = list(
        Survey.objects.filter(
            Q(unit_id__in=list(unit_ids)) | Q(unit__isnull=True),
            municipality_id=user.municipality_id,
            status=Survey.Status.OPEN,
            audience__in=[Survey.Audience.STAFF, Survey.Audience.ANONYMOUS_LINK],
        )
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("unit")
        .order_by("closes_on", "title")
    )
    staff = [s.pk for s in candidates if s.audience == Survey.Audience.STAFF]
    answered = (
        set(
            Respondent.objects.filter(person=user, survey_id__in=staff).values_list(
                "survey_id", flat=True
            )
        )
        if staff
        else set()
    )
    return [s for s in candidates if s.pk not in answered]
