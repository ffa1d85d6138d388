//! Checking reports against a budget file.
//!
//! Each report (one run) is checked against the last budget whose path matches its page URL
//! ([`select`]); runs under the same budget form a group, and each item is measured in every
//! run of its group and combined by the file's [`Aggregate`]. Each item gives a
//! [`BudgetResult`]: the measured value, the limit, the status, how much over, and which
//! budget and item applied.
//!
//! Nothing passes silently: an item the page view cannot give is `notMeasurable` (a lab-only
//! metric, no interaction for INP, a file served from cache for a transfer-size budget) or
//! `unsupported` (the browser lacks the entries), each with a note saying why, never 0.
//! Items computed differently from Lighthouse's lab (TBT over the field window, Max Potential
//! FID, the score) are marked `estimated`.
//!
//! What each item compares:
//! - resource sizes and counts: the report's per-type, total and party totals; sizes are
//!   `transferSize` in KiB. In the field, a cache hit transfers 0 bytes and a cross-origin
//!   response without Timing-Allow-Origin shows 0 bytes: the note counts the latter. Third
//!   party is by registrable domain unless `firstPartyHostnames` is given;
//! - per-file budgets: every request whose URL matches the glob must be within the limit; the
//!   result is the largest. `transfer` compares `transferSize` (a cache hit or hidden size is
//!   not measurable); `gzip` and `brotli` compare `encodedBodySize` only when the response's
//!   `Content-Encoding` is `gzip` or `br`: a response in another encoding is not measurable,
//!   as PageVitals does not recompress anything;
//! - Server-Timing budgets: the longest `dur` of a metric of that name on any request.

use serde::{Deserialize, Serialize};

use super::lighthouse::{is_first_party_host, path_matches};
use super::{
    Aggregate, Budget, BudgetFile, BudgetResourceType, Check, Compression, Format, Item, Level,
    LoafMeasure, RegressionMetric, Timing, Unit,
};
use crate::metric::MetricName;
use crate::rating::{Rating, Thresholds};
use crate::report::Report;
use crate::resources::{ResourceRow, Totals, host};

/// Bytes in Lighthouse's budget KB (`budget.js` multiplies by 1024).
const BYTES_PER_KIB: f64 = 1024.0;

/// An item's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Within the limit.
    Pass,
    /// The page view cannot give this value; see the note.
    NotMeasurable,
    /// The browser lacks what this value needs; see the note.
    Unsupported,
    /// Over a `warn` limit.
    Warn,
    /// Over an `error` limit: a budget failure.
    Fail,
}

/// The outcome of one budget item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BudgetResult {
    /// JSON pointer of the item in the budget file.
    pub pointer: String,
    /// What is checked, in words (`timings largest-contentful-paint`).
    pub name: String,
    /// The unit of `measured`, `limit` and `over`.
    pub unit: Unit,
    /// The item's level.
    pub level: Level,
    /// The measured value, aggregated over runs; absent when not measurable or unsupported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<f64>,
    /// The limit: a maximum, or for scores a minimum.
    pub limit: f64,
    /// The outcome.
    pub status: Status,
    /// How far past the limit, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over: Option<f64>,
    /// True when the value is Lighthouse's lab value approximated from field data.
    pub estimated: bool,
    /// How many runs measured the value.
    pub runs: usize,
    /// What the value belongs to, when narrower than the page (the largest file's URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Why it is not measurable, unsupported or estimated, or what it leaves out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The results of the runs one budget applied to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GroupResult {
    /// JSON pointer of the budget that applied.
    pub budget: String,
    /// Its path pattern; absent for every page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The page URLs of its runs, in run order, each once.
    pub urls: Vec<String>,
    /// How many runs.
    pub runs: usize,
    /// One result per item, in file order.
    pub results: Vec<BudgetResult>,
}

/// The outcome of checking reports against a budget file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The budget file's name.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// How runs were combined.
    pub aggregate: Aggregate,
    /// `fail` when any item failed, else `warn` when any warned, else `pass`.
    pub status: Status,
    /// Per applied budget, in file order.
    pub groups: Vec<GroupResult>,
    /// Page URLs no budget's path matched (each once).
    pub unmatched: Vec<String>,
}

/// Which budget applies to a page: the last whose path matches (no path matches all).
pub fn select(file: &BudgetFile, url: &str) -> Option<usize> {
    file.budgets
        .iter()
        .rposition(|b| b.path.as_deref().is_none_or(|p| path_matches(p, url)))
}

