"""Demo API token for Fjordvik kommune (issue 13): Anne Kristiansen, unit leader, has a token
named "Saksbehandlingssystemet" that may read, so her own page shows what a token looks like.

Only a token's hash is stored and the secret is shown once, when it is made; the demo makes
one with a random secret that is thrown away, so the demo token is a description only and
cannot be used. To try the API, make a token of your own on "My page". Idempotent.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from trepart.accounts.models import User
from trepart.api import services
from trepart.api.models import ApiToken, Scope

PERSON = "Anne Kristiansen"
TOKEN_NAME = "Saksbehandlingssystemet"


def load_api_demo(municipality) -> int:
    """Returns the number of tokens created (0 when it is already there)."""
    person = User.objects.filter(municipality=municipality, full_name=PERSON).first()
    if person is None or ApiToken.objects.filter(person=person, name=TOKEN_NAME).exists():
        return 0
    token, _secret = services.token_create(  # the secret is not kept anywhere
        person=person,
        name=TOKEN_NAME,
        scopes=[Scope.READ],
        expires_on=timezone.localdate() + datetime.timedelta(days=180),
    )
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(days=2)
    )
    return 1
