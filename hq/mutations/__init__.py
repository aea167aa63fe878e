"""What HQ does with each kind of mutation a device pushes (docs/mutations.md), one module per family."""

from __future__ import annotations

from associate_app.domain.vocabulary import MutationKind
from hq.mutations import assignment, corrections, enrolment, interactions, tags, tasks
from hq.mutations.base import Handler

HANDLERS: dict[str, Handler] = {
    MutationKind.TAG_APPLY: tags.apply_tag,
    MutationKind.TAG_REMOVE: tags.remove_tag,
    MutationKind.INTERACTION_LOG: interactions.log_interaction,
    MutationKind.TARGET_OUTCOME: tasks.record_outcome,
    MutationKind.TASK_STATUS: tasks.set_status,
    MutationKind.CORRECTION_PROPOSE: corrections.propose,
    MutationKind.MEMBER_ENROL: enrolment.enrol,
    MutationKind.MEMBER_REASSIGN: assignment.reassign_member,
    MutationKind.TARGET_REASSIGN: assignment.reassign_target,
}
