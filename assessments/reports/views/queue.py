"""Mark seen: an entry of the coach queue (home page), or a new comment (team page), leaves the person's
list. The queue's view: it checks the entry against the queue and records the mark through the actions
service (the read side's selectors never write)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import Need, TeamAccess, requires
from assessments.actions.services.seen import KEY_MAX_LENGTH, seen_mark
from assessments.actions.views.comments import back_to
from assessments.reports.queue import markable_keys


class SeenForm(forms.Form):
    key = forms.CharField(max_length=KEY_MAX_LENGTH)


@requires(Need.READ)
@require_POST
def mark_seen(request: HttpRequest, access: TeamAccess) -> HttpResponse:
    """Marks one entry of the team seen, if it is on the person's list now (their queue's entries for the
    team, the team's comments new to them); any other key changes nothing."""
    target = back_to(request, reverse("assessments:team_detail", kwargs={"team_id": access.team.pk}))
    form = SeenForm(request.POST)
    if form.is_valid() and form.cleaned_data["key"] in markable_keys(user=request.user, team=access.team):
        seen_mark(user=request.user, key=form.cleaned_data["key"])
        messages.success(request, _("Marked seen."))
    else:
        messages.info(request, _("That entry is no longer on your list."))
    return redirect(target)
