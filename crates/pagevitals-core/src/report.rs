//! The report: the one wire format shared by the extension's background and popup, the
//! headless tools and the command-line tool. Schema `pagevitals-report`, version 1; any
//! change to these types that is not purely additive bumps [`VERSION`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fcp::{self, FcpAttribution};
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
        },
        entry_counts,
        unsupported_entry_types,
    }
}
