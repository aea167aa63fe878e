"""Open an HQ database ready to serve: schema, the feed hook, the member-code keys and settings."""

from __future__ import annotations

import secrets

from associate_app.lookup.member_code import generate_signing_key
from hq.db import Database, open_database
from hq.feed import publish
from hq.render import PUBLISHED_SETTINGS
from hq.schema import create_schema, get_meta, set_meta


def open_hq(url: str) -> Database:
    """Open (creating if needed) the HQ database at ``url``; safe to call from several processes."""
    db = open_database(url)
    db.before_commit = publish
    create_schema(db)
    with db.write() as tx:
        if get_meta(tx, "member_code_private_key") is None:
            private_pem, public_b64 = generate_signing_key()
            set_meta(tx, "member_code_private_key", private_pem.decode("ascii"))
            set_meta(tx, "member_code_public_key", public_b64)
            set_meta(tx, "phone_hash_salt", secrets.token_hex(16))
            tx.touch("setting", *PUBLISHED_SETTINGS)
    return db
