//! The popup's Leptos components, one per file. They only lay out what the view-model
//! functions in the crate's other modules computed.

pub mod app;
pub mod backend;
pub mod bar;
pub mod budgets;
pub mod bundles;
pub mod caching;
pub mod critical_path;
pub mod export;
pub mod layout_shifts;
pub mod metric_card;
pub mod metric_cards;
pub mod recommendations;
pub mod routes;
pub mod score;
pub mod section_panel;
pub mod section_tabs;
pub mod status;
