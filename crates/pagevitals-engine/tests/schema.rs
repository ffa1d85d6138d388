//! The committed report schema (`schemas/report.schema.json`, what `pagevitals schema report`
//! prints) is the one the core's serde types give. Regenerate it with
//! `PAGEVITALS_BLESS=1 cargo test -p pagevitals-engine --test schema`.

use std::path::Path;

use pagevitals_core::Report;

/// The report's JSON Schema (draft 2020-12), derived from the types with schemars.
fn report_schema() -> String {
    let mut schema = schemars::schema_for!(Report);
    schema.insert(
        "$id".to_owned(),
        "https://pagevitals.dev/schemas/report.schema.json".into(),
    );
    schema.insert(
        "description".to_owned(),
        "A PageVitals report (schema `pagevitals-report`, version 1): what PageVitals \
         measured for one page view, as the extension, the headless tools and the audit \
         write it. Generated from the Rust types (pagevitals schema report); do not edit."
            .into(),
    );
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => text + "\n",
        Err(e) => panic!("cannot serialise the schema: {e}"),
    }
}

#[test]
fn the_committed_report_schema_is_generated_from_the_types() {
    let generated = report_schema();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/report.schema.json");
    if std::env::var_os("PAGEVITALS_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/report.schema.json is stale: PAGEVITALS_BLESS=1 cargo test -p pagevitals-engine --test schema"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap_or_default();
    for key in [
        "metrics",
        "recommendations",
        "softNavigations",
        "budgets",
        "score",
        "run",
    ] {
        assert!(
            schema["properties"].get(key).is_some(),
            "the schema describes {key}"
        );
    }
}

#[test]
fn read_report_takes_a_report_or_a_log_and_names_what_a_file_is_not() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/cli");
    let log = std::fs::read_to_string(data.join("basic.chromium.log.json")).unwrap();
    let from_log: serde_json::Value =
        serde_json::from_str(&pagevitals_engine::read_report(&log)).unwrap();
    let report = from_log["report"].clone();
    assert_eq!(report["schema"], "pagevitals-report", "{from_log}");
    let again: serde_json::Value =
        serde_json::from_str(&pagevitals_engine::read_report(&report.to_string())).unwrap();
    assert_eq!(again["report"], report);
    for (text, expected) in [
        ("[1", "not JSON"),
        (r#"{"budgets": []}"#, "neither a result"),
        (
            r#"{"schema": "pagevitals-report", "version": 2}"#,
            "report version 2, this build reads version 1",
        ),
        (
            r#"{"schema": "pagevitals-report", "version": 1}"#,
            "not a valid report",
        ),
    ] {
        let out: serde_json::Value =
            serde_json::from_str(&pagevitals_engine::read_report(text)).unwrap();
        let message = out["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{text}: {out}");
    }
}
