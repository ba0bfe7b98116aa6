"""Organisation pages. Thin: parse, check permission, call a service or selector, render."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trepart.core import hooks
from trepart.core.forms import add_validation_errors
from trepart.core.tenancy import municipality_member_required
from trepart.organisation import composition, importing, selectors, services
from trepart.organisation.forms import (
    AdoptionDecisionForm,
    DepartmentForm,
    ImportUploadForm,
    MunicipalitySettingsForm,
    PersonForm,
    RoleAssignForm,
    RoleAssignNewForm,
    RoleEndForm,
    UnionPresenceForm,
    UnitForm,
    UnitSettingsForm,
    prefill_query,
    role_prefill,
)
from trepart.organisation.models import STEERING_GROUP_ROLES, Role, Union
from trepart.organisation.people_picker import (
    SAFE_NAME,
    SEARCH_SUFFIX,
    PickerState,
    picker_options_context,
    search_state,
)
from trepart.organisation.permissions import (
    can_import,
    can_manage_roles,
    can_see_union_affiliations,
    import_batches_visible_to,
    is_admin,
    is_steering_member,
    municipalities_visible_to,
    party_group_unit_ids,
    people_visible_to,
    role_assignments_visible_to,
    units_visible_to,
)


def _say_registered(request, person, assignment) -> None:
    messages.success(
        request,
        _("%(person)s is now registered as %(role)s.")
        % {"person": person, "role": assignment.get_role_display().lower()},
    )


def _require_admin(request):
    if not can_manage_roles(request.user, request.user.municipality):
        raise PermissionDenied


@municipality_member_required
def structure(request):
    municipality = request.user.municipality
    context = selectors.structure_overview(municipality)
    context["can_manage"] = can_manage_roles(request.user, municipality)
    return render(request, "organisation/structure.html", context)


def _date_param(request, name="on"):
    """A YYYY-MM-DD query parameter, or None when missing or malformed."""
    value = request.GET.get(name, "")
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@municipality_member_required
def unit_detail(request, pk):
    unit = get_object_or_404(
        units_visible_to(request.user).select_related("municipality", "service_area"), pk=pk
    )
    on = _date_param(request)
    context = selectors.unit_detail(unit, on=on)
    can_manage = can_manage_roles(request.user, unit.municipality)
    context.update(
        unit=unit,
        on=on,
        show_unions=can_see_union_affiliations(request.user, unit),
        can_manage=can_manage,
        presence_form=UnionPresenceForm(municipality=unit.municipality) if can_manage else None,
        settings_form=UnitSettingsForm(instance=unit) if can_manage else None,
        department_form=DepartmentForm() if can_manage else None,
        # What higher apps add: links to the unit's meetings, input and measures, and panels
        # such as the unit's wins (R28), through extension points (ARCHITECTURE rule 8).
        links=hooks.collect(hooks.UNIT_PAGE_LINKS, request.user, unit),
        panels=hooks.collect(hooks.UNIT_PAGE_PANELS, request.user, unit),
    )
    return render(request, "organisation/unit_detail.html", context)


@require_POST
@municipality_member_required
def unit_update(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    _require_admin(request)
    form = UnitSettingsForm(request.POST, instance=units_visible_to(request.user).get(pk=unit.pk))
    if form.is_valid():
        services.unit_update(
            actor=request.user, unit=unit, party_group_name=form.cleaned_data["party_group_name"]
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("organisation:unit_detail", args=[unit.pk]) + "#settings")


@require_POST
@municipality_member_required
def department_add(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    _require_admin(request)
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_create(
                actor=request.user, unit=unit, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The department was added."))
    else:
        messages.error(request, _("Enter the name of the department."))
    return redirect(reverse("organisation:unit_detail", args=[unit.pk]) + "#settings")


@municipality_member_required
def unit_create(request):
    _require_admin(request)
    municipality = request.user.municipality
    form = UnitForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s was created. Now register its people and roles.") % {"unit": unit},
            )
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form})


@municipality_member_required
def municipality_settings(request):
    _require_admin(request)
    municipality = request.user.municipality
    form = MunicipalitySettingsForm(
        request.POST or None, instance=municipalities_visible_to(request.user).get()
    )
    if request.method == "POST" and form.is_valid():
        services.municipality_settings_update(
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        messages.success(request, _("The settings are saved."))
        return redirect("organisation:manage")
    return render(request, "organisation/municipality_settings.html", {"form": form})


@require_POST
@municipality_member_required
def union_presence_add(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    _require_admin(request)
    form = UnionPresenceForm(request.POST, municipality=unit.municipality)
    if form.is_valid():
        services.union_presence_set(
            actor=request.user,
            unit=unit,
            union=form.cleaned_data["union"],
            member_count=form.cleaned_data["member_count"],
        )
        messages.success(request, _("Saved. The composition check has been updated."))
    else:
        messages.error(request, _("Choose a union, and a number of members of at least 1."))
    return redirect(reverse("organisation:unit_detail", args=[unit.pk]) + "#unions")


@require_POST
@municipality_member_required
def union_presence_remove(request, pk, union_pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    _require_admin(request)
    union = get_object_or_404(Union.objects.available_to(unit.municipality), pk=union_pk)
    services.union_presence_remove(actor=request.user, unit=unit, union=union)
    messages.success(request, _("Removed."))
    return redirect(reverse("organisation:unit_detail", args=[unit.pk]) + "#unions")


@municipality_member_required
def steering_group(request):
    municipality = request.user.municipality
    context = selectors.steering_group_detail(municipality)
    context["can_manage"] = can_manage_roles(request.user, municipality)
    # Higher apps add panels, e.g. counts of unanswered staff input (P3, counts only).
    context["panels"] = hooks.collect(hooks.STEERING_GROUP_PANELS, request.user, municipality)
    return render(request, "organisation/steering_group.html", context)


@municipality_member_required
def manage(request):
    """The municipal admin's overview: every composition finding, the adoption decision."""
    _require_admin(request)
    municipality = request.user.municipality
    issues = composition.composition_issues(municipality)
    return render(
        request,
        "organisation/manage.html",
        {
            # The counts are made from the very lists shown under them (and on the home page).
            "unit_findings": issues["unit_findings"],
            "unit_counts": issues["unit_counts"],
            "steering_findings": issues["steering_group"],
            "steering_counts": composition.severity_counts(issues["steering_group"]),
            "adoption": municipality.adoption_decisions.first(),
            "extra_cards": hooks.collect(hooks.MANAGE_CARDS, request.user),
        },
    )


