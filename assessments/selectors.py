"""Reading teams and assessments for the pages. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assessments.models import (
    Assessment,
    CoachAssignment,
    EarlierAnswer,
    Invitation,
    Membership,
    Organization,
    OrganizationMembership,
    Participant,
    Profile,
    Reopening,
    Response,
    Team,
    Upgrade,
    Vote,
)
from drivers import lineage, scale
from drivers.converters import ItemCode
from drivers.models import BestPractice, Driver, FrameworkVersion, framework_order


@dataclass
class TeamCard:
    team: Team
    role: str
    latest: Assessment | None
    runs_meetings: bool = False


def home_team_cards(*, user: AbstractBaseUser) -> list[TeamCard]:
    """The user's teams (as member, facilitator or coach) with their newest assessment."""
    roles = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
    coached = dict(CoachAssignment.objects.filter(coach=user).values_list("team_id", "runs_meetings"))
    teams = list(
        Team.objects.filter(Q(pk__in=roles) | Q(pk__in=coached))
        .select_related("organization")
        .annotate(latest_id=Subquery(Assessment.objects.filter(team=OuterRef("pk")).values("pk")[:1]))
    )
    latest = Assessment.objects.in_bulk([t.latest_id for t in teams if t.latest_id])
    return [
        TeamCard(
            team=t,
            role=roles.get(t.pk, "coach"),
            latest=latest.get(t.latest_id),
            runs_meetings=t.pk not in roles and coached.get(t.pk, False),
        )
        for t in teams
    ]


def team_unfinished_assessment(*, team: Team) -> Assessment | None:
    """The assessment the team is working on (open or in consensus), if any: there is at most one."""
    return team.assessments.exclude(status=Assessment.Status.COMPLETED).select_related("team").first()


def team_last_stage(*, team: Team) -> str | None:
    """The stage of implementation the team gave at its latest assessment."""
    return team.assessments.order_by("-held_on", "-pk").values_list("stage", flat=True).first()


def team_assessments(*, team: Team) -> QuerySet[Assessment]:
    return (
        team.assessments.select_related("version__framework")
        .annotate(answered=Count("responses", distinct=True))
        .order_by("-held_on", "-id")
    )


@dataclass(frozen=True)
class NextAssessment:
    """When a team's next assessment is due by its interval (`Team.next_assessment_due`), seen on `today`.
    The one rule of the cadence: the team page, the portfolio, the reminders and the coach's queue read it."""

    interval_months: int
    latest_held_on: datetime.date | None  # the team's latest completed assessment
    due_on: datetime.date | None  # None: no completed assessment yet, so the first is due now
    today: datetime.date
    underway: bool = False  # the team is running an assessment (open or in consensus)

    @property
    def overdue(self) -> bool:
        """Past its next assessment date, or never assessed: the team should be assessing."""
        return self.due_on is None or self.due_on < self.today

    def due_within(self, days: int) -> bool:
        """Due in the next `days` days, or already overdue."""
        return self.due_on is None or self.due_on <= self.today + datetime.timedelta(days=days)


def next_assessment(
    *,
    team: Team,
    latest_held_on: datetime.date | None,
    today: datetime.date | None = None,
    underway: bool = False,
) -> NextAssessment:
    """The cadence of a team whose latest completed assessment is already known (no query)."""
    return NextAssessment(
        interval_months=team.assessment_interval_months,
        latest_held_on=latest_held_on,
        due_on=team.next_assessment_due(latest_held_on),
        today=today or timezone.localdate(),
        underway=underway,
    )


def team_next_assessment(*, team: Team, today: datetime.date | None = None) -> NextAssessment:
    completed = Q(status=Assessment.Status.COMPLETED)
    found = team.assessments.aggregate(
        latest=Max("held_on", filter=completed), running=Count("pk", filter=~completed)
    )
    return next_assessment(
        team=team, latest_held_on=found["latest"], today=today, underway=found["running"] > 0
    )


