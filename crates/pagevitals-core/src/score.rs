//! The Lighthouse performance score, estimated from what a page view measured in the field,
//! and the field-style Core Web Vitals verdict.
//!
//! **Score.** Lighthouse scores each metric on a log-normal curve through two control points
//! (the value scoring 0.9, `p10`, and the value scoring 0.5, the median) and averages the
//! metric scores with weights (Lighthouse 10+: FCP 10, Speed Index 10, LCP 25, TBT 30, CLS 25;
//! `core/config/default-config.js`; curves in each `core/audits/metrics/*.js`; the maths in
//! `shared/statistics.js` `getLogNormalScore` and `core/audits/audit.js`
//! `computeLogNormalScore`). Here:
//! - FCP, LCP and CLS are the field values web-vitals semantics give, not a throttled lab
//!   load: the score is always labelled **estimated**;
//! - TBT is [`crate::long_tasks`]' field TBT (from FCP to the end of the page view, where
//!   Lighthouse stops at TTI): status `estimated`; without `longtask` support (Firefox) it is
//!   `unsupported`, never 0;
//! - Speed Index needs a filmstrip and cannot be measured in the page: `notMeasurable`;
//! - the weights of the metrics that were not measured are left out and the rest are
//!   **renormalised**: score = sum(weight * metric score) / sum(weight) over measured
//!   metrics. [`PerformanceScore::measured_weight`] says how much of Lighthouse's 100 the
//!   estimate covers (at most 90, for want of Speed Index).
//!
//! **Verdict.** [`field_verdict`]: the Core Web Vitals assessment as CrUX makes it from LCP,
//! INP and CLS ratings: passed when all are good, where a page with no interaction (no INP)
//! is assessed on LCP and CLS alone (<https://web.dev/articles/vitals#core-web-vitals>).

use serde::{Deserialize, Serialize};

use crate::rating::Rating;
use crate::report::Report;

/// Which Lighthouse configuration's curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FormFactor {
    /// Lighthouse's default (moto g power, slow 4G).
    Mobile,
    /// Lighthouse's desktop preset.
    Desktop,
}

/// A log-normal scoring curve: `p10` scores 0.9, `median` scores 0.5.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlPoints {
    /// The value scoring 0.9.
    pub p10: f64,
    /// The value scoring 0.5.
    pub median: f64,
}

/// The curves of one form factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curves {
    /// First Contentful Paint, ms.
    pub fcp: ControlPoints,
    /// Speed Index, ms (listed for completeness; never measurable here).
    pub speed_index: ControlPoints,
    /// Largest Contentful Paint, ms.
    pub lcp: ControlPoints,
    /// Total Blocking Time, ms.
    pub tbt: ControlPoints,
    /// Cumulative Layout Shift.
    pub cls: ControlPoints,
}

/// Mobile control points: `scoring.mobile` of Lighthouse 10+'s `first-contentful-paint.js`,
/// `speed-index.js`, `largest-contentful-paint.js`, `total-blocking-time.js`,
/// `cumulative-layout-shift.js`. FCP, LCP and CLS equal web-vitals' rating thresholds by
/// Lighthouse's choice, but they are Lighthouse's constants (the desktop ones differ), so they
/// are not derived from [`crate::rating`].
pub const MOBILE: Curves = Curves {
    fcp: ControlPoints {
        p10: 1800.0,
        median: 3000.0,
    },
    speed_index: ControlPoints {
        p10: 3387.0,
        median: 5800.0,
    },
    lcp: ControlPoints {
        p10: 2500.0,
        median: 4000.0,
    },
    tbt: ControlPoints {
        p10: 200.0,
        median: 600.0,
    },
    cls: ControlPoints {
        p10: 0.1,
        median: 0.25,
    },
};

/// Desktop control points: `scoring.desktop` of the same audits.
pub const DESKTOP: Curves = Curves {
    fcp: ControlPoints {
        p10: 934.0,
        median: 1600.0,
    },
    speed_index: ControlPoints {
        p10: 1311.0,
        median: 2300.0,
    },
    lcp: ControlPoints {
        p10: 1200.0,
        median: 2400.0,
    },
    tbt: ControlPoints {
        p10: 150.0,
        median: 350.0,
    },
    cls: ControlPoints {
        p10: 0.1,
        median: 0.25,
    },
};