PEOPLE_PER_PAGE = 50


@municipality_member_required
def people(request):
    _require_admin(request)
    municipality = request.user.municipality
    query = request.GET.get("q", "").strip()[:100]
    unit_id = request.GET.get("unit")
    unit_id = int(unit_id) if unit_id and unit_id.isascii() and unit_id.isdigit() else None
    people_page = Paginator(
        selectors.people_list(municipality, query=query, unit_id=unit_id), PEOPLE_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "people": people_page.object_list,
        "page": people_page,
        "page_range": people_page.paginator.get_elided_page_range(
            people_page.number, on_each_side=1, on_ends=1
        ),
        # Page links keep the search (and work without JavaScript).
        "search_query": urlencode({k: v for k, v in (("q", query), ("unit", unit_id)) if v}),
        "query": query,
        "unit_id": unit_id,
        "unit_options": selectors.unit_options(municipality, unit_id),
    }
    if request.htmx:
        return render(request, "organisation/people.html#results", context)
    return render(request, "organisation/people.html", context)


@municipality_member_required
def person_create(request):
    """Add a person; `?unit=…&role=…` (from a unit page or a composition finding) is carried
    on to the role form on the new person's page."""
    _require_admin(request)
    municipality = request.user.municipality
    prefill = prefill_query(role_prefill(request.GET, municipality))
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if form.cleaned_data["send_invitation"]:
                text = _("%(name)s was added, and an invitation is on its way to %(email)s.")
            else:
                text = _("%(name)s was added. Now give them a role.")
            messages.success(request, text % {"name": person, "email": person.email})
            url = reverse("organisation:person_detail", args=[person.pk])
            return redirect(f"{url}?{prefill}#assign" if prefill else url)
    return render(request, "organisation/person_form.html", {"form": form, "prefill": prefill})


