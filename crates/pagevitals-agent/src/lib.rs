//! The in-page agent: runs in every page the user visits (in the extension's isolated world,
//! or injected by the headless tools), observes the browser's performance entries and page
//! lifecycle, and streams them out as batches of the PageVitals entry log.
//!
//! It is deliberately a recorder and nothing more. Entries are kept exactly as the browser's
//! own `toJSON()` serialises them; every interpretation (metric semantics, ratings, budgets)
//! happens outside the page in `pagevitals-core`, which owns the log format. That keeps the
//! cost paid on every page small: no serde, no metric code, a few observers and listeners.
//!
//! Each batch is a complete, valid entry log holding the records since the previous batch,
//! so the receiver only appends `records` to what it has for the same `navigationId`.

mod bindings;
mod observer;
mod record;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use js_sys::{Array, Function, JSON, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Event, PageTransitionEvent, Performance, VisibilityState, Window};

use crate::bindings::{DocumentExt, PerformanceExt, PerformanceObserverClass};
use crate::observer::Observer;

/// `pagevitals_core::log::FORMAT` and `VERSION`: the agent writes what the core reads.
const LOG_FORMAT: &str = "pagevitals-entry-log";
const LOG_VERSION: u32 = 1;

/// Entry types observed where the browser supports them; the same list as
/// `pagevitals_core::report::ENTRY_TYPES_OF_INTEREST`.
const OBSERVED_TYPES: &[&str] = &[
    "navigation",
    "paint",
    "largest-contentful-paint",
    "layout-shift",
    "event",
    "first-input",
    "longtask",
    "long-animation-frame",
    "resource",
    "soft-navigation",
    "interaction-contentful-paint",
    "visibility-state",
];

/// web-vitals `src/onINP.ts` observes Event Timing with a 40 ms duration threshold.
const EVENT_DURATION_THRESHOLD_MS: f64 = 40.0;

/// Records are sent at most this often, so a burst of entries costs one message.
const FLUSH_DELAY_MS: u32 = 250;

/// A batch holds at most this many records: a flood of entries (a page loading 100k
/// resources) is sent in slices, each serialised in well under a long task, and the agent
/// holds no more than this between sends.
const MAX_BATCH_RECORDS: u32 = 1_000;

/// A prerendering page holds its records until it is activated (see [`Shared::push`]), at most
/// this many; the rest are counted by kind and sent as the log's `dropped`. A prerendered page
/// commonly has a few hundred entries by the time it is shown.
const MAX_HELD_RECORDS: u32 = 5_000;

thread_local! {
    /// The running agent. It lives as long as the page: dropping it would disconnect the
    /// observers and listeners.
    static AGENT: RefCell<Option<Agent>> = const { RefCell::new(None) };
}

struct Agent {
    _shared: Rc<Shared>,
    _listeners: Vec<EventListener>,
}

/// What the observers and listeners share.
struct Shared {
    sink: Function,
    performance: Performance,
    /// The current page view's `page` object; replaced when a bfcache restore starts a new one.
    page: RefCell<Object>,
    pending: RefCell<Array>,
    flush_scheduled: Cell<bool>,
    /// From `pagehide` until the page is shown again: a timer may never run in a page being
    /// left, so a paint the observers deliver then (presented as the page was left; web-vitals
    /// still reports FCP from it) is sent at once.
    leaving: Cell<bool>,
    /// `document.prerendering`, until `prerenderingchange`.
    prerendering: Cell<bool>,
    /// Records not held while prerendering, counted by kind (entry type, or `lifecycle`).
    dropped: RefCell<Option<Object>>,
    /// Whether a trusted keydown or click was recorded since the page view or the latest
    /// soft navigation began (only the first matters: it ends that view's or route's LCP).
    input_seen: Cell<bool>,
    /// web-vitals' interactionCount polyfill, where `performance.interactionCount` is missing.
    interactions: Option<InteractionEstimate>,
    /// One per observed entry type.
    observers: RefCell<Vec<Observer>>,
    /// The agent's own main-thread time, sent with every batch as `agentCost`.
    cost: Cost,
}

/// What the agent's own work costs the page: every observer callback, listener and send,
/// timed around its outermost call.
#[derive(Default)]
struct Cost {
    depth: Cell<u32>,
    tasks: Cell<f64>,
    total_ms: Cell<f64>,
    max_task_ms: Cell<f64>,
}

