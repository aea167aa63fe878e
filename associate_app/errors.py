"""Typed errors of the core.

Every refusal the core makes is one of these, raised *before* anything is written. Each carries
a stable ``code`` (the UI maps it to a translated sentence) and an English ``message`` with the
particulars, so a caller never has to parse text and a user never sees a traceback.
"""

from __future__ import annotations

from typing import Any


class AssociateError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InvalidInput(AssociateError):
    """A value typed by a user does not have the right form."""

    code = "invalid_input"


class InvalidPhone(InvalidInput):
    code = "invalid_phone"


class InvalidDate(InvalidInput):
    code = "invalid_date"


class NoteTooLong(InvalidInput):
    code = "note_too_long"


class NotAnAdvisor(InvalidInput):
    """A reassignment names someone who is not an active advisor of this store."""

    code = "not_an_advisor"


class NotFound(AssociateError):
    code = "not_found"


class UnknownMember(NotFound):
    code = "unknown_member"


class UnknownCard(NotFound):
    code = "unknown_card"


class UnknownTag(NotFound):
    code = "unknown_tag"


class UnknownTask(NotFound):
    code = "unknown_task"


class UnknownStaff(NotFound):
    code = "unknown_staff"


class NotPermitted(AssociateError):
    """The acting staff member's role may not do this."""

    code = "not_permitted"


class TagNotAllowed(NotPermitted):
    code = "tag_not_allowed"


class TagReadOnly(NotPermitted):
    """Automatic tags are computed by HQ; stores see them but never edit them."""

    code = "tag_read_only"


class TagRetired(AssociateError):
    code = "tag_retired"


class NothingToUndo(AssociateError):
    code = "nothing_to_undo"


class IllegalTransition(AssociateError):
    """A task or task target cannot move to the requested state."""

    code = "illegal_transition"


class TaskClosed(IllegalTransition):
    code = "task_closed"


class TargetClosed(IllegalTransition):
    """A task target already has a closing outcome: who worked it stays on record."""

    code = "target_closed"


class AlreadyMember(AssociateError):
    """Enrolment of a phone number that already belongs to a member."""

    code = "already_member"


class MemberCodeInvalid(AssociateError):
    code = "member_code_invalid"


class MemberCodeExpired(MemberCodeInvalid):
    code = "member_code_expired"


class StorageError(AssociateError):
    """The local database could not be written (locked, disk full, read-only, corrupt)."""

    code = "storage_error"


class DatabaseLocked(StorageError):
    code = "database_locked"


class DiskFull(StorageError):
    code = "disk_full"


class SchemaTooNew(StorageError):
    """The database was written by a newer version of the app than this one."""

    code = "schema_too_new"
