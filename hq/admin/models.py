"""The admin requests as pydantic models: the API validates bodies with them and the CLI builds them from
its options, so both refuse the same input with the same words (and /openapi.json documents them).

Fields of the update models default to ``None`` meaning "not given": callers read
``model_dump(exclude_unset=True)``, so an explicit ``null`` clears a nullable field (colour, advisor).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from hq.admin import checks
from hq.api_models import Strict
from hq.passwords import MIN_LENGTH

Id = Annotated[int, Field(ge=1, le=checks.MAX_ID)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(checks.line)]
LongText = Annotated[str, Field(max_length=4000), AfterValidator(checks.text)]
Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", examples=["#e8a33d"])]
Order = Annotated[int, Field(ge=0, le=100_000)]
Date = Annotated[str, Field(max_length=10, examples=["2026-12-01"]), AfterValidator(checks.any_date)]
PastDate = Annotated[str, Field(max_length=10, examples=["1990-05-17"]), AfterValidator(checks.date)]
Password = Annotated[str, Field(min_length=MIN_LENGTH, max_length=256)]
StaffRole = Literal["advisor", "cashier", "manager"]
TaskKind = Literal["product_launch", "birthday_care", "wake_dormant", "season_end", "general"]


def _unique_roles(roles: list[StaffRole]) -> list[StaffRole]:
    return sorted(set(roles), key=checks.STAFF_ROLES.index)


Roles = Annotated[list[StaffRole], Field(max_length=3), AfterValidator(_unique_roles)]


class GroupCreate(Strict):
    id: Id | None = Field(None, description="omitted: the next free id")
    name: Name
    kind: Literal["manual", "automatic"] = "manual"
    choice: Literal["single", "multi"] = "multi"
    roles: Roles = Field(default_factory=list, description="who may apply its tags (manual groups only)")
    sort_order: Order = 0
    color: Color | None = None


class GroupUpdate(Strict):
    name: Name = None
    kind: Literal["manual", "automatic"] = None
    choice: Literal["single", "multi"] = None
    roles: Roles = None
    sort_order: Order = None
    color: Color | None = None
    retired: bool = Field(None, description="true: retire the group (devices stop offering it); false: bring it back")


class TagCreate(Strict):
    id: Id | None = Field(None, description="omitted: the next free id in the group's block (group × 100 + n)")
    name: Name
    sort_order: Order = 0
    color: Color | None = None


class TagUpdate(Strict):
    name: Name = None
    sort_order: Order = None
    color: Color | None = None
    retired: bool = Field(None, description="true: retire the tag (an offline apply is then refused); false: undo")


class MemberEdit(Strict):
    """HQ's CRM edit of one member; each changed field gets a new field version (corrections see it)."""

    phone: Annotated[str, AfterValidator(checks.phone)] = None
    name: Name = None
    gender: Annotated[str, AfterValidator(checks.gender)] | None = None
    birthday: PastDate | None = None
    level: Annotated[str, AfterValidator(checks.level)] = None
    points: Annotated[int, Field(ge=0, le=10**12)] = None
    address: Annotated[str, Field(max_length=200), AfterValidator(checks.text)] | None = None
    lifecycle: Annotated[str, AfterValidator(checks.lifecycle)] | None = None
    rfm_segment: Name | None = None
    status: Annotated[str, AfterValidator(checks.status)] = None
    advisor_id: Code | None = Field(None, description="an advisor of the member's store; null: unassigned")


class MemberImport(Strict):
    csv: str = Field(max_length=8_000_000, description="UTF-8 CSV text with a header row (see docs)")
    skip_bad: bool = Field(False, description="import the good rows and report the bad ones (default: all or none)")


class Reassign(Strict):
    to_advisor: Code
    member_ids: Annotated[list[Id], Field(min_length=1, max_length=10_000)] | None = None
    from_advisor: Code | None = Field(None, description="instead of member_ids: every member of this advisor")

    @model_validator(mode="after")
    def _one_selection(self) -> Reassign:
        if (self.member_ids is None) == (self.from_advisor is None):
            raise ValueError("give either member_ids or from_advisor")
        return self


class CodeRequest(Strict):
    ttl_seconds: int = Field(60, ge=1, le=86_400, description="how long the code stays valid (max one day)")


class TargetIn(Strict):
    member_id: Id
    advisor_id: Code | None = Field(None, description="omitted: the member's own advisor")


Targets = Annotated[list[TargetIn], Field(min_length=1, max_length=10_000)]


class TaskCreate(Strict):
    store_code: Code
    title: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(checks.line)]
    kind: TaskKind = "general"
    priority: int = Field(2, ge=1, le=3, description="1 highest")
    script: LongText = ""
    start_date: Date | None = None
    due_date: Date | None = None
    assignee_id: Code | None = Field(None, description="an advisor or manager of the store; null: everyone")
    targets: Targets

    @model_validator(mode="after")
    def _dates_in_order(self) -> TaskCreate:
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValueError(f"due_date {self.due_date} is before start_date {self.start_date}")
        return self


class TargetsAdd(Strict):
    targets: Targets


class TargetsRemove(Strict):
    member_ids: Annotated[list[Id], Field(min_length=1, max_length=10_000)]


class ExpireRequest(Strict):
    today: Date | None = Field(None, description="tasks due before this date expire (default: today)")


class StaffCreate(Strict):
    id: Code = Field(description="the staff number, unique in the chain (case-insensitive)")
    store_code: Code | None = Field(None, description="null only for hq_admin")
    name: Name
    role: Literal["advisor", "cashier", "manager", "hq_admin"]
    password: Password

    @model_validator(mode="after")
    def _store_matches_role(self) -> StaffCreate:
        if (self.role == "hq_admin") != (self.store_code is None):
            raise ValueError("store staff need a store_code; HQ admins have none")
        return self


class PasswordReset(Strict):
    password: Password


class CorrectionReject(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(checks.line)]


class LeadConfirm(Strict):
    make_member: bool = Field(False, description="also make the quasi-member a full member")


class LeadMerge(Strict):
    into: Id = Field(description="the member that survives")

