"""A member's private votes: the whole sheet as one plain form, and one answer at a time by autosave."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.access import AssessmentAccess, Need, requires
from drivers import scale


def _answers(post, codes):
    """(code, answer, comment) for each item the form carries an answer for."""
    for code in codes:
        answer = post.get(f"answer-{code}")
        if answer is not None:
            yield code, answer, post.get(f"comment-{code}", "")


def _pairs(post):
    """code -> (answer, comment) of every answer the form carries."""
    codes = [key.removeprefix("answer-") for key in post if key.startswith("answer-")]
    for code, answer, comment in _answers(post, codes):
        yield code, (answer, comment)


@requires(Need.VOTE)
def vote_sheet(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    assessment = access.assessment
    errors: dict[str, str] = {}
    if request.method == "POST" and not assessment.is_open:
        messages.error(request, _("Voting has closed: the votes of this assessment have been revealed."))
        return redirect("assessments:vote", assessment_id=assessment.pk)
    if request.method == "POST":
        posted = sorted(key.removeprefix("answer-") for key in request.POST if key.startswith("answer-"))
        try:
            services.votes_record(
                assessment=assessment, member=request.user, answers=list(_answers(request.POST, posted))
            )
        except ValidationError as exc:
            errors = {code: " ".join(problems) for code, problems in exc.message_dict.items()}
            messages.error(
                request,
                _("%(count)d answers could not be saved, so none was saved; see the marked best practices.")
                % {"count": len(errors)},
            )
        else:
            messages.success(
                request,
                _("Your votes are saved (%(time)s).") % {"time": time_format(timezone.localtime(), "H:i")},
            )
            return redirect("assessments:vote", assessment_id=assessment.pk)
    # After a refused sheet nothing was saved: the rows show what this member chose and typed, as not saved.
    unsaved = dict(_pairs(request.POST)) if errors else {}
    sheet = selectors.voting_sheet(assessment=assessment, member=request.user, unsaved=unsaved, errors=errors)
    return render(
        request,
        "assessments/vote_sheet.html",
        {
            "access": access,
            "assessment": assessment,
            "team": access.team,
            "sheet": sheet,
            "errors": errors,
            "answer_choices": scale.VOTE_CHOICES,
            "closed": not assessment.is_open,
        },
        status=400 if errors else 200,
    )


@requires(Need.VOTE)
@require_POST
def vote_item(request: HttpRequest, access: AssessmentAccess, item_code: str) -> HttpResponse:
    """Autosave of one answer. htmx swaps in the returned status; a plain post goes back to the sheet."""
    answer = request.POST.get(f"answer-{item_code}", "")
    error = ""
    try:
        services.vote_record(
            assessment=access.assessment,
            member=request.user,
            item_code=item_code,
            answer=answer,
            comment=request.POST.get(f"comment-{item_code}", ""),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, f"{item_code}: {error}")
        sheet_url = reverse("assessments:vote", kwargs={"assessment_id": access.assessment.pk})
        return redirect(f"{sheet_url}#item-{item_code}")
    count = selectors.vote_count(assessment=access.assessment, member=request.user, item_code=item_code)
    return render(
        request,
        "assessments/partials/vote_saved.html",
        {"code": item_code, "error": error, "saved_at": timezone.localtime(), "count": count},
        status=422 if error else 200,
    )
