"""The HQ admin API (``/v1/admin/…``): thin routes over hq.admin, for HQ admin accounts only.

The whole router depends on ``admin_principal``: a store role gets 403 and a missing token 401, decided
on the server whatever a client shows. Bodies are the models of hq.admin.models (documented in
/openapi.json, anything else is a 422); the work and its checks live in hq.admin, shared with the CLI
``hq-server admin``. Retiring is a PATCH with ``{"retired": true}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query

from hq.admin import catalogue, codes, imports, leads, members, reviews, staff, tasks
from hq.admin import models as m
from hq.admin.checks import MAX_ID
from hq.deps import DB, Admin, admin_principal

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(admin_principal)])
CODE = r"^[A-Za-z0-9_-]+$"
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
StaffId = Annotated[str, Path(min_length=1, max_length=32, pattern=CODE)]
CorrectionId = Annotated[str, Path(min_length=1, max_length=64, pattern=CODE)]
StoreFilter = Annotated[str | None, Query(min_length=1, max_length=32, pattern=CODE)]
# Bodies of calls that may be sent without one (every field has a default).
DEFAULT_CODE, DEFAULT_EXPIRE, DEFAULT_CONFIRM = m.CodeRequest(), m.ExpireRequest(), m.LeadConfirm()


# --------------------------------------------------------------------------- tag catalogue
@router.get("/tag-groups", summary="The tag catalogue: every group with its tags")
def list_tag_groups(db: DB) -> Any:
    return catalogue.list_catalogue(db)


@router.post("/tag-groups", status_code=201, summary="Create a tag group")
def create_tag_group(body: m.GroupCreate, db: DB) -> Any:
    return catalogue.create_group(db, body.model_dump())


@router.patch("/tag-groups/{group_id}", summary="Change a tag group (roles, choice, retired…)")
def update_tag_group(group_id: IdPath, body: m.GroupUpdate, db: DB) -> Any:
    return catalogue.update_group(db, group_id, body.model_dump(exclude_unset=True))


@router.post("/tag-groups/{group_id}/tags", status_code=201, summary="Create a tag in a group")
def create_tag(group_id: IdPath, body: m.TagCreate, db: DB) -> Any:
    return catalogue.create_tag(db, group_id, body.model_dump())


@router.patch("/tags/{tag_id}", summary="Change a tag (name, order, colour, retired)")
def update_tag(tag_id: IdPath, body: m.TagUpdate, db: DB) -> Any:
    return catalogue.update_tag(db, tag_id, body.model_dump(exclude_unset=True))


# --------------------------------------------------------------------------- members
@router.post("/members/import", summary="Import members from CSV text (upsert by card_no)")
def import_members(body: m.MemberImport, db: DB) -> Any:
    return imports.import_members(db, body.csv, skip_bad=body.skip_bad)


@router.post("/members/reassign", summary="Give members to another advisor of their store")
def reassign_members(body: m.Reassign, db: DB) -> Any:
    return members.reassign_members(db, body.to_advisor, body.member_ids, body.from_advisor)


@router.patch("/members/{member_id}", summary="Edit a member (each changed field gets a new version)")
def edit_member(member_id: IdPath, body: m.MemberEdit, db: DB) -> Any:
    return members.edit_member(db, member_id, body.model_dump(exclude_unset=True))


@router.post("/members/{member_id}/code", summary="Issue a signed dynamic member code")
def issue_member_code(member_id: IdPath, db: DB, body: m.CodeRequest = DEFAULT_CODE) -> Any:
    return codes.issue_member_code(db, member_id, body.ttl_seconds)


# --------------------------------------------------------------------------- push-tasks
@router.get("/tasks", summary="Push-tasks with their target counts")
def list_tasks(db: DB, store_code: StoreFilter = None,
               status: Literal["pending", "in_progress", "done", "cancelled", "expired"] | None = None) -> Any:
    return tasks.list_tasks(db, store_code, status)


@router.post("/tasks", status_code=201, summary="Create a push-task with its targets")
def create_task(body: m.TaskCreate, db: DB) -> Any:
    return tasks.create_task(db, body.model_dump())


@router.post("/tasks/expire", summary="Expire every live task due before a day")
def expire_tasks(db: DB, body: m.ExpireRequest = DEFAULT_EXPIRE) -> Any:
    return tasks.expire_overdue(db, body.today)


@router.post("/tasks/{task_id}/cancel", summary="Cancel a task (wins over devices finishing it offline)")
def cancel_task(task_id: IdPath, db: DB) -> Any:
    return tasks.cancel_task(db, task_id)


@router.post("/tasks/{task_id}/targets", summary="Add targets to a live task")
def add_targets(task_id: IdPath, body: m.TargetsAdd, db: DB) -> Any:
    return tasks.add_targets(db, task_id, [t.model_dump() for t in body.targets])


@router.post("/tasks/{task_id}/targets/remove", summary="Remove targets nobody has worked on yet")
def remove_targets(task_id: IdPath, body: m.TargetsRemove, db: DB) -> Any:
    return tasks.remove_targets(db, task_id, body.member_ids)


# --------------------------------------------------------------------------- staff
@router.get("/staff", summary="Staff accounts")
def list_staff(db: DB, store_code: StoreFilter = None) -> Any:
    return staff.list_staff(db, store_code)


@router.post("/staff", status_code=201, summary="Open a staff account")
def create_staff(body: m.StaffCreate, db: DB) -> Any:
    return staff.create_staff(db, body.model_dump())


@router.post("/staff/{staff_id}/deactivate", summary="Close an account and end its sessions")
def deactivate_staff(staff_id: StaffId, db: DB) -> Any:
    return staff.deactivate_staff(db, staff_id)


@router.post("/staff/{staff_id}/password", summary="Set a new password and end the account's sessions")
def reset_password(staff_id: StaffId, body: m.PasswordReset, db: DB) -> Any:
    return staff.reset_password(db, staff_id, body.password)


# --------------------------------------------------------------------------- reviews
@router.get("/corrections", summary="Member corrections by status (default: waiting for review)")
def list_corrections(db: DB, status: Literal["submitted", "accepted", "rejected"] = "submitted",
                     store_code: StoreFilter = None) -> Any:
    return reviews.list_corrections(db, status, store_code)


@router.post("/corrections/{correction_id}/accept", summary="Apply a proposed correction")
def accept_correction(correction_id: CorrectionId, db: DB, caller: Admin) -> Any:
    return reviews.accept_correction(db, correction_id, caller.staff_id)


@router.post("/corrections/{correction_id}/reject", summary="Keep HQ's value and tell the advisor why")
def reject_correction(correction_id: CorrectionId, body: m.CorrectionReject, db: DB, caller: Admin) -> Any:
    return reviews.reject_correction(db, correction_id, caller.staff_id, body.reason)


@router.get("/leads", summary="Leads (offline enrolments) waiting for review, with same-phone members")
def list_leads(db: DB, store_code: StoreFilter = None) -> Any:
    return leads.list_leads(db, store_code)


@router.post("/leads/{member_id}/confirm", summary="Keep a lead as a real member or quasi-member")
def confirm_lead(member_id: IdPath, db: DB, body: m.LeadConfirm = DEFAULT_CONFIRM) -> Any:
    return leads.confirm_lead(db, member_id, body.make_member)


@router.post("/leads/{member_id}/merge", summary="Merge a lead into the member it really is")
def merge_lead(member_id: IdPath, body: m.LeadMerge, db: DB) -> Any:
    return leads.merge_lead(db, member_id, body.into)


def install_admin_routes(app: FastAPI) -> None:
    app.include_router(router)