/// Checks reports (runs) against a budget file.
pub fn evaluate(file: &BudgetFile, reports: &[Report]) -> Evaluation {
    evaluate_against(file, reports, &[])
}

/// Checks reports (runs) against a budget file, its `regressions` items against `baseline`'s
/// runs of the pages each budget applies to (none: not measurable).
pub fn evaluate_against(file: &BudgetFile, reports: &[Report], baseline: &[Report]) -> Evaluation {
    let mut before: Vec<Vec<&Report>> = vec![Vec::new(); file.budgets.len()];
    for report in baseline {
        if let Some(i) = select(file, &report.page.url) {
            before[i].push(report);
        }
    }
    let mut runs: Vec<Vec<&Report>> = vec![Vec::new(); file.budgets.len()];
    let mut unmatched: Vec<String> = Vec::new();
    for report in reports {
        match select(file, &report.page.url) {
            Some(i) => runs[i].push(report),
            None => push_once(&mut unmatched, &report.page.url),
        }
    }
    let groups: Vec<GroupResult> = file
        .budgets
        .iter()
        .zip(&runs)
        .zip(&before)
        .filter(|((_, runs), _)| !runs.is_empty())
        .map(|((budget, runs), before)| {
            let mut urls = Vec::new();
            for r in runs {
                push_once(&mut urls, &r.page.url);
            }
            GroupResult {
                budget: budget.pointer.clone(),
                path: budget.path.clone(),
                urls,
                runs: runs.len(),
                results: budget
                    .items
                    .iter()
                    .map(|item| match item.check {
                        Check::Regression { metric, relative } => {
                            check_regression(item, metric, relative, runs, before)
                        }
                        _ => check(item, budget, runs, file.aggregate),
                    })
                    .collect(),
            }
        })
        .collect();
    let status = groups
        .iter()
        .flat_map(|g| &g.results)
        .map(|r| r.status)
        .filter(|s| matches!(s, Status::Warn | Status::Fail))
        .max()
        .unwrap_or(Status::Pass);
    Evaluation {
        file: file.file.clone(),
        format: file.format,
        aggregate: file.aggregate,
        status,
        groups,
        unmatched,
    }
}

fn push_once(list: &mut Vec<String>, url: &str) {
    if !list.iter().any(|u| u == url) {
        list.push(url.to_owned());
    }
}

/// One run's measurement of an item.
#[derive(Debug, Clone, PartialEq)]
enum Measure {
    Value {
        value: f64,
        estimated: bool,
        subject: Option<String>,
        note: Option<String>,
    },
    NotMeasurable(String),
    Unsupported(String),
}

impl Measure {
    fn value(value: f64) -> Self {
        Measure::Value {
            value,
            estimated: false,
            subject: None,
            note: None,
        }
    }

    fn estimated(value: f64, note: &str) -> Self {
        Measure::Value {
            value,
            estimated: true,
            subject: None,
            note: Some(note.to_owned()),
        }
    }
}

/// An item's result before anything is measured: not measurable, over `runs` runs.
fn unmeasured(item: &Item, runs: usize) -> BudgetResult {
    BudgetResult {
        pointer: item.pointer.clone(),
        name: name(&item.check),
        unit: item.check.unit(),
        level: item.level,
        measured: None,
        limit: item.limit,
        status: Status::NotMeasurable,
        over: None,
        estimated: false,
        runs,
        subject: None,
        note: None,
    }
}

/// Measures an item in every run and aggregates.
fn check(item: &Item, budget: &Budget, runs: &[&Report], aggregate: Aggregate) -> BudgetResult {
    let minimum = item.check.is_minimum();
    let measures: Vec<Measure> = runs
        .iter()
        .map(|r| match measure(item, budget, r) {
            Measure::Value { value, .. } if value.is_nan() => {
                Measure::NotMeasurable("the value is not a number".to_owned())
            }
            m => m,
        })
        .collect();
    let values: Vec<f64> = measures
        .iter()
        .filter_map(|m| match m {
            Measure::Value { value, .. } => Some(*value),
            _ => None,
        })
        .collect();
    let mut result = unmeasured(item, values.len());
    let Some(value) = aggregate.of(&values, minimum) else {
        // Unsupported only when no run could have measured it.
        let unsupported = measures
            .iter()
            .all(|m| matches!(m, Measure::Unsupported(_)));
        result.status = if unsupported {
            Status::Unsupported
        } else {
            Status::NotMeasurable
        };
        result.note = measures.iter().find_map(|m| match m {
            Measure::NotMeasurable(n) if !unsupported => Some(n.clone()),
            Measure::Unsupported(n) if unsupported => Some(n.clone()),
            _ => None,
        });
        return result;
    };
    // The run whose value was taken lends its subject and note.
    if let Some(Measure::Value {
        estimated,
        subject,
        note,
        ..
    }) = measures
        .iter()
        .find(|m| matches!(m, Measure::Value { value: v, .. } if v.total_cmp(&value).is_eq()))
    {
        result.estimated = *estimated;
        result.subject = subject.clone();
        result.note = note.clone();
    }
    if values.len() < runs.len() {
        let missing = format!("measured in {} of {} runs", values.len(), runs.len());
        result.note = Some(match result.note {
            Some(n) => format!("{n}; {missing}"),
            None => missing,
        });
    }
    let over = if minimum {
        item.limit - value
    } else {
        value - item.limit
    };
    result.measured = Some(value);
    if over > 0.0 {
        result.over = Some(over);
        result.status = match item.level {
            Level::Warn => Status::Warn,
            Level::Error => Status::Fail,
        };
    } else {
        result.status = Status::Pass;
    }
    result
}

