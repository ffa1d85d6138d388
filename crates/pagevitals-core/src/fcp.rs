//! First Contentful Paint, as web-vitals `src/onFCP.ts` and `src/attribution/onFCP.ts`
//! define it: the `first-contentful-paint` paint entry, relative to activation, counted only
//! when the page had not been hidden before it.

use serde::{Deserialize, Serialize};

use crate::log::{Entry, EntryLog, Record};
use crate::metric::{Metric, MetricName};
use crate::page::{LoadState, PageView};
use crate::rating::Thresholds;

/// web-vitals `FCPThresholds`; <https://web.dev/articles/fcp#what_is_a_good_fcp_score>.
pub const THRESHOLDS: Thresholds = Thresholds {
    good: 1800.0,
    poor: 3000.0,
};

/// The paint entry name that marks FCP (Paint Timing spec).
const FCP_ENTRY_NAME: &str = "first-contentful-paint";

/// The entry type FCP is built from.
const PAINT_ENTRY_TYPE: &str = "paint";

/// Where FCP's time went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FcpAttribution {
    /// TTFB of the document.
    pub time_to_first_byte: f64,
    /// From the first byte to the first contentful paint.
    #[serde(rename = "firstByteToFCP")]
    pub first_byte_to_fcp: f64,
    /// The document's load state when FCP happened.
    pub load_state: LoadState,
}

/// FCP for the page view, or `None` when there is none to report.
pub fn fcp(log: &EntryLog, view: &PageView<'_>) -> Option<Metric<FcpAttribution>> {
    // onFCP runs inside `whenActivated`: a prerendered page never shown has no FCP.
    if !view.activated {
        return None;
    }
    if let Some(restored_at) = view.restored_at {
        return restored(view, restored_at);
    }
    let paint = log.records.iter().find_map(|r| match r {
        Record::Entry(Entry::Paint(p)) if p.name == FCP_ENTRY_NAME => Some(p),
        _ => None,
    })?;
    if paint.start_time >= view.first_hidden_time {
        return None;
    }
    let value = (paint.start_time - view.activation_start).max(0.0);
    let attribution = match view.navigation {
        Some(nav) => {
            let ttfb = (nav.response_start - nav.activation_start).max(0.0);
            FcpAttribution {
                time_to_first_byte: ttfb,
                first_byte_to_fcp: value - ttfb,
                load_state: view.load_state(paint.start_time),
            }
        }
        None => FcpAttribution {
            time_to_first_byte: 0.0,
            first_byte_to_fcp: value,
            load_state: view.load_state(paint.start_time),
        },
    };
    Some(view.metric(MetricName::FCP, &THRESHOLDS, value, attribution))
}

/// onFCP's `onBFCacheRestore`: the time to the second animation frame after the restore,
/// with attributeFCP's default attribution. Only where `paint` can be observed.
fn restored(view: &PageView<'_>, restored_at: f64) -> Option<Metric<FcpAttribution>> {
    if !view.supports(PAINT_ENTRY_TYPE) {
        return None;
    }
    let value = view.restored_paint?;
    Some(view.metric(
        MetricName::FCP,
        &THRESHOLDS,
        value,
        FcpAttribution {
            time_to_first_byte: 0.0,
            first_byte_to_fcp: value,
            load_state: view.load_state(restored_at),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{NAV, log_with_page, paint};

    #[test]
    fn a_prerendered_page_has_fcp_only_once_activated() {
        let types = &["paint", "navigation"];
        let prerendering = r#","prerendering":true,"initialVisibility":"hidden""#;
        let records = format!("{NAV},{}", paint(50.0));
        let log = log_with_page(types, prerendering, &records, "");
        assert!(fcp(&log, &PageView::new(&log)).is_none());
        let activated = format!(
            r#"{records},{{"lifecycle":"visibilitychange","state":"visible","time":900}},
               {{"lifecycle":"prerenderingchange","time":900}}"#
        );
        let log = log_with_page(types, prerendering, &activated, "");
        assert_eq!(fcp(&log, &PageView::new(&log)).map(|m| m.value), Some(50.0));
    }

    #[test]
    fn a_page_left_before_dom_interactive_painted_while_loading() {
        // The navigation entry of a document that never finished parsing: its DOM timings are 0.
        let parsing = NAV
            .replace(r#""domInteractive":500"#, r#""domInteractive":0"#)
            .replace(
                r#""domContentLoadedEventStart":600"#,
                r#""domContentLoadedEventStart":0"#,
            )
            .replace(r#""domComplete":1000"#, r#""domComplete":0"#);
        let log = crate::testing::log(&format!("{parsing},{}", paint(700.0)));
        let metric = fcp(&log, &PageView::new(&log)).expect("FCP");
        assert_eq!(metric.attribution.load_state, LoadState::Loading);
        // The same paint in a document that did reach domInteractive (at 500) came after it.
        let log = crate::testing::log(&format!("{NAV},{}", paint(700.0)));
        let metric = fcp(&log, &PageView::new(&log)).expect("FCP");
        assert_eq!(metric.attribution.load_state, LoadState::DomContentLoaded);
    }
}
