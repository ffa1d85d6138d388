//! The entry log: what the in-page agent records, as JSON.
//!
//! Format `pagevitals-entry-log`, version 1 (documented in `docs/entry-log.md`):
//!
//! ```json
//! { "format": "pagevitals-entry-log", "version": 1,
//!   "page": { "url": "...", "navigationId": "...", "initialVisibility": "visible", ... },
//!   "now": 1234.5,
//!   "records": [ { "entryType": "paint", ... }, { "lifecycle": "visibilitychange", ... } ] }
//! ```
//!
//! A record with an `entryType` is a performance entry exactly as the browser's `toJSON()`
//! serialises it (plus fields the agent adds, such as element selectors). A record with a
//! `lifecycle` key is a page event the agent saw. Entry types this version does not model are
//! kept as raw JSON and ignored by the metrics, so a newer browser never breaks parsing.
//!
//! Parsing slices each record out of the log without interpreting it, then parses each one
//! on its own: an error names the record's index and the JSON path of the bad field.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The `format` value every log carries.
pub const FORMAT: &str = "pagevitals-entry-log";
/// The log format version this crate reads and the agent writes.
pub const VERSION: u32 = 1;

/// A parsed entry log for one page view.
#[derive(Debug, Clone)]
pub struct EntryLog {
    /// Facts about the page the agent read when it started.
    pub page: PageInfo,
    /// The latest `performance.now()` the agent reported; bounds what counts as "the future".
    pub now: f64,
    /// `performance.interactionCount` where the browser has it.
    pub interaction_count: Option<u64>,
    /// Entries and lifecycle events in the order the agent recorded them.
    pub records: Vec<Record>,
}

/// Facts about the page view, read by the agent at start-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// The document URL.
    pub url: String,
    /// Unique per page view; a new one starts a new report.
    pub navigation_id: String,
    /// `performance.timeOrigin` in ms since the epoch.
    #[serde(default)]
    pub time_origin: f64,
    /// `navigator.userAgent`.
    #[serde(default)]
    pub user_agent: String,
    /// `PerformanceObserver.supportedEntryTypes`.
    #[serde(default)]
    pub supported_entry_types: Vec<String>,
    /// `document.visibilityState` when the agent started.
    pub initial_visibility: VisibilityState,
    /// `document.prerendering` when the agent started.
    #[serde(default)]
    pub prerendering: bool,
    /// `document.wasDiscarded`.
    #[serde(default)]
    pub was_discarded: bool,
}

/// `document.visibilityState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VisibilityState {
    /// The page is at least partly visible.
    Visible,
    /// The page is not visible (background tab, minimised, or prerendering).
    Hidden,
}

/// One line of the log.
#[derive(Debug, Clone)]
pub enum Record {
    /// A performance entry.
    Entry(Entry),
    /// A page lifecycle event.
    Lifecycle(Lifecycle),
}

/// A performance entry, typed by `entryType`.
#[derive(Debug, Clone)]
pub enum Entry {
    /// `navigation`: the document's own request.
    Navigation(Box<NavigationTiming>),
    /// `paint`: first-paint and first-contentful-paint.
    Paint(Paint),
    /// `visibility-state`: when the page became visible or hidden.
    VisibilityState(VisibilityStateEntry),
    /// An entry type this version does not model; kept verbatim.
    Other(OtherEntry),
}