def team_members(*, team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("-role", "user__username")


def team_member_choices(*, team: Team) -> dict[int, str]:
    """The team's people (facilitators included) who can be listed as participants: user id -> how pages
    name them (the full name, or the username when no name is set), in the order of those names."""
    users = [m.user for m in team.memberships.select_related("user")]
    names = {user.pk: user.get_full_name() or user.get_username() for user in users}
    return dict(sorted(names.items(), key=lambda entry: entry[1].casefold()))


def team_membership(*, team: Team, membership_id: int) -> Membership | None:
    return team.memberships.select_related("user").filter(pk=membership_id).first()


def team_coaches(*, team: Team) -> QuerySet[CoachAssignment]:
    return team.coach_assignments.select_related("coach").order_by("coach__username")


def team_coach(*, team: Team, assignment_id: int) -> CoachAssignment | None:
    return team.coach_assignments.select_related("coach").filter(pk=assignment_id).first()


def own_membership(*, team: Team, user: AbstractBaseUser) -> Membership | None:
    return team.memberships.select_related("user").filter(user_id=user.pk).first()


def team_has_facilitator(*, team: Team) -> bool:
    return team.memberships.filter(role=Membership.Role.FACILITATOR, user__is_active=True).exists()


# Organizations


@dataclass
class OrganizationTeam:
    team: Team
    facilitators: list[Membership]
    coaches: list[CoachAssignment]
    member_count: int
    latest: Assessment | None


def organization_teams(*, organization: Organization) -> list[OrganizationTeam]:
    """Every team of the organization with its facilitators, coaches, size and newest assessment."""
    teams = list(
        organization.teams.annotate(
            latest_id=Subquery(Assessment.objects.filter(team=OuterRef("pk")).values("pk")[:1]),
            member_count=Count("memberships", filter=Q(memberships__role=Membership.Role.MEMBER)),
        ).order_by("name")
    )
    facilitators = defaultdict(list)
    for m in Membership.objects.filter(
        team__organization=organization, role=Membership.Role.FACILITATOR
    ).select_related("user"):
        facilitators[m.team_id].append(m)
    coaches = defaultdict(list)
    for c in CoachAssignment.objects.filter(team__organization=organization).select_related("coach"):
        coaches[c.team_id].append(c)
    latest = Assessment.objects.in_bulk([t.latest_id for t in teams if t.latest_id])
    return [
        OrganizationTeam(
            team=t,
            facilitators=facilitators[t.pk],
            coaches=coaches[t.pk],
            member_count=t.member_count,
            latest=latest.get(t.latest_id),
        )
        for t in teams
    ]


def organization_team(*, organization: Organization, team_id: int) -> Team | None:
    return organization.teams.filter(pk=team_id).first()


@dataclass
class Person:
    membership: OrganizationMembership
    teams: list[tuple[Team, str]] = field(default_factory=list)  # (team, "member"/"facilitator"/"coach")
    locked: bool = False  # sign-in paused after too many wrong passwords (from some address)


def organization_people(*, organization: Organization) -> list[Person]:
    """The organization's people with their part in each of its teams."""
    people = {
        m.user_id: Person(membership=m)
        for m in organization.memberships.select_related("user").order_by(
            "role", "user__last_name", "user__first_name", "user__username"
        )
    }
    for m in Membership.objects.filter(team__organization=organization).select_related("team"):
        if m.user_id in people:
            people[m.user_id].teams.append((m.team, m.role))
    for c in CoachAssignment.objects.filter(team__organization=organization).select_related("team"):
        if c.coach_id in people:
            people[c.coach_id].teams.append((c.team, "coach"))
    by_username = {p.membership.user.get_username(): p for p in people.values()}
    for username in locked_usernames(usernames=by_username):
        by_username[username].locked = True
    return list(people.values())


def locked_usernames(*, usernames) -> set[str]:
    """Which of these accounts cannot sign in from some address now, for too many wrong passwords."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def organization_membership(
    *, organization: Organization, membership_id: int
) -> OrganizationMembership | None:
    return organization.memberships.select_related("user", "organization").filter(pk=membership_id).first()


def team_pending_invitations(*, team: Team) -> QuerySet[Invitation]:
    """Invitations neither accepted nor withdrawn, latest sent first; expired ones too, to be resent."""
    return (
        team.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("invited_by")
        .order_by("-sent_at", "-pk")
    )


def invitation_for_team(*, team: Team, invitation_id: int) -> Invitation | None:
    """One of the team's invitations (another team's is None, whatever its id)."""
    return (
        team.invitations.select_related("team__organization", "invited_by").filter(pk=invitation_id).first()
    )


def voters(*, assessment: Assessment) -> list[Membership]:
    """The members who vote (facilitators lead and do not vote)."""
    return list(
        Membership.objects.filter(team_id=assessment.team_id, role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__username")
    )


def _items_since_upgrade(assessment: Assessment) -> list[BestPractice]:
    """The items of the assessment's version in framework order, each with `new_since_upgrade`: the
    assessment was moved to its version and the item has no lineage in the version it was moved from (a
    new, split or merged item). One query."""
    upgrades = Upgrade.objects.filter(assessment_id=assessment.pk, to_version_id=assessment.version_id)
    moved_from = upgrades.order_by("-upgraded_at", "-pk").values("from_version_id")[:1]
    items = (
        BestPractice.objects.filter(version_id=assessment.version_id)
        .select_related("driver__category")
        .annotate(upgraded=Exists(upgrades), carried=Exists(lineage.same_item_in(Subquery(moved_from))))
        .order_by(*framework_order())
    )
    for item in items:
        item.new_since_upgrade = item.upgraded and not item.carried
    return list(items)


def earlier_answers(*, assessment: Assessment, item: BestPractice | None = None) -> dict[int, list]:
    """The answers of the earlier items that new items of the assessment come from (recorded at the
    upgrade), by new item id: shown for reference until the team answers the new one."""
    rows = EarlierAnswer.objects.filter(
        upgrade__assessment_id=assessment.pk, item__version_id=assessment.version_id
    ).select_related("previous")
    if item is not None:
        rows = rows.filter(item=item)
    found = defaultdict(list)
    for row in rows.order_by("previous__code"):
        found[row.item_id].append(row)
    return found


@dataclass
class VoteRow:
    item: BestPractice
    vote: Vote | None
    unsaved: tuple[str, str] | None = None  # (answer, comment) shown but not stored: a refused sheet
    error: str = ""
    earlier: list[EarlierAnswer] = field(default_factory=list)  # of the items it comes from, since an upgrade

    @property
    def wording_changed(self) -> bool:
        return bool(self.vote and self.vote.wording_changed)

    @property
    def answered(self) -> bool:
        return self.vote is not None

    @property
    def answer(self) -> str | None:
        if self.unsaved:
            return self.unsaved[0]
        return self.vote.answer if self.vote else None

    @property
    def comment(self) -> str:
        if self.unsaved:
            return self.unsaved[1]
        return self.vote.comment if self.vote else ""


@dataclass
class DriverSection:
    driver: Driver
    rows: list[VoteRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.answered)


@dataclass
class VotingSheet:
    sections: list[DriverSection]
    answered: int
    total: int


def voting_sheet(
    *,
    assessment: Assessment,
    member: AbstractBaseUser,
    unsaved: dict[str, tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
) -> VotingSheet:
    """The member's sheet, driver by driver. `unsaved` (code -> answer, comment) and `errors` (code ->
    message) carry a refused submission back onto the rows, so nothing the member chose disappears."""
    unsaved, errors = unsaved or {}, errors or {}
    votes = {v.item_id: v for v in Vote.objects.filter(assessment=assessment, member=member)}
    items = _items_since_upgrade(assessment)
    earlier = earlier_answers(assessment=assessment)
    sections: dict[int, DriverSection] = {}
    for item in items:
        section = sections.setdefault(item.driver_id, DriverSection(driver=item.driver))
        section.rows.append(
            VoteRow(
                item=item,
                vote=votes.get(item.pk),
                unsaved=unsaved.get(item.code),
                error=errors.get(item.code, ""),
                earlier=earlier.get(item.pk, []),
            )
        )
    return VotingSheet(sections=list(sections.values()), answered=len(votes), total=len(items))


@dataclass
class ConsensusRow:
    item: BestPractice
    tally: Counter
    votes: list[Vote]
    missing: list[str]
    response: Response | None
    earlier: list[EarlierAnswer] = field(default_factory=list)  # of the items it comes from, since an upgrade

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def wording_changed(self) -> bool:
        """An answer carried over an upgrade to a reworded item, not yet looked at again."""
        return bool(self.response and self.response.wording_changed) or any(
            v.wording_changed for v in self.votes
        )

    @property
    def disagreement(self) -> bool:
        """Votes two points apart, or someone who does not know: worth discussing first."""
        tally = self.tally
        return bool(tally[str(scale.IN_PLACE)] and tally[str(scale.NOT_IN_PLACE)]) or bool(
            tally[scale.DONT_KNOW]
        )

    @property
    def distribution(self) -> list[tuple[str, str, int]]:
        return Vote.spread(self.tally)


@dataclass
class ConsensusBoard:
    rows: list[ConsensusRow]  # in framework order
    voters: list[Membership]
    answered: int
    total: int

    @property
    def disagreements(self) -> list[ConsensusRow]:
        return [row for row in self.rows if row.disagreement]

    def discussion_order(self, *, revealed: bool) -> list[ConsensusRow]:
        """Disagreements first, then unanswered items, once the votes are revealed. Before, framework
        order: an order that followed the votes would tell whoever reloads the board which items someone
        does not know or rated far apart, before the team sees any vote."""
        if not revealed:
            return self.rows
        return sorted(self.rows, key=lambda r: (not r.disagreement, r.answered))


def consensus_board(*, assessment: Assessment) -> ConsensusBoard:
    """Every item with its votes, who has not voted, and the consensus answer so far."""
    team_voters = voters(assessment=assessment)
    votes_by_item: dict[int, list[Vote]] = defaultdict(list)
    for vote in (
        Vote.objects.filter(assessment=assessment).select_related("member").order_by("member__username")
    ):
        votes_by_item[vote.item_id].append(vote)
    responses = {
        r.item_id: r for r in Response.objects.filter(assessment=assessment).select_related("recorded_by")
    }
    earlier = earlier_answers(assessment=assessment)
    rows = [
        _consensus_row(
            item,
            votes_by_item.get(item.pk, []),
            team_voters,
            responses.get(item.pk),
            earlier.get(item.pk, []),
        )
        for item in _items_since_upgrade(assessment)
    ]
    return ConsensusBoard(rows=rows, voters=team_voters, answered=len(responses), total=len(rows))


def consensus_row(
    *, assessment: Assessment, item_code: str, response: Response | None = None
) -> ConsensusRow | None:
    """One item of the board, for the answer a save has just changed (`response`, when the caller has it
    fresh, with its item and driver; otherwise it is read)."""
    if response is not None:
        item = response.item
    else:
        item = (
            BestPractice.objects.filter(version_id=assessment.version_id, code=item_code)
            .select_related("driver__category")
            .first()
        )
        if item is None:
            return None
        response = (
            Response.objects.filter(assessment=assessment, item=item).select_related("recorded_by").first()
        )
    votes = list(Vote.objects.filter(assessment=assessment, item=item).select_related("member"))
    earlier = earlier_answers(assessment=assessment, item=item).get(item.pk, [])
    return _consensus_row(item, votes, voters(assessment=assessment), response, earlier)


def _consensus_row(
    item, votes: list[Vote], team_voters: list[Membership], response, earlier: list[EarlierAnswer]
) -> ConsensusRow:
    voted = {v.member_id for v in votes}
    return ConsensusRow(
        item=item,
        tally=Counter(v.answer for v in votes),
        votes=votes,
        missing=[
            m.user.get_full_name() or m.user.get_username() for m in team_voters if m.user_id not in voted
        ],
        response=response,
        earlier=earlier,
    )


@dataclass(frozen=True)
class VoteCount:
    answered: int
    total: int
    driver_code: str
    driver_answered: int
    driver_total: int


def vote_count(*, assessment: Assessment, member: AbstractBaseUser, item_code: str) -> VoteCount:
    """A member's progress overall and in the driver of `item_code`: what an autosave updates on the page."""
    item = BestPractice.objects.filter(version_id=assessment.version_id, code=item_code)
    driver = Subquery(item.values("driver_id")[:1])
    items = BestPractice.objects.filter(version_id=assessment.version_id).aggregate(
        total=Count("id"),
        driver_total=Count("id", filter=Q(driver_id=driver)),
        driver_code=Max("driver__code", filter=Q(driver_id=driver)),
    )
    votes = Vote.objects.filter(assessment=assessment, member=member).aggregate(
        answered=Count("id"), driver_answered=Count("id", filter=Q(item__driver_id=driver))
    )
    return VoteCount(
        driver_code=items["driver_code"] or "",
        **{k: v for k, v in items.items() if k != "driver_code"},
        **votes,
    )


