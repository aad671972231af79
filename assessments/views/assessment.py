"""One assessment: its overview, participants, and the status changes (reveal, complete, reopen)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import selectors, services
from assessments.access import AssessmentAccess, Need, requires
from assessments.forms import ParticipantFormSet, ReopenForm, saved_rows


@requires(Need.READ)
def assessment_detail(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    assessment = access.assessment
    overview = selectors.assessment_overview(assessment=assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "access": access,
            "assessment": assessment,
            "team": access.team,
            "participation": overview.participation,
            "voices": overview.missing_voices,
            "reopenings": overview.reopenings,
            "progress": overview.vote_progress,
            "total": overview.total,
            "answered": overview.answered,
            # Only those who may move the assessment are told of a newer version.
            "newer": selectors.newer_version(assessment=assessment) if access.can_facilitate else None,
        },
    )


@requires(Need.FACILITATE)
def participants_edit(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    assessment = access.assessment
    formset = ParticipantFormSet(
        request.POST or None,
        initial=saved_rows(selectors.assessment_participants(assessment=assessment)),
        prefix="participants",
        team_members=selectors.team_member_choices(team=access.team),
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.participants_replace(
                assessment=assessment, participants=formset.entries(), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Participants saved."))
        return redirect("assessments:assessment_detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessments/participants_edit.html",
        {
            "access": access,
            "assessment": assessment,
            "team": access.team,
            "participants": formset,
        },
    )


def _status_change(request: HttpRequest, change, success: str, **kwargs) -> None:
    """Runs one status change of the assessment and tells the user how it went."""
    try:
        change(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


def _confirm(request: HttpRequest, access: AssessmentAccess, action: str, **context) -> HttpResponse:
    """The page that asks before a status change, with what the facilitator should know first."""
    return render(
        request,
        "assessments/confirm_status.html",
        {"access": access, "assessment": access.assessment, "team": access.team, "action": action, **context},
    )


@requires(Need.FACILITATE)
@require_http_methods(["GET", "POST"])
def reveal_votes(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """GET asks first, naming who has not finished voting; POST reveals."""
    if request.method == "GET":
        overview = selectors.assessment_overview(assessment=access.assessment)
        unfinished = [
            (m, overview.total - done) for m, done in overview.vote_progress if done < overview.total
        ]
        return _confirm(request, access, "reveal", overview=overview, unfinished=unfinished)
    _status_change(
        request,
        services.assessment_reveal_votes,
        _("Votes are revealed and voting has closed. Agree a consensus score for each best practice."),
        assessment=access.assessment,
        revealed_by=request.user,
    )
    return redirect("assessments:consensus", assessment_id=access.assessment.pk)


@requires(Need.FACILITATE)
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """GET asks first, listing the best practices still without a consensus answer, and warning of those
    answered without the voice of the people served they call for (a warning: completing stays allowed);
    POST completes."""
    if request.method == "GET":
        overview = selectors.assessment_overview(assessment=access.assessment)
        return _confirm(
            request,
            access,
            "complete",
            overview=overview,
            missing=selectors.unanswered_items(assessment=access.assessment),
            voices=overview.missing_voices,
        )
    _status_change(
        request,
        services.assessment_complete,
        _("The assessment is completed and locked."),
        assessment=access.assessment,
        completed_by=request.user,
    )
    return redirect("assessments:assessment_detail", assessment_id=access.assessment.pk)


@requires(Need.FACILITATE)
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """GET asks first (reopening unlocks the answers and needs a reason); POST reopens."""
    form = ReopenForm(request.POST or None)
    if request.method == "GET":
        return _confirm(request, access, "reopen", form=form)
    if not form.is_valid():
        messages.error(request, _("Say why the assessment is reopened (up to 4,000 characters)."))
    else:
        _status_change(
            request,
            services.assessment_reopen,
            _("The assessment is reopened; the reason is on record."),
            assessment=access.assessment,
            reopened_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    return redirect("assessments:assessment_detail", assessment_id=access.assessment.pk)
