//! The report: the one wire format shared by the extension's background and popup, the
//! headless tools and the command-line tool. Schema `pagevitals-report`, version 1; any
//! change to these types that is not purely additive bumps [`VERSION`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cls::{self, ClsAttribution};
use crate::fcp::{self, FcpAttribution};
use crate::inp::{self, InpAttribution};
use crate::lcp::{self, LcpAttribution};
use crate::log::{EntryLog, Record};
use crate::metric::{Metric, NavigationType};
use crate::page::PageView;
use crate::ttfb::{self, TtfbAttribution};

/// The `schema` value every report carries.
pub const SCHEMA: &str = "pagevitals-report";
/// The report schema version.
pub const VERSION: u32 = 1;

/// Entry types the metrics and summaries are built from. One the browser lacks is listed in
/// [`Report::unsupported_entry_types`], so that a missing metric reads "unsupported", not 0.
pub const ENTRY_TYPES_OF_INTEREST: &[&str] = &[
    "navigation",
    "paint",
    "largest-contentful-paint",
    "layout-shift",
    "event",
    "first-input",
    "longtask",
    "long-animation-frame",
    "resource",
    "soft-navigation",
    "visibility-state",
];

/// What PageVitals measured for one page view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Always [`VERSION`] when written by this build.
    pub version: u32,
    /// Which page view.
    pub page: ReportPage,
    /// The metrics that could be computed; absent ones have no value yet or are unsupported.
    pub metrics: Metrics,
    /// How many records of each entry type (and lifecycle event) the log held.
    pub entry_counts: BTreeMap<String, usize>,
    /// Entry types of interest the browser does not support.
    pub unsupported_entry_types: Vec<String>,
}

/// The page view a report describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportPage {
    /// The document URL.
    pub url: String,
    /// The page view's id.
    pub navigation_id: String,
    /// How the page view began.
    pub navigation_type: NavigationType,
    /// The browser's user agent string.
    pub user_agent: String,
}

/// Metric values, keyed by their web-vitals names.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metrics {
    /// First Contentful Paint.
    #[serde(rename = "FCP", default, skip_serializing_if = "Option::is_none")]
    pub fcp: Option<Metric<FcpAttribution>>,
    /// Time to First Byte.
    #[serde(rename = "TTFB", default, skip_serializing_if = "Option::is_none")]
    pub ttfb: Option<Metric<TtfbAttribution>>,
    /// Largest Contentful Paint.
    #[serde(rename = "LCP", default, skip_serializing_if = "Option::is_none")]
    pub lcp: Option<Metric<LcpAttribution>>,
    /// Cumulative Layout Shift.
    #[serde(rename = "CLS", default, skip_serializing_if = "Option::is_none")]
    pub cls: Option<Metric<ClsAttribution>>,
    /// Interaction to Next Paint.
    #[serde(rename = "INP", default, skip_serializing_if = "Option::is_none")]
    pub inp: Option<Metric<InpAttribution>>,
}

