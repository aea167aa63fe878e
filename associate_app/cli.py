"""The ``associate-app`` command.

Errors the core raises on purpose are printed as one clear line (exit 2); anything unexpected is
written in full to the log file and summarised with the log's path (exit 1): never a bare traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from associate_app import __version__
from associate_app.domain.vocabulary import Role
from associate_app.errors import AssociateError
from associate_app.logging_setup import configure_logging
from associate_app.paths import data_dir

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="associate-app", description="门店导购工作台 Store Associate Console")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--demo", action="store_true", help="run with generated demo data (a fresh demo store)")
    parser.add_argument("--members", type=int, default=2000, help="members in the demo store (default 2000)")
    parser.add_argument("--role", choices=[r.value for r in Role], default=Role.ADVISOR.value,
                        help="which demo account signs in")
    parser.add_argument("--text", action="store_true", help="with --demo: a text walk-through instead of the window")
    parser.add_argument("--screenshot", metavar="FILE", help="render the window to a PNG once it is ready, then exit")
    parser.add_argument("--view", help="with --screenshot: members, profile, tasks, task_work, follow_ups, "
                                       "rejections or lock")
    parser.add_argument("--language", choices=["zh_CN", "en"], help="the interface language for this run")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in (("sign-in", "sign in to HQ on this computer (the token goes to the keyring)"),
                       ("sync", "sync this computer's store database with HQ"),
                       ("sign-out", "sign out of HQ and forget the token")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--hq", help="HQ's address (saved in the settings by sign-in)")
        sub.add_argument("--store", help="store code, e.g. SH001")
        sub.add_argument("--staff", help="staff number, e.g. A001")
        if name != "sign-out":
            sub.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        if name == "sync":
            sub.add_argument("--once", action="store_true", required=True, help="run one cycle and exit")
            sub.add_argument("--progress", action="store_true", help="print progress to standard error")
    return parser


def _password(from_stdin: bool, required: bool) -> str | None:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not required:
        return None
    if not sys.stdin.isatty():
        raise AssociateError("No terminal to ask for the password: use --password-stdin.")
    import getpass

    return getpass.getpass("Password: ")


def run_command(args: argparse.Namespace) -> int:
    from associate_app.sync import headless

    if args.command == "sign-in":
        return headless.run_sign_in(args.hq, args.store, args.staff, _password(args.password_stdin, True) or "")
    if args.command == "sync":
        return headless.run_sync_once(args.hq, args.store, args.staff, show_progress=args.progress,
                                      password=_password(args.password_stdin, False))
    return headless.run_sign_out(args.hq, args.store, args.staff)


def main(argv: list[str] | None = None) -> int:
    from associate_app.sync.cycle_process import WORKER_FLAG, child_main

    if (sys.argv[1:] if argv is None else argv)[:1] == [WORKER_FLAG]:  # the frozen app as its own sync process
        return child_main()
    args = build_parser().parse_args(argv)
    log_path = configure_logging()
    try:
        if args.command:
            return run_command(args)
        if args.demo and not 10 <= args.members <= 500_000:
            raise AssociateError("--members must be between 10 and 500000.")
        if args.demo and args.text:
            from associate_app.demo.text_console import run

            return run(data_dir() / "demo" / "demo-store.db", args.members, Role(args.role))
        from associate_app.ui.app import run as run_console

        return run_console(args)
    except AssociateError as exc:
        print(f"associate-app: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error worth a word
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return 0
    except Exception:
        log.exception("unexpected error")
        where = f" Details are in {log_path}." if log_path else ""
        print(f"associate-app: an unexpected error stopped the program.{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
