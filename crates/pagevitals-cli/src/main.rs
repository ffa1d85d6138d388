//! `pagevitals`: the command-line face of `pagevitals-core`, for CI and scripts.
//!
//! `pagevitals check REPORT.json... --budget FILE [--json]` reads saved reports (schema
//! `pagevitals-report`) or raw entry logs (format `pagevitals-entry-log`, analysed first),
//! treats them as runs, and checks them against a Lighthouse `budget.json` or a PageVitals
//! budget. Exit status: 0 every budget met (warnings allowed), 1 a budget failed, 2 bad input
//! (a one-line reason naming the file). Human output by default, the core's `Evaluation` as
//! JSON with `--json`. All interpretation is the core's; this is only I/O and printing.
//!
//! `pagevitals schema report` prints the JSON Schema of the report (what
//! `schemas/report.schema.json` holds), derived from the core's serde types.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pagevitals_core::budget::{BudgetResult, Evaluation, Status, Unit};
use pagevitals_core::report::same_cache_state;
use pagevitals_core::{Report, analyze, evaluate, parse_budget, parse_log};

/// Exit status when every budget item is met or only warns.
const EXIT_PASS: u8 = 0;
/// Exit status when an `error`-level budget item failed.
const EXIT_FAIL: u8 = 1;
/// Exit status for bad input: an unreadable or malformed report, log or budget.
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "pagevitals",
    version,
    about = "Check PageVitals reports against budgets"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports (each one run) against a budget file.
    Check {
        /// Saved reports (`pagevitals-report`) or entry logs (`pagevitals-entry-log`).
        #[arg(required = true, value_name = "REPORT.json")]
        reports: Vec<PathBuf>,
        /// A Lighthouse budget.json or a PageVitals budget file.
        #[arg(long, value_name = "FILE")]
        budget: PathBuf,
        /// Print the evaluation as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a JSON Schema: `report` (the `pagevitals-report` a report file holds).
    Schema {
        /// Which schema.
        #[arg(value_parser = ["report"])]
        which: String,
    },
}

/// The report's JSON Schema (draft 2020-12), as `schemas/report.schema.json` holds it.
fn report_schema() -> Result<String, serde_json::Error> {
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
    serde_json::to_string_pretty(&schema).map(|text| text + "\n")
}

fn main() -> ExitCode {
    let (reports, budget, json) = match Cli::parse().command {
        Command::Check {
            reports,
            budget,
            json,
        } => (reports, budget, json),
        Command::Schema { .. } => {
            return match report_schema() {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::from(EXIT_PASS)
                }
                Err(e) => bad_input(&format!("cannot write the schema: {e}")),
            };
        }
    };
    match check(&reports, &budget) {
        Ok(evaluation) => {
            if json {
                match serde_json::to_string_pretty(&evaluation) {
                    Ok(text) => println!("{text}"),
                    Err(e) => return bad_input(&format!("cannot write JSON: {e}")),
                }
            } else {
                print!("{}", human(&evaluation));
            }
            ExitCode::from(if evaluation.status == Status::Fail {
                EXIT_FAIL
            } else {
                EXIT_PASS
            })
        }
        Err(reason) => bad_input(&reason),
    }
}

fn bad_input(reason: &str) -> ExitCode {
    eprintln!("pagevitals: {reason}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Reads the budget and the runs and evaluates; the error is one line naming the file.
fn check(reports: &[PathBuf], budget: &PathBuf) -> Result<Evaluation, String> {
    let name = budget.display().to_string();
    let text = read(budget)?;
    let file = parse_budget(&name, &text).map_err(|e| e.to_string())?;
    let runs = reports
        .iter()
        .map(read_report)
        .collect::<Result<Vec<_>, _>>()?;
    same_cache_state(&runs)?;
    Ok(evaluate(&file, &runs))
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A report, or an entry log analysed into one.
fn read_report(path: &PathBuf) -> Result<Report, String> {
    let name = path.display();
    let text = read(path)?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{name}: not JSON: {e}"))?;
    let field = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    if field("format") == Some(pagevitals_core::log::FORMAT) {
        let log = parse_log(&text).map_err(|e| format!("{name}: {e}"))?;
        return Ok(analyze(&log));
    }
    if field("schema") != Some(pagevitals_core::report::SCHEMA) {
        return Err(format!(
            "{name}: neither a report (\"schema\": \"{}\") nor an entry log (\"format\": \"{}\")",
            pagevitals_core::report::SCHEMA,
            pagevitals_core::log::FORMAT
        ));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(pagevitals_core::report::VERSION)) {
        return Err(format!(
            "{name}: report version {}, this build reads version {}",
            version.map_or("missing".to_owned(), |v| v.to_string()),
            pagevitals_core::report::VERSION
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("{name}: not a valid report: {e}"))
}

/// The evaluation as text: one block per applied budget, one line per item.
fn human(e: &Evaluation) -> String {
    let mut out = format!(
        "{} ({} budget, {} of runs)\n",
        e.file,
        serde_name(&e.format),
        serde_name(&e.aggregate)
    );
    for g in &e.groups {
        let path = g.path.as_deref().unwrap_or("every page");
        out += &format!(
            "\n{} {path}: {} run(s) of {}\n",
            g.budget,
            g.runs,
            g.urls.join(", ")
        );
        for r in &g.results {
            out += &line(r);
        }
    }
    for url in &e.unmatched {
        out += &format!("\nno budget's path matches {url}\n");
    }
    let count = |s: Status| {
        e.groups
            .iter()
            .flat_map(|g| &g.results)
            .filter(|r| r.status == s)
            .count()
    };
    out += &format!(
        "\n{}: {} failed, {} warned, {} passed, {} not measurable, {} unsupported\n",
        label(e.status),
        count(Status::Fail),
        count(Status::Warn),
        count(Status::Pass),
        count(Status::NotMeasurable),
        count(Status::Unsupported)
    );
    out
}

fn line(r: &BudgetResult) -> String {
    let unit = |v: f64| match r.unit {
        Unit::Ms => format!("{v:.0} ms"),
        Unit::KiB => format!("{v:.1} KiB"),
        Unit::Count => format!("{v:.0}"),
        Unit::Unitless => format!("{v:.3}"),
        Unit::Score => format!("{:.0}", v * 100.0),
    };
    let relation = if r.unit == Unit::Score { ">=" } else { "<=" };
    let value = match r.measured {
        Some(m) => {
            let estimated = if r.estimated { " (estimated)" } else { "" };
            let over = r
                .over
                .map_or(String::new(), |o| format!(", over by {}", unit(o)));
            format!(
                "{}{estimated}, limit {relation} {}{over}",
                unit(m),
                unit(r.limit)
            )
        }
        None => format!("limit {relation} {}", unit(r.limit)),
    };
    let mut s = format!(
        "  {:<6} {}: {value}  [{}]\n",
        label(r.status),
        r.name,
        r.pointer
    );
    if let Some(subject) = &r.subject {
        s += &format!("         {subject}\n");
    }
    if let Some(note) = &r.note {
        s += &format!("         {note}\n");
    }
    s
}

fn label(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASS",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::NotMeasurable => "N/A",
        Status::Unsupported => "UNSUPP",
    }
}

fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
