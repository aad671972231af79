"""Organizations, teams and their assessments: each member's private votes and the team's consensus."""

from __future__ import annotations

import calendar
import datetime
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drivers import scale
from drivers.models import BestPractice, FrameworkVersion

NOTES_MAX_LENGTH = 4000
COMMENT_MAX_LENGTH = 1000
# How long an invitation's link works after it was sent: the signed token's age limit and the date pages show.
INVITATION_VALID_FOR = datetime.timedelta(days=7)


def invitation_key() -> str:
    return secrets.token_urlsafe(32)


class Organization(models.Model):
    # Its index also gives organizations in name order (the portfolio's organization filter, navigation).
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationMembershipQuerySet(models.QuerySet):
    """Leaving an organization means leaving its teams: bulk deletes take the same path as single rows."""

    @transaction.atomic
    def delete(self):
        for membership in self:
            membership.leave_teams()
        return super().delete()


class OrganizationMembership(models.Model):
    """A person's place in an organization. Every team member and every coach of a team belongs to the
    team's organization; its admins run the organization's teams and people in implhub's own pages."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organization admin")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = OrganizationMembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "user__last_name", "user__first_name", "user__username"]
        constraints = [
            # Its index finds a person's role in an organization (access.py, on every organization page)
            # and the date they joined, which new comments are counted from (actions.selectors.comments).
            models.UniqueConstraint(fields=["organization", "user"], name="organization_membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "member"]), name="organization_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.is_admin:
            text = gettext("%(user)s (admin of %(organization)s)")
        else:
            text = gettext("%(user)s (member of %(organization)s)")
        return text % {"user": self.user, "organization": self.organization}

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    def leave_teams(self) -> None:
        """Removes the person from every team of the organization and every coaching of one; a team's last
        facilitator is refused (keep_a_facilitator), and the whole removal with it."""
        Membership.objects.filter(team__organization_id=self.organization_id, user_id=self.user_id).delete()
        CoachAssignment.objects.filter(
            team__organization_id=self.organization_id, coach_id=self.user_id
        ).delete()

    @transaction.atomic
    def delete(self, *args, **kwargs):
        self.leave_teams()
        return super().delete(*args, **kwargs)


def belong_to_organization(*, user_id: int, organization_id: int) -> None:
    """A team membership or coach assignment implies a membership of the team's organization."""
    OrganizationMembership.objects.get_or_create(organization_id=organization_id, user_id=user_id)


class Team(models.Model):
    class Level(models.TextChoices):
        STATE = "state", _("State")
        REGION = "region", _("Region")
        DISTRICT = "district", _("District or agency")
        SITE = "site", _("Site or building")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    program = models.CharField(_("program or practice"), max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.SITE)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")
    # The published protocol asks for an assessment every 6 to 12 months; the next is due this long after
    # the latest completed one (see `next_assessment_due`).
    assessment_interval_months = models.PositiveSmallIntegerField(
        _("assess every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("The next assessment is due this many months after the latest completed one."),
    )

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"

    def next_assessment_due(self, latest_held_on: datetime.date | None) -> datetime.date | None:
        """When the next assessment is due after one held on `latest_held_on` (None: none held yet, so
        one is due now). The 31st of a month becomes the last day of a shorter month."""
        if latest_held_on is None:
            return None
        months = latest_held_on.month - 1 + self.assessment_interval_months
        year, month = latest_held_on.year + months // 12, months % 12 + 1
        last_day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, min(latest_held_on.day, last_day))


# Marked here, translated where it is shown: gettext(LAST_FACILITATOR).
LAST_FACILITATOR = gettext_noop("A team needs at least one facilitator; make someone else facilitator first.")


