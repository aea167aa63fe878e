"""Who is acting: every domain operation takes an Actor and checks its role before writing."""

from __future__ import annotations

from dataclasses import dataclass

from associate_app.domain.vocabulary import Role
from associate_app.errors import NotPermitted


@dataclass(frozen=True)
class Actor:
    staff_id: str
    role: Role
    store_code: str

    def require(self, *roles: Role, action: str) -> None:
        """Refuse (NotPermitted) unless this actor has one of ``roles``."""
        if self.role not in roles:
            raise NotPermitted(f"A {self.role} may not {action}.", role=str(self.role), action=action)


def may_apply_group(role: Role, group_roles: list[str]) -> bool:
    """A role may use a tag group HQ opened to it; a manager may use whatever advisors may."""
    if str(role) in group_roles:
        return True
    return role == Role.MANAGER and str(Role.ADVISOR) in group_roles