/// Performance category weights, Lighthouse 10+ `default-config.js`, in the order FCP,
/// Speed Index, LCP, TBT, CLS.
pub const WEIGHTS: Weights = Weights {
    fcp: 10.0,
    speed_index: 10.0,
    lcp: 25.0,
    tbt: 30.0,
    cls: 25.0,
};

/// The weight of each metric in the performance score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// First Contentful Paint.
    pub fcp: f64,
    /// Speed Index.
    pub speed_index: f64,
    /// Largest Contentful Paint.
    pub lcp: f64,
    /// Total Blocking Time.
    pub tbt: f64,
    /// Cumulative Layout Shift.
    pub cls: f64,
}

/// Closest double to erfc⁻¹(1/5) (`shared/statistics.js` `INVERSE_ERFC_ONE_FIFTH`): the
/// standardised distance of p10 from the median.
const INVERSE_ERFC_ONE_FIFTH: f64 = 0.906_193_802_436_823_2;

/// Lighthouse boosts metric scores above 0.9 linearly up to 0.005 at 1
/// (`audit.js` `computeLogNormalScore`), so more top scores floor to a perfect 1.
const BOOST_FROM: f64 = 0.9;
/// The boost's slope.
const BOOST_SLOPE: f64 = 0.05;

/// How a metric entered the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MetricStatus {
    /// Measured in the field with web-vitals semantics (FCP, LCP, CLS): a stand-in for the
    /// lab value.
    Field,
    /// Computed the lab way from field data over a different window (TBT).
    Estimated,
    /// The browser supports it but the page view has no value yet (e.g. no LCP before the
    /// first paint).
    Missing,
    /// Cannot be measured in the page (Speed Index).
    NotMeasurable,
    /// The browser lacks the entries it needs (TBT without `longtask`).
    Unsupported,
}

/// One metric's part in the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MetricScore {
    /// Lighthouse's audit id (`largest-contentful-paint`).
    pub id: String,
    /// Its Lighthouse weight.
    pub weight: f64,
    /// How it entered the score.
    pub status: MetricStatus,
    /// The value used, ms (CLS unitless); absent when not measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its score, 0-1; absent when not measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// The estimated Lighthouse performance score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PerformanceScore {
    /// Whose curves.
    pub form_factor: FormFactor,
    /// The weighted mean of the measured metrics' scores, 0-1; absent when none is measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Always true: field values stand in for lab ones.
    pub estimated: bool,
    /// How the weights of unmeasured metrics were handled: always `renormalised`.
    pub weighting: String,
    /// The summed weight of the metrics in the score, of Lighthouse's 100.
    pub measured_weight: f64,
    /// Each metric, in Lighthouse's order.
    pub metrics: Vec<MetricScore>,
}

/// The values the score is computed from; `None` where not measured.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ScoreInputs {
    /// First Contentful Paint, ms.
    pub fcp: Option<f64>,
    /// Largest Contentful Paint, ms.
    pub lcp: Option<f64>,
    /// Cumulative Layout Shift.
    pub cls: Option<f64>,
    /// Total Blocking Time, ms.
    pub tbt: Option<f64>,
    /// Whether the browser reports long tasks (else TBT is unsupported, not missing).
    pub tbt_supported: bool,
}

impl ScoreInputs {
    /// The inputs a report gives.
    pub fn from_report(report: &Report) -> Self {
        let m = &report.metrics;
        ScoreInputs {
            fcp: m.fcp.as_ref().map(|m| m.value),
            lcp: m.lcp.as_ref().map(|m| m.value),
            cls: m.cls.as_ref().map(|m| m.value),
            tbt: report
                .long_tasks
                .as_ref()
                .and_then(|t| t.total_blocking_time),
            tbt_supported: report.long_tasks.is_some(),
        }
    }
}

