//! Long tasks and Total Blocking Time, from `longtask` entries (Long Tasks API; Chromium).
//!
//! TBT follows Lighthouse (`core/computed/metrics/tbt-utils.js`,
//! <https://github.com/GoogleChrome/lighthouse/blob/main/core/computed/metrics/tbt-utils.js>,
//! behind the `total-blocking-time` audit, `core/audits/metrics/total-blocking-time.js`): the
//! sum over tasks of their time beyond 50 ms, counted between a start and an end time.
//! Lighthouse's navigation mode ends at TTI, which a log cannot compute; its timespan mode
//! ends at the trace's end. Here the window is:
//! - start: FCP, as an absolute time (the `first-contentful-paint` entry, no earlier than
//!   activation, as [`crate::fcp`] measures it; for a page view restored from the
//!   back/forward cache, its `restorepaint` record). Without FCP there is no TBT, as
//!   Lighthouse fails TBT with `NO_FCP`; count and durations are still reported.
//! - end: the end of the log (`now`), or the restore that ended the page view when earlier
//!   ([`PageView::restore_time`]).
//!
//! A task that straddles FCP (or the end) is clipped to the window first, and what remains
//! counts only beyond 50 ms: a 150 ms task of which 100 ms fall after FCP adds 50 ms. This is
//! `calculateTbtImpactForEvent`: "So if we have a 150ms task [0, 150] and FCP happens midway
//! at 50ms, we first clip the task into [50, 150], and then calculate the Blocking Region to
//! be [100, 150]."
//!
//! The summary is absent where the browser does not support `longtask` (Firefox, Safari):
//! unsupported, never zero.

use serde::{Deserialize, Serialize};

use crate::log::{Entry, EntryLog, Lifecycle, LongTask, Record};
use crate::page::PageView;

/// Lighthouse `BLOCKING_TIME_THRESHOLD` (tbt-utils.js): a task blocks for its time beyond
/// 50 ms. The Long Tasks API reports tasks over the same 50 ms
/// (<https://w3c.github.io/longtasks/#sec-intro>).
pub const BLOCKING_TIME_THRESHOLD_MS: f64 = 50.0;

/// The entry type this summary is built from.
const ENTRY_TYPE: &str = "longtask";

/// The paint entry name that marks FCP (Paint Timing spec).
const FCP_ENTRY_NAME: &str = "first-contentful-paint";

/// What the page view's long tasks cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LongTasks {
    /// How many long tasks the page view had.
    pub count: usize,
    /// Their summed duration, ms.
    pub total_duration: f64,
    /// The longest one, ms (0 without tasks).
    pub longest_duration: f64,
    /// Lighthouse's Total Blocking Time between FCP and the end of the log; absent without
    /// FCP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_blocking_time: Option<f64>,
    /// Where TBT was counted from: FCP, ms from time origin; absent without FCP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocking_window_start: Option<f64>,
    /// Where TBT was counted to, ms from time origin.
    pub blocking_window_end: f64,
}

/// The long-task summary, or `None` where `longtask` is unsupported.
pub fn long_tasks(log: &EntryLog, view: &PageView<'_>) -> Option<LongTasks> {
    if !view.supports(ENTRY_TYPE) {
        return None;
    }
    let tasks: Vec<&LongTask> = log
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Entry(Entry::LongTask(t)) if t.start_time < view.restore_time => Some(t),
            _ => None,
        })
        .collect();
    let start = fcp_time(log, view);
    let end = log.now.min(view.restore_time);
    Some(LongTasks {
        count: tasks.len(),
        total_duration: tasks.iter().map(|t| t.duration).sum(),
        longest_duration: tasks.iter().map(|t| t.duration).fold(0.0, f64::max),
        total_blocking_time: start.map(|start| {
            tasks
                .iter()
                .map(|t| blocking_time(t.start_time, t.duration, start, end))
                .sum()
        }),
        blocking_window_start: start,
        blocking_window_end: end,
    })
}

/// Lighthouse `calculateTbtImpactForEvent` for a top-level task: its time within
/// `[start, end]` beyond the threshold.
pub fn blocking_time(task_start: f64, duration: f64, start: f64, end: f64) -> f64 {
    let task_end = task_start + duration;
    if duration < BLOCKING_TIME_THRESHOLD_MS || task_end < start || task_start > end {
        return 0.0;
    }
    let clipped = task_end.min(end) - task_start.max(start);
    if clipped < BLOCKING_TIME_THRESHOLD_MS {
        0.0
    } else {
        clipped - BLOCKING_TIME_THRESHOLD_MS
    }
}

