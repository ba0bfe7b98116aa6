"""Demo sign-in settings for Fjordvik kommune (issue 13): an example Entra ID registration.

It is not in use (the tenant and client are made up), so the login page shows no button and
everybody logs in with e-mail and password as before; the administrator sees on
/manage/sign-in/ what a registration looks like. Idempotent: nothing is created twice.
"""

from trepart.sso.models import IdentityProvider


def load(municipality) -> IdentityProvider:
    provider, _created = IdentityProvider.objects.get_or_create(
        municipality=municipality,
        kind=IdentityProvider.Kind.ENTRA_ID,
        label=f"{municipality.name} (Entra ID)",
        defaults={
            "issuer": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
            "client_id": "11111111-2222-3333-4444-555555555555",
            "client_secret": "",
            "scopes": "openid email profile",
            "enabled": False,
        },
    )
    return provider