def _person_page(request, person, assign_form=None, status=200):
    municipality = request.user.municipality
    context = selectors.person_roles(person)
    context.update(
        person=person,
        assign_form=assign_form
        or RoleAssignForm(
            municipality=municipality, initial=role_prefill(request.GET, municipality)
        ),
        end_form=RoleEndForm(),
        invitation=selectors.person_invitation(person),
        page_panels=hooks.collect(hooks.PERSON_ADMIN_PANELS, request.user, person),
    )
    return render(request, "organisation/person_detail.html", context, status=status)


@require_POST
@municipality_member_required
def person_invite(request, pk):
    """Send (or send again) the invitation to choose a password; the e-mail goes out from the
    background job. Older links of the person stop working."""
    _require_admin(request)
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    again = selectors.person_invitation(person).sent_before
    try:
        services.person_invite(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if again:
            text = _("A new invitation is on its way to %(email)s. Earlier links no longer work.")
        else:
            text = _("An invitation is on its way to %(email)s.")
        messages.success(request, text % {"email": person.email})
    return redirect(reverse("organisation:person_detail", args=[person.pk]) + "#access")


@municipality_member_required
def role_assign_new(request):
    """Register a role for a person chosen with the picker, pre-filled from `?role=&unit=`
    (the composition check's "Register the safety rep" and the unit page link here)."""
    _require_admin(request)
    municipality = request.user.municipality
    initial = role_prefill(request.GET, municipality)
    form = RoleAssignNewForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        person = fields.pop("person")
        try:
            assignment = services.role_assign(
                actor=request.user, municipality=municipality, person=person, **fields
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            _say_registered(request, person, assignment)
            if assignment.unit_id:
                url = reverse("organisation:unit_detail", args=[assignment.unit_id])
            elif assignment.role in STEERING_GROUP_ROLES:
                url = reverse("organisation:steering_group")
            else:
                url = reverse("organisation:person_detail", args=[person.pk])
            return redirect(url)
    prefill = prefill_query(initial)
    return render(
        request,
        "organisation/role_assign_form.html",
        {
            "form": form,
            "prefill": prefill,
            "unit": initial.get("unit"),
            "role_label": Role(initial["role"]).label if "role" in initial else "",
        },
        status=400 if form.errors else 200,
    )


@municipality_member_required
def person_detail(request, pk):
    _require_admin(request)
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    return _person_page(request, person)


@require_POST
@municipality_member_required
def role_assign(request, pk):
    _require_admin(request)
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    form = RoleAssignForm(request.POST, municipality=request.user.municipality)
    if form.is_valid():
        try:
            assignment = services.role_assign(
                actor=request.user,
                municipality=request.user.municipality,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            _say_registered(request, person, assignment)
            return redirect("organisation:person_detail", pk=person.pk)
    return _person_page(request, person, assign_form=form, status=400)


@require_POST
@municipality_member_required
def role_end(request, pk):
    _require_admin(request)
    assignment = get_object_or_404(
        role_assignments_visible_to(request.user).select_related("person"), pk=pk
    )
    form = RoleEndForm(request.POST)
    if form.is_valid():
        try:
            services.role_end(
                actor=request.user, assignment=assignment, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The role ends on %(date)s and is kept in the history.")
                % {"date": form.cleaned_data["ends_on"].strftime("%d.%m.%Y")},
            )
    else:
        messages.error(request, _("Enter a valid end date."))
    return redirect("organisation:person_detail", pk=assignment.person_id)


@municipality_member_required
def adoption_decision(request):
    _require_admin(request)
    municipality = request.user.municipality
    form = AdoptionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.adoption_decision_record(
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        messages.success(request, _("The decision is recorded."))
        return redirect("organisation:manage")
    return render(
        request,
        "organisation/adoption_form.html",
        {"form": form, "decisions": municipality.adoption_decisions.all()},
    )


@municipality_member_required
def import_upload(request):
    municipality = request.user.municipality
    if not can_import(request.user, municipality):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.import_batch_create(
            actor=request.user,
            municipality=municipality,
            filename=upload.name,
            content=upload.read(),
        )
        return redirect("organisation:import_review", pk=batch.pk)
    status = 400 if request.method == "POST" else 200  # refused: the form with its errors
    return render(request, "organisation/import_upload.html", {"form": form}, status=status)


@municipality_member_required
def import_review(request, pk):
    """The dry run: every bad row with its number and reason; nothing is written."""
    municipality = request.user.municipality
    if not can_import(request.user, municipality):
        raise PermissionDenied
    batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
    if batch.applied_at:
        # Done: what was imported, and the invitations to the new people (with the progress
        # of the job sending them; htmx polls the "invitations" partial while it runs).
        context = {"batch": batch, "invitations": selectors.import_invitations(batch)}
        if request.htmx:
            return render(request, "organisation/import_review.html#invitations", context)
        return render(request, "organisation/import_review.html", context)
    file_error = None
    report = None
    try:
        report = importing.import_dry_run(
            municipality=municipality, filename=batch.filename, content=bytes(batch.content)
        )
    except importing.ImportFileError as exc:
        file_error = str(exc)
    return render(
        request,
        "organisation/import_review.html",
        {"batch": batch, "report": report, "file_error": file_error, "form": ImportUploadForm()},
    )


@require_POST
@municipality_member_required
def import_invite(request, pk):
    """Invite everyone the import created who has no password yet: one background job."""
    if not can_import(request.user, request.user.municipality):
        raise PermissionDenied
    batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
    try:
        services.import_invite_new(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("organisation:import_review", args=[batch.pk]) + "#invitations")


@require_POST
@municipality_member_required
def import_apply(request, pk):
    municipality = request.user.municipality
    if not can_import(request.user, municipality):
        raise PermissionDenied
    batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
    if batch.applied_at:
        messages.warning(request, _("This file has already been imported."))
        return redirect("organisation:import_review", pk=batch.pk)
    try:
        # Applies the file and, once imported, removes it (retention, issue 13): only the
        # summary of what was imported is kept.
        report = importing.import_batch_apply(actor=request.user, batch=batch)
    except importing.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("organisation:import_review", pk=batch.pk)
    except ValidationError as exc:
        # Imported meanwhile (a second click), or the data changed between the check and the
        # write; the transaction wrote nothing.
        messages.error(
            request,
            _("Nothing was imported: %(reason)s Check the file again.")
            % {"reason": " ".join(exc.messages)},
        )
        return redirect("organisation:import_review", pk=batch.pk)
    if not report.ok:
        messages.error(request, _("Nothing was imported: the file has errors."))
        return redirect("organisation:import_review", pk=batch.pk)
    summary = report.summary()
    messages.success(
        request,
        _(
            "Imported: %(units)d new units, %(departments)d new departments, %(people)d new people "
            "and %(roles)d role assignments."
        )
        % summary,
    )
    return redirect("organisation:import_review", pk=batch.pk)


@municipality_member_required
def import_example(request, fmt):
    """The example file from docs/examples, as CSV or converted to Excel."""
    if not can_import(request.user, request.user.municipality):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content_type, body = importing.example_file(fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="trepart-import-eksempel.{fmt}"'
    return response


@municipality_member_required
def people_search(request):
    """The person picker's candidates: at most PEOPLE_SEARCH_LIMIT active people of the user's
    own municipality whose name or e-mail matches (one bounded query). For those who fill in
    a picker: the party groups' and the steering group's members (an action's assignee) and
    the municipal admin (role forms); not every employee (issue 15: names and addresses)."""
    user = request.user
    if not (party_group_unit_ids(user) or is_steering_member(user) or is_admin(user)):
        raise PermissionDenied
    element_id = request.GET.get("for", "")
    name = request.GET.get("name") or element_id.removeprefix("id_")
    if not SAFE_NAME.match(element_id) or not SAFE_NAME.match(name):
        return HttpResponseBadRequest()
    query = request.GET.get(name + SEARCH_SUFFIX) or request.GET.get("q", "")
    state = search_state(request.user.municipality, query) if query.strip() else PickerState()
    context = picker_options_context(state, element_id, name)
    return render(
        request,
        "organisation/partials/_person_options.html",
        {**context, "show_empty": True, "show_status": True},
    )
