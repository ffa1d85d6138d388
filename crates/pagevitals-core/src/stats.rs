//! Two-sample statistics for regression verdicts ([`crate::compare`]): the Mann-Whitney U test,
//! Cliff's delta, the two-sample Kolmogorov-Smirnov test, Holm's adjustment and a seeded
//! percentile bootstrap. Checked against SciPy (`scipy.stats.mannwhitneyu`, `ks_2samp`) by
//! `tests/data/stats/reference.json`, which `scripts/stats-reference.py` generates.
//!
//! Conventions follow SciPy's, so that the reference can check them:
//! - Mann-Whitney: `u` is the U of the first sample (its rank sum less `n1 (n1 + 1) / 2`, mid
//!   ranks for ties); the two-sided p-value is `2 P(U >= max(U1, U2))`, clipped to 1. Exact
//!   (the null distribution of U counted by dynamic programming) when there are no ties and
//!   both samples have at most [`EXACT_MAX_N`] values; otherwise the normal approximation with
//!   the tie correction and a continuity correction of 0.5 (SciPy's `method="asymptotic"`).
//!   SciPy's own `"auto"` uses the exact test only up to 8 values; exact is better wherever it
//!   is affordable, and the reference calls SciPy with the method used here.
//! - Kolmogorov-Smirnov: `D` the largest distance between the empirical distribution
//!   functions (evaluated at every value of either sample, so ties count as SciPy counts
//!   them); the two-sided p-value is exact, `P(D >= d)` for a random interleaving of the two
//!   samples (lattice paths, Hodges 1957), SciPy's `method="exact"`.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Largest sample, either side, for the exact Mann-Whitney p-value (the dynamic programme is
/// `O(n1 n2 min(n1, n2))`: a few ms at 50 a side).
pub const EXACT_MAX_N: usize = 50;

/// The Mann-Whitney U test of two samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of the first sample.
    pub u: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Whether the p-value is exact (else the normal approximation).
    pub exact: bool,
    /// The standardised statistic of the normal approximation (continuity-corrected, as its
    /// p-value uses), whichever p-value was reported: what [`runs_to_decide`] scales.
    pub z: f64,
}

/// Ranks of `values` (1-based, mid ranks for ties), and the sizes of the groups of ties.
fn ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = mid;
        }
        ties.push(j - i + 1);
        i = j + 1;
    }
    (ranks, ties)
}

/// Normal survival function, `P(Z > z)`.
fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z / std::f64::consts::SQRT_2)
}

/// `P(U >= u)` under the null for sample sizes `m` and `n` with no ties: the number of
/// interleavings whose U is at least `u`, over all `C(m + n, m)`.
fn exact_sf(u: usize, m: usize, n: usize) -> f64 {
    // counts[k] = arrangements of i values of the first sample and j of the second with U = k,
    // built up over j for each i (the classic recurrence f(i, j, k) = f(i - 1, j, k - j) +
    // f(i, j - 1, k)), in f64: C(100, 50) is about 1e29, well within range.
    let max = m * n;
    // table[j][k] for the current i.
    let mut prev: Vec<Vec<f64>> = (0..=n)
        .map(|_| {
            let mut row = vec![0.0; max + 1];
            row[0] = 1.0;
            row
        })
        .collect();
    for i in 1..=m {
        let mut cur: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
        let mut first = vec![0.0; max + 1];
        first[0] = 1.0;
        cur.push(first);
        for j in 1..=n {
            let mut row = vec![0.0; max + 1];
            for (k, slot) in row.iter_mut().enumerate().take(i * j + 1) {
                let from_first = if k >= j { prev[j][k - j] } else { 0.0 };
                *slot = from_first + cur[j - 1][k];
            }
            cur.push(row);
        }
        prev = cur;
    }
    let counts = &prev[n];
    let total: f64 = counts.iter().sum();
    let tail: f64 = counts[u.min(max + 1)..].iter().sum();
    tail / total
}

/// The two-sided Mann-Whitney U test of `x` against `y`; `None` when either is empty.
pub fn mann_whitney_u(x: &[f64], y: &[f64]) -> Option<MannWhitney> {
    let (n1, n2) = (x.len(), y.len());
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let (ranks, ties) = ranks(&all);
    let r1: f64 = ranks[..n1].iter().sum();
    let u1 = r1 - (n1 * (n1 + 1)) as f64 / 2.0;
    let u2 = (n1 * n2) as f64 - u1;
    let big = u1.max(u2);
    let n = (n1 + n2) as f64;
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let variance = (n1 * n2) as f64 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
    let z = if variance > 0.0 {
        (big - (n1 * n2) as f64 / 2.0 - 0.5) / variance.sqrt()
    } else {
        0.0
    };
    let has_ties = ties.iter().any(|&t| t > 1);
    let exact = !has_ties && n1 <= EXACT_MAX_N && n2 <= EXACT_MAX_N;
    let p = if exact {
        // With no ties U is a whole number.
        2.0 * exact_sf(big.round() as usize, n1, n2)
    } else if variance > 0.0 {
        2.0 * normal_sf(z)
    } else {
        // Every value equal: nothing tells the samples apart.
        1.0
    };
    Some(MannWhitney {
        u: u1,
        p_value: p.clamp(0.0, 1.0),
        exact,
        z,
    })
}

