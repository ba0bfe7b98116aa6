"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.inputs import contributions as c

    hooks.register(hooks.MAIN_NAVIGATION, c.main_navigation)
    hooks.register(hooks.HOME_PANELS, c.home_panels)
    hooks.register(hooks.UNIT_PAGE_LINKS, c.unit_page_links)
    hooks.register(hooks.STEERING_GROUP_PANELS, c.steering_group_panels)
    from trepart.inputs import selectors as input_selectors
    from trepart.inputs import services as input_services

    # P3: agenda items taken up from staff input link back to it (for readers who may open it).
    hooks.register(hooks.AGENDA_ITEM_SOURCES, input_selectors.agenda_item_sources)

    # A new unit gets its anonymous link at once; no page makes it on GET.
    hooks.register(hooks.UNIT_CREATED, input_services.input_link_on_unit_created)
    # P8: the kinds of notification this app sends (trepart.notifications; each person
    # chooses immediately, weekly digest or off on /notifications/settings/).
    from django.utils.translation import gettext_lazy as _

    from trepart.notifications import kinds

    kinds.register(
        "inputs.update",
        _("Answers to your input"),
        _("Your input to the party group changed status or got an answer."),
    )
