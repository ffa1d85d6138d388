//! Cumulative Layout Shift, as web-vitals `src/onCLS.ts` and `src/attribution/onCLS.ts`
//! define it (<https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/onCLS.ts>,
//! <https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/attribution/onCLS.ts>):
//! the largest session window of layout shifts without recent input.
//!
//! How web-vitals' live rules map onto a log:
//! - CLS starts when FCP is reported (`onFCP(runOnce(...))`), so there is no CLS without FCP
//!   (page hidden before it, or a prerendered page never activated). Its observer is
//!   registered with `buffered: true`, so shifts from before FCP still count.
//! - The value starts at 0 (`initMetric('CLS', 0)`): a page with FCP and no shift has CLS 0,
//!   but a browser without `layout-shift` has no CLS at all, never 0.
//! - It keeps counting while the page is hidden and shown again. A back/forward-cache
//!   restore starts a new metric from 0: the agent starts a new page view (`restoredAt`),
//!   and in a log that spans a restore only the shifts before it count.

use serde::{Deserialize, Serialize};

use crate::fcp;
use crate::log::{DomRect, Entry, EntryLog, LayoutShift, Record};
use crate::metric::{Metric, MetricName};
use crate::page::{LoadState, PageView};
use crate::rating::Thresholds;
use crate::session_window::SessionWindows;

/// web-vitals `CLSThresholds`; <https://web.dev/articles/cls#what_is_a_good_cls_score>.
pub const THRESHOLDS: Thresholds = Thresholds {
    good: 0.1,
    poor: 0.25,
};

/// The entry type CLS is built from.
const ENTRY_TYPE: &str = "layout-shift";

/// The single largest shift in the CLS window. Every field is absent when the window has no
/// shift with sources (web-vitals then reports `{}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClsAttribution {
    /// Selector of the first element among the largest shift's sources; `""` when that
    /// source is not an element; absent when its node was gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_shift_target: Option<String>,
    /// When the largest shift happened, ms from time origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_shift_time: Option<f64>,
    /// The largest shift's score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_shift_value: Option<f64>,
    /// Where the source named by `largestShiftTarget` was and went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub largest_shift_source: Option<ShiftSource>,
    /// The document's load state when the largest shift happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_state: Option<LoadState>,
}

/// A layout-shift source as `LayoutShiftAttribution.toJSON()` gives it (no node).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ShiftSource {
    /// The rectangle before the shift.
    pub previous_rect: DomRect,
    /// The rectangle after the shift.
    pub current_rect: DomRect,
}

/// CLS for the page view, or `None` when web-vitals would report none.
pub fn cls(log: &EntryLog, view: &PageView<'_>) -> Option<Metric<ClsAttribution>> {
    if !view.supports(ENTRY_TYPE) {
        return None;
    }
    // A restored page view's log no longer holds the first load's FCP; web-vitals restarts
    // CLS at a restore only if FCP had been reported, which is taken as given here.
    if view.restored_at.is_none() {
        fcp::fcp(log, view)?;
    }
    let shifts = log.records.iter().filter_map(|r| match r {
        Record::Entry(Entry::LayoutShift(s)) if s.start_time < view.restore_time => Some(s),
        _ => None,
    });
    Some(of_shifts(shifts, view))
}

/// CLS over `shifts` (in delivery order) as one metric of `view`: web-vitals'
/// `LayoutShiftManager` session windows and `attributeCLS`. A soft navigation's route uses it
/// for the shifts after the route began.
pub(crate) fn of_shifts<'a>(
    shifts: impl Iterator<Item = &'a LayoutShift>,
    view: &PageView<'_>,
) -> Metric<ClsAttribution> {
    // LayoutShiftManager: "Only count layout shifts without recent user input."
    let shifts = shifts.filter(|s| !s.had_recent_input);
    let mut windows = SessionWindows::default();
    let mut value = 0.0;
    // The window CLS currently comes from, and every shift with its window.
    let mut best: Option<usize> = None;
    let mut joined: Vec<(usize, &LayoutShift)> = Vec::new();
    for shift in shifts {
        let window = windows.push(shift.start_time, shift.value);
        joined.push((window, shift));
        // onCLS `handleEntries`: "If the current session value is larger than the current
        // CLS value, update CLS and the entries contributing to it."
        if windows.value() > value {
            value = windows.value();
            best = Some(window);
        }
    }
    // web-vitals keeps a reference to the window's entry array, so shifts that joined the
    // window after its last increase are among the entries attribution looks at.
    let entries = joined
        .iter()
        .filter(|(w, _)| Some(*w) == best)
        .map(|(_, s)| *s);

    view.metric(
        MetricName::CLS,
        &THRESHOLDS,
        value,
        attribute(entries, view),
    )
}