/// The estimated performance score of a report.
pub fn performance_score(report: &Report, form_factor: FormFactor) -> PerformanceScore {
    score(&ScoreInputs::from_report(report), form_factor)
}

/// The estimated performance score of measured values.
pub fn score(inputs: &ScoreInputs, form_factor: FormFactor) -> PerformanceScore {
    let curves = match form_factor {
        FormFactor::Mobile => MOBILE,
        FormFactor::Desktop => DESKTOP,
    };
    let measured = |value: Option<f64>, status: MetricStatus| match value.filter(|v| !v.is_nan()) {
        Some(v) => (Some(v), status),
        None => (None, MetricStatus::Missing),
    };
    let tbt = if inputs.tbt_supported {
        measured(inputs.tbt, MetricStatus::Estimated)
    } else {
        (None, MetricStatus::Unsupported)
    };
    let rows = [
        (
            "first-contentful-paint",
            WEIGHTS.fcp,
            curves.fcp,
            measured(inputs.fcp, MetricStatus::Field),
        ),
        (
            "speed-index",
            WEIGHTS.speed_index,
            curves.speed_index,
            (None, MetricStatus::NotMeasurable),
        ),
        (
            "largest-contentful-paint",
            WEIGHTS.lcp,
            curves.lcp,
            measured(inputs.lcp, MetricStatus::Field),
        ),
        ("total-blocking-time", WEIGHTS.tbt, curves.tbt, tbt),
        (
            "cumulative-layout-shift",
            WEIGHTS.cls,
            curves.cls,
            measured(inputs.cls, MetricStatus::Field),
        ),
    ];
    let metrics: Vec<MetricScore> = rows
        .into_iter()
        .map(|(id, weight, curve, (value, status))| MetricScore {
            id: id.to_owned(),
            weight,
            status,
            value,
            score: value.map(|v| metric_score(curve, v)),
        })
        .collect();
    let measured_weight: f64 = metrics
        .iter()
        .filter(|m| m.score.is_some())
        .map(|m| m.weight)
        .sum();
    let weighted: f64 = metrics
        .iter()
        .filter_map(|m| m.score.map(|s| s * m.weight))
        .sum();
    PerformanceScore {
        form_factor,
        score: (measured_weight > 0.0).then(|| (weighted / measured_weight).clamp(0.0, 1.0)),
        estimated: true,
        weighting: "renormalised".to_owned(),
        measured_weight,
        metrics,
    }
}

/// A metric's score as Lighthouse gives it: the log-normal score, boosted above 0.9, floored
/// to two decimals, at most 1.
pub fn metric_score(curve: ControlPoints, value: f64) -> f64 {
    let mut p = log_normal_score(curve, value);
    if p > BOOST_FROM {
        p += BOOST_SLOPE * (p - BOOST_FROM);
    }
    ((p * 100.0).floor() / 100.0).clamp(0.0, 1.0)
}

/// `shared/statistics.js` `getLogNormalScore`: the complementary log-normal CDF through the
/// control points; 1 for values at or below 0, 0 for NaN.
pub fn log_normal_score(curve: ControlPoints, value: f64) -> f64 {
    if value <= 0.0 {
        return 1.0;
    }
    let x_log_ratio = (value / curve.median).max(f64::MIN_POSITIVE).ln();
    let p10_log_ratio = -(curve.p10 / curve.median).max(f64::MIN_POSITIVE).ln();
    let standardized = x_log_ratio * INVERSE_ERFC_ONE_FIFTH / p10_log_ratio;
    let score = (1.0 - erf(standardized)) / 2.0;
    if score.is_nan() {
        return 0.0;
    }
    // "Clamp to avoid floating-point out-of-bounds issues and keep score in expected range":
    // at or below p10 in [0.9, 1], up to the median in [0.5, 0.9), above it in [0, 0.5).
    if value <= curve.p10 {
        score.clamp(MIN_PASSING_SCORE, 1.0)
    } else if value <= curve.median {
        score.clamp(MIN_AVERAGE_SCORE, MAX_AVERAGE_SCORE)
    } else {
        score.clamp(0.0, MAX_FAILING_SCORE)
    }
}

