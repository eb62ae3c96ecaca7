"""Ties broken by documented secondary keys, whatever the row order and the scipy / pandas version."""
from itertools import permutations

import numpy as np
import pandas as pd
import pytest

from pledge_analysis.cross_site import buddy_pairs, goal_library, suggest_actions
from pledge_analysis.priorities import score_components
from pledge_analysis.uncertainty import weight_sensitivity

COLUMNS = ["site", "alliance", "theme", "name", "rank", "priority_score", "negativity", "n_segments",
           "survey_estimate", "survey_z"]


def _matrix(sites: dict[str, tuple[str, float, int]]) -> pd.DataFrame:
    """A cross-site matrix with two themes: ``waiting`` (survey z and rank given per site) and
    ``food`` (everyone equal, so nobody mentors it). Equal negativity makes strength = z / 2."""
    rows = []
    for site, (alliance, z, rank) in sites.items():
        rows.append([site, alliance, "waiting", "Waiting", rank, 0.5, 0.3, 10, 0.7, z])
        rows.append([site, alliance, "food", "Food", 3 - rank, 0.4, 0.3, 10, 0.7, 0.0])
    return pd.DataFrame(rows, columns=COLUMNS)


def _shuffles(m: pd.DataFrame, n: int = 12):
    yield m
    yield m.iloc[::-1].reset_index(drop=True)
    rng = np.random.default_rng(0)
    for _ in range(n):
        yield m.iloc[rng.permutation(len(m))].reset_index(drop=True)


def _pairs(m: pd.DataFrame, **kw) -> dict:
    p = buddy_pairs(m, weakest=1, **kw)
    return dict(zip(zip(p["site"], p["theme"]), p["buddy"]))


# ZED (strength -2) and ABE (-0.5) both need help on waiting; PIP is in their region (0.5 + 0.5 bonus)
# and QUO is not (0.75). With one mentee each, ZED-PIP + ABE-QUO = ZED-QUO + ABE-PIP = 1.75: a tie.
SWAP_TIE = {"ZED": ("North", -4.0, 1), "ABE": ("North", -1.0, 1), "PIP": ("North", 1.0, 2), "QUO": ("South", 1.5, 2)}


def test_buddy_tie_goes_to_the_weakest_service_first():
    # the documented rule: the weakest service on the theme (ZED) takes its best option (PIP, same region)
    expected = {("ZED", "waiting"): "PIP", ("ABE", "waiting"): "QUO",
                ("PIP", "food"): "", ("QUO", "food"): ""}
    for m in _shuffles(_matrix(SWAP_TIE)):
        assert _pairs(m, capacity=1) == expected


def test_buddy_pairs_ignore_row_order_and_float_noise():
    base = buddy_pairs(_matrix(SWAP_TIE), weakest=1, capacity=1)
    noisy = _matrix(SWAP_TIE)
    noisy.loc[(noisy["site"] == "QUO") & (noisy["theme"] == "waiting"), "survey_z"] += 1e-12
    for m in _shuffles(noisy):
        p = buddy_pairs(m, weakest=1, capacity=1)
        assert p[["site", "theme", "buddy"]].equals(base[["site", "theme", "buddy"]])
    # rows come out in need order (site, rank, theme), not in input order
    assert base[["site", "theme"]].values.tolist() == [["ABE", "waiting"], ["PIP", "food"], ["QUO", "food"],
                                                       ["ZED", "waiting"]]


def test_buddy_tie_between_equally_strong_mentors_goes_to_the_first_code():
    # two mentors exactly as strong, both outside the region: the alphabetically first code wins
    sites = {"WEAK": ("", -2.0, 1), "MEN_B": ("", 1.0, 2), "MEN_A": ("", 1.0, 2)}
    for m in _shuffles(_matrix(sites)):
        assert _pairs(m, capacity=1)[("WEAK", "waiting")] == "MEN_A"


def test_tie_break_never_costs_optimality():
    # ZED's best option is PIP (1.0), but PIP is the only service stronger than ABE (0.4): the optimum
    # (ZED-ABE 0.4 + ABE-PIP 1.0) gives PIP to ABE, and the weakest-first rule must not take it for ZED
    sites = {"ZED": ("", -4.0, 1), "ABE": ("", 0.8, 1), "PIP": ("", 2.0, 2), "QUO": ("", 0.6, 2)}
    for m in _shuffles(_matrix(sites)):
        pairs = _pairs(m, capacity=1)
        assert pairs[("ZED", "waiting")] == "ABE" and pairs[("ABE", "waiting")] == "PIP"


def test_buddy_pairs_with_more_needs_than_mentor_places():
    # three equally weak services, one mentor with one place: the first site code is paired
    sites = {"C": ("", -1.0, 1), "A": ("", -1.0, 1), "B": ("", -1.0, 1), "M": ("", 1.0, 2)}
    for m in _shuffles(_matrix(sites)):
        pairs = _pairs(m, capacity=1)
        assert [pairs[(s, "waiting")] for s in "ABC"] == ["M", "", ""]


def _themes(order: list[str]) -> pd.DataFrame:
    """Themes in one scope: ``b_theme`` and ``a_theme`` have identical evidence, ``c_theme`` less."""
    ev = {"a_theme": (20, 10), "b_theme": (20, 10), "c_theme": (10, 2)}
    return pd.DataFrame([{"scope_type": "all", "scope": "all", "theme": t, "name": t, "n_segments": ev[t][0],
                          "n_respondents": ev[t][0], "prevalence": ev[t][0] / 50, "n_negative": ev[t][1],
                          "negativity": ev[t][1] / ev[t][0], "n_sites": 2, "n_groups": 2, "n_sites_negative": 1,
                          "n_groups_negative": 1, "n_scope_segments": 50} for t in order])


CODEBOOK = pd.DataFrame({"code_id": ["a_theme", "b_theme", "c_theme"], "survey_items": [[], [], []]})


def test_priority_ties_are_broken_by_theme_id():
    for order in permutations(["c_theme", "b_theme", "a_theme"]):
        df = score_components(_themes(list(order)), CODEBOOK)
        assert df["theme"].tolist() == ["a_theme", "b_theme", "c_theme"]
        assert df["rank"].tolist() == [1, 2, 3]
        ws = weight_sensitivity(_themes(list(order)), CODEBOOK, scope="all")
        assert ws["theme"].tolist() == ["a_theme", "b_theme", "c_theme"]
        assert ws["default"].tolist() == [1, 2, 3] and ws["equal"].tolist() == [1, 2, 3]


def test_goal_library_order_does_not_depend_on_input_order():
    goals = pd.DataFrame([
        {"site": "VVH", "theme": "waiting", "you_said": "Clinics ran late.", "we_plan_to": "Staggered slots",
         "by": "2026-06-30", "status": "achieved"},
        {"site": "VVH", "theme": "waiting", "you_said": "Results took weeks.", "we_plan_to": "One-stop clinic",
         "by": "2026-03-31", "status": "achieved"},
        {"site": "MDH", "theme": "waiting", "you_said": "No seats.", "we_plan_to": "More chairs",
         "by": "2026-01-31", "status": "achieved"},
    ])
    expected = ["More chairs", "One-stop clinic", "Staggered slots"]  # site, then what was done
    for order in permutations(range(3)):
        lib = goal_library(goals.iloc[list(order)])
        assert lib["we_plan_to"].tolist() == expected
        assert suggest_actions("waiting", lib, n=2)["we_plan_to"].tolist() == expected[:2]