class MembershipQuerySet(models.QuerySet):
    """Bulk deletes and role updates meet the same rule as single rows: a team keeps a facilitator."""

    @transaction.atomic
    def delete(self):
        keep_a_facilitator(leaving=self)
        return super().delete()

    @transaction.atomic
    def update(self, **kwargs):
        if kwargs.get("role", Membership.Role.FACILITATOR) != Membership.Role.FACILITATOR:
            keep_a_facilitator(leaving=self)
        return super().update(**kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "role", "user__username"]
        constraints = [
            # Its index finds a person's role in a team (access.py, on every team and assessment page; a
            # comment's author among the team's members, the coach queue).
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_per_team"),
            models.CheckConstraint(
                condition=Q(role__in=["member", "facilitator"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        if self.is_facilitator:
            text = gettext("%(user)s (facilitator of %(team)s)")
        else:
            text = gettext("%(user)s (member of %(team)s)")
        return text % {"user": self.user, "team": self.team.name}

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @transaction.atomic
    def save(self, *args, **kwargs):
        if self.pk is not None and not self.is_facilitator:
            keep_a_facilitator(leaving=Membership.objects.filter(pk=self.pk))
        belong_to_organization(user_id=self.user_id, organization_id=self.team.organization_id)
        super().save(*args, **kwargs)

    @transaction.atomic
    def delete(self, *args, **kwargs):
        keep_a_facilitator(leaving=Membership.objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)


def keep_a_facilitator(*, leaving: QuerySet[Membership]) -> None:
    """Refuses to let the memberships in `leaving` stop facilitating (by removal or a new role) when that
    would leave a team that has a facilitator without one. Every writer meets it: services, the admin,
    bulk updates, and deleting a user. Callers hold a transaction; the facilitators of the teams concerned
    are locked in it, so two removals cannot race."""
    teams = leaving.filter(role=Membership.Role.FACILITATOR).values("team_id")
    # Lock those teams' facilitators first: a concurrent removal of the other one waits for this one.
    list(Membership.objects.select_for_update().filter(team_id__in=teams, role=Membership.Role.FACILITATOR))
    if last_facilitators(leaving=leaving):
        raise ValidationError(gettext(LAST_FACILITATOR))


def last_facilitators(*, leaving: QuerySet[Membership]) -> list[Membership]:
    """The memberships in `leaving` whose team would be left without a facilitator."""
    facilitators = list(leaving.filter(role=Membership.Role.FACILITATOR).select_related("team", "user"))
    if not facilitators:
        return []
    # A deactivated facilitator cannot sign in, so does not keep a team facilitated.
    kept = set(
        Membership.objects.filter(
            team_id__in={m.team_id for m in facilitators},
            role=Membership.Role.FACILITATOR,
            user__is_active=True,
        )
        .exclude(pk__in=leaving.values("pk"))
        .values_list("team_id", flat=True)
    )
    return [m for m in facilitators if m.team_id not in kept]


@receiver(pre_delete, sender=Membership)
def _user_deletion_keeps_a_facilitator(sender, instance: Membership, origin, **kwargs) -> None:
    """Deleting a user removes their memberships without Membership.delete(); the same rule holds."""
    user_model = get_user_model()
    if isinstance(origin, QuerySet) and origin.model is user_model:
        keep_a_facilitator(leaving=Membership.objects.filter(user__in=origin, team_id=instance.team_id))
    elif isinstance(origin, user_model):
        keep_a_facilitator(leaving=Membership.objects.filter(pk=instance.pk))


def keep_an_active_facilitator(*, user) -> None:
    """Refuses to deactivate `user` while they are the last active facilitator of a team (a deactivated
    facilitator cannot sign in, so does not keep the team facilitated): ValidationError naming the teams.
    The facilitators of the user's teams are locked until the caller's transaction ends, so two
    deactivations of a team's two facilitators cannot both pass."""
    with transaction.atomic():
        teams = user.memberships.filter(role=Membership.Role.FACILITATOR).values("team_id")
        list(
            Membership.objects.select_for_update().filter(team_id__in=teams, role=Membership.Role.FACILITATOR)
        )
        last = last_facilitators(leaving=user.memberships.all())
    if last:
        raise ValidationError(
            gettext(
                "%(user)s is the last active facilitator of %(teams)s; make someone else facilitator first."
            )
            % {"user": user.get_username(), "teams": ", ".join(sorted(m.team.name for m in last))}
        )


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _deactivation_keeps_a_facilitator(sender, instance, raw: bool, update_fields, **kwargs) -> None:
    """The backstop under the account service and the admin: whatever saves a user (a shell, a script, a
    form elsewhere), deactivating a team's last active facilitator is refused. Only a save that turns
    is_active off is checked, so ordinary saves (the last sign-in time among them) cost nothing."""
    if raw or instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if sender._default_manager.filter(pk=instance.pk, is_active=True).exists():
        keep_an_active_facilitator(user=instance)


class CoachAssignment(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    # The coach is often the trained administrator of the instrument: this lets them reveal the votes,
    # record the consensus, complete and reopen, without becoming a voting member.
    runs_meetings = models.BooleanField(_("runs the team's meetings"), default=False)

    history = HistoricalRecords()

    class Meta:
        # Its index finds whether a person coaches a team, and runs its meetings (access.py, every team page).
        constraints = [models.UniqueConstraint(fields=["team", "coach"], name="coach_assignment_unique")]

    def __str__(self) -> str:
        return gettext("%(coach)s coaches %(team)s") % {"coach": self.coach, "team": self.team.name}

    def save(self, *args, **kwargs):
        with transaction.atomic():
            belong_to_organization(user_id=self.coach_id, organization_id=self.team.organization_id)
            super().save(*args, **kwargs)


class Invitation(models.Model):
    """An e-mail invitation to join a team in a role. Its link is signed and carries `key`, which a resend
    renews (the older link stops working); it is used once, and expires (services.invitations)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member (votes)")
        FACILITATOR = "facilitator", _("Facilitator (leads)")
        COACH = "coach", _("Coach (follows, comments)")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    key = models.CharField(max_length=43, default=invitation_key)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-sent_at"]
        constraints = [
            # Stored lower-cased (services.invitations), so this also holds across capitalisation. Its index
            # finds an address's pending invitation to a team when someone is invited again.
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_pending_unique_per_team",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["member", "facilitator", "coach"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(email)s invited to %(team)s") % {"email": self.email, "team": self.team.name}

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def expires_at(self) -> datetime.datetime:
        """When the link of the latest sending stops working (a resend renews it)."""
        return self.sent_at + INVITATION_VALID_FOR

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class Profile(models.Model):
    """A person's own settings: which e-mails they want."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    assessment_emails = models.BooleanField(
        _("e-mail me when my team opens an assessment for votes or completes one"), default=True
    )
    reminder_emails = models.BooleanField(
        _(
            "e-mail me at most one reminder a day: votes I have not finished, actions due or overdue, "
            "assessments due"
        ),
        default=True,
    )

    def __str__(self) -> str:
        return gettext("Settings of %(user)s") % {"user": self.user}


class Assessment(models.Model):
    class Stage(models.TextChoices):
        EXPLORATION = "exploration", _("Exploration")
        INSTALLATION = "installation", _("Installation")
        INITIAL = "initial", _("Initial implementation")
        FULL = "full", _("Full implementation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for votes")
        CONSENSUS = "consensus", _("Consensus")
        COMPLETED = "completed", _("Completed")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assessments")
    # Pinned for the life of the assessment; content edits make new versions and never reach it.
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="assessments")
    held_on = models.DateField(_("date"))
    stage = models.CharField(_("stage of implementation"), max_length=12, choices=Stage.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_started"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When voting closed (empty for assessments revealed before this was recorded).
    revealed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who ran the meeting (revealed the votes and led the consensus), and in which capacity: a
    # facilitator, the team's coach, or an organization admin standing in for a facilitator.
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administered_as = models.CharField(
        max_length=12,
        blank=True,
        choices=[
            ("facilitator", _("facilitator")),
            ("coach", _("coach")),
            ("orgadmin", _("organization admin")),
        ],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "consensus", "completed"]), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["exploration", "installation", "initial", "full"]),
                name="assessment_stage_valid",
            ),
            # A team works on one assessment at a time: open or in consensus (reopened ones included). Its
            # index, of unfinished assessments only, finds the work under way: the portfolio's and the coach
            # queue's open assessments, the daily reminders of votes not yet cast.
            models.UniqueConstraint(
                fields=["team"],
                condition=~Q(status="completed"),
                name="one_unfinished_assessment_per_team",
            ),
        ]
        indexes = [
            # A team's completed assessments newest first: the one before this one on the results and the
            # report (reports.selectors.previous_completed), each team's latest for the portfolio's
            # below-the-benchmark filter (reports.selectors._latest_completed).
            models.Index(fields=["team", "status", "-held_on"], name="assessment_team_status_date"),
        ]

    def __str__(self) -> str:
        return f"{self.team.name}, {date_format(self.held_on, 'j M Y')}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def in_consensus(self) -> bool:
        return self.status == self.Status.CONSENSUS

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class Participant(models.Model):
    """Who was in the room, and for whom they speak: part of the evidence of an assessment."""

    class Group(models.TextChoices):
        LEADERSHIP = "leadership", _("Leadership")
        PRACTITIONER = "practitioner", _("Practitioner")
        STAFF = "staff", _("Staff")
        SERVICE_RECIPIENT = "recipient", _("Service recipient")
        FAMILY = "family", _("Family member")
        COMMUNITY = "community", _("Community member")
        PARTNER = "partner", _("Partner")
        OTHER = "other", _("Other")

    # The groups that speak for the people served, whose voice some best practices call for.
    PEOPLE_SERVED = frozenset({Group.SERVICE_RECIPIENT, Group.FAMILY, Group.COMMUNITY})

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    # The team member this row is, when it is one: the report then tells who voted and who only attended.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.CharField(_("stakeholder group"), max_length=12, choices=Group.choices)
    role = models.CharField(_("role in the meeting"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="participant_unique_per_assessment"),
            models.UniqueConstraint(
                fields=["assessment", "member"],
                condition=Q(member__isnull=False),
                name="participant_member_once_per_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()})"


class Reopening(models.Model):
    """A completed assessment was opened again: by whom, when and why stays on record."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reopenings")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=NOTES_MAX_LENGTH)

    class Meta:
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return gettext("%(assessment)s reopened by %(user)s") % {
            "assessment": self.assessment,
            "user": self.reopened_by,
        }


class Vote(models.Model):
    """One member's private rating of one best practice, shown to the team only when votes are revealed."""

    class Answer(models.TextChoices):
        IN_PLACE = str(scale.IN_PLACE), scale.SCORE_LABELS[scale.IN_PLACE]
        PARTIAL = str(scale.PARTIALLY_IN_PLACE), scale.SCORE_LABELS[scale.PARTIALLY_IN_PLACE]
        NOT_IN_PLACE = str(scale.NOT_IN_PLACE), scale.SCORE_LABELS[scale.NOT_IN_PLACE]
        DONT_KNOW = scale.DONT_KNOW, scale.DONT_KNOW_LABEL

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="votes")
    item = models.ForeignKey(BestPractice, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    answer = models.CharField(max_length=2, choices=Answer.choices)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)
    # Carried over an upgrade to an item whose wording changed: the member should check it (a new vote
    # clears it).
    wording_changed = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            # Its index finds a member's votes in an assessment: the vote sheet, autosave (services.voting).
            models.UniqueConstraint(
                fields=["assessment", "item", "member"], name="vote_unique_per_member_item"
            ),
            models.CheckConstraint(condition=Q(answer__in=scale.VOTES), name="vote_answer_valid"),
        ]

    def __str__(self) -> str:
        return gettext("%(member)s on %(item)s: %(answer)s") % {
            "member": self.member,
            "item": self.item.code,
            "answer": self.get_answer_display(),
        }

    @classmethod
    def spread(cls, tally: Mapping[str, int]) -> list[tuple[str, str, int]]:
        """(answer, label, count) for every answer, in scale order, from counts by answer."""
        return [(value, label, tally.get(value, 0)) for value, label in cls.Answer.choices]


