"""The shop floor's vocabulary as stable codes (see shared DOMAIN.md for the Chinese terms).

Codes are what the database, the outbox and the sync protocol carry; the UI translates them.
``ZH`` gives the canonical Chinese term for each code, for text output and as the translation
source of truth.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADVISOR = "advisor"
    CASHIER = "cashier"
    MANAGER = "manager"


class Level(StrEnum):
    REGULAR = "regular"
    SILVER = "silver"
    GOLD = "gold"
    BLACK_GOLD = "black_gold"


class MemberStatus(StrEnum):
    MEMBER = "member"
    QUASI = "quasi"  # 准会员: known to the chain, not (yet) in its programme


class Lifecycle(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    DORMANT = "dormant"
    LOST = "lost"


class TagKind(StrEnum):
    MANUAL = "manual"
    AUTOMATIC = "automatic"


class Choice(StrEnum):
    SINGLE = "single"
    MULTI = "multi"


class InteractionType(StrEnum):
    CALL = "call"
    WECHAT = "wechat"
    STORE_VISIT = "store_visit"
    HOME_VISIT = "home_visit"
    SMS = "sms"
    EVENT = "event"


class Outcome(StrEnum):
    REACHED = "reached"
    NOT_REACHABLE = "not_reachable"
    INTERESTED = "interested"
    CONVERTED = "converted"
    DECLINED = "declined"
    WRONG_NUMBER = "wrong_number"


# A target with one of these outcomes is finished; "not reachable" leaves it open for another try.
CLOSING_OUTCOMES = frozenset(
    {Outcome.REACHED, Outcome.INTERESTED, Outcome.CONVERTED, Outcome.DECLINED, Outcome.WRONG_NUMBER}
)


class TaskStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class TaskKind(StrEnum):
    PRODUCT_LAUNCH = "product_launch"
    BIRTHDAY_CARE = "birthday_care"
    WAKE_DORMANT = "wake_dormant"
    SEASON_END = "season_end"
    GENERAL = "general"


class CorrectionField(StrEnum):
    PHONE = "phone"
    BIRTHDAY = "birthday"
    ADDRESS = "address"
    CHILD_BIRTHDAY = "child_birthday"
    CHILD_DUE_DATE = "child_due_date"


class CorrectionStatus(StrEnum):
    PENDING = "pending"  # 待上传: saved here, not yet acknowledged by HQ
    SUBMITTED = "submitted"  # HQ has it for review
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ChildAgeBand(StrEnum):
    """Bands of a mother-and-baby chain, matched against children's birthdays and due dates."""

    PREGNANT = "pregnant"
    M0_6 = "0-6m"
    M6_12 = "6-12m"
    Y1_3 = "1-3y"
    Y3_6 = "3-6y"
    Y6_PLUS = "6y+"


class MutationKind(StrEnum):
    """What a device sends HQ: one outbox entry per user action (the sync protocol's vocabulary)."""

    TAG_APPLY = "tag.apply"
    TAG_REMOVE = "tag.remove"
    INTERACTION_LOG = "interaction.log"
    TARGET_OUTCOME = "task_target.outcome"
    TASK_STATUS = "task.status"
    CORRECTION_PROPOSE = "correction.propose"
    MEMBER_ENROL = "member.enrol"
    MEMBER_REASSIGN = "member.reassign"
    TARGET_REASSIGN = "task_target.reassign"


ZH: dict[str, str] = {
    Role.ADVISOR: "导购",
    Role.CASHIER: "收银员",
    Role.MANAGER: "店长",
    Level.REGULAR: "普通",
    Level.SILVER: "银卡",
    Level.GOLD: "金卡",
    Level.BLACK_GOLD: "黑金",
    MemberStatus.MEMBER: "会员",
    MemberStatus.QUASI: "准会员",
    Lifecycle.NEW: "新会员",
    Lifecycle.ACTIVE: "活跃",
    Lifecycle.DORMANT: "沉睡",
    Lifecycle.LOST: "流失",
    InteractionType.CALL: "电话",
    InteractionType.WECHAT: "微信沟通",
    InteractionType.STORE_VISIT: "到店",
    InteractionType.HOME_VISIT: "上门",
    InteractionType.SMS: "短信",
    InteractionType.EVENT: "活动",
    Outcome.REACHED: "已联系",
    Outcome.NOT_REACHABLE: "未接通",
    Outcome.INTERESTED: "有意向",
    Outcome.CONVERTED: "已成交",
    Outcome.DECLINED: "已拒绝",
    Outcome.WRONG_NUMBER: "号码错误",
    TaskStatus.PENDING: "待开始",
    TaskStatus.IN_PROGRESS: "进行中",
    TaskStatus.DONE: "已完成",
    TaskStatus.CANCELLED: "已取消",
    TaskStatus.EXPIRED: "已过期",
    ChildAgeBand.PREGNANT: "孕期",
    ChildAgeBand.M0_6: "0-6月",
    ChildAgeBand.M6_12: "6-12月",
    ChildAgeBand.Y1_3: "1-3岁",
    ChildAgeBand.Y3_6: "3-6岁",
    ChildAgeBand.Y6_PLUS: "6岁+",
}
