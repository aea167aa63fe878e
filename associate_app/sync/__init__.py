"""The sync engine: pushes the outbox to HQ and pulls HQ's changes (docs/sync-protocol.md). No Qt here."""