def vote_progress(*, assessment: Assessment) -> list[tuple[Membership, int]]:
    """How many items each voter has answered: the facilitator sees who is still voting."""
    counts = dict(Vote.objects.filter(assessment=assessment).values_list("member_id").annotate(n=Count("id")))
    return [(m, counts.get(m.user_id, 0)) for m in voters(assessment=assessment)]


def unanswered_items(*, assessment: Assessment) -> list[BestPractice]:
    """The best practices that have no consensus answer yet, in framework order."""
    return list(
        BestPractice.objects.filter(version_id=assessment.version_id)
        .exclude(pk__in=Response.objects.filter(assessment=assessment).values("item_id"))
        .order_by(*framework_order())
    )


def item_count(*, assessment: Assessment) -> int:
    return BestPractice.objects.filter(version_id=assessment.version_id).count()


def assessment_participants(*, assessment: Assessment) -> list[Participant]:
    """Who took part, each with `voted`: a participant linked to a team member who cast at least one vote
    in this assessment. The others attended: facilitators (who do not vote), members who did not vote,
    and the people listed by name."""
    votes = Vote.objects.filter(assessment_id=assessment.pk, member_id=OuterRef("member_id"))
    return list(assessment.participants.annotate(voted=Exists(votes)))


@dataclass(frozen=True)
class Participation:
    participants: list[Participant]  # each with `voted` (assessment_participants)

    @property
    def groups(self) -> list[str]:
        """The stakeholder groups that took part, named, in the order of the groups."""
        present = {p.group for p in self.participants}
        return [label for value, label in Participant.Group.choices if value in present]


