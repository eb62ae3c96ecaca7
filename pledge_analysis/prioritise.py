"""Renamed :mod:`pledge_analysis.priorities`: the module had the name of the function it exports, so
``pledge_analysis.prioritise`` was the module once anything imported it by path (a run does)."""
from ._renamed import alias

__getattr__, __dir__ = alias(__name__, "pledge_analysis.priorities")
