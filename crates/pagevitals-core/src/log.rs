//! The entry log: what the in-page agent records, as JSON.
//!
//! Format `pagevitals-entry-log`, version 1 (documented in `docs/entry-log.md`):
//!
//! ```json
//! { "format": "pagevitals-entry-log", "version": 1,
//!   "page": { "url": "...", "navigationId": "...", "initialVisibility": "visible", ... },
//!   "now": 1234.5,
//!   "records": [ { "entryType": "paint", ... }, { "lifecycle": "visibilitychange", ... } ] }
//! ```
//!
//! A record with an `entryType` is a performance entry exactly as the browser's `toJSON()`
//! serialises it (plus fields the agent adds, such as element selectors). A record with a
//! `lifecycle` key is a page event the agent saw. A record with a `response` key is a response
//! the extension's background saw through `webRequest` (status, cache, type and a whitelist of
//! headers). Entry types this version does not model are kept as raw JSON and ignored by the
//! metrics, so a newer browser never breaks parsing.
//!
//! Field rules: a field the metric math reads is required, so a malformed record is an error
//! naming it; a field some browser lacks (Firefox lacks most Chromium-only ones) or that only
//! feeds the report is `#[serde(default)]`. Unknown fields are ignored.
//!
//! Fields the agent adds to what `toJSON()` gives (`toJSON()` cannot carry DOM nodes):
//! - `selector` on `largest-contentful-paint` (for `element`), on each `layout-shift` source
//!   (for `node`) and on `event` / `first-input` (for `target`): web-vitals'
//!   `getSelector(node)` (`src/lib/getSelector.ts`) computed when the entry was observed, or
//!   `null` when the node was `null`. For a node that is not an element `getSelector`
//!   returns `""`, which is how the core tells element sources from others.
//! - the `input` lifecycle record: a trusted `keydown`, `pointerdown` or `click` the agent
//!   saw (capture phase, `isTrusted` only), with the event's `timeStamp`.
//!
//! Parsing reads each record once, straight into its type (`single_pass`); a record or log
//! that pass cannot read exactly as the reference parser would (`parse_by_record`: each
//! record sliced out of the log, then parsed on its own) is read by the reference instead,
//! so an error names the record's index and the JSON path of the bad field.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

mod compact;
mod single_pass;

pub use compact::{CompactLimits, Compacted, compact};

/// The `format` value every log carries.
pub const FORMAT: &str = "pagevitals-entry-log";
/// The log format version this crate reads and the agent writes.
pub const VERSION: u32 = 1;

/// A parsed entry log for one page view.
#[derive(Debug, Clone)]
pub struct EntryLog {
    /// Facts about the page the agent read when it started.
    pub page: PageInfo,
    /// The latest `performance.now()` the agent reported; bounds what counts as "the future".
    pub now: f64,
    /// `performance.interactionCount` where the browser has it; where it does not, the
    /// agent may write web-vitals' polyfill estimate instead, which can be fractional.
    pub interaction_count: Option<f64>,
    /// Entries and lifecycle events in the order the agent recorded them.
    pub records: Vec<Record>,
    /// Records [`compact`] removed to keep the log within its bounds, by kind (entry type,
    /// `lifecycle` or `response`); empty for a log never compacted.
    pub dropped: BTreeMap<String, u64>,
    /// The agent's own main-thread time on the page, as it measured it; `None` from an agent
    /// that does not measure it.
    pub agent_cost: Option<AgentCost>,
}

/// What the agent's own work cost the page's main thread: each observer callback, listener
/// and batch it ran, timed by the agent with `performance.now()` around it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AgentCost {
    /// How many times the agent ran.
    pub tasks: u64,
    /// Their total duration, ms.
    pub total_ms: f64,
    /// The longest single one, ms: a long task is 50 ms or more.
    pub max_task_ms: f64,
}

/// Facts about the page view, read by the agent at start-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// The document URL.
    pub url: String,
    /// Unique per page view; a new one starts a new report.
    pub navigation_id: String,
    /// `performance.timeOrigin` in ms since the epoch.
    #[serde(default)]
    pub time_origin: f64,
    /// `navigator.userAgent`.
    #[serde(default)]
    pub user_agent: String,
    /// `PerformanceObserver.supportedEntryTypes`.
    #[serde(default)]
    pub supported_entry_types: Vec<String>,
    /// `document.visibilityState` when the agent started.
    pub initial_visibility: VisibilityState,
    /// `document.prerendering` when the agent started.
    #[serde(default)]
    pub prerendering: bool,
    /// `document.wasDiscarded`.
    #[serde(default)]
    pub was_discarded: bool,
    /// Set when this page view began with a restore from the back/forward cache: the
    /// `pageshow` event's time. The agent starts a new page view (and log) at a restore.
    #[serde(default)]
    pub restored_at: Option<f64>,
}

/// `document.visibilityState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VisibilityState {
    /// The page is at least partly visible.
    Visible,
    /// The page is not visible (background tab, minimised, or prerendering).
    Hidden,
}

/// One line of the log.
#[derive(Debug, Clone)]
pub enum Record {
    /// A performance entry.
    Entry(Entry),
    /// A page lifecycle event.
    Lifecycle(Lifecycle),
    /// A response the background saw through `webRequest` (written by the background, not
    /// the agent).
    Response(Box<Response>),
}

