"""Member lookup from one entry box: phone, last 4 digits, card, member code, name or pinyin.

Why it is built from tiers: a store caches up to a few hundred thousand members and the till needs
an answer at once. The text is classified first, then a fixed sequence of small indexed queries
("tiers") runs in ranking order — exact before partial, the actor's own members before others —
each with a LIMIT, and the search stops as soon as ``limit`` hits are in. Nothing scans a table and
nothing sorts more than a bounded set of matches; nothing a user types ever becomes SQL text.

Within a tier hits come in name order, which in a Chinese list is pinyin order (``members.name_sort``;
for a pinyin prefix: the matching key first, then the name). A name key such as "ly" can match
thousands of members, and ordering them all would need every one of their rows; a key tier therefore
orders at most ``KEY_CANDIDATES`` more candidates than it returns, which is exact whenever fewer
match. Likewise a short pinyin prefix spans tens of thousands of keys: the actor's own members are
sought among its first ``OWN_PREFIX_WINDOW`` keys only. When more members match than fit, the result
says so and asks the user to type more.

Errors versus empty results: an identifier that names one record (a card, a member code) raises a
typed error when it names nobody; a search (phone, last 4 digits, name, pinyin) that finds nobody
returns no hits with a message, because at the till that is the cue to enrol a quasi-member.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from associate_app import clock
from associate_app.domain.actor import Actor
from associate_app.domain.privacy import mask_phone, phone_hash, visible_phone
from associate_app.domain.validation import MOBILE, whole_number
from associate_app.errors import InvalidInput, InvalidPhone, UnknownCard, UnknownMember
from associate_app.lookup.member_code import LOOKS_LIKE_CODE, PUBLIC_KEY_STATE, verify_code
from associate_app.lookup.name_keys import is_han, normalise_name, sort_key, surname_reading
from associate_app.store.database import Store

PHONE_HASH_SALT = "phone_hash_salt"  # published by HQ (sync_state), for cashier devices

QUERY_KINDS = ("phone", "phone_last4", "card", "member_code", "name", "pinyin", "empty")
MAX_LIMIT = 200
KEY_CANDIDATES = 100  # members (beyond the page) a name-key tier orders by name at most: bounds its cost
OWN_PREFIX_WINDOW = 2000  # key entries an own-members pinyin-prefix tier looks through at most
_SEPARATORS = re.compile(r"[\s\-()]+")
_PINYIN_NOISE = re.compile(r"['’.·]+")
_DIGITS = re.compile(r"[0-9]+")
_CARD = re.compile(r"[0-9A-Za-z]+")
_COLUMNS = "m.id, m.name, m.phone, m.level, m.card_no, m.advisor_id, m.is_lead"


@dataclass(frozen=True)
class MemberHit:
    member_id: int
    name: str
    phone: str | None  # as this actor may see it: masked for cashiers
    level: str
    card_no: str | None
    is_own: bool  # one of the actor's own members (advisor_id = actor.staff_id)
    match: str  # "exact" | "partial"
    is_lead: bool


@dataclass(frozen=True)
class LookupResult:
    query_kind: str  # one of QUERY_KINDS
    hits: tuple[MemberHit, ...]
    message: str | None = None  # why nothing was found, or that more matched than are shown


@dataclass(frozen=True)
class Query:
    """What the typed text was taken to be, and its normal form."""

    kind: str
    value: str


@dataclass(frozen=True)
class _Tier:
    match: str
    own: bool  # an own-members tier: skipped for an actor who owns nobody
    sql: str  # selects _COLUMNS rows in ranking order
    params: dict  # besides these: :me, :n (rows wanted), :cap (key candidates at most), :upto (see bound)
    bound: str | None = None  # computes :upto, the end of a prefix's window (None: the window is the whole range)


def classify(text: str) -> Query:
    """Decide what the entry box holds; InvalidInput / InvalidPhone when it can be nothing we look up."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return Query("empty", "")
    if LOOKS_LIKE_CODE.match(raw):  # before separators go: base64url signatures contain '-'
        return Query("member_code", raw)
    compact = _SEPARATORS.sub("", raw)
    digits = _without_country_code(compact, text)
    if _DIGITS.fullmatch(digits):
        if len(digits) == 11:
            if not MOBILE.match(digits):
                raise InvalidPhone(f"“{text}” is not a mainland mobile number (11 digits starting 13–19).",
                                   value=text)
            return Query("phone", digits)
        if len(digits) == 4:
            return Query("phone_last4", digits)
        if len(digits) < 4:
            raise _not_searchable(text)
        return Query("card", digits)
    if _CARD.fullmatch(compact) and not compact.isalpha():
        return Query("card", compact)
    if any(is_han(ch) for ch in compact):
        return Query("name", compact)
    pinyin = _PINYIN_NOISE.sub("", compact).lower().replace("ü", "v")
    if pinyin.isalpha():
        return Query("pinyin", pinyin)
    raise _not_searchable(text)


