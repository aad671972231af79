"""Reaching consensus: the board of every item's votes, saving an answer, and the one-item meeting mode."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.access import AssessmentAccess, Need, requires
from assessments.actions.selectors.loop import open_actions_by_item
from assessments.forms import ResponseForm
from drivers import scale


def _response_form(row, data=None) -> ResponseForm:
    response = row.response
    initial = {"revision": response.revision if response else 0}
    if response:
        initial.update(
            score=scale.consensus_value(response.score),
            na_reason=response.na_reason,
            evidence=response.evidence,
        )
    return ResponseForm(data, initial=initial, prefix=row.item.code)


@requires(Need.READ)
def consensus(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    assessment = access.assessment
    board = selectors.consensus_board(assessment=assessment)
    by_driver = request.GET.get("order") == "driver"
    rows = board.rows if by_driver else board.discussion_order(revealed=not assessment.is_open)
    editable = access.can_facilitate and assessment.in_consensus
    for row in rows:
        row.form = _response_form(row) if editable else None
    # The team's open actions on each item, so the meeting sees what is under way before it scores.
    open_actions = open_actions_by_item(assessment=assessment)
    return render(
        request,
        "assessments/consensus.html",
        {
            "access": access,
            "assessment": assessment,
            "team": access.team,
            "board": board,
            "rows": [(row, open_actions.get(row.item.pk, [])) for row in rows],
            "by_driver": by_driver,
            "editable": editable,
        },
    )


@requires(Need.FACILITATE)
@require_POST
def response_save(request: HttpRequest, access: AssessmentAccess, item_code: str) -> HttpResponse:
    """Saves one consensus answer. A stale save is refused with the answer that is there now."""
    assessment = access.assessment
    form = ResponseForm(request.POST, prefix=item_code)
    error, status, saved = "", 200, None
    if not form.is_valid():
        error, status = _("Not saved: correct the marked fields."), 422
    else:
        try:
            saved = services.response_record(
                assessment=assessment,
                recorded_by=request.user,
                item_code=item_code,
                score=form.score_value,
                na_reason=form.cleaned_data["na_reason"],
                evidence=form.cleaned_data["evidence"],
                revision=form.cleaned_data["revision"],
            )
        except services.StaleResponse as exc:
            current = exc.current
            error = _(
                "Not saved: %(user)s saved this answer meanwhile (now: %(answer)s). Your entry is still "
                "below; save again if it should replace theirs."
            ) % {
                "user": services.person_name(current.recorded_by),
                "answer": current.label,
            }
            status = 409
            # Keep what this editor typed, now based on the current revision: saving again is a choice.
            data = request.POST.copy()
            data[f"{item_code}-revision"] = current.revision
            form = ResponseForm(data, prefix=item_code)
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 422
    # The saved answer comes back from the service, so the row is built without reading it again.
    row = selectors.consensus_row(assessment=assessment, item_code=item_code, response=saved)
    if row is None:
        raise Http404("No such best practice in this assessment.")
    if not request.htmx:  # a plain form (no JavaScript): back to the board, or on to the next item
        if error:
            messages.error(request, f"{item_code}: {error}")
        else:
            messages.success(request, _("%(code)s saved.") % {"code": item_code})
        return redirect(_after_save(request, access, item_code, error))
    row.form = form if error else _response_form(row)
    context = {
        "row": row,
        "assessment": assessment,
        "access": access,
        "editable": True,
        "error": error,
        "saved": not error,
    }
    if request.POST.get("from") == "meeting":
        # Meeting mode replaces its form alone (with the fresh revision); the rest of the page stays.
        template = "assessments/partials/response_form.html"
        context.update(meeting=True, next_code=request.POST.get("next_code", ""))
    else:
        # The board's item is replaced whole: with its open actions, as the board shows them.
        template = "assessments/partials/consensus_item.html"
        context["open_actions"] = open_actions_by_item(assessment=assessment).get(row.item.pk, [])
    return render(request, template, context, status=status)


def _after_save(request: HttpRequest, access: AssessmentAccess, item_code: str, error: str) -> str:
    """Meeting mode moves on to the next item after a save, or stays on this one to show the problem (or
    when the posted next item is not one of the assessment's: the answer is saved either way)."""
    if request.POST.get("from") == "meeting":
        next_code = request.POST.get("next_code", "") if not error else ""
        if not selectors.assessment_has_item(assessment=access.assessment, code=next_code):
            next_code = item_code
        return reverse(
            "assessments:meeting_item", kwargs={"assessment_id": access.assessment.pk, "item_code": next_code}
        )
    board = reverse("assessments:consensus", kwargs={"assessment_id": access.assessment.pk})
    return f"{board}#item-{item_code}"


@requires(Need.READ)
def meeting(request: HttpRequest, access: AssessmentAccess, item_code: str | None = None) -> HttpResponse:
    """The projector view: one best practice at a time, large type, arrow keys to move."""
    assessment = access.assessment
    board = selectors.consensus_board(assessment=assessment)
    if not board.rows:
        raise Http404("This assessment has no best practices.")
    if item_code is None:
        first = next((r for r in board.rows if not r.answered), board.rows[0])
        return redirect("assessments:meeting_item", assessment_id=assessment.pk, item_code=first.item.code)
    codes = [r.item.code for r in board.rows]
    if item_code not in codes:
        raise Http404("No such best practice in this assessment.")
    index = codes.index(item_code)
    row = board.rows[index]
    editable = access.can_facilitate and assessment.in_consensus
    row.form = _response_form(row) if editable else None
    next_code = codes[index + 1] if index + 1 < len(codes) else None
    return render(
        request,
        "assessments/meeting.html",
        {
            "access": access,
            "assessment": assessment,
            "team": access.team,
            "row": row,
            "board": board,
            "position": index + 1,
            "previous_code": codes[index - 1] if index else None,
            "next_code": next_code,
            "editable": editable,
            # What the team is already doing about this best practice, as on the board.
            "open_actions": open_actions_by_item(assessment=assessment).get(row.item.pk, []),
        },
    )
