"""Giving a member enrolled on this device (a lead, negative id) the id HQ gave it.

HQ answers an enrolment with the surviving member id: a new quasi member (the lead's row simply
takes that id) or an existing member with the same phone (the lead's tags, contacts and corrections
move onto that member and the lead row goes). Done with explicit statements rather than relying on
ON UPDATE CASCADE, because the engine's connection runs with foreign keys off.
"""

from __future__ import annotations

import sqlite3

from associate_app.store.hq_data import MEMBER_DEPENDENTS


def adopt_lead(conn: sqlite3.Connection, lead_uuid: str, member_id: int) -> None:
    """Make local references to the lead ``lead_uuid`` point at HQ's ``member_id`` (idempotent)."""
    conn.execute("INSERT OR REPLACE INTO lead_ids(lead_uuid, member_id) VALUES (?, ?)", (lead_uuid, member_id))
    row = conn.execute("SELECT id FROM members WHERE lead_uuid = ? AND id != ?", (lead_uuid, member_id)).fetchone()
    if row is None:
        return
    old = row[0]
    if old > 0:  # HQ gave this lead id to another member: the local row's claim is stale
        conn.execute("UPDATE members SET lead_uuid = NULL WHERE id = ?", (old,))
        return
    survivor_here = conn.execute("SELECT 1 FROM members WHERE id = ?", (member_id,)).fetchone() is not None
    if not survivor_here:
        conn.execute("UPDATE members SET id = ? WHERE id = ?", (member_id, old))
    for table in MEMBER_DEPENDENTS:  # OR IGNORE: a tag the survivor already has stays as HQ has it
        conn.execute(f"UPDATE OR IGNORE {table} SET member_id = ? WHERE member_id = ?", (member_id, old))
        conn.execute(f"DELETE FROM {table} WHERE member_id = ?", (old,))
    if survivor_here:
        conn.execute("DELETE FROM members WHERE id = ?", (old,))


def resolve_member(conn: sqlite3.Connection, ref: object) -> int | None:
    """The local member id a mutation's ``member`` names (HQ id, or ``lead:<uuid>``), if it is here."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = conn.execute("SELECT id FROM members WHERE id = ?", (ref,)).fetchone()
        return ref if found else None
    if isinstance(ref, str) and ref.startswith("lead:"):
        lead = ref[5:]
        found = conn.execute("SELECT id FROM members WHERE lead_uuid = ?", (lead,)).fetchone()
        if found is None:
            found = conn.execute("SELECT l.member_id FROM lead_ids l JOIN members m ON m.id = l.member_id "
                                 "WHERE l.lead_uuid = ?", (lead,)).fetchone()
        return found[0] if found else None
    return None
