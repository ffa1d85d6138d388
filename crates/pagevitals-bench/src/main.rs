//! `pagevitals-bench`: times `parse_log` and `analyze` natively on generated entry logs of 1k,
//! 10k and 100k entries, and checks the requirement that a 100k log is processed in under
//! 50 ms and that cost grows linearly. `--write DIR` also writes the logs and these results
//! so that `scripts/lib/bench-engine.mjs` can time the shipped wasm on the very same input.
//! Run it as `cargo run --profile native -p pagevitals-bench` (opt-level 3; `--release` builds
//! the wasm's opt-level "s"), or through `scripts/bench-engine`. It prints the opt-level it was
//! built with.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use std::{env, fs};

use pagevitals_bench::{Summary, generate_log};
use pagevitals_core::{analyze, parse_log};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::{Value, json};

const USAGE: &str = "usage: pagevitals-bench [--write DIR] [--json FILE]
  --write DIR   also write the generated logs (entries-<N>.json) and the results
                (native.json) to DIR, for scripts/lib/bench-engine.mjs
  --json FILE   also write the results as JSON to FILE";

/// One log size of the requirement, and how often it is timed. Fewer runs of the largest keep
/// the whole benchmark to well under a minute on the project's 2-core machine; warm-up runs
/// fault in the allocator's pages and the caches before anything is measured.
struct Size {
    entries: usize,
    warmup: usize,
    iterations: usize,
}

const SIZES: [Size; 3] = [
    Size {
        entries: 1_000,
        warmup: 3,
        iterations: 15,
    },
    Size {
        entries: 10_000,
        warmup: 3,
        iterations: 15,
    },
    Size {
        entries: 100_000,
        warmup: 1,
        iterations: 7,
    },
];

/// The requirement: a log of this many entries is parsed and analysed (median) within
/// [`BUDGET`], natively.
const BUDGET_ENTRIES: usize = 100_000;
/// See [`BUDGET_ENTRIES`].
const BUDGET: Duration = Duration::from_millis(50);

/// The opt-level of the build being run (from `build.rs`).
const OPT_LEVEL: &str = env!("PAGEVITALS_BENCH_OPT_LEVEL");

/// The generator's seed: any fixed value, so that every run measures the same logs.
const SEED: u64 = 0x0050_4147_4556_4954;

struct Options {
    write: Option<PathBuf>,
    json: Option<PathBuf>,
}

fn main() -> ExitCode {
    let options = match parse_args(env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("pagevitals-bench: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("pagevitals-bench: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        write: None,
        json: None,
    };
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--write" => &mut options.write,
            "--json" => &mut options.json,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument '{other}'")),
        };
        let value = args.next().ok_or(format!("{arg} needs a path"))?;
        *slot = Some(PathBuf::from(value));
    }
    Ok(Some(options))
}

/// The timings of one log size.
struct Measured {
    entries: usize,
    bytes: usize,
    file: Option<String>,
    iterations: usize,
    warmup: usize,
    parse: Summary,
    analyze: Summary,
    total: Summary,
    scan: Summary,
    sonic_scan: Summary,
}

impl Measured {
    fn ns_per_entry(&self) -> f64 {
        self.total.median.as_secs_f64() * 1e9 / self.entries as f64
    }
}

