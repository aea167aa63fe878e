"""Domain operations: what store staff do to members, tags, tasks and interactions, offline.

Each operation validates its input and the actor's role, writes its change together with its
outbox entry in one transaction, and returns a small result object the UI can render.
"""
