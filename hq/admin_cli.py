"""``hq-server admin AREA ACTION …``: the HQ admin tools on the command line, for an operator at the server.

Each command builds the same request model as the admin API (hq.admin.models) and calls the same
operation in hq.admin, so both accept and refuse exactly the same things. Results print as readable
text (``--json`` for scripts); an error prints one line and exits 1 (input refused: 2).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from hq.admin import catalogue, codes, imports, leads, members, reviews, staff, tasks
from hq.admin import models as m
from hq.cli import DEFAULT_DATABASE
from hq.db import Database
from hq.errors import HQError
from hq.service import open_hq

Handler = Callable[[Database, argparse.Namespace], Any]


def _model(model: type[BaseModel], /, **given: Any) -> BaseModel:
    """The request model from the options actually given (None: not given, so defaults and "unset" hold)."""
    return model(**{k: v for k, v in given.items() if v is not None})


def _changes(model: type[BaseModel], /, **given: Any) -> dict[str, Any]:
    return _model(model, **given).model_dump(exclude_unset=True)


def _ids(values: list[str] | str) -> list[str]:
    """Comma-separated and/or repeated ids, left as text for the request model to check."""
    joined = values if isinstance(values, str) else ",".join(values)
    return [part.strip() for part in joined.split(",") if part.strip()]


def _targets(values: list[str]) -> list[dict[str, Any]]:
    """``--member 1000001`` or ``--member 1000001:A002`` (the target's advisor), repeatable or comma-separated."""
    out = []
    for value in ",".join(values).split(","):
        member, _, advisor = value.strip().partition(":")
        out.append({"member_id": member, **({"advisor_id": advisor} if advisor else {})})
    return out


def _settings(pairs: list[str]) -> dict[str, Any]:
    """``--set field=value`` pairs; an empty value or ``null`` clears the field."""
    out: dict[str, Any] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep:
            raise HQError(f"--set wants field=value, not {pair!r}", code="invalid_request")
        out[field.strip()] = None if value.strip() in ("", "null") else value
    return out


def _password(given: str | None) -> str:
    return given if given is not None else getpass.getpass("New password (at least 8 characters): ")


def _run(handler: Handler, args: argparse.Namespace) -> int:
    db = open_hq(args.database)
    try:
        result = handler(db, args)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "input"
        print(f"hq-server: {where}: {first.get('msg', 'invalid')}", file=sys.stderr)
        return 2
    except HQError as exc:
        print(f"hq-server: {exc.message}", file=sys.stderr)
        for row in exc.extra.get("errors", []):  # the import's bad rows, one a line
            print(f"  {imports.describe(row)}", file=sys.stderr)
        return 2 if exc.status in (400, 422) else 1
    finally:
        db.close()
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() if args.json else show(result))
    return 0


def show(result: Any) -> str:
    """A result as text: a dict as ``key: value`` lines, a list of dicts as an aligned table."""
    if isinstance(result, dict):
        lines = [f"{k}: {_cell(v)}" for k, v in result.items() if not _is_rows(v)]
        for key, value in result.items():
            if _is_rows(value) and value:
                lines += [f"{key}:", _indent(_table(value))]
        return "\n".join(lines)
    return _table(result) if result else "(none)"


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(map(_cell, value)) or "-"
    return str(value).replace("\n", " ")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def _table(rows: list[dict[str, Any]]) -> str:
    columns = [k for k in rows[0] if not _is_rows(rows[0][k]) and k != "script"]
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = [_row(columns, widths)]
    for row, values in zip(rows, cells, strict=True):
        lines.append(_row(values, widths))
        lines += [_indent(_table(v)) for v in row.values() if _is_rows(v) and v]
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row(values: list[str], widths: list[int]) -> str:
    return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()


class _Area:
    """One ``hq-server admin AREA`` with its actions; every action gets --database and --json."""

    def __init__(self, areas: Any, name: str, help_text: str) -> None:
        self.actions = areas.add_parser(name, help=help_text, description=help_text).add_subparsers(
            dest="action", required=True, metavar="ACTION")

    def action(self, name: str, help_text: str, handler: Handler, *options: tuple[tuple, dict]) -> None:
        parser = self.actions.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--database", default=DEFAULT_DATABASE, help="sqlite:///path.db or postgresql://…")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        for flags, settings in options:
            parser.add_argument(*flags, **settings)
        parser.set_defaults(func=lambda args: _run(handler, args))


