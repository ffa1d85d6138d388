//! Test data: reports built by the core from the logs recorded in real browsers.

use pagevitals_core::{Report, analyze, parse_log};

/// The report for `tests/data/<name>`, as the engine would store it.
pub fn report(name: &str) -> Report {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap();
    let recording: serde_json::Value = serde_json::from_str(&text).unwrap();
    analyze(&parse_log(&recording["log"].to_string()).unwrap())
}

/// [`report`] as JSON text.
pub fn report_json(name: &str) -> String {
    serde_json::to_string(&report(name)).unwrap()
}
