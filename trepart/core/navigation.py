from trepart.core import hooks


def main_navigation(request):
    """Main navigation items for the logged-in person, marking the current section.

    Each app adds its own items through the ``main_navigation`` extension point, so core knows
    none of them (ARCHITECTURE rule 8).
    """
    path = request.path
    return [
        {
            "label": item["label"],
            "url": item["url"],
            "current": any(path == p if p == "/" else path.startswith(p) for p in item["prefixes"]),
        }
        for item in hooks.collect(hooks.MAIN_NAVIGATION, request.user)
    ]
