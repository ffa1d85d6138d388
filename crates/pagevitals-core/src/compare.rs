//! Did this change make the page slower? Runs of a baseline against runs of the current
//! version, metric by metric and URL by URL, with a verdict that survives noise.
//!
//! For each URL and metric measured on both sides ([`METRICS`]: the Core Web Vitals, FCP,
//! TTFB, Total Blocking Time and transferred bytes, in total and by type):
//! - a two-sided Mann-Whitney U test ([`crate::stats`]; exact for small samples without
//!   ties), whose p-values are adjusted across every comparison of the run with Holm's method
//!   (the family-wise error rate: the chance of any false alarm among all URLs and metrics
//!   stays at most `alpha`); comparisons whose runs are all equal on both sides are not
//!   tests and do not enlarge the family;
//! - Cliff's delta as the effect size, and 95 % bootstrap intervals of the change in median
//!   and in p75 (seeded by the values themselves, so the same files compare the same way
//!   twice, and swapping the sides exactly negates them);
//! - the verdict: `regressed` (or `improved`) when the adjusted p-value is below `alpha`,
//!   |delta| is at least [`MIN_CLIFFS_DELTA`] and the median moved by more than the metric's
//!   floor ([`floor`]) the wrong (or right) way; `unchanged` when the interval of the change in
//!   median lies within plus or minus the floor; else `inconclusive`, with how many runs per
//!   side would likely decide it;
//! - a two-sample Kolmogorov-Smirnov test of the two sides, each centred on its median, flags a
//!   changed shape (`spreadChanged`: wider, narrower or bimodal, whatever the shift) as a
//!   warning, never a failure.
//!
//! Lower is better for every metric here, bytes included.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::{Metrics, Report};
use crate::resources::ResourceType;
use crate::stats;

/// Default significance level, after Holm's adjustment.
pub const ALPHA: f64 = 0.05;
/// Smallest |Cliff's delta| that counts as a change that matters: the "medium" effect of
/// Romano et al. (2006), which sitespeed.io's compare plugin also uses.
pub const MIN_CLIFFS_DELTA: f64 = 0.33;
/// Bootstrap resamples per interval: the 2.5th and 97.5th percentiles of 2,000 are stable to a
/// few percent of the interval's width.
pub const RESAMPLES: usize = 2_000;
/// Base of every bootstrap seed (each side's values are mixed in).
pub const SEED: u64 = 0x7061_6765_7669_7461;
/// Most runs per side `runsToDecide` ever suggests; beyond it the answer is "not with runs".
pub const MAX_RUNS_TO_SUGGEST: usize = 500;

/// Smallest change of the median, in the metric's unit, that can count as a regression: below
/// it a change does not matter to users or is within the metric's own resolution.
pub fn floor(metric: &str) -> f64 {
    match metric {
        // Paint and load times: 50 ms is three frames at 60 Hz, and a tenth of the difference
        // between LCP's good and poor thresholds is 150 ms; less is not felt.
        "LCP" | "FCP" => 50.0,
        // The server's answer: 25 ms is a few percent of the good threshold (800 ms).
        "TTFB" => 25.0,
        // Interaction latency: two frames at 60 Hz (web-vitals rounds durations to 8 ms).
        "INP" => 16.0,
        // A tenth of CLS's good threshold (0.1).
        "CLS" => 0.01,
        // Total Blocking Time counts 50 ms long tasks' excess; less than one task's worth is noise.
        "TBT" => 50.0,
        // Bytes: one KiB, well under a single request's headers and framing jitter.
        _ => 1024.0,
    }
}

/// The metrics compared, in output order, with their unit.
pub const METRICS: &[(&str, &str)] = &[
    ("LCP", "ms"),
    ("INP", "ms"),
    ("CLS", "unitless"),
    ("FCP", "ms"),
    ("TTFB", "ms"),
    ("TBT", "ms"),
    ("bytes", "bytes"),
];

fn resource_type_name(t: ResourceType) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{t:?}").to_lowercase(),
    }
}

