//! Recommendations: what to fix, read from the metrics and summaries of a report and the
//! requests of its log, ranked by what fixing it would save.
//!
//! One module per rule, each opening with its thresholds as named constants citing the
//! Lighthouse audit or DevTools insight they follow, and documenting where the log lacks a
//! fact the browser-side tools have (and which agent field would supply it). Every rule is a
//! pure function of a [`Context`] that returns zero or more [`Finding`]s; [`recommend`] runs
//! them all and ranks the findings. The layer sits above the metrics and summaries and below
//! the report: nothing lower knows about it. The full catalogue, with triggers, thresholds
//! and saving estimates, is `docs/recommendations.md`.
//!
//! **Ranking.** A finding's saving is in ms, in bytes, or both. To rank them on one scale,
//! bytes are turned into time at Lighthouse's simulated mobile throughput
//! ([`THROUGHPUT_KBPS`]) and added to the ms; findings are sorted by that, largest first
//! (ties by id, then by order of the rules). The severity is the same figure rated against
//! Lighthouse's byte-efficiency score bands ([`WASTED_MS_FOR_AVERAGE`],
//! [`WASTED_MS_FOR_POOR`]).

use serde::{Deserialize, Serialize};

use crate::log::{EntryLog, NavigationTiming};
use crate::page::PageView;
use crate::report::Report;
use crate::resources::{self, Availability, Request, ResourceType};

pub mod backend_timing;
pub mod bundle_size;
pub mod cache_headers;
pub mod cache_ttl;
pub mod document_latency;
pub mod duplicate_requests;
pub mod lcp_breakdown;
pub mod lcp_discovery;
pub mod long_tasks;
pub mod render_blocking;
pub mod repeat_view;
pub mod text_compression;
pub mod third_parties;

/// Lighthouse `byte-efficiency-audit.js` `WASTED_MS_FOR_AVERAGE`: a saving from here on
/// scores "average" (our [`Severity::Medium`]).
pub const WASTED_MS_FOR_AVERAGE: f64 = 300.0;

/// Lighthouse `byte-efficiency-audit.js` `WASTED_MS_FOR_POOR`: a saving from here on scores
/// "poor" (our [`Severity::High`]).
pub const WASTED_MS_FOR_POOR: f64 = 750.0;

/// Lighthouse's simulated mobile throughput (`core/config/constants.js`,
/// `throttling.mobileSlow4G.throughputKbps`, 1.6 Mbit/s; the simulator counts 1024 bits a
/// kilobit). Used only to rank byte savings against time savings.
pub const THROUGHPUT_KBPS: f64 = 1.6 * 1024.0;

/// How serious a finding is, from its saving (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Saves [`WASTED_MS_FOR_POOR`] or more.
    High,
    /// Saves [`WASTED_MS_FOR_AVERAGE`] or more.
    Medium,
    /// Saves less, or is a diagnostic without a saving.
    Low,
}

/// What fixing a finding would save, and how that was estimated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Saving {
    /// Milliseconds of the metric named in `method`; absent when not estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<f64>,
    /// Bytes over the network; absent when not estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<f64>,
    /// How the figures were estimated, in one sentence.
    pub method: String,
}

/// One fact a finding rests on: a URL, a size, a time, or a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// What this is (`render-blocking stylesheet`, `server response time`, ...).
    pub label: String,
    /// The request it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A time, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<f64>,
    /// A size, bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<f64>,
    /// Anything else (a header value, a heuristic's caveat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Evidence {
    /// Evidence with only a label.
    pub fn new(label: impl Into<String>) -> Self {
        Evidence {
            label: label.into(),
            url: None,
            ms: None,
            bytes: None,
            detail: None,
        }
    }

    /// With the request's URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// With a time, ms.
    pub fn ms(mut self, ms: f64) -> Self {
        self.ms = Some(ms);
        self
    }

    /// With a size, bytes.
    pub fn bytes(mut self, bytes: f64) -> Self {
        self.bytes = Some(bytes);
        self
    }

    /// With a note.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Something to fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's stable id (`render-blocking-resources`, ...); Lighthouse's audit id where
    /// the rule follows one.
    pub id: String,
    /// One line saying what is wrong.
    pub title: String,
    /// From the saving.
    pub severity: Severity,
    /// The facts it rests on.
    pub evidence: Vec<Evidence>,
    /// What fixing it would save.
    pub saving: Saving,
    /// The fix in one sentence, for one-line summaries (Markdown, JUnit, the terminal);
    /// empty in reports written before it existed.
    #[serde(default)]
    pub action: String,
    /// One paragraph on how to fix it.
    pub fix: String,
}

/// A rule's advice: the fix in one sentence, and the paragraph on how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fix {
    /// One sentence, imperative: what to do ([`Finding::action`]).
    pub action: &'static str,
    /// One paragraph: how, with the details ([`Finding::fix`]).
    pub how: &'static str,
}

