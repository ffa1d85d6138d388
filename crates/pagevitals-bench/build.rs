//! Passes the opt-level the benchmark is built with (Cargo's `OPT_LEVEL` for the profile being
//! built) to the program, so that its results say which build they measure: the `native`
//! profile (opt-level 3) or `release` (opt-level "s", the wasm's).

fn main() {
    let level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "unknown".to_owned());
    println!("cargo:rustc-env=PAGEVITALS_BENCH_OPT_LEVEL={level}");
    println!("cargo:rerun-if-env-changed=OPT_LEVEL");
}