/// `shared/statistics.js`: the score bands' bounds, as Lighthouse writes them (the nearest
/// doubles to 0.9 from above and below, and to 0.5 from below).
const MIN_PASSING_SCORE: f64 = 0.9;
const MAX_AVERAGE_SCORE: f64 = 0.899_999_999_999_999_9;
const MIN_AVERAGE_SCORE: f64 = 0.5;
const MAX_FAILING_SCORE: f64 = 0.499_999_999_999_999_94;

/// The error function, Abramowitz and Stegun 7.1.26 (maximum error 1.5e-7), as
/// `shared/statistics.js` `erf` approximates it, so that scores equal Lighthouse's.
fn erf(x: f64) -> f64 {
    const A1: f64 = 0.254_829_592;
    const A2: f64 = -0.284_496_736;
    const A3: f64 = 1.421_413_741;
    const A4: f64 = -1.453_152_027;
    const A5: f64 = 1.061_405_429;
    const P: f64 = 0.327_591_1;
    // JavaScript's Math.sign: 0 at 0 (Rust's signum gives 1), so erf(0) is exactly 0 and the
    // median scores exactly 0.5.
    let sign = if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    };
    let x = x.abs();
    let t = 1.0 / (1.0 + P * x);
    let y = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
    sign * (1.0 - y * (-x * x).exp())
}

/// The Core Web Vitals assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Assessment {
    /// LCP and CLS good, and INP good or not measured (no interaction).
    Passed,
    /// A measured Core Web Vital is worse than good.
    Failed,
    /// LCP or CLS not measured (yet, or unsupported), and nothing failed.
    Incomplete,
}

/// The field-style verdict of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FieldVerdict {
    /// Passed, failed or incomplete.
    pub assessment: Assessment,
    /// The worst measured Core Web Vital, as the report's verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst: Option<crate::verdict::Verdict>,
}

/// The Core Web Vitals assessment of a report, from its LCP, INP and CLS ratings.
pub fn field_verdict(report: &Report) -> FieldVerdict {
    let m = &report.metrics;
    let ratings = [
        m.lcp.as_ref().map(|m| m.rating),
        m.inp.as_ref().map(|m| m.rating),
        m.cls.as_ref().map(|m| m.rating),
    ];
    let failed = ratings.iter().flatten().any(|r| *r != Rating::Good);
    let assessment = if failed {
        Assessment::Failed
    } else if ratings[0].is_some() && ratings[2].is_some() {
        Assessment::Passed
    } else {
        Assessment::Incomplete
    };
    FieldVerdict {
        assessment,
        worst: report.verdict.clone(),
    }
}

/// What the report says about scores: the estimated Lighthouse performance score for both
/// of Lighthouse's configurations, and the field-style Core Web Vitals assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    /// With Lighthouse's mobile control points.
    pub mobile: PerformanceScore,
    /// With Lighthouse's desktop control points.
    pub desktop: PerformanceScore,
    /// Passed, failed or incomplete, from the LCP, INP and CLS ratings.
    pub field: FieldVerdict,
}

/// The scores of a report.
pub fn scores(report: &Report) -> Scores {
    Scores {
        mobile: performance_score(report, FormFactor::Mobile),
        desktop: performance_score(report, FormFactor::Desktop),
        field: field_verdict(report),
    }
}

#[cfg(test)]
mod tests {