class Upgrade(models.Model):
    """An unfinished assessment moved to a newer version of the content: by whom, when, from and to."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="upgrades")
    from_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    to_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    upgraded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    upgraded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-upgraded_at"]

    def __str__(self) -> str:
        return gettext("%(assessment)s moved from %(old)s to %(new)s") % {
            "assessment": self.assessment,
            "old": self.from_version,
            "new": self.to_version,
        }


class EarlierAnswer(models.Model):
    """For an item that is new since an upgrade (split or merged), the consensus answer an earlier item it
    comes from had, shown for reference until the team answers the new one."""

    upgrade = models.ForeignKey(Upgrade, on_delete=models.CASCADE, related_name="earlier_answers")
    item = models.ForeignKey(BestPractice, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey(BestPractice, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    evidence = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["upgrade", "item", "previous"], name="earlier_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} <- {self.previous.code}"

    @property
    def label(self) -> str:
        return scale.NOT_APPLICABLE_LABEL if self.not_applicable else scale.SCORE_LABELS[self.score]


class Response(models.Model):
    """The team's consensus answer for one best practice, with the evidence for it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey(BestPractice, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("2, 1 or 0; empty when N/A."))
    not_applicable = models.BooleanField(default=False)
    na_reason = models.TextField(_("reason it does not apply"), blank=True, max_length=COMMENT_MAX_LENGTH)
    evidence = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: a save names the revision it started from; a stale one is refused.
    revision = models.PositiveIntegerField(default=1)
    # Carried over an upgrade to an item whose wording changed: "wording changed: check the answer" until
    # the team saves the answer again.
    wording_changed = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            # Its index finds the answer to an item when the consensus is saved (services.consensus); an
            # assessment's answers (results, scoring, exports) are read through the assessment_id index
            # that Django makes for the foreign key, which PostgreSQL prefers as the narrower.
            models.UniqueConstraint(fields=["assessment", "item"], name="response_unique_per_item"),
            models.CheckConstraint(
                condition=(Q(not_applicable=False, score__in=sorted(scale.SCORES)) & Q(na_reason=""))
                | (Q(not_applicable=True, score__isnull=True) & ~Q(na_reason="")),
                name="response_score_or_reasoned_na",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.label}"

    @property
    def label(self) -> str:
        return scale.NOT_APPLICABLE_LABEL if self.not_applicable else scale.SCORE_LABELS[self.score]


class DriverTally(models.Model):
    """A completed assessment's points per driver, stored when it is completed and removed when it is
    reopened (`services.scores`), so that a team's history, the portfolio and the exports read a row per
    driver instead of summing every consensus answer again: their cost stays flat as the years of answers
    grow. Derived from the answers, which a completed assessment cannot change, so it keeps no history of
    its own (the assessment's records who completed it and when)."""

    # No index of its own: the constraint's index below starts with the assessment.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="driver_tallies", db_index=False
    )
    # Indexed for the check that a driver deleted from a draft is not in any tally (PROTECT).
    driver = models.ForeignKey("drivers.Driver", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField()
    scored = models.PositiveIntegerField(help_text=_("Items answered 2, 1 or 0."))
    not_applicable = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Its index (assessment, driver) serves `scoring.assessment_scores`, which reads the tallies of
            # many assessments at once by assessment id, and `scoring.below_benchmark`'s join.
            models.UniqueConstraint(fields=["assessment", "driver"], name="driver_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.driver_id}: {self.points} of {scale.MAX_POINTS * self.scored}"
