//! The extension's popup: the tab's stored report (see `extension/background.js` for the
//! storage layout) shown as metric cards, budgets, score and sections, live while it is open,
//! with JSON and Markdown exports and the switch for the in-page layout-shift overlay.
//!
//! Shaped as STYLE item 8 asks: everything that decides what to show (formatting, ratings to
//! colours, the LCP and TTFB breakdown math, bundle and caching tables, the Markdown export,
//! the overlay's shift list) is a plain function over the core's report types in the modules
//! below, tested natively with `cargo test`. The Leptos components (`components/`, one per
//! file) and the few calls into the WebExtension API (`bridge.rs`, over
//! `extension/popup/bridge.js`) exist only on wasm32, so the workspace's native build and
//! clippy never compile Leptos; `main` only mounts.

pub mod breakdown;
pub mod bundles;
pub mod caching;
pub mod cards;
pub mod critical;
pub mod extras;
pub mod format;
pub mod markdown;
pub mod shifts;
pub mod state;
#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
mod components;

/// Mounts the popup. Everything else happens in the components.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn main() {
    leptos::mount::mount_to_body(components::app::App);
}
