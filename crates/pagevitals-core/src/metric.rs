//! The metric object, shaped like web-vitals' `Metric` so analytics code written for
//! web-vitals can consume it (web-vitals `src/types/base.ts`).

use serde::{Deserialize, Serialize};

use crate::rating::Rating;

/// Which metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum MetricName {
    /// First Contentful Paint.
    FCP,
    /// Time to First Byte.
    TTFB,
    /// Largest Contentful Paint.
    LCP,
    /// Cumulative Layout Shift.
    CLS,
    /// Interaction to Next Paint.
    INP,
}

impl MetricName {
    /// The web-vitals name: `FCP`, `TTFB`, `LCP`, `CLS`, `INP`.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricName::FCP => "FCP",
            MetricName::TTFB => "TTFB",
            MetricName::LCP => "LCP",
            MetricName::CLS => "CLS",
            MetricName::INP => "INP",
        }
    }
}

/// How the page view began (web-vitals `src/lib/initMetric.ts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum NavigationType {
    /// An ordinary navigation.
    Navigate,
    /// A reload.
    Reload,
    /// A history traversal that loaded the page anew.
    BackForward,
    /// Restored from the back/forward cache.
    BackForwardCache,
    /// Prerendered, then activated.
    Prerender,
    /// A discarded tab reloaded.
    Restore,
    /// A same-document navigation a user interaction caused (web-vitals v6
    /// `reportSoftNavs`; Chromium 151+).
    SoftNavigation,
}

/// One metric value with its rating and attribution.
///
/// Differences from web-vitals, on purpose: `entries` is not carried (the report is built
/// from a log, and the entries are in it), and `delta` equals `value` because a report is a
/// snapshot, not a stream of changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Metric<A> {
    /// Which metric.
    pub name: MetricName,
    /// The value: ms, or unitless for CLS.
    pub value: f64,
    /// Its rating against the metric's thresholds.
    pub rating: Rating,
    /// Change since the last report of this metric.
    pub delta: f64,
    /// Unique per metric and page view.
    pub id: String,
    /// How the page view began.
    pub navigation_type: NavigationType,
    /// Why the value is what it is.
    pub attribution: A,
}
