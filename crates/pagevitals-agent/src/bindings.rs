//! Browser APIs the agent needs that web-sys does not (yet) describe. Each getter reads an
//! attribute that may be missing in some browsers, so each returns an `Option`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `PerformanceObserver`, for its static `supportedEntryTypes`.
    #[wasm_bindgen(js_name = PerformanceObserver)]
    pub type PerformanceObserverClass;

    /// `PerformanceObserver.supportedEntryTypes` (Performance Timeline Level 2).
    #[wasm_bindgen(static_method_of = PerformanceObserverClass, js_class = "PerformanceObserver", getter = supportedEntryTypes)]
    pub fn supported_entry_types() -> Option<js_sys::Array>;

    /// The options of `PerformanceObserver.observe()` with the single-type form
    /// (`type`, `buffered`, `durationThreshold`) that web-sys' `PerformanceObserverInit` lacks.
    #[wasm_bindgen(extends = js_sys::Object)]
    pub type ObserveOptions;

    #[wasm_bindgen(method, setter = type)]
    pub fn set_type(this: &ObserveOptions, value: &str);

    #[wasm_bindgen(method, setter = buffered)]
    pub fn set_buffered(this: &ObserveOptions, value: bool);

    /// Event Timing's `durationThreshold`.
    #[wasm_bindgen(method, setter = durationThreshold)]
    pub fn set_duration_threshold(this: &ObserveOptions, value: f64);

    /// A `Document`, for the attributes web-sys lacks (cast with `unchecked_ref`).
    #[wasm_bindgen(js_name = Document)]
    pub type DocumentExt;

    /// `document.prerendering` (Prerendering Revamped); missing outside Chromium.
    #[wasm_bindgen(method, getter = prerendering)]
    pub fn prerendering(this: &DocumentExt) -> Option<bool>;

    /// `document.wasDiscarded` (Page Lifecycle); missing outside Chromium.
    #[wasm_bindgen(method, getter = wasDiscarded)]
    pub fn was_discarded(this: &DocumentExt) -> Option<bool>;

    /// A `Performance`, for the attributes web-sys lacks (cast with `unchecked_ref`).
    #[wasm_bindgen(js_name = Performance)]
    pub type PerformanceExt;

    /// `performance.interactionCount` (Event Timing); missing outside Chromium.
    #[wasm_bindgen(method, getter = interactionCount)]
    pub fn interaction_count(this: &PerformanceExt) -> Option<f64>;
}