def assessment_participation(*, assessment: Assessment) -> Participation:
    return Participation(participants=assessment_participants(assessment=assessment))


def missing_voices(*, assessment: Assessment) -> list[BestPractice]:
    """The best practices that call for the voice of the people served and have a consensus answer while
    nobody of the people served (Participant.PEOPLE_SERVED) took part, in framework order: what the
    facilitator is warned of before completing, and what the report of a completed assessment says."""
    people_served = Participant.objects.filter(
        assessment_id=assessment.pk, group__in=Participant.PEOPLE_SERVED
    )
    answered = Response.objects.filter(assessment_id=assessment.pk).values("item_id")
    return list(
        BestPractice.objects.filter(
            ~Exists(people_served),
            version_id=assessment.version_id,
            calls_for_people_served=True,
            pk__in=answered,
        ).order_by(*framework_order())
    )


@dataclass(frozen=True)
class AssessmentOverview:
    participation: Participation
    reopenings: list[Reopening]
    vote_progress: list[tuple[Membership, int]]
    answered: int  # items with a consensus answer
    total: int  # items of the version
    missing_voices: list[BestPractice]


def assessment_overview(*, assessment: Assessment) -> AssessmentOverview:
    """What the assessment page shows: who took part, reopenings, who is still voting, consensus so far,
    and the answers given without the people served whose voice they call for."""
    return AssessmentOverview(
        participation=assessment_participation(assessment=assessment),
        reopenings=list(assessment.reopenings.select_related("reopened_by")),
        vote_progress=vote_progress(assessment=assessment),
        answered=assessment.responses.count(),
        total=item_count(assessment=assessment),
        missing_voices=missing_voices(assessment=assessment),
    )


