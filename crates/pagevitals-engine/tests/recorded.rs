//! Replays the entry logs recorded from real Chromium and Firefox (tests/data, written by
//! scripts/record-logs) through the engine, natively, and checks every metric the engine
//! computes against what the web-vitals package reported in the same page load.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

/// The metrics this build computes. For each, a recording's oracle value and ours must agree:
/// both present and equal, or both absent.
const CHECKED: &[&str] = &["FCP", "TTFB", "LCP", "CLS", "INP"];

/// After a bfcache restore, FCP and LCP are `performance.now() - pageshow.timeStamp` read two
/// animation frames later by web-vitals and by the agent, each in its own callback of the same
/// frame: equal only within that frame (docs/metrics.md).
const RESTORE_CLOCK_TOLERANCE_MS: f64 = 1000.0 / 60.0;

fn recordings() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let mut found = Vec::new();
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_else(|e| panic!("{e}"));
        if path.extension().is_some_and(|x| x == "json") {
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let name = path.display().to_string();
            let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            found.push((name, value));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn recorded_logs_match_web_vitals() {
    let recordings = recordings();
    assert!(
        recordings.len() >= 4,
        "expected recordings in tests/data, found {}",
        recordings.len()
    );
    for browser in ["chromium", "firefox"] {
        assert!(
            recordings.iter().any(|(name, _)| name.contains(browser)),
            "no recording from {browser}"
        );
    }
    for (name, recording) in recordings {
        let restored = !recording["log"]["page"]["restoredAt"].is_null();
        let out: Value = serde_json::from_str(&pagevitals_engine::analyze_json(
            &recording["log"].to_string(),
        ))
        .unwrap();
        let report = out
            .get("report")
            .unwrap_or_else(|| panic!("{name}: {}", out["error"]));
        if let Some(routes) = recording.get("routes") {
            check_routes(&name, report, routes);
            continue;
        }
        for metric in CHECKED {
            let ours = &report["metrics"][metric];
            let oracle = &recording["oracle"][metric];
            if oracle.is_null() {
                assert!(
                    ours.is_null(),
                    "{name}: {metric} reported but web-vitals did not"
                );
                continue;
            }
            assert!(
                !ours.is_null(),
                "{name}: {metric} missing; web-vitals: {oracle}"
            );
            let tolerance = match *metric {
                "FCP" | "LCP" if restored => RESTORE_CLOCK_TOLERANCE_MS,
                _ => 0.0,
            };
            for field in ["value", "rating", "navigationType", "attribution"] {
                assert!(
                    same(&ours[field], &oracle[field], tolerance),
                    "{name}: {metric}.{field}: ours {} but web-vitals {}",
                    ours[field],
                    oracle[field]
                );
            }
        }
    }
}

/// A soft-navigation recording: each route in `report.softNavigations` against web-vitals v6's
/// metrics for it (`routes`, keyed by URL and the browser's navigationId), in order. The page
/// view's own metrics follow v5 and are checked by the other recordings.
fn check_routes(name: &str, report: &Value, routes: &Value) {
    let ours = report["softNavigations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let theirs = routes.as_object().cloned().unwrap_or_default();
    assert!(!theirs.is_empty(), "{name}: no routes recorded");
    let keys: Vec<String> = ours
        .iter()
        .map(|route| {
            let id = route["page"]["navigationId"].as_str().unwrap_or_default();
            let browser_id = id.rsplit(':').next().unwrap_or_default();
            format!(
                "{}#{browser_id}",
                route["page"]["url"].as_str().unwrap_or_default()
            )
        })
        .collect();
    // (serde_json's map is sorted by key, so the routes compare as sets here; the live test
    // checks their order.)
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        theirs.keys().cloned().collect::<Vec<_>>(),
        "{name}: the same routes"
    );
    for (route, key) in ours.iter().zip(&keys) {
        for metric in CHECKED {
            let (ours, oracle) = (&route["metrics"][metric], &theirs[key][metric]);
            assert_eq!(
                ours.is_null(),
                oracle.is_null(),
                "{name} {key}: {metric}: ours {ours}, web-vitals {oracle}"
            );
            if oracle.is_null() {
                continue;
            }
            for field in ["value", "rating", "navigationType", "attribution"] {
                assert!(
                    same(&ours[field], &oracle[field], 0.0),
                    "{name} {key}: {metric}.{field}: ours {} but web-vitals {}",
                    ours[field],
                    oracle[field]
                );
            }
        }
    }
}

/// JSON equality where numbers compare by value (JS writes `88`, serde writes `88.0`), within
/// `tolerance`.
fn same(a: &Value, b: &Value, tolerance: f64) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= tolerance,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, tolerance))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, tolerance)))
        }
        _ => a == b,
    }
}
