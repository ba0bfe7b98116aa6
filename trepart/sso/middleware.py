"""Second factor for municipal admins without single sign-on (issue 13). Stub until built."""


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