    /// Lighthouse 12.8.2's own `Util.computeLogNormalScore` (shared/util.js) on both form
    /// factors' control points, computed with that package in Node: (form factor, metric,
    /// value, score).
    const LIGHTHOUSE_SCORES: &[(&str, &str, f64, f64)] = &[
        ("mobile", "FCP", 0.0, 1.0),
        ("mobile", "FCP", 500.0, 1.0),
        ("mobile", "FCP", 934.0, 1.0),
        ("mobile", "FCP", 1200.0, 0.99),
        ("mobile", "FCP", 1800.0, 0.9),
        ("mobile", "FCP", 2400.0, 0.71),
        ("mobile", "FCP", 3000.0, 0.5),
        ("mobile", "FCP", 4500.0, 0.15),
        ("mobile", "FCP", 9000.0, 0.0),
        ("mobile", "LCP", 0.0, 1.0),
        ("mobile", "LCP", 1000.0, 1.0),
        ("mobile", "LCP", 1200.0, 1.0),
        ("mobile", "LCP", 2000.0, 0.97),
        ("mobile", "LCP", 2500.0, 0.9),
        ("mobile", "LCP", 3200.0, 0.72),
        ("mobile", "LCP", 4000.0, 0.5),
        ("mobile", "LCP", 6000.0, 0.13),
        ("mobile", "LCP", 20000.0, 0.0),
        ("mobile", "TBT", 0.0, 1.0),
        ("mobile", "TBT", 50.0, 1.0),
        ("mobile", "TBT", 150.0, 0.94),
        ("mobile", "TBT", 200.0, 0.9),
        ("mobile", "TBT", 350.0, 0.73),
        ("mobile", "TBT", 600.0, 0.5),
        ("mobile", "TBT", 1200.0, 0.2),
        ("mobile", "CLS", 0.0, 1.0),
        ("mobile", "CLS", 0.01, 1.0),
        ("mobile", "CLS", 0.05, 0.99),
        ("mobile", "CLS", 0.1, 0.9),
        ("mobile", "CLS", 0.15, 0.76),
        ("mobile", "CLS", 0.25, 0.5),
        ("mobile", "CLS", 0.5, 0.16),
        ("mobile", "CLS", 1.2, 0.01),
        ("desktop", "FCP", 0.0, 1.0),
        ("desktop", "FCP", 500.0, 1.0),
        ("desktop", "FCP", 934.0, 0.9),
        ("desktop", "FCP", 1200.0, 0.75),
        ("desktop", "FCP", 1800.0, 0.38),
        ("desktop", "FCP", 2400.0, 0.16),
        ("desktop", "FCP", 3000.0, 0.06),
        ("desktop", "FCP", 4500.0, 0.0),
        ("desktop", "FCP", 9000.0, 0.0),
        ("desktop", "LCP", 0.0, 1.0),
        ("desktop", "LCP", 1000.0, 0.94),
        ("desktop", "LCP", 1200.0, 0.9),
        ("desktop", "LCP", 2000.0, 0.63),
        ("desktop", "LCP", 2500.0, 0.46),
        ("desktop", "LCP", 3200.0, 0.29),
        ("desktop", "LCP", 4000.0, 0.17),
        ("desktop", "LCP", 6000.0, 0.04),
        ("desktop", "LCP", 20000.0, 0.0),
        ("desktop", "TBT", 0.0, 1.0),
        ("desktop", "TBT", 50.0, 1.0),
        ("desktop", "TBT", 150.0, 0.9),
        ("desktop", "TBT", 200.0, 0.8),
        ("desktop", "TBT", 350.0, 0.5),
        ("desktop", "TBT", 600.0, 0.2),
        ("desktop", "TBT", 1200.0, 0.03),
        ("desktop", "CLS", 0.0, 1.0),
        ("desktop", "CLS", 0.01, 1.0),
        ("desktop", "CLS", 0.05, 0.99),
        ("desktop", "CLS", 0.1, 0.9),
        ("desktop", "CLS", 0.15, 0.76),
        ("desktop", "CLS", 0.25, 0.5),
        ("desktop", "CLS", 0.5, 0.16),
        ("desktop", "CLS", 1.2, 0.01),
    ];