/// A performance entry, typed by `entryType`.
#[derive(Debug, Clone)]
pub enum Entry {
    /// `navigation`: the document's own request.
    Navigation(Box<NavigationTiming>),
    /// `paint`: first-paint and first-contentful-paint.
    Paint(Paint),
    /// `visibility-state`: when the page became visible or hidden.
    VisibilityState(VisibilityStateEntry),
    /// `largest-contentful-paint`: a new largest contentful element was painted.
    LargestContentfulPaint(LargestContentfulPaint),
    /// `layout-shift`: content moved between two frames.
    LayoutShift(LayoutShift),
    /// `event`: an Event Timing entry (the agent observes with `durationThreshold` 40).
    Event(EventTiming),
    /// `first-input`: the Event Timing entry of the page's first discrete input.
    FirstInput(EventTiming),
    /// `long-animation-frame`: a frame that took over 50 ms, with its scripts.
    LongAnimationFrame(Box<LongAnimationFrame>),
    /// `resource`: one subresource request.
    Resource(Box<ResourceTiming>),
    /// `longtask`: a main-thread task of 50 ms or more (Long Tasks API, Chromium).
    LongTask(LongTask),
    /// `soft-navigation`: a same-document navigation a user interaction caused (Chromium).
    SoftNavigation(Box<SoftNavigation>),
    /// `interaction-contentful-paint`: a contentful paint an interaction caused (Chromium);
    /// a soft navigation's LCP is built from these.
    InteractionContentfulPaint(Box<InteractionContentfulPaint>),
    /// An entry type this version does not model; kept verbatim.
    Other(OtherEntry),
}

impl Entry {
    /// The entry's `entryType`.
    pub fn entry_type(&self) -> &str {
        match self {
            Entry::Navigation(_) => "navigation",
            Entry::Paint(_) => "paint",
            Entry::VisibilityState(_) => "visibility-state",
            Entry::LargestContentfulPaint(_) => "largest-contentful-paint",
            Entry::LayoutShift(_) => "layout-shift",
            Entry::Event(_) => "event",
            Entry::FirstInput(_) => "first-input",
            Entry::LongAnimationFrame(_) => "long-animation-frame",
            Entry::Resource(_) => "resource",
            Entry::LongTask(_) => "longtask",
            Entry::SoftNavigation(_) => "soft-navigation",
            Entry::InteractionContentfulPaint(_) => "interaction-contentful-paint",
            Entry::Other(o) => &o.entry_type,
        }
    }
}

/// `PerformanceNavigationTiming` as serialised by `toJSON()`. Times are ms from time origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // Field names are the Navigation Timing spec's own.
pub struct NavigationTiming {
    pub name: String,
    pub start_time: f64,
    pub duration: f64,
    /// navigate, reload, back_forward or prerender.
    #[serde(rename = "type")]
    pub navigation_type: String,
    /// Chromium only; absent elsewhere, which means 0.
    #[serde(default)]
    pub activation_start: f64,
    #[serde(default)]
    pub redirect_start: f64,
    #[serde(default)]
    pub redirect_end: f64,
    #[serde(default)]
    pub redirect_count: u32,
    #[serde(default)]
    pub worker_start: f64,
    pub fetch_start: f64,
    pub domain_lookup_start: f64,
    #[serde(default)]
    pub domain_lookup_end: f64,
    pub connect_start: f64,
    pub connect_end: f64,
    #[serde(default)]
    pub secure_connection_start: f64,
    pub request_start: f64,
    pub response_start: f64,
    #[serde(default)]
    pub response_end: f64,
    pub dom_interactive: f64,
    pub dom_content_loaded_event_start: f64,
    #[serde(default)]
    pub dom_content_loaded_event_end: f64,
    pub dom_complete: f64,
    #[serde(default)]
    pub load_event_start: f64,
    #[serde(default)]
    pub load_event_end: f64,
    #[serde(default)]
    pub transfer_size: f64,
    #[serde(default)]
    pub encoded_body_size: f64,
    #[serde(default)]
    pub decoded_body_size: f64,
    /// The response's MIME type essence (Resource Timing Level 3); empty where not exposed.
    #[serde(default)]
    pub content_type: String,
    /// `non-blocking` for the document; Chromium only, empty elsewhere.
    #[serde(default)]
    pub render_blocking_status: String,
    /// `cache`, `navigational-prefetch` or empty; Chromium only.
    #[serde(default)]
    pub delivery_type: String,
    #[serde(default)]
    pub server_timing: Vec<ServerTiming>,
}

/// One `PerformanceServerTiming` as exposed on navigation and resource entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServerTiming {
    /// The metric name.
    pub name: String,
    /// `dur` in ms; 0 when absent.
    #[serde(default)]
    pub duration: f64,
    /// `desc`; empty when absent.
    #[serde(default)]
    pub description: String,
}

/// `PerformancePaintTiming`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paint {
    /// `first-paint` or `first-contentful-paint`.
    pub name: String,
    /// When the paint happened, ms from time origin.
    pub start_time: f64,
}

/// `VisibilityStateEntry` (Chromium).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisibilityStateEntry {
    /// `visible` or `hidden`.
    pub name: String,
    /// When the state began, ms from time origin.
    pub start_time: f64,
}

/// `LargestContentfulPaint` (Largest Contentful Paint spec). Times are ms from time origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LargestContentfulPaint {
    /// `renderTime` when non-zero, else `loadTime`: the time LCP is measured from.
    pub start_time: f64,
    /// When the element was painted; 0 for a cross-origin image without Timing-Allow-Origin.
    #[serde(default)]
    pub render_time: f64,
    /// When the element's resource finished loading; 0 for text.
    #[serde(default)]
    pub load_time: f64,
    /// The element's visible area in px².
    #[serde(default)]
    pub size: f64,
    /// The element's `id` attribute, or empty.
    #[serde(default)]
    pub id: String,
    /// The image or video URL, or empty for text.
    #[serde(default)]
    pub url: String,
    /// Added by the agent: the element's selector, `null` when `element` was `null`.
    #[serde(default)]
    pub selector: Option<String>,
    /// Added by the agent: the element's lower-case tag name (`img`, `div`, ...); absent when
    /// `element` was `null` or in logs from agents before it was recorded.
    #[serde(default)]
    pub element_tag: Option<String>,
    /// Added by the agent: the element's `loading` attribute as written (`lazy`, ...).
    #[serde(default)]
    pub element_loading: Option<String>,
    /// Added by the agent: the element's `fetchpriority` attribute as written (`high`, ...).
    #[serde(default)]
    pub element_fetch_priority: Option<String>,
}

