"""The Qt console: a thin layer over the Qt-free core (``domain``, ``lookup``, ``sync``, ``session``)."""
