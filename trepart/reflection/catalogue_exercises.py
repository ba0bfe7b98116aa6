"""The catalogue of reflection exercises (P6), in the product's own words.

Each exercise is inspired by KS and the parties' handbook on tripartite cooperation; the texts
are our own. An exercise has blocks (one per question key); the question a member answers in a
block may depend on their role in the party group (leader, union rep, safety rep), so the
answers can be shown side by side by role, one block per question.

- start-up reflection per role (R17)
- role swap between leaders and union reps (R18)
- the stuck check (R33)
- the three dimensions of trust: fairness, trust, cooperation (R34)
- conversation themes for a staff meeting (R22): members record what they heard
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from trepart.organisation.models import Role

# Role kinds in the party group (R4): the columns of the side-by-side view.
LEADER = "leader"
UNION_REP = "union_rep"
SAFETY_REP = "safety_rep"
ROLE_KINDS = (LEADER, UNION_REP, SAFETY_REP)
ROLE_KIND_LABELS = {
    LEADER: _("Leaders"),
    UNION_REP: _("Union reps"),
    SAFETY_REP: _("Safety rep"),
}
# A person with several roles at the unit answers in the first that applies.
ROLE_PRECEDENCE = (Role.UNIT_LEADER, Role.DEPARTMENT_LEADER, Role.LOCAL_UNION_REP, Role.SAFETY_REP)
KIND_OF_ROLE = {
    Role.UNIT_LEADER: LEADER,
    Role.DEPARTMENT_LEADER: LEADER,
    Role.LOCAL_UNION_REP: UNION_REP,
    Role.SAFETY_REP: SAFETY_REP,
}

CREDIT = _("After KS and the parties' handbook for tripartite cooperation.")


@dataclass(frozen=True)
class Block:
    """One question of an exercise. `text` is asked of everyone unless `by_role` has a text for
    the answerer's role kind."""

    key: str
    label: object
    text: object = ""
    by_role: dict = field(default_factory=dict)
    help: object = ""

    def text_for(self, kind: str):
        return self.by_role.get(kind) or self.text


@dataclass(frozen=True)
class Exercise:
    key: str
    title: object
    description: object
    when: object
    blocks: tuple
    intro_by_role: dict = field(default_factory=dict)
    rules: str = ""

    def questions_for(self, kind: str) -> list[tuple[str, object, object]]:
        """(key, question, help) that a member of this role kind answers, in order."""
        return [(b.key, b.text_for(kind), b.help) for b in self.blocks if b.text_for(kind)]

    def intro_for(self, kind: str):
        return self.intro_by_role.get(kind, "")


START_UP = Exercise(
    key="start_up",
    rules="R17",
    title=_("Getting started: each role reflects first"),
    description=_(
        "Each of you thinks on your own about what you want from the cooperation, seen from "
        "your own role, before you talk together."
    ),
    when=_("When the group is new, or when several members have been replaced."),
    blocks=(
        Block(
            key="own_role",
            label=_("From my own role"),
            by_role={
                LEADER: _(
                    "What would I like the union reps and the safety rep to work on together "
                    "with me?"
                ),
                UNION_REP: _(
                    "What do I need to know about how this workplace is led, and about the "
                    "safety rep's work?"
                ),
                SAFETY_REP: _(
                    "What do I care about here that I have not thought of as part of my role?"
                ),
            },
        ),
        Block(
            key="expect",
            label=_("What I expect of the others"),
            text=_(
                "What do I expect of the other members of the group, and what can they expect of me?"
            ),
        ),
        Block(
            key="first",
            label=_("Where to start"),
            text=_("What should the group work on first? Think of something we can achieve soon."),
        ),
    ),
)

ROLE_SWAP = Exercise(
    key="role_swap",
    rules="R18",
    title=_("Role swap: see the group from the other side"),
    description=_(
        "Leaders answer as if they were union reps, and union reps answer as if they were "
        "leaders. The safety rep answers about both."
    ),
    when=_(
        "When you want to understand each other's roles better, or when the same "
        "disagreements keep coming back."
    ),
    intro_by_role={
        LEADER: _("Put yourself in the place of a union rep at your workplace."),
        UNION_REP: _("Put yourself in the place of the leader at your workplace."),
        SAFETY_REP: _("Think about both the leaders and the union reps at your workplace."),
    },
    blocks=(
        Block(
            key="contribution",
            label=_("The other role's most important contribution"),
            by_role={
                LEADER: _(
                    "As a union rep: what is the most important thing the leader gives the cooperation?"
                ),
                UNION_REP: _(
                    "As the leader: what is the most important thing the union reps give the cooperation?"
                ),
                SAFETY_REP: _(
                    "What is the most important thing the leaders and the union reps each give the cooperation?"
                ),
            },
        ),
        Block(
            key="more_less",
            label=_("More of, less of"),
            by_role={
                LEADER: _(
                    "As a union rep: what do you need more of, and less of, from the leader?"
                ),
                UNION_REP: _(
                    "As the leader: what do you need more of, and less of, from the union reps?"
                ),
                SAFETY_REP: _(
                    "What do you need more of, and less of, from the leaders and from the union reps?"
                ),
            },
        ),
        Block(
            key="challenge",
            label=_("The other role's biggest challenge ahead"),
            by_role={
                LEADER: _(
                    "As a union rep: what will be your biggest challenge in the years ahead?"
                ),
                UNION_REP: _(
                    "As the leader: what will be your biggest challenge in the years ahead?"
                ),
                SAFETY_REP: _(
                    "What will be the biggest challenge ahead for the leaders, and for the union reps?"
                ),
            },
        ),
    ),
)

