"""Action items with their progress notes, driver targets, comments, and what a person has marked seen or
been reminded of. Invariants of one row live here, in constraints and `clean()`; the rules across rows
(an owner from the team, items of the assessment's version) live in the services."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Team
from drivers.models import BestPractice, Driver


class ActionItem(models.Model):
    """What a team will do to strengthen one or more best practices, or a whole driver, after an
    assessment. Owned by a team member or by a named person without an account."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="actions")
    # The assessment whose results the action answers; the loop compares its answers with later ones.
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("what will be done"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    # Items of the assessment's version (one or more), or else the driver as a whole.
    items = models.ManyToManyField(BestPractice, related_name="actions", blank=True)
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    owner_name = models.CharField(_("owner without an account"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    dropped_reason = models.CharField(_("why it was dropped"), max_length=500, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The items too: which best practices an action is about is part of what the loop reads.
    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""), name="action_dropped_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_name=""), name="action_one_kind_of_owner"
            ),
        ]
        # A team's open actions: those the consensus board shows beside each item
        # (loop.open_actions_by_item), the coach queue's overdue ones (reports.queue). With some 20 actions
        # a team PostgreSQL uses the team_id index of the foreign key today (docs/performance.md).
        indexes = [models.Index(fields=["team", "status"], name="action_team_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def overdue_on(self, today: datetime.date) -> bool:
        """Still open after its due date."""
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.get_username()
        return self.owner_name


class ProgressNote(models.Model):
    """A dated line of what happened on an action."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.CharField(_("note"), max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["written_on", "pk"]

    def __str__(self) -> str:
        return self.text


class Target(models.Model):
    """A driver score the team aims for at the assessment after `set_after` (a completed assessment of
    the team). Drivers are named by lineage key, so a target outlives a new content version."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="targets")
    set_after = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets_after")
    driver_key = models.CharField(max_length=40)
    percent = models.PositiveSmallIntegerField(_("target (%)"), validators=[MaxValueValidator(100)])
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # Its index finds the targets a team set after an assessment (targets' page and services).
            models.UniqueConstraint(fields=["team", "set_after", "driver_key"], name="target_one_per_driver"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="target_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.driver_key}: {self.percent}%"


class Comment(models.Model):
    """Feedback on an assessment, on one item of it, or on an action; a reply answers a top-level comment
    (one level). `team` repeats the subject's, so that a team's comments are read with one filter."""

    EDIT_WINDOW_MINUTES = 15

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="comments")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    item = models.ForeignKey(BestPractice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # About an assessment (maybe one of its items) or about an action, never both or neither.
            models.CheckConstraint(
                condition=(Q(assessment__isnull=False) & Q(action__isnull=True))
                | (Q(assessment__isnull=True) & Q(action__isnull=False) & Q(item__isnull=True)),
                name="comment_one_subject",
            ),
        ]
        # A team's comments since a date: those new to a person (actions.selectors.comments.comments_new_to:
        # the home page's counts, the team page, the coach queue). With a few comments a team PostgreSQL
        # uses the team_id index of the foreign key today (docs/performance.md).
        indexes = [models.Index(fields=["team", "created_at"], name="comment_team_created")]

    def __str__(self) -> str:
        return gettext("Comment by %(author)s") % {"author": self.author}


class Seen(models.Model):
    """What a person has marked seen: an entry of the coach queue or a comment (`key`, e.g.
    "overdue:17" or "comment:42"), so it leaves their list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Its index finds what a person marked seen (the coach queue, new comments).
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="seen_once")]

    def __str__(self) -> str:
        return self.key


class ReminderDigest(models.Model):
    """The one reminder e-mail a person got on a day, and what it listed: a second run of
    `send_reminders` on the same day finds it and sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    entries = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Its index finds whether a person already had the day's digest (send_reminders).
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on}"
