//! The report: the one wire format shared by the extension's background and popup, the
//! headless tools and the command-line tool. Schema `pagevitals-report`, version 1; any
//! change to these types that is not purely additive bumps [`VERSION`].
//!
//! The summaries beyond web-vitals (`longTasks`, `longAnimationFrames`, `resources`) were
//! added to version 1 as optional sections: a reader of the earlier version-1 shape ignores
//! them, and each is absent where the browser lacks its entry type, so the version stays 1.
//! `recommendations` was added the same way: a reader of the earlier shape ignores it, and a
//! report written before it reads back with an empty list.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::budget::{BudgetError, BudgetFile, Evaluation};
use crate::cls::{self, ClsAttribution};
use crate::fcp::{self, FcpAttribution};
use crate::inp::{self, InpAttribution};
use crate::lcp::{self, LcpAttribution};
use crate::log::{AgentCost, EntryLog, Record};
use crate::long_animation_frames::{self, LongAnimationFrames};
use crate::long_tasks::{self, LongTasks};
use crate::metric::{Metric, NavigationType};
use crate::page::PageView;
use crate::resources::{self, Resources};
use crate::rules::{self, Finding};
use crate::score::{self, Scores};
use crate::soft_navigations::{self, RouteMetrics, RoutePage};
use crate::ttfb::{self, TtfbAttribution};
use crate::verdict::{self, Verdict};

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
    "interaction-contentful-paint",
    "visibility-state",
];

/// What PageVitals measured for one page view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The worst Core Web Vital measured so far (what the badge shows); absent before any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// How many records of each entry type the log held; lifecycle events count as
    /// `lifecycle`, the background's response records as `response`.
    pub entry_counts: BTreeMap<String, usize>,
    /// Entry types of interest the browser does not support.
    pub unsupported_entry_types: Vec<String>,
    /// Records the background dropped to keep the page view's log within its bounds, by
    /// kind ([`crate::log::compact`]); absent when none were. Dropped layout shifts change
    /// nothing; for any other kind, the summaries built from it (resources, long tasks,
    /// long animation frames, INP past the kept event entries) cover only the records kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dropped: BTreeMap<String, u64>,
    /// The agent's own main-thread time on the page, as it measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_cost: Option<AgentCost>,
    /// Long tasks and Total Blocking Time; absent where `longtask` is unsupported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_tasks: Option<LongTasks>,
    /// Long animation frames and their worst scripts; absent where `long-animation-frame`
    /// is unsupported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_animation_frames: Option<LongAnimationFrames>,
    /// What the page view loaded; absent where `resource` is unsupported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// What to fix, ranked by estimated saving, largest first ([`crate::rules`]); empty when
    /// nothing was found.
    #[serde(default)]
    pub recommendations: Vec<Finding>,
    /// One report per soft navigation (single-page-app route change), in order; empty where
    /// `soft-navigation` is unsupported or none happened. `metrics` above keep spanning the
    /// whole page view.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub soft_navigations: Vec<SoftNavigationReport>,
    /// The estimated Lighthouse performance score and the Core Web Vitals assessment
    /// ([`crate::score`], which reads the rest of the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Scores>,
    /// The page view checked against a budget ([`crate::budget`]), when one was given:
    /// [`check_budget`] fills it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budgets: Option<BudgetCheck>,
    /// How a headless tool ran this page view (`audit`, the Playwright module); absent for a
    /// visit the extension measured as the user browsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<RunConditions>,
}

/// The conditions of a measured run, as the tool that ran it set them up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RunConditions {
    /// The browser's state when the page was opened.
    pub cache: CacheState,
    /// Which counted run of its URL this was, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
}

/// The browsing state a run starts from. Runs in different states measure different things
/// (a first visit, a repeat view) and are never aggregated, budgeted or compared together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum CacheState {
    /// A first visit: empty HTTP cache, no cookies, service workers or storage.
    Cold,
    /// A repeat view: after one uncounted priming load of the same URL in the same state.
    Warm,
}