/// A regression item: the change of the median from the baseline's runs, failing (or
/// warning) only when it exceeds the limit and the Mann-Whitney test finds the runs differ at
/// [`crate::compare::ALPHA`].
fn check_regression(
    item: &Item,
    metric: RegressionMetric,
    relative: bool,
    runs: &[&Report],
    baseline: &[&Report],
) -> BudgetResult {
    let values = |reports: &[&Report]| -> Vec<f64> {
        reports
            .iter()
            .filter_map(|r| crate::compare::metric_value(r, metric.compare_name()))
            .collect()
    };
    let (now, before) = (values(runs), values(baseline));
    let mut result = unmeasured(item, now.len());
    if baseline.is_empty() {
        result.note = Some(
            "needs a baseline: pagevitals audit --baseline FILE, or check --baseline FILE"
                .to_owned(),
        );
        return result;
    }
    let median = |v: &[f64]| {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        crate::stats::nearest_rank(&s, 0.5)
    };
    let Some(test) = crate::stats::mann_whitney_u(&now, &before) else {
        result.note = Some(format!(
            "measured in {} current and {} baseline runs",
            now.len(),
            before.len()
        ));
        return result;
    };
    let (m_now, m_before) = (median(&now), median(&before));
    let scale = if metric == RegressionMetric::TransferSize {
        BYTES_PER_KIB
    } else {
        1.0
    };
    let change = if relative {
        if m_before == 0.0 {
            result.note = Some("the baseline's median is 0: no percentage of it".to_owned());
            return result;
        }
        (m_now - m_before) / m_before * 100.0
    } else {
        (m_now - m_before) / scale
    };
    result.measured = Some(change);
    let significant = test.p_value < crate::compare::ALPHA;
    result.note = Some(format!(
        "median {} -> {} over {} baseline and {} current runs; Mann-Whitney p {:.3}{}",
        (m_before / scale * 1000.0).round() / 1000.0,
        (m_now / scale * 1000.0).round() / 1000.0,
        before.len(),
        now.len(),
        test.p_value,
        if significant {
            ""
        } else {
            ": not significant, so not a regression"
        }
    ));
    let over = change - item.limit;
    if over > 0.0 && significant {
        result.over = Some(over);
        result.status = match item.level {
            Level::Warn => Status::Warn,
            Level::Error => Status::Fail,
        };
    } else {
        result.status = Status::Pass;
    }
    result
}

/// An item in words.
fn name(check: &Check) -> String {
    match check {
        Check::ResourceSize(t) => format!("resourceSizes {}", serde_name(t)),
        Check::ResourceCount(t) => format!("resourceCounts {}", serde_name(t)),
        Check::Timing(t) => format!("timings {}", serde_name(t)),
        Check::File { url, compression } => {
            format!("files {url} ({})", serde_name(compression))
        }
        Check::ServerTiming(n) => format!("serverTiming {n}"),
        Check::LongAnimationFrames(m) => format!("longAnimationFrames {}", serde_name(m)),
        Check::Rating { metric, at_least } => {
            format!(
                "ratings {} at least {}",
                metric.as_str(),
                serde_name(at_least)
            )
        }
        Check::Score(ff) => format!("scores {}", serde_name(ff)),
        Check::Regression { metric, relative } => format!(
            "regressions {}{}",
            serde_name(metric),
            if *relative { " (percent)" } else { "" }
        ),
    }
}

