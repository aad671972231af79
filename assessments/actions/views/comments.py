"""Comments: start a thread on an assessment, one of its items or an action; reply; edit one's own within the
window. Plain forms that post and return to the page they came from (its `next`); a refused comment comes
back on a page of its own with the message beside the field and the text kept."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import AssessmentAccess, Need, TeamAccess, requires
from assessments.actions.selectors import comments as selectors
from assessments.actions.services.comments import EMPTY_BODY, comment_add, comment_edit, reply_add


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=selectors.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": EMPTY_BODY},
    )
    # Set by the item's thread on the driver page; shown as a field only when it needs correcting.
    item = forms.CharField(label=gettext_lazy("Best practice (code)"), required=False, max_length=40)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Reply"),
        max_length=selectors.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": EMPTY_BODY},
    )


def back_to(request: HttpRequest, default: str) -> str:
    """Where the form came from (`next`, a path of this site), or `default`. Only a path from the root:
    anything else ("0", "page#x") would be taken by `redirect` for the name of a view, and fail after the
    comment was saved."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _at(url: str, comment) -> str:
    """The page at the comment itself."""
    return f"{url.split('#')[0]}#comment-{comment.pk}"


def _form_page(
    request: HttpRequest, *, access: TeamAccess, form: forms.Form, title: str, back: str, **about
) -> HttpResponse:
    """The comment form on a page of its own: a refused post with its message (422), or an edit (200).
    `about` names what the comment is on, for the page to say: an assessment (and item_code), an action,
    the comment replied to (parent), or the comment edited (edited)."""
    return render(
        request,
        "actions/comment_form.html",
        {"access": access, "team": access.team, "form": form, "title": title, "back": back, **about},
        status=422 if form.errors else 200,
    )


def _page_of(comment) -> str:
    """The page a comment is shown on, for when the form gave no `next`."""
    if comment.assessment_id is None:
        return reverse(
            "assessments:action_detail", kwargs={"team_id": comment.team_id, "action_id": comment.action_id}
        )
    if comment.item_id is None:
        return reverse("assessments:results", kwargs={"assessment_id": comment.assessment_id})
    return reverse(
        "assessments:driver_detail",
        kwargs={"assessment_id": comment.assessment_id, "driver_code": comment.item.driver.code},
    )


@requires(Need.COMMENT)
@require_POST
def assessment_comment(request: HttpRequest, access: AssessmentAccess) -> HttpResponse:
    """Starts a thread on the assessment, or on one of its items (the form's `item`)."""
    assessment = access.assessment
    back = back_to(request, "")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = comment_add(
                author=request.user,
                assessment=assessment,
                item_code=form.cleaned_data["item"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Comment posted."))
            return redirect(_at(back or _page_of(comment), comment))
    return _form_page(
        request,
        access=access,
        form=form,
        title=_("Your comment was not posted"),
        back=back or reverse("assessments:results", kwargs={"assessment_id": assessment.pk}),
        assessment=assessment,
        item_code=request.POST.get("item", ""),
    )


@requires(Need.COMMENT)
@require_POST
def action_comment(request: HttpRequest, access: TeamAccess, action_id: int) -> HttpResponse:
    """Starts a thread on an action of the team."""
    action = selectors.team_action(team=access.team, action_id=action_id)
    if action is None:
        raise Http404("No such action in this team.")
    back = back_to(
        request,
        reverse("assessments:action_detail", kwargs={"team_id": access.team.pk, "action_id": action.pk}),
    )
    form = CommentForm(request.POST)
    form.fields["item"].disabled = True  # an action's thread names no item
    if form.is_valid():
        try:
            comment = comment_add(author=request.user, action=action, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Comment posted."))
            return redirect(_at(back, comment))
    return _form_page(
        request,
        access=access,
        form=form,
        title=_("Your comment was not posted"),
        back=back,
        action=action,
    )


def _comment_of(access: TeamAccess, comment_id: int):
    comment = selectors.team_comment(team=access.team, comment_id=comment_id)
    if comment is None:
        raise Http404("No such comment in this team.")
    return comment


@requires(Need.REPLY)
@require_POST
def comment_reply(request: HttpRequest, access: TeamAccess, comment_id: int) -> HttpResponse:
    parent = _comment_of(access, comment_id)
    back = back_to(request, _page_of(parent))
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = reply_add(author=request.user, parent=parent, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reply posted."))
            return redirect(_at(back, reply))
    return _form_page(
        request,
        access=access,
        form=form,
        title=_("Your reply was not posted"),
        back=back,
        parent=parent,
    )


@requires(Need.REPLY)
@require_http_methods(["GET", "POST"])
def comment_edit_page(request: HttpRequest, access: TeamAccess, comment_id: int) -> HttpResponse:
    """The author's own comment, editable for a few minutes after posting (only the author: 403)."""
    comment = _comment_of(access, comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only its author can edit a comment.")
    back = back_to(request, _page_of(comment))
    form = ReplyForm(request.POST or None, initial={"body": comment.body})
    form.fields["body"].label = _("Comment")
    if request.method == "POST" and form.is_valid():
        try:
            comment = comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Comment saved."))
            return redirect(_at(back, comment))
    elif request.method == "GET" and not selectors.editable_by(comment, request.user):
        messages.error(request, _("This comment can no longer be edited."))
        return redirect(_at(back, comment))
    return _form_page(
        request,
        access=access,
        form=form,
        title=_("Edit your comment"),
        back=back,
        edited=comment,
    )