impl CacheState {
    /// The word the tools and their options use.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheState::Cold => "cold",
            CacheState::Warm => "warm",
        }
    }
}

/// Whether `reports` can be aggregated together: `Err` names the two cache states when some
/// runs were cold and others warm (reports without run conditions, live visits, go with any).
pub fn same_cache_state(reports: &[Report]) -> Result<(), String> {
    let mut states = reports
        .iter()
        .filter_map(|r| r.run.as_ref().map(|run| run.cache));
    let Some(first) = states.next() else {
        return Ok(());
    };
    match states.find(|s| *s != first) {
        None => Ok(()),
        Some(other) => Err(format!(
            "the reports mix {} and {} runs, which measure different things (a first visit, a \
             repeat view); check or compare each cache state on its own",
            first.as_str(),
            other.as_str()
        )),
    }
}

/// A report's budget check: the evaluation, or why the budget file could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum BudgetCheck {
    /// The budget was read and the page view checked against it.
    Evaluation(Evaluation),
    /// The budget file is malformed.
    Error(BudgetError),
}

/// Checks `report` (one run) against a budget file and stores the evaluation in
/// `report.budgets`.
pub fn check_budget(report: &mut Report, file: &BudgetFile) {
    report.budgets = None;
    let evaluation = crate::budget::evaluate(file, std::slice::from_ref(report));
    report.budgets = Some(BudgetCheck::Evaluation(evaluation));
}

/// What PageVitals measured for one route of a single-page app: the metrics web-vitals v6
/// reports with `reportSoftNavs` (navigation type `soft-navigation`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SoftNavigationReport {
    /// Which route.
    pub page: RoutePage,
    /// The route's metrics.
    pub metrics: Metrics,
    /// The worst of the route's Core Web Vitals so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

impl From<RouteMetrics> for SoftNavigationReport {
    fn from(route: RouteMetrics) -> Self {
        let metrics = Metrics {
            fcp: route.fcp,
            ttfb: route.ttfb,
            lcp: route.lcp,
            cls: route.cls,
            inp: route.inp,
        };
        SoftNavigationReport {
            page: route.page,
            verdict: verdict::verdict(
                metrics.lcp.as_ref(),
                metrics.inp.as_ref(),
                metrics.cls.as_ref(),
            ),
            metrics,
        }
    }
}