def account_settings(*, user: AbstractBaseUser) -> dict:
    """What the account page shows: the person's name, e-mail and e-mail preferences (on until they
    first save them, as the notifications and reminders read them)."""
    profile = Profile.objects.filter(user_id=user.pk).first()
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "assessment_emails": profile.assessment_emails if profile else True,
        "reminder_emails": profile.reminder_emails if profile else True,
    }


# Upgrading an unfinished assessment to a newer version of the content


def newer_versions(*, assessment: Assessment) -> list[FrameworkVersion]:
    """The published versions of the assessment's framework newer than its own, newest first."""
    own = FrameworkVersion.objects.filter(pk=assessment.version_id)
    return list(
        FrameworkVersion.objects.published()
        .filter(
            framework_id=Subquery(own.values("framework_id")),
            number__gt=Subquery(own.values("number")),
        )
        .select_related("framework")
        .order_by("-number")
    )


def newer_version(*, assessment: Assessment) -> FrameworkVersion | None:
    """The newest published version the assessment could move to, if any (completed ones never move)."""
    if assessment.is_completed:
        return None
    versions = newer_versions(assessment=assessment)
    return versions[0] if versions else None


@dataclass(frozen=True)
class CarriedItem:
    old: BestPractice
    new: BestPractice
    wording_changed: bool
    votes: int
    answered: bool