/// FCP as an absolute time: when the first contentful paint happened, no earlier than
/// activation; for a restored page view, its `restorepaint`.
fn fcp_time(log: &EntryLog, view: &PageView<'_>) -> Option<f64> {
    if let Some(at) = view.restored_at {
        return log.records.iter().find_map(|r| match r {
            Record::Lifecycle(Lifecycle::RestorePaint { time }) if *time >= at => Some(*time),
            _ => None,
        });
    }
    log.records.iter().find_map(|r| match r {
        Record::Entry(Entry::Paint(p)) if p.name == FCP_ENTRY_NAME => {
            Some(p.start_time.max(view.activation_start))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::{NAV, log, log_supporting, log_with_page, paint};

    fn task(start: f64, duration: f64) -> String {
        format!(
            r#"{{"entryType":"longtask","name":"self","startTime":{start},"duration":{duration},
                "attribution":[]}}"#
        )
    }

    fn summary(records: &[String]) -> Option<LongTasks> {
        let log = log(&records.join(","));
        long_tasks(&log, &PageView::new(&log))
    }

    #[test]
    fn counts_tasks_and_sums_blocking_time_after_fcp() {
        let s = summary(&[
            NAV.into(),
            task(50.0, 120.0),
            paint(300.0),
            task(400.0, 80.0),
            task(600.0, 50.0),
            task(900.0, 251.0),
        ])
        .unwrap();
        assert_eq!(s.count, 4);
        assert_eq!(s.total_duration, 501.0);
        assert_eq!(s.longest_duration, 251.0);
        // The first task ended before FCP; a 50 ms task blocks for 0.
        assert_eq!(s.total_blocking_time, Some(30.0 + 0.0 + 201.0));
        assert_eq!(s.blocking_window_start, Some(300.0));
        assert_eq!(s.blocking_window_end, 60000.0);
    }

    #[test]
    fn a_task_straddling_fcp_is_clipped_before_the_threshold_applies() {
        // Lighthouse's own example: [0, 150] with FCP at 50 blocks for [100, 150].
        assert_eq!(blocking_time(0.0, 150.0, 50.0, 1000.0), 50.0);
        // 120 ms task, 60 ms after FCP: 10 ms.
        assert_eq!(blocking_time(0.0, 120.0, 60.0, 1000.0), 10.0);
        // Only 40 ms after FCP: nothing, though the task is long.
        assert_eq!(blocking_time(0.0, 120.0, 80.0, 1000.0), 0.0);
        // Clipped at the end the same way.
        assert_eq!(blocking_time(900.0, 200.0, 0.0, 1000.0), 50.0);
        let s = summary(&[paint(50.0), task(0.0, 150.0)]).unwrap();
        assert_eq!(s.total_blocking_time, Some(50.0));
    }

    #[test]
    fn without_fcp_there_is_no_tbt_but_tasks_are_counted() {
        let s = summary(&[NAV.into(), task(100.0, 90.0)]).unwrap();
        assert_eq!((s.count, s.total_duration), (1, 90.0));
        assert_eq!(s.total_blocking_time, None);
        assert_eq!(s.blocking_window_start, None);
    }

    #[test]
    fn absent_where_longtask_is_unsupported() {
        let log = log_supporting(&["paint", "navigation"], &task(100.0, 90.0));
        assert!(long_tasks(&log, &PageView::new(&log)).is_none());
        // Supported with no tasks: real zeros.
        let s = summary(&[paint(100.0)]).unwrap();
        assert_eq!((s.count, s.total_blocking_time), (0, Some(0.0)));
    }

    #[test]
    fn a_later_restore_ends_the_page_view() {
        let s = summary(&[
            paint(100.0),
            task(200.0, 100.0),
            r#"{"lifecycle":"pageshow","persisted":true,"time":5000}"#.into(),
            task(5100.0, 300.0),
        ])
        .unwrap();
        assert_eq!((s.count, s.total_blocking_time), (1, Some(50.0)));
        assert_eq!(s.blocking_window_end, 5000.0);
    }

    #[test]
    fn a_restored_page_view_counts_from_its_restore_paint_and_prerender_from_activation() {
        let records = [
            r#"{"lifecycle":"pageshow","persisted":true,"time":9000}"#.into(),
            task(9000.0, 100.0),
            r#"{"lifecycle":"restorepaint","time":9030}"#.into(),
        ]
        .join(",");
        let log = log_with_page(
            crate::report::ENTRY_TYPES_OF_INTEREST,
            r#","restoredAt":9000"#,
            &records,
            "",
        );
        let s = long_tasks(&log, &PageView::new(&log)).unwrap();
        assert_eq!(s.blocking_window_start, Some(9030.0));
        assert_eq!(s.total_blocking_time, Some(20.0));

        let nav = NAV.replace(
            r#""type":"navigate""#,
            r#""type":"navigate","activationStart":1000"#,
        );
        let s = summary(&[nav, paint(400.0), task(900.0, 200.0)]).unwrap();
        assert_eq!(s.blocking_window_start, Some(1000.0));
        assert_eq!(s.total_blocking_time, Some(50.0));
    }

    proptest! {
        #[test]
        fn blocking_time_is_bounded_by_the_task(
            task_start in -1e4..1e4f64,
            duration in 0.0..1e4f64,
            start in -1e4..1e4f64,
            len in 0.0..2e4f64,
        ) {
            let b = blocking_time(task_start, duration, start, start + len);
            prop_assert!(b >= 0.0);
            prop_assert!(b <= (duration - BLOCKING_TIME_THRESHOLD_MS).max(0.0) + 1e-9);
        }
    }
}