/// One run's values: metric name -> value.
type Values = BTreeMap<String, f64>;

/// The web-vitals metrics of a page view or a route: metric name -> value.
fn metric_values(m: &Metrics) -> Values {
    [
        ("LCP", m.lcp.as_ref().map(|x| x.value)),
        ("INP", m.inp.as_ref().map(|x| x.value)),
        ("CLS", m.cls.as_ref().map(|x| x.value)),
        ("FCP", m.fcp.as_ref().map(|x| x.value)),
        ("TTFB", m.ttfb.as_ref().map(|x| x.value)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| v.is_finite()).map(|v| (k.to_owned(), v)))
    .collect()
}

/// Every comparable value of one run: metric name -> value.
fn values(report: &Report) -> BTreeMap<String, f64> {
    let mut out = metric_values(&report.metrics);
    let mut put = |name: &str, value: Option<f64>| {
        if let Some(v) = value.filter(|v| v.is_finite()) {
            out.insert(name.to_owned(), v);
        }
    };
    put(
        "TBT",
        report
            .long_tasks
            .as_ref()
            .and_then(|t| t.total_blocking_time),
    );
    if let Some(r) = &report.resources {
        put("bytes", Some(r.total.transfer_size));
        for (t, totals) in &r.by_type {
            put(
                &format!("bytes:{}", resource_type_name(*t)),
                Some(totals.transfer_size),
            );
        }
    }
    out
}

/// One run's value of a compared metric (`LCP`, ..., `TBT`, `bytes`, `bytes:<type>`).
pub fn metric_value(report: &Report, metric: &str) -> Option<f64> {
    values(report).get(metric).copied()
}

/// The order a metric name sorts in: [`METRICS`], byte types after the total.
fn metric_rank(name: &str) -> usize {
    let base = name.split(':').next().unwrap_or(name);
    METRICS
        .iter()
        .position(|(m, _)| *m == base)
        .unwrap_or(METRICS.len())
}

/// Options of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// Significance level after Holm's adjustment.
    pub alpha: f64,
    /// Smallest |Cliff's delta| that matters.
    pub min_cliffs_delta: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            alpha: ALPHA,
            min_cliffs_delta: MIN_CLIFFS_DELTA,
        }
    }
}

/// The verdict on one metric of one URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Significantly and materially worse.
    Regressed,
    /// Significantly and materially better.
    Improved,
    /// Any change is within the metric's floor.
    Unchanged,
    /// The runs cannot tell: more runs would.
    Inconclusive,
}

/// One side's runs of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Side {
    /// Runs that measured it.
    pub n: usize,
    /// Nearest-rank median.
    pub median: f64,
    /// Nearest-rank 75th percentile.
    pub p75: f64,
}

/// One metric of one URL, baseline against current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricComparison {
    /// The URL (or route).
    pub url: String,
    /// `LCP`, `INP`, `CLS`, `FCP`, `TTFB`, `TBT`, `bytes` (all transferred) or `bytes:<type>`.
    pub metric: String,
    /// `ms`, `unitless` or `bytes`.
    pub unit: String,
    /// The baseline's runs.
    pub base: Side,
    /// The current runs.
    pub current: Side,
    /// Current median less the baseline's.
    pub median_change: f64,
    /// 95 % bootstrap interval of `median_change`.
    pub median_change_interval: [f64; 2],
    /// Current p75 less the baseline's.
    pub p75_change: f64,
    /// 95 % bootstrap interval of `p75_change`.
    pub p75_change_interval: [f64; 2],
    /// Two-sided Mann-Whitney p-value.
    pub p_value: f64,
    /// Whether `p_value` is exact.
    pub exact: bool,
    /// `p_value` after Holm's adjustment over the run's comparisons (equal to `p_value` for a
    /// comparison outside the family: all runs equal).
    pub adjusted_p_value: f64,
    /// Cliff's delta of current against baseline: positive when current values tend higher.
    pub cliffs_delta: f64,
    /// The smallest change of the median that can count ([`floor`]).
    pub floor: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// For `inconclusive`: runs per side that would likely decide it; absent when no trend shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_to_decide: Option<usize>,
    /// Kolmogorov-Smirnov statistic of the two sides, each centred on its median.
    pub ks_statistic: f64,
    /// Its two-sided exact p-value.
    pub ks_p_value: f64,
    /// The shapes differ (that p-value below alpha): wider, narrower or bimodal; a warning.
    pub spread_changed: bool,
}