/// The page view a report describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    // Counted by borrowed name, owned once per type rather than once per record.
    let mut counts = BTreeMap::<&str, usize>::new();
    for record in &log.records {
        let key = match record {
            Record::Entry(entry) => entry.entry_type(),
            Record::Lifecycle(_) => "lifecycle",
            Record::Response(_) => "response",
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    let entry_counts = counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
    let supported = &log.page.supported_entry_types;
    let unsupported_entry_types = ENTRY_TYPES_OF_INTEREST
        .iter()
        .filter(|t| !supported.iter().any(|s| s == *t))
        .map(|t| (*t).to_owned())
        .collect();
    // Joined to their responses once, for the resource summary and for the rules.
    let requests = resources::requests(log, &view);
    let metrics = Metrics {
        fcp: fcp::fcp(log, &view),
        ttfb: ttfb::ttfb(&view),
        lcp: lcp::lcp(log, &view),
        cls: cls::cls(log, &view),
        inp: inp::inp(log, &view),
    };
    let mut report = Report {
        schema: SCHEMA.to_owned(),
        version: VERSION,
        page: ReportPage {
            url: log.page.url.clone(),
            navigation_id: log.page.navigation_id.clone(),
            navigation_type: view.navigation_type,
            user_agent: log.page.user_agent.clone(),
        },
        verdict: verdict::verdict(
            metrics.lcp.as_ref(),
            metrics.inp.as_ref(),
            metrics.cls.as_ref(),
        ),
        metrics,
        entry_counts,
        unsupported_entry_types,
        dropped: log.dropped.clone(),
        agent_cost: log.agent_cost,
        long_tasks: long_tasks::long_tasks(log, &view),
        long_animation_frames: long_animation_frames::long_animation_frames(log, &view),
        resources: requests
            .as_ref()
            .map(|(requests, status)| resources::summarise(requests, *status)),
        recommendations: Vec::new(),
        score: None,
        budgets: None,
        run: None,
        soft_navigations: soft_navigations::routes(log, &view)
            .into_iter()
            .map(SoftNavigationReport::from)
            .collect(),
    };
    // Rules and scores read the finished metrics and summaries.
    report.recommendations =
        rules::run(&rules::Context::with_requests(log, &report, view, requests));
    report.score = Some(score::scores(&report));
    report
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::log::{
        DomRect, Entry, EventTiming, InputKind, LargestContentfulPaint, LayoutShift,
        LayoutShiftSource, Lifecycle, LoafScript, LongAnimationFrame, LongTask, PageInfo, Paint,
        ResourceTiming, Response, VisibilityState,
    };
    use crate::testing::{NAV, log_supporting, paint};

    #[test]
    fn runs_in_different_cache_states_do_not_go_together() {
        let report = analyze(&log_supporting(
            &["paint"],
            &format!("{NAV},{}", paint(100.0)),
        ));
        let with = |cache| Report {
            run: Some(RunConditions {
                cache,
                index: Some(1),
            }),
            ..report.clone()
        };
        let (cold, warm) = (with(CacheState::Cold), with(CacheState::Warm));
        assert_eq!(same_cache_state(&[cold.clone(), cold.clone()]), Ok(()));
        assert_eq!(same_cache_state(&[report.clone(), warm.clone()]), Ok(()));
        assert_eq!(same_cache_state(&[]), Ok(()));
        let error = same_cache_state(&[cold.clone(), report, warm.clone()]).unwrap_err();
        assert!(error.contains("mix cold and warm runs"), "{error}");
        let json = serde_json::to_value(&warm).unwrap();
        assert_eq!(
            json["run"],
            serde_json::json!({"cache": "warm", "index": 1})
        );
        assert_eq!(serde_json::from_value::<Report>(json).unwrap(), warm);
    }

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

    #[test]
    fn entry_counts_count_response_records_and_summaries_are_camel_case_sections() {
        let records = format!(
            r#"{NAV},{},
               {{"entryType":"longtask","name":"self","startTime":400,"duration":120}},
               {{"response":{{"url":"http://x/","status":200,"type":"main_frame",
                 "headers":{{"server-timing":"app;dur=12"}}}}}}"#,
            paint(300.0)
        );
        let report =
            serde_json::to_value(analyze(&log_supporting(ENTRY_TYPES_OF_INTEREST, &records)))
                .unwrap();
        assert_eq!(report["entryCounts"]["response"], 1);
        assert_eq!(report["entryCounts"]["longtask"], 1);
        assert_eq!(report["longTasks"]["totalBlockingTime"], 70.0);
        assert_eq!(report["longAnimationFrames"]["count"], 0);
        assert_eq!(report["resources"]["total"]["requests"], 1);
        assert_eq!(report["resources"]["serverTiming"][0]["source"], "header");
        assert_eq!(report["resources"]["renderBlockingStatus"], "unavailable");
        // Firefox: none of the long-task sections, not even as zeros.
        let firefox = serde_json::to_value(analyze(&log_supporting(
            &["navigation", "paint", "resource"],
            &records,
        )))
        .unwrap();
        assert!(firefox.get("longTasks").is_none());
        assert!(firefox.get("longAnimationFrames").is_none());
        assert!(firefox.get("resources").is_some());
    }

    /// The recorded logs from real Chromium and Firefox under `tests/data`.
    fn recorded_logs() -> Vec<(String, String, EntryLog)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).unwrap();
                let recording: serde_json::Value = serde_json::from_str(&text).unwrap();
                let log = crate::log::parse_log(&recording["log"].to_string()).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                // "chromium 156.0.8078.79", "firefox 146.0": the engine's name.
                let browser = recording["browser"]
                    .as_str()
                    .unwrap_or_default()
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                (name, browser, log)
            })
            .collect()
    }

    #[test]
    fn recorded_logs_give_sane_summaries() {
        let logs = recorded_logs();
        assert!(logs.len() >= 10, "only {} recordings", logs.len());
        let mut seen = BTreeMap::new();
        for (name, browser, log) in &logs {
            *seen.entry(browser.clone()).or_insert(0) += 1;
            let report = analyze(log);
            assert!(serde_json::to_string(&report).is_ok(), "{name}");
            let entries: Vec<&ResourceTiming> = log
                .records
                .iter()
                .filter_map(|r| match r {
                    Record::Entry(Entry::Resource(r)) => Some(r.as_ref()),
                    _ => None,
                })
                .collect();
            let document = log.records.iter().rev().find_map(|r| match r {
                Record::Entry(Entry::Navigation(n)) => Some(n.as_ref()),
                _ => None,
            });
            let r = report
                .resources
                .as_ref()
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(
                r.total.requests,
                entries.len() + usize::from(document.is_some()),
                "{name}"
            );
            let doc = |f: fn(&crate::log::NavigationTiming) -> f64| document.map_or(0.0, f);
            let sum = |f: fn(&ResourceTiming) -> f64| entries.iter().map(|e| f(e)).sum::<f64>();
            assert_eq!(
                r.total.transfer_size,
                doc(|n| n.transfer_size) + sum(|e| e.transfer_size),
                "{name}"
            );
            assert_eq!(
                r.total.encoded_body_size,
                doc(|n| n.encoded_body_size) + sum(|e| e.encoded_body_size),
                "{name}"
            );
            assert_eq!(
                r.total.decoded_body_size,
                doc(|n| n.decoded_body_size) + sum(|e| e.decoded_body_size),
                "{name}"
            );
            // Every grouping partitions the same requests.
            let by_type: usize = r.by_type.values().map(|t| t.requests).sum();
            let by_domain: usize = r.by_domain.values().map(|d| d.totals.requests).sum();
            let by_party = r.first_party.requests + r.third_party.requests;
            assert_eq!(
                (by_type, by_domain, by_party),
                (r.total.requests, r.total.requests, r.total.requests),
                "{name}"
            );
            assert_eq!(
                r.by_type[&crate::resources::ResourceType::Document].requests,
                usize::from(document.is_some()),
                "{name}"
            );
            // The document is always first party.
            assert!(document.is_none() || r.first_party.requests >= 1, "{name}");
            assert!(r.largest.len() <= crate::resources::LARGEST);
            match browser.as_str() {
                "firefox" => {
                    assert_eq!(
                        r.render_blocking_status,
                        crate::resources::Availability::Unavailable,
                        "{name}"
                    );
                    assert!(r.total.render_blocking.is_none(), "{name}");
                    assert!(report.long_tasks.is_none(), "{name}");
                    assert!(report.long_animation_frames.is_none(), "{name}");
                    assert!(
                        report
                            .unsupported_entry_types
                            .contains(&"longtask".to_owned())
                    );
                }
                "chromium" => {
                    let tasks = report
                        .long_tasks
                        .as_ref()
                        .unwrap_or_else(|| panic!("{name}"));
                    let frames = report
                        .long_animation_frames
                        .as_ref()
                        .unwrap_or_else(|| panic!("{name}"));
                    assert_eq!(
                        tasks.count,
                        report.entry_counts.get("longtask").copied().unwrap_or(0)
                    );
                    assert_eq!(
                        frames.count,
                        report
                            .entry_counts
                            .get("long-animation-frame")
                            .copied()
                            .unwrap_or(0)
                    );
                    assert!(tasks.total_blocking_time.unwrap_or(0.0) <= tasks.total_duration);
                    if document.is_some() {
                        assert_eq!(
                            r.render_blocking_status,
                            crate::resources::Availability::Available,
                            "{name}"
                        );
                        // Chromium reports blocking what the fixtures put in a document's
                        // head without async or defer: fixture.css where a page links it, and
                        // the prerendered page's oracle script.
                        let blocking = entries
                            .iter()
                            .filter(|e| {
                                e.name.ends_with("/fixture.css")
                                    || e.name.ends_with("/web-vitals-oracle.js")
                            })
                            .count();
                        assert_eq!(r.total.render_blocking, Some(blocking), "{name}");
                    }
                }
                other => panic!("{name}: unknown browser {other:?}"),
            }
        }
        assert!(seen.get("chromium").copied().unwrap_or(0) > 0);
        assert!(seen.get("firefox").copied().unwrap_or(0) > 0);
    }

    #[test]
    fn saved_reports_read_back_equal() {
        // The command-line tool checks saved reports: every report must round-trip.
        for (name, _, log) in recorded_logs() {
            let report = analyze(&log);
            let text = serde_json::to_string(&report).unwrap();
            let back: Report =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(back, report, "{name}");
            let rows = report.resources.as_ref().and_then(|r| r.requests.as_ref());
            assert_eq!(
                rows.map(Vec::len),
                report.resources.as_ref().map(|r| r.total.requests),
                "{name}: every request is listed"
            );
        }
    }

    #[test]
    fn recorded_slow_input_has_long_tasks_blocking_and_worst_scripts() {
        let logs = recorded_logs();
        let Some((_, _, log)) = logs.iter().find(|(n, _, _)| n == "input.chromium.json") else {
            panic!("input.chromium.json missing");
        };
        let report = analyze(log);
        let tasks = report.long_tasks.unwrap_or_else(|| panic!("no longTasks"));
        assert_eq!(tasks.count, 2);
        assert!(tasks.total_blocking_time.unwrap_or(0.0) > 0.0);
        let frames = report
            .long_animation_frames
            .unwrap_or_else(|| panic!("no longAnimationFrames"));
        assert_eq!(frames.count, 2);
        assert!(!frames.worst_scripts.is_empty());
    }

    /// Numbers no browser sends but a log may hold (or arithmetic may reach).
    fn num() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(0.0),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN),
            -1e4..1e4f64,
        ]
    }

    fn rect(v: f64) -> DomRect {
        DomRect {
            x: v,
            y: v,
            width: v,
            height: v,
            top: v,
            right: v,
            bottom: v,
            left: v,
        }
    }

    /// Any record of the kinds the metrics read, with extreme numbers.
    fn record() -> impl Strategy<Value = Record> {
        let n = num;
        prop_oneof![
            (n(), n()).prop_map(|(t, v)| Record::Entry(Entry::Paint(Paint {
                name: "first-contentful-paint".into(),
                start_time: t + v,
            }))),
            (n(), any::<bool>()).prop_map(|(t, id)| {
                Record::Entry(Entry::LargestContentfulPaint(LargestContentfulPaint {
                    start_time: t,
                    render_time: t,
                    load_time: t,
                    size: t,
                    id: if id { "x".into() } else { String::new() },
                    url: "u".into(),
                    selector: None,
                    element_tag: None,
                    element_loading: None,
                    element_fetch_priority: None,
                }))
            }),
            (n(), n(), n()).prop_map(|(t, v, r)| {
                Record::Entry(Entry::LayoutShift(LayoutShift {
                    start_time: t,
                    value: v,
                    had_recent_input: false,
                    last_input_time: 0.0,
                    sources: vec![LayoutShiftSource {
                        previous_rect: rect(r),
                        current_rect: rect(r),
                        selector: Some(String::new()),
                    }],
                }))
            }),
            (n(), n(), n(), n(), 0..4u64, any::<bool>()).prop_map(|(t, d, ps, pe, id, fi)| {
                let e = EventTiming {
                    name: "keydown".into(),
                    start_time: t,
                    duration: d,
                    processing_start: ps,
                    processing_end: pe,
                    interaction_id: Some(id * 7),
                    cancelable: true,
                    target_selector: None,
                    selector: Some("b".into()),
                    interaction_count: None,
                };
                Record::Entry(if fi {
                    Entry::FirstInput(e)
                } else {
                    Entry::Event(e)
                })
            }),
            (n(), n(), n(), n(), n()).prop_map(|(t, d, sl, st, sd)| {
                Record::Entry(Entry::LongAnimationFrame(Box::new(LongAnimationFrame {
                    start_time: t,
                    duration: d,
                    render_start: 0.0,
                    style_and_layout_start: sl,
                    blocking_duration: 0.0,
                    first_ui_event_timestamp: 0.0,
                    scripts: vec![LoafScript {
                        name: "script".into(),
                        entry_type: "script".into(),
                        start_time: st,
                        duration: sd,
                        invoker: String::new(),
                        invoker_type: String::new(),
                        window_attribution: String::new(),
                        execution_start: st,
                        forced_style_and_layout_duration: sd,
                        pause_duration: 0.0,
                        source_url: String::new(),
                        source_function_name: String::new(),
                        source_char_position: -1,
                        other: Default::default(),
                    }],
                })))
            }),
            (n(), n(), n()).prop_map(|(t, rs, re)| {
                let json = r#"{"name":"u","startTime":0,"requestStart":0,"responseEnd":0}"#;
                let mut r: ResourceTiming = serde_json::from_str(json).unwrap();
                (r.start_time, r.request_start, r.response_end) = (t, rs, re);
                Record::Entry(Entry::Resource(Box::new(r)))
            }),
            (
                n(),
                prop_oneof![Just(InputKind::Keydown), Just(InputKind::Click)]
            )
                .prop_map(|(time, kind)| Record::Lifecycle(Lifecycle::Input { kind, time })),
            n().prop_map(|time| Record::Lifecycle(Lifecycle::VisibilityChange {
                state: VisibilityState::Hidden,
                time,
            })),
            n().prop_map(|time| Record::Lifecycle(Lifecycle::PageShow {
                persisted: true,
                time,
            })),
            n().prop_map(|time| Record::Lifecycle(Lifecycle::RestorePaint { time })),
            (n(), n()).prop_map(|(start_time, duration)| Record::Entry(Entry::LongTask(
                LongTask {
                    start_time,
                    duration,
                    name: "self".into()
                }
            ))),
            (
                any::<bool>(),
                ".{0,30}",
                prop_oneof![Just("u"), Just("http://y/a.js")]
            )
                .prop_map(|(from_cache, header, url)| {
                    Record::Response(Box::new(Response {
                        url: url.into(),
                        status: 200,
                        from_cache,
                        resource_type: "script".into(),
                        headers: [
                            ("server-timing".to_owned(), header.clone()),
                            ("timing-allow-origin".to_owned(), header),
                        ]
                        .into_iter()
                        .collect(),
                    }))
                }),
        ]
    }

    proptest! {
        #[test]
        fn analyze_never_panics_and_always_serialises(
            records in prop::collection::vec(record(), 0..30),
            now in num(),
            count in proptest::option::of(num()),
            restored_at in proptest::option::of(num()),
            with_navigation in any::<bool>(),
        ) {
            let mut records = records;
            if with_navigation {
                let nav = crate::testing::log(NAV).records;
                records.splice(0..0, nav);
            }
            let log = EntryLog {
                page: PageInfo {
                    url: "http://x/".into(),
                    navigation_id: "n".into(),
                    time_origin: 0.0,
                    user_agent: String::new(),
                    supported_entry_types: ENTRY_TYPES_OF_INTEREST
                        .iter()
                        .map(|t| (*t).to_owned())
                        .collect(),
                    initial_visibility: VisibilityState::Visible,
                    prerendering: false,
                    was_discarded: false,
                    restored_at,
                },
                now,
                interaction_count: count,
                records,
                dropped: BTreeMap::new(),
                agent_cost: None,
            };
            let report = analyze(&log);
            prop_assert!(serde_json::to_string(&report).is_ok());
        }
    }
}
