//! Small synthetic logs for the unit tests of the metric modules.

use crate::log::{EntryLog, parse_log};
use crate::report::ENTRY_TYPES_OF_INTEREST;

/// A complete navigation entry: TTFB 100 ms, `domInteractive` 500, `DOMContentLoaded` 600,
/// `domComplete` 1000.
pub const NAV: &str = r#"{"entryType":"navigation","name":"http://x/","startTime":0,
    "duration":1200,"type":"navigate","fetchStart":5,"domainLookupStart":5,
    "connectStart":5,"connectEnd":5,"requestStart":10,"responseStart":100,
    "domInteractive":500,"domContentLoadedEventStart":600,"domComplete":1000,
    "loadEventStart":1000,"loadEventEnd":1010}"#;

/// A `first-contentful-paint` entry at `start`.
pub fn paint(start: f64) -> String {
    format!(r#"{{"entryType":"paint","name":"first-contentful-paint","startTime":{start}}}"#)
}

/// A visible page in a browser that supports every entry type of interest; `now` 60 s.
pub fn log(records: &str) -> EntryLog {
    log_supporting(ENTRY_TYPES_OF_INTEREST, records)
}

/// As [`log`], with only `supported` entry types.
pub fn log_supporting(supported: &[&str], records: &str) -> EntryLog {
    log_with_page(supported, "", records, "")
}

/// As [`log`], with extra `page` fields (which may replace `initialVisibility`) and extra
/// top-level fields, each with a leading `,`.
pub fn log_with_page(supported: &[&str], page: &str, records: &str, top: &str) -> EntryLog {
    let supported = serde_json::to_string(supported).unwrap_or_default();
    let visibility = if page.contains("initialVisibility") {
        ""
    } else {
        r#","initialVisibility":"visible""#
    };
    let text = format!(
        r#"{{"format":"pagevitals-entry-log","version":1,"now":60000{top},
            "page":{{"url":"http://x/","navigationId":"n1","supportedEntryTypes":{supported}
                     {visibility}{page}}},
            "records":[{records}]}}"#
    );
    match parse_log(&text) {
        Ok(log) => log,
        Err(e) => panic!("test log does not parse: {e}\n{text}"),
    }
}
