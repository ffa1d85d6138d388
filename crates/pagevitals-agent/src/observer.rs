//! An owned `PerformanceObserver` for one entry type: created observing, disconnected on drop.

use wasm_bindgen::prelude::*;
use web_sys::{PerformanceObserver, PerformanceObserverEntryList};

use crate::bindings::ObserveOptions;

type Callback = Closure<dyn FnMut(PerformanceObserverEntryList, PerformanceObserver)>;

/// Observes one entry type, buffered, and hands each batch of entries to `on_entries`.
pub struct Observer {
    observer: PerformanceObserver,
    _callback: Callback,
}

impl Observer {
    /// Starts observing `entry_type` with `buffered: true`, so entries recorded before the
    /// agent started are delivered too. `duration_threshold` applies to Event Timing only.
    pub fn new<F>(
        entry_type: &str,
        duration_threshold: Option<f64>,
        mut on_entries: F,
    ) -> Result<Self, JsValue>
    where
        F: FnMut(js_sys::Array) + 'static,
    {
        let callback: Callback = Closure::new(
            move |list: PerformanceObserverEntryList, _: PerformanceObserver| {
                on_entries(list.get_entries());
            },
        );
        let observer = PerformanceObserver::new(callback.as_ref().unchecked_ref())?;
        let options: ObserveOptions = js_sys::Object::new().unchecked_into();
        options.set_type(entry_type);
        options.set_buffered(true);
        if let Some(threshold) = duration_threshold {
            options.set_duration_threshold(threshold);
        }
        observer.observe(options.unchecked_ref());
        Ok(Observer {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
