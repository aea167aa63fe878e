"""The app's options: one typed, validated record, kept in a plain INI file the Qt UI also reads.

The file is written the way ``QSettings(path, QSettings.IniFormat)`` writes it (sections ``[sync]`` and
``[ui]``, QSettings' quoting and escaping), so core and UI agree on every value; keys this module does not
know (window geometry...) are kept on save. A bad value never stops the app: ``load`` falls back to the
default and says which key and value it ignored. Secrets never go here (see ``credentials``).
"""

from __future__ import annotations

import configparser
import ipaddress
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from associate_app import paths
from associate_app.errors import InvalidInput, StorageError

LANGUAGES = ("zh_CN", "en")
SECTIONS = {
    "sync": ("hq_url", "store_code", "staff_no", "device_name", "sync_interval_seconds", "ca_bundle"),
    "ui": ("language", "auto_lock_minutes", "checkout_reset_seconds"),
}
_SECTION_OF = {key: section for section, keys in SECTIONS.items() for key in keys}
_LOOPBACK_NAMES = ("localhost",)


def settings_file() -> Path:
    return paths.data_dir() / "settings.ini"


def validate_hq_url(text: str) -> str:
    """``https://host[:port][/path]`` (plain ``http://`` only on this computer), normalised, no trailing slash."""
    value = text.strip()

    def refuse(why: str) -> InvalidInput:
        return InvalidInput(f"The HQ address {value!r} is not usable: {why}.", field="hq_url", value=value)

    if not value or any(c.isspace() or not c.isprintable() for c in value):
        raise refuse("it is empty or contains spaces")
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise refuse("it is malformed") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.netloc:
        raise refuse("it must start with https:// followed by the HQ server's name")
    if "@" in parts.netloc or parts.query or parts.fragment or value.endswith(("?", "#")):
        raise refuse("it must not contain a user name, '?' or '#'")
    try:
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError) as exc:
        raise refuse("the server name or port is malformed") from exc
    if not host or (port is not None and port == 0):
        raise refuse("the server name or port is malformed")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
        labels = host.removesuffix(".").split(".")
        if not all(label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii()
                   and not label.startswith("-") and not label.endswith("-") for label in labels):
            raise refuse("the server name is malformed") from None
    if scheme == "http" and not (host in _LOOPBACK_NAMES or (address is not None and address.is_loopback)):
        raise refuse("plain http:// is only allowed for this computer (127.0.0.1, ::1, localhost); use https://")
    netloc = f"[{host}]" if address is not None and address.version == 6 else host
    if port is not None:
        netloc += f":{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def normalise_code(value: str, field: str = "store_code") -> str:
    """Store codes and staff numbers: upper-cased, and the same characters a profile file name allows."""
    code = str(value).strip().upper()
    if code:
        try:
            paths.profile_db(code)  # the one place that defines a safe code
        except ValueError:
            raise InvalidInput(f"{field} must be 1-32 letters, digits, '-' or '_', not {value!r}.",
                               field=field, value=value) from None
    return code


def _whole_number(field: str, low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise InvalidInput(f"{field} must be a whole number from {low} to {high}, not {value!r}.",
                               field=field, value=value)
        return number
    return check


def _language(value: Any) -> str:
    wanted = str(value).strip().replace("-", "_").lower()
    for language in LANGUAGES:
        if language.lower() == wanted:
            return language
    raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}.", field="language", value=value)


def _device_name(value: Any) -> str:
    name = str(value).strip()
    if len(name) > 64 or not name.isprintable():
        raise InvalidInput(f"device_name must be at most 64 printable characters, not {value!r}.",
                           field="device_name", value=value)
    return name


def _ca_bundle(value: Any) -> str:
    if not str(value).strip():
        return ""
    path = Path(str(value).strip()).expanduser()
    if not path.is_absolute() or not path.is_file() or not str(path).isprintable():
        raise InvalidInput(f"ca_bundle must be the full path of an existing certificate file, not {value!r}.",
                           field="ca_bundle", value=value)
    return str(path)


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "hq_url": lambda v: validate_hq_url(v) if str(v).strip() else "",
    "store_code": lambda v: normalise_code(v, "store_code"),
    "staff_no": lambda v: normalise_code(v, "staff_no"),
    "device_name": _device_name,
    "sync_interval_seconds": _whole_number("sync_interval_seconds", 30, 3600),
    "ca_bundle": _ca_bundle,
    "language": _language,
    "auto_lock_minutes": _whole_number("auto_lock_minutes", 0, 240),
    "checkout_reset_seconds": _whole_number("checkout_reset_seconds", 0, 600),
}


