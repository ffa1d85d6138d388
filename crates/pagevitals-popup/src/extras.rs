//! The report's `budgets` (the page view checked against the origin's budget, or the built-in
//! one: `{"evaluation": {.., "groups": [{"results": [..]}]}}`, or `{"error": {..}}` for a
//! malformed budget file) and `score` (`{"mobile": {"score", "estimated", ..}, "desktop", ..}`),
//! read leniently from the stored report's JSON: an older report without them reads as "no
//! budget set" and "no score yet", and a bare list of results or a bare score still reads.

use serde::Deserialize;

use crate::format;

/// The sections, as JSON, when present.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Extras {
    /// `report.budgets`: a list of budget results, or an evaluation holding one.
    #[serde(default)]
    pub budgets: Option<serde_json::Value>,
    /// `report.score`: a number, or an object with a `score` field.
    #[serde(default)]
    pub score: Option<serde_json::Value>,
}

/// One budget item's result.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRow {
    /// What is budgeted (`largest-contentful-paint`, `script`).
    pub name: String,
    /// The measured value, formatted in its unit; `–` when not measured.
    pub measured: String,
    /// The budget, formatted in its unit.
    pub limit: String,
    /// `pass`, `warn`, `fail`, `notMeasurable`, `unsupported`.
    pub status: String,
}

fn text(v: &serde_json::Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| v.get(*k)).and_then(|x| match x {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn in_unit(value: Option<f64>, unit: &str) -> String {
    match (value, unit) {
        (None, _) => "–".to_owned(),
        (Some(v), "ms") => format::ms(v),
        (Some(v), "bytes") => format::bytes(v),
        (Some(v), "kiB" | "kilobytes" | "kb" | "KB") => format::bytes(v * 1024.0),
        (Some(v), "count" | "requests") => format!("{v}"),
        (Some(v), _) => format!("{}", (v * 1000.0).round() / 1000.0),
    }
}

/// The budget rows, or `None` when the report carries no budget results.
pub fn budget_rows(budgets: Option<&serde_json::Value>) -> Option<Vec<BudgetRow>> {
    let value = budgets?;
    if let Some(error) = value.get("error") {
        // A malformed budget file: one row that says where, never a pass.
        let at = format!(
            "{}:{}:{} {}",
            text(error, &["file"]).unwrap_or_default(),
            text(error, &["line"]).unwrap_or_default(),
            text(error, &["column"]).unwrap_or_default(),
            text(error, &["pointer"]).unwrap_or_default()
        );
        return Some(vec![BudgetRow {
            name: format!("budget file error at {}", at.trim()),
            measured: text(error, &["found"]).unwrap_or_default(),
            limit: text(error, &["expected"]).unwrap_or_default(),
            status: "error".to_owned(),
        }]);
    }
    let value = value.get("evaluation").unwrap_or(value);
    let items: Vec<&serde_json::Value> = match value {
        serde_json::Value::Array(items) => items.iter().collect(),
        serde_json::Value::Object(_) => match value.get("groups").and_then(|g| g.as_array()) {
            Some(groups) => groups
                .iter()
                .filter_map(|g| g.get("results").and_then(|r| r.as_array()))
                .flatten()
                .collect(),
            None => value.get("results")?.as_array()?.iter().collect(),
        },
        _ => return None,
    };
    let rows: Vec<BudgetRow> = items
        .into_iter()
        .map(|item| {
            let unit = text(item, &["unit"]).unwrap_or_default();
            let number = |k: &str| item.get(k).and_then(serde_json::Value::as_f64);
            BudgetRow {
                name: text(item, &["name", "metric", "resourceType", "id"])
                    .unwrap_or_else(|| "budget".to_owned()),
                measured: in_unit(number("measured").or_else(|| number("value")), &unit),
                limit: in_unit(number("limit").or_else(|| number("budget")), &unit),
                status: text(item, &["status"]).unwrap_or_else(|| "unknown".to_owned()),
            }
        })
        .collect();
    Some(rows)
}

/// The CSS class of a budget status: good, needs-improvement or poor, else none.
pub fn status_class(status: &str) -> &'static str {
    match status {
        "pass" => "good",
        "warn" => "needs-improvement",
        "fail" | "error" => "poor",
        _ => "neutral",
    }
}

/// The performance score as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreView {
    /// 0 to 100; `None` when nothing scoreable was measured.
    pub score: Option<u32>,
    /// Whether it is an estimate (always, for field data).
    pub estimated: bool,
    /// `good` from 90, `needs-improvement` from 50, else `poor` (Lighthouse's score
    /// colours, `core/util.js` `PASS_THRESHOLD` 0.9 and 0.5).
    pub class: &'static str,
}

/// The score, or `None` when the report has none.
pub fn score_view(score: Option<&serde_json::Value>) -> Option<ScoreView> {
    let value = score?;
    // The report's scores: Lighthouse's mobile curves, the configuration its score means.
    let value = value.get("mobile").unwrap_or(value);
    let (raw, estimated) = match value {
        serde_json::Value::Number(n) => (n.as_f64(), true),
        serde_json::Value::Object(_) => (
            value.get("score").and_then(serde_json::Value::as_f64),
            value
                .get("estimated")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(true),
        ),
        _ => return None,
    };
    // Lighthouse writes 0..1; a 0..100 number is taken as it is.
    let score = raw
        .filter(|s| s.is_finite())
        .map(|s| if s <= 1.0 { s * 100.0 } else { s })
        .map(|s| s.clamp(0.0, 100.0).round() as u32);
    let class = match score {
        Some(s) if s >= 90 => "good",
        Some(s) if s >= 50 => "needs-improvement",
        Some(_) => "poor",
        None => "neutral",
    };
    Some(ScoreView {
        score,
        estimated,
        class,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_reports_budget_check_and_scores_read_as_written() {
        let budgets = json!({"evaluation": {"file": "built-in", "status": "fail", "groups": [
            {"budget": "/budgets/0", "results": [
                {"name": "rating largest-contentful-paint", "unit": "ms", "measured": 4200.0,
                 "limit": 2500.0, "status": "fail"},
                {"name": "resourceSizes script", "unit": "kiB", "measured": 12.0,
                 "limit": 100.0, "status": "pass"}]}]}});
        let rows = budget_rows(Some(&budgets)).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].status, "fail");
        assert_eq!(rows[1].limit, format::bytes(100.0 * 1024.0));
        let error = json!({"error": {"file": "budget.json", "line": 1, "column": 30,
            "pointer": "/0/timings/0/metric", "expected": "a Lighthouse metric", "found": "\"lcp\""}});
        let rows = budget_rows(Some(&error)).unwrap();
        assert_eq!(rows[0].status, "error");
        assert!(
            rows[0]
                .name
                .contains("budget.json:1:30 /0/timings/0/metric")
        );
        let scores =
            json!({"mobile": {"score": 0.87, "estimated": true}, "desktop": {"score": 0.95}});
        let s = score_view(Some(&scores)).unwrap();
        assert_eq!((s.score, s.class), (Some(87), "needs-improvement"));
    }

    #[test]
    fn no_budget_is_none_and_results_become_rows() {
        assert_eq!(budget_rows(None), None);
        let results = json!([
            {"pointer":"/0/timings/0","name":"largest-contentful-paint","unit":"ms","level":"error",
             "measured":2730.5,"limit":2500,"status":"fail","over":230.5},
            {"name":"script","unit":"bytes","measured":null,"limit":153600,"status":"notMeasurable"}
        ]);
        let rows = budget_rows(Some(&results)).unwrap();
        assert_eq!(rows[0].measured, "2.73 s");
        assert_eq!(rows[0].limit, "2.50 s");
        assert_eq!(status_class(&rows[0].status), "poor");
        assert_eq!(rows[1].measured, "–");
        assert_eq!(rows[1].limit, "150.0 KB");
        // An evaluation object holding the results reads the same.
        let evaluation = json!({"status":"fail","results":results});
        assert_eq!(budget_rows(Some(&evaluation)).unwrap(), rows);
    }

    #[test]
    fn scores_read_from_a_number_or_an_object() {
        assert_eq!(score_view(None), None);
        let s = score_view(Some(
            &json!({"formFactor":"mobile","score":0.93,"estimated":true}),
        ))
        .unwrap();
        assert_eq!((s.score, s.class, s.estimated), (Some(93), "good", true));
        let s = score_view(Some(&json!(0.42))).unwrap();
        assert_eq!((s.score, s.class), (Some(42), "poor"));
        let s = score_view(Some(&json!({"score":null}))).unwrap();
        assert_eq!((s.score, s.class), (None, "neutral"));
    }

    #[test]
    fn extras_are_read_from_the_report_json_beside_the_core_types() {
        let e: Extras =
            serde_json::from_str(r#"{"schema":"pagevitals-report","score":0.5}"#).unwrap();
        assert_eq!(e.score, Some(json!(0.5)));
        assert_eq!(e.budgets, None);
    }
}
