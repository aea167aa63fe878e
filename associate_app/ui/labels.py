"""The core's codes as words on screen: vocabulary, error codes, HQ's rejection reasons, sync outcomes.

The core speaks in stable codes and English particulars; this module is the one place that turns a code
into a translated sentence (English source here, Chinese in ``resources/i18n/zh_CN/labels.ts``; a test
checks the Chinese vocabulary against ``domain.vocabulary.ZH``). HQ's rejection reasons are the core's own
English sentences (``sync.rejections.EXPLAIN``), extracted into ``core.ts`` by ``i18n update``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from associate_app.domain.vocabulary import (
    ChildAgeBand,
    InteractionType,
    Level,
    Lifecycle,
    MemberStatus,
    Outcome,
    Role,
    TaskStatus,
)
from associate_app.sync.rejections import EXPLAIN, UNKNOWN

VOCABULARY: dict[str, str] = {
    Role.ADVISOR: QT_TRANSLATE_NOOP("Vocabulary", "Advisor"),
    Role.CASHIER: QT_TRANSLATE_NOOP("Vocabulary", "Cashier"),
    Role.MANAGER: QT_TRANSLATE_NOOP("Vocabulary", "Store manager"),
    Level.REGULAR: QT_TRANSLATE_NOOP("Vocabulary", "Regular"),
    Level.SILVER: QT_TRANSLATE_NOOP("Vocabulary", "Silver"),
    Level.GOLD: QT_TRANSLATE_NOOP("Vocabulary", "Gold"),
    Level.BLACK_GOLD: QT_TRANSLATE_NOOP("Vocabulary", "Black gold"),
    MemberStatus.MEMBER: QT_TRANSLATE_NOOP("Vocabulary", "Member"),
    MemberStatus.QUASI: QT_TRANSLATE_NOOP("Vocabulary", "Quasi-member"),
    Lifecycle.NEW: QT_TRANSLATE_NOOP("Vocabulary", "New member"),
    Lifecycle.ACTIVE: QT_TRANSLATE_NOOP("Vocabulary", "Active"),
    Lifecycle.DORMANT: QT_TRANSLATE_NOOP("Vocabulary", "Dormant"),
    Lifecycle.LOST: QT_TRANSLATE_NOOP("Vocabulary", "Lost"),
    InteractionType.CALL: QT_TRANSLATE_NOOP("Vocabulary", "Call"),
    InteractionType.WECHAT: QT_TRANSLATE_NOOP("Vocabulary", "WeChat chat"),
    InteractionType.STORE_VISIT: QT_TRANSLATE_NOOP("Vocabulary", "Store visit"),
    InteractionType.HOME_VISIT: QT_TRANSLATE_NOOP("Vocabulary", "Home visit"),
    InteractionType.SMS: QT_TRANSLATE_NOOP("Vocabulary", "Text message"),
    InteractionType.EVENT: QT_TRANSLATE_NOOP("Vocabulary", "Event"),
    Outcome.REACHED: QT_TRANSLATE_NOOP("Vocabulary", "Reached"),
    Outcome.NOT_REACHABLE: QT_TRANSLATE_NOOP("Vocabulary", "Not reachable"),
    Outcome.INTERESTED: QT_TRANSLATE_NOOP("Vocabulary", "Interested"),
    Outcome.CONVERTED: QT_TRANSLATE_NOOP("Vocabulary", "Converted"),
    Outcome.DECLINED: QT_TRANSLATE_NOOP("Vocabulary", "Declined"),
    Outcome.WRONG_NUMBER: QT_TRANSLATE_NOOP("Vocabulary", "Wrong number"),
    TaskStatus.PENDING: QT_TRANSLATE_NOOP("Vocabulary", "Not started"),
    TaskStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("Vocabulary", "In progress"),
    TaskStatus.DONE: QT_TRANSLATE_NOOP("Vocabulary", "Done"),
    TaskStatus.CANCELLED: QT_TRANSLATE_NOOP("Vocabulary", "Cancelled"),
    TaskStatus.EXPIRED: QT_TRANSLATE_NOOP("Vocabulary", "Expired"),
    ChildAgeBand.PREGNANT: QT_TRANSLATE_NOOP("Vocabulary", "Pregnant"),
    ChildAgeBand.M0_6: QT_TRANSLATE_NOOP("Vocabulary", "0-6 months"),
    ChildAgeBand.M6_12: QT_TRANSLATE_NOOP("Vocabulary", "6-12 months"),
    ChildAgeBand.Y1_3: QT_TRANSLATE_NOOP("Vocabulary", "1-3 years"),
    ChildAgeBand.Y3_6: QT_TRANSLATE_NOOP("Vocabulary", "3-6 years"),
    ChildAgeBand.Y6_PLUS: QT_TRANSLATE_NOOP("Vocabulary", "6 years and older"),
}

ERRORS: dict[str, str] = {
    "error": QT_TRANSLATE_NOOP("Errors", "That could not be done."),
    "invalid_input": QT_TRANSLATE_NOOP("Errors", "Please check what you typed."),
    "invalid_phone": QT_TRANSLATE_NOOP("Errors", "That is not a mobile number: 11 digits starting with 1."),
    "invalid_date": QT_TRANSLATE_NOOP("Errors", "That date is not possible here."),
    "note_too_long": QT_TRANSLATE_NOOP("Errors", "The note is too long: 2,000 characters at most."),
    "not_found": QT_TRANSLATE_NOOP("Errors", "Nothing was found."),
    "unknown_member": QT_TRANSLATE_NOOP("Errors", "No such member in this store."),
    "unknown_card": QT_TRANSLATE_NOOP("Errors", "No member has this card number."),
    "unknown_tag": QT_TRANSLATE_NOOP("Errors", "This tag does not exist (any more)."),
    "unknown_task": QT_TRANSLATE_NOOP("Errors", "This task does not exist (any more)."),
    "unknown_staff": QT_TRANSLATE_NOOP("Errors", "No such staff member in this store."),
    "not_permitted": QT_TRANSLATE_NOOP("Errors", "Your role may not do this."),
    "tag_not_allowed": QT_TRANSLATE_NOOP("Errors", "Your role may not use this tag group."),
    "tag_read_only": QT_TRANSLATE_NOOP("Errors", "This tag is set by HQ automatically and cannot be changed here."),
    "tag_retired": QT_TRANSLATE_NOOP("Errors", "HQ has retired this tag."),
    "nothing_to_undo": QT_TRANSLATE_NOOP("Errors", "There is nothing of yours to undo."),
    "illegal_transition": QT_TRANSLATE_NOOP("Errors", "The task cannot move to that status."),
    "task_closed": QT_TRANSLATE_NOOP("Errors", "This task is closed: nothing more can be recorded on it."),
    "target_closed": QT_TRANSLATE_NOOP("Errors", "This member was already reached for this task: who worked them "
                                                 "stays on record."),
    "not_an_advisor": QT_TRANSLATE_NOOP("Errors", "Work can only go to an active advisor of this store."),
    "already_member": QT_TRANSLATE_NOOP("Errors", "This phone number already belongs to a member."),
    "member_code_invalid": QT_TRANSLATE_NOOP("Errors", "This member code is not valid."),
    "member_code_expired": QT_TRANSLATE_NOOP("Errors", "This member code has expired: ask for a fresh one."),
    "storage_error": QT_TRANSLATE_NOOP("Errors", "The local database could not be written. Nothing was changed."),
    "database_locked": QT_TRANSLATE_NOOP("Errors", "The local database is busy. Nothing was changed: try again."),
    "disk_full": QT_TRANSLATE_NOOP("Errors", "The disk is full. Nothing was changed: free some space."),
    "schema_too_new": QT_TRANSLATE_NOOP("Errors", "This database was written by a newer version: update the app."),
    "not_signed_in": QT_TRANSLATE_NOOP("Errors", "Please sign in."),
    "role_not_supported": QT_TRANSLATE_NOOP("Errors", "This account cannot use the store console."),
    "bad_credentials": QT_TRANSLATE_NOOP("Errors", "The store code, staff number or password is wrong."),
    "too_many_attempts": QT_TRANSLATE_NOOP("Errors", "Too many failed sign-ins: wait a few minutes."),
}

SYNC_OUTCOMES: dict[str, str] = {
    "ok": QT_TRANSLATE_NOOP("Sync", "Synced"),
    "offline": QT_TRANSLATE_NOOP("Sync", "HQ cannot be reached: working offline."),
    "certificate": QT_TRANSLATE_NOOP("Sync", "HQ's certificate is not trusted: tell IT. Nothing was sent."),
    "auth_required": QT_TRANSLATE_NOOP("Sync", "HQ asks you to sign in again."),
    "forbidden": QT_TRANSLATE_NOOP("Sync", "HQ refused this account on this store: sign in again."),
    "update_required": QT_TRANSLATE_NOOP("Sync", "HQ needs a newer version of this app: tell IT."),
    "busy": QT_TRANSLATE_NOOP("Sync", "HQ is busy: trying again shortly."),
    "server_error": QT_TRANSLATE_NOOP("Sync", "HQ had a problem: trying again shortly."),
    "protocol_error": QT_TRANSLATE_NOOP("Sync", "HQ's answer could not be read: trying again later."),
    "refused": QT_TRANSLATE_NOOP("Sync", "HQ refused the request: tell IT."),
    "storage_error": QT_TRANSLATE_NOOP("Sync", "The local database could not be written: see the log."),
    "disk_full": QT_TRANSLATE_NOOP("Sync", "The disk is full: sync is paused."),
    "database_locked": QT_TRANSLATE_NOOP("Sync", "The local database is busy: trying again shortly."),
    "internal_error": QT_TRANSLATE_NOOP("Sync", "Sync stopped on an unexpected error: see the log."),
}

def term(code: str | None) -> str:
    """The word for a vocabulary code (level, outcome, task status…); an unknown code shows as itself."""
    if not code:
        return ""
    source = VOCABULARY.get(code)
    return QCoreApplication.translate("Vocabulary", source) if source else str(code)


def error_message(error: BaseException) -> str:
    """What to tell the user about a refusal of the core or of HQ, in their language."""
    code = getattr(error, "code", None)
    source = ERRORS.get(code or "") or SYNC_OUTCOMES.get(code or "")
    if source:
        return QCoreApplication.translate("Errors" if code in ERRORS else "Sync", source)
    return QCoreApplication.translate("Errors", ERRORS["error"])


def sync_outcome(code: str) -> str:
    source = SYNC_OUTCOMES.get(code) or SYNC_OUTCOMES["internal_error"]
    return QCoreApplication.translate("Sync", source)


def rejection_text(reason: str | None) -> tuple[str, str]:
    """(what happened, what to do) for HQ's reason code: the core's sentences, translated."""
    happened, to_do = EXPLAIN.get(reason or "", UNKNOWN)
    return QCoreApplication.translate("Rejections", happened), QCoreApplication.translate("Rejections", to_do)


def local_time(instant: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC instant (``2026-11-26T22:53:06.937Z``) in this PC's time, e.g. ``2026-11-27 06:53``
    in Shanghai; blank when never, unreadable text as it is."""
    if not instant:
        return ""
    try:
        return dt.datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone().strftime(fmt)
    except ValueError:
        return instant


def local_day(instant: str | None) -> str:
    """The store's local date of a stored UTC instant."""
    return local_time(instant, "%Y-%m-%d")