/// Cliff's delta of `x` against `y`: `P(x > y) - P(x < y)` over every pair, from -1 (every
/// value of `x` below every value of `y`) to 1; 0 when either is empty.
pub fn cliffs_delta(x: &[f64], y: &[f64]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let mut sorted = y.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut more = 0usize;
    let mut less = 0usize;
    for &v in x {
        less += sorted.len() - sorted.partition_point(|&w| w <= v);
        more += sorted.partition_point(|&w| w < v);
    }
    (more as f64 - less as f64) / (x.len() * y.len()) as f64
}

/// The two-sample Kolmogorov-Smirnov test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KolmogorovSmirnov {
    /// `D`: the largest distance between the two empirical distribution functions.
    pub statistic: f64,
    /// Two-sided exact p-value, `P(D >= d)`.
    pub p_value: f64,
}

/// The two-sided two-sample Kolmogorov-Smirnov test; `None` when either sample is empty.
pub fn ks_2samp(x: &[f64], y: &[f64]) -> Option<KolmogorovSmirnov> {
    let (m, n) = (x.len(), y.len());
    if m == 0 || n == 0 {
        return None;
    }
    let mut a = x.to_vec();
    let mut b = y.to_vec();
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    // D m n as a whole number: |i n - j m| at every value, i and j the counts at or below it.
    let mut widest = 0usize;
    for &v in a.iter().chain(&b) {
        let i = a.partition_point(|&w| w <= v);
        let j = b.partition_point(|&w| w <= v);
        widest = widest.max((i * n).abs_diff(j * m));
    }
    let statistic = widest as f64 / (m * n) as f64;
    Some(KolmogorovSmirnov {
        statistic,
        p_value: (1.0 - inside_probability(m, n, widest)).clamp(0.0, 1.0),
    })
}

/// The probability that a random lattice path from (0, 0) to (m, n) keeps `|i n - j m|` below
/// `bound` throughout: each cell holds the share of the paths to it that stayed inside
/// (paths over `C(i + j, i)`), so nothing overflows.
fn inside_probability(m: usize, n: usize, bound: usize) -> f64 {
    let inside = |i: usize, j: usize| (i * n).abs_diff(j * m) < bound;
    let mut row = vec![0.0; n + 1];
    for i in 0..=m {
        for j in 0..=n {
            row[j] = if !inside(i, j) {
                0.0
            } else if i == 0 && j == 0 {
                1.0
            } else {
                let total = (i + j) as f64;
                let from_above = if i > 0 {
                    row[j] * i as f64 / total
                } else {
                    0.0
                };
                let from_left = if j > 0 {
                    row[j - 1] * j as f64 / total
                } else {
                    0.0
                };
                from_above + from_left
            };
        }
    }
    row[n]
}

/// Holm's step-down adjustment of `p_values` (family-wise error rate): each adjusted p-value
/// in the input's order, never below an earlier one in the sorted order, at most 1.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let k = p_values.len();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![0.0; k];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((k - rank) as f64 * p_values[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// The nearest-rank percentile `p` (0 to 1) of sorted values, as the audit's summaries take it.
pub fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `statistic` of each of `resamples` resamples (with replacement, the size of `values`) of
/// `values`, drawn from a fixed `seed`: the same inputs give the same draws.
pub fn bootstrap_statistics(
    values: &[f64],
    statistic: impl Fn(&[f64]) -> f64,
    resamples: usize,
    seed: u64,
) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = Vec::with_capacity(values.len());
    (0..resamples)
        .map(|_| {
            draw.clear();
            draw.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
            draw.sort_by(f64::total_cmp);
            statistic(&draw)
        })
        .collect()
}

