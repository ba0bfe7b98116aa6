"""The API's operations. Thin, like the web views: each reads through the same
`…_visible_to(user)` queryset and permission function as the page it mirrors, and writes
through the same service. Another municipality's ids are "not found" (ARCHITECTURE rule 3).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from trepart.api import schemas
from trepart.api.core import ApiError, api, not_found, paginate, require_scope, responses
from trepart.api.models import Scope
from trepart.core import ratelimit
from trepart.inputs import permissions as input_permissions
from trepart.inputs import services as input_services
from trepart.measures.permissions import measures_visible_to
from trepart.meetings import permissions as meeting_permissions
from trepart.meetings import services as meeting_services
from trepart.meetings.models import MinutesVersion
from trepart.organisation import composition
from trepart.organisation.permissions import can_see_union_affiliations, units_visible_to
from trepart.reporting import permissions as report_permissions
from trepart.reporting.models import ReportVersion, UnitReport

router = Router()

Limit = Query(None, ge=1, le=100, description="How many per page (at most 100, default 25).")
Cursor = Query(None, max_length=500, description="The `next` cursor of the previous page.")
UnitFilter = Query(None, ge=1, le=2**31 - 1, description="Only this unit's.")
Id = int


def _read(request):
    require_scope(request, Scope.READ)
    return request.user


def _one(qs, pk):
    if not 0 < pk < 2**31:
        raise not_found()
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise not_found()
    return obj


# --- who am I ------------------------------------------------------------------------------------


@router.get("/me", response=responses(200, schemas.Me, 403), tags=["organisation"])
def me(request):
    """The person the token acts as, and what the token may do."""
    user = _read(request)
    token = request.api_token
    return {
        "name": user.full_name,
        "email": user.email,
        "municipality": user.municipality.name,
        "scopes": token.scope_list,
        "token_name": token.name,
        "token_expires_at": token.expires_at,
    }


# --- units and groups (organisation; everyone in the municipality reads its structure) ----------


def _unit(u) -> dict:
    return {
        "id": u.pk,
        "name": u.name,
        "service_area": u.service_area.name,
        "party_group_name": str(u.party_group_label()),
    }


def _units(user):
    return units_visible_to(user).select_related("service_area", "municipality")


@router.get(
    "/units",
    response=responses(200, schemas.page_of(schemas.Unit, "UnitPage"), 403),
    tags=["organisation"],
)
def unit_list(request, cursor: str | None = Cursor, limit: int | None = Limit):
    rows, following = paginate(_units(_read(request)), cursor, limit)
    return {"items": [_unit(u) for u in rows], "next": following}


@router.get(
    "/units/{unit_id}", response=responses(200, schemas.Unit, 403, 404), tags=["organisation"]
)
def unit_detail(request, unit_id: Id):
    return _unit(_one(_units(_read(request)), unit_id))


def _member(a, show_union: bool) -> dict:
    return {
        "name": a.person.full_name,
        "role": a.role,
        "role_label": str(a.get_role_display()),
        # GDPR art. 9: which union a rep represents only to those who may know it.
        "union": a.union.name if (show_union and a.union_id) else None,
        "department": a.department.name if a.department_id else None,
    }


def _party_groups(user, units) -> list[dict]:
    if not units:
        return []
    snapshots = composition.unit_snapshots(user.municipality, units=units)
    return [
        {
            "unit_id": s.unit.pk,
            "unit_name": s.unit.name,
            "name": str(s.unit.party_group_label()),
            "members": [
                _member(a, can_see_union_affiliations(user, s.unit))
                for a in sorted(s.assignments, key=lambda a: (a.role, a.person.full_name))
            ],
        }
        for s in snapshots
    ]


@router.get(
    "/party-groups",
    response=responses(200, schemas.page_of(schemas.PartyGroup, "PartyGroupPage"), 403),
    tags=["organisation"],
)
def party_group_list(request, cursor: str | None = Cursor, limit: int | None = Limit):
    """Each unit's party group as it is today: its members and their roles."""  # R4
    user = _read(request)
    rows, following = paginate(_units(user), cursor, limit)
    return {"items": _party_groups(user, rows), "next": following}