def lookup(store: Store, actor: Actor, text: str, *, limit: int = 20) -> LookupResult:
    """Members matching what was typed, best first; raises for bad codes, unknown cards, invalid input."""
    whole_number(limit, "limit", 1, MAX_LIMIT)
    query = classify(text)
    if query.kind == "empty":
        return LookupResult("empty", ())
    if query.kind == "member_code":
        return _by_member_code(store, actor, query)
    if query.kind == "card":
        return _by_card(store, actor, query, text)
    tiers = (_phone_tiers(query.value, store.get_state(PHONE_HASH_SALT)) if query.kind == "phone"
             else _TIER_BUILDERS[query.kind](query.value))
    hits = _run_tiers(store, actor, tiers, limit + 1)
    if len(hits) > limit:
        return LookupResult(query.kind, tuple(hits[:limit]),
                            f"More than {limit} members match; type more to narrow the list.")
    message = None if hits else _nobody(actor, query)
    return LookupResult(query.kind, tuple(hits), message)


def _by_member_code(store: Store, actor: Actor, query: Query) -> LookupResult:
    member_id = verify_code(store.get_state(PUBLIC_KEY_STATE), query.value, clock.now())
    row = store.one(f"SELECT {_COLUMNS} FROM members AS m WHERE m.id = ?", (member_id,))
    if row is None:
        raise UnknownMember(f"The member code is genuine, but member {member_id} is not on this device yet; "
                            "sync, or look the member up by phone.", member_id=member_id)
    return LookupResult("member_code", (_hit(actor, row, "exact"),))


def _by_card(store: Store, actor: Actor, query: Query, text: str) -> LookupResult:
    row = store.one(f"SELECT {_COLUMNS} FROM members AS m WHERE m.card_no IN (?, ?)",
                    (query.value, query.value.upper()))
    if row is not None:
        return LookupResult("card", (_hit(actor, row, "exact"),))
    if _DIGITS.fullmatch(query.value) and len(query.value) <= 10:
        raise _not_searchable(text)  # too short for a card, wrong length for a phone: say what fits
    raise UnknownCard(f"No member has the card number {query.value}; check the number or look up by phone.",
                      card_no=query.value)


def _run_tiers(store: Store, actor: Actor, tiers: list[_Tier], wanted: int) -> list[MemberHit]:
    """Run tiers in ranking order until ``wanted`` distinct members are found."""
    hits: list[MemberHit] = []
    seen: set[int] = set()
    owns_members: bool | None = None
    for tier in tiers:
        if tier.own:
            if owns_members is None:
                owns_members = store.scalar("SELECT 1 FROM members WHERE advisor_id = ? LIMIT 1",
                                            (actor.staff_id,)) is not None
            if not owns_members:
                continue
        # members already found may come back from a later tier: ask for enough to fill the page regardless
        params = {**tier.params, "me": actor.staff_id, "n": wanted, "cap": KEY_CANDIDATES + wanted}
        if tier.bound:
            params["upto"] = store.scalar(tier.bound, params) or params["hi"]
        for row in store.all(tier.sql, params):
            if row["id"] not in seen:
                seen.add(row["id"])
                hits.append(_hit(actor, row, tier.match))
        if len(hits) >= wanted:
            break
    return hits[:wanted]


def _member_tiers(match: str, where: str, params: dict, *, order: str = "m.name_sort, m.id") -> list[_Tier]:
    """An own and an others tier over the members table, each in name (pinyin) order."""
    sql = f"SELECT {_COLUMNS} FROM members AS m WHERE {where} AND m.advisor_id {{}} ORDER BY {order} LIMIT :n"
    return [_Tier(match, True, sql.format("= :me"), params), _Tier(match, False, sql.format("IS NOT :me"), params)]


def _key_tiers(match: str, condition: str, params: dict, *, prefix: bool) -> list[_Tier]:
    """An own and an others tier over member_keys: at most :cap candidates each, in key order, then name order."""
    own = f"SELECT key, member_id FROM member_keys WHERE {condition} AND advisor_id = :me LIMIT :cap"
    bound = None
    if prefix:  # a short prefix spans many keys: own members are sought among its first :window entries only
        bound = f"SELECT key FROM member_keys WHERE {condition} LIMIT 1 OFFSET :window"
        own = "SELECT key, member_id FROM member_keys WHERE key > :q AND key < :upto AND advisor_id = :me LIMIT :cap"
    others = f"SELECT key, member_id FROM member_keys WHERE {condition} AND advisor_id != :me LIMIT :cap"
    # one key has one entry per member; a prefix may reach a member through two keys: keep the first
    candidates = "SELECT member_id, min(key) AS key FROM ({}) GROUP BY member_id" if prefix else "{}"
    template = (f"SELECT {_COLUMNS} FROM ({candidates}) AS cand JOIN members AS m ON m.id = cand.member_id "
                "ORDER BY cand.key, m.name_sort, m.id LIMIT :n")
    bounds = {**params, "window": OWN_PREFIX_WINDOW}
    own_tier = _Tier(match, True, template.format(own), bounds, bound)
    return [own_tier, _Tier(match, False, template.format(others), bounds)]


