//! The PageVitals engine: a log of performance entries and page-lifecycle events goes in, a
//! report of metrics comes out.
//!
//! This crate is the functional core of the product. It knows nothing of the browser: no
//! wasm-bindgen, web-sys or js-sys, and no I/O. The in-page agent records what the browser
//! says into an [`log::EntryLog`]; everything that interprets those records (metric semantics,
//! ratings, budgets, scores and later recommendations) lives here so that it can be
//! tested natively from recorded data and run unchanged in the extension's background, in
//! Node and in the command-line tool.
//!
//! Layers only look down: [`log`] (parsing) -> [`page`] (page-view context such as the first
//! hidden time) -> shared metric math ([`rating`], [`session_window`], [`interactions`]) ->
//! metric modules ([`fcp`], [`ttfb`], [`lcp`], [`cls`], [`inp`], each with its attribution)
//! and summaries beyond web-vitals ([`long_tasks`] with Lighthouse's Total Blocking Time,
//! [`long_animation_frames`], [`resources`] with [`server_timing`] header parsing, per-route
//! metrics for [`soft_navigations`]) -> recommendations ([`rules`], one module per rule,
//! ranked by saving) -> [`report`] (the versioned wire format), and above the report, reading
//! it: [`budget`] (Lighthouse `budget.json` and PageVitals' extended budgets, checked against
//! reports) and [`score`] (the estimated Lighthouse performance score and the Core Web Vitals
//! verdict). Bad input is reported as data ([`log::LogError`], [`budget::BudgetError`]);
//! nothing here panics on input.
//!
//! The metrics follow web-vitals v5 (its attribution build), whose rules depend on live
//! browser state; each metric module says how that state is read from the log instead.

pub mod budget;
pub mod cls;
pub mod compare;
pub mod fcp;
pub mod inp;
pub mod interactions;
pub mod lcp;
pub mod log;
pub mod long_animation_frames;
pub mod long_tasks;
pub mod metric;
pub mod page;
pub mod rating;
pub mod report;
pub mod resources;
pub mod rules;
pub mod score;
pub mod server_timing;
pub mod session_window;
pub mod soft_navigations;
pub mod stats;
#[cfg(test)]
mod testing;
pub mod ttfb;
pub mod verdict;

pub use budget::{BudgetError, BudgetFile, default_budget, evaluate, parse_budget};
pub use log::{EntryLog, LogError, parse_log};
pub use report::{Report, analyze};
