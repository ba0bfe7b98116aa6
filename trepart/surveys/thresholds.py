"""How many answers a result needs before anything about it is shown (P7, KS practice)."""

from trepart.surveys.models import DEFAULT_THRESHOLD, MIN_THRESHOLD, Survey, SurveySettings


def municipality_threshold(municipality) -> int:
    row = SurveySettings.objects.filter(municipality=municipality).only("threshold").first()
    return max(MIN_THRESHOLD, row.threshold if row else DEFAULT_THRESHOLD)


def survey_threshold(survey: Survey, municipality_value: int | None = None) -> int:
    """The survey's own threshold may be higher than the municipality's, never lower, and
    nothing is ever shown below the floor of 3."""
    base = (
        municipality_value
        if municipality_value is not None
        else municipality_threshold(survey.municipality_id)
    )
    return max(MIN_THRESHOLD, base, survey.threshold or 0)


def enough(count: int, threshold: int) -> bool:
    return count >= max(MIN_THRESHOLD, threshold)