/// `PerformanceSoftNavigation` (WICG Soft Navigations). Times are ms from time origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SoftNavigation {
    /// The URL navigated to.
    pub name: String,
    /// When the interaction that caused it started.
    pub start_time: f64,
    /// Until the first contentful paint it caused.
    #[serde(default)]
    pub duration: f64,
    /// The browser's id of this navigation (entries it caused carry the same one).
    #[serde(default)]
    pub navigation_id: u64,
    /// The interaction that caused it.
    #[serde(default)]
    pub interaction_id: u64,
    /// When its first contentful paint was painted; 0 where the browser lacks it.
    #[serde(default)]
    pub paint_time: f64,
    /// When that paint was presented; 0 where the browser lacks it.
    #[serde(default)]
    pub presentation_time: f64,
    /// `push`, `replace` or `traverse`.
    #[serde(default)]
    pub navigation_type: String,
    /// Added by the agent: the page's interaction count when it saw this entry.
    #[serde(default)]
    pub interaction_count: Option<f64>,
}

/// `InteractionContentfulPaint` (WICG Soft Navigations): the largest paint an interaction
/// caused so far, as a nested largest-contentful-paint entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionContentfulPaint {
    /// When the interaction started.
    pub start_time: f64,
    /// The interaction that caused the paint.
    #[serde(default)]
    pub interaction_id: u64,
    /// The paint; the agent adds its `selector`.
    #[serde(default)]
    pub largest_contentful_paint: Option<LargestContentfulPaint>,
}

/// `LayoutShift` (Layout Instability spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutShift {
    /// When the shift happened, ms from time origin.
    pub start_time: f64,
    /// The layout shift score.
    pub value: f64,
    /// True when the shift followed user input within 500 ms; such shifts do not count.
    pub had_recent_input: bool,
    /// Time of the most recent input; 0 when none.
    #[serde(default)]
    pub last_input_time: f64,
    /// Up to five elements that shifted, largest impact first.
    #[serde(default)]
    pub sources: Vec<LayoutShiftSource>,
}

/// `LayoutShiftAttribution`: one node that moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutShiftSource {
    /// Where the node was in the previous frame (viewport coordinates).
    pub previous_rect: DomRect,
    /// Where the node is in this frame.
    pub current_rect: DomRect,
    /// Added by the agent: the node's selector; `""` for a node that is not an element,
    /// `null` when `node` was `null`.
    #[serde(default)]
    pub selector: Option<String>,
}

/// `DOMRectReadOnly` as `toJSON()` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // Field names are the Geometry spec's own.
pub struct DomRect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub left: f64,
}

/// `PerformanceEventTiming` (Event Timing spec), for both `event` and `first-input` entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventTiming {
    /// The event type (`pointerdown`, `click`, `keydown`, ...).
    pub name: String,
    /// The event's `timeStamp`: when the user acted.
    pub start_time: f64,
    /// From `startTime` to the next paint, rounded to 8 ms.
    pub duration: f64,
    /// When the first event listener started.
    pub processing_start: f64,
    /// When the last event listener finished.
    pub processing_end: f64,
    /// The interaction the event belongs to; 0 when none. Absent where the browser does not
    /// implement `interactionId`: see [`EventTiming::interaction_id`].
    #[serde(default)]
    pub interaction_id: Option<u64>,
    /// Whether the event was cancelable.
    #[serde(default)]
    pub cancelable: bool,
    /// Chromium's own selector for `target` (newer versions only).
    #[serde(default)]
    pub target_selector: Option<String>,
    /// Added by the agent: the target's selector, `null` when `target` was `null`.
    #[serde(default)]
    pub selector: Option<String>,
    /// Added by the agent to the last entry of each delivery of Event Timing entries to its
    /// observer: the page's interaction count then (`performance.interactionCount`, or the
    /// polyfill's estimate). web-vitals estimates INP after each delivery with that count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_count: Option<f64>,
}

impl EventTiming {
    /// `interactionId`, 0 when absent (as for an event that is not part of an interaction).
    pub fn interaction_id(&self) -> u64 {
        self.interaction_id.unwrap_or(0)
    }
}

/// `PerformanceLongAnimationFrameTiming` (Long Animation Frames API, Chromium).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LongAnimationFrame {
    /// When the frame's first task started, ms from time origin.
    pub start_time: f64,
    /// From `startTime` to the end of the frame's rendering.
    pub duration: f64,
    /// When the rendering phase started.
    #[serde(default)]
    pub render_start: f64,
    /// When style and layout of the frame started.
    pub style_and_layout_start: f64,
    /// Time over 50 ms in the frame's longest tasks and rendering.
    #[serde(default)]
    pub blocking_duration: f64,
    /// `timeStamp` of the first UI event handled in the frame; 0 when none.
    #[serde(default, rename = "firstUIEventTimestamp")]
    pub first_ui_event_timestamp: f64,
    /// Scripts over 5 ms that ran in the frame.
    #[serde(default)]
    pub scripts: Vec<LoafScript>,
}

fn script_entry_type() -> String {
    "script".to_owned()
}

fn unknown_char_position() -> i64 {
    // Long Animation Frames API: `sourceCharPosition` is -1 when unknown.
    -1
}

