"""OpenID Connect authentication per municipality (issue 13). Stub until built."""


class OidcBackend:
    def authenticate(self, request, **kwargs):
        return None

    def get_user(self, user_id):
        return None
