//! `pagevitals-core` behind a string-in, string-out wasm-bindgen boundary, for the extension's
//! background (service worker or event page) and for Node.
//!
//! JSON text crosses the boundary rather than JS objects: the background already holds the
//! log as JSON-compatible data, and one parse on the Rust side with typed errors is cheaper
//! and stricter than walking JS objects field by field.

use pagevitals_core::{LogError, Report};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The answer to [`analyze`]: a report, or why the log could not be read.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum Outcome {
    Report(Box<Report>),
    Error(LogError),
}

/// Builds the report for an entry log. Returns `{"report": ...}` or `{"error": {record,
/// path, message}}` as JSON; bad input is data, never an exception.
#[wasm_bindgen]
pub fn analyze(log_json: &str) -> String {
    analyze_json(log_json)
}

/// The same as [`analyze`], callable natively.
pub fn analyze_json(log_json: &str) -> String {
    let outcome = match pagevitals_core::parse_log(log_json) {
        Ok(log) => Outcome::Report(Box::new(pagevitals_core::analyze(&log))),
        Err(e) => Outcome::Error(e),
    };
    serde_json::to_string(&outcome).unwrap_or_else(|e| {
        format!(r#"{{"error":{{"record":null,"path":".","message":"cannot serialise: {e}"}}}}"#)
    })
}

/// The report schema version this engine writes.
#[wasm_bindgen(js_name = reportVersion)]
pub fn report_version() -> u32 {
    pagevitals_core::report::VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_comes_back_as_an_error_object() {
        let out: serde_json::Value = serde_json::from_str(&analyze_json("{not json")).unwrap();
        assert!(
            out["error"]["message"]
                .as_str()
                .unwrap()
                .contains("key must be a string")
        );
    }
}
