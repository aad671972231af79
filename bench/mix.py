"""The load run's mix (`make load`): who the simulated people are, drawn from the generated dataset, and
the requests each of them sends, in turn.

Of every twenty people, eight members change their votes on their voting sheet (autosave), four
facilitators save consensus answers on the board of a meeting, four people read their team's results,
one coach and one organization admin read the portfolio, and two facilitators export their team's CSV.
Each is a different generated person, dealt round the organizations so that the load spreads over all of
them; a person writes only answers no one else writes (their own votes; their own items of a meeting), so
no write can meet a legitimate conflict. When the dataset has fewer people of a kind than the run needs,
people are shared and split their items between them.

No locust here: a cast is plain data, so that tests can send its requests through Django's test client.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.server import BenchError
from bench.writes import Write

VOTER, FACILITATOR, READER, COACH, ORG_ADMIN, EXPORTER = (
    "member voting",
    "facilitator in consensus",
    "reader of results",
    "coach",
    "organization admin",
    "exporter",
)
# Of every 20 people, in the order the first of each kind is dealt (a run of six has one of each).
SHARES = {VOTER: 8, FACILITATOR: 4, READER: 4, COACH: 1, ORG_ADMIN: 1, EXPORTER: 2}
# The types of request, as the report names them (as `make bench` does) and in its order.
SIGN_IN_PAGE, SIGN_IN = "sign-in page", "sign in"
VOTE_SHEET, AUTOSAVE = "vote sheet", "autosave"
BOARD, CONSENSUS_SAVE = "consensus board", "consensus save"
RESULTS, EXPORT = "results", "team export CSV"
PORTFOLIO = {COACH: "portfolio, a coach's teams", ORG_ADMIN: "portfolio, an organization"}
REQUEST_TYPES = (
    SIGN_IN_PAGE,
    SIGN_IN,
    VOTE_SHEET,
    AUTOSAVE,
    BOARD,
    CONSENSUS_SAVE,
    RESULTS,
    *PORTFOLIO.values(),
    EXPORT,
)
VOTE_ANSWERS = ("2", "1", "0", "dk")
CONSENSUS_SCORES = ("2", "1", "0")


@dataclass(frozen=True)
class Request:
    name: str  # the request's type, as the report groups it
    method: str
    path: str
    expect: int  # the status of a success: anything else is an error (a redirect to sign-in included)
    form: dict | None = None
    htmx: bool = False
    write: Write | None = None  # what a success answer acknowledges


@dataclass
class Part:
    """One simulated person: who signs in, and the requests they send, one after the other."""

    kind: str
    username: str
    token: str = ""  # marks this run's writes, so that no earlier run's value can pass for one of them
    _plan: Iterator[Request] | None = field(default=None, init=False, repr=False)

    def sign_in(self, password: str) -> list[Request]:
        """The sign-in page, then the sign-in itself (CSRF token from the page's cookie, sent as header)."""
        from django.urls import reverse

        login = reverse("login")
        return [
            Request(SIGN_IN_PAGE, "GET", login, 200),
            Request(SIGN_IN, "POST", login, 302, form={"username": self.username, "password": password}),
        ]

    def next(self) -> Request:
        if self._plan is None:
            self._plan = self.plan()
        return next(self._plan)

    def plan(self) -> Iterator[Request]:
        raise NotImplementedError

    def answered(self, request: Request) -> None:
        """A success answer to `request`."""


@dataclass
class Voter(Part):
    """Opens the voting sheet and answers its items one after the other, then starts again."""

    assessment_id: int = 0
    codes: list[str] = field(default_factory=list)

    def plan(self) -> Iterator[Request]:
        sheet = _url("vote", assessment_id=self.assessment_id)
        sent = itertools.count(1)
        for round_ in itertools.count():
            yield Request(VOTE_SHEET, "GET", sheet, 200)
            for i, code in enumerate(self.codes):
                answer = VOTE_ANSWERS[(round_ + i) % len(VOTE_ANSWERS)]
                comment = f"{self.token} #{next(sent)}"
                yield Request(
                    AUTOSAVE,
                    "POST",
                    _url("vote_item", assessment_id=self.assessment_id, item_code=code),
                    200,
                    form={f"answer-{code}": answer, f"comment-{code}": comment},
                    htmx=True,
                    write=Write(self.assessment_id, code, self.username, (answer, comment)),
                )


@dataclass
class Facilitator(Part):
    """Opens the consensus board and saves the answers of its items one after the other, each with the
    revision it last saved (as the board's form carries it), then starts again."""

    assessment_id: int = 0
    revisions: dict[str, int] = field(default_factory=dict)  # item code -> the answer's current revision

    def plan(self) -> Iterator[Request]:
        board = _url("consensus", assessment_id=self.assessment_id)
        sent = itertools.count(1)
        for round_ in itertools.count():
            yield Request(BOARD, "GET", board, 200)
            for i, code in enumerate(self.revisions):
                score = CONSENSUS_SCORES[(round_ + i) % len(CONSENSUS_SCORES)]
                evidence = f"{self.token} #{next(sent)}"
                yield Request(
                    CONSENSUS_SAVE,
                    "POST",
                    _url("response_save", assessment_id=self.assessment_id, item_code=code),
                    200,
                    form={
                        f"{code}-score": score,
                        f"{code}-na_reason": "",
                        f"{code}-evidence": evidence,
                        f"{code}-revision": str(self.revisions[code]),
                    },
                    htmx=True,
                    write=Write(self.assessment_id, code, "", (int(score), evidence)),
                )

    def answered(self, request: Request) -> None:
        if request.write is not None:
            self.revisions[request.write.item_code] += 1


@dataclass
class Reader(Part):
    """Sends the same request again and again: results, the portfolio, an export."""

    request: Request | None = None

    def plan(self) -> Iterator[Request]:
        return itertools.repeat(self.request)


def shares(users: int) -> Counter:
    """How many people of each kind a run of `users` has: in proportion to SHARES (largest remainders),
    then every kind at least one, taken from the largest, as far as the users go."""
    total = sum(SHARES.values())
    exact = {kind: users * share / total for kind, share in SHARES.items()}
    counts = Counter({kind: int(amount) for kind, amount in exact.items()})
    left = users - sum(counts.values())
    for kind in sorted(exact, key=lambda k: exact[k] - int(exact[k]), reverse=True)[:left]:
        counts[kind] += 1
    for kind in SHARES:
        largest = max(SHARES, key=lambda k: counts[k])
        if counts[kind] == 0 and counts[largest] > 1:
            counts[largest] -= 1
            counts[kind] += 1
    return counts


def cast(*, users: int, token: str) -> list[Part]:
    """`users` people of the generated dataset (`manage.py generate_dataset`) in the mix's shares,
    interleaved by kind so that the first ones to start make a mix too."""
    counts = shares(users)
    parts = {
        VOTER: _voters(counts[VOTER], token),
        FACILITATOR: _facilitators(counts[FACILITATOR], token),
        READER: _readers(counts[READER]),
        COACH: _portfolio_readers(counts[COACH], COACH),
        ORG_ADMIN: _portfolio_readers(counts[ORG_ADMIN], ORG_ADMIN),
        EXPORTER: _exporters(counts[EXPORTER]),
    }
    return [part for group in itertools.zip_longest(*parts.values()) for part in group if part]


# Each kind of part is drawn from its generated people, spread over the organizations.


def _voters(count: int, token: str) -> list[Part]:
    """The members of each organization's voting team (its first), each with the items of its sheet."""
    from assessments.models import Assessment, Membership

    voting = _first_per_organization(Assessment.objects.filter(status="open"))
    people = _spread(
        (a.team.organization_id, (m.user.username, a))
        for a in voting
        for m in Membership.objects.filter(team=a.team, role="member")
        .select_related("user")
        .order_by("user__username")
    )
    return [
        Voter(VOTER, username, token, assessment_id=a.pk, codes=_codes(a)[share::shared])
        for (username, a), share, shared in _deal(people, count, VOTER)
    ]


def _facilitators(count: int, token: str) -> list[Part]:
    """The facilitator of each organization's meeting (its second team), with the items of the board."""
    from assessments.models import Assessment, Membership, Response

    meetings = _first_per_organization(Assessment.objects.filter(status="consensus"))
    facilitators = _first_person(
        Membership.objects.filter(team__in=[a.team_id for a in meetings], role="facilitator")
    )
    people = [(facilitators[a.team_id], a) for a in meetings if a.team_id in facilitators]
    parts = []
    for (username, a), share, shared in _deal(people, count, FACILITATOR):
        saved = dict(Response.objects.filter(assessment=a).values_list("item__code", "revision"))
        codes = _codes(a)[share::shared]
        revisions = {code: saved.get(code, 0) for code in codes}
        parts.append(Facilitator(FACILITATOR, username, token, assessment_id=a.pk, revisions=revisions))
    return parts


def _readers(count: int) -> list[Part]:
    """A member of each team whose latest assessment is completed reads its results."""
    from assessments.models import Membership

    latest = _completed_teams()
    members = _first_person(Membership.objects.filter(team__in=latest, role="member"))
    people = [(members[team], latest[team]) for team in latest if team in members]
    return [
        Reader(READER, username, request=Request(RESULTS, "GET", _url("results", assessment_id=a), 200))
        for (username, a), _share, _shared in _deal(people, count, READER)
    ]


def _exporters(count: int) -> list[Part]:
    """The facilitator of each team whose latest assessment is completed exports the team's CSV,
    taken from the other end of the teams than the readers."""
    from assessments.models import Membership

    teams = list(_completed_teams())[::-1]
    facilitators = _first_person(Membership.objects.filter(team__in=teams, role="facilitator"))
    people = [(facilitators[team], team) for team in teams if team in facilitators]
    return [
        Reader(
            EXPORTER,
            username,
            request=Request(EXPORT, "GET", _url("export_team", team_id=team, fmt="csv"), 200),
        )
        for (username, team), _share, _shared in _deal(people, count, EXPORTER)
    ]


def _portfolio_readers(count: int, kind: str) -> list[Part]:
    """Coaches, or each organization's admin, read the portfolio's first page."""
    from assessments.models import CoachAssignment, OrganizationMembership

    if kind == COACH:
        usernames = list(
            dict.fromkeys(
                CoachAssignment.objects.order_by("coach__username").values_list("coach__username", flat=True)
            )
        )
    else:
        usernames = list(
            OrganizationMembership.objects.filter(role="admin")
            .order_by("organization_id", "user__username")
            .values_list("user__username", flat=True)
        )
    request = Request(PORTFOLIO[kind], "GET", _url("portfolio"), 200)
    return [Reader(kind, username, request=request) for username, _s, _n in _deal(usernames, count, kind)]


def _completed_teams() -> dict[int, int]:
    """team -> its latest assessment, for the teams whose latest assessment is completed, spread over
    the organizations."""
    from assessments.models import Assessment

    latest: dict[int, tuple] = {}
    rows = Assessment.objects.values_list("team_id", "team__organization_id", "pk", "status").order_by(
        "team_id", "held_on", "pk"
    )
    for team, organization, pk, status in rows:
        latest[team] = (organization, pk, status)
    spread = _spread((org, (team, pk)) for team, (org, pk, status) in latest.items() if status == "completed")
    return dict(spread)


def _url(name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(f"assessments:{name}", kwargs=kwargs)


def _first_person(memberships) -> dict[int, str]:
    """team -> the username of the first (alphabetically) of these memberships in each team."""
    first: dict[int, str] = {}
    for team, username in memberships.order_by("team_id", "user__username").values_list(
        "team_id", "user__username"
    ):
        first.setdefault(team, username)
    return first


def _codes(assessment) -> list[str]:
    """The codes of the assessment's items in framework order."""
    from drivers.models import BestPractice, framework_order

    return list(
        BestPractice.objects.filter(version_id=assessment.version_id)
        .order_by(*framework_order())
        .values_list("code", flat=True)
    )


def _first_per_organization(assessments) -> list:
    """Of each organization, the assessment of its first team (the generator makes every organization's
    first team vote and its second meet for consensus)."""
    first: dict[int, object] = {}
    for a in assessments.select_related("team").order_by("team__organization_id", "team_id", "pk"):
        first.setdefault(a.team.organization_id, a)
    return list(first.values())


def _spread(rows) -> list:
    """(organization, thing) pairs in order -> the things dealt round the organizations: the first of
    each organization, then the second of each, and so on."""
    by_organization: dict[int, list] = defaultdict(list)
    for organization, thing in rows:
        by_organization[organization].append(thing)
    return [t for group in itertools.zip_longest(*by_organization.values()) for t in group if t is not None]


def _deal(seats: list, count: int, kind: str) -> list[tuple]:
    """`count` parts over `seats`: (seat, share, shares) where a seat given to several parts is shared,
    each part taking every `shares`-th item from its `share`-th."""
    if count and not seats:
        raise BenchError(
            f"The database has no {kind} to simulate: fill it first with `python manage.py generate_dataset`."
        )
    given = Counter(i % len(seats) for i in range(count))
    return [(seats[i % len(seats)], i // len(seats), given[i % len(seats)]) for i in range(count)]
