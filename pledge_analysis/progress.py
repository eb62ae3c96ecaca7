"""Deprecated name of :mod:`pledge_analysis.rounds` (progress between review rounds); removed next release."""
from ._renamed import alias

__getattr__, __dir__ = alias(__name__, "pledge_analysis.rounds")