@dataclass(frozen=True)
class GoneItem:
    old: BestPractice
    fate: str  # drivers.lineage SPLIT, MERGED or REMOVED
    successors: list[BestPractice]
    votes: int  # dropped with it
    response: Response | None  # dropped, kept for reference on its successors when split or merged

    @property
    def successor_codes(self) -> str:
        return ", ".join(item.code for item in self.successors)


@dataclass(frozen=True)
class NewItem:
    item: BestPractice
    origin: str  # drivers.lineage SPLIT, MERGED or NEW
    previous: list[BestPractice]

    @property
    def previous_codes(self) -> str:
        return ", ".join(item.code for item in self.previous)


@dataclass(frozen=True)
class UpgradePreview:
    to_version: FrameworkVersion
    carried: list[CarriedItem]
    new: list[NewItem]
    gone: list[GoneItem]

    @property
    def reworded(self) -> list[CarriedItem]:
        return [c for c in self.carried if c.wording_changed]

    @property
    def votes_moving(self) -> int:
        return sum(c.votes for c in self.carried)

    @property
    def votes_dropped(self) -> int:
        return sum(g.votes for g in self.gone)

    @property
    def answers_moving(self) -> int:
        return sum(1 for c in self.carried if c.answered)

    @property
    def answers_dropped(self) -> int:
        return sum(1 for g in self.gone if g.response)


def upgrade_preview(*, assessment: Assessment, to_version: FrameworkVersion) -> UpgradePreview:
    """What moving the assessment to `to_version` would do: the items that carry over (with their votes and
    answer, flagged when reworded), the new ones and where they come from, and those that go (their votes
    and answer dropped; a split or merged item's answer is kept for reference on its successors). Five
    queries."""
    fates = lineage.successors(assessment.version, to_version)
    votes = Counter(Vote.objects.filter(assessment_id=assessment.pk).values_list("item_id", flat=True))
    responses = {r.item_id: r for r in Response.objects.filter(assessment_id=assessment.pk)}
    carried, gone = [], []
    for fate in fates.old.values():
        if fate.fate == lineage.CONTINUES:
            carried.append(
                CarriedItem(
                    fate.item,
                    fate.successors[0],
                    fate.wording_changed,
                    votes[fate.item.pk],
                    fate.item.pk in responses,
                )
            )
        else:
            gone.append(
                GoneItem(
                    fate.item, fate.fate, fate.successors, votes[fate.item.pk], responses.get(fate.item.pk)
                )
            )
    new = [
        NewItem(origin.item, origin.origin, origin.previous)
        for origin in fates.new.values()
        if origin.origin != lineage.CONTINUES
    ]
    return UpgradePreview(to_version=to_version, carried=carried, new=new, gone=gone)


def assessment_has_item(*, assessment: Assessment, code: str) -> bool:
    """Whether `code` names a best practice of the assessment's version (a code typed into a URL or a
    form field may name anything)."""
    if not re.fullmatch(ItemCode.regex, code):  # no query for what no code can be (PostgreSQL refuses NUL)
        return False
    return BestPractice.objects.filter(version_id=assessment.version_id, code=code).exists()