/// The name serde gives a unit variant (`third-party`, `brotli`).
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// One run's value of an item.
fn measure(item: &Item, budget: &Budget, report: &Report) -> Measure {
    match &item.check {
        Check::ResourceSize(t) => resource(report, budget, *t, |t| t.transfer_size / BYTES_PER_KIB),
        Check::ResourceCount(t) => resource(report, budget, *t, |t| t.requests as f64),
        Check::Timing(t) => timing(report, *t),
        Check::File { url, compression } => files(report, url, *compression),
        Check::ServerTiming(name) => server_timing(report, name),
        Check::LongAnimationFrames(m) => match &report.long_animation_frames {
            None => unsupported("long-animation-frame"),
            Some(f) => Measure::value(match m {
                LoafMeasure::Count => f.count as f64,
                LoafMeasure::TotalDuration => f.total_duration,
                LoafMeasure::TotalBlockingDuration => f.total_blocking_duration,
            }),
        },
        Check::Rating { metric, .. } => web_vital(report, *metric),
        Check::Score(ff) => {
            let s = crate::score::performance_score(report, *ff);
            match s.score {
                Some(v) => Measure::estimated(
                    v,
                    &format!(
                        "estimated from field metrics weighing {} of Lighthouse's 100, \
                         renormalised (Speed Index cannot be measured)",
                        s.measured_weight
                    ),
                ),
                None => Measure::NotMeasurable("no metric of the score measured".to_owned()),
            }
        }
        // Judged over all runs against a baseline, in `check_regression`.
        Check::Regression { .. } => Measure::NotMeasurable("needs a baseline".to_owned()),
    }
}

fn unsupported(entry_type: &str) -> Measure {
    Measure::Unsupported(format!(
        "the browser does not report `{entry_type}` entries"
    ))
}

fn resource(
    report: &Report,
    budget: &Budget,
    t: BudgetResourceType,
    of: impl Fn(&Totals) -> f64,
) -> Measure {
    let Some(r) = &report.resources else {
        return unsupported("resource");
    };
    let value = match t {
        BudgetResourceType::Total => of(&r.total),
        BudgetResourceType::Type(t) => r.by_type.get(&t).map_or(0.0, &of),
        BudgetResourceType::ThirdParty => match &budget.first_party_hostnames {
            None => of(&r.third_party),
            Some(hosts) => {
                let Some(rows) = &r.requests else {
                    return no_rows();
                };
                let third: Vec<&ResourceRow> = rows
                    .iter()
                    .filter(|row| host(&row.url).is_some_and(|h| !is_first_party_host(h, hosts)))
                    .collect();
                of(&Totals {
                    requests: third.len(),
                    transfer_size: third.iter().map(|r| r.transfer_size).sum(),
                    encoded_body_size: third.iter().map(|r| r.encoded_body_size).sum(),
                    decoded_body_size: third.iter().map(|r| r.decoded_body_size).sum(),
                    cache_hits: third.iter().filter(|r| r.cache_hit).count(),
                    render_blocking: None,
                })
            }
        },
    };
    let hidden = r.timing_hidden.len();
    Measure::Value {
        value,
        estimated: false,
        subject: None,
        note: (hidden > 0).then(|| {
            format!(
                "{hidden} cross-origin request(s) without Timing-Allow-Origin count 0 bytes; \
                 cache hits count 0 bytes"
            )
        }),
    }
}

fn no_rows() -> Measure {
    Measure::NotMeasurable(
        "the report lists no per-request rows (written before resources.requests); \
         analyze the entry log again"
            .to_owned(),
    )
}

fn timing(report: &Report, t: Timing) -> Measure {
    let lab_only = |what: &str| {
        Measure::NotMeasurable(format!(
            "{what} is a lab metric that cannot be measured in the field"
        ))
    };
    match t {
        Timing::FirstContentfulPaint => web_vital(report, MetricName::FCP),
        Timing::LargestContentfulPaint => web_vital(report, MetricName::LCP),
        Timing::CumulativeLayoutShift => web_vital(report, MetricName::CLS),
        Timing::InteractionToNextPaint => web_vital(report, MetricName::INP),
        Timing::TimeToFirstByte => web_vital(report, MetricName::TTFB),
        Timing::TotalBlockingTime => match &report.long_tasks {
            None => unsupported("longtask"),
            Some(t) => match t.total_blocking_time {
                Some(tbt) => Measure::estimated(
                    tbt,
                    "field TBT from long tasks, FCP to the end of the page view \
                     (Lighthouse: FCP to TTI)",
                ),
                None => Measure::NotMeasurable("no FCP, so no TBT".to_owned()),
            },
        },
        Timing::MaxPotentialFid => match &report.long_tasks {
            None => unsupported("longtask"),
            Some(t) => Measure::estimated(
                t.longest_duration,
                "the longest long task of the page view (Lighthouse: after FCP); \
                 0 when no task reached 50 ms",
            ),
        },
        Timing::Interactive => lab_only("Time to Interactive"),
        Timing::FirstMeaningfulPaint => lab_only("First Meaningful Paint"),
        Timing::SpeedIndex => lab_only("Speed Index (it needs a filmstrip)"),
    }
}

