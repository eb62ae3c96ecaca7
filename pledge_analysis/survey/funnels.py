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

**Exact check.** The limits are normal approximations on the arcsine scale, which fail for small samples
and proportions near 0 or 1 (every unit at 100% lies above the upper limit). So by default a unit past a
limit is flagged only if the exact binomial chance of a count that far out at the target is below
``(1 - level) / 2``; ``exact=False`` gives FunnelPlotR's flags exactly. Rows without a result (``n`` 0 or
empty, no estimate, ``suppressed``) are kept without a flag and take no part in the target or tau^2.

**Two tables.** :func:`funnel` keeps one row per unit (columns :data:`pledge_analysis.schema.FUNNEL`):
its ``estimate`` with its own 95% interval ``ci_low``/``ci_high``, ``z``, and its flag at both
levels, ``flag95`` and ``flag998``; ``flag`` repeats the *headline* level (95% unless
``headline=0.998``) and the ``headline`` column names it. :func:`funnel_limits` gives the control
limits in long form (:data:`pledge_analysis.schema.FUNNEL_LIMITS`): one row per unit (or size on a
grid, for drawing the funnel) and ``level``, with ``limit_low``/``limit_high``. (Earlier releases
put the limits on the unit's row as ``lower95, upper95, lower998, upper998``.)

>>> import pandas as pd
>>> f = funnel(pd.DataFrame({"site": ["A", "B"], "n": [100, 100], "estimate": [0.62, 0.6]}), target=0.5,
...            overdispersion=False)
>>> f["flag"].tolist(), f["z"].round(2).tolist()
(['above', 'within'], [2.42, 2.01])
>>> lim = funnel_limits(f, unit="site")
>>> lim[["unit", "level"]].values.tolist()[:2], round(float(lim["limit_high"].iloc[0]), 4)
([['A', 0.95], ['A', 0.998]], 0.5974)

B (60 of 100) is just past the arcsine limit (0.5974) but the exact binomial chance of 60 or more
out of 100 at 50% is 2.8%, more than 2.5%: not flagged (``exact``; ``exact=False`` flags it, as
FunnelPlotR does).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import schema
from ..errors import ConfigError, InputError


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


def _numbers(df: pd.DataFrame, column: str) -> np.ndarray:
    """``df[column]`` as floats; a value that is not a number is an :class:`InputError` at its row."""
    values = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(values) & df[column].notna().to_numpy())
    if len(bad):
        raise InputError(f"funnel: {column} {df[column].iloc[bad[0]]!r} is not a number", row=df.index[bad[0]],
                         column=column, hint=f"Give {column} as numbers (leave it empty where there is no result).")
    return values


def _first(mask: np.ndarray, df: pd.DataFrame):
    return df.index[np.flatnonzero(mask)[0]]


