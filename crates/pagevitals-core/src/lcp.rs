//! Largest Contentful Paint, as web-vitals `src/onLCP.ts` and `src/attribution/onLCP.ts`
//! define it (<https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/onLCP.ts>,
//! <https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/attribution/onLCP.ts>):
//! the last `largest-contentful-paint` entry before observation stopped, relative to
//! activation.
//!
//! How web-vitals' live rules map onto a log:
//! - It stops observing at the first trusted `keydown` or `click` (the agent's `input`
//!   lifecycle records; `pointerdown` and scroll are not stop signals) or when the page is
//!   hidden: an entry counts when its `startTime` is before the first such input's time and
//!   before the first hidden time.
//! - It starts only once a prerendered page is activated, and only where
//!   `largest-contentful-paint` is supported.
//! - A back/forward-cache restore starts a new page view (`page.restoredAt`) whose LCP is
//!   the time to the second animation frame after it (the agent's `restorepaint` record).

use serde::{Deserialize, Serialize};

use crate::log::{
    Entry, EntryLog, InputKind, LargestContentfulPaint, Lifecycle, Record, ResourceTiming,
};
use crate::metric::{Metric, MetricName};
use crate::page::PageView;
use crate::rating::Thresholds;

/// web-vitals `LCPThresholds`; <https://web.dev/articles/lcp#what_is_a_good_lcp_score>.
pub const THRESHOLDS: Thresholds = Thresholds {
    good: 2500.0,
    poor: 4000.0,
};

/// The entry type LCP is built from.
const ENTRY_TYPE: &str = "largest-contentful-paint";

/// Where LCP's time went. The four parts add up to LCP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LcpAttribution {
    /// Selector of the LCP element (or `#id` when the element was gone); absent when neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The LCP image or video URL; absent for text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// TTFB of the document.
    pub time_to_first_byte: f64,
    /// From the first byte until the LCP resource's request started (0 without one).
    pub resource_load_delay: f64,
    /// The LCP resource's load time (0 without one).
    pub resource_load_duration: f64,
    /// From the end of the resource load (or TTFB) until the element was painted.
    pub element_render_delay: f64,
}

/// LCP for the page view, or `None` when web-vitals would report none.
pub fn lcp(log: &EntryLog, view: &PageView<'_>) -> Option<Metric<LcpAttribution>> {
    if !view.activated || !view.supports(ENTRY_TYPE) {
        return None;
    }
    if view.restored_at.is_some() {
        return restored(view);
    }
    let entry = final_entry(log, view)?;
    // onLCP: "The activationStart reference is used because LCP should be relative to page
    // activation rather than navigation start if the page was prerendered."
    let value = (entry.start_time - view.activation_start).max(0.0);
    Some(view.metric(
        MetricName::LCP,
        &THRESHOLDS,
        value,
        attribute(log, view, entry, value),
    ))
}

/// The `largest-contentful-paint` entry LCP is reported from (the last candidate before the
/// page was first hidden and before the first stop input); `None` after a bfcache restore,
/// whose LCP has no entry.
pub(crate) fn final_entry<'a>(
    log: &'a EntryLog,
    view: &PageView<'_>,
) -> Option<&'a LargestContentfulPaint> {
    if view.restored_at.is_some() {
        return None;
    }
    let stopped_at = first_stop_input(log);
    log.records.iter().rev().find_map(|r| match r {
        Record::Entry(Entry::LargestContentfulPaint(e))
            if e.start_time < view.first_hidden_time && e.start_time < stopped_at =>
        {
            Some(e)
        }
        _ => None,
    })
}

/// onLCP's `onBFCacheRestore`: the time to the second animation frame after the restore,
/// with attributeLCP's default attribution (no entry, so all of it is render delay).
fn restored(view: &PageView<'_>) -> Option<Metric<LcpAttribution>> {
    let value = view.restored_paint?;
    Some(view.metric(
        MetricName::LCP,
        &THRESHOLDS,
        value,
        LcpAttribution {
            target: None,
            url: None,
            time_to_first_byte: 0.0,
            resource_load_delay: 0.0,
            resource_load_duration: 0.0,
            element_render_delay: value,
        },
    ))
}

