"""Members from a CSV file (an export of the chain's CRM), upserted by card number.

Every row is checked first (an 11-digit mobile, real dates, a known store, an advisor of that store, a
level code, no card or phone twice); if any row is bad nothing is imported and every bad row is reported
with its line number, unless ``skip_bad`` asks to import the good rows only. An empty cell means "not
given": a new member gets the default, an existing one keeps its value. Only fields that really change
get a new field version, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from hq.admin import checks
from hq.admin.members import bump_fields
from hq.db import Database, Tx
from hq.schema import next_id
from hq.timeutil import iso, now_utc

REQUIRED = ("card_no", "phone", "name", "store_code")
Row = tuple[int, dict[str, Any]]  # (line number in the file, checked values)


def _whole(value: str, what: str, low: int, high: int) -> int:
    if not value.strip().isdigit() or not low <= int(value) <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not “{value}”")
    return int(value)


def _code(value: str) -> str:
    value = value.strip()
    if len(value) > 32 or not value.replace("-", "").replace("_", "").isalnum() or not value.isascii():
        raise ValueError(f"“{value}” is not a code (letters, digits, - and _, at most 32)")
    return value


COLUMNS: dict[str, Callable[[str], Any]] = {
    "id": lambda v: _whole(v, "id", 1, checks.MAX_ID), "card_no": _code, "phone": checks.phone, "name": checks.line,
    "gender": checks.gender, "birthday": checks.date, "level": checks.level,
    "points": lambda v: _whole(v, "points", 0, 10**12), "store_code": _code, "advisor_id": _code,
    "join_date": checks.date, "status": checks.status, "lifecycle": checks.lifecycle, "address": checks.text,
}


def decode_csv(data: bytes) -> str:
    """A file's bytes as text: UTF-8 with or without a byte-order mark (Excel writes one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise checks.Invalid(f"the file is not UTF-8 text (byte {exc.start}): save it as CSV UTF-8",
                             code="invalid_csv") from None


def parse_csv(text: str) -> tuple[list[Row], list[dict[str, Any]]]:
    """Checked rows and row errors ({line, column, message}); a bad header refuses the whole file."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        wrong = _header_problems(header)
        if wrong:
            raise checks.Invalid(f"the header row is not right ({'; '.join(wrong)}); known columns: "
                                 f"{', '.join(COLUMNS)}", code="invalid_csv")
        rows, errors, line = [], [], reader.line_num + 1
        for cells in reader:
            row, problems = _check_row(header, cells, line)
            errors += problems
            if row is not None and not problems:
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise checks.Invalid(f"line {reader.line_num}: the CSV cannot be read ({exc})", code="invalid_csv") from None
    return rows, errors


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    if set(header) - set(COLUMNS):
        problems.append(f"unknown columns: {', '.join(sorted(set(header) - set(COLUMNS)))}")
    if set(REQUIRED) - set(header):
        problems.append(f"missing columns: {', '.join(c for c in REQUIRED if c not in header)}")
    if len(set(header)) != len(header):
        problems.append("a column is named twice")
    return problems


def _check_row(header: list[str], cells: list[str], line: int) -> tuple[dict[str, Any] | None, list[dict]]:
    if not any(c.strip() for c in cells):
        return None, []  # a blank line
    if len(cells) != len(header):
        return None, [{"line": line, "column": None,
                       "message": f"{len(cells)} cells where the header has {len(header)} columns"}]
    row: dict[str, Any] = {}
    problems = []
    for column, cell in zip(header, cells, strict=True):
        if cell.strip():
            try:
                row[column] = COLUMNS[column](cell)
            except ValueError as exc:
                problems.append({"line": line, "column": column, "message": str(exc)})
        elif column in REQUIRED:
            problems.append({"line": line, "column": column, "message": f"{column} is required"})
    return row, problems


def import_members(db: Database, text: str, skip_bad: bool = False) -> dict[str, Any]:
    """Upsert the file's members; see the module docstring. Returns counts and the rows left out."""
    rows, errors = parse_csv(text)
    with db.write() as tx:
        rows, more = _check_against_hq(tx, rows)
        errors = sorted(errors + more, key=lambda e: e["line"])
        if errors and not skip_bad:
            lines = len({e["line"] for e in errors})
            raise checks.Invalid(f"{lines} {'row has' if lines == 1 else 'rows have'} errors, nothing was imported: "
                                 + "; ".join(map(describe, errors[:3])), code="invalid_csv", errors=errors[:500])
        counts = Counter(_upsert(tx, row) for _, row in rows)
    return {"created": counts["created"], "updated": counts["updated"], "unchanged": counts["unchanged"],
            "skipped": errors}


