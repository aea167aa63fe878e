"""The reference HQ server: the chain's side of the sync protocol (docs/sync-protocol.md).

A real, runnable FastAPI service on SQLite or PostgreSQL, used by the console's demo and by every
sync test, and the contract a retailer's own CRM can implement.
"""
