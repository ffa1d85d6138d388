//! An owned `PerformanceObserver` for an entry type (or two): created observing, disconnected
//! on drop, and drainable, so that entries the browser has queued but not yet delivered can be
//! taken when the page is being hidden (as web-vitals does with `takeRecords()`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{PerformanceObserver, PerformanceObserverEntryList};

use crate::bindings::ObserveOptions;

type Callback = Closure<dyn FnMut(PerformanceObserverEntryList, PerformanceObserver)>;
type Handler = Rc<RefCell<dyn FnMut(js_sys::Array)>>;

/// Observes one entry type and hands each batch of entries to its handler.
pub struct Observer {
    observer: PerformanceObserver,
    buffered: bool,
    handler: Handler,
    _callback: Callback,
}

impl Observer {
    /// Starts observing `entry_type`. `buffered`: entries recorded before the agent started
    /// are delivered too (off when the content script hands them over itself).
    /// `duration_threshold` applies to Event Timing only.
    pub fn new<F>(
        entry_type: &str,
        buffered: bool,
        duration_threshold: Option<f64>,
        on_entries: F,
    ) -> Result<Self, JsValue>
    where
        F: FnMut(js_sys::Array) + 'static,
    {
        let handler: Handler = Rc::new(RefCell::new(on_entries));
        let h = Rc::clone(&handler);
        let callback: Callback = Closure::new(
            move |list: PerformanceObserverEntryList, _: PerformanceObserver| {
                if let Ok(mut handle) = h.try_borrow_mut() {
                    handle(list.get_entries());
                }
            },
        );
        let observer = PerformanceObserver::new(callback.as_ref().unchecked_ref())?;
        let options: ObserveOptions = js_sys::Object::new().unchecked_into();
        options.set_type(entry_type);
        options.set_buffered(buffered);
        if let Some(threshold) = duration_threshold {
            options.set_duration_threshold(threshold);
        }
        observer.observe(options.unchecked_ref());
        Ok(Observer {
            observer,
            buffered,
            handler,
            _callback: callback,
        })
    }

    /// Also observes `entry_type` (buffered as the first) with the same observer, so that its
    /// entries come in the same deliveries as the first type's, as web-vitals observes
    /// `first-input` on its `event` observer.
    pub fn also(&self, entry_type: &str) {
        let options: ObserveOptions = js_sys::Object::new().unchecked_into();
        options.set_type(entry_type);
        options.set_buffered(self.buffered);
        self.observer.observe(options.unchecked_ref());
    }

    /// Hands the entries queued for this observer, not yet delivered, to its handler now.
    pub fn drain(&self) {
        let queued = self.observer.take_records();
        if queued.length() > 0 {
            if let Ok(mut handle) = self.handler.try_borrow_mut() {
                handle(queued);
            }
        }
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
