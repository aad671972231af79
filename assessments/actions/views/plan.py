"""A team's action plan: the plan page, a new action, one action's page with its edit, status and progress
notes. Everyone with a part in the team reads; those with PLAN (facilitators, members, organization
admins) change it. Coaches read and do not edit: their POSTs are refused (403) and change nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import Need, TeamAccess, requires
from assessments.actions.forms import (
    ActionForm,
    ActionSourceForm,
    PlanFilterForm,
    ProgressNoteForm,
    StatusForm,
    add_service_errors,
)
from assessments.actions.selectors import plan as selectors
from assessments.actions.selectors.comments import action_threads
from assessments.actions.services import plan as services


@requires(Need.READ)
def action_plan(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    filters = PlanFilterForm(request.GET)
    chosen = filters.filters()
    plan = selectors.team_plan(team=access.team, **chosen)
    return render(
        request,
        "actions/plan.html",
        {
            "access": access,
            "team": access.team,
            "plan": plan,
            "filters": filters.show_owners(plan.owners),
            "filtered": any(chosen.values()),
            "mine": selectors.owner_of(plan=plan, user=request.user),
            # The empty state points at the results to plan from.
            "latest": selectors.plannable_assessments(team=access.team).first() if not plan.total else None,
        },
    )


@requires(Need.PLAN)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    """A new action, from a link that names its assessment and item or driver (`?assessment=12&item=FA-3`);
    without one, the page lists the assessments and drivers to start from."""
    posted = request.method == "POST"
    named = ActionSourceForm(request.POST if posted else request.GET)
    source = (
        selectors.action_source(
            team=access.team,
            assessment_id=named.cleaned_data["assessment"],
            driver_code=named.cleaned_data["driver"],
            item_code=named.cleaned_data["item"],
        )
        if named.is_valid()
        else None
    )
    if source is None:
        return render(
            request,
            "actions/action_start.html",
            {
                "access": access,
                "team": access.team,
                "starts": selectors.plan_starts(team=access.team),
                "unknown": named.is_bound and bool(named.data),
            },
            status=400 if posted else 200,
        )
    form = ActionForm(
        request.POST if posted else None,
        initial={"items": source.chosen},
        assessment=source.assessment,
        items=source.items,
        owners=selectors.team_owner_candidates(team=access.team),
    )
    if posted and form.is_valid():
        try:
            action = services.action_create(
                team=access.team,
                assessment=source.assessment,
                driver=source.driver,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action is in the plan."))
            return redirect(f"{reverse('assessments:action_plan', args=[access.team.pk])}#action-{action.pk}")
    return render(
        request,
        "actions/action_new.html",
        {"access": access, "team": access.team, "source": source, "form": form},
    )


def _team_action(access: TeamAccess, action_id: int) -> selectors.PlanRow:
    row = selectors.team_action(team=access.team, action_id=action_id)
    if row is None:
        raise Http404("No such action of this team.")
    return row


def _edit_form(request: HttpRequest, access: TeamAccess, row: selectors.PlanRow) -> ActionForm:
    action = row.action
    return ActionForm(
        request.POST if request.method == "POST" else None,
        initial=ActionForm.initial_of(action, row.codes),
        assessment=action.assessment,
        items=selectors.driver_items(driver=action.driver),
        owners=selectors.team_owner_candidates(team=access.team),
    )


def _detail(request: HttpRequest, access: TeamAccess, row: selectors.PlanRow, **forms) -> HttpResponse:
    """The action's page; the forms of whoever may change it, a bound one (with its errors) among them."""
    context = {
        "access": access,
        "team": access.team,
        "row": row,
        "action": row.action,
        "action_comments": action_threads(action=row.action, viewer=request.user),
    }
    if access.can_plan:
        action = row.action
        context |= {
            "edit_form": forms.get("edit_form") or _edit_form(request, access, row),
            "status_form": forms.get("status_form")
            or StatusForm(initial={"status": action.status, "dropped_reason": action.dropped_reason}),
            "note_form": forms.get("note_form") or ProgressNoteForm(),
        }
    return render(request, "actions/action_detail.html", context)


def _to_detail(access: TeamAccess, row: selectors.PlanRow) -> HttpResponse:
    return redirect("assessments:action_detail", team_id=access.team.pk, action_id=row.action.pk)


@requires(Need.READ)
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, access: TeamAccess, action_id: int) -> HttpResponse:
    """One action: everyone reads it; a POST edits it (PLAN)."""
    row = _team_action(access, action_id)
    if request.method == "GET":
        return _detail(request, access, row)
    if not access.can_plan:
        raise PermissionDenied("Coaches read the plan and do not edit it.")
    form = _edit_form(request, access, row)
    if form.is_valid():
        try:
            services.action_update(action=row.action, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action is saved."))
            return _to_detail(access, row)
    return _detail(request, access, row, edit_form=form)


@requires(Need.PLAN)
@require_POST
def action_status(request: HttpRequest, access: TeamAccess, action_id: int) -> HttpResponse:
    row = _team_action(access, action_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            action = services.action_set_status(action=row.action, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The action is now “%(status)s”.") % {"status": action.get_status_display()}
            )
            return _to_detail(access, row)
    return _detail(request, access, row, status_form=form)


@requires(Need.PLAN)
@require_POST
def progress_note_add(request: HttpRequest, access: TeamAccess, action_id: int) -> HttpResponse:
    row = _team_action(access, action_id)
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        try:
            services.progress_note_add(action=row.action, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The progress note is added."))
            return _to_detail(access, row)
    return _detail(request, access, row, note_form=form)
