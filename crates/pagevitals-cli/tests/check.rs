//! Runs the `pagevitals` binary on the files in `tests/data/cli` and checks exit status and
//! output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/cli")
        .join(name)
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_pagevitals"))
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(e) => panic!("cannot run pagevitals: {e}"),
    }
}

fn check(reports: &[PathBuf], budget: &Path, json: bool) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["check".as_ref()];
    args.extend(reports.iter().map(|p| p.as_os_str()));
    args.extend(["--budget".as_ref(), budget.as_os_str()]);
    if json {
        args.push("--json".as_ref());
    }
    run(&args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_met_budget_exits_0_and_says_what_was_not_measurable() {
    let out = check(
        &[data("basic.chromium.log.json")],
        &data("pass.budget.json"),
        false,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("PASS   timings largest-contentful-paint"),
        "{stdout}"
    );
    assert!(stdout.contains("N/A    timings speed-index"), "{stdout}");
    assert!(
        stdout.contains("cannot be measured in the field"),
        "{stdout}"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let out = check(
        &[data("basic.chromium.log.json")],
        &data("warn.budget.json"),
        false,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("WARN"));
}

#[test]
fn a_failed_budget_exits_1_and_json_has_every_result() {
    let log = data("basic.chromium.log.json");
    let out = check(&[log.clone(), log], &data("fail.budget.json"), true);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let evaluation: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(evaluation["status"], "fail");
    let results = &evaluation["groups"][0]["results"];
    assert_eq!(evaluation["groups"][0]["runs"], 2);
    assert_eq!(results[0]["status"], "fail");
    assert_eq!(results[0]["pointer"], "/budgets/0/timings/0");
    assert_eq!(results[0]["runs"], 2);
    assert!(results[0]["over"].as_f64().unwrap() > 0.0);
    assert_eq!(results[1]["status"], "warn");
}

#[test]
fn a_saved_report_reads_back_and_checks_like_its_log() {
    // Save the report the core builds from the log, then check the saved file.
    let log_text = std::fs::read_to_string(data("basic.chromium.log.json")).unwrap();
    let report = pagevitals_core::analyze(&pagevitals_core::parse_log(&log_text).unwrap());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let saved = dir.join("basic.chromium.report.json");
    std::fs::write(&saved, serde_json::to_string(&report).unwrap()).unwrap();
    let from_report = check(&[saved], &data("fail.budget.json"), true);
    let from_log = check(
        &[data("basic.chromium.log.json")],
        &data("fail.budget.json"),
        true,
    );
    assert_eq!(from_report.status.code(), Some(1));
    assert_eq!(text(&from_report.stdout), text(&from_log.stdout));
}

#[test]
fn cold_and_warm_runs_are_never_checked_together() {
    let log_text = std::fs::read_to_string(data("basic.chromium.log.json")).unwrap();
    let report = pagevitals_core::analyze(&pagevitals_core::parse_log(&log_text).unwrap());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let saved = |cache: &str| {
        let mut value = serde_json::to_value(&report).unwrap();
        value["run"] = serde_json::json!({"cache": cache, "index": 1});
        let path = dir.join(format!("basic.{cache}.report.json"));
        std::fs::write(&path, value.to_string()).unwrap();
        path
    };
    let (cold, warm) = (saved("cold"), saved("warm"));
    let mixed = check(&[cold.clone(), warm], &data("pass.budget.json"), false);
    let stderr = text(&mixed.stderr);
    assert_eq!(mixed.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("mix cold and warm runs"), "{stderr}");
    let alike = check(&[cold.clone(), cold], &data("pass.budget.json"), false);
    assert_eq!(alike.status.code(), Some(0), "{}", text(&alike.stderr));
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_file() {
    for (reports, budget, expected) in [
        (
            vec![data("basic.chromium.log.json")],
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/data/budgets/invalid/metric-alias.json"),
            "metric-alias.json:4:19: /0/timings/0/metric: expected one of",
        ),
        (
            vec![data("broken.report.json")],
            data("pass.budget.json"),
            "broken.report.json: not a valid report",
        ),
        (
            vec![data("pass.budget.json")],
            data("pass.budget.json"),
            "pass.budget.json: neither a report",
        ),
        (
            vec![data("missing.json")],
            data("pass.budget.json"),
            "missing.json: ",
        ),
    ] {
        let out = check(&reports, &budget, false);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["check".as_ref(), data("pass.budget.json").as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
}

/// The committed report schema is the one the types give: regenerate it with
/// `PAGEVITALS_BLESS=1 cargo test -p pagevitals-cli`.
#[test]
fn the_committed_report_schema_is_generated_from_the_types() {
    let out = run(&["schema".as_ref(), "report".as_ref()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let generated = text(&out.stdout);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/report.schema.json");
    if std::env::var_os("PAGEVITALS_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/report.schema.json is stale: PAGEVITALS_BLESS=1 cargo test -p pagevitals-cli"
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap_or_default();
    for key in [
        "metrics",
        "recommendations",
        "softNavigations",
        "budgets",
        "score",
    ] {
        assert!(
            schema["properties"].get(key).is_some(),
            "the schema describes {key}"
        );
    }
}
