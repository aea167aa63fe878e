"""Store Associate Console (门店导购工作台).

The package is split like Anki's: a Qt-free core (``store``, ``domain``, ``lookup``, ``sync``)
that is tested without a display, and a thin Qt layer in ``ui`` that depends on the core and
never the other way round.
"""

__version__ = "0.1.0"