    #[test]
    fn metric_scores_equal_lighthouse_12s() {
        for &(form_factor, metric, value, expected) in LIGHTHOUSE_SCORES {
            let curves = match form_factor {
                "mobile" => MOBILE,
                _ => DESKTOP,
            };
            let curve = match metric {
                "FCP" => curves.fcp,
                "LCP" => curves.lcp,
                "TBT" => curves.tbt,
                _ => curves.cls,
            };
            assert_eq!(
                metric_score(curve, value),
                expected,
                "{form_factor} {metric} {value}"
            );
        }
    }
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn control_points_score_as_lighthouse_defines_them() {
        let lcp = MOBILE.lcp;
        assert!((log_normal_score(lcp, 2500.0) - 0.9).abs() < 1e-6);
        assert!((log_normal_score(lcp, 4000.0) - 0.5).abs() < 1e-9);
        assert_eq!(log_normal_score(lcp, 0.0), 1.0);
        // The boost: 0.9 raw stays 0.9; a raw 0.98 becomes 0.984, floored to 0.98.
        assert_eq!(metric_score(lcp, 4000.0), 0.5);
        assert_eq!(metric_score(lcp, 1.0), 1.0);
    }

    #[test]
    fn weights_are_renormalised_over_measured_metrics_and_labelled() {
        // Perfect FCP, LCP and CLS in Firefox: no TBT, no Speed Index.
        let inputs = ScoreInputs {
            fcp: Some(1.0),
            lcp: Some(1.0),
            cls: Some(0.0),
            tbt: None,
            tbt_supported: false,
        };
        let s = score(&inputs, FormFactor::Mobile);
        assert_eq!(s.score, Some(1.0));
        assert_eq!(s.measured_weight, 60.0);
        assert!(s.estimated);
        let status: Vec<MetricStatus> = s.metrics.iter().map(|m| m.status).collect();
        assert_eq!(
            status,
            [
                MetricStatus::Field,
                MetricStatus::NotMeasurable,
                MetricStatus::Field,
                MetricStatus::Unsupported,
                MetricStatus::Field
            ]
        );
        // Chromium with a TBT at its median: (1*10 + 1*25 + 0.5*30 + 1*25) / 90.
        let s = score(
            &ScoreInputs {
                tbt: Some(600.0),
                tbt_supported: true,
                ..inputs
            },
            FormFactor::Mobile,
        );
        assert_eq!(s.score, Some(75.0 / 90.0));
        assert_eq!(s.metrics[3].status, MetricStatus::Estimated);
        assert_eq!(
            score(&ScoreInputs::default(), FormFactor::Desktop).score,
            None
        );
    }

    fn value() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            Just(None),
            Just(Some(f64::NAN)),
            Just(Some(f64::INFINITY)),
            Just(Some(-1.0)),
            (0.0..20_000.0f64).prop_map(Some),
        ]
    }

    proptest! {
        #[test]
        fn the_score_is_between_0_and_1(
            fcp in value(), lcp in value(), cls in value(), tbt in value(),
            tbt_supported in any::<bool>(), desktop in any::<bool>(),
        ) {
            let ff = if desktop { FormFactor::Desktop } else { FormFactor::Mobile };
            let s = score(&ScoreInputs { fcp, lcp, cls, tbt, tbt_supported }, ff);
            if let Some(s) = s.score {
                prop_assert!((0.0..=1.0).contains(&s));
            }
            for m in &s.metrics {
                if let Some(v) = m.score {
                    prop_assert!((0.0..=1.0).contains(&v));
                }
            }
        }

        #[test]
        fn the_score_never_rises_as_a_metric_worsens(
            base in 0.0..10_000.0f64, more in 0.0..10_000.0f64, which in 0..4usize,
            desktop in any::<bool>(),
        ) {
            let ff = if desktop { FormFactor::Desktop } else { FormFactor::Mobile };
            let at = |v: f64| {
                let mut inputs = ScoreInputs {
                    fcp: Some(1000.0), lcp: Some(2000.0), cls: Some(0.05), tbt: Some(100.0),
                    tbt_supported: true,
                };
                // CLS on its own scale.
                match which {
                    0 => inputs.fcp = Some(v),
                    1 => inputs.lcp = Some(v),
                    2 => inputs.cls = Some(v / 10_000.0),
                    _ => inputs.tbt = Some(v),
                }
                score(&inputs, ff).score.unwrap_or(0.0)
            };
            prop_assert!(at(base + more) <= at(base));
        }
    }
}