/// Builds the report for one page view's log.
pub fn analyze(log: &EntryLog) -> Report {
    let view = PageView::new(log);
    let mut entry_counts = BTreeMap::new();
    for record in &log.records {
        let key = match record {
            Record::Entry(entry) => entry.entry_type(),
            Record::Lifecycle(_) => "lifecycle",
        };
        *entry_counts.entry(key.to_owned()).or_insert(0) += 1;
    }
    let supported = &log.page.supported_entry_types;
    let unsupported_entry_types = ENTRY_TYPES_OF_INTEREST
        .iter()
        .filter(|t| !supported.iter().any(|s| s == *t))
        .map(|t| (*t).to_owned())
        .collect();
    Report {
        schema: SCHEMA.to_owned(),
        version: VERSION,
        page: ReportPage {
            url: log.page.url.clone(),
            navigation_id: log.page.navigation_id.clone(),
            navigation_type: view.navigation_type,
            user_agent: log.page.user_agent.clone(),
        },
        metrics: Metrics {
            fcp: fcp::fcp(log, &view),
            ttfb: ttfb::ttfb(&view),
            lcp: lcp::lcp(log, &view),
            cls: cls::cls(log, &view),
            inp: inp::inp(log, &view),
        },
        entry_counts,
        unsupported_entry_types,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{NAV, log_supporting, paint};

    #[test]
    fn metrics_are_keyed_by_web_vitals_names_and_absent_when_unsupported() {
        let records = format!(
            r#"{NAV},{},
               {{"entryType":"largest-contentful-paint","startTime":400,"url":"","selector":"h1"}},
               {{"entryType":"event","name":"click","startTime":900,"duration":48,
                 "processingStart":905,"processingEnd":910,"interactionId":7}}"#,
            paint(300.0)
        );
        let chromium = log_supporting(ENTRY_TYPES_OF_INTEREST, &records);
        let report = serde_json::to_value(analyze(&chromium)).unwrap();
        let names: Vec<&str> = report["metrics"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(names, ["CLS", "FCP", "INP", "LCP", "TTFB"]);
        assert_eq!(report["metrics"]["CLS"]["value"], 0.0);
        assert_eq!(report["metrics"]["INP"]["name"], "INP");

        // Firefox: no layout-shift, so no CLS (never 0), and the report says why.
        let firefox = log_supporting(
            &[
                "navigation",
                "paint",
                "largest-contentful-paint",
                "event",
                "first-input",
            ],
            &records,
        );
        let report = analyze(&firefox);
        assert!(report.metrics.cls.is_none());
        assert!(report.metrics.lcp.is_some() && report.metrics.inp.is_some());
        assert!(
            report
                .unsupported_entry_types
                .contains(&"layout-shift".to_owned())
        );
    }

    #[test]
    fn a_restored_page_view_starts_every_metric_afresh() {
        let records = r#"{"lifecycle":"pageshow","persisted":true,"time":9000},
            {"lifecycle":"restorepaint","time":9034.5},
            {"entryType":"layout-shift","startTime":9100,"value":0.05,"hadRecentInput":false},
            {"entryType":"event","name":"keydown","startTime":9200,"duration":64,
             "processingStart":9210,"processingEnd":9220,"interactionId":70}"#;
        let log = crate::testing::log_with_page(
            ENTRY_TYPES_OF_INTEREST,
            r#","restoredAt":9000,"prerendering":true"#,
            records,
            "",
        );
        let report = serde_json::to_value(analyze(&log)).unwrap();
        let m = &report["metrics"];
        assert_eq!(report["page"]["navigationType"], "back-forward-cache");
        for name in ["FCP", "TTFB", "LCP", "CLS", "INP"] {
            assert_eq!(m[name]["navigationType"], "back-forward-cache", "{name}");
        }
        assert_eq!(m["FCP"]["value"], 34.5);
        assert_eq!(
            m["FCP"]["attribution"],
            serde_json::json!({"timeToFirstByte": 0.0, "firstByteToFCP": 34.5,
                               "loadState": "complete"})
        );
        assert_eq!(m["TTFB"]["value"], 0.0);
        assert_eq!(m["LCP"]["value"], 34.5);
        assert_eq!(m["LCP"]["attribution"]["elementRenderDelay"], 34.5);
        assert_eq!(m["CLS"]["value"], 0.05);
        assert_eq!(m["INP"]["value"], 64.0);
    }

    #[test]
    fn a_restored_page_view_has_no_fcp_or_lcp_before_its_first_frames() {
        let log = crate::testing::log_with_page(
            ENTRY_TYPES_OF_INTEREST,
            r#","restoredAt":9000"#,
            r#"{"lifecycle":"pageshow","persisted":true,"time":9000}"#,
            "",
        );
        let report = analyze(&log);
        assert!(report.metrics.fcp.is_none() && report.metrics.lcp.is_none());
        assert_eq!(report.metrics.cls.map(|m| m.value), Some(0.0));
    }
}
