//! The popup's calls into the WebExtension API, through `extension/popup/bridge.js` (shipped
//! beside the wasm-bindgen glue in `popup/`). Values cross as JSON text; errors come back as
//! their message.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::state::Tab;

#[wasm_bindgen(raw_module = "./bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = targetTab, catch)]
    async fn target_tab_js() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = readView, catch)]
    async fn read_view_js(tab_id: i32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = watch)]
    fn watch_js(tab_id: i32, on_change: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = overlay, catch)]
    async fn overlay_js(tab_id: i32, command: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = copy, catch)]
    async fn copy_js(text: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = download)]
    fn download_js(name: &str, text: &str, mime: &str);
    #[wasm_bindgen(js_name = rendered)]
    fn rendered_js();
}

fn message(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// The tab the popup shows, or `None` when the browser gave none.
pub async fn target_tab() -> Option<Tab> {
    let json = target_tab_js().await.ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

/// The tab's current page view as the bridge's JSON, `None` before any.
pub async fn read_view(tab_id: i32) -> Result<Option<String>, String> {
    read_view_js(tab_id)
        .await
        .map(|v| v.as_string())
        .map_err(message)
}

/// Calls `on_change` whenever the tab's stored state changes, for as long as the popup is
/// open (the listener lives as long as the page, so it is never dropped).
pub fn watch(tab_id: i32, on_change: impl FnMut() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(on_change);
    watch_js(tab_id, &callback);
    callback.forget();
}

/// Runs an overlay command in the tab ([`crate::shifts`]).
pub async fn overlay(tab_id: i32, command: String) -> Result<(), String> {
    overlay_js(tab_id, command)
        .await
        .map(|_| ())
        .map_err(message)
}

/// Puts `text` on the clipboard.
pub async fn copy(text: String) -> Result<(), String> {
    copy_js(text).await.map(|_| ()).map_err(message)
}

/// Offers `text` as a download.
pub fn download(name: &str, text: &str, mime: &str) {
    download_js(name, text, mime);
}

/// Marks the first render with the tab's state (`pv:rendered`, for the benchmark).
pub fn rendered() {
    rendered_js();
}