/// Runs every size; `Ok(false)` when the budget was missed.
fn run(options: &Options) -> Result<bool, String> {
    if cfg!(debug_assertions) {
        eprintln!("pagevitals-bench: a debug build measures nothing useful; use --release");
    }
    if let Some(dir) = &options.write {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    println!(
        "native (opt-level {OPT_LEVEL}): parse_log and analyze on generated entry logs, in ms; \
         total is both as one"
    );
    println!(
        "span; scan and scan-sonic, for reference, are serde_json and sonic-rs only reading the \
         text once (no engine)"
    );
    println!(
        "{:>8} {:>9} {:>6}  {:<10} {:>9} {:>9} {:>9}",
        "entries", "log MB", "runs", "phase", "median", "min", "ns/entry"
    );
    let mut results = Vec::new();
    for size in &SIZES {
        let text = generate_log(size.entries, SEED);
        let file = match &options.write {
            Some(dir) => Some(write_log(dir, size.entries, &text)?),
            None => None,
        };
        let measured = measure(size, &text, file)?;
        print_rows(&measured);
        results.push(measured);
    }

    let per_entry = |entries: usize| {
        results
            .iter()
            .find(|m| m.entries == entries)
            .map(Measured::ns_per_entry)
    };
    let (Some(small), Some(medium), Some(large)) =
        (per_entry(1_000), per_entry(10_000), per_entry(100_000))
    else {
        return Err("a log size is missing from SIZES".into());
    };
    println!(
        "linearity: ns/entry at 10k / 1k = {:.2}, at 100k / 1k = {:.2} (1.00 is linear)",
        medium / small,
        large / small
    );
    let budgeted = results
        .iter()
        .find(|m| m.entries == BUDGET_ENTRIES)
        .ok_or("the budgeted size is missing from SIZES")?;
    let pass = budgeted.total.median < BUDGET;
    println!(
        "{}: {}k entries in {:.1} ms natively (median of parse_log + analyze), budget {} ms",
        if pass { "PASS" } else { "FAIL" },
        BUDGET_ENTRIES / 1000,
        budgeted.total.median_ms(),
        BUDGET.as_millis()
    );

    let json = results_json(&results, large / small, pass);
    if let Some(dir) = &options.write {
        write_json(&dir.join("native.json"), &json)?;
    }
    if let Some(path) = &options.json {
        write_json(path, &json)?;
    }
    Ok(pass)
}

/// Times parse and analyse of one log: each phase on its own, and the two as one span. Also
/// times two references that are not part of the engine: serde_json reading the text once
/// without building anything (validating it into a `RawValue`), the floor for any parser built
/// on it, and sonic-rs (SIMD) doing the same into `IgnoredAny`.
fn measure(size: &Size, text: &str, file: Option<String>) -> Result<Measured, String> {
    let mut parse = Vec::with_capacity(size.iterations);
    let mut analysis = Vec::with_capacity(size.iterations);
    let mut total = Vec::with_capacity(size.iterations);
    let mut scan = Vec::with_capacity(size.iterations);
    let mut sonic_scan = Vec::with_capacity(size.iterations);
    for run in 0..size.warmup + size.iterations {
        let sonic_start = Instant::now();
        let skipped: IgnoredAny = sonic_rs::from_str(black_box(text)).map_err(|e| e.to_string())?;
        black_box(skipped);
        let sonic_scanned = sonic_start.elapsed();

        let scan_start = Instant::now();
        let raw: &RawValue = serde_json::from_str(black_box(text)).map_err(|e| e.to_string())?;
        black_box(raw);
        let scanned = scan_start.elapsed();

        let start = Instant::now();
        let log = parse_log(black_box(text))
            .map_err(|e| format!("the generated {}-entry log: {e}", size.entries))?;
        let parsed = Instant::now();
        let report = analyze(black_box(&log));
        let done = Instant::now();
        black_box(&report);
        // Freeing the log is left out of every phase.
        drop(log);
        if run >= size.warmup {
            parse.push(parsed - start);
            analysis.push(done - parsed);
            total.push(done - start);
            scan.push(scanned);
            sonic_scan.push(sonic_scanned);
        }
    }
    let summary = |samples: &[Duration]| Summary::of(samples).ok_or("no iterations");
    Ok(Measured {
        entries: size.entries,
        bytes: text.len(),
        file,
        iterations: size.iterations,
        warmup: size.warmup,
        parse: summary(&parse)?,
        analyze: summary(&analysis)?,
        total: summary(&total)?,
        scan: summary(&scan)?,
        sonic_scan: summary(&sonic_scan)?,
    })
}

fn print_rows(m: &Measured) {
    let rows = [
        ("parse", &m.parse),
        ("analyze", &m.analyze),
        ("total", &m.total),
        ("scan", &m.scan),
        ("scan-sonic", &m.sonic_scan),
    ];
    for (i, (phase, s)) in rows.into_iter().enumerate() {
        let ns = s.median.as_secs_f64() * 1e9 / m.entries as f64;
        if i == 0 {
            print!(
                "{:>8} {:>9.1} {:>6}",
                m.entries,
                m.bytes as f64 / 1e6,
                m.iterations
            );
        } else {
            print!("{:>8} {:>9} {:>6}", "", "", "");
        }
        println!(
            "  {phase:<10} {:>9.3} {:>9.3} {ns:>9.0}",
            s.median_ms(),
            s.min_ms()
        );
    }
}

fn write_log(dir: &Path, entries: usize, text: &str) -> Result<String, String> {
    let name = format!("entries-{entries}.json");
    let path = dir.join(&name);
    fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(name)
}

fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
}

/// The results as the wasm side (`scripts/lib/bench-engine.mjs`) reads them: it times the
/// same files with the same warm-up and iteration counts.
fn results_json(results: &[Measured], linearity: f64, pass: bool) -> Value {
    let phase = |s: &Summary| json!({ "medianMs": s.median_ms(), "minMs": s.min_ms() });
    json!({
        "tool": "pagevitals-bench",
        "seed": SEED,
        "debugBuild": cfg!(debug_assertions),
        "optLevel": OPT_LEVEL,
        "sizes": results.iter().map(|m| json!({
            "entries": m.entries,
            "bytes": m.bytes,
            "file": m.file,
            "warmup": m.warmup,
            "iterations": m.iterations,
            "parse": phase(&m.parse),
            "analyze": phase(&m.analyze),
            "total": phase(&m.total),
            "jsonScan": phase(&m.scan),
            "sonicScan": phase(&m.sonic_scan),
            "nsPerEntry": m.ns_per_entry(),
        })).collect::<Vec<_>>(),
        "linearity100kOver1k": linearity,
        "budget": { "entries": BUDGET_ENTRIES, "ms": BUDGET.as_secs_f64() * 1e3, "pass": pass },
    })
}