@dataclass(frozen=True)
class Options:
    """Every option, always valid: construction normalises each value or raises ``InvalidInput``."""

    hq_url: str = ""  # "" = not set up yet
    store_code: str = ""
    staff_no: str = ""
    device_name: str = ""  # "" = let the app use the computer's name
    sync_interval_seconds: int = 300
    language: str = "zh_CN"
    auto_lock_minutes: int = 10  # 0 = never
    checkout_reset_seconds: int = 20  # checkout clears itself for the next customer after this idle time; 0 = never
    ca_bundle: str = ""  # "" = the system's certificate authorities

    def __post_init__(self) -> None:
        for name, check in _CHECKS.items():
            object.__setattr__(self, name, check(getattr(self, name)))

    @property
    def is_set_up(self) -> bool:
        return bool(self.hq_url and self.store_code and self.staff_no)

    @property
    def database_path(self) -> Path:
        if not self.store_code:
            raise InvalidInput("No store code is set up yet, so there is no store database.", field="store_code")
        return paths.profile_db(self.store_code)

    @property
    def tls_verify(self) -> str | bool:
        """What ``requests`` takes as ``verify=``: the retailer's CA file, or True for the system's."""
        return self.ca_bundle or True


class LoadedOptions(NamedTuple):
    options: Options
    problems: list[str]


_DEFAULTS = Options()


def load(path: Path | None = None) -> LoadedOptions:
    """Read the file; every unreadable or invalid value becomes its default plus one problem line."""
    path = path or settings_file()
    parser = _parser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeError, configparser.Error) as exc:
        return LoadedOptions(_DEFAULTS, [f"{path} could not be read ({type(exc).__name__}); all defaults are used."])
    values: dict[str, Any] = {}
    problems: list[str] = []
    for field in fields(Options):
        section = _SECTION_OF[field.name]
        raw = parser.get(section, field.name, fallback=None)
        if raw is None:
            continue
        try:
            values[field.name] = _CHECKS[field.name](_ini_decode(raw))
        except (ValueError, InvalidInput) as exc:
            why = exc.message if isinstance(exc, InvalidInput) else f"{raw!r} cannot be read: {exc}."
            default = getattr(_DEFAULTS, field.name)
            problems.append(f"[{section}] {field.name}: {why} The default {default!r} is used instead.")
    return LoadedOptions(Options(**values), problems)


def save(options: Options, path: Path | None = None) -> None:
    """Write atomically (temp file, fsync, ``os.replace``), keeping any keys other code put in the file."""
    path = path or settings_file()
    parser = _parser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeError, configparser.Error):
        parser = _parser()  # unreadable: load() already reported it; start afresh
    for field in fields(Options):
        section = _SECTION_OF[field.name]
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, field.name, _ini_encode(str(getattr(options, field.name))))
    temp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            parser.write(out, space_around_delimiters=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        raise StorageError(f"The settings could not be saved to {path}: {exc.strerror or exc}.") from exc
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def _parser() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, default_section="\0none")  # QSettings has no DEFAULT
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive in QSettings
    return parser


def _ini_encode(value: str) -> str:
    """QSettings' escaping for a plain string: backslash and quote escaped; quoted if it has , ; = or edge spaces."""
    text = ("@" + value if value.startswith("@") else value).replace("\\", "\\\\").replace('"', '\\"')
    if any(c in value for c in ",;=") or value != value.strip():
        text = f'"{text}"'
    return text


def _ini_decode(raw: str) -> str:
    """Read a value as QSettings does (quotes, \\\\ and \\", ';' comment); refuse what it would not read as text."""
    chars: list[str] = []
    quoted, kept = False, 0  # kept: chars that a trailing trim must not remove (quoted or escaped)
    stream = iter(raw.strip())
    for ch in stream:
        if ch == '"':
            quoted, kept = not quoted, len(chars)
        elif ch == "\\":
            escaped = next(stream, "")
            if escaped not in ('\\', '"'):
                raise ValueError("a backslash must be written as \\\\ (or use / in paths)")
            chars.append(escaped)
            kept = len(chars)
        elif ch == ";" and not quoted:
            break
        elif ch == "," and not quoted:
            raise ValueError("a value with a comma must be in double quotes")
        else:
            chars.append(ch)
            kept = len(chars) if quoted else kept
    if quoted:
        raise ValueError("a double quote is not closed")
    text = "".join(chars[:kept]) + "".join(chars[kept:]).rstrip()
    if text.startswith("@@"):
        return text[1:]
    if text.startswith("@") and text.endswith(")"):
        raise ValueError("a typed value (@...) is not a plain text setting")
    return text