/// `PerformanceScriptTiming`: one script in a long animation frame. Serialised as
/// `toJSON()` gives it, so it can stand in the INP attribution's `longestScript.entry`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LoafScript {
    /// Always `script`.
    #[serde(default = "script_entry_type")]
    pub name: String,
    /// Always `script`.
    #[serde(default = "script_entry_type")]
    pub entry_type: String,
    /// When the script's task started (or the callback was invoked).
    pub start_time: f64,
    /// Until the script finished, microtasks included.
    pub duration: f64,
    /// What ran it, e.g. `BUTTON#go.onclick` or a script URL.
    #[serde(default)]
    pub invoker: String,
    /// `user-callback`, `event-listener`, `resolve-promise`, `classic-script`, ...
    #[serde(default)]
    pub invoker_type: String,
    /// `self`, `descendant`, `ancestor`, `same-page` or `other`.
    #[serde(default)]
    pub window_attribution: String,
    /// When the script itself started executing (after compilation).
    #[serde(default)]
    pub execution_start: f64,
    /// Time spent in style and layout the script forced.
    pub forced_style_and_layout_duration: f64,
    /// Time spent in synchronous pauses (`alert()`, sync XHR).
    #[serde(default)]
    pub pause_duration: f64,
    /// The script's URL, when known.
    #[serde(default, rename = "sourceURL")]
    pub source_url: String,
    /// The function's name, when known.
    #[serde(default)]
    pub source_function_name: String,
    /// Character offset of the function in the source; -1 when unknown.
    #[serde(default = "unknown_char_position")]
    pub source_char_position: i64,
    /// Fields this version does not model (Chromium's `navigationId`, future ones), kept
    /// verbatim so that `longestScript.entry` is the whole entry, as in web-vitals.
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, serde_json::Value>,
}

/// `PerformanceResourceTiming`. Times are ms from time origin; 0 when not exposed
/// (cross-origin without Timing-Allow-Origin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // Field names are the Resource Timing spec's own.
pub struct ResourceTiming {
    /// The resource URL.
    pub name: String,
    #[serde(default)]
    pub initiator_type: String,
    pub start_time: f64,
    #[serde(default)]
    pub duration: f64,
    #[serde(default)]
    pub redirect_start: f64,
    #[serde(default)]
    pub redirect_end: f64,
    #[serde(default)]
    pub worker_start: f64,
    #[serde(default)]
    pub fetch_start: f64,
    #[serde(default)]
    pub domain_lookup_start: f64,
    #[serde(default)]
    pub domain_lookup_end: f64,
    #[serde(default)]
    pub connect_start: f64,
    #[serde(default)]
    pub connect_end: f64,
    #[serde(default)]
    pub secure_connection_start: f64,
    pub request_start: f64,
    #[serde(default)]
    pub response_start: f64,
    pub response_end: f64,
    #[serde(default)]
    pub transfer_size: f64,
    #[serde(default)]
    pub encoded_body_size: f64,
    #[serde(default)]
    pub decoded_body_size: f64,
    /// HTTP status; 0 where the browser lacks the field or does not expose it.
    #[serde(default)]
    pub response_status: u16,
    /// `blocking` or `non-blocking`; Chromium only.
    #[serde(default)]
    pub render_blocking_status: String,
    /// `cache`, `navigational-prefetch` or empty; Chromium only.
    #[serde(default)]
    pub delivery_type: String,
    /// ALPN protocol id, e.g. `h2`.
    #[serde(default)]
    pub next_hop_protocol: String,
    /// The response's MIME type essence (Resource Timing Level 3); empty where not exposed.
    #[serde(default)]
    pub content_type: String,
    #[serde(default)]
    pub server_timing: Vec<ServerTiming>,
}

/// `PerformanceLongTaskTiming` (Long Tasks API). Times are ms from time origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LongTask {
    /// When the task started.
    pub start_time: f64,
    /// How long it ran.
    pub duration: f64,
    /// The culprit browsing context: `self`, `same-origin-ancestor`, `cross-origin-descendant`,
    /// `unknown`, ...
    #[serde(default)]
    pub name: String,
    // `attribution` (TaskAttributionTiming: container frames, almost always `unknown`) is not
    // read: nothing in the core uses it, and serde ignores the field.
}

/// The response headers the background may record: what the resource summary reads (caching,
/// compression, size, type, Server-Timing, Timing-Allow-Origin) and nothing that identifies
/// the user (no cookies, no authorisation). The background whitelists these; the parser drops
/// any other header too, so nothing else can reach a report.
pub const RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "expires",
    "etag",
    "last-modified",
    "age",
    "vary",
    "content-encoding",
    "content-length",
    "content-type",
    "server-timing",
    "timing-allow-origin",
];

/// A response the extension's background saw through `webRequest.onCompleted` /
/// `onHeadersReceived`: the record `{"response": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// The request URL.
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// `webRequest`'s `fromCache`: served from the browser's disk or memory cache.
    #[serde(default)]
    pub from_cache: bool,
    /// `webRequest`'s resource type: `main_frame`, `sub_frame`, `script`, `stylesheet`,
    /// `image`, `font`, `media`, `xmlhttprequest`, `other`, ... (Firefox adds `imageset`,
    /// `beacon`, `web_manifest` and more).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Lower-case header name to value, only names in [`RESPONSE_HEADERS`].
    #[serde(default, deserialize_with = "whitelisted_headers")]
    pub headers: std::collections::BTreeMap<String, String>,
}

