"""Funnel plot limits and CPES expected ranges for proportions.

:func:`funnel` follows Spiegelhalter (2005) as implemented for proportions in NHS-R's
FunnelPlotR: on the arcsine-square-root scale ``y = asin(sqrt(p))`` with standard error
``s = 1 / (2 sqrt(n))``; z-scores winsorised at 10% / 90%; dispersion ``phi = mean(z^2)``; when
``phi > 1`` the DerSimonian-Laird between-unit variance

    tau^2 = max(0, (k phi - (k - 1)) / (sum w - sum w^2 / sum w)),  w = 1 / s^2

widens the limits ``sin^2(y0 +/- z_alpha sqrt(s^2 + tau^2))``. A supplied ``target`` (e.g. the
national score) and a supplied ``tau2`` override the estimates.

**Few units.** tau^2 is estimated from the units themselves only when there are at least
``min_units`` (20) of them, or when ``overdispersion=True`` says so. With a handful of
hospitals against an external target, a shortfall that every one of them shares would be
absorbed as "overdispersion" and nobody flagged (six sites 6-9 points below 0.80 at n ~240
all read "within"); so with few units the limits are binomial unless a ``tau2`` is supplied,
for example one estimated from the national distribution of trusts
(:func:`pledge_analysis.survey.trust_funnel` shows it in its ``tau2`` column). ``tau2_source``
says which applied.

**Two tables.** :func:`funnel` keeps one row per unit (columns :data:`pledge_analysis.schema.FUNNEL`):
its ``estimate`` with its own 95% interval ``ci_low``/``ci_high``, ``z``, and its flag at both
levels, ``flag95`` and ``flag998``; ``flag`` repeats the *headline* level (95% unless
``headline=0.998``) and the ``headline`` column names it. :func:`funnel_limits` gives the control
limits in long form (:data:`pledge_analysis.schema.FUNNEL_LIMITS`): one row per unit (or size on a
grid, for drawing the funnel) and ``level``, with ``limit_low``/``limit_high``. (Earlier releases
put the limits on the unit's row as ``lower95, upper95, lower998, upper998``.)

>>> import pandas as pd
>>> f = funnel(pd.DataFrame({"site": ["A"], "n": [100], "estimate": [0.6]}), target=0.5, overdispersion=False)
>>> f["flag"].iloc[0], round(float(f["ci_low"].iloc[0]), 4)
('above', 0.502)
>>> lim = funnel_limits(f, unit="site")
>>> lim[["unit", "level"]].values.tolist(), round(float(lim["limit_high"].iloc[0]), 4)
([['A', 0.95], ['A', 0.998]], 0.5974)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import schema
from ..errors import InputError


def _winsorise(z: np.ndarray, fraction: float) -> np.ndarray:
    lo, hi = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, lo, hi)


def dispersion(y: np.ndarray, s: np.ndarray, y0: float, *, winsorise: float = 0.1) -> tuple[float, float]:
    """``(phi, tau2)`` for unit estimates ``y`` with standard errors ``s`` around target ``y0``."""
    z = (y - y0) / s
    zw = _winsorise(z, winsorise) if winsorise else z
    k = len(z)
    phi = float(np.mean(zw ** 2))
    w = 1 / s ** 2
    denom = w.sum() - (w ** 2).sum() / w.sum()
    tau2 = max(0.0, (k * phi - (k - 1)) / denom) if phi > 1 and denom > 0 else 0.0
    return phi, float(tau2)


MIN_UNITS_TAU2 = 20


def _tag(level: float) -> str:
    return f"{level * 100:g}".replace(".", "")


def _limits(target, n, tau2, level: float) -> tuple[np.ndarray, np.ndarray]:
    """``sin^2(y0 -/+ z_level sqrt(s^2 + tau2))``, ``s = 1 / (2 sqrt(n))``: the limits at ``level`` (arrays)."""
    y0 = np.arcsin(np.sqrt(np.asarray(target, dtype=float)))
    s = 1 / (2 * np.sqrt(np.asarray(n, dtype=float)))
    half = stats.norm.ppf(1 - (1 - level) / 2) * np.sqrt(s ** 2 + np.asarray(tau2, dtype=float))
    return np.sin(np.clip(y0 - half, 0, np.pi / 2)) ** 2, np.sin(np.clip(y0 + half, 0, np.pi / 2)) ** 2


def funnel(df: pd.DataFrame, *, n: str = "n", estimate: str = "estimate", target: float | None = None,
           tau2: float | None = None, overdispersion: bool | None = None, winsorise: float = 0.1,
           levels: tuple[float, ...] = (0.95, 0.998), headline: float = 0.95,
           min_units: int = MIN_UNITS_TAU2) -> pd.DataFrame:
    """Funnel position of each unit (row) of ``df``: one row per unit, ``df``'s columns first.

    Adds (:data:`pledge_analysis.schema.FUNNEL`) ``ci_low, ci_high`` (the unit's own 95% interval:
    kept when ``df`` has both, else Wilson from ``n`` and ``estimate``), ``target, phi, tau2,
    tau2_source, z``, a flag per level ``flag95`` / ``flag998`` (``above``, ``within`` or ``below``);
    ``flag`` is the flag at the ``headline`` level, named in ``headline`` (e.g. ``"95%"``).
    Estimates are fractions in [0, 1]. The limits behind the flags are :func:`funnel_limits`.
    An empty ``df`` gives an empty table with these columns.

    ``overdispersion``: ``None`` (default) estimates tau^2 only with at least ``min_units``
    units; ``True`` estimates it whatever the number (as FunnelPlotR); ``False`` never. A
    supplied ``tau2`` is used as given.
    """
    if n not in df.columns or estimate not in df.columns:
        raise InputError(f"funnel needs columns {n!r} and {estimate!r}; found {list(df.columns)}",
                         hint="Pass n= and estimate= naming your columns.")
    out = df.copy()
    if not len(out):
        for c in schema.FUNNEL:
            if c not in out.columns:
                out[c] = pd.Series(dtype=object if c in ("tau2_source", "headline") or c.startswith("flag")
                                   else float)
        return out
    nn = out[n].to_numpy(dtype=float)
    p = out[estimate].to_numpy(dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise InputError("funnel estimates must be fractions in [0, 1] (percentages? divide by 100)",
                         column=estimate)
    if target is None:
        target = float(np.sum(p * nn) / np.sum(nn))
    y0 = np.arcsin(np.sqrt(target))
    y = np.arcsin(np.sqrt(p))
    s = 1 / (2 * np.sqrt(nn))
    if headline not in levels:
        raise InputError(f"funnel headline level {headline} is not among levels {levels}",
                         hint="Pass headline= one of the levels (0.95 or 0.998).")
    k = len(out)
    phi, tau2_est = dispersion(y, s, y0, winsorise=winsorise) if k > 2 else (np.nan, 0.0)
    estimate_tau2 = overdispersion if overdispersion is not None else k >= min_units
    if tau2 is not None:
        use_tau2, source = float(tau2), "supplied"
    elif not estimate_tau2:
        use_tau2 = 0.0
        source = ("none (overdispersion=False)" if overdispersion is False
                  else f"none: {k} units, fewer than {min_units} (supply tau2)")
    elif k <= 2 or not tau2_est > 0:
        use_tau2, source = 0.0, f"none: no overdispersion among {k} units (phi {phi:.2f})"
    else:
        use_tau2, source = tau2_est, f"estimated from {k} units"
    if not {"ci_low", "ci_high"} <= set(out.columns):
        from .scoring import wilson_ci

        out["ci_low"], out["ci_high"] = wilson_ci(p * nn, nn)
    out["target"] = target
    out["phi"] = phi
    out["tau2"] = use_tau2
    out["tau2_source"] = source
    out["z"] = (y - y0) / np.sqrt(s ** 2 + use_tau2)
    for level in levels:
        low, high = _limits(target, nn, use_tau2, level)
        out[f"flag{_tag(level)}"] = np.where(p > high, "above", np.where(p < low, "below", "within"))
    out["flag"] = out[f"flag{_tag(headline)}"]
    out["headline"] = f"{headline * 100:g}%"
    return out


def funnel_limits(f: pd.DataFrame, *, unit: str | None = None, n: str = "n",
                  levels: tuple[float, ...] = (0.95, 0.998)) -> pd.DataFrame:
    """The funnel's control limits in long form: one row per row of ``f`` and level.

    ``f`` has ``n``, ``target`` and ``tau2`` columns: a :func:`funnel` table (one row per unit,
    possibly several funnels concatenated: each row uses its own target and tau^2), or a grid of
    sizes to draw the funnel, e.g. ``pd.DataFrame({"n": range(20, 500), "target": 0.8, "tau2": 0})``.
    ``unit`` names the column that identifies a row (e.g. ``"site"``); without it ``unit`` is the
    row's index label. Columns :data:`pledge_analysis.schema.FUNNEL_LIMITS`: ``unit, n, level, target,
    tau2, limit_low, limit_high``, ordered by row then level.
    """
    need = [c for c in (n, "target", "tau2") + ((unit,) if unit else ()) if c not in f.columns]
    if need:
        raise InputError(f"funnel_limits needs column(s) {need}; found {list(f.columns)}",
                         hint="Pass the table returned by survey.funnel (or n, target and tau2 columns), "
                              "and unit= naming a column it has.")
    units = (f[unit] if unit else pd.Series(f.index, index=f.index)).to_numpy(dtype=object)
    parts = []
    for level in levels:
        low, high = _limits(f["target"], f[n], f["tau2"], level)
        parts.append(pd.DataFrame({"unit": units, "n": f[n].to_numpy(dtype=float), "level": float(level),
                                   "target": f["target"].to_numpy(dtype=float),
                                   "tau2": f["tau2"].to_numpy(dtype=float), "limit_low": low, "limit_high": high,
                                   "_row": np.arange(len(f))}))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*schema.FUNNEL_LIMITS, "_row"])
    out = out.sort_values(["_row", "level"], kind="stable").drop(columns="_row").reset_index(drop=True)
    return schema.conform(out, "funnel_limits")


def expected_range(p0, n, *, tau: float = 0.0, z: float = 1.96):
    """The CPES expected range ``p0 +/- z sqrt(p0 (1 - p0) / n + tau^2)``, clipped to [0, 1].

    >>> [round(x, 4) for x in expected_range(0.8, 100)]
    [0.7216, 0.8784]
    """
    p0 = np.asarray(p0, dtype=float)
    n = np.asarray(n, dtype=float)
    half = z * np.sqrt(p0 * (1 - p0) / n + tau ** 2)
    lo, hi = np.clip(p0 - half, 0, 1), np.clip(p0 + half, 0, 1)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi
