//! `pagevitals-core` behind a string-in, string-out wasm-bindgen boundary, for the extension's
//! background (service worker or event page) and for Node.
//!
//! JSON text crosses the boundary rather than JS objects: the background already holds the
//! log as JSON-compatible data, and one parse on the Rust side with typed errors is cheaper
//! and stricter than walking JS objects field by field.

use pagevitals_core::report::BudgetCheck;
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
    analyze_with_budget_json(log_json, None)
}

/// Builds the report for an entry log and checks it against a budget file (`budget_name`
/// names it in error messages; `budget_text` is Lighthouse `budget.json` or a PageVitals
/// budget, or empty for the built-in budget: every Core Web Vital "good"). The report's
/// `budgets` holds the evaluation, or the budget file's error: a malformed budget never reads
/// as a pass. Errors in the log come back as for [`analyze`].
#[wasm_bindgen(js_name = analyzeWithBudget)]
pub fn analyze_with_budget(log_json: &str, budget_name: &str, budget_text: &str) -> String {
    analyze_with_budget_json(log_json, Some((budget_name, budget_text)))
}

/// Reads a budget file without checking anything against it: `{"ok": {"format", "budgets"}}`
/// or `{"error": ...}` with the file, line:column, JSON pointer, expected vs found and a
/// suggestion (what the options page shows before it saves a budget).
#[wasm_bindgen(js_name = validateBudget)]
pub fn validate_budget(budget_name: &str, budget_text: &str) -> String {
    let value = match pagevitals_core::parse_budget(budget_name, budget_text) {
        Ok(file) => {
            serde_json::json!({"ok": {"format": file.format, "budgets": file.budgets.len()}})
        }
        Err(error) => serde_json::json!({"error": {"message": error.to_string(), "detail": error}}),
    };
    value.to_string()
}

/// Checks reports (several runs of the same pages) against a budget file, aggregated as the
/// file says (median or p75): `{"evaluation": ...}` or `{"error": ...}` (a malformed budget
/// file, reports that are not PageVitals reports, or cold and warm runs mixed). An empty `budget_text` is the built-in
/// budget.
#[wasm_bindgen(js_name = checkReports)]
pub fn check_reports(budget_name: &str, budget_text: &str, reports_json: &str) -> String {
    check_reports_against(budget_name, budget_text, reports_json, "[]")
}

/// [`check_reports`] with a baseline's runs (`baseline_json`, a list of reports), against
/// which the budget's `regressions` items are judged.
#[wasm_bindgen(js_name = checkReportsAgainst)]
pub fn check_reports_against(
    budget_name: &str,
    budget_text: &str,
    reports_json: &str,
    baseline_json: &str,
) -> String {
    let baseline: Vec<Report> = match serde_json::from_str(baseline_json) {
        Ok(reports) => reports,
        Err(e) => {
            let message = format!("baseline: not a list of PageVitals reports: {e}");
            return serde_json::json!({"error": {"message": message}}).to_string();
        }
    };
    let reports: Vec<Report> = match serde_json::from_str(reports_json) {
        Ok(reports) => reports,
        Err(e) => {
            let message = format!("reports: not a list of PageVitals reports: {e}");
            return serde_json::json!({"error": {"message": message}}).to_string();
        }
    };
    if let Err(message) = pagevitals_core::report::same_cache_state(&reports) {
        return serde_json::json!({"error": {"message": format!("reports: {message}")}})
            .to_string();
    }
    let file = if budget_text.trim().is_empty() {
        pagevitals_core::default_budget()
    } else {
        match pagevitals_core::parse_budget(budget_name, budget_text) {
            Ok(file) => file,
            Err(error) => {
                return serde_json::json!({"error": {"message": error.to_string(), "detail": error}})
                    .to_string();
            }
        }
    };
    let evaluation = pagevitals_core::budget::evaluate_against(&file, &reports, &baseline);
    serde_json::json!({"evaluation": evaluation}).to_string()
}