/// web-vitals `src/lib/polyfills/interactionCountPolyfill.ts`: interaction ids grow by 7 per
/// interaction, so the count is (max - min) / 7 + 1 over every event entry seen.
struct InteractionEstimate {
    min_id: Cell<f64>,
    max_id: Cell<f64>,
}

/// The polyfill's id step between consecutive interactions.
const INTERACTION_ID_STEP: f64 = 7.0;

impl InteractionEstimate {
    fn new() -> Self {
        InteractionEstimate {
            min_id: Cell::new(f64::INFINITY),
            max_id: Cell::new(0.0),
        }
    }

    fn observe(&self, entries: &Array) {
        for entry in entries.iter() {
            let id = Reflect::get(&entry, &"interactionId".into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            if id > 0.0 {
                self.min_id.set(self.min_id.get().min(id));
                self.max_id.set(self.max_id.get().max(id));
            }
        }
    }

    fn count(&self) -> f64 {
        let max = self.max_id.get();
        if max == 0.0 {
            0.0
        } else {
            (max - self.min_id.get()) / INTERACTION_ID_STEP + 1.0
        }
    }
}

impl Shared {
    /// Runs `work`, adding its duration to the agent's cost (nested calls count once).
    fn timed<R>(&self, work: impl FnOnce() -> R) -> R {
        let cost = &self.cost;
        let depth = cost.depth.get();
        if depth > 0 {
            return work();
        }
        cost.depth.set(1);
        let start = self.performance.now();
        let result = work();
        let ms = self.performance.now() - start;
        cost.depth.set(0);
        cost.tasks.set(cost.tasks.get() + 1.0);
        cost.total_ms.set(cost.total_ms.get() + ms);
        cost.max_task_ms.set(cost.max_task_ms.get().max(ms));
        result
    }

    /// `performance.interactionCount`, or web-vitals' polyfill estimate where it is missing.
    fn interaction_count(&self) -> Option<f64> {
        match &self.interactions {
            Some(estimate) => Some(estimate.count()),
            None => self
                .performance
                .unchecked_ref::<PerformanceExt>()
                .interaction_count(),
        }
    }

    /// Records one observed entry. A soft navigation starts a route: its record carries the
    /// interaction count so far (the core counts each route's interactions from it, as
    /// web-vitals' `InteractionManager` does), and the route's first input is recorded again
    /// because it ends the route's LCP.
    fn observed(self: &Rc<Self>, entry: &web_sys::PerformanceEntry) {
        let record = record::record(entry);
        if entry.entry_type() == "soft-navigation" {
            if let Some(count) = self.interaction_count() {
                set(&record, "interactionCount", &count.into());
            }
            self.input_seen.set(false);
        }
        self.push(&record);
    }

    /// Records one delivery of Event Timing entries (`event`, with `first-input` on the same
    /// observer, as web-vitals observes them). The last record also carries the page's
    /// interaction count at that moment: web-vitals estimates INP again after each delivery,
    /// with the count it reads then, and among interactions of equal latency it keeps the one
    /// it reported first, so the core needs both to name the same interaction.
    fn observed_events(self: &Rc<Self>, entries: &Array) {
        self.record_events(entries, self.interaction_count());
    }

    /// Records one delivery of Event Timing entries, the last with `count`, the page's
    /// interaction count when they were delivered.
    fn record_events(self: &Rc<Self>, entries: &Array, count: Option<f64>) {
        let last = entries.length().checked_sub(1);
        for (index, entry) in (0..).zip(entries.iter()) {
            let record = record::record(entry.unchecked_ref());
            if Some(index) == last {
                if let Some(count) = count {
                    set(&record, "interactionCount", &count.into());
                }
            }
            self.push(&record);
        }
    }

    /// Records the entries the content script's observer was delivered before the agent
    /// started, one delivery at a time (`{ entries, interactionCount }`, in order): each
    /// delivery's Event Timing entries as one delivery of the agent's `event` observer, with the
    /// interaction count read when they were delivered (and counted in web-vitals' estimate
    /// where the browser lacks that count), the others one by one.
    fn handed_over(self: &Rc<Self>, deliveries: &Array) {
        for delivery in deliveries.iter() {
            let Some(entries) = Reflect::get(&delivery, &"entries".into())
                .ok()
                .filter(Array::is_array)
                .map(|entries| entries.unchecked_into::<Array>())
            else {
                continue;
            };
            let count = Reflect::get(&delivery, &"interactionCount".into())
                .ok()
                .and_then(|c| c.as_f64());
            let events = Array::new();
            for entry in entries.iter() {
                let Some(entry) = entry.dyn_ref::<web_sys::PerformanceEntry>() else {
                    continue;
                };
                match entry.entry_type().as_str() {
                    "event" | "first-input" => {
                        events.push(entry);
                    }
                    _ => self.observed(entry),
                }
            }
            if events.length() > 0 {
                if let Some(estimate) = &self.interactions {
                    estimate.observe(&events);
                }
                self.record_events(&events, count);
            }
        }
    }