/// Linear-interpolated percentile of sorted values (numpy's default), for the bootstrap tails.
pub fn percentile_linear(sorted: &[f64], p: f64) -> f64 {
    let h = p * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// How many runs per side would likely decide a comparison whose normal-approximation
/// statistic is `z` at `n` runs per side, for a test at `alpha` (two-sided): the statistic of a
/// fixed shift grows with the square root of the runs, so `n (z_needed / z)^2`. `None` when no
/// trend shows (`z` about 0) or the answer exceeds `cap`.
pub fn runs_to_decide(z: f64, n: usize, alpha: f64, cap: usize) -> Option<usize> {
    if !z.is_finite() || z.abs() < 1e-9 || n == 0 {
        return None;
    }
    let needed = inverse_normal_sf(alpha / 2.0);
    let runs = (n as f64 * (needed / z.abs()).powi(2)).ceil() as usize;
    (runs <= cap).then_some(runs.max(n + 1))
}

/// `z` with `P(Z > z) = p`, by bisection on [`normal_sf`] (a few dozen steps; exact to 1e-12).
fn inverse_normal_sf(p: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if normal_sf(mid) > p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// The smallest two-sided p-value the exact test can give for `n1` and `n2` values:
/// `2 / C(n1 + n2, n1)` (every value of one side above every value of the other).
pub fn smallest_p_value(n1: usize, n2: usize) -> f64 {
    let mut arrangements = 1.0_f64;
    for k in 1..=n1.min(n2) {
        arrangements = arrangements * (n1 + n2 + 1 - k) as f64 / k as f64;
    }
    (2.0 / arrangements).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        name: String,
        x: Vec<f64>,
        y: Vec<f64>,
        mwu_method: String,
        mwu_u: f64,
        mwu_p: f64,
        ks_d: f64,
        /// None where SciPy could not compute the exact p-value.
        ks_p: Option<f64>,
        cliffs_delta: f64,
    }

    fn reference() -> Vec<Case> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/stats/reference.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        serde_json::from_value(value["cases"].clone()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn matches_scipy_on_every_reference_case() {
        let cases = reference();
        assert!(cases.len() >= 20, "{} cases", cases.len());
        let mut with_ks_p = 0;
        for c in &cases {
            let mw = mann_whitney_u(&c.x, &c.y).unwrap_or_else(|| panic!("{}", c.name));
            assert_eq!(
                if mw.exact { "exact" } else { "asymptotic" },
                c.mwu_method,
                "{}",
                c.name
            );
            assert!((mw.u - c.mwu_u).abs() < 1e-9, "{}: U {}", c.name, mw.u);
            let tolerance = if mw.exact { 1e-9 } else { 1e-6 };
            assert!(
                (mw.p_value - c.mwu_p).abs() < tolerance,
                "{}: p {} against SciPy's {}",
                c.name,
                mw.p_value,
                c.mwu_p
            );
            let ks = ks_2samp(&c.x, &c.y).unwrap_or_else(|| panic!("{}", c.name));
            assert!((ks.statistic - c.ks_d).abs() < 1e-12, "{}: D", c.name);
            if let Some(ks_p) = c.ks_p {
                with_ks_p += 1;
                assert!(
                    (ks.p_value - ks_p).abs() < 1e-6,
                    "{}: KS p {} against SciPy's {ks_p}",
                    c.name,
                    ks.p_value
                );
            }
            assert!(
                (cliffs_delta(&c.x, &c.y) - c.cliffs_delta).abs() < 1e-12,
                "{}: delta",
                c.name
            );
        }
        assert!(
            with_ks_p + 2 >= cases.len(),
            "only {with_ks_p} exact KS p-values"
        );
    }

    #[test]
    fn holm_adjusts_step_down() {
        // Holm (1979): sorted p 0.01, 0.02, 0.04 of three tests -> 0.03, 0.04, 0.04.
        assert_eq!(holm(&[0.04, 0.01, 0.02]), vec![0.04, 0.03, 0.04]);
        assert_eq!(holm(&[0.9, 0.8]), vec![1.0, 1.0]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn the_bootstrap_is_seeded() {
        let values: Vec<f64> = (0..20).map(|i| 100.0 + f64::from(i)).collect();
        let median = |s: &[f64]| nearest_rank(s, 0.5);
        let a = bootstrap_statistics(&values, median, 500, 7);
        assert_eq!(a, bootstrap_statistics(&values, median, 500, 7));
        assert_ne!(a, bootstrap_statistics(&values, median, 500, 8));
        assert!(a.iter().all(|m| (100.0..120.0).contains(m)));
    }

    #[test]
    fn smallest_p_values_of_the_exact_test() {
        assert!((smallest_p_value(2, 2) - 2.0 / 6.0).abs() < 1e-12);
        assert!((smallest_p_value(5, 5) - 2.0 / 252.0).abs() < 1e-12);
        let mw = mann_whitney_u(&[1.0, 2.0, 3.0, 4.0, 5.0], &[6.0, 7.0, 8.0, 9.0, 10.0]);
        assert!((mw.map_or(0.0, |m| m.p_value) - smallest_p_value(5, 5)).abs() < 1e-12);
    }

    #[test]
    fn runs_to_decide_grow_as_the_trend_weakens() {
        let strong = runs_to_decide(1.5, 10, 0.05, 1000).unwrap_or(0);
        let weak = runs_to_decide(0.5, 10, 0.05, 1000).unwrap_or(0);
        assert!(strong > 10 && weak > strong, "{strong} {weak}");
        assert_eq!(runs_to_decide(0.0, 10, 0.05, 1000), None);
    }
}
