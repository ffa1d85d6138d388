//! What the `pagevitals-bench` command is made of: a generator of large, realistic entry logs
//! and the small statistics it prints. The command checks the performance requirement on the
//! engine: logs of 1k, 10k and 100k entries (half resources, a fifth layout shifts, a tenth
//! events) must cost time linear in their length, and a 100k log must be parsed and analysed
//! in under 50 ms natively; `scripts/bench-engine` runs the same logs through the shipped wasm.
//!
//! The generator is deterministic (a seeded LCG, no `rand`), so every run and both sides of
//! the comparison measure byte-identical input. Entries carry the fields Chromium's `toJSON()`
//! gives them (the key sets of the recorded logs in `tests/data`), so the parser does the work
//! it does on real logs. Entry types the core does not model yet are kept as `Entry::Other`;
//! the benchmark grows more demanding, not invalid, as the core models more of them. It is a
//! separate command, never part of `cargo test`: only the generator's validity is tested.

// serde_json's `json!` recurses once per key; the navigation entry has more keys than the
// default limit of 128 allows.
#![recursion_limit = "256"]

pub mod generate;
pub mod stats;

pub use generate::{Mix, generate_log};
pub use stats::Summary;