impl Finding {
    /// A finding whose severity follows from its saving.
    pub fn new(
        id: &str,
        title: impl Into<String>,
        evidence: Vec<Evidence>,
        saving: Saving,
        fix: &Fix,
    ) -> Self {
        let mut finding = Finding {
            id: id.to_owned(),
            title: title.into(),
            severity: Severity::Low,
            evidence,
            saving,
            action: fix.action.to_owned(),
            fix: fix.how.to_owned(),
        };
        let rank = finding.rank_ms();
        finding.severity = if rank >= WASTED_MS_FOR_POOR {
            Severity::High
        } else if rank >= WASTED_MS_FOR_AVERAGE {
            Severity::Medium
        } else {
            Severity::Low
        };
        finding
    }

    /// The saving on one time scale: ms plus bytes at [`THROUGHPUT_KBPS`]; never NaN.
    pub fn rank_ms(&self) -> f64 {
        finite(self.saving.ms.unwrap_or(0.0)) + bytes_to_ms(self.saving.bytes.unwrap_or(0.0))
    }
}

/// `bytes` at [`THROUGHPUT_KBPS`], ms; 0 for anything not a positive finite number.
pub fn bytes_to_ms(bytes: f64) -> f64 {
    finite(bytes * 8.0 / (THROUGHPUT_KBPS * 1024.0) * 1000.0)
}

/// `x` when finite and positive, else 0: what a saving or a size can be.
pub(crate) fn finite(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// What every rule reads: the log, the report built from it, the page-view context and the
/// requests joined with their response records.
pub struct Context<'a> {
    /// The entry log.
    pub log: &'a EntryLog,
    /// The report's metrics and summaries.
    pub report: &'a Report,
    pub(crate) view: PageView<'a>,
    /// The document first, then every `resource` entry; empty where `resource` is
    /// unsupported.
    pub(crate) requests: Vec<Request<'a>>,
    /// Whether `renderBlockingStatus` is known; `None` where `resource` is unsupported.
    pub(crate) render_blocking_status: Option<Availability>,
}

impl<'a> Context<'a> {
    /// The context for a log and the report built from it.
    pub fn new(log: &'a EntryLog, report: &'a Report) -> Self {
        let view = PageView::new(log);
        let requests = resources::requests(log, &view);
        Context::with_requests(log, report, view, requests)
    }

    /// The context with the page view and the requests the report was built from, so that
    /// `analyze` joins the requests to their responses once.
    pub(crate) fn with_requests(
        log: &'a EntryLog,
        report: &'a Report,
        view: PageView<'a>,
        requests: Option<(Vec<Request<'a>>, Availability)>,
    ) -> Self {
        let (requests, status) = match requests {
            Some((r, s)) => (r, Some(s)),
            None => (Vec::new(), None),
        };
        Context {
            log,
            report,
            view,
            requests,
            render_blocking_status: status,
        }
    }

    /// The valid navigation entry.
    pub(crate) fn navigation(&self) -> Option<&'a NavigationTiming> {
        self.view.navigation
    }

    /// The `resource` entries' requests (the document left out).
    pub(crate) fn subresources(&self) -> impl Iterator<Item = &Request<'a>> {
        self.requests
            .iter()
            .filter(|r| matches!(r.source, resources::Source::Resource(_)))
    }

    /// FCP as a time from time origin.
    pub(crate) fn fcp_time(&self) -> Option<f64> {
        let fcp = self.report.metrics.fcp.as_ref()?;
        Some(fcp.value + self.view.activation_start)
    }

    /// LCP as a time from time origin.
    pub(crate) fn lcp_time(&self) -> Option<f64> {
        let lcp = self.report.metrics.lcp.as_ref()?;
        Some(lcp.value + self.view.activation_start)
    }
}

/// The HTTP status of a request: the response record's, else the entry's `responseStatus`
/// (0 when neither says).
pub(crate) fn status(r: &Request<'_>) -> u16 {
    if let Some(resp) = r.response {
        return resp.status;
    }
    match r.source {
        resources::Source::Resource(e) => e.response_status,
        resources::Source::Document(_) => 0,
    }
}

/// Lighthouse `uses-long-cache-ttl.js` `STATIC_RESOURCE_TYPES`: the types a long cache
/// lifetime is expected for.
pub(crate) const STATIC_TYPES: [ResourceType; 5] = [
    ResourceType::Font,
    ResourceType::Image,
    ResourceType::Media,
    ResourceType::Script,
    ResourceType::Stylesheet,
];

/// The MIME type essence: lower case, parameters dropped.
pub(crate) fn mime_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Every rule, run on one log and its report, ranked by saving.
pub fn recommend(log: &EntryLog, report: &Report) -> Vec<Finding> {
    run(&Context::new(log, report))
}