def rated_units(df: pd.DataFrame, *, n: str = "n", estimate: str = "estimate") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(n, estimate, rated)`` of a funnel's input: floats, and which rows have a result to place.

    A row has no result (``rated`` false) when its ``n`` or ``estimate`` is empty, its ``n`` is 0, or a
    ``suppressed`` column says so; such rows are kept by :func:`funnel` without a flag. Values that cannot
    be a result raise :class:`InputError` at their row: not a number, ``n`` negative or infinite, an
    ``estimate`` outside [0, 1].
    """
    nn, p = _numbers(df, n), _numbers(df, estimate)
    bad = (nn < 0) | np.isinf(nn)
    if bad.any():
        raise InputError(f"funnel: {n} {nn[bad][0]:g} is not a number of respondents", row=_first(bad, df),
                         column=n, hint="Give the number of respondents behind each estimate (0 or more).")
    bad = (p < 0) | (p > 1) | np.isinf(p)
    if bad.any():
        raise InputError(f"funnel estimates must be fractions in [0, 1], not {p[bad][0]:g} (percentages? divide by 100)",
                         row=_first(bad, df), column=estimate)
    rated = ~np.isnan(nn) & ~np.isnan(p) & (nn > 0)
    if "suppressed" in df.columns:
        rated &= ~df["suppressed"].fillna(True).astype(bool).to_numpy()
    return nn, p, rated


def _check_options(target, tau2, winsorise, levels) -> None:
    if target is not None and not (np.isfinite(target) and 0 <= target <= 1):
        raise ConfigError(f"funnel target must be a fraction in [0, 1], not {target!r}",
                          hint="Pass the benchmark as a fraction (0.85 for 85%), or None for the units' pooled mean.")
    if tau2 is not None and not (np.isfinite(tau2) and tau2 >= 0):
        raise ConfigError(f"funnel tau2 must be a variance (0 or more), not {tau2!r}",
                          hint="Pass the between-unit variance on the arcsine scale, or None to estimate it.")
    if not 0 <= winsorise < 0.5:
        raise ConfigError(f"funnel winsorise must be a fraction in [0, 0.5), not {winsorise!r}",
                          hint="FunnelPlotR uses 0.1 (10% at each end).")
    if any(not 0 < level < 1 for level in levels):
        raise ConfigError(f"funnel levels must be fractions in (0, 1), not {levels!r}", hint="Use (0.95, 0.998).")


def binomial_tails(k, n, p0) -> tuple[np.ndarray, np.ndarray]:
    """``(P(X <= k), P(X >= k))`` for X ~ Binomial(n, p0), for counts ``k`` that need not be whole (a case-mix
    adjusted estimate times n): the regularised incomplete beta function, which equals
    ``scipy.stats.binom.cdf(k, n, p0)`` and ``binom.sf(k - 1, n, p0)`` at whole ``k``."""
    from scipy.special import betainc

    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k >= n, 1.0, betainc(np.maximum(n - k, 1e-300), k + 1, 1 - p0))
        high = np.where(k <= 0, 1.0, betainc(np.maximum(k, 1e-300), n - k + 1, p0))
    return low, high


def funnel(df: pd.DataFrame, *, n: str = "n", estimate: str = "estimate", target: float | None = None,
           tau2: float | None = None, overdispersion: bool | None = None, winsorise: float = 0.1,
           levels: tuple[float, ...] = (0.95, 0.998), headline: float = 0.95,
           min_units: int = MIN_UNITS_TAU2, exact: bool = True) -> pd.DataFrame:
    """Funnel position of each unit (row) of ``df``: one row per unit, ``df``'s columns first.

    Adds (:data:`pledge_analysis.schema.FUNNEL`) ``ci_low, ci_high`` (the unit's own 95% interval:
    kept when ``df`` has both, else Wilson from ``n`` and ``estimate``), ``target, phi, tau2,
    tau2_source, z``, a flag per level ``flag95`` / ``flag998`` (``above``, ``within`` or ``below``);
    ``flag`` is the flag at the ``headline`` level, named in ``headline`` (e.g. ``"95%"``).
    Estimates are fractions in [0, 1]. The limits behind the flags are :func:`funnel_limits`.
    An empty ``df`` gives an empty table with these columns.

    **Rows without a result** (``n`` or ``estimate`` empty, ``n`` = 0, or ``suppressed`` true where
    ``df`` has that column) are kept with empty ``z`` and flags (None: not rated) and take no part in
    the target or tau^2. Values that cannot be results raise :class:`InputError` at their row
    (:func:`rated_units`), options that cannot be used :class:`ConfigError`.

    ``overdispersion``: ``None`` (default) estimates tau^2 only with at least ``min_units``
    units; ``True`` estimates it whatever the number (as FunnelPlotR); ``False`` never. A
    supplied ``tau2`` is used as given.

    ``exact`` (default True): a unit beyond a limit is flagged only if binomial chance at the target
    cannot explain it either: the probability of a count at least as far out (``n x estimate`` out of
    ``n``, :func:`binomial_tails`) is below ``(1 - level) / 2``. The limits are normal approximations on
    the arcsine scale, which fail for small samples and proportions near 0 or 1: on the 2018 breast
    cancer survey, a trust where all 21 respondents were positive against 94% nationally lies above
    FunnelPlotR's upper limit, yet 27% of trusts of that size would score 100% by chance.
    ``exact=False`` gives FunnelPlotR's flags exactly (``tests/test_stats_session11.py``); ``z`` is
    the arcsine z-score either way.
    """
    if n not in df.columns or estimate not in df.columns:
        raise InputError(f"funnel needs columns {n!r} and {estimate!r}; found {list(df.columns)}",
                         hint="Pass n= and estimate= naming your columns.")
    if headline not in levels:
        raise InputError(f"funnel headline level {headline} is not among levels {levels}",
                         hint="Pass headline= one of the levels (0.95 or 0.998).")
    _check_options(target, tau2, winsorise, levels)
    out = df.copy()
    if not len(out):
        for c in schema.FUNNEL:
            if c not in out.columns:
                out[c] = pd.Series(dtype=object if c in ("tau2_source", "headline") or c.startswith("flag")
                                   else float)
        return out
    nn, p, rated = rated_units(out, n=n, estimate=estimate)
    k = int(rated.sum())
    if target is None:
        target = float(np.sum(p[rated] * nn[rated]) / np.sum(nn[rated])) if k else np.nan
    y0 = np.arcsin(np.sqrt(target))
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.arcsin(np.sqrt(p))
        s = 1 / (2 * np.sqrt(nn))
    phi, tau2_est = dispersion(y[rated], s[rated], y0, winsorise=winsorise) if k > 2 else (np.nan, 0.0)
    estimate_tau2 = overdispersion if overdispersion is not None else k >= min_units
    if tau2 is not None:
        use_tau2, source = float(tau2), "supplied"
    elif not k:
        use_tau2, source = 0.0, "none: no unit with a result"
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

        lo, hi = wilson_ci(np.where(rated, p * nn, 0), np.where(rated, nn, 0))
        out["ci_low"], out["ci_high"] = lo, hi
    out["target"] = target
    out["phi"] = phi
    out["tau2"] = use_tau2
    out["tau2_source"] = source
    with np.errstate(invalid="ignore"):
        out["z"] = np.where(rated, (y - y0) / np.sqrt(s ** 2 + use_tau2), np.nan)
    if exact and k:
        at_most, at_least = binomial_tails(np.where(rated, p * nn, 0), np.where(rated, nn, 1), target)
    for level in levels:
        low, high = _limits(target, np.where(rated, nn, 1), use_tau2, level)
        above, below = p > high, p < low
        if exact and k:
            above &= at_least < (1 - level) / 2
            below &= at_most < (1 - level) / 2
        flag = np.where(above, "above", np.where(below, "below", "within")).astype(object)
        flag[~rated] = None
        out[f"flag{_tag(level)}"] = flag
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
    """The CPES expected range ``p0 +/- z sqrt(p0 (1 - p0) / n + tau^2)``, clipped to [0, 1]; empty (NaN) for
    n = 0 (before: the whole of [0, 1]).

    >>> [round(x, 4) for x in expected_range(0.8, 100)]
    [0.7216, 0.8784]
    """
    p0 = np.asarray(p0, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any((p0 < 0) | (p0 > 1)) or np.any(n < 0):
        raise InputError("expected_range needs a centre p0 in [0, 1] and respondents n >= 0",
                         hint="Give p0 as a fraction (0.85 for 85%) and n as a count.")
    with np.errstate(divide="ignore", invalid="ignore"):
        half = np.where(n > 0, z * np.sqrt(p0 * (1 - p0) / n + tau ** 2), np.nan)  # n = 0: no range
    lo, hi = np.clip(p0 - half, 0, 1), np.clip(p0 + half, 0, 1)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi
