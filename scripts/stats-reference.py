#!/usr/bin/env python3
"""Writes tests/data/stats/reference.json: two-sample cases and what SciPy computes for them,
the independent reference that crates/pagevitals-core/src/stats.rs is tested against.

    python3 -m venv target/stats-venv && target/stats-venv/bin/pip install scipy==1.16.3
    target/stats-venv/bin/python scripts/stats-reference.py

Mann-Whitney U (scipy.stats.mannwhitneyu, two-sided, continuity correction) with the method
PageVitals uses for the case: exact when there are no ties and both samples have at most 50
values, else asymptotic (tie-corrected). Kolmogorov-Smirnov (scipy.stats.ks_2samp,
two-sided, method="exact"; null where SciPy cannot compute it exactly). Cliff's delta from its definition with numpy (SciPy has none).
Cases: small and large samples, ties, identical samples, shifted and scaled samples, drawn
from a seeded generator so that the file is the same every time."""
import json
import os
import warnings

import numpy as np
import scipy
from scipy import stats

EXACT_MAX_N = 50


def case(name, x, y):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    ties = len(set(x + y)) < len(x) + len(y)
    method = "exact" if not ties and len(x) <= EXACT_MAX_N and len(y) <= EXACT_MAX_N else "asymptotic"
    mw = stats.mannwhitneyu(x, y, alternative="two-sided", method=method)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ks = stats.ks_2samp(x, y, alternative="two-sided", method="exact")
    # SciPy gives up on the exact p-value for some large samples and says so; such a case
    # keeps its statistic and has no p-value to compare (null).
    ks_exact = not any("Exact calculation unsuccessful" in str(w.message) for w in caught)
    xa, ya = np.array(x)[:, None], np.array(y)[None, :]
    delta = float((np.sum(xa > ya) - np.sum(xa < ya)) / (len(x) * len(y)))
    p = float(mw.pvalue)
    return {
        "name": name, "x": x, "y": y,
        "mwu_method": method, "mwu_u": float(mw.statistic), "mwu_p": 1.0 if np.isnan(p) else p,
        "ks_d": float(ks.statistic), "ks_p": float(ks.pvalue) if ks_exact else None,
        "cliffs_delta": delta,
    }


def main():
    rng = np.random.default_rng(20261207)
    lognormal = lambda n, mu=6.5, s=0.15: np.round(rng.lognormal(mu, s, n), 1)
    cases = [
        case("tiny, separated", [1, 2, 3], [4, 5, 6]),
        case("tiny, interleaved", [1, 4, 5], [2, 3, 6]),
        case("unequal sizes, small", [10, 12, 15, 11], [14, 16, 18, 13, 17, 19, 20]),
        case("one value against many", [5], [1, 2, 3, 4, 6, 7, 8, 9]),
        case("identical samples", [700, 700, 700, 700, 700], [700, 700, 700, 700, 700]),
        case("the same values, shuffled", [300, 310, 320, 330, 340, 350], [350, 340, 330, 320, 310, 300]),
        case("ties within and across", [1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5]),
        case("CLS-like, many zeros", [0, 0, 0, 0.01, 0.02, 0, 0, 0.05], [0, 0.03, 0.04, 0.06, 0.02, 0, 0.08, 0.1]),
        case("integer ms, ties", [412, 415, 415, 420, 431, 415, 420, 409, 433, 415], [425, 431, 415, 440, 438, 445, 431, 450, 433, 429]),
    ]
    for n in (5, 8, 10, 20, 30, 50):
        base = lognormal(n)
        cases.append(case(f"A/A lognormal, {n} a side", base, lognormal(n)))
        cases.append(case(f"shifted +100 ms, {n} a side", base, lognormal(n) + 100))
        cases.append(case(f"scaled x1.5 spread, {n} a side", base, np.round(np.exp(6.5 + (np.log(lognormal(n)) - 6.5) * 1.5), 1)))
    for n in (60, 100, 200):
        base = np.round(rng.normal(800, 60, n))
        cases.append(case(f"large, ties from rounding, {n} a side", base, np.round(rng.normal(830, 60, n))))
        cases.append(case(f"large, continuous, {n} a side", rng.normal(800, 60, n), rng.normal(805, 90, n)))
    cases.append(case("unequal sizes, large", rng.normal(0, 1, 70), rng.normal(0.4, 1, 45)))
    out = {
        "generator": "scripts/stats-reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "stats", "reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
