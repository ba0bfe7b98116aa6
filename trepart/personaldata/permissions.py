"""Who may download and who may erase personal data (P8)."""

from trepart.organisation.permissions import is_municipal_admin


def can_download_own_data(user) -> bool:
    """Only the person themselves, logged in (GDPR art. 15 and 20)."""
    return bool(user.is_authenticated and user.is_active)


def can_erase(actor, person) -> bool:
    """A municipal administrator of the person's own municipality, never about themselves, and
    only once (an erased person has nothing left to erase)."""
    return (
        person.municipality_id is not None
        and is_municipal_admin(actor, person.municipality)
        and actor.pk != person.pk
        and person.erased_at is None
    )


def can_see_erasure_panel(actor, person) -> bool:
    """The panel on the administrator's person page (also for an already erased person, and
    on one's own page, where it explains why the form is not offered)."""
    return person.municipality_id is not None and is_municipal_admin(actor, person.municipality)