    /// Queues a record for the next batch. A prerendering page's records wait for its
    /// activation instead: nobody has seen the page yet, and the background ignores messages
    /// from a prerendering page (it is not yet the tab's page).
    fn push(self: &Rc<Self>, record: &JsValue) {
        if self.prerendering.get() {
            let pending = self.pending.borrow();
            if pending.length() < MAX_HELD_RECORDS {
                pending.push(record);
            } else {
                let kind = Reflect::get(record, &JsValue::from_str("entryType"))
                    .ok()
                    .filter(JsValue::is_string)
                    .unwrap_or_else(|| JsValue::from_str("lifecycle"));
                let mut dropped = self.dropped.borrow_mut();
                let counts = dropped.get_or_insert_with(Object::new);
                let count = Reflect::get(counts, &kind).ok().and_then(|n| n.as_f64());
                let _ = Reflect::set(counts, &kind, &(count.unwrap_or(0.0) + 1.0).into());
            }
            return;
        }
        let length = self.pending.borrow().push(record);
        if length >= MAX_BATCH_RECORDS || (self.leaving.get() && is_paint(record)) {
            self.flush();
        } else if !self.flush_scheduled.replace(true) {
            let shared = Rc::clone(self);
            Timeout::new(FLUSH_DELAY_MS, move || {
                shared.flush_scheduled.set(false);
                shared.timed(|| shared.flush());
            })
            .forget();
        }
    }

    /// The page may never run again (hidden, unloading, or leaving for a restored view): take
    /// the entries the observers hold but have not delivered, then send everything.
    fn flush_now(&self) {
        for observer in self.observers.borrow().iter() {
            observer.drain();
        }
        self.flush();
    }

    /// Sends every pending record, in batches of at most `MAX_BATCH_RECORDS` (only the
    /// records held while prerendering can be more). Nothing is sent while prerendering.
    fn flush(&self) {
        if self.prerendering.get() {
            return;
        }
        let records = self.pending.replace(Array::new());
        let total = records.length();
        if total <= MAX_BATCH_RECORDS {
            self.send(records);
            return;
        }
        let mut start = 0;
        while start < total {
            let end = total.min(start + MAX_BATCH_RECORDS);
            self.send(records.slice(start, end));
            start = end;
        }
    }

