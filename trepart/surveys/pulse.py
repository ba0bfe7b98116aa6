"""The party group's cooperation pulse (P6; R33, R34, R35): a short recurring check answered by
the group's members, shown as trends per group and, above the threshold, in aggregate to the
steering group."""


def latest_for_unit(unit) -> dict | None:
    """The latest pulse of the unit's party group, for the newcomer's onboarding page.

    Returns None when the group has had no pulse. Otherwise
    {"title", "period", "answers", "shown" (bool: at or above the threshold), "url" or None,
     "scores": [{"key", "label", "average" (float 1-5)}] (empty unless shown)}.
    A fixed number of queries.
    """
    return None