@router.get(
    "/party-groups/{unit_id}",
    response=responses(200, schemas.PartyGroup, 403, 404),
    tags=["organisation"],
)
def party_group_detail(request, unit_id: Id):
    user = _read(request)
    return _party_groups(user, [_one(_units(user), unit_id)])[0]


@router.get(
    "/steering-group", response=responses(200, schemas.SteeringGroup, 403), tags=["organisation"]
)
def steering_group(request):
    """The steering group as it is today: politicians, leaders and union representatives."""
    # R1
    user = _read(request)
    municipality = user.municipality
    snapshot = composition.steering_snapshot(municipality)
    return {
        "name": str(municipality.steering_group_label),
        "members": [
            _member(a, True)  # the steering group page shows the chief reps' unions to all
            for a in sorted(snapshot.assignments, key=lambda a: (a.role, a.person.full_name))
        ],
    }


# --- meetings and minutes ------------------------------------------------------------------------


def _meetings(user, unit_id):
    qs = meeting_permissions.meetings_visible_to(user).annotate(
        has_versions=Exists(MinutesVersion.objects.filter(meeting=OuterRef("pk")))
    )
    return qs.filter(unit_id=unit_id) if unit_id else qs


def _meeting(m, agenda=None) -> dict:
    return {
        "id": m.pk,
        "unit_id": m.unit_id,
        "title": m.title,
        "kind": m.kind,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "location": m.location,
        "status": m.status,
        "minutes_status": m.minutes_status,
        "has_published_minutes": bool(m.has_versions),
        "agenda": agenda,
    }


def _agenda_item(it) -> dict:
    return {
        "id": it.pk,
        "order": it.order,
        "title": it.title,
        "description": it.description,
        "kind": it.kind,
        "status": it.status,
        "standing": it.standing,
    }


@router.get(
    "/meetings",
    response=responses(200, schemas.page_of(schemas.Meeting, "MeetingPage"), 403),
    tags=["meetings"],
)
def meeting_list(
    request,
    unit: int | None = UnitFilter,
    cursor: str | None = Cursor,
    limit: int | None = Limit,
):
    """Meetings you may open, by start time: your groups' meetings, and meetings whose minutes
    are published for you."""  # R20
    rows, following = paginate(_meetings(_read(request), unit), cursor, limit, by="starts_at")
    return {"items": [_meeting(m) for m in rows], "next": following}


@router.get(
    "/meetings/{meeting_id}",
    response=responses(200, schemas.MeetingDetail, 403, 404),
    tags=["meetings"],
)
def meeting_detail(request, meeting_id: Id):
    user = _read(request)
    meeting = _one(_meetings(user, None).select_related("unit"), meeting_id)
    agenda = None
    # Readers outside the group see the published minutes only, never the draft agenda.
    if not meeting_permissions.sees_only_published(user, meeting):
        agenda = [_agenda_item(it) for it in meeting.items.order_by("order", "id")]
    return _meeting(meeting, agenda)


def _minutes(meeting, version) -> dict:
    return {
        "meeting_id": meeting.pk,
        "unit_id": meeting.unit_id,
        "version": version.number,
        "published_at": version.published_at,
        "change_note": version.change_note,
        "content": version.content,
    }


def _latest_versions(meeting_ids) -> dict:
    latest = {}
    for v in MinutesVersion.objects.filter(meeting_id__in=meeting_ids).order_by(
        "meeting_id", "-number"
    ):
        latest.setdefault(v.meeting_id, v)
    return latest


@router.get(
    "/minutes",
    response=responses(200, schemas.page_of(schemas.Minutes, "MinutesPage"), 403),
    tags=["meetings"],
)
def minutes_list(
    request,
    unit: int | None = UnitFilter,
    cursor: str | None = Cursor,
    limit: int | None = Limit,
):
    """Published minutes you may read: the latest version of each meeting's."""  # R20, R30
    qs = _meetings(_read(request), unit).filter(has_versions=True)
    rows, following = paginate(qs, cursor, limit, by="starts_at")
    latest = _latest_versions([m.pk for m in rows])
    return {"items": [_minutes(m, latest[m.pk]) for m in rows], "next": following}


