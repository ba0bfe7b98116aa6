"""What the API answers and accepts (the OpenAPI description is generated from these)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator


def _plain(value: str) -> str:
    """No NUL characters or lone surrogates: PostgreSQL stores neither (a 400, not a 500)."""
    if "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value):
        raise ValueError("Text with control characters that cannot be stored.")
    return value


Text = Annotated[str, AfterValidator(_plain)]


class Error(Schema):
    """Every error: a stable code for programs and a Norwegian message for people."""

    code: str = Field(
        ...,
        description="Stable: unauthorized, missing_scope, forbidden, not_found, invalid, "
        "out_of_scope, rate_limited, method_not_allowed, server_error.",
    )
    message: str
    fields: dict[str, list[str]] | None = Field(
        None, description="For invalid input: the messages per field."
    )


class Me(Schema):
    name: str
    email: str
    municipality: str
    scopes: list[str]
    token_name: str
    token_expires_at: datetime.datetime


class Unit(Schema):
    id: int
    name: str
    service_area: str
    party_group_name: str


class GroupMember(Schema):
    name: str
    role: str
    role_label: str
    union: str | None = Field(
        None, description="Only to those who may see which union a rep represents."
    )
    department: str | None = None


class PartyGroup(Schema):
    unit_id: int
    unit_name: str
    name: str
    members: list[GroupMember]


class SteeringGroup(Schema):
    name: str
    members: list[GroupMember]


class AgendaItem(Schema):
    id: int
    order: int
    title: str
    description: str
    kind: str
    status: str
    standing: bool


class Meeting(Schema):
    id: int
    unit_id: int | None = Field(..., description="Empty for the steering group's meetings.")
    title: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    status: str
    minutes_status: str
    has_published_minutes: bool


class MeetingDetail(Meeting):
    agenda: list[AgendaItem] | None = Field(
        None,
        description="The agenda and its items, for the group's members and administrators; "
        "empty for readers who see the published minutes only.",
    )


class Minutes(Schema):
    meeting_id: int
    unit_id: int | None
    version: int
    published_at: datetime.datetime
    change_note: str
    content: dict[str, Any] = Field(
        ..., description="The minutes as published: title, chair, attendance, items, actions."
    )


class Input(Schema):
    id: int
    unit_id: int
    text: str
    category: str
    audience: str
    submitted_on: datetime.date
    status: str
    status_changed_on: datetime.date
    public: bool
    answer: str
    answered_on: datetime.date | None
    referred_to: str
    referred_to_name: str
    hidden: bool
    hidden_reason: str = Field(
        ..., description="Why it was hidden; only for those who triage the input, else empty."
    )
    anonymous: bool
    mine: bool
    author: str | None = Field(
        None, description="The submitter's name, only to those who triage it and to the submitter."
    )


class InputCreate(Schema):
    unit_id: int
    text: Text = Field(..., min_length=1, max_length=2000)
    category: Literal[
        "", "working_day", "services", "work_environment", "organisation", "competence", "other"
    ] = ""
    to_leader: bool = Field(
        False, description="Send it privately to the unit leader (personnel or wage matters)."
    )


class Measure(Schema):
    id: int
    unit_id: int
    title: str
    stage: str
    stage_label: str
    problem: str
    need_and_purpose: str
    goals: str
    success_criteria: str
    participants: str
    evaluation_on: datetime.date | None
    trial_started_on: datetime.date | None
    trial_ends_on: datetime.date | None
    findings: str
    assessment: str
    evaluated_on: datetime.date | None
    decision: str
    decision_note: str
    decided_on: datetime.date | None
    referred_to: str
    referred_on: datetime.date | None
    line_outcome: str
    line_outcome_on: datetime.date | None
    is_win: bool
    win_story: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class Report(Schema):
    id: int
    unit_id: int
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    status: str
    first_sent_at: datetime.datetime | None
    version: int | None = Field(
        ..., description="The sent version shown; empty for a draft the group is writing."
    )
    went_well: str
    hard: str
    need: str
    figures: dict[str, Any]


class AgendaItemCreate(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    description: Text = Field("", max_length=5000)
    kind: Literal["development", "consultation"] | None = Field(
        None, description="Party groups only; the steering group's items are for dialogue."
    )
    personnel_case: bool = False


def page_of(item_schema, name: str):
    """A page of a list: the items and the cursor of the next page (empty on the last)."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item_schema], "next": str | None},
            "next": Field(None, description="Pass as ?cursor= for the next page."),
        },
    )