/// `PerformanceNavigationTiming` as serialised by `toJSON()`. Times are ms from time origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // Field names are the Navigation Timing spec's own.
pub struct NavigationTiming {
    pub name: String,
    pub start_time: f64,
    pub duration: f64,
    /// navigate, reload, back_forward or prerender.
    #[serde(rename = "type")]
    pub navigation_type: String,
    /// Chromium only; absent elsewhere, which means 0.
    #[serde(default)]
    pub activation_start: f64,
    #[serde(default)]
    pub redirect_start: f64,
    #[serde(default)]
    pub redirect_end: f64,
    #[serde(default)]
    pub redirect_count: u32,
    #[serde(default)]
    pub worker_start: f64,
    pub fetch_start: f64,
    pub domain_lookup_start: f64,
    #[serde(default)]
    pub domain_lookup_end: f64,
    pub connect_start: f64,
    pub connect_end: f64,
    #[serde(default)]
    pub secure_connection_start: f64,
    pub request_start: f64,
    pub response_start: f64,
    #[serde(default)]
    pub response_end: f64,
    pub dom_interactive: f64,
    pub dom_content_loaded_event_start: f64,
    #[serde(default)]
    pub dom_content_loaded_event_end: f64,
    pub dom_complete: f64,
    #[serde(default)]
    pub load_event_start: f64,
    #[serde(default)]
    pub load_event_end: f64,
    #[serde(default)]
    pub transfer_size: f64,
    #[serde(default)]
    pub encoded_body_size: f64,
    #[serde(default)]
    pub decoded_body_size: f64,
    #[serde(default)]
    pub server_timing: Vec<ServerTiming>,
}

/// One `PerformanceServerTiming` as exposed on navigation and resource entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerTiming {
    /// The metric name.
    pub name: String,
    /// `dur` in ms; 0 when absent.
    #[serde(default)]
    pub duration: f64,
    /// `desc`; empty when absent.
    #[serde(default)]
    pub description: String,
}

/// `PerformancePaintTiming`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paint {
    /// `first-paint` or `first-contentful-paint`.
    pub name: String,
    /// When the paint happened, ms from time origin.
    pub start_time: f64,
}

/// `VisibilityStateEntry` (Chromium).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisibilityStateEntry {
    /// `visible` or `hidden`.
    pub name: String,
    /// When the state began, ms from time origin.
    pub start_time: f64,
}

/// An entry of a type this version does not model.
#[derive(Debug, Clone)]
pub struct OtherEntry {
    /// Its `entryType`.
    pub entry_type: String,
    /// The record's JSON text, unchanged.
    pub raw: Box<RawValue>,
}

/// A page lifecycle event the agent recorded; `time` is the event's `timeStamp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lifecycle", rename_all = "lowercase")]
pub enum Lifecycle {
    /// `visibilitychange`, with the state it changed to.
    VisibilityChange {
        /// The new `document.visibilityState`.
        state: VisibilityState,
        /// Event time.
        time: f64,
    },
    /// `prerenderingchange`: a prerendered page was activated.
    PrerenderingChange {
        /// Event time.
        time: f64,
    },
    /// `pagehide`.
    PageHide {
        /// True when the page may enter the back/forward cache.
        persisted: bool,
        /// Event time.
        time: f64,
    },
    /// `pageshow`.
    PageShow {
        /// True when the page was restored from the back/forward cache.
        persisted: bool,
        /// Event time.
        time: f64,
    },
}

/// Why a log could not be read: which record, which field, what was wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogError {
    /// Index into `records`, or `None` for the log's own fields.
    pub record: Option<usize>,
    /// JSON path of the offending field within the record (or log), `.` for the whole.
    pub path: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(i) => write!(f, "record {i} at {}: {}", self.path, self.message),
            None => write!(f, "entry log at {}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for LogError {}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog<'a> {
    format: String,
    version: u32,
    page: PageInfo,
    #[serde(default)]
    now: f64,
    #[serde(default)]
    interaction_count: Option<u64>,
    #[serde(borrow)]
    records: Vec<&'a RawValue>,
}

/// Just enough of a record to know what it is.
#[derive(Deserialize)]
struct Kind<'a> {
    #[serde(rename = "entryType", borrow, default)]
    entry_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    lifecycle: Option<Cow<'a, str>>,
}

/// Parses an entry log from its JSON text.
pub fn parse_log(text: &str) -> Result<EntryLog, LogError> {
    let raw: RawLog<'_> = from_str(text, None)?;
    if raw.format != FORMAT {
        return Err(top_error(
            ".format",
            format!("expected \"{FORMAT}\", found {:?}", raw.format),
        ));
    }
    if raw.version != VERSION {
        return Err(top_error(
            ".version",
            format!("this build reads version {VERSION}, found {}", raw.version),
        ));
    }
    let records = raw
        .records
        .iter()
        .enumerate()
        .map(|(i, rec)| parse_record(i, rec))
        .collect::<Result<_, _>>()?;
    Ok(EntryLog {
        page: raw.page,
        now: raw.now,
        interaction_count: raw.interaction_count,
        records,
    })
}