impl Response {
    /// The header's value, if the response had it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

fn whitelisted_headers<'de, D: serde::Deserializer<'de>>(
    de: D,
) -> Result<std::collections::BTreeMap<String, String>, D::Error> {
    let mut headers = std::collections::BTreeMap::<String, String>::deserialize(de)?;
    headers.retain(|name, _| RESPONSE_HEADERS.contains(&name.as_str()));
    Ok(headers)
}

/// The record that carries a [`Response`].
#[derive(Deserialize)]
struct ResponseRecord {
    response: Response,
}

/// An entry of a type this version does not model.
#[derive(Debug, Clone)]
pub struct OtherEntry {
    /// Its `entryType`.
    pub entry_type: String,
    /// The record's JSON text, unchanged.
    pub raw: Box<RawValue>,
}

/// A page lifecycle event the agent recorded; `time` is the event's `timeStamp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lifecycle", rename_all = "lowercase")]
pub enum Lifecycle {
    /// `visibilitychange`, with the state it changed to.
    VisibilityChange {
        /// The new `document.visibilityState`.
        state: VisibilityState,
        /// Event time.
        time: f64,
    },
    /// `prerenderingchange`: a prerendered page was activated.
    PrerenderingChange {
        /// Event time.
        time: f64,
    },
    /// `pagehide`.
    PageHide {
        /// True when the page may enter the back/forward cache.
        persisted: bool,
        /// Event time.
        time: f64,
    },
    /// `pageshow`.
    PageShow {
        /// True when the page was restored from the back/forward cache.
        persisted: bool,
        /// Event time.
        time: f64,
    },
    /// Two animation frames after a back/forward-cache restore: web-vitals measures FCP and
    /// LCP of a restored page as this time minus the restore's (`src/lib/doubleRAF.ts`).
    RestorePaint {
        /// `performance.now()` in the second frame.
        time: f64,
    },
    /// A trusted user input the agent saw (a web-vitals `onLCP` stop signal when `keydown`
    /// or `click`).
    Input {
        /// Which event.
        kind: InputKind,
        /// Event time.
        time: f64,
    },
}

/// The user inputs the agent records as `input` lifecycle records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// A key was pressed.
    Keydown,
    /// A pointer (mouse button, touch, pen) went down.
    Pointerdown,
    /// A click (also dispatched for keyboard activation of a control).
    Click,
}

/// Why a log could not be read: which record, which field, what was wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogError {
    /// Index into `records`, or `None` for the log's own fields.
    pub record: Option<usize>,
    /// JSON path of the offending field within the record (or log), `.` for the whole.
    pub path: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(i) => write!(f, "record {i} at {}: {}", self.path, self.message),
            None => write!(f, "entry log at {}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for LogError {}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog<'a> {
    format: String,
    version: u32,
    page: PageInfo,
    #[serde(default)]
    now: f64,
    #[serde(default)]
    interaction_count: Option<f64>,
    #[serde(borrow)]
    records: Vec<&'a RawValue>,
    #[serde(default)]
    dropped: BTreeMap<String, u64>,
    #[serde(default)]
    agent_cost: Option<AgentCost>,
}

/// Just enough of a record to know what it is.
#[derive(Deserialize)]
struct Kind<'a> {
    #[serde(rename = "entryType", borrow, default)]
    entry_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    lifecycle: Option<Cow<'a, str>>,
    /// Only whether the key is there; the value is parsed with the record.
    #[serde(default)]
    response: Option<serde::de::IgnoredAny>,
}

/// Parses an entry log from its JSON text.
///
/// Reads the log in one pass ([`single_pass`]). Anything that pass does not handle itself (a
/// malformed log, a record of a type this version does not model) is read by the reference
/// parser instead ([`parse_by_record`]), whose answer is the definition: so the two agree on
/// every log, and an error always names the record's index and the field's JSON path.
pub fn parse_log(text: &str) -> Result<EntryLog, LogError> {
    single_pass::parse(text).map_or_else(|| parse_by_record(text), Ok)
}

/// The reference parser: slices each record out of the log without interpreting it, reads
/// it once for its kind and once more as its type. Three readings of every record, which is
/// why [`parse_log`] only falls back to it (see docs/benchmarks.md).
fn parse_by_record(text: &str) -> Result<EntryLog, LogError> {
    let raw: RawLog<'_> = from_str(text, None)?;
    if raw.format != FORMAT {
        return Err(top_error(
            ".format",
            format!("expected \"{FORMAT}\", found {:?}", raw.format),
        ));
    }
    if raw.version != VERSION {
        return Err(top_error(
            ".version",
            format!("this build reads version {VERSION}, found {}", raw.version),
        ));
    }
    let records = raw
        .records
        .iter()
        .enumerate()
        .map(|(i, rec)| parse_record(i, rec))
        .collect::<Result<_, _>>()?;
    Ok(EntryLog {
        page: raw.page,
        now: raw.now,
        interaction_count: raw.interaction_count,
        records,
        dropped: raw.dropped,
        agent_cost: raw.agent_cost,
    })
}

fn parse_record(index: usize, raw: &RawValue) -> Result<Record, LogError> {
    let text = raw.get();
    let kind: Kind<'_> = from_str(text, Some(index))?;
    match (kind.entry_type, kind.lifecycle) {
        (None, None) if kind.response.is_some() => {
            let record: ResponseRecord = from_str(text, Some(index))?;
            Ok(Record::Response(Box::new(record.response)))
        }
        (Some(entry_type), _) => {
            let entry = match entry_type.as_ref() {
                "navigation" => Entry::Navigation(Box::new(from_str(text, Some(index))?)),
                "paint" => Entry::Paint(from_str(text, Some(index))?),
                "visibility-state" => Entry::VisibilityState(from_str(text, Some(index))?),
                "largest-contentful-paint" => {
                    Entry::LargestContentfulPaint(from_str(text, Some(index))?)
                }
                "layout-shift" => Entry::LayoutShift(from_str(text, Some(index))?),
                "event" => Entry::Event(from_str(text, Some(index))?),
                "first-input" => Entry::FirstInput(from_str(text, Some(index))?),
                "long-animation-frame" => {
                    Entry::LongAnimationFrame(Box::new(from_str(text, Some(index))?))
                }
                "resource" => Entry::Resource(Box::new(from_str(text, Some(index))?)),
                "longtask" => Entry::LongTask(from_str(text, Some(index))?),
                "soft-navigation" => Entry::SoftNavigation(Box::new(from_str(text, Some(index))?)),
                "interaction-contentful-paint" => {
                    Entry::InteractionContentfulPaint(Box::new(from_str(text, Some(index))?))
                }
                other => Entry::Other(OtherEntry {
                    entry_type: other.to_owned(),
                    raw: raw.to_owned(),
                }),
            };
            Ok(Record::Entry(entry))
        }
        (None, Some(_)) => Ok(Record::Lifecycle(from_str(text, Some(index))?)),
        (None, None) => Err(LogError {
            record: Some(index),
            path: ".".into(),
            message: "a record needs an `entryType` (performance entry), a `lifecycle` or a \
                      `response` key"
                .into(),
        }),
    }
}