    /// Sends records as one batch (a JSON string, so the message is cheap to clone across the
    /// extension boundary and holds no DOM objects).
    fn send(&self, records: Array) {
        if records.length() == 0 {
            return;
        }
        let batch = Object::new();
        set(&batch, "format", &LOG_FORMAT.into());
        set(&batch, "version", &LOG_VERSION.into());
        set(&batch, "page", &self.page.borrow());
        set(&batch, "now", &self.performance.now().into());
        if let Some(count) = self.interaction_count() {
            set(&batch, "interactionCount", &count.into());
        }
        let cost = Object::new();
        set(&cost, "tasks", &self.cost.tasks.get().into());
        set(&cost, "totalMs", &self.cost.total_ms.get().into());
        set(&cost, "maxTaskMs", &self.cost.max_task_ms.get().into());
        set(&batch, "agentCost", &cost);
        if let Some(counts) = self.dropped.borrow_mut().take() {
            // Sent once, with the next batch; the background adds up every batch's counts.
            set(&batch, "dropped", &counts);
        }
        set(&batch, "records", &records);
        if let Ok(json) = JSON::stringify(&batch) {
            // A sink that throws (extension reloaded, background gone) must not break the page.
            let _ = self.sink.call1(&JsValue::NULL, &json);
        }
    }
}

/// Starts the agent once per page. `sink` receives each batch as a JSON string; `form` says
/// how the agent was loaded (`wasm`, or `js` where the page's CSP forbids compiling wasm).
/// `early`, from the content script, which starts the agent once the page has loaded:
/// `{ initialVisibility, restoredAt, records, deliveries, dropped }`:
/// - `initialVisibility`: the page's visibility when it began;
/// - `restoredAt`: when the page was restored from the back/forward cache before the agent
///   started, the restore's time (this view is then the restore's);
/// - `records`: the lifecycle records (`input`, `visibilitychange`, `pageshow`, `restorepaint`)
///   it saw before the agent started, in order;
/// - `deliveries`: every delivery of its observer until now (`{ entries, interactionCount }`,
///   see [`Shared::handed_over`]), its observer disconnected, so that the agent's own
///   observers are not buffered (no entry twice, and none lost to the browser's buffers: Event
///   Timing keeps only entries of 104 ms or more);
/// - `dropped`: the entries it could not keep, counted by type.
///
/// Without `deliveries` (inject mode, which starts with the document) the observers are
/// buffered.
#[wasm_bindgen]
pub fn start(sink: Function, form: &str, early: Option<Object>) -> Result<(), JsValue> {
    if AGENT.with(|a| a.borrow().is_some()) {
        return Ok(());
    }
    let window = web_sys::window().ok_or("the agent needs a window")?;
    let document = window.document().ok_or("the agent needs a document")?;
    let performance = window.performance().ok_or("the agent needs performance")?;
    let supported = PerformanceObserverClass::supported_entry_types().unwrap_or_default();

    let has_event_timing = supported.includes(&JsValue::from_str("event"), 0);
    let native_count = performance
        .unchecked_ref::<PerformanceExt>()
        .interaction_count()
        .is_some();
    let page = page_info(&window, &document, &performance, &supported, form)?;
    let field = |name: &str| {
        early
            .as_ref()
            .and_then(|early| Reflect::get(early, &name.into()).ok())
            .filter(|value| !value.is_undefined() && !value.is_null())
    };
    if let Some(visibility) = field("initialVisibility").filter(JsValue::is_string) {
        set(&page, "initialVisibility", &visibility);
    }
    // A page restored from the back/forward cache before the agent started: this view is the
    // restore's (its `pageshow` and `restorepaint` come in `records`), as in `Shared::restored`.
    if let Some(restored_at) = field("restoredAt").filter(|t| t.as_f64().is_some()) {
        set(&page, "restoredAt", &restored_at);
    }
    let early_records = field("records")
        .filter(Array::is_array)
        .map(|records| records.unchecked_into::<Array>());
    let deliveries = field("deliveries")
        .filter(Array::is_array)
        .map(|deliveries| deliveries.unchecked_into::<Array>());
    let buffered = deliveries.is_none();
    let shared = Rc::new(Shared {
        sink,
        page: RefCell::new(page),
        performance,
        pending: RefCell::new(Array::new()),
        flush_scheduled: Cell::new(false),
        leaving: Cell::new(false),
        prerendering: Cell::new(
            document
                .unchecked_ref::<DocumentExt>()
                .prerendering()
                .unwrap_or(false),
        ),
        dropped: RefCell::new(
            field("dropped")
                .filter(JsValue::is_object)
                .map(|counts| counts.unchecked_into::<Object>()),
        ),
        input_seen: Cell::new(false),
        interactions: (has_event_timing && !native_count).then(InteractionEstimate::new),
        observers: RefCell::new(Vec::new()),
        cost: Cost::default(),
    });

    let mut observers = Vec::new();
    let supports = |entry_type: &str| supported.includes(&JsValue::from_str(entry_type), 0);
    if shared.interactions.is_some() {
        // The polyfill watches every event entry (threshold 0) but records none of them. It
        // observes first, as web-vitals' polyfill does, so that its count already includes a
        // delivery's interactions when the `event` observer below reads it.
        let s = Rc::clone(&shared);
        observers.push(Observer::new(
            "event",
            buffered,
            Some(0.0),
            move |entries| {
                s.timed(|| {
                    if let Some(estimate) = &s.interactions {
                        estimate.observe(&entries);
                    }
                });
            },
        )?);
    }
    for entry_type in OBSERVED_TYPES {
        // `first-input` comes through the `event` observer where there is one.
        if !supports(entry_type) || (*entry_type == "first-input" && has_event_timing) {
            continue;
        }
        let shared = Rc::clone(&shared);
        let observer = if *entry_type == "event" {
            let observer = Observer::new(
                entry_type,
                buffered,
                Some(EVENT_DURATION_THRESHOLD_MS),
                move |entries| shared.timed(|| shared.observed_events(&entries)),
            )?;
            if supports("first-input") {
                observer.also("first-input");
            }
            observer
        } else {
            Observer::new(entry_type, buffered, None, move |entries| {
                shared.timed(|| {
                    for entry in entries.iter() {
                        shared.observed(entry.unchecked_ref());
                    }
                });
            })?
        };
        observers.push(observer);
    }

    *shared.observers.borrow_mut() = observers;
    let listeners = lifecycle_listeners(&window, &document, &shared);
    if let Some(deliveries) = &deliveries {
        shared.timed(|| shared.handed_over(deliveries));
    }
    for record in early_records.iter().flat_map(Array::iter) {
        let kind = Reflect::get(&record, &"lifecycle".into())
            .ok()
            .and_then(|k| k.as_string());
        if kind.as_deref() == Some("input") && shared.input_seen.replace(true) {
            continue;
        }
        shared.push(&record);
    }
    AGENT.with(|a| {
        *a.borrow_mut() = Some(Agent {
            _shared: shared,
            _listeners: listeners,
        });
    });
    Ok(())
}

fn lifecycle_listeners(
    window: &Window,
    document: &Document,
    shared: &Rc<Shared>,
) -> Vec<EventListener> {
    let capture = EventListenerOptions::run_in_capture_phase();
    let s = Rc::clone(shared);
    let doc = document.clone();
    let visibility =
        EventListener::new_with_options(document, "visibilitychange", capture, move |e| {
            s.timed(|| {
                let hidden = doc.visibility_state() == VisibilityState::Hidden;
                s.push(&lifecycle(
                    "visibilitychange",
                    e,
                    &[("state", visibility_name(hidden).into())],
                ));
                if hidden {
                    // The page may never run again: send what we have now.
                    s.flush_now();
                }
            });
        });
    let s = Rc::clone(shared);
    let prerendering =
        EventListener::new_with_options(document, "prerenderingchange", capture, move |e| {
            s.timed(|| {
                // Shown: nothing is held from now on (these records neither), and what was
                // held goes with them.
                s.prerendering.set(false);
                // The navigation entry was recorded while prerendering, its `activationStart`
                // still 0. Recorded again as it reads now; the core keeps the last one.
                s.record_navigation_again();
                s.push(&lifecycle("prerenderingchange", e, &[]));
                s.flush();
            });
        });
    let s = Rc::clone(shared);
    let pagehide = EventListener::new_with_options(window, "pagehide", capture, move |e| {
        s.timed(|| {
            // The navigation entry as it reads now: an agent started before DOMContentLoaded
            // recorded it without its later timings, which web-vitals reads as the page is
            // hidden (the load state of each metric's attribution).
            s.record_navigation_again();
            s.push(&lifecycle(
                "pagehide",
                e,
                &[("persisted", persisted(e).into())],
            ));
            s.flush_now();
            s.leaving.set(true);
        });
    });
    let s = Rc::clone(shared);
    let win = window.clone();
    let pageshow = EventListener::new_with_options(window, "pageshow", capture, move |e| {
        s.timed(|| {
            s.leaving.set(false);
            if persisted(e) {
                s.restored(&win, e);
            } else {
                s.push(&lifecycle("pageshow", e, &[("persisted", false.into())]));
            }
        });
    });
    let mut listeners = vec![visibility, prerendering, pagehide, pageshow];
    // web-vitals ends LCP at the first trusted keydown or click (src/onLCP.ts).
    for kind in ["keydown", "click"] {
        let s = Rc::clone(shared);
        listeners.push(EventListener::new_with_options(
            window,
            kind,
            capture,
            move |e| {
                if e.is_trusted() && !s.input_seen.replace(true) {
                    s.timed(|| s.push(&lifecycle("input", e, &[("kind", e.type_().into())])));
                }
            },
        ));
    }
    listeners
}

impl Shared {
    /// Records the navigation entry again, as it reads now; the core keeps the last one.
    fn record_navigation_again(self: &Rc<Self>) {
        let navigation = self.performance.get_entries_by_type("navigation").get(0);
        if !navigation.is_undefined() {
            self.push(&record::record(navigation.unchecked_ref()));
        }
    }