def _phone_tiers(phone: str, salt: str | None = None) -> list[_Tier]:
    """The full number; on a cashier's device, whose cache holds masked numbers, the salted hash HQ sent
    (an exact match without the number ever being stored); then the masked form, 138****5678."""
    hashed = _member_tiers("exact", "m.phone_hash = :h", {"h": phone_hash(salt, phone)}) if salt else []
    return (_member_tiers("exact", "m.phone = :q", {"q": phone}) + hashed
            + _member_tiers("partial", "m.phone = :q", {"q": mask_phone(phone)}))



def _last4_tiers(last4: str) -> list[_Tier]:
    return _member_tiers("exact", "m.phone_last4 = :q", {"q": last4})


def _name_tiers(name: str) -> list[_Tier]:
    """Exact name; then a surname's names (one character) or members with the text in their name."""
    key = normalise_name(name)
    # a name's sort key is derived from it alone: with it an own member is one seek of (advisor_id, name_sort)
    exact = _member_tiers("exact", "m.name_sort = :sort AND m.name = :q", {"q": name, "sort": sort_key(name)})
    if len(key) > 1:
        return exact + _key_tiers("partial", "key = :q", {"q": key}, prefix=False)
    # Names under a surname, in pinyin order: they sort under its reading ("wang " for 王). A name that
    # sorts elsewhere (a compound surname read differently, a name mixing scripts) comes last, from the
    # name index itself, so the set is complete either way.
    reading = surname_reading(key) + " "
    surname = {"q": key, "hi": _after(key), "lo": reading, "sort_hi": _after(reading)}
    by_pinyin = "m.name_sort >= :lo AND m.name_sort < :sort_hi AND m.name > :q AND m.name < :hi"
    return (exact + _member_tiers("partial", by_pinyin, surname)
            + _member_tiers("partial", "m.name > :q AND m.name < :hi", surname, order="m.name, m.id"))


def _pinyin_tiers(pinyin: str) -> list[_Tier]:
    """A whole key (full pinyin, initials, given name); then keys that start with the text (2+ letters)."""
    exact = _key_tiers("exact", "key = :q", {"q": pinyin}, prefix=False)
    if len(pinyin) < 2:
        return exact
    return exact + _key_tiers("partial", "key > :q AND key < :hi", {"q": pinyin, "hi": _after(pinyin)}, prefix=True)


_TIER_BUILDERS = {"phone_last4": _last4_tiers, "name": _name_tiers, "pinyin": _pinyin_tiers}


def _hit(actor: Actor, row: dict, match: str) -> MemberHit:
    return MemberHit(
        member_id=row["id"], name=row["name"], phone=visible_phone(actor, row["phone"]), level=row["level"],
        card_no=row["card_no"], is_own=row["advisor_id"] == actor.staff_id, match=match, is_lead=bool(row["is_lead"]),
    )


def _nobody(actor: Actor, query: Query) -> str:
    if query.kind == "phone":
        return f"No member has the phone number {visible_phone(actor, query.value)}."
    if query.kind == "phone_last4":
        return f"No member's phone number ends in {query.value}."
    if query.kind == "name":
        return f"No member's name matches “{query.value}”."
    if len(query.value) < 2:
        return "Type at least two letters of the pinyin."
    return f"No member's name matches the pinyin “{query.value}”."


def _after(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (a range's upper bound)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _without_country_code(compact: str, text: str) -> str:
    """+86 / 0086 dropped from a phone number; another country's number is refused, not searched."""
    if compact.startswith("+"):
        if not (compact.startswith("+86") and _DIGITS.fullmatch(compact[3:])):
            raise InvalidPhone(f"“{text}” is not a mainland mobile number (11 digits starting 13–19).", value=text)
        return compact[3:]
    if compact.startswith("0086") and len(compact) == 15:
        return compact[4:]
    return compact


def _not_searchable(text: str) -> InvalidInput:
    return InvalidInput(
        f"“{text}” is not something to look a member up by: type an 11-digit phone number, its last 4 digits, "
        "a card number, a name or its pinyin, or scan the member code.",
        value=text,
    )