def opt(*flags: str, **settings: Any) -> tuple[tuple, dict]:
    return flags, settings


ID = opt("id", type=int)
STORE = opt("--store", help="only this store")
GROUP_OPTIONS = (opt("--name"), opt("--kind", choices=["manual", "automatic"]),
                 opt("--choice", choices=["single", "multi"]),
                 opt("--roles", help="comma-separated: advisor,cashier,manager (empty: nobody)"),
                 opt("--sort-order", type=int), opt("--color", help="#rrggbb"))
TAG_OPTIONS = (opt("--name"), opt("--sort-order", type=int), opt("--color", help="#rrggbb"))


def _roles(text: str | None) -> list[str] | None:
    return None if text is None else [r.strip() for r in text.split(",") if r.strip()]


def _group(a: argparse.Namespace) -> dict[str, Any]:
    return {"name": a.name, "kind": a.kind, "choice": a.choice, "roles": _roles(a.roles), "sort_order": a.sort_order,
            "color": a.color}


def _tag(a: argparse.Namespace) -> dict[str, Any]:
    return {"name": a.name, "sort_order": a.sort_order, "color": a.color}


def _catalogue_commands(areas: Any) -> None:
    groups = _Area(areas, "tag-groups", "the tag catalogue's groups")
    groups.action("list", "every group with its tags", lambda db, a: catalogue.list_catalogue(db))
    groups.action("create", "a new group", lambda db, a: catalogue.create_group(
        db, _model(m.GroupCreate, id=a.new_id, **_group(a)).model_dump()), opt("--id", dest="new_id", type=int),
        *GROUP_OPTIONS)
    groups.action("update", "change a group (a roles change re-publishes its members)", lambda db, a:
                  catalogue.update_group(db, a.id, _changes(m.GroupUpdate, **_group(a))), ID, *GROUP_OPTIONS)
    tags = _Area(areas, "tags", "the tag catalogue's tags")
    tags.action("create", "a new tag in a group", lambda db, a: catalogue.create_tag(
        db, a.group_id, _model(m.TagCreate, id=a.new_id, **_tag(a)).model_dump()),
        opt("group_id", type=int), opt("--id", dest="new_id", type=int), *TAG_OPTIONS)
    tags.action("update", "rename, reorder or recolour a tag", lambda db, a: catalogue.update_tag(
        db, a.id, _changes(m.TagUpdate, **_tag(a))), ID, *TAG_OPTIONS)
    for retired, verb in ((True, "retire"), (False, "unretire")):
        groups.action(verb, f"{verb} a group", lambda db, a, r=retired: catalogue.set_group_retired(db, a.id, r), ID)
        tags.action(verb, f"{verb} a tag", lambda db, a, r=retired: catalogue.set_tag_retired(db, a.id, r), ID)


def _member_commands(areas: Any) -> None:
    area = _Area(areas, "members", "members: CSV import, edits, advisors, member codes")
    area.action("import", "upsert members from a CSV file (UTF-8, header row; all rows or none)", lambda db, a:
                imports.import_members(db, imports.decode_csv(Path(a.file).read_bytes()), skip_bad=a.skip_bad),
                opt("file"), opt("--skip-bad", action="store_true", help="import the good rows, report the bad ones"))
    area.action("edit", "change member fields", lambda db, a: members.edit_member(
        db, a.id, m.MemberEdit(**_settings(a.set)).model_dump(exclude_unset=True)),
        ID, opt("--set", action="append", required=True, metavar="FIELD=VALUE"))
    area.action("reassign", "give members to another advisor of their store", lambda db, a: members.reassign_members(
        db, **_model(m.Reassign, to_advisor=a.to, member_ids=a.members and _ids(a.members),
                     from_advisor=a.from_advisor).model_dump()),
        opt("--to", required=True), opt("--members", help="comma-separated member ids"),
        opt("--from", dest="from_advisor", help="instead of --members: all members of this advisor"))
    area.action("code", "issue a dynamic member code", lambda db, a: codes.issue_member_code(
        db, a.id, _model(m.CodeRequest, ttl_seconds=a.ttl).ttl_seconds), ID, opt("--ttl", type=int, help="seconds"))