/// `attributeCLS` in web-vitals `src/attribution/onCLS.ts`.
fn attribute<'a>(
    entries: impl Iterator<Item = &'a LayoutShift>,
    view: &PageView<'_>,
) -> ClsAttribution {
    // `entries.reduce((a, b) => (a.value > b.value ? a : b))`: a tie goes to the later one.
    let largest = entries.reduce(|a, b| if a.value > b.value { a } else { b });
    let Some(largest) = largest else {
        return ClsAttribution::default();
    };
    // `sources.find((s) => s.node?.nodeType === 1) || sources[0]`. The agent's selector is
    // non-empty exactly for element nodes (getSelector gives "" for any other node).
    let source = largest
        .sources
        .iter()
        .find(|s| s.selector.as_deref().is_some_and(|sel| !sel.is_empty()))
        .or_else(|| largest.sources.first());
    let Some(source) = source else {
        return ClsAttribution::default();
    };
    ClsAttribution {
        largest_shift_target: source.selector.clone(),
        largest_shift_time: Some(largest.start_time),
        largest_shift_value: Some(largest.value),
        largest_shift_source: Some(ShiftSource {
            previous_rect: source.previous_rect,
            current_rect: source.current_rect,
        }),
        load_state: Some(view.load_state(largest.start_time)),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::rating::Rating;
    use crate::testing::{NAV, log, log_supporting, paint};

    fn shift(start: f64, value: f64) -> String {
        shift_with(start, value, false, r#""div.ad""#)
    }

    fn shift_with(start: f64, value: f64, recent_input: bool, selector: &str) -> String {
        let rect =
            r#"{"x":0,"y":0,"width":10,"height":10,"top":0,"right":10,"bottom":10,"left":0}"#;
        format!(
            r#"{{"entryType":"layout-shift","startTime":{start},"value":{value},
                "hadRecentInput":{recent_input},
                "sources":[{{"previousRect":{rect},"currentRect":{rect},"selector":{selector}}}]}}"#
        )
    }

    fn cls_of(records: &[String]) -> Option<Metric<ClsAttribution>> {
        let log = log(&records.join(","));
        cls(&log, &PageView::new(&log))
    }

    #[test]
    fn the_largest_of_two_windows_separated_by_a_one_second_gap() {
        let m = cls_of(&[
            NAV.into(),
            paint(100.0),
            shift(200.0, 0.05),
            shift(700.0, 0.05),
            // 1000 ms after the previous shift: a new window.
            shift(1700.0, 0.08),
            shift(2000.0, 0.04),
        ])
        .unwrap();
        assert!((m.value - 0.12).abs() < 1e-12, "{}", m.value);
        assert_eq!(m.rating, Rating::NeedsImprovement);
        assert_eq!(m.attribution.largest_shift_time, Some(1700.0));
        assert_eq!(m.attribution.largest_shift_value, Some(0.08));
        assert_eq!(
            m.attribution.largest_shift_target.as_deref(),
            Some("div.ad")
        );
        // NAV: domContentLoadedEventStart 600, domComplete 1000.
        assert_eq!(m.attribution.load_state, Some(LoadState::Complete));
    }

    #[test]
    fn a_window_is_capped_at_five_seconds() {
        // Shifts every 900 ms: the window from 1000 holds six (1000..=5500), the seventh
        // opens a new one.
        let mut records = vec![NAV.to_owned(), paint(100.0)];
        records.extend((0..8).map(|i| shift(1000.0 + f64::from(i) * 900.0, 0.1)));
        let m = cls_of(&records).unwrap();
        assert!((m.value - 0.6).abs() < 1e-9, "{}", m.value);
        // Ties go to the later shift, as web-vitals' reduce does.
        assert_eq!(m.attribution.largest_shift_time, Some(5500.0));
    }

    #[test]
    fn shifts_after_recent_input_are_skipped_and_do_not_break_a_window() {
        let m = cls_of(&[
            paint(100.0),
            shift(200.0, 0.05),
            shift_with(900.0, 0.5, true, "null"),
            shift(1500.0, 0.05),
        ])
        .unwrap();
        // 1500 is 1300 ms after the last counted shift: two windows of 0.05.
        assert_eq!(m.value, 0.05);
        assert_eq!(m.attribution.largest_shift_time, Some(200.0));
    }

    #[test]
    fn the_first_element_source_is_the_target_else_the_first_source() {
        let rect = r#"{"x":1,"y":2,"width":3,"height":4,"top":2,"right":4,"bottom":6,"left":1}"#;
        let other = r#"{"x":0,"y":0,"width":0,"height":0,"top":0,"right":0,"bottom":0,"left":0}"#;
        let two_sources = |first: &str, second: &str| {
            format!(
                r#"{{"entryType":"layout-shift","startTime":300,"value":0.2,"hadRecentInput":false,
                    "sources":[{{"previousRect":{other},"currentRect":{other},"selector":{first}}},
                               {{"previousRect":{rect},"currentRect":{rect},"selector":{second}}}]}}"#
            )
        };
        let m = cls_of(&[paint(100.0), two_sources(r#""""#, r#""p.lead""#)]).unwrap();
        assert_eq!(
            m.attribution.largest_shift_target.as_deref(),
            Some("p.lead")
        );
        assert_eq!(
            m.attribution.largest_shift_source.map(|s| s.current_rect.x),
            Some(1.0)
        );
        // No node at all: the first source, and no target.
        let m = cls_of(&[paint(100.0), two_sources("null", "null")]).unwrap();
        assert_eq!(m.attribution.largest_shift_target, None);
        assert_eq!(
            m.attribution.largest_shift_source.map(|s| s.current_rect.x),
            Some(0.0)
        );
        // Only a text node (selector "") and a removed node: the first source, a text node.
        let m = cls_of(&[paint(100.0), two_sources(r#""""#, "null")]).unwrap();
        assert_eq!(m.attribution.largest_shift_target.as_deref(), Some(""));
    }

    #[test]
    fn fcp_but_no_shift_is_zero_with_empty_attribution() {
        let m = cls_of(&[paint(100.0)]).unwrap();
        assert_eq!(m.value, 0.0);
        assert_eq!(serde_json::to_string(&m.attribution).unwrap(), "{}");
    }

    #[test]
    fn no_fcp_means_no_cls_but_shifts_before_fcp_count() {
        assert!(cls_of(&[shift(200.0, 0.3)]).is_none());
        let m = cls_of(&[shift(50.0, 0.3), paint(100.0)]).unwrap();
        assert_eq!(m.value, 0.3);
    }

    #[test]
    fn unsupported_layout_shift_means_no_cls_rather_than_zero() {
        let log = log_supporting(
            &["paint", "navigation", "largest-contentful-paint"],
            &paint(100.0),
        );
        assert!(cls(&log, &PageView::new(&log)).is_none());
    }

    #[test]
    fn shifts_after_a_bfcache_restore_belong_to_the_next_metric() {
        let m = cls_of(&[
            paint(100.0),
            shift(200.0, 0.05),
            r#"{"lifecycle":"pagehide","persisted":true,"time":3000}"#.into(),
            r#"{"lifecycle":"pageshow","persisted":true,"time":9000}"#.into(),
            shift(9100.0, 0.5),
        ])
        .unwrap();
        assert_eq!(m.value, 0.05);
    }

    proptest! {
        #[test]
        fn cls_never_decreases_as_shifts_are_appended_in_time_order(
            steps in prop::collection::vec((0.0..3000.0f64, 0.0..1.0f64, any::<bool>()), 0..40)
        ) {
            let mut records = vec![paint(10.0)];
            let mut t = 20.0;
            let mut previous = 0.0;
            for (gap, value, recent_input) in steps {
                t += gap;
                records.push(shift_with(t, value, recent_input, "null"));
                let m = cls_of(&records).unwrap();
                prop_assert!(m.value >= previous, "{} after {}", m.value, previous);
                previous = m.value;
            }
        }
    }
}