/// When web-vitals stopped observing LCP because of input: the first trusted `keydown` or
/// `click` (onLCP listens for exactly those); `f64::INFINITY` when there was none.
fn first_stop_input(log: &EntryLog) -> f64 {
    log.records
        .iter()
        .find_map(|r| match r {
            Record::Lifecycle(Lifecycle::Input {
                kind: InputKind::Keydown | InputKind::Click,
                time,
            }) => Some(*time),
            _ => None,
        })
        .unwrap_or(f64::INFINITY)
}

/// `attributeLCP` in web-vitals `src/attribution/onLCP.ts`.
fn attribute(
    log: &EntryLog,
    view: &PageView<'_>,
    entry: &LargestContentfulPaint,
    value: f64,
) -> LcpAttribution {
    // The element's selector; "the LargestContentfulPaint.id property when the element has
    // been removed from the DOM (and so node is null), but still has an ID".
    let target = entry
        .selector
        .clone()
        .or_else(|| (!entry.id.is_empty()).then(|| format!("#{}", entry.id)));
    let url = (!entry.url.is_empty()).then(|| entry.url.clone());
    let resource = url.as_deref().and_then(|url| lcp_resource(log, url));
    let Some(nav) = view.navigation else {
        // "Use a default object if no other attribution has been set."
        return LcpAttribution {
            target,
            url,
            time_to_first_byte: 0.0,
            resource_load_delay: 0.0,
            resource_load_duration: 0.0,
            element_render_delay: value,
        };
    };
    let activation_start = nav.activation_start;
    let ttfb = (nav.response_start - activation_start).max(0.0);
    // "Prefer `requestStart` (if TOA is set), otherwise use `startTime`."
    let request_start = ttfb.max(resource.map_or(0.0, |r| {
        let start = if r.request_start != 0.0 {
            r.request_start
        } else {
            r.start_time
        };
        start - activation_start
    }));
    // "Cap at LCP time (videos continue downloading after LCP for example)."
    let response_end =
        value.min(request_start.max(resource.map_or(0.0, |r| r.response_end - activation_start)));
    LcpAttribution {
        target,
        url,
        time_to_first_byte: ttfb,
        resource_load_delay: request_start - ttfb,
        resource_load_duration: response_end - request_start,
        element_render_delay: value - response_end,
    }
}

