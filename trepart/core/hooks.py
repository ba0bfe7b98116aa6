"""Extension points: how a higher app adds to a page or job that a lower app owns.

Dependencies run one way (ARCHITECTURE rule 8): a lower app never imports a higher one. When a
lower app's page must show something that only a higher app knows (running trials under a
meeting's standing item, counts of inputs and measures on the unit page), the lower app names an
extension point here and calls ``get_hooks(name)``; the higher app registers a function into it
from its ``AppConfig.ready()``. This is the pattern of Wagtail's ``hooks.register``.

    # trepart/measures/apps.py
    def ready(self):
        from trepart.core import hooks
        from trepart.measures import contributions

        hooks.register(hooks.MEETING_STANDING_ITEM_PANELS, contributions.running_trials_panel)

Every extension point is declared in ``HOOKS`` with what its functions receive and return, so a
typo in a name fails at start-up instead of silently showing nothing.
"""

from collections import defaultdict
from collections.abc import Callable

# Names of the extension points, with the contract of the functions registered into them.
MAIN_NAVIGATION = "main_navigation"
HOME_PANELS = "home_panels"
UNIT_PAGE_LINKS = "unit_page_links"
UNIT_PAGE_PANELS = "unit_page_panels"
STEERING_GROUP_PANELS = "steering_group_panels"
MEETING_STANDING_ITEM_PANELS = "meeting_standing_item_panels"
DAILY_JOBS = "daily_jobs"
INPUT_TAKE_UP_TARGETS = "input_take_up_targets"
INPUT_FOLLOW_UPS = "input_follow_ups"
AGENDA_ITEM_SOURCES = "agenda_item_sources"
UNIT_CREATED = "unit_created"
MEASURE_PAGE_PANELS = "measure_page_panels"
ROLES_CHANGED = "roles_changed"
MINUTES_PUBLISHED = "minutes_published"
MEETING_PAGE_PANELS = "meeting_page_panels"
STEERING_OVERVIEW_PANELS = "steering_overview_panels"
OWN_PAGE_PANELS = "own_page_panels"
PERSON_ADMIN_PANELS = "person_admin_panels"
MANAGE_CARDS = "manage_cards"
LOGIN_OPTIONS = "login_options"
PASSWORD_LOGIN_REFUSAL = "password_login_refusal"

HOOKS = {
    MAIN_NAVIGATION: "fn(user) -> list of {order, label, url, prefixes}",
    HOME_PANELS: "fn(user, home) -> list of panels {order, template, ...}; home: shared facts",
    UNIT_PAGE_LINKS: "fn(user, unit) -> list of {order, label, url}",
    UNIT_PAGE_PANELS: "fn(user, unit) -> list of panels {order, template, ...}",
    STEERING_GROUP_PANELS: "fn(user, municipality) -> list of panels {order, template, ...}",
    MEETING_STANDING_ITEM_PANELS: "fn(user, meeting, items) -> {item_pk: panel {template, ...}}",
    # See trepart.core.daily: today is a date or None (the local date when the work runs);
    # now=True runs the work in this process instead of enqueueing it.
    DAILY_JOBS: "fn(today, stdout, now=False) -> int (number of background jobs enqueued)",
    # url only when the reader may open the target (never a link that 404s); a source with
    # post_url is shown as a button that posts there (e.g. "make it a measure").
    AGENDA_ITEM_SOURCES: "fn(user, items) -> {item_pk: [source {label, url or None, post_url?}]}",
    # Called by the organisation services in the transaction that creates a unit, so the rows a
    # unit needs (its input link, its party group's standing items) exist before any page is
    # viewed: pages never write on GET.
    UNIT_CREATED: "fn(unit) -> None",
    # Owned by inputs: other ways to take an input up than onto a meeting's agenda. The handler
    # does the whole work in the higher app (e.g. create a measure and close the input, R21).
    INPUT_TAKE_UP_TARGETS: "fn(user, item) -> list of {order, value, label, handler}; "
    "handler(actor, item, answer, title) -> object",
    # Owned by inputs: what became of an input elsewhere (the measure and its progress), shown
    # on the input page ("facts") and to the submitter on the receipt ("answer").
    INPUT_FOLLOW_UPS: "fn(user or None, item) -> list of panels {order, place, template, ...}",
    # Owned by measures: panels in the measure page's side column (e.g. "publish as an
    # experience", "adopted from experience X"). can_change: the reader may change the measure.
    # A fixed number of queries per function, whatever the data.
    MEASURE_PAGE_PANELS: "fn(user, measure, can_change) -> list of panels {order, template, ...}",
    # Owned by organisation: called after the transaction that started or ended a role
    # assignment commits (once per assignment, also for each row of an import), so a higher
    # app can notice vacancies and newcomers (R5, R6). Keep it cheap: enqueue a job.
    ROLES_CHANGED: 'fn(assignment, change) -> None; change is "started" or "ended"',
    # Owned by meetings: called after minutes are published (each version, corrections too).
    # version.notify is False when the publisher chose not to send e-mail (e.g. demo history).
    MINUTES_PUBLISHED: "fn(version) -> None",
    # Owned by meetings: panels in the meeting page's side column (e.g. "tell the members").
    # A fixed number of queries per function, whatever the data.
    MEETING_PAGE_PANELS: "fn(user, meeting) -> list of panels {order, template, ...}",
    # Owned by reporting: panels on the steering group's overview page (aggregates only).
    STEERING_OVERVIEW_PANELS: "fn(user, municipality) -> list of panels {order, template, ...}",
    # Owned by accounts: panels on a person's own page (/accounts/me/): notification settings,
    # API tokens, downloading one's data, the second factor.
    OWN_PAGE_PANELS: "fn(user) -> list of panels {order, template, ...}",
    # Owned by organisation: panels on the administrator's page about one person (e.g. erase).
    PERSON_ADMIN_PANELS: "fn(user, person) -> list of panels {order, template, ...}",
    # Owned by organisation: extra cards on the administration page (e.g. single sign-on).
    MANAGE_CARDS: "fn(user) -> list of {order, label, url, text}",
    # Owned by accounts: other ways to log in, shown on the login page (single sign-on).
    LOGIN_OPTIONS: "fn(request) -> list of {order, label, url}",
    # Owned by accounts: asked after a correct e-mail and password; a non-empty text refuses
    # the password login with that reason (e.g. the municipality allows single sign-on only).
    PASSWORD_LOGIN_REFUSAL: "fn(user) -> str or None",
}

_registry: dict[str, list[Callable]] = defaultdict(list)


def register(name: str, fn: Callable | None = None):
    """Register ``fn`` into the extension point ``name``; usable as a decorator too."""
    if name not in HOOKS:
        raise KeyError(f"Unknown extension point {name!r}; declare it in trepart.core.hooks.HOOKS")

    def decorator(f):
        if f not in _registry[name]:
            _registry[name].append(f)
        return f

    return decorator(fn) if fn is not None else decorator


def get_hooks(name: str) -> list[Callable]:
    if name not in HOOKS:
        raise KeyError(f"Unknown extension point {name!r}")
    return list(_registry[name])


def collect(name: str, *args) -> list:
    """Call every function of a list-returning extension point; the results sorted by order.

    A panel is a dict with at least ``template`` (rendered with ``panel`` in its context) and
    ``order`` (smaller first); links and navigation items have ``order`` too.
    """
    results = []
    for fn in get_hooks(name):
        results.extend(fn(*args) or [])
    return sorted(results, key=lambda r: r.get("order", 100))
