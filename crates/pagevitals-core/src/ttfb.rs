//! Time to First Byte, as web-vitals `src/onTTFB.ts` and `src/attribution/onTTFB.ts` define
//! it: `responseStart` of a valid navigation entry, relative to activation, never negative.

use serde::{Deserialize, Serialize};

use crate::metric::{Metric, MetricName};
use crate::page::PageView;
use crate::rating::Thresholds;

/// web-vitals `TTFBThresholds`; <https://web.dev/articles/ttfb#what_is_a_good_ttfb_score>.
pub const THRESHOLDS: Thresholds = Thresholds {
    good: 800.0,
    poor: 1800.0,
};

/// TTFB split into the phases of the document request. They add up to TTFB.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TtfbAttribution {
    /// Until the request could start (redirects, unload of the previous page).
    pub waiting_duration: f64,
    /// Service worker and HTTP cache lookup.
    pub cache_duration: f64,
    /// DNS lookup.
    pub dns_duration: f64,
    /// TCP and TLS connection.
    pub connection_duration: f64,
    /// From connection to the first byte of the response (server time included).
    pub request_duration: f64,
}

/// TTFB for the page view, or `None` without a valid navigation entry or before the document
/// loaded (web-vitals waits for `load`).
pub fn ttfb(view: &PageView<'_>) -> Option<Metric<TtfbAttribution>> {
    if view.restored_at.is_some() {
        return restored(view);
    }
    let nav = view.navigation?;
    if !view.loaded {
        return None;
    }
    let value = (nav.response_start - view.activation_start).max(0.0);
    let since_activation = |t: f64| (t - nav.activation_start).max(0.0);
    let start = if nav.worker_start > 0.0 {
        nav.worker_start
    } else {
        nav.fetch_start
    };
    let wait_end = since_activation(start);
    let dns_start = since_activation(nav.domain_lookup_start);
    let connect_start = since_activation(nav.connect_start);
    let connect_end = since_activation(nav.connect_end);
    Some(view.metric(
        MetricName::TTFB,
        &THRESHOLDS,
        value,
        TtfbAttribution {
            waiting_duration: wait_end,
            cache_duration: dns_start - wait_end,
            dns_duration: connect_start - dns_start,
            connection_duration: connect_end - connect_start,
            request_duration: value - connect_end,
        },
    ))
}

/// onTTFB's `onBFCacheRestore`: 0, with attributeTTFB's all-zero default attribution. web-vitals
/// reports it only when the first load had a navigation entry, which a restored page view's
/// log no longer holds; `navigation` being observable stands in for that.
fn restored(view: &PageView<'_>) -> Option<Metric<TtfbAttribution>> {
    if !view.supports("navigation") {
        return None;
    }
    Some(view.metric(
        MetricName::TTFB,
        &THRESHOLDS,
        0.0,
        TtfbAttribution {
            waiting_duration: 0.0,
            cache_duration: 0.0,
            dns_duration: 0.0,
            connection_duration: 0.0,
            request_duration: 0.0,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{NAV, log};

    #[test]
    fn a_page_left_before_its_load_has_no_ttfb_as_in_web_vitals() {
        let loading = NAV
            .replace(r#""loadEventStart":1000"#, r#""loadEventStart":0"#)
            .replace(r#""loadEventEnd":1010"#, r#""loadEventEnd":0"#);
        let left = log(&format!(
            r#"{loading},{{"lifecycle":"pagehide","persisted":false,"time":400}}"#
        ));
        assert!(ttfb(&PageView::new(&left)).is_none());
        // The agent's `pageshow` (after load) stands in for an entry not yet updated.
        let shown = log(&format!(
            r#"{loading},{{"lifecycle":"pageshow","persisted":false,"time":1000}}"#
        ));
        assert_eq!(ttfb(&PageView::new(&shown)).map(|m| m.value), Some(100.0));
        let loaded = log(NAV);
        assert_eq!(ttfb(&PageView::new(&loaded)).map(|m| m.value), Some(100.0));
    }
}