def _task_commands(areas: Any) -> None:
    area = _Area(areas, "tasks", "push-tasks and their targets")
    member = opt("--member", action="append", required=True, metavar="ID[:ADVISOR]")
    area.action("list", "tasks with target counts", lambda db, a: tasks.list_tasks(db, a.store, a.status), STORE,
                opt("--status", choices=["pending", "in_progress", "done", "cancelled", "expired"]))
    area.action("create", "a task for one store with its targets", lambda db, a: tasks.create_task(db, _model(
        m.TaskCreate, store_code=a.store, title=a.title, kind=a.kind, priority=a.priority, script=a.script,
        start_date=a.start, due_date=a.due, assignee_id=a.assignee, targets=_targets(a.member)).model_dump()),
        opt("--store", required=True), opt("--title", required=True), opt("--kind"), opt("--priority", type=int),
        opt("--script"), opt("--start"), opt("--due"), opt("--assignee"), member)
    area.action("cancel", "cancel a task", lambda db, a: tasks.cancel_task(db, a.id), ID)
    area.action("add-targets", "add targets to a live task", lambda db, a: tasks.add_targets(
        db, a.id, [t.model_dump() for t in m.TargetsAdd(targets=_targets(a.member)).targets]), ID, member)
    area.action("remove-targets", "remove targets nobody worked on", lambda db, a: tasks.remove_targets(
        db, a.id, m.TargetsRemove(member_ids=_ids(a.member)).member_ids), ID,
        opt("--member", action="append", required=True, metavar="ID"))
    area.action("expire", "expire live tasks due before a day", lambda db, a: tasks.expire_overdue(
        db, _model(m.ExpireRequest, today=a.today).today), opt("--today", help="YYYY-MM-DD (default: today)"))


def _staff_commands(areas: Any) -> None:
    area = _Area(areas, "staff", "staff accounts")
    area.action("list", "staff accounts", lambda db, a: staff.list_staff(db, a.store), STORE)
    area.action("create", "open an account", lambda db, a: staff.create_staff(db, _model(
        m.StaffCreate, id=a.id, store_code=a.store, name=a.name, role=a.role, password=_password(a.password)
    ).model_dump()), opt("id"), opt("--store", help="none for hq_admin"), opt("--name", required=True),
        opt("--role", required=True, choices=["advisor", "cashier", "manager", "hq_admin"]),
        opt("--password", help="(asked for when left out)"))
    area.action("deactivate", "close an account and end its sessions", lambda db, a: staff.deactivate_staff(
        db, a.id), opt("id"))
    area.action("password", "set a new password (ends the sessions)", lambda db, a: staff.reset_password(
        db, a.id, m.PasswordReset(password=_password(a.password)).password), opt("id"), opt("--password"))


def _review_commands(areas: Any) -> None:
    by = opt("--by", default=f"cli:{os.environ.get('USER', 'operator')}", help="who decided (recorded on it)")
    area = _Area(areas, "corrections", "member corrections waiting for HQ review")
    area.action("list", "corrections by status", lambda db, a: reviews.list_corrections(db, a.status, a.store),
                opt("--status", default="submitted", choices=["submitted", "accepted", "rejected"]), STORE)
    area.action("accept", "apply the proposed value", lambda db, a: reviews.accept_correction(db, a.id, a.by),
                opt("id"), by)
    area.action("reject", "keep HQ's value", lambda db, a: reviews.reject_correction(
        db, a.id, a.by, m.CorrectionReject(reason=a.reason).reason), opt("id"), opt("--reason", required=True), by)
    area = _Area(areas, "leads", "leads (offline enrolments) waiting for HQ review")
    area.action("list", "leads with their same-phone members", lambda db, a: leads.list_leads(db, a.store), STORE)
    area.action("confirm", "keep a lead", lambda db, a: leads.confirm_lead(db, a.id, a.make_member), ID,
                opt("--make-member", action="store_true", help="also make them a full member"))
    area.action("merge", "merge a lead into the member it really is", lambda db, a: leads.merge_lead(
        db, a.id, m.LeadMerge(into=a.into).into), ID, opt("--into", type=int, required=True))


def add_admin_commands(subparsers: Any) -> None:
    """Called by hq.cli.build_parser: adds ``hq-server admin …``."""
    admin = subparsers.add_parser("admin", help="HQ admin tools (tag catalogue, members, tasks, staff, reviews)",
                                  description="HQ admin tools; the same operations as the /v1/admin API.")
    areas = admin.add_subparsers(dest="area", required=True, metavar="AREA")
    for add in (_catalogue_commands, _member_commands, _task_commands, _staff_commands, _review_commands):
        add(areas)