STUCK_CHECK = Exercise(
    key="stuck_check",
    rules="R33",
    title=_("Are we stuck? Take stock together"),
    description=_(
        "Stop and look at what the group has done so far, whether it is working on the right "
        "things, and what to do if it has lost its way."
    ),
    when=_(
        "When meetings feel like routine, little comes out of them, or the group keeps "
        "postponing the same things."
    ),
    blocks=(
        Block(
            key="achieved",
            label=_("What we have achieved"),
            text=_("What have we actually achieved together so far?"),
        ),
        Block(
            key="staff_care",
            label=_("What the staff care about"),
            text=_("Are we working on what the staff care about? What tells you so?"),
        ),
        Block(
            key="contributions",
            label=_("What each role brings"),
            text=_(
                "What have the leaders, the union reps and the safety rep each brought that we "
                "could not do without?"
            ),
        ),
        Block(
            key="still_agree",
            label=_("Still better together?"),
            text=_(
                "Do you still think we get further together than each on our own? Why, or why not?"
            ),
        ),
        Block(
            key="conflicts",
            label=_("Where disagreements go"),
            text=_("If we do not raise a disagreement here, where does it end up instead?"),
        ),
        Block(
            key="help",
            label=_("What would help"),
            text=_(
                "What do you think is the cause if we are stuck, and what help could we ask for "
                "together?"
            ),
        ),
    ),
)

TRUST = Exercise(
    key="trust",
    rules="R34",
    title=_("Trust in the group: fairness, trust and cooperation"),
    description=_(
        "Three sides of trust, one at a time: how fairly things are shared, how trust is shown "
        "and returned, and whether the ways you work together hold up."
    ),
    when=_(
        "When something has strained the relationship, or once a year to see how the group "
        "is doing."
    ),
    blocks=(
        Block(
            key="fairness",
            label=_("Fairness"),
            text=_(
                "Who gets the attractive tasks, and who is asked when something important "
                "happens? Does it feel fair to you?"
            ),
        ),
        Block(
            key="trust",
            label=_("Trust"),
            text=_(
                "Where have you seen trust shown and returned in the group, and where has it been missing?"
            ),
        ),
        Block(
            key="cooperation",
            label=_("Cooperation"),
            text=_("Do our meetings and other ways of working together hold up? What is missing?"),
        ),
        Block(
            key="one_step",
            label=_("One step"),
            text=_("What is one thing we could do differently that would build more trust?"),
        ),
    ),
)

STAFF_MEETING = Exercise(
    key="staff_meeting",
    rules="R22",
    title=_("Staff meeting: what did we hear?"),
    description=_(
        "Use the themes in group work at a staff meeting that you lead together. Afterwards, "
        "each member writes down what they heard, so that the group can compare notes."
    ),
    when=_("Before and after a staff meeting where the group leads a part together."),
    blocks=(
        Block(
            key="environment",
            label=_("A good working environment"),
            text=_("What did the staff say makes a good working environment here?"),
        ),
        Block(
            key="processes",
            label=_("Good ways of working"),
            text=_(
                "What did you hear about how the work is organised, and what could work better?"
            ),
        ),
        Block(
            key="services",
            label=_("What good services need"),
            text=_("What do the staff say they need to give good services?"),
        ),
        Block(
            key="leadership",
            label=_("Good leadership for us"),
            text=_("What did the staff say good leadership means at this workplace?"),
        ),
        Block(
            key="responsibility",
            label=_("More responsibility"),
            text=_("What do the staff want to take more responsibility for?"),
        ),
    ),
)

EXERCISES = {e.key: e for e in (START_UP, ROLE_SWAP, STUCK_CHECK, TRUST, STAFF_MEETING)}
CHOICES = [(e.key, e.title) for e in EXERCISES.values()]


def get(key: str) -> Exercise | None:
    return EXERCISES.get(key)