    /// A restore from the back/forward cache starts a new page view (web-vitals resets every
    /// metric then): what was pending goes out under the old id, then the page gets a new id
    /// and `restoredAt`, and two animation frames later a `restorepaint` record stands for
    /// the first paint after the restore (web-vitals `src/lib/doubleRAF.ts`).
    fn restored(self: &Rc<Self>, window: &Window, event: &Event) {
        self.flush_now();
        let fresh = Object::assign(&Object::new(), &self.page.borrow());
        set(
            &fresh,
            "navigationId",
            &navigation_id(&self.performance).into(),
        );
        set(&fresh, "restoredAt", &event.time_stamp().into());
        set(&fresh, "initialVisibility", &"visible".into());
        *self.page.borrow_mut() = fresh;
        self.input_seen.set(false);
        self.push(&lifecycle("pageshow", event, &[("persisted", true.into())]));
        let shared = Rc::clone(self);
        let win = window.clone();
        let second = Closure::once_into_js(move || {
            let record = Object::new();
            set(&record, "lifecycle", &"restorepaint".into());
            set(&record, "time", &shared.performance.now().into());
            shared.push(&record);
        });
        let first = Closure::once_into_js(move || {
            let _ = win.request_animation_frame(second.unchecked_ref());
        });
        let _ = window.request_animation_frame(first.unchecked_ref());
    }
}

/// Unique per page view: the time origin, the current time and 32 random bits, in base 36.
/// Formatted by JS rather than Rust's `fmt`, which would add kilobytes to every page.
fn navigation_id(performance: &Performance) -> js_sys::JsString {
    let base36 = |n: f64| {
        js_sys::Number::from(n.floor())
            .to_string_with_radix(36)
            .unwrap_or_else(|_| "0".into())
    };
    let random = js_sys::Math::random() * 4_294_967_296.0;
    base36(performance.time_origin())
        .concat(&"-".into())
        .concat(&base36(performance.now()).into())
        .concat(&"-".into())
        .concat(&base36(random).into())
}

fn page_info(
    window: &Window,
    document: &Document,
    performance: &Performance,
    supported: &Array,
    form: &str,
) -> Result<Object, JsValue> {
    let page = Object::new();
    set(&page, "url", &window.location().href()?.into());
    set(&page, "navigationId", &navigation_id(performance).into());
    set(&page, "timeOrigin", &performance.time_origin().into());
    set(&page, "userAgent", &window.navigator().user_agent()?.into());
    set(&page, "supportedEntryTypes", supported);
    let hidden = document.visibility_state() == VisibilityState::Hidden;
    set(&page, "initialVisibility", &visibility_name(hidden).into());
    set(
        &page,
        "prerendering",
        &document
            .unchecked_ref::<DocumentExt>()
            .prerendering()
            .unwrap_or(false)
            .into(),
    );
    set(
        &page,
        "wasDiscarded",
        &document
            .unchecked_ref::<DocumentExt>()
            .was_discarded()
            .unwrap_or(false)
            .into(),
    );
    set(&page, "agentForm", &form.into());
    Ok(page)
}

fn lifecycle(kind: &str, event: &Event, fields: &[(&str, JsValue)]) -> Object {
    let record = Object::new();
    set(&record, "lifecycle", &kind.into());
    set(&record, "time", &event.time_stamp().into());
    for (key, value) in fields {
        set(&record, key, value);
    }
    record
}

/// Whether a record is a `paint` entry's.
fn is_paint(record: &JsValue) -> bool {
    Reflect::get(record, &"entryType".into())
        .ok()
        .and_then(|t| t.as_string())
        .is_some_and(|t| t == "paint")
}

fn persisted(event: &Event) -> bool {
    event
        .dyn_ref::<PageTransitionEvent>()
        .is_some_and(PageTransitionEvent::persisted)
}

fn visibility_name(hidden: bool) -> &'static str {
    if hidden { "hidden" } else { "visible" }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Defining a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

#[cfg(test)]
mod tests {
    //! The agent cannot depend on the core (serde would ship into every page), so these
    //! definitions are written twice; this holds them equal.

    #[test]
    fn the_agent_writes_the_log_format_the_core_reads() {
        assert_eq!(super::LOG_FORMAT, pagevitals_core::log::FORMAT);
        assert_eq!(super::LOG_VERSION, pagevitals_core::log::VERSION);
    }

    #[test]
    fn the_content_script_sends_the_entry_types_the_agent_observes() {
        // A page left before the agent started: extension/content.js sends what the browser
        // buffered, of the same types.
        let script = include_str!("../../../extension/content.js");
        let start = script
            .find("const OBSERVED_TYPES = [")
            .expect("OBSERVED_TYPES in content.js");
        let list = &script[start..start + script[start..].find("];").expect("end of the list")];
        let listed: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        assert_eq!(listed, super::OBSERVED_TYPES);
    }

    #[test]
    fn the_agent_observes_the_entry_types_the_core_reports_on() {
        assert_eq!(
            super::OBSERVED_TYPES,
            pagevitals_core::report::ENTRY_TYPES_OF_INTEREST
        );
    }
}