/// Every comparison of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// The options used.
    pub options: Options,
    /// The multiple-comparison adjustment: always `holm`.
    pub adjustment: String,
    /// How many comparisons the adjustment counted.
    pub family: usize,
    /// Per URL and metric, regressions first, then by URL and metric order.
    pub comparisons: Vec<MetricComparison>,
    /// Count of each verdict.
    pub counts: BTreeMap<String, usize>,
}

/// Why runs cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareError {
    /// No URL has runs on both sides.
    NoUrlInCommon,
    /// No comparison has enough runs on both sides for any verdict at `alpha`.
    TooFewRuns {
        /// Fewest runs per side that could give a verdict.
        needed: usize,
    },
}

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompareError::NoUrlInCommon => write!(f, "no URL has runs in both files"),
            CompareError::TooFewRuns { needed } => write!(
                f,
                "too few runs for any verdict: the test needs at least {needed} runs on each side"
            ),
        }
    }
}

/// FNV-1a over the sorted values' bits: each side's bootstrap seed, so that a side resamples
/// alike whichever side it is on.
fn seed_of(sorted: &[f64]) -> u64 {
    sorted.iter().fold(SEED ^ 0xcbf2_9ce4_8422_2325, |h, v| {
        (h ^ v.to_bits()).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The resampled change of `statistic`, each side drawn from its own seed.
fn interval(base: &[f64], current: &[f64], p: f64) -> [f64; 2] {
    let stat = |s: &[f64]| stats::nearest_rank(s, p);
    let draws = |values: &[f64]| -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        if sorted.first() == sorted.last() {
            // Every resample of equal values is the same (bytes usually are): no draws.
            return vec![stat(&sorted); RESAMPLES];
        }
        stats::bootstrap_statistics(&sorted, stat, RESAMPLES, seed_of(&sorted))
    };
    let (a, b) = (draws(base), draws(current));
    let mut changes: Vec<f64> = b.iter().zip(&a).map(|(y, x)| y - x).collect();
    changes.sort_by(f64::total_cmp);
    [
        stats::percentile_linear(&changes, 0.025),
        stats::percentile_linear(&changes, 0.975),
    ]
}

/// The fewest runs per side for which the exact test can reach `alpha` at all.
fn fewest_runs(alpha: f64) -> usize {
    (2..)
        .find(|&n| stats::smallest_p_value(n, n) < alpha)
        .unwrap_or(2)
}

/// Compares each URL's baseline runs against its current runs (`pages`: URL, baseline
/// reports, current reports). URLs with runs on one side only are left out.
pub fn compare(
    pages: &[(String, Vec<Report>, Vec<Report>)],
    options: &Options,
) -> Result<Comparison, CompareError> {
    let mut rows = Vec::new();
    // Each page's runs, then each soft-navigation route's (keyed by its URL, marked as a
    // route), with their values.
    let mut units: Vec<(String, Vec<Values>, Vec<Values>)> = Vec::new();
    for (url, base, current) in pages {
        if base.is_empty() || current.is_empty() {
            continue;
        }
        units.push((
            url.clone(),
            base.iter().map(values).collect(),
            current.iter().map(values).collect(),
        ));
        let mut routes: BTreeMap<String, (Vec<_>, Vec<_>)> = BTreeMap::new();
        for (side, runs) in [(0, base), (1, current)] {
            for route in runs.iter().flat_map(|r| &r.soft_navigations) {
                let entry = routes
                    .entry(format!("{} (soft navigation)", route.page.url))
                    .or_default();
                let values = metric_values(&route.metrics);
                if side == 0 {
                    entry.0.push(values);
                } else {
                    entry.1.push(values);
                }
            }
        }
        units.extend(
            routes
                .into_iter()
                .filter(|(_, (b, c))| !b.is_empty() && !c.is_empty())
                .map(|(route, (b, c))| (route, b, c)),
        );
    }
    for (url, b, c) in &units {
        let mut names: Vec<&String> = b.iter().chain(c).flat_map(BTreeMap::keys).collect();
        names.sort_by(|x, y| metric_rank(x).cmp(&metric_rank(y)).then(x.cmp(y)));
        names.dedup();
        for name in names {
            let xs: Vec<f64> = b.iter().filter_map(|v| v.get(name).copied()).collect();
            let ys: Vec<f64> = c.iter().filter_map(|v| v.get(name).copied()).collect();
            if xs.is_empty() || ys.is_empty() {
                continue;
            }
            rows.push((url.clone(), name.clone(), xs, ys));
        }
    }
    if rows.is_empty() {
        return Err(CompareError::NoUrlInCommon);
    }
    let decidable = rows
        .iter()
        .any(|(_, _, x, y)| stats::smallest_p_value(x.len(), y.len()) < options.alpha);
    if !decidable {
        return Err(CompareError::TooFewRuns {
            needed: fewest_runs(options.alpha),
        });
    }
    let tests: Vec<(stats::MannWhitney, stats::KolmogorovSmirnov, bool)> = rows
        .iter()
        .map(|(_, _, x, y)| {
            let constant = x.iter().chain(y).all(|v| *v == x[0]);
            let fallback = || stats::MannWhitney {
                u: 0.0,
                p_value: 1.0,
                exact: true,
                z: 0.0,
            };
            // Shape, not location: each side centred on its median, so that a plain shift
            // (which the Mann-Whitney test judges) is not also called a change of spread.
            let centred = |v: &[f64]| {
                let mut s = v.to_vec();
                s.sort_by(f64::total_cmp);
                let m = stats::nearest_rank(&s, 0.5);
                s.iter().map(|x| x - m).collect::<Vec<_>>()
            };
            let ks =
                stats::ks_2samp(&centred(y), &centred(x)).unwrap_or(stats::KolmogorovSmirnov {
                    statistic: 0.0,
                    p_value: 1.0,
                });
            (
                stats::mann_whitney_u(y, x).unwrap_or_else(fallback),
                ks,
                constant,
            )
        })
        .collect();
    let in_family: Vec<usize> = (0..rows.len()).filter(|&i| !tests[i].2).collect();
    let adjusted_in_family = stats::holm(
        &in_family
            .iter()
            .map(|&i| tests[i].0.p_value)
            .collect::<Vec<_>>(),
    );
    let mut adjusted: Vec<f64> = tests.iter().map(|t| t.0.p_value).collect();
    for (k, &i) in in_family.iter().enumerate() {
        adjusted[i] = adjusted_in_family[k];
    }
    let family = in_family.len().max(1);
    let in_family_count = in_family.len();
    let mut comparisons: Vec<MetricComparison> = rows
        .into_iter()
        .zip(tests)
        .zip(adjusted)
        .map(|(((url, metric, xs, ys), (mw, ks, _)), adjusted_p_value)| {
            let side = |v: &[f64]| {
                let mut s = v.to_vec();
                s.sort_by(f64::total_cmp);
                Side {
                    n: s.len(),
                    median: stats::nearest_rank(&s, 0.5),
                    p75: stats::nearest_rank(&s, 0.75),
                }
            };
            let (base, current) = (side(&xs), side(&ys));
            let median_change = current.median - base.median;
            let p75_change = current.p75 - base.p75;
            let median_change_interval = interval(&xs, &ys, 0.5);
            let p75_change_interval = interval(&xs, &ys, 0.75);
            let cliffs_delta = stats::cliffs_delta(&ys, &xs);
            let floor = floor(metric.split(':').next().unwrap_or(&metric));
            let significant = adjusted_p_value < options.alpha;
            let matters =
                cliffs_delta.abs() >= options.min_cliffs_delta && median_change.abs() > floor;
            let verdict = if significant && matters && median_change > 0.0 && cliffs_delta > 0.0 {
                Verdict::Regressed
            } else if significant && matters && median_change < 0.0 && cliffs_delta < 0.0 {
                Verdict::Improved
            } else if median_change_interval[0] >= -floor && median_change_interval[1] <= floor {
                Verdict::Unchanged
            } else {
                Verdict::Inconclusive
            };
            let runs_to_decide = (verdict == Verdict::Inconclusive)
                .then(|| {
                    stats::runs_to_decide(
                        mw.z,
                        base.n.min(current.n),
                        options.alpha / family as f64,
                        MAX_RUNS_TO_SUGGEST,
                    )
                })
                .flatten();
            let unit = METRICS
                .iter()
                .find(|(m, _)| *m == metric.split(':').next().unwrap_or(&metric))
                .map_or("bytes", |(_, u)| u)
                .to_owned();
            MetricComparison {
                url,
                metric,
                unit,
                base,
                current,
                median_change,
                median_change_interval,
                p75_change,
                p75_change_interval,
                p_value: mw.p_value,
                exact: mw.exact,
                adjusted_p_value,
                cliffs_delta,
                floor,
                verdict,
                runs_to_decide,
                ks_statistic: ks.statistic,
                ks_p_value: ks.p_value,
                spread_changed: ks.p_value < options.alpha,
            }
        })
        .collect();
    // Regressions first; the rest keep URL and metric order.
    comparisons.sort_by_key(|c| c.verdict != Verdict::Regressed);
    let mut counts = BTreeMap::new();
    for c in &comparisons {
        let key = match serde_json::to_value(c.verdict) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    Ok(Comparison {
        options: *options,
        adjustment: "holm".to_owned(),
        family: in_family_count,
        comparisons,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A recorded page view's report, with LCP and TTFB set (the rest as recorded).
    fn report(lcp: f64, ttfb: f64) -> Report {
        thread_local! {
            static BASE: Report = {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../tests/data/cli/basic.chromium.log.json");
                let text = std::fs::read_to_string(path).unwrap_or_default();
                crate::analyze(&crate::parse_log(&text).unwrap_or_else(|e| panic!("{e}")))
            };
        }
        let mut r = BASE.with(Clone::clone);
        if let Some(m) = r.metrics.lcp.as_mut() {
            m.value = lcp;
        }
        if let Some(m) = r.metrics.ttfb.as_mut() {
            m.value = ttfb;
        }
        r
    }

    fn runs(values: &[(f64, f64)]) -> Vec<Report> {
        values.iter().map(|&(l, t)| report(l, t)).collect()
    }

    fn verdict_of(c: &Comparison, metric: &str) -> Option<Verdict> {
        c.comparisons
            .iter()
            .find(|x| x.metric == metric)
            .map(|x| x.verdict)
    }

    fn page(base: Vec<Report>, current: Vec<Report>) -> Vec<(String, Vec<Report>, Vec<Report>)> {
        vec![("http://x.test/".to_owned(), base, current)]
    }

    #[test]
    fn a_slower_server_is_a_regression_and_the_rest_is_unchanged() {
        let base: Vec<(f64, f64)> = (0..10)
            .map(|i| (700.0 + f64::from(i * 7 % 30), 100.0 + f64::from(i * 3 % 17)))
            .collect();
        let current: Vec<(f64, f64)> = base.iter().map(|&(l, t)| (l + 0.5, t + 100.0)).collect();
        let c = compare(&page(runs(&base), runs(&current)), &Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verdict_of(&c, "TTFB"), Some(Verdict::Regressed));
        assert_eq!(c.comparisons[0].metric, "TTFB", "regressions first");
        let ttfb = &c.comparisons[0];
        assert!(ttfb.median_change_interval[0] > 50.0 && ttfb.cliffs_delta == 1.0);
        assert_eq!(verdict_of(&c, "LCP"), Some(Verdict::Unchanged));
        // Bytes are the same in every run: not tests, outside Holm's family.
        assert_eq!(verdict_of(&c, "bytes"), Some(Verdict::Unchanged));
        assert_eq!(
            c.family, 2,
            "LCP and TTFB vary; everything else is constant"
        );
        assert_eq!(c.counts.get("regressed"), Some(&1));
        let again = compare(&page(runs(&base), runs(&current)), &Options::default());
        assert_eq!(
            again.as_ref().ok(),
            Some(&c),
            "the same runs compare the same way"
        );
    }

    #[test]
    fn soft_navigation_routes_are_compared_on_their_own() {
        let with_route = |lcp: f64| {
            let mut r = report(700.0, 100.0);
            let mut metrics = r.metrics.clone();
            if let Some(m) = metrics.lcp.as_mut() {
                m.value = lcp;
            }
            r.soft_navigations
                .push(crate::report::SoftNavigationReport {
                    page: crate::soft_navigations::RoutePage {
                        url: "http://x.test/cart".to_owned(),
                        navigation_id: "n".to_owned(),
                        navigation_type: crate::metric::NavigationType::SoftNavigation,
                        start_time: 1000.0,
                        interaction_id: 1,
                    },
                    metrics,
                    verdict: None,
                });
            r
        };
        let base: Vec<Report> = (0..8).map(|i| with_route(300.0 + f64::from(i))).collect();
        let slower: Vec<Report> = (0..8).map(|i| with_route(500.0 + f64::from(i))).collect();
        let c = compare(&page(base, slower), &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        let route = c
            .comparisons
            .iter()
            .find(|x| x.url == "http://x.test/cart (soft navigation)" && x.metric == "LCP");
        assert_eq!(route.map(|x| x.verdict), Some(Verdict::Regressed));
        let own = c
            .comparisons
            .iter()
            .find(|x| x.url == "http://x.test/" && x.metric == "LCP");
        assert_eq!(
            own.map(|x| x.verdict),
            Some(Verdict::Unchanged),
            "the page's own LCP"
        );
    }

    #[test]
    fn a_noisy_small_shift_is_inconclusive_and_says_how_many_runs_would_decide() {
        let base: Vec<(f64, f64)> = [0, 90, 20, 70, 40, 10, 60, 30]
            .iter()
            .map(|&v| (700.0 + f64::from(v), 100.0))
            .collect();
        let current: Vec<(f64, f64)> = [50, 120, 10, 110, 80, 30, 100, 60]
            .iter()
            .map(|&v| (700.0 + f64::from(v), 100.0))
            .collect();
        let c = compare(&page(runs(&base), runs(&current)), &Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let lcp = c.comparisons.iter().find(|x| x.metric == "LCP");
        assert_eq!(lcp.map(|x| x.verdict), Some(Verdict::Inconclusive));
        assert!(lcp.and_then(|x| x.runs_to_decide).is_some_and(|n| n > 8));
    }

    #[test]
    fn too_few_runs_or_nothing_in_common_are_errors() {
        let two = runs(&[(700.0, 100.0), (710.0, 101.0)]);
        assert_eq!(
            compare(&page(two.clone(), two.clone()), &Options::default()),
            Err(CompareError::TooFewRuns { needed: 4 })
        );
        assert_eq!(
            compare(&page(two, Vec::new()), &Options::default()),
            Err(CompareError::NoUrlInCommon)
        );
    }

    #[test]
    fn regression_budget_items_need_a_baseline_and_a_significant_change_beyond_the_limit() {
        let budget = r#"{"version": 1, "budgets": [{"regressions": [
            {"metric": "time-to-first-byte", "maxIncreasePercent": 5},
            {"metric": "largest-contentful-paint", "maxIncrease": 100, "level": "warn"}]}]}"#;
        let file = crate::parse_budget("b.json", budget).unwrap_or_else(|e| panic!("{e}"));
        let base: Vec<(f64, f64)> = (0..8)
            .map(|i| (700.0 + f64::from(i * 5), 100.0 + f64::from(i)))
            .collect();
        let slower: Vec<(f64, f64)> = base.iter().map(|&(l, t)| (l + 50.0, t + 20.0)).collect();
        let statuses = |e: &crate::budget::Evaluation| -> Vec<crate::budget::Status> {
            e.groups[0].results.iter().map(|r| r.status).collect()
        };
        use crate::budget::Status;
        let alone = crate::budget::evaluate(&file, &runs(&slower));
        assert_eq!(
            statuses(&alone),
            [Status::NotMeasurable, Status::NotMeasurable]
        );
        assert!(
            alone.groups[0].results[0]
                .note
                .as_deref()
                .unwrap_or("")
                .contains("needs a baseline")
        );
        let against = crate::budget::evaluate_against(&file, &runs(&slower), &runs(&base));
        // TTFB +20 % is beyond 5 % and significant; LCP +50 ms is within 100 ms.
        assert_eq!(statuses(&against), [Status::Fail, Status::Pass]);
        let ttfb = &against.groups[0].results[0];
        assert!(
            (ttfb.measured.unwrap_or(0.0) - 20.0 / 103.0 * 100.0).abs() < 1.0,
            "{ttfb:?}"
        );
        assert_eq!(ttfb.unit, crate::budget::Unit::Percent);
        // The same runs on both sides: no change, whatever the limit.
        let same = crate::budget::evaluate_against(&file, &runs(&base), &runs(&base));
        assert_eq!(statuses(&same), [Status::Pass, Status::Pass]);
        // A change beyond the limit that the test cannot tell from noise does not fail.
        let noisy_base = runs(&[(700.0, 100.0), (900.0, 300.0), (710.0, 110.0)]);
        let noisy_now = runs(&[(720.0, 130.0), (705.0, 105.0), (950.0, 320.0)]);
        let noisy = crate::budget::evaluate_against(&file, &noisy_now, &noisy_base);
        assert_eq!(noisy.groups[0].results[0].status, Status::Pass);
        assert!(
            noisy.groups[0].results[0]
                .note
                .as_deref()
                .unwrap_or("")
                .contains("not significant")
        );
    }

    fn sample() -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec((500.0..900.0_f64, 50.0..300.0_f64), 4..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn swapping_the_sides_swaps_regressed_and_improved(a in sample(), b in sample()) {
            let forward = compare(&page(runs(&a), runs(&b)), &Options::default());
            let backward = compare(&page(runs(&b), runs(&a)), &Options::default());
            let (Ok(f), Ok(r)) = (forward, backward) else { return Ok(()) };
            for x in &f.comparisons {
                let y = r.comparisons.iter().find(|y| y.metric == x.metric && y.url == x.url);
                let Some(y) = y else { panic!("{} missing", x.metric) };
                let swapped = match x.verdict {
                    Verdict::Regressed => Verdict::Improved,
                    Verdict::Improved => Verdict::Regressed,
                    v => v,
                };
                prop_assert_eq!(y.verdict, swapped, "{}", x.metric);
                let [lo, hi] = y.median_change_interval;
                prop_assert!((lo + x.median_change_interval[1]).abs() < 1e-9 && (hi + x.median_change_interval[0]).abs() < 1e-9);
            }
        }

        #[test]
        fn identical_samples_are_never_regressed(a in sample()) {
            let c = compare(&page(runs(&a), runs(&a)), &Options::default());
            let Ok(c) = c else { return Ok(()) };
            for x in &c.comparisons {
                prop_assert!(x.verdict == Verdict::Unchanged, "{} {:?}", x.metric, x.verdict);
            }
        }
    }
}