/// Parses `text` as a `T`. The happy path is plain serde_json; only a failure is parsed again
/// with `serde_path_to_error`, which tracks the path of every field and would otherwise double
/// the cost of reading a large log (see docs/benchmarks.md).
fn from_str<'a, T: Deserialize<'a>>(text: &'a str, record: Option<usize>) -> Result<T, LogError> {
    serde_json::from_str(text).map_err(|plain| explain::<T>(text, record, plain))
}

/// The error for `text`, with the JSON path of the offending field.
fn explain<'a, T: Deserialize<'a>>(
    text: &'a str,
    record: Option<usize>,
    plain: serde_json::Error,
) -> LogError {
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => LogError {
            record,
            path: path_of(e.path()),
            message: e.into_inner().to_string(),
        },
        // The value itself was fine; what failed came after it (trailing characters).
        Ok(_) => LogError {
            record,
            path: ".".into(),
            message: plain.to_string(),
        },
    }
}

fn path_of(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." { p } else { format!(".{p}") }
}

fn top_error(path: &str, message: String) -> LogError {
    LogError {
        record: None,
        path: path.into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with(records: &str) -> String {
        format!(
            r#"{{"format":"pagevitals-entry-log","version":1,"now":5000,
                "page":{{"url":"http://x/","navigationId":"n1","initialVisibility":"visible"}},
                "records":[{records}]}}"#
        )
    }

    #[test]
    fn parses_entries_lifecycle_and_keeps_unknown_types() {
        let log = parse_log(&log_with(
            r#"{"entryType":"paint","name":"first-contentful-paint","startTime":120.5,"duration":0},
               {"lifecycle":"visibilitychange","state":"hidden","time":900},
               {"entryType":"future-thing","startTime":1}"#,
        ))
        .unwrap();
        assert_eq!(log.records.len(), 3);
        assert!(matches!(&log.records[0], Record::Entry(Entry::Paint(p)) if p.start_time == 120.5));
        assert!(matches!(
            &log.records[1],
            Record::Lifecycle(Lifecycle::VisibilityChange {
                state: VisibilityState::Hidden,
                ..
            })
        ));
        assert!(
            matches!(&log.records[2], Record::Entry(Entry::Other(o)) if o.entry_type == "future-thing")
        );
    }

    #[test]
    fn a_bad_field_names_record_and_path() {
        let err = parse_log(&log_with(
            r#"{"entryType":"paint","name":"first-paint","startTime":1},
               {"entryType":"paint","name":"first-contentful-paint","startTime":"soon"}"#,
        ))
        .unwrap_err();
        assert_eq!(err.record, Some(1));
        assert_eq!(err.path, ".startTime");
        assert!(err.message.contains("invalid type"), "{err}");
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = parse_log(&log_with(r#"{"entryType":"paint","startTime":1}"#)).unwrap_err();
        assert_eq!(err.record, Some(0));
        assert!(err.message.contains("missing field `name`"), "{err}");
    }

    #[test]
    fn a_record_of_no_known_kind_is_an_error() {
        let err = parse_log(&log_with(r#"{"startTime":1}"#)).unwrap_err();
        assert_eq!(err.record, Some(0));
    }

    #[test]
    fn parses_the_metric_entry_types_as_chromium_serialises_them() {
        let rect =
            r#"{"x":0,"y":10,"width":100,"height":20,"top":10,"right":100,"bottom":30,"left":0}"#;
        let log = parse_log(&log_with(&format!(
            r##"{{"name":"","entryType":"largest-contentful-paint","startTime":812.4,"duration":0,
                 "size":48000,"renderTime":812.4,"loadTime":790.1,"firstAnimatedFrameTime":0,
                 "id":"hero","url":"http://x/hero.png","selector":"#hero"}},
               {{"name":"","entryType":"layout-shift","startTime":900,"duration":0,"value":0.12,
                 "hadRecentInput":false,"lastInputTime":0,
                 "sources":[{{"previousRect":{rect},"currentRect":{rect},"selector":"div.ad"}}]}},
               {{"name":"pointerdown","entryType":"event","startTime":1500,"duration":48,
                 "processingStart":1510,"processingEnd":1530,"cancelable":true,
                 "interactionId":7004,"selector":"button#go"}},
               {{"name":"keydown","entryType":"first-input","startTime":1400,"duration":8,
                 "processingStart":1401,"processingEnd":1402,"cancelable":true}},
               {{"name":"long-animation-frame","entryType":"long-animation-frame",
                 "startTime":1490,"duration":70,"renderStart":1545,"styleAndLayoutStart":1550,
                 "firstUIEventTimestamp":1500,"blockingDuration":20,
                 "scripts":[{{"name":"script","entryType":"script","startTime":1510,
                   "duration":20,"invoker":"BUTTON#go.onclick","invokerType":"event-listener",
                   "windowAttribution":"self","executionStart":1510,
                   "forcedStyleAndLayoutDuration":2,"pauseDuration":0,
                   "sourceURL":"http://x/app.js","sourceFunctionName":"go",
                   "sourceCharPosition":120}}]}},
               {{"name":"http://x/hero.png","entryType":"resource","startTime":300,
                 "duration":490.1,"initiatorType":"img","requestStart":350,"responseStart":600,
                 "responseEnd":790.1,"serverTiming":[{{"name":"cdn","duration":3,"description":""}}]}},
               {{"lifecycle":"input","kind":"keydown","time":2000}}"##
        )))
        .unwrap();
        let types: Vec<&str> = log
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Entry(e) => Some(e.entry_type()),
                Record::Lifecycle(_) | Record::Response(_) => None,
            })
            .collect();
        assert_eq!(
            types,
            [
                "largest-contentful-paint",
                "layout-shift",
                "event",
                "first-input",
                "long-animation-frame",
                "resource"
            ]
        );
        assert!(matches!(
            &log.records[0],
            Record::Entry(Entry::LargestContentfulPaint(l)) if l.selector.as_deref() == Some("#hero")
        ));
        assert!(matches!(
            &log.records[2],
            Record::Entry(Entry::Event(e)) if e.interaction_id() == 7004
        ));
        // Firefox-like: no interactionId at all.
        assert!(matches!(
            &log.records[3],
            Record::Entry(Entry::FirstInput(e)) if e.interaction_id.is_none() && e.selector.is_none()
        ));
        assert!(matches!(
            &log.records[4],
            Record::Entry(Entry::LongAnimationFrame(l)) if l.scripts[0].source_url == "http://x/app.js"
        ));
        assert!(matches!(
            &log.records[6],
            Record::Lifecycle(Lifecycle::Input { kind: InputKind::Keydown, time }) if *time == 2000.0
        ));
    }

    #[test]
    fn reads_an_estimated_interaction_count_and_a_restored_page_view() {
        let text = log_with(
            r#"{"lifecycle":"pageshow","persisted":true,"time":9000},
               {"lifecycle":"restorepaint","time":9034.5}"#,
        )
        .replace(
            r#""now":5000"#,
            r#""now":9100,"interactionCount":2.4285714285714284"#,
        )
        .replace(
            r#""initialVisibility""#,
            r#""restoredAt":9000,"initialVisibility""#,
        );
        let log = parse_log(&text).unwrap();
        assert_eq!(log.interaction_count, Some(2.4285714285714284));
        assert_eq!(log.page.restored_at, Some(9000.0));
        assert!(matches!(
            log.records[1],
            Record::Lifecycle(Lifecycle::RestorePaint { time }) if time == 9034.5
        ));
    }

    #[test]
    fn a_field_the_metric_math_needs_is_required() {
        let err = parse_log(&log_with(
            r#"{"entryType":"layout-shift","startTime":900,"hadRecentInput":false}"#,
        ))
        .unwrap_err();
        assert_eq!(err.record, Some(0));
        assert!(err.message.contains("missing field `value`"), "{err}");
        let err = parse_log(&log_with(
            r#"{"entryType":"layout-shift","startTime":1,"value":0.1,"hadRecentInput":false},
               {"entryType":"event","name":"click","startTime":1,"duration":"long",
                "processingStart":1,"processingEnd":2}"#,
        ))
        .unwrap_err();
        assert_eq!((err.record, err.path.as_str()), (Some(1), ".duration"));
        let err = parse_log(&log_with(
            r#"{"lifecycle":"input","kind":"scroll","time":1}"#,
        ))
        .unwrap_err();
        // Lifecycle records are internally tagged, so serde reports the record, not the field.
        assert_eq!(err.record, Some(0));
        assert!(err.message.contains("unknown variant `scroll`"), "{err}");
    }

    #[test]
    fn parses_response_records_and_keeps_only_whitelisted_headers() {
        let log = parse_log(&log_with(
            r#"{"response":{"url":"http://x/app.js","status":200,"fromCache":true,
                "type":"script","headers":{"content-type":"text/javascript",
                "server-timing":"db;dur=53","set-cookie":"secret=1"}}},
               {"entryType":"longtask","name":"self","startTime":100,"duration":80,
                "attribution":[{"name":"unknown","entryType":"taskattribution"}]}"#,
        ))
        .unwrap();
        let Record::Response(r) = &log.records[0] else {
            panic!("not a response: {:?}", log.records[0]);
        };
        assert_eq!(
            (r.url.as_str(), r.status, r.from_cache),
            ("http://x/app.js", 200, true)
        );
        assert_eq!(r.resource_type, "script");
        assert_eq!(r.header("server-timing"), Some("db;dur=53"));
        assert_eq!(r.header("set-cookie"), None);
        assert_eq!(r.headers.len(), 2);
        assert!(matches!(
            &log.records[1],
            Record::Entry(Entry::LongTask(t)) if t.duration == 80.0 && t.name == "self"
        ));
    }

    #[test]
    fn a_bad_response_record_names_record_and_path() {
        let err = parse_log(&log_with(
            r#"{"lifecycle":"pageshow","persisted":false,"time":1},
               {"response":{"url":"http://x/","status":"ok","type":"main_frame","headers":{}}}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (err.record, err.path.as_str()),
            (Some(1), ".response.status")
        );
        let err = parse_log(&log_with(
            r#"{"response":{"url":"http://x/","status":200,"type":"main_frame",
                "headers":{"age":3}}}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (err.record, err.path.as_str()),
            (Some(0), ".response.headers.age")
        );
    }

    #[test]
    fn truncated_log_and_wrong_version_are_errors() {
        let text = log_with("");
        let err = parse_log(&text[..text.len() - 10]).unwrap_err();
        assert_eq!(err.record, None);
        let err = parse_log(&text.replace("\"version\":1", "\"version\":7")).unwrap_err();
        assert_eq!(err.path, ".version");
    }

    /// Both parsers on `text`: the single pass must read exactly what the reference reads
    /// (compared through `Debug`, which prints every float exactly), or give up.
    fn both(text: &str) -> Result<EntryLog, LogError> {
        let reference = parse_by_record(text);
        if let Some(fast) = single_pass::parse(text) {
            let expected = reference.as_ref().map(|l| format!("{l:?}"));
            assert_eq!(Ok(format!("{fast:?}")), expected, "{text}");
        }
        let parsed = parse_log(text);
        assert_eq!(
            parsed.as_ref().map(|l| format!("{l:?}")),
            reference.as_ref().map(|l| format!("{l:?}"))
        );
        parsed
    }

    #[test]
    fn the_single_pass_reads_the_recorded_logs_as_the_reference_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
        let mut read = 0;
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let recording: serde_json::Value = serde_json::from_str(&text).unwrap();
            let log = recording["log"].to_string();
            // Without falling back: every record of a recorded log is read in one pass,
            // except entry types kept verbatim.
            let fast = single_pass::parse(&log);
            assert!(fast.is_some(), "{}", path.display());
            both(&log).unwrap();
            // The same log with whitespace between every token is read the same.
            both(&serde_json::to_string_pretty(&recording["log"]).unwrap()).unwrap();
            read += 1;
        }
        assert!(read >= 4, "expected recordings in {}", dir.display());
    }

    #[test]
    fn the_single_pass_reads_entry_type_anywhere_in_a_record() {
        for record in [
            r#"{"entryType":"paint","name":"first-paint","startTime":1.25}"#,
            r#"{"name":"first-paint","entryType":"paint","startTime":1.25}"#,
            r#"{"name":"first-paint","startTime":1.25,"entryType":"paint"}"#,
            r#"{"startTime":1.25,"name":"first-paint","duration":[1,{"a":null}],"entryType":"paint"}"#,
            r#"{"value":0.039417612188844944,"sources":[],"startTime":3.199951171875,
                "hadRecentInput":false,"entryType":"layout-shift"}"#,
        ] {
            let log = both(&log_with(record)).unwrap();
            assert_eq!(log.records.len(), 1);
        }
    }

    #[test]
    fn the_single_pass_agrees_on_odd_records() {
        let records = [
            // Kept verbatim, with what follows read in one pass again.
            r#"{"name":"x","entryType":"mark","startTime":1, "detail" : 2}"#,
            // Escaped key and value.
            r#"{"entryType":"paint","n\u0061me":"first-paint","startTime":1}"#,
            r#"{"entryType":"p\u0061int","name":"first-paint","startTime":1}"#,
            // Kind keys on an entry, before and after its type.
            r#"{"lifecycle":null,"entryType":"paint","name":"a","startTime":1,"response":{}}"#,
            // Lifecycle and response records, keys in any order.
            r#"{"time":5,"lifecycle":"pagehide","persisted":true}"#,
            r#"{"response":{"url":"http://x/a","status":204,"type":"other","headers":{}}}"#,
            r#"{"lifecycle":"restorepaint","time":5,"response":{}}"#,
        ];
        let log = both(&log_with(&records.join(","))).unwrap();
        let Record::Entry(Entry::Other(other)) = &log.records[0] else {
            panic!("{:?}", log.records[0]);
        };
        assert_eq!(other.raw.get(), records[0]);
        assert!(matches!(
            &log.records[6],
            Record::Lifecycle(Lifecycle::RestorePaint { .. })
        ));
        // Each of these is an error to the reference parser, and so to the single pass.
        for bad in [
            r#"{"entryType":"paint","name":"a","startTime":1,"entryType":"paint"}"#,
            r#"{"entryType":"paint","name":"a","startTime":1,"startTime":2}"#,
            r#"{"name":"a","startTime":1,"startTime":2,"entryType":"paint"}"#,
            r#"{"entryType":"paint","name":"a","startTime":1,"lifecycle":5}"#,
            r#"{"lifecycle":"pagehide","lifecycle":"pagehide","persisted":true,"time":1}"#,
            r#"{"response":null}"#,
            r#"{"entryType":null,"name":"a","startTime":1}"#,
            r#"["paint"]"#,
            r#"{"entryType":"paint","name":"a","startTime":1}}"#,
        ] {
            both(&log_with(bad)).unwrap_err();
        }
    }

    #[test]
    fn a_bad_field_of_record_n_is_named_wherever_it_is() {
        let good =
            r#"{"entryType":"layout-shift","startTime":1,"value":0.1,"hadRecentInput":false}"#;
        // The bad field read before the record's type (kept as text, then read) and after it.
        for (bad, path) in [
            (
                r#"{"duration":5,"requestStart":"soon","entryType":"resource","name":"u",
                    "startTime":1,"responseEnd":2}"#,
                ".requestStart",
            ),
            (
                r#"{"entryType":"resource","name":"u","startTime":1,"responseEnd":2,
                    "requestStart":"soon"}"#,
                ".requestStart",
            ),
            (
                r#"{"entryType":"layout-shift","startTime":1,"value":0.1,"hadRecentInput":false,
                    "sources":[{"previousRect":{"x":"0"}}]}"#,
                ".sources[0].previousRect.x",
            ),
        ] {
            let err = both(&log_with(&format!("{good},{good},{bad},{good}"))).unwrap_err();
            assert_eq!((err.record, err.path.as_str()), (Some(2), path), "{err}");
            assert!(err.message.contains("invalid type"), "{err}");
        }
        let err = both(&log_with(&format!(
            "{good},{good},{good},{{\"startTime\":1}}"
        )))
        .unwrap_err();
        assert_eq!(err.record, Some(3));
        assert!(err.message.contains("needs an `entryType`"), "{err}");
    }

    #[test]
    fn a_log_cut_short_anywhere_is_an_error_of_the_log() {
        let text = log_with(
            r#"{"entryType":"paint","name":"first-paint","startTime":1},
               {"lifecycle":"visibilitychange","state":"hidden","time":900}"#,
        );
        for end in 0..text.len() - 1 {
            let err = both(&text[..end]).unwrap_err();
            assert_eq!(err.record, None, "{end}: {err}");
        }
        both(&format!("{text} ")).unwrap();
        both(&format!("{text},")).unwrap_err();
        both(&text.replace(r#""version":1"#, r#""version":1,"version":1"#)).unwrap_err();
        both(&text.replace(r#""version":1"#, r#""version":1,"extra":[{}]"#)).unwrap();
        both(&text.replace(r#""now":5000"#, r#""now":null"#)).unwrap_err();
    }
}