/// Reads a saved file that holds one page view: a report (schema `pagevitals-report`, the
/// version this build writes) or an entry log (format `pagevitals-entry-log`, analysed into
/// one). Returns `{"report": ...}` or `{"error": {"message"}}`, the message one line that says
/// what the file is not (the caller prefixes the file's name).
#[wasm_bindgen(js_name = readReport)]
pub fn read_report(text: &str) -> String {
    let outcome = read_report_value(text).map_or_else(
        |message| serde_json::json!({"error": {"message": message}}),
        |report| serde_json::json!({"report": report}),
    );
    outcome.to_string()
}

fn read_report_value(text: &str) -> Result<Report, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let field = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    if field("format") == Some(pagevitals_core::log::FORMAT) {
        let log = pagevitals_core::parse_log(text).map_err(|e| e.to_string())?;
        return Ok(pagevitals_core::analyze(&log));
    }
    if field("schema") != Some(pagevitals_core::report::SCHEMA) {
        return Err(format!(
            "neither a result (\"schema\": \"pagevitals-result\"), a report (\"schema\": \"{}\") \
             nor an entry log (\"format\": \"{}\")",
            pagevitals_core::report::SCHEMA,
            pagevitals_core::log::FORMAT
        ));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(pagevitals_core::report::VERSION)) {
        return Err(format!(
            "report version {}, this build reads version {}",
            version.map_or("missing".to_owned(), |v| v.to_string()),
            pagevitals_core::report::VERSION
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("not a valid report: {e}"))
}

/// Compares baseline runs against current runs, URL by URL ([`pagevitals_core::compare`]).
/// `input_json`: `{"pages": [{"url", "base": [reports], "current": [reports]}], "options":
/// {"alpha", "minCliffsDelta"}}` (options optional). Returns `{"comparison": ...}` or
/// `{"error": {"message"}}` (one line: no URL in common, too few runs, not reports).
#[wasm_bindgen(js_name = compareRuns)]
pub fn compare_runs(input_json: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Page {
        url: String,
        base: Vec<Report>,
        current: Vec<Report>,
    }
    #[derive(serde::Deserialize)]
    struct Input {
        pages: Vec<Page>,
        #[serde(default)]
        options: pagevitals_core::compare::Options,
    }
    let input: Input = match serde_json::from_str(input_json) {
        Ok(input) => input,
        Err(e) => {
            let message = format!("not baseline and current runs of PageVitals reports: {e}");
            return serde_json::json!({"error": {"message": message}}).to_string();
        }
    };
    let pages: Vec<(String, Vec<Report>, Vec<Report>)> = input
        .pages
        .into_iter()
        .map(|p| (p.url, p.base, p.current))
        .collect();
    match pagevitals_core::compare::compare(&pages, &input.options) {
        Ok(comparison) => serde_json::json!({"comparison": comparison}).to_string(),
        Err(e) => serde_json::json!({"error": {"message": e.to_string()}}).to_string(),
    }
}

/// [`analyze`] with an optional budget, callable natively.
pub fn analyze_with_budget_json(log_json: &str, budget: Option<(&str, &str)>) -> String {
    let outcome = match pagevitals_core::parse_log(log_json) {
        Ok(log) => {
            let mut report = pagevitals_core::analyze(&log);
            match budget {
                Some((_, text)) if text.trim().is_empty() => {
                    pagevitals_core::report::check_budget(
                        &mut report,
                        &pagevitals_core::default_budget(),
                    );
                }
                Some((name, text)) => match pagevitals_core::parse_budget(name, text) {
                    Ok(file) => pagevitals_core::report::check_budget(&mut report, &file),
                    Err(error) => report.budgets = Some(BudgetCheck::Error(error)),
                },
                None => {}
            }
            Outcome::Report(Box::new(report))
        }
        Err(e) => Outcome::Error(e),
    };
    serde_json::to_string(&outcome).unwrap_or_else(|e| {
        format!(r#"{{"error":{{"record":null,"path":".","message":"cannot serialise: {e}"}}}}"#)
    })
}

/// Keeps an entry log within its bounds ([`pagevitals_core::log::compact`] with the default
/// limits): `{"log": <the compacted log's JSON text>, "dropped": {kind: count}}`, `{"log":
/// null}` when nothing needs to go, or `{"error": ...}` for a log that cannot be read.
#[wasm_bindgen(js_name = compactLog)]
pub fn compact_log(log_json: &str) -> String {
    use pagevitals_core::log::{CompactLimits, compact};
    let value = match compact(log_json, &CompactLimits::DEFAULT) {
        Ok(Some(c)) => serde_json::json!({"log": c.log, "dropped": c.dropped}),
        Ok(None) => serde_json::json!({"log": null}),
        Err(e) => serde_json::json!({"error": e}),
    };
    value.to_string()
}

/// The report schema version this engine writes.
#[wasm_bindgen(js_name = reportVersion)]
pub fn report_version() -> u32 {
    pagevitals_core::report::VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"{"format":"pagevitals-entry-log","version":1,"now":5000,
        "page":{"url":"http://x/","navigationId":"n1","initialVisibility":"visible",
                "supportedEntryTypes":["navigation","paint","largest-contentful-paint"]},
        "records":[{"entryType":"navigation","name":"http://x/","startTime":0,"duration":900,
                    "type":"navigate","fetchStart":5,"domainLookupStart":5,"connectStart":5,
                    "connectEnd":5,"requestStart":10,"responseStart":100,"domInteractive":300,
                    "domContentLoadedEventStart":400,"domComplete":800},
                   {"entryType":"paint","name":"first-contentful-paint","startTime":300},
                   {"entryType":"largest-contentful-paint","startTime":4200,"url":"",
                    "selector":"h1"}]}"#;

    #[test]
    fn a_budget_is_checked_and_a_bad_one_is_an_error_not_a_pass() {
        let lcp_over = r#"[{"timings":[{"metric":"largest-contentful-paint","budget":2500}]}]"#;
        let out: serde_json::Value =
            serde_json::from_str(&analyze_with_budget(LOG, "budget.json", lcp_over)).unwrap();
        assert_eq!(
            out["report"]["budgets"]["evaluation"]["status"], "fail",
            "{out}"
        );
        // The built-in budget: LCP 4200 ms is not good.
        let out: serde_json::Value =
            serde_json::from_str(&analyze_with_budget(LOG, "default", "")).unwrap();
        assert_eq!(out["report"]["budgets"]["evaluation"]["status"], "fail");
        let out: serde_json::Value = serde_json::from_str(&analyze_with_budget(
            LOG,
            "budget.json",
            r#"[{"timings":[{"metric":"lcp","budget":2500}]}]"#,
        ))
        .unwrap();
        let error = &out["report"]["budgets"]["error"];
        assert!(
            error.to_string().contains("largest-contentful-paint"),
            "{error}"
        );
        assert!(
            out["report"]["metrics"]["LCP"].is_object(),
            "the report is still there"
        );
        // Every report carries its scores.
        assert!(out["report"]["score"]["mobile"].is_object());
    }

    #[test]
    fn validating_a_budget_names_the_position_and_suggests_a_fix() {
        let out: serde_json::Value = serde_json::from_str(&validate_budget(
            "budget.json",
            "[{\"timings\":[{\"metric\":\"lcp\",\"budget\":2500}]}]",
        ))
        .unwrap();
        let message = out["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("budget.json:1:"), "{message}");
        assert!(message.contains("largest-contentful-paint"), "{message}");
        let ok: serde_json::Value =
            serde_json::from_str(&validate_budget("b.json", "[{\"timings\":[]}]")).unwrap();
        assert_eq!(ok["ok"]["budgets"], 1);
    }

    #[test]
    fn compacting_a_small_log_leaves_it_and_a_bad_log_is_an_error() {
        let out: serde_json::Value = serde_json::from_str(&compact_log(LOG)).unwrap();
        assert_eq!(out, serde_json::json!({"log": null}));
        let out: serde_json::Value = serde_json::from_str(&compact_log("{not json")).unwrap();
        assert!(out["error"]["message"].is_string(), "{out}");
    }

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
