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
    "visibility-state",
];

/// web-vitals `src/onINP.ts` observes Event Timing with a 40 ms duration threshold.
const EVENT_DURATION_THRESHOLD_MS: f64 = 40.0;

/// Records are sent at most this often, so a burst of entries costs one message.
const FLUSH_DELAY_MS: u32 = 250;

thread_local! {
    /// The running agent. It lives as long as the page: dropping it would disconnect the
    /// observers and listeners.
    static AGENT: RefCell<Option<Agent>> = const { RefCell::new(None) };
}

struct Agent {
    _observers: Vec<Observer>,
    _listeners: Vec<EventListener>,
}

/// What the observers and listeners share.
struct Shared {
    sink: Function,
    performance: Performance,
    page: Object,
    pending: RefCell<Array>,
    flush_scheduled: Cell<bool>,
}

impl Shared {
    fn push(self: &Rc<Self>, record: &JsValue) {
        self.pending.borrow().push(record);
        if !self.flush_scheduled.replace(true) {
            let shared = Rc::clone(self);
            Timeout::new(FLUSH_DELAY_MS, move || {
                shared.flush_scheduled.set(false);
                shared.flush();
            })
            .forget();
        }
    }

    /// Sends every pending record as one batch (a JSON string, so the message is cheap to
    /// clone across the extension boundary and holds no DOM objects).
    fn flush(&self) {
        let records = self.pending.replace(Array::new());
        if records.length() == 0 {
            return;
        }
        let batch = Object::new();
        set(&batch, "format", &LOG_FORMAT.into());
        set(&batch, "version", &LOG_VERSION.into());
        set(&batch, "page", &self.page);
        set(&batch, "now", &self.performance.now().into());
        if let Some(count) = self
            .performance
            .unchecked_ref::<PerformanceExt>()
            .interaction_count()
        {
            set(&batch, "interactionCount", &count.into());
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
#[wasm_bindgen]
pub fn start(sink: Function, form: &str) -> Result<(), JsValue> {
    if AGENT.with(|a| a.borrow().is_some()) {
        return Ok(());
    }
    let window = web_sys::window().ok_or("the agent needs a window")?;
    let document = window.document().ok_or("the agent needs a document")?;
    let performance = window.performance().ok_or("the agent needs performance")?;
    let supported = PerformanceObserverClass::supported_entry_types().unwrap_or_default();

    let shared = Rc::new(Shared {
        sink,
        page: page_info(&window, &document, &performance, &supported, form)?,
        performance,
        pending: RefCell::new(Array::new()),
        flush_scheduled: Cell::new(false),
    });

    let mut observers = Vec::new();
    for entry_type in OBSERVED_TYPES {
        if !supported.includes(&JsValue::from_str(entry_type), 0) {
            continue;
        }
        let threshold = (*entry_type == "event").then_some(EVENT_DURATION_THRESHOLD_MS);
        let shared = Rc::clone(&shared);
        observers.push(Observer::new(entry_type, threshold, move |entries| {
            for entry in entries.iter() {
                let entry: web_sys::PerformanceEntry = entry.unchecked_into();
                shared.push(&entry.to_json());
            }
        })?);
    }

    let listeners = lifecycle_listeners(&window, &document, &shared);
    AGENT.with(|a| {
        *a.borrow_mut() = Some(Agent {
            _observers: observers,
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
            let hidden = doc.visibility_state() == VisibilityState::Hidden;
            s.push(&lifecycle(
                "visibilitychange",
                e,
                &[("state", visibility_name(hidden).into())],
            ));
            if hidden {
                // The page may never run again: send what we have now.
                s.flush();
            }
        });
    let s = Rc::clone(shared);
    let prerendering =
        EventListener::new_with_options(document, "prerenderingchange", capture, move |e| {
            s.push(&lifecycle("prerenderingchange", e, &[]));
        });
    let s = Rc::clone(shared);
    let pagehide = EventListener::new_with_options(window, "pagehide", capture, move |e| {
        s.push(&lifecycle(
            "pagehide",
            e,
            &[("persisted", persisted(e).into())],
        ));
        s.flush();
    });
    let s = Rc::clone(shared);
    let pageshow = EventListener::new_with_options(window, "pageshow", capture, move |e| {
        s.push(&lifecycle(
            "pageshow",
            e,
            &[("persisted", persisted(e).into())],
        ));
    });
    vec![visibility, prerendering, pagehide, pageshow]
}

fn page_info(
    window: &Window,
    document: &Document,
    performance: &Performance,
    supported: &Array,
    form: &str,
) -> Result<Object, JsValue> {
    let time_origin = performance.time_origin();
    // Unique per page view: the time origin and 32 random bits, in base 36. Formatted by JS
    // rather than Rust's `fmt`, which would add kilobytes to every page.
    let random = (js_sys::Math::random() * 4_294_967_296.0).floor();
    let navigation_id = js_sys::Number::from(time_origin.floor())
        .to_string_with_radix(36)?
        .concat(&"-".into())
        .concat(
            &js_sys::Number::from(random)
                .to_string_with_radix(36)?
                .into(),
        );
    let page = Object::new();
    set(&page, "url", &window.location().href()?.into());
    set(&page, "navigationId", &navigation_id.into());
    set(&page, "timeOrigin", &time_origin.into());
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
