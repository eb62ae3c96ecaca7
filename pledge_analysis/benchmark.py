"""Deprecated name of :mod:`pledge_analysis.cross_site` (learning across hospitals); removed next release."""
from ._renamed import alias

__getattr__, __dir__ = alias(__name__, "pledge_analysis.cross_site")