@router.get(
    "/meetings/{meeting_id}/minutes",
    response=responses(200, schemas.Minutes, 403, 404),
    tags=["meetings"],
)
def minutes_detail(request, meeting_id: Id):
    meeting = _one(_meetings(_read(request), None), meeting_id)
    version = _latest_versions([meeting.pk]).get(meeting.pk)
    if version is None:
        raise not_found()
    return _minutes(meeting, version)


@router.post(
    "/meetings/{meeting_id}/agenda-items",
    response=responses(201, schemas.AgendaItem, 403, 404),
    tags=["meetings"],
)
def agenda_item_create(request, meeting_id: Id, payload: schemas.AgendaItemCreate):
    """Put an item on the agenda of a meeting you plan, as on the meeting page: only the
    group's members plan its meetings, while the agenda can still be changed. Individual
    personnel cases and wage negotiations are never topics for the group and are refused
    (code `out_of_scope`)."""
    # R13 (meeting practice), R14 (out of scope)
    require_scope(request, Scope.AGENDA_WRITE)
    user = request.user
    meeting = _one(
        meeting_permissions.meetings_visible_to(user).select_related("unit", "municipality"),
        meeting_id,
    )
    if not meeting_permissions.can_edit_meeting(user, meeting):
        raise ApiError(403, "forbidden", _("Only the group's members plan its meetings."))
    item = meeting_services.agenda_item_propose(
        actor=user,
        meeting=meeting,
        title=payload.title,
        description=payload.description,
        kind=payload.kind,
        personnel_case=payload.personnel_case,
    )
    return Status(201, _agenda_item(item))


# --- staff input ---------------------------------------------------------------------------------


def _inputs(user, unit_id):
    qs = input_permissions.inputs_visible_to(user).select_related("author", "municipality")
    return qs.filter(unit_id=unit_id) if unit_id else qs


def _input(user, item) -> dict:
    return {
        "id": item.pk,
        "unit_id": item.unit_id,
        "text": item.text,
        "category": item.category,
        "audience": item.audience,
        "submitted_on": item.submitted_on,
        "status": item.status,
        "status_changed_on": item.status_changed_on,
        "public": item.public,
        "answer": item.answer,
        "answered_on": item.answered_on,
        "referred_to": item.referred_to,
        "referred_to_name": item.referred_to_name,
        "hidden": item.hidden,
        # Why a moderator hid it: only for those who triage, as on the web page (not the
        # submitter; review rev1 #7).
        "hidden_reason": (
            item.hidden_reason if item.hidden and input_permissions.can_triage(user, item) else ""
        ),
        "anonymous": item.author_id is None,
        "mine": item.author_id is not None and item.author_id == user.pk,
        # The submitter's name only to those who triage it, and to the submitter (P3).
        "author": item.author.full_name if input_permissions.sees_submitter(user, item) else None,
    }


@router.get(
    "/inputs",
    response=responses(200, schemas.page_of(schemas.Input, "InputPage"), 403),
    tags=["inputs"],
)
def input_list(
    request,
    unit: int | None = UnitFilter,
    cursor: str | None = Cursor,
    limit: int | None = Limit,
):
    """Staff input as you may see it: your party groups' inputs, private messages to you as
    the unit leader, your own, and the ones shared with your workplace."""
    user = _read(request)
    rows, following = paginate(_inputs(user, unit), cursor, limit)
    return {"items": [_input(user, i) for i in rows], "next": following}


@router.get("/inputs/{input_id}", response=responses(200, schemas.Input, 403, 404), tags=["inputs"])
def input_detail(request, input_id: Id):
    user = _read(request)
    return _input(user, _one(_inputs(user, None), input_id))


