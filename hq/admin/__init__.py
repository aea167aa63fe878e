"""HQ's own operations on its data (what the chain's CRM staff do), shared by the admin API and CLI.

Each operation is one write transaction that touches what it changed, so devices receive it.
"""
