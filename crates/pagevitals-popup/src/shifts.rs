//! The layout-shift overlay's data: the page view's shifts in time order, each with its
//! score and the previous and current rectangles of the elements it moved, as the overlay
//! script (`extension/overlay.js`) draws them.

use pagevitals_core::log::{DomRect, LayoutShift};
use serde::Serialize;

use crate::format;

/// A rectangle in viewport CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl From<&DomRect> for Rect {
    fn from(r: &DomRect) -> Self {
        Rect {
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
        }
    }
}

/// One element a shift moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MovedElement {
    /// Its selector; empty for a node that is not an element.
    pub selector: String,
    /// Where it was.
    pub previous: Rect,
    /// Where it went.
    pub current: Rect,
}

/// One layout shift.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Shift {
    /// 1-based, in time order: the number drawn on the page.
    pub number: usize,
    /// When, ms from the time origin.
    pub time: f64,
    /// The layout shift score.
    pub score: f64,
    /// Followed input within 500 ms, so CLS does not count it.
    pub had_recent_input: bool,
    /// The elements it moved, largest impact first.
    pub elements: Vec<MovedElement>,
    /// A one-line description for lists: `#1 0.042 at 812 ms: div.banner`.
    pub label: String,
}

/// The shifts in time order (stable for equal times), numbered from 1.
pub fn shifts(records: &[LayoutShift]) -> Vec<Shift> {
    let mut sorted: Vec<&LayoutShift> = records.iter().collect();
    sorted.sort_by(|a, b| a.start_time.total_cmp(&b.start_time));
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let elements: Vec<MovedElement> = s
                .sources
                .iter()
                .map(|src| MovedElement {
                    selector: src.selector.clone().unwrap_or_default(),
                    previous: Rect::from(&src.previous_rect),
                    current: Rect::from(&src.current_rect),
                })
                .collect();
            let targets: Vec<&str> = elements
                .iter()
                .map(|e| {
                    if e.selector.is_empty() {
                        "(text)"
                    } else {
                        e.selector.as_str()
                    }
                })
                .collect();
            let label = format!(
                "#{} {:.3} at {}{}: {}",
                i + 1,
                s.value,
                format::ms(s.start_time),
                if s.had_recent_input {
                    " (after input, not counted)"
                } else {
                    ""
                },
                if targets.is_empty() {
                    "(no element)".to_owned()
                } else {
                    targets.join(", ")
                }
            );
            Shift {
                number: i + 1,
                time: s.start_time,
                score: s.value,
                had_recent_input: s.had_recent_input,
                elements,
                label,
            }
        })
        .collect()
}

/// The overlay command to draw `shifts` with `picked` (a shift number) highlighted; with
/// `unsupported`, the overlay says this browser reports no layout shifts.
pub fn show_command(shifts: &[Shift], picked: Option<usize>, unsupported: bool) -> String {
    serde_json::json!({
        "action": "show",
        "shifts": shifts,
        "picked": picked,
        "unsupported": unsupported,
    })
    .to_string()
}

/// The overlay command that removes it.
pub fn hide_command() -> String {
    r#"{"action":"hide"}"#.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(time: f64, value: f64, selector: Option<&str>) -> LayoutShift {
        let json = serde_json::json!({
            "entryType": "layout-shift", "startTime": time, "value": value, "hadRecentInput": false,
            "sources": [{
                "previousRect": {"x":0,"y":10,"width":100,"height":20,"top":10,"right":100,"bottom":30,"left":0},
                "currentRect": {"x":0,"y":70,"width":100,"height":20,"top":70,"right":100,"bottom":90,"left":0},
                "selector": selector,
            }],
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn shifts_come_in_time_order_with_their_rectangles() {
        let list = shifts(&[shift(1600.0, 0.2, Some("h1")), shift(100.0, 0.05, None)]);
        assert_eq!(list[0].number, 1);
        assert_eq!(list[0].time, 100.0);
        assert_eq!(list[0].label, "#1 0.050 at 100 ms: (text)");
        assert_eq!(list[1].label, "#2 0.200 at 1.60 s: h1");
        assert_eq!(list[1].elements[0].current.y, 70.0);
        let command: serde_json::Value =
            serde_json::from_str(&show_command(&list, Some(2), false)).unwrap();
        assert_eq!(command["shifts"][1]["elements"][0]["previous"]["y"], 10.0);
        assert_eq!(command["picked"], 2);
        assert_eq!(command["shifts"][0]["hadRecentInput"], false);
    }
}
