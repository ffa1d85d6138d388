//! Turns a `PerformanceEntry` into an entry-log record: the browser's own `toJSON()`, plus
//! the CSS selector of the DOM node behind it where attribution needs one (the node itself
//! cannot leave the page). Selector fields are added only where the entry has a node.
//! Of the LCP element the agent also records the tag and the two attributes that decide how
//! early and how urgently its image is fetched (`loading`, `fetchpriority`), which the core's
//! `lcp-discovery` rule reads.
//!
//! | entry type                 | node                    | record field           |
//! | -------------------------- | ----------------------- | ---------------------- |
//! | `largest-contentful-paint` | `element`               | `selector`, `elementTag`, `elementLoading`, `elementFetchPriority` |
//! | `layout-shift`             | `sources[i].node`       | `sources[i].selector`  |
//! | `event`, `first-input`     | `target`                | `selector`             |
//! | `interaction-contentful-paint` | `largestContentfulPaint.element` | `largestContentfulPaint.selector` |

use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Element, Node, PerformanceEntry};

/// web-vitals `src/lib/getSelector.ts`: at most this many UTF-16 code units.
const MAX_SELECTOR_LEN: u32 = 100;

/// The log record for `entry`.
pub fn record(entry: &PerformanceEntry) -> Object {
    let json = entry.to_json();
    match entry.entry_type().as_str() {
        "largest-contentful-paint" => {
            let element = get(entry, "element");
            add_selector(&json, &element);
            add_lcp_element(&json, &element);
        }
        "event" | "first-input" => add_selector(&json, &get(entry, "target")),
        "interaction-contentful-paint" => {
            // The nested largest-contentful-paint entry becomes a plain object with its own
            // selector, for the same reason as layout-shift sources below.
            let lcp = get(entry, "largestContentfulPaint");
            if lcp.is_object() {
                let plain = to_json(&lcp);
                add_selector(&plain, &get(&lcp, "element"));
                let _ = Reflect::set(&json, &"largestContentfulPaint".into(), &plain);
            }
        }
        "layout-shift" => {
            // toJSON() leaves the live LayoutShiftAttribution objects in `sources` (they
            // serialise later through their own toJSON, which would drop a selector added
            // to them), so each source becomes a plain object here.
            let live: Array = get(entry, "sources").dyn_into().unwrap_or_default();
            let sources = Array::new();
            for source in live.iter() {
                let plain = to_json(&source);
                add_selector(&plain, &get(&source, "node"));
                sources.push(&plain);
            }
            let _ = Reflect::set(&json, &"sources".into(), &sources);
        }
        _ => {}
    }
    json
}

fn add_selector(record: &JsValue, node: &JsValue) {
    if let Some(node) = node.dyn_ref::<Node>() {
        let _ = Reflect::set(record, &"selector".into(), &selector(node).into());
    }
}

/// The LCP element's lower-case tag name and its `loading` and `fetchpriority` attributes
/// as written (`null` when absent), only where `element` is an element.
fn add_lcp_element(record: &JsValue, element: &JsValue) {
    let Some(element) = element.dyn_ref::<Element>() else {
        return;
    };
    let tag = JsString::from(element.node_name()).to_lower_case();
    let _ = Reflect::set(record, &"elementTag".into(), &tag);
    for (attribute, field) in [
        ("loading", "elementLoading"),
        ("fetchpriority", "elementFetchPriority"),
    ] {
        let value = element
            .get_attribute(attribute)
            .map_or(JsValue::NULL, JsValue::from);
        let _ = Reflect::set(record, &field.into(), &value);
    }
}

/// `value.toJSON()`, or an empty object where it has none.
fn to_json(value: &JsValue) -> JsValue {
    get(value, "toJSON")
        .dyn_into::<js_sys::Function>()
        .ok()
        .and_then(|f| f.call0(value).ok())
        .unwrap_or_else(|| Object::new().into())
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The selector web-vitals' `getSelector` gives `node`: from the node up to the nearest
/// ancestor with an id, each step `#id` or `tag.class.class` (classes sorted), joined by `>`;
/// stopping before the length limit, or at a node that is not an element. Built from JS
/// strings and arrays, as getSelector is: the same sort order and UTF-16 lengths, and no Rust
/// string machinery shipped into the page.
pub fn selector(node: &Node) -> JsString {
    let mut selector = JsString::from("");
    let mut current = Some(node.clone());
    while let Some(node) = current {
        if node.node_type() == Node::DOCUMENT_NODE {
            break;
        }
        // getSelector reads classList, which only elements have; it throws (and returns what
        // it has) on any other node.
        let Some(element) = node.dyn_ref::<Element>() else {
            break;
        };
        let id = JsString::from(element.id());
        let has_id = id.length() > 0;
        let part = if has_id {
            JsString::from("#").concat(&id)
        } else {
            let parts = Array::from(&element.class_list());
            parts.sort();
            parts.unshift(&JsString::from(element.node_name()).to_lower_case());
            parts.join(".")
        };
        if selector.length() + part.length() > MAX_SELECTOR_LEN - 1 {
            return if selector.length() == 0 {
                part
            } else {
                selector
            };
        }
        selector = if selector.length() == 0 {
            part
        } else {
            part.concat(&">".into()).concat(&selector)
        };
        if has_id {
            break;
        }
        current = node.parent_node();
    }
    selector
}
