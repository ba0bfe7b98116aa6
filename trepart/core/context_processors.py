from django.conf import settings


def layout(request):
    """What the base layout needs: the municipality and the main navigation."""
    user = getattr(request, "user", None)
    municipality = None
    nav = []
    if user is not None and user.is_authenticated and user.municipality_id:
        from trepart.core.navigation import main_navigation

        municipality = user.municipality
        nav = main_navigation(request)
    return {
        "current_municipality": municipality,
        "main_nav": nav,
        "available_languages": settings.LANGUAGES,
    }