@router.post("/inputs", response=responses(201, schemas.Input, 403, 404), tags=["inputs"])
def input_create(request, payload: schemas.InputCreate):
    """Send input to a unit where you work, in your own name (anonymous input only through the
    unit's link). `to_leader` sends it privately to the unit leader, for matters that are not
    for the whole group."""  # R14
    require_scope(request, Scope.INPUTS_WRITE)
    user = request.user
    unit = _one(units_visible_to(user).select_related("municipality"), payload.unit_id)
    rates = [ratelimit.Rate(n, s) for n, s in settings.INPUT_USER_RATES]
    if not ratelimit.hit(f"input-user:{user.pk}", *rates):
        raise ApiError(
            429,
            "rate_limited",
            _("You sent many inputs just now. Wait a minute and try again."),
            headers={"Retry-After": "60"},
        )
    item, _code = input_services.input_submit(
        unit=unit,
        text=payload.text,
        category=payload.category,
        author=user,
        hide_name=False,
        to_leader=payload.to_leader,
    )
    item = _inputs(user, None).get(pk=item.pk)
    return Status(201, _input(user, item))


# --- measures ------------------------------------------------------------------------------------

MEASURE_FIELDS = (
    "title problem need_and_purpose goals success_criteria participants evaluation_on "
    "trial_started_on trial_ends_on findings assessment evaluated_on decision decision_note "
    "decided_on referred_to referred_on line_outcome line_outcome_on is_win win_story "
    "created_at updated_at stage unit_id"
).split()


def _measure(m) -> dict:
    data = {name: getattr(m, name) for name in MEASURE_FIELDS}
    data.update(id=m.pk, stage_label=str(m.stage_label))
    return data


def _measures(user, unit_id):
    qs = measures_visible_to(user)
    return qs.filter(unit_id=unit_id) if unit_id else qs


@router.get(
    "/measures",
    response=responses(200, schemas.page_of(schemas.Measure, "MeasurePage"), 403),
    tags=["measures"],
)
def measure_list(
    request,
    unit: int | None = UnitFilter,
    cursor: str | None = Cursor,
    limit: int | None = Limit,
):
    """Measures and trials of the units where you work (all units for administrators)."""
    rows, following = paginate(_measures(_read(request), unit), cursor, limit)
    return {"items": [_measure(m) for m in rows], "next": following}


@router.get(
    "/measures/{measure_id}", response=responses(200, schemas.Measure, 403, 404), tags=["measures"]
)
def measure_detail(request, measure_id: Id):
    return _measure(_one(_measures(_read(request), None), measure_id))


# --- unit reports --------------------------------------------------------------------------------


def _reports(user, unit_id):
    qs = report_permissions.reports_visible_to(user)
    return qs.filter(unit_id=unit_id) if unit_id else qs


def _latest_report_versions(report_ids) -> dict:
    latest = {}
    for v in ReportVersion.objects.filter(report_id__in=report_ids).order_by(
        "report_id", "-number"
    ):
        latest.setdefault(v.report_id, v)
    return latest


def _report(user, r, latest) -> dict:
    # As on the report page (reporting.selectors_reports.report_detail): readers see the report
    # as last sent, never a correction before it is sent; the group sees its draft.
    editing = report_permissions.can_edit_report(user, r)
    live = not (latest and (r.status == UnitReport.Status.SENT or not editing))
    words = {"went_well": r.went_well, "hard": r.hard, "need": r.need} if live else latest.content
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "due_on": r.due_on,
        "status": r.status,
        "first_sent_at": r.first_sent_at,
        "version": None if live else latest.number,
        "went_well": words.get("went_well", ""),
        "hard": words.get("hard", ""),
        "need": words.get("need", ""),
        "figures": (r.figures if live else latest.content.get("figures")) or {},
    }


@router.get(
    "/reports",
    response=responses(200, schemas.page_of(schemas.Report, "ReportPage"), 403),
    tags=["reports"],
)
def report_list(
    request,
    unit: int | None = UnitFilter,
    cursor: str | None = Cursor,
    limit: int | None = Limit,
):
    """Unit reports you may read: sent reports, and your own groups' drafts."""  # R31
    user = _read(request)
    rows, following = paginate(_reports(user, unit), cursor, limit)
    latest = _latest_report_versions([r.pk for r in rows])
    return {"items": [_report(user, r, latest.get(r.pk)) for r in rows], "next": following}


@router.get(
    "/reports/{report_id}", response=responses(200, schemas.Report, 403, 404), tags=["reports"]
)
def report_detail(request, report_id: Id):
    user = _read(request)
    report = _one(_reports(user, None), report_id)
    return _report(user, report, _latest_report_versions([report.pk]).get(report.pk))


api.add_router("", router)