/// A web-vitals metric of the report, or why it is absent.
fn web_vital(report: &Report, metric: MetricName) -> Measure {
    let m = &report.metrics;
    let (value, entry_type, missing) = match metric {
        MetricName::FCP => (m.fcp.as_ref().map(|m| m.value), "paint", "no FCP yet"),
        MetricName::LCP => (
            m.lcp.as_ref().map(|m| m.value),
            "largest-contentful-paint",
            "no LCP yet",
        ),
        MetricName::CLS => (
            m.cls.as_ref().map(|m| m.value),
            "layout-shift",
            "no CLS yet",
        ),
        MetricName::INP => (
            m.inp.as_ref().map(|m| m.value),
            "event",
            "no interaction, so no INP",
        ),
        MetricName::TTFB => (
            m.ttfb.as_ref().map(|m| m.value),
            "navigation",
            "no valid responseStart, so no TTFB",
        ),
    };
    match value {
        Some(v) => Measure::value(v),
        None if report
            .unsupported_entry_types
            .iter()
            .any(|t| t == entry_type) =>
        {
            unsupported(entry_type)
        }
        None => Measure::NotMeasurable(missing.to_owned()),
    }
}

fn files(report: &Report, pattern: &str, compression: Compression) -> Measure {
    let Some(r) = &report.resources else {
        return unsupported("resource");
    };
    let Some(rows) = &r.requests else {
        return no_rows();
    };
    let Ok(glob) = glob::Pattern::new(pattern) else {
        return Measure::NotMeasurable(format!("\"{pattern}\" is not a URL glob"));
    };
    let options = super::extended::glob_options();
    let matched: Vec<&ResourceRow> = rows
        .iter()
        .filter(|row| glob.matches_with(row.url.split('#').next().unwrap_or_default(), options))
        .collect();
    if matched.is_empty() {
        return Measure::NotMeasurable(format!("no request matched \"{pattern}\""));
    }
    let sizes: Vec<(&ResourceRow, Result<f64, String>)> = matched
        .iter()
        .map(|row| (*row, file_size(row, compression)))
        .collect();
    let largest = sizes
        .iter()
        .filter_map(|(row, s)| s.as_ref().ok().map(|s| (row, *s)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let unmeasurable: Vec<&String> = sizes.iter().filter_map(|(_, s)| s.as_ref().err()).collect();
    match largest {
        Some((row, size)) => Measure::Value {
            value: size / BYTES_PER_KIB,
            estimated: false,
            subject: Some(row.url.clone()),
            note: unmeasurable.first().map(|reason| {
                format!(
                    "{} of {} matching file(s) not measurable ({reason})",
                    unmeasurable.len(),
                    matched.len()
                )
            }),
        },
        None => Measure::NotMeasurable(format!(
            "{} matching file(s), none measurable: {}",
            matched.len(),
            unmeasurable.first().map_or("", |s| s.as_str())
        )),
    }
}

/// A file's size in bytes for a compression, or why it cannot be known.
fn file_size(row: &ResourceRow, compression: Compression) -> Result<f64, String> {
    let hidden = "size hidden (cross-origin without Timing-Allow-Origin)".to_owned();
    let (token, name) = match compression {
        Compression::Transfer => {
            return if row.cache_hit {
                Err("served from cache, 0 bytes transferred".to_owned())
            } else if row.transfer_size > 0.0 {
                Ok(row.transfer_size)
            } else {
                Err(hidden)
            };
        }
        Compression::Gzip => ("gzip", "gzip"),
        Compression::Brotli => ("br", "brotli"),
    };
    match row.content_encoding.as_deref() {
        Some(e) if e == token && row.encoded_body_size > 0.0 => Ok(row.encoded_body_size),
        Some(e) if e == token => Err(hidden),
        Some(e) => Err(format!(
            "served with Content-Encoding {e}, not {token}; PageVitals does not recompress \
             to estimate the {name} size"
        )),
        None => Err(format!(
            "Content-Encoding unknown or identity, so no {name} size"
        )),
    }
}

fn server_timing(report: &Report, name: &str) -> Measure {
    let Some(r) = &report.resources else {
        return unsupported("resource");
    };
    let longest = r
        .server_timing
        .iter()
        .flat_map(|req| req.metrics.iter().map(move |m| (req, m)))
        .filter(|(_, m)| m.name == name)
        .max_by(|a, b| a.1.duration.total_cmp(&b.1.duration));
    match longest {
        Some((req, m)) => Measure::Value {
            value: m.duration,
            estimated: false,
            subject: Some(req.url.clone()),
            note: None,
        },
        None => Measure::NotMeasurable(format!(
            "no request sent a Server-Timing metric named \"{name}\""
        )),
    }
}

/// The web-vitals thresholds of a metric, from its module.
pub fn thresholds(metric: MetricName) -> &'static Thresholds {
    match metric {
        MetricName::FCP => &crate::fcp::THRESHOLDS,
        MetricName::TTFB => &crate::ttfb::THRESHOLDS,
        MetricName::LCP => &crate::lcp::THRESHOLDS,
        MetricName::CLS => &crate::cls::THRESHOLDS,
        MetricName::INP => &crate::inp::THRESHOLDS,
    }
}

/// The largest value rated at least `at_least`: the good threshold, or the needs-improvement
/// one; every value is at least poor ([`f64::MAX`]).
pub fn rating_limit(metric: MetricName, at_least: Rating) -> f64 {
    let t = thresholds(metric);
    match at_least {
        Rating::Good => t.good,
        Rating::NeedsImprovement => t.poor,
        Rating::Poor => f64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::budget::parse_budget;
    use crate::report::analyze;
    use crate::testing::{NAV, log, log_supporting, paint};

    /// A page on `http://x/` with FCP 300, LCP 400, a 120 ms long task (TBT 70), a brotli
    /// script on a CDN, a gzip one, a cached stylesheet and `db;dur=80` on the document.
    fn records() -> String {
        let resource = |url: &str, transfer: u32, encoded: u32| {
            format!(
                r#"{{"entryType":"resource","name":"{url}","startTime":50,"requestStart":60,
                    "responseEnd":90,"transferSize":{transfer},"encodedBodySize":{encoded},
                    "decodedBodySize":{}}}"#,
                encoded * 3
            )
        };
        let response = |url: &str, kind: &str, headers: &str| {
            format!(
                r#"{{"response":{{"url":"{url}","status":200,"type":"{kind}",
                    "headers":{{{headers}}}}}}}"#
            )
        };
        [
            NAV.to_owned(),
            paint(300.0),
            r#"{"entryType":"largest-contentful-paint","startTime":400,"url":"","selector":"h1"}"#
                .to_owned(),
            r#"{"entryType":"longtask","name":"self","startTime":400,"duration":120}"#.to_owned(),
            resource("https://cdn.example.com/js/app.js", 200_000, 180_000),
            resource("https://cdn.example.com/js/vendor/lib.js", 50_000, 40_000),
            resource("http://x/a.css", 0, 2_000),
            response(
                "http://x/",
                "main_frame",
                r#""server-timing":"db;dur=80, app;dur=5""#,
            ),
            response(
                "https://cdn.example.com/js/app.js",
                "script",
                r#""content-encoding":"br","timing-allow-origin":"*""#,
            ),
            response(
                "https://cdn.example.com/js/vendor/lib.js",
                "script",
                r#""content-encoding":"gzip","timing-allow-origin":"*""#,
            ),
        ]
        .join(",")
    }

    fn result<'a>(e: &'a Evaluation, name: &str) -> &'a BudgetResult {
        e.groups[0]
            .results
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no {name} in {e:#?}"))
    }

    const BUDGET: &str = r#"{"version":1,"budgets":[{
        "resourceSizes":[{"resourceType":"script","budget":200}],
        "resourceCounts":[{"resourceType":"third-party","budget":1,"level":"warn"}],
        "timings":[{"metric":"largest-contentful-paint","budget":2500},
                   {"metric":"total-blocking-time","budget":50},
                   {"metric":"speed-index","budget":3000},
                   {"metric":"interaction-to-next-paint","budget":200}],
        "files":[{"url":"https://cdn.example.com/**/*.js","budget":170,"compression":"brotli"},
                 {"url":"https://cdn.example.com/js/*.js","budget":100,"compression":"gzip"},
                 {"url":"http://x/*.css","budget":10}],
        "serverTiming":[{"name":"db","budget":50},{"name":"cache","budget":5}],
        "ratings":[{"metric":"core-web-vitals","atLeast":"good"}],
        "scores":[{"formFactor":"mobile","minScore":0.99}]}]}"#;

    #[test]
    fn each_item_reports_measured_limit_status_over_and_where_it_came_from() {
        let file = parse_budget("b.json", BUDGET).unwrap();
        let e = evaluate(&file, &[analyze(&log(&records()))]);
        assert_eq!(e.status, Status::Fail);
        assert_eq!(e.groups[0].budget, "/budgets/0");

        let scripts = result(&e, "resourceSizes script");
        assert_eq!(scripts.measured, Some(250_000.0 / 1024.0));
        assert_eq!(scripts.over, Some(250_000.0 / 1024.0 - 200.0));
        assert_eq!(scripts.status, Status::Fail);
        assert_eq!(scripts.pointer, "/budgets/0/resourceSizes/0");

        let third = result(&e, "resourceCounts third-party");
        assert_eq!((third.measured, third.status), (Some(2.0), Status::Warn));

        let lcp = result(&e, "timings largest-contentful-paint");
        assert_eq!(
            (lcp.measured, lcp.status, lcp.over),
            (Some(400.0), Status::Pass, None)
        );

        let tbt = result(&e, "timings total-blocking-time");
        assert_eq!((tbt.measured, tbt.status), (Some(70.0), Status::Fail));
        assert!(tbt.estimated);

        let si = result(&e, "timings speed-index");
        assert_eq!((si.measured, si.status), (None, Status::NotMeasurable));
        let inp = result(&e, "timings interaction-to-next-paint");
        assert_eq!(inp.status, Status::NotMeasurable);
        assert_eq!(inp.note.as_deref(), Some("no interaction, so no INP"));

        // Brotli: only app.js is served br; lib.js (gzip) is not measurable, and says so.
        let br = result(&e, "files https://cdn.example.com/**/*.js (brotli)");
        assert_eq!(br.measured, Some(180_000.0 / 1024.0));
        assert_eq!(
            br.subject.as_deref(),
            Some("https://cdn.example.com/js/app.js")
        );
        assert_eq!(br.status, Status::Fail);
        assert!(
            br.note
                .as_deref()
                .unwrap()
                .contains("1 of 2 matching file(s)")
        );
        // `*` stays within a segment: vendor/lib.js is not under js/*.js.
        let gz = result(&e, "files https://cdn.example.com/js/*.js (gzip)");
        assert_eq!(gz.status, Status::NotMeasurable);
        // A cache hit transfers nothing: not measurable, never a silent pass.
        let css = result(&e, "files http://x/*.css (transfer)");
        assert_eq!(css.status, Status::NotMeasurable);
        assert!(css.note.as_deref().unwrap().contains("served from cache"));

        let db = result(&e, "serverTiming db");
        assert_eq!(
            (db.measured, db.over, db.status),
            (Some(80.0), Some(30.0), Status::Fail)
        );
        assert_eq!(
            result(&e, "serverTiming cache").status,
            Status::NotMeasurable
        );

        let inp_rating = result(&e, "ratings INP at least good");
        assert_eq!(inp_rating.status, Status::NotMeasurable);
        let cls_rating = result(&e, "ratings CLS at least good");
        assert_eq!(
            (cls_rating.measured, cls_rating.limit, cls_rating.status),
            (Some(0.0), 0.1, Status::Pass)
        );
        let score = result(&e, "scores mobile");
        assert!(score.estimated && score.measured.is_some());
    }

    #[test]
    fn firefox_reports_long_task_budgets_unsupported_never_zero() {
        let supported = [
            "navigation",
            "paint",
            "largest-contentful-paint",
            "resource",
            "event",
        ];
        let report = analyze(&log_supporting(&supported, &records()));
        let file = parse_budget("b.json", BUDGET).unwrap();
        let e = evaluate(&file, &[report]);
        let tbt = result(&e, "timings total-blocking-time");
        assert_eq!((tbt.status, tbt.measured), (Status::Unsupported, None));
        let cls = result(&e, "ratings CLS at least good");
        assert_eq!(cls.status, Status::Unsupported);
    }

    #[test]
    fn runs_aggregate_by_the_files_choice_and_paths_pick_the_last_match() {
        let base = analyze(&log(&records()));
        let runs: Vec<Report> = [1000.0, 4000.0, 2000.0, 3000.0]
            .into_iter()
            .map(|v| {
                let mut r = base.clone();
                if let Some(lcp) = &mut r.metrics.lcp {
                    lcp.value = v;
                }
                r
            })
            .collect();
        let budget = |aggregate: &str| {
            format!(
                r#"{{"version":1,"aggregate":"{aggregate}","budgets":[
                    {{"timings":[{{"metric":"largest-contentful-paint","budget":2500}}]}},
                    {{"path":"/nowhere","timings":[]}}]}}"#
            )
        };
        let median = evaluate(&parse_budget("b", &budget("median")).unwrap(), &runs);
        let r = &median.groups[0].results[0];
        assert_eq!(
            (r.measured, r.status, r.runs),
            (Some(2000.0), Status::Pass, 4)
        );
        let p75 = evaluate(&parse_budget("b", &budget("p75")).unwrap(), &runs);
        let r = &p75.groups[0].results[0];
        assert_eq!((r.measured, r.status), (Some(3000.0), Status::Fail));

        // Lighthouse: the last matching budget applies, whole.
        let lh = r#"[{"timings":[{"metric":"largest-contentful-paint","budget":1}]},
                     {"path":"/","timings":[{"metric":"first-contentful-paint","budget":1}]},
                     {"path":"/other"}]"#;
        let e = evaluate(&parse_budget("b", lh).unwrap(), &runs[..1]);
        assert_eq!(e.groups.len(), 1);
        assert_eq!(e.groups[0].budget, "/1");
        assert_eq!(
            e.groups[0].results[0].name,
            "timings first-contentful-paint"
        );
        let e = evaluate(
            &parse_budget("b", r#"[{"path":"/other"}]"#).unwrap(),
            &runs[..1],
        );
        assert_eq!((e.status, e.unmatched.len()), (Status::Pass, 1));
    }

    #[test]
    fn first_party_hostnames_decide_third_party() {
        let report = analyze(&log(&records()));
        let lh = r#"[{"options":{"firstPartyHostnames":["x","*.example.com"]},
                      "resourceCounts":[{"resourceType":"third-party","budget":0}]}]"#;
        let e = evaluate(&parse_budget("b", lh).unwrap(), &[report]);
        let r = &e.groups[0].results[0];
        assert_eq!((r.measured, r.status), (Some(0.0), Status::Pass));
    }

    fn num() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(f64::MAX),
            -1e6..1e6f64,
        ]
    }

    proptest! {
        #[test]
        fn evaluation_never_panics_on_arbitrary_reports(
            values in prop::collection::vec(num(), 12),
            drop in prop::collection::vec(any::<bool>(), 6),
            runs in 1..4usize,
            url in prop_oneof![Just("http://x/"), Just(""), Just("x"), Just("http://x?q#f")],
        ) {
            let mut report = analyze(&log(&records()));
            report.page.url = url.to_owned();
            let m = &mut report.metrics;
            for (i, metric) in [m.fcp.as_mut().map(|m| &mut m.value), m.lcp.as_mut().map(|m| &mut m.value),
                                m.cls.as_mut().map(|m| &mut m.value), m.ttfb.as_mut().map(|m| &mut m.value)]
                .into_iter()
                .enumerate()
            {
                if let Some(v) = metric {
                    *v = values[i];
                }
            }
            if let Some(t) = &mut report.long_tasks {
                t.total_blocking_time = Some(values[4]);
                t.longest_duration = values[5];
            }
            if let Some(r) = &mut report.resources {
                r.total.transfer_size = values[6];
                for row in r.requests.iter_mut().flatten() {
                    row.transfer_size = values[7];
                    row.encoded_body_size = values[8];
                }
                for st in &mut r.server_timing {
                    for metric in &mut st.metrics {
                        metric.duration = values[9];
                    }
                }
                if drop[0] { r.requests = None; }
            }
            if drop[1] { report.resources = None; }
            if drop[2] { report.long_tasks = None; }
            if drop[3] { report.long_animation_frames = None; }
            if drop[4] { report.metrics = Default::default(); }
            let reports = vec![report; runs];
            let lh = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
                "/../../tests/data/budgets/lighthouse.json")).unwrap();
            for file in [parse_budget("b", BUDGET).unwrap(), parse_budget("l", &lh).unwrap(),
                         crate::budget::default_budget()] {
                let e = evaluate(&file, &reports);
                prop_assert!(serde_json::to_string(&e).is_ok());
                for r in e.groups.iter().flat_map(|g| &g.results) {
                    prop_assert!(r.measured.is_none_or(|v| !v.is_nan()));
                    prop_assert!(r.status != Status::Pass || r.measured.is_some());
                }
            }
        }
    }
}