/// The first `resource` entry for `url` in `performance.getEntriesByType('resource')`
/// order, which is by `startTime` (the log is in delivery order, i.e. by end time).
fn lcp_resource<'a>(log: &'a EntryLog, url: &str) -> Option<&'a ResourceTiming> {
    log.records
        .iter()
        .filter_map(|r| match r {
            Record::Entry(Entry::Resource(res)) if res.name == url => Some(res.as_ref()),
            _ => None,
        })
        .reduce(|a, b| if b.start_time < a.start_time { b } else { a })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::rating::Rating;
    use crate::testing::{NAV, log, log_with_page};

    fn lcp_entry(start: f64, url: &str, selector: &str) -> String {
        format!(
            r#"{{"entryType":"largest-contentful-paint","startTime":{start},"renderTime":{start},
                "size":1000,"id":"","url":"{url}","selector":{selector}}}"#
        )
    }

    fn resource(url: &str, start: f64, request_start: f64, response_end: f64) -> String {
        format!(
            r#"{{"entryType":"resource","name":"{url}","initiatorType":"img","startTime":{start},
                "requestStart":{request_start},"responseEnd":{response_end}}}"#
        )
    }

    fn lcp_of(records: &[String]) -> Option<Metric<LcpAttribution>> {
        let log = log(&records.join(","));
        lcp(&log, &PageView::new(&log))
    }

    fn sum(a: &LcpAttribution) -> f64 {
        a.time_to_first_byte
            + a.resource_load_delay
            + a.resource_load_duration
            + a.element_render_delay
    }

    #[test]
    fn a_late_image_replaces_the_text_candidate_and_splits_into_subparts() {
        let hero = "http://x/hero.png";
        let m = lcp_of(&[
            NAV.into(),
            lcp_entry(300.0, "", r#""html>body>h1""#),
            resource(hero, 250.0, 400.0, 2600.0),
            lcp_entry(2700.5, hero, r#""html>body>img.hero""#),
        ])
        .unwrap();
        assert_eq!(m.value, 2700.5);
        assert_eq!(m.rating, Rating::NeedsImprovement);
        let a = &m.attribution;
        assert_eq!(a.target.as_deref(), Some("html>body>img.hero"));
        assert_eq!(a.url.as_deref(), Some(hero));
        // NAV: responseStart 100.
        assert_eq!(a.time_to_first_byte, 100.0);
        assert_eq!(a.resource_load_delay, 300.0);
        assert_eq!(a.resource_load_duration, 2200.0);
        assert_eq!(a.element_render_delay, 100.5);
        assert_eq!(sum(a), m.value);
    }

    #[test]
    fn text_lcp_has_no_url_and_renders_after_ttfb() {
        let m = lcp_of(&[NAV.into(), lcp_entry(300.0, "", "null")]).unwrap();
        let a = serde_json::to_value(&m.attribution).unwrap();
        assert_eq!(
            a,
            serde_json::json!({"timeToFirstByte": 100.0, "resourceLoadDelay": 0.0,
                "resourceLoadDuration": 0.0, "elementRenderDelay": 200.0})
        );
    }

    #[test]
    fn a_removed_element_is_named_by_its_id() {
        let entry = r#"{"entryType":"largest-contentful-paint","startTime":300,"id":"hero",
                        "url":"","selector":null}"#;
        let m = lcp_of(&[entry.into()]).unwrap();
        assert_eq!(m.attribution.target.as_deref(), Some("#hero"));
        // No navigation entry: everything is render delay.
        assert_eq!(m.attribution.element_render_delay, 300.0);
    }

    #[test]
    fn observation_stops_at_the_first_keydown_or_click_but_not_pointerdown() {
        let records = |kind: &str| {
            vec![
                NAV.into(),
                lcp_entry(300.0, "", "null"),
                format!(r#"{{"lifecycle":"input","kind":"{kind}","time":1000}}"#),
                lcp_entry(1500.0, "", "null"),
            ]
        };
        assert_eq!(lcp_of(&records("click")).map(|m| m.value), Some(300.0));
        assert_eq!(lcp_of(&records("keydown")).map(|m| m.value), Some(300.0));
        assert_eq!(
            lcp_of(&records("pointerdown")).map(|m| m.value),
            Some(1500.0)
        );
    }

    #[test]
    fn hidden_before_the_first_candidate_means_no_lcp() {
        let records = [
            NAV.into(),
            r#"{"lifecycle":"visibilitychange","state":"hidden","time":200}"#.into(),
            r#"{"lifecycle":"visibilitychange","state":"visible","time":250}"#.into(),
            lcp_entry(300.0, "", "null"),
        ];
        assert!(lcp_of(&records).is_none());
        // Loaded in a background tab.
        let log = log_with_page(
            &["largest-contentful-paint"],
            r#","initialVisibility":"hidden""#,
            &lcp_entry(300.0, "", "null"),
            "",
        );
        assert!(lcp(&log, &PageView::new(&log)).is_none());
    }

    #[test]
    fn a_prerendered_page_measures_from_activation() {
        let nav = NAV.replace(
            r#""type":"navigate""#,
            r#""type":"navigate","activationStart":1000"#,
        );
        let hero = "http://x/hero.png";
        let records = [
            nav,
            resource(hero, 200.0, 300.0, 800.0),
            lcp_entry(900.0, hero, "null"),
            r#"{"lifecycle":"visibilitychange","state":"visible","time":1000}"#.into(),
            r#"{"lifecycle":"prerenderingchange","time":1000}"#.into(),
            lcp_entry(1400.0, hero, r#""img""#),
        ]
        .join(",");
        let page = r#","prerendering":true,"initialVisibility":"hidden""#;
        let log = log_with_page(&["largest-contentful-paint"], page, &records, "");
        let m = lcp(&log, &PageView::new(&log)).unwrap();
        assert_eq!(m.value, 400.0);
        assert_eq!(m.navigation_type, crate::metric::NavigationType::Prerender);
        let a = &m.attribution;
        // Every part is clamped at activation: the resource loaded before it.
        assert_eq!(
            (
                a.time_to_first_byte,
                a.resource_load_delay,
                a.resource_load_duration
            ),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(a.element_render_delay, 400.0);
        // Candidates before activation count too, clamped to 0.
        let before_only = log_with_page(
            &["largest-contentful-paint"],
            page,
            &records.replace(
                &lcp_entry(1400.0, hero, r#""img""#),
                &lcp_entry(950.0, "", "null"),
            ),
            "",
        );
        assert_eq!(
            lcp(&before_only, &PageView::new(&before_only)).map(|m| m.value),
            Some(0.0)
        );
        // Never activated: no LCP.
        let never = log_with_page(
            &["largest-contentful-paint"],
            page,
            &lcp_entry(900.0, "", "null"),
            "",
        );
        assert!(lcp(&never, &PageView::new(&never)).is_none());
    }

    #[test]
    fn the_resource_is_the_earliest_for_the_url_and_capped_at_lcp() {
        let video = "http://x/v.mp4";
        let m = lcp_of(&[
            NAV.into(),
            resource(video, 500.0, 0.0, 9000.0),
            resource(video, 150.0, 0.0, 5000.0),
            lcp_entry(1200.0, video, "null"),
        ])
        .unwrap();
        let a = &m.attribution;
        // requestStart 0 (cross-origin without TAO): startTime 150 is used.
        assert_eq!(a.resource_load_delay, 50.0);
        // responseEnd 5000 is after LCP: capped, so the render delay is 0.
        assert_eq!(a.resource_load_duration, 1050.0);
        assert_eq!(a.element_render_delay, 0.0);
        assert_eq!(sum(a), m.value);
    }

    #[test]
    fn no_candidate_means_no_lcp() {
        assert!(lcp_of(&[NAV.into()]).is_none());
    }

    proptest! {
        #[test]
        fn subparts_add_up_to_lcp(
            activation in prop_oneof![Just(0.0), 0.0..3000.0f64],
            response_start in 0.1..3000.0f64,
            lcp_start in 0.0..10_000.0f64,
            resource in proptest::option::of((0.0..8000.0f64, 0.0..8000.0f64, 0.0..12_000.0f64)),
        ) {
            let url = "http://x/i.png";
            let nav = format!(
                r#"{{"entryType":"navigation","name":"http://x/","startTime":0,"duration":0,
                    "type":"navigate","activationStart":{activation},"fetchStart":0,
                    "domainLookupStart":0,"connectStart":0,"connectEnd":0,"requestStart":0,
                    "responseStart":{response_start},"domInteractive":0,
                    "domContentLoadedEventStart":0,"domComplete":0}}"#
            );
            let mut records = vec![nav];
            if let Some((start, request_start, response_end)) = resource {
                records.push(self::resource(url, start, request_start, response_end));
            }
            records.push(lcp_entry(lcp_start, url, "null"));
            let m = lcp_of(&records).unwrap();
            prop_assert!((sum(&m.attribution) - m.value).abs() <= 1e-9,
                "{:?} sums to {} not {}", m.attribution, sum(&m.attribution), m.value);
        }
    }
}