/// Every rule on a context, ranked by saving.
pub(crate) fn run(cx: &Context<'_>) -> Vec<Finding> {
    let rules: [fn(&Context<'_>) -> Vec<Finding>; 13] = [
        render_blocking::check,
        lcp_breakdown::check,
        lcp_discovery::check,
        long_tasks::check,
        document_latency::check,
        text_compression::check,
        bundle_size::check,
        duplicate_requests::check,
        third_parties::check,
        cache_ttl::check,
        cache_headers::check,
        repeat_view::check,
        backend_timing::check,
    ];
    let mut findings: Vec<Finding> = rules.iter().flat_map(|rule| rule(cx)).collect();
    // Stable: equal savings and ids stay in rule order.
    findings.sort_by(|a, b| {
        b.rank_ms()
            .total_cmp(&a.rank_ms())
            .then_with(|| a.id.cmp(&b.id))
    });
    findings
}

#[cfg(test)]
pub(crate) mod testing {
    //! What the rules' tests share: a log in, the findings of one rule out.

    use super::*;

    /// The findings with `id` for a log of `records` (see [`crate::testing::log`]).
    pub(crate) fn findings(records: &str, id: &str) -> Vec<Finding> {
        findings_of(&crate::testing::log(records), id)
    }

    /// The findings with `id` for `log`.
    pub(crate) fn findings_of(log: &EntryLog, id: &str) -> Vec<Finding> {
        crate::report::analyze(log)
            .recommendations
            .into_iter()
            .filter(|f| f.id == id)
            .collect()
    }

    /// A `resource` entry: `url`, `initiatorType`, start 10, request 20, response end 30,
    /// `sizes` (transfer, encoded, decoded), plus `extra` fields (with a leading `,`).
    pub(crate) fn resource(
        url: &str,
        initiator: &str,
        sizes: (f64, f64, f64),
        extra: &str,
    ) -> String {
        let (t, e, d) = sizes;
        format!(
            r#"{{"entryType":"resource","name":"{url}","initiatorType":"{initiator}",
                "startTime":10,"requestStart":20,"responseStart":25,"responseEnd":30,
                "transferSize":{t},"encodedBodySize":{e},"decodedBodySize":{d}{extra}}}"#
        )
    }

    /// A response record with `headers` (JSON members, no braces).
    pub(crate) fn response(url: &str, web_request_type: &str, headers: &str) -> String {
        format!(
            r#"{{"response":{{"url":"{url}","status":200,"fromCache":false,
                "type":"{web_request_type}","headers":{{{headers}}}}}}}"#
        )
    }

    /// [`crate::testing::NAV`] with `fields` (no leading `,`) added.
    pub(crate) fn nav_with(fields: &str) -> String {
        let mut nav = crate::testing::NAV.trim_end().to_owned();
        nav.pop();
        format!("{nav},{fields}}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_follows_the_saving_and_bytes_rank_at_the_simulated_throughput() {
        let f = |ms: Option<f64>, bytes: Option<f64>| {
            Finding::new(
                "x",
                "x",
                Vec::new(),
                Saving {
                    ms,
                    bytes,
                    method: String::new(),
                },
                &Fix {
                    action: "",
                    how: "",
                },
            )
        };
        assert_eq!(f(Some(800.0), None).severity, Severity::High);
        assert_eq!(f(Some(300.0), None).severity, Severity::Medium);
        assert_eq!(f(None, None).severity, Severity::Low);
        assert_eq!(f(Some(f64::NAN), Some(f64::INFINITY)).rank_ms(), 0.0);
        // 1.6 x 1024 x 1024 bits = 209715.2 bytes: one second at 1.6 Mbit/s.
        assert!((bytes_to_ms(209_715.2) - 1000.0).abs() < 1e-9);
        assert_eq!(f(None, Some(209_715.2)).severity, Severity::High);
    }
}

#[cfg(test)]
mod recorded {
    //! The rules on every log recorded from real Chromium and Firefox (`tests/data`).

    use super::*;

    /// What a one-line summary can print: a capitalised sentence of at most 140 characters,
    /// ending with its only full stop.
    fn is_one_sentence(text: &str) -> bool {
        text.chars().next().is_some_and(char::is_uppercase)
            && text.len() <= 140
            && text.ends_with('.')
            && !text[..text.len() - 1].contains(". ")
    }

    #[test]
    fn recorded_logs_give_ranked_serialisable_findings() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let recording: serde_json::Value = serde_json::from_str(&text).unwrap();
            let log = crate::log::parse_log(&recording["log"].to_string()).unwrap();
            let report = crate::report::analyze(&log);
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let ranks: Vec<f64> = report
                .recommendations
                .iter()
                .map(Finding::rank_ms)
                .collect();
            assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{name}: not ranked");
            let json = serde_json::to_value(&report.recommendations).unwrap();
            let ids: Vec<&str> = report
                .recommendations
                .iter()
                .map(|f| f.id.as_str())
                .collect();
            assert!(json.is_array(), "{name}");
            for f in &report.recommendations {
                assert!(
                    is_one_sentence(&f.action),
                    "{name}: {}: {:?}",
                    f.id,
                    f.action
                );
            }
            // The recording server sends hero.png with max-age=3600: a short lifetime.
            if log.records.iter().any(|r| {
                matches!(r, crate::log::Record::Response(resp)
                    if resp.url.contains("hero.png") && !resp.from_cache
                        && resp.header("cache-control") == Some("max-age=3600"))
            }) {
                assert!(ids.contains(&cache_ttl::ID), "{name}: {ids:?}");
            }
        }
    }
}