fn parse_record(index: usize, raw: &RawValue) -> Result<Record, LogError> {
    let text = raw.get();
    let kind: Kind<'_> = from_str(text, Some(index))?;
    match (kind.entry_type, kind.lifecycle) {
        (Some(entry_type), _) => {
            let entry = match entry_type.as_ref() {
                "navigation" => Entry::Navigation(Box::new(from_str(text, Some(index))?)),
                "paint" => Entry::Paint(from_str(text, Some(index))?),
                "visibility-state" => Entry::VisibilityState(from_str(text, Some(index))?),
                other => Entry::Other(OtherEntry {
                    entry_type: other.to_owned(),
                    raw: raw.to_owned(),
                }),
            };
            Ok(Record::Entry(entry))
        }
        (None, Some(_)) => Ok(Record::Lifecycle(from_str(text, Some(index))?)),
        (None, None) => Err(LogError {
            record: Some(index),
            path: ".".into(),
            message: "a record needs an `entryType` (performance entry) or a `lifecycle` key"
                .into(),
        }),
    }
}

fn from_str<'a, T: Deserialize<'a>>(text: &'a str, record: Option<usize>) -> Result<T, LogError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| LogError {
        record,
        path: path_of(e.path()),
        message: e.into_inner().to_string(),
    })?;
    de.end().map_err(|e| LogError {
        record,
        path: ".".into(),
        message: e.to_string(),
    })?;
    Ok(value)
}

fn path_of(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." { p } else { format!(".{p}") }
}

fn top_error(path: &str, message: String) -> LogError {
    LogError {
        record: None,
        path: path.into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with(records: &str) -> String {
        format!(
            r#"{{"format":"pagevitals-entry-log","version":1,"now":5000,
                "page":{{"url":"http://x/","navigationId":"n1","initialVisibility":"visible"}},
                "records":[{records}]}}"#
        )
    }

    #[test]
    fn parses_entries_lifecycle_and_keeps_unknown_types() {
        let log = parse_log(&log_with(
            r#"{"entryType":"paint","name":"first-contentful-paint","startTime":120.5,"duration":0},
               {"lifecycle":"visibilitychange","state":"hidden","time":900},
               {"entryType":"future-thing","startTime":1}"#,
        ))
        .unwrap();
        assert_eq!(log.records.len(), 3);
        assert!(matches!(&log.records[0], Record::Entry(Entry::Paint(p)) if p.start_time == 120.5));
        assert!(matches!(
            &log.records[1],
            Record::Lifecycle(Lifecycle::VisibilityChange {
                state: VisibilityState::Hidden,
                ..
            })
        ));
        assert!(
            matches!(&log.records[2], Record::Entry(Entry::Other(o)) if o.entry_type == "future-thing")
        );
    }

    #[test]
    fn a_bad_field_names_record_and_path() {
        let err = parse_log(&log_with(
            r#"{"entryType":"paint","name":"first-paint","startTime":1},
               {"entryType":"paint","name":"first-contentful-paint","startTime":"soon"}"#,
        ))
        .unwrap_err();
        assert_eq!(err.record, Some(1));
        assert_eq!(err.path, ".startTime");
        assert!(err.message.contains("invalid type"), "{err}");
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = parse_log(&log_with(r#"{"entryType":"paint","startTime":1}"#)).unwrap_err();
        assert_eq!(err.record, Some(0));
        assert!(err.message.contains("missing field `name`"), "{err}");
    }

    #[test]
    fn a_record_of_no_known_kind_is_an_error() {
        let err = parse_log(&log_with(r#"{"startTime":1}"#)).unwrap_err();
        assert_eq!(err.record, Some(0));
    }

    #[test]
    fn truncated_log_and_wrong_version_are_errors() {
        let text = log_with("");
        let err = parse_log(&text[..text.len() - 10]).unwrap_err();
        assert_eq!(err.record, None);
        let err = parse_log(&text.replace("\"version\":1", "\"version\":7")).unwrap_err();
        assert_eq!(err.path, ".version");
    }
}
