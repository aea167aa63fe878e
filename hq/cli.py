"""``hq-server``: run the reference HQ, fill it with demo data, and administer it.

    hq-server serve --database sqlite:///hq.db --host 127.0.0.1 --port 8400
    hq-server seed  --database sqlite:///hq.db --members 300
    hq-server admin --database URL …      (tag groups, members, tasks, reviews: see --help)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from hq.seed import DEMO_PASSWORD

DEFAULT_DATABASE = os.environ.get("HQ_DATABASE", "sqlite:///hq.db")


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hq.service import open_hq

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    open_hq(args.database).close()  # create or check the schema once, before any worker starts
    os.environ["HQ_DATABASE"] = args.database
    os.environ["HQ_HOUSEKEEPING_SECONDS"] = str(args.housekeeping_seconds)
    scheme = "https" if args.tls_cert else "http"
    print(f"HQ serving {args.database.split('@')[-1]} on {scheme}://{args.host}:{args.port} "
          f"with {args.workers} worker process(es)", flush=True)
    uvicorn.run("hq.app:app_from_environment", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level="info", access_log=args.access_log, ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    return 0


def _seed(args: argparse.Namespace) -> int:
    from hq.seed import seed
    from hq.service import open_hq

    db = open_hq(args.database)
    with db.read() as tx:
        if tx.scalar("SELECT count(*) FROM stores"):
            print("this HQ database already has stores; seed an empty one", file=sys.stderr)
            return 2
    report = seed(db, members=args.members, stores=args.stores, password=args.password,
                  progress=(lambda m: print(m, file=sys.stderr)) if args.verbose else None)
    print(f"Seeded {len(report.stores)} stores, {report.members} members ({report.member_tags} member tags), "
          f"{report.tasks} tasks with {report.targets} targets.")
    print(f"Demo password for every account below (shown once): {report.password}")
    for person in report.staff:
        print(f"  {person['store_code']:6} {person['id']:6} {person['role']:9} {person['name']}")
    from hq.admin.codes import MAX_TTL, issue_member_code

    with db.read() as tx:
        sample = [r[0] for r in tx.all("SELECT id FROM members WHERE store_code = ? ORDER BY id LIMIT 3",
                                       (report.stores[0],))]
    print("Member codes to try at a till (what the member's mini-program shows; valid for a day):")
    for member_id in sample:
        issued = issue_member_code(db, member_id, MAX_TTL)
        print(f"  {member_id}  {issued['code']}")
    return 0


def _rotate_epoch(args: argparse.Namespace) -> int:
    from hq.maintenance import rotate_epoch
    from hq.service import open_hq

    print(f"New feed epoch {rotate_epoch(open_hq(args.database))}: every device will download again "
          "(keeping its unsent changes).")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from hq.maintenance import purge_tombstones
    from hq.service import open_hq

    deleted, through = purge_tombstones(open_hq(args.database))
    print(f"Deleted {deleted} tombstones; devices with a cursor older than {through} will download again.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hq-server", description="The reference HQ for the Store Associate Console")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--database", default=DEFAULT_DATABASE, help="sqlite:///path.db or postgresql://…")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8400)
    serve.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    serve.add_argument("--tls-key", help="the certificate's private key (PEM)")
    serve.add_argument("--access-log", action="store_true")
    serve.add_argument("--workers", type=int, default=1, help="server processes (each uses one core)")
    serve.add_argument("--housekeeping-seconds", type=float, default=600.0,
                       help="how often to expire overdue tasks and drop stale sign-in records")
    serve.set_defaults(func=_serve)
    seed = sub.add_parser("seed", help="fill an empty database with a demo chain")
    seed.add_argument("--database", default=DEFAULT_DATABASE)
    seed.add_argument("--members", type=int, default=300, help="members of the first store (others get a third)")
    seed.add_argument("--stores", type=int, default=3, choices=range(1, 4))
    seed.add_argument("--password", default=DEMO_PASSWORD, help=f"the demo password (default: {DEMO_PASSWORD})")
    seed.add_argument("--verbose", action="store_true")
    seed.set_defaults(func=_seed)
    rotate = sub.add_parser("rotate-epoch", help="after restoring a backup: make every device download again")
    rotate.add_argument("--database", default=DEFAULT_DATABASE)
    rotate.set_defaults(func=_rotate_epoch)
    purge = sub.add_parser("purge-tombstones", help="drop deletion markers; devices that were away re-download")
    purge.add_argument("--database", default=DEFAULT_DATABASE)
    purge.set_defaults(func=_purge)
    try:
        from hq.admin_cli import add_admin_commands
    except ImportError:  # pragma: no cover - until the admin CLI exists
        pass
    else:
        add_admin_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one readable line, not a traceback, for the operator
        logging.getLogger("hq").debug("failed", exc_info=True)
        print(f"hq-server: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