def describe(error: dict[str, Any]) -> str:
    """One bad row as a line of text: ``line 3 (phone): “1391234000” is not a mainland mobile number``."""
    column = f" ({error['column']})" if error.get("column") else ""
    return f"line {error['line']}{column}: {error['message'].rstrip('.')}"


def _check_against_hq(tx: Tx, rows: list[Row]) -> tuple[list[Row], list[dict[str, Any]]]:
    """Rows whose store, advisor, card and phone fit HQ's data (and each other); errors for the others."""
    stores = {r[0] for r in tx.all("SELECT code FROM stores WHERE active = 1")}
    advisors = dict(tx.all("SELECT id, store_code FROM staff WHERE role = 'advisor' AND active = 1"))
    cards = Counter(r["card_no"] for _, r in rows)
    phones = Counter(r["phone"] for _, r in rows)
    good, errors = [], []
    for line, row in rows:
        problem = None
        existing = _member_by(tx, "card_no = ?", row["card_no"])
        owner = _member_by(tx, "phone = ? AND merged_into IS NULL", row["phone"])
        if row["store_code"] not in stores:
            problem = f"store {row['store_code']} does not exist"
        elif row.get("advisor_id") and advisors.get(row["advisor_id"]) != row["store_code"]:
            problem = f"{row['advisor_id']} is not an active advisor of store {row['store_code']}"
        elif cards[row["card_no"]] > 1 or phones[row["phone"]] > 1:
            problem = f"card {row['card_no']} or phone {row['phone']} appears on more than one line"
        elif existing and existing["merged_into"] is not None:
            problem = f"card {row['card_no']} belongs to member {existing['id']}, merged into {existing['merged_into']}"
        elif existing and row.get("id", existing["id"]) != existing["id"]:
            problem = f"card {row['card_no']} belongs to member {existing['id']}, not {row['id']}"
        elif not existing and row.get("id") and _member_by(tx, "id = ?", row["id"]):
            problem = f"member id {row['id']} already exists with another card number"
        elif owner and owner["id"] != (existing or {}).get("id"):
            problem = f"phone {row['phone']} already belongs to member {owner['id']}"
        if problem:
            errors.append({"line": line, "column": None, "message": problem})
        else:
            good.append((line, {**row, "_existing": existing}))
    return good, errors


_FIELDS = ("id", "card_no", "phone", "name", "gender", "birthday", "level", "points", "store_code", "advisor_id",
           "status", "join_date", "lifecycle", "address", "merged_into")


def _member_by(tx: Tx, where: str, value: Any) -> dict[str, Any] | None:
    rows = tx.dicts(f"SELECT {', '.join(_FIELDS)} FROM members WHERE {where} ORDER BY id LIMIT 1", (value,))
    return rows[0] if rows else None


def _upsert(tx: Tx, row: dict[str, Any]) -> str:
    existing = row.pop("_existing")
    if existing is None:
        row = {**row, "id": row.get("id") or next_id(tx, "member_id"), "updated_at": iso(now_utc())}
        tx.execute(f"INSERT INTO members({', '.join(row)}) VALUES ({checks.marks(len(row))})", list(row.values()))
        # an id given above the counter must never be handed out again (to an enrolment, say)
        tx.execute("UPDATE counters SET value = ? WHERE name = 'member_id' AND value < ?", (row["id"], row["id"]))
        tx.touch("member", row["id"])
        return "created"
    if row["store_code"] != existing["store_code"] and "advisor_id" not in row:
        row["advisor_id"] = None  # the old advisor works in the old store
    changes = {c: v for c, v in row.items() if c not in ("id", "card_no") and existing[c] != v}
    if not changes:
        return "unchanged"
    tx.execute(f"UPDATE members SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
               [*changes.values(), existing["id"]])
    bump_fields(tx, existing["id"], list(changes))
    return "updated"
