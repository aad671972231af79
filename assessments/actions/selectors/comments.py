"""Reading comments: the threads of an assessment (its items' threads grouped by item) and of an action, and
the comments of a team that are new to a person.

A thread is a top-level comment with its replies (one level). Each post says whether the person reading
may still edit it, so pages offer the edit link only while the service would accept the edit. Every
function runs one query, whatever the number of comments or teams.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField, Count, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from assessments.actions.models import ActionItem, Comment, Seen
from assessments.models import Assessment, CoachAssignment, Membership, OrganizationMembership, Team
from drivers.models import BestPractice

EDIT_WINDOW = datetime.timedelta(minutes=Comment.EDIT_WINDOW_MINUTES)
BODY_MAX_LENGTH = Comment._meta.get_field("body").max_length
SEEN_PREFIX = "comment:"


def seen_key(comment_id: int) -> str:
    """The key of a Seen row that takes a comment off a person's lists of new comments."""
    return f"{SEEN_PREFIX}{comment_id}"


def editable_by(comment: Comment, user: AbstractBaseUser, *, now: datetime.datetime | None = None) -> bool:
    """Only the author edits, and only for a short while: a slip is mended before others have read it;
    after that the words stay as they were read (their history keeps every version)."""
    now = now or timezone.now()
    return comment.author_id == user.pk and now < comment.created_at + EDIT_WINDOW


@dataclass(frozen=True)
class Post:
    comment: Comment
    editable: bool  # by the person reading, now


@dataclass
class Thread:
    post: Post
    replies: list[Post] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + len(self.replies)


@dataclass
class ItemThreads:
    item: BestPractice
    threads: list[Thread]

    @property
    def size(self) -> int:
        return sum(t.size for t in self.threads)


@dataclass
class AssessmentThreads:
    general: list[Thread]  # about the assessment as a whole
    by_item: dict[str, ItemThreads]  # by item code, in framework order


def _threads(comments: Iterable[Comment], viewer: AbstractBaseUser) -> list[Thread]:
    """Top-level comments in the order written, each with its replies in the order written."""
    now = timezone.now()
    comments = list(comments)
    threads = {
        c.pk: Thread(Post(c, editable_by(c, viewer, now=now))) for c in comments if c.parent_id is None
    }
    for c in comments:
        if c.parent_id is not None:
            threads[c.parent_id].replies.append(Post(c, editable_by(c, viewer, now=now)))
    return list(threads.values())


def assessment_threads(*, assessment: Assessment, viewer: AbstractBaseUser) -> AssessmentThreads:
    comments = (
        Comment.objects.filter(assessment=assessment)
        .select_related("author", "item__driver__category")
        .order_by("created_at", "pk")
    )
    by_item: dict[int, list[Comment]] = {}
    general = []
    items = {}
    for comment in comments:
        if comment.item_id is None:
            general.append(comment)
        else:
            by_item.setdefault(comment.item_id, []).append(comment)
            items[comment.item_id] = comment.item
    ordered = sorted(items.values(), key=lambda i: (i.driver.category.order, i.driver.order, i.order))
    return AssessmentThreads(
        general=_threads(general, viewer),
        by_item={i.code: ItemThreads(i, _threads(by_item[i.pk], viewer)) for i in ordered},
    )


def action_threads(*, action: ActionItem, viewer: AbstractBaseUser) -> list[Thread]:
    return _threads(
        Comment.objects.filter(action=action).select_related("author").order_by("created_at", "pk"), viewer
    )


def team_comment(*, team: Team, comment_id: int) -> Comment | None:
    """A comment of the team (None for another team's: the page answers 404), with what names its subject."""
    return (
        Comment.objects.filter(team=team, pk=comment_id)
        .select_related("author", "assessment", "item__driver", "action")
        .first()
    )


def team_action(*, team: Team, action_id: int) -> ActionItem | None:
    """An action of the team, to comment on (None for another team's)."""
    return ActionItem.objects.filter(team=team, pk=action_id).first()


def comments_new_to(*, user: AbstractBaseUser, teams: QuerySet[Team] | Iterable[int]) -> QuerySet[Comment]:
    """The comments of `teams` that are new to `user`: written by someone else since the user joined the
    team's organization, and not marked seen. (No date of joining a team is recorded; a team member or
    coach always belongs to the team's organization, whose joining date is kept. A person outside the
    organization, such as staff reading every team, has no new comments.)"""
    joined = OrganizationMembership.objects.filter(
        organization_id=OuterRef("team__organization_id"), user_id=user.pk
    ).values("joined_at")[:1]
    seen = Seen.objects.filter(
        user_id=user.pk, key=Concat(Value(SEEN_PREFIX), Cast(OuterRef("pk"), output_field=CharField()))
    )
    return (
        Comment.objects.filter(team__in=teams, created_at__gte=Subquery(joined))
        .exclude(author_id=user.pk)
        .exclude(Exists(seen))
    )


def by_team_members() -> Exists:
    """Whether a comment's author is a member (or facilitator) of its team: what a coach waits to hear."""
    return Exists(Membership.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("author_id")))


def with_subject(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """What a list of comments shows of each: its author, team, and what it is about (for the link)."""
    return comments.select_related("author", "team__organization", "assessment", "item__driver", "action")


def team_new_comments(*, user: AbstractBaseUser, team: Team) -> list[Comment]:
    """The team page's "New comments": newest first."""
    return list(with_subject(comments_new_to(user=user, teams=[team.pk])).order_by("-created_at", "-pk"))


def new_comment_counts(*, user: AbstractBaseUser) -> dict[int, int]:
    """How many comments are new to the user in each team they belong to or coach (the home page's cards):
    team id -> count, teams without new comments left out."""
    # The user's teams as a union of two lists, not one filter with OR: PostgreSQL then reads only these
    # teams' comments through the team index, where the OR made it read every comment of the site (8 ms at
    # 3,400 comments, growing with all of them: docs/performance.md).
    teams = (
        Membership.objects.filter(user_id=user.pk)
        .order_by()
        .values("team_id")
        .union(CoachAssignment.objects.filter(coach_id=user.pk).order_by().values("team_id"))
    )
    return dict(
        comments_new_to(user=user, teams=teams)
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("team_id", "n")
    )
