//! Long animation frames and their worst scripts, from `long-animation-frame` entries (Long
//! Animation Frames API, <https://w3c.github.io/long-animation-frames/>; Chromium).
//!
//! Frames are counted with their `duration` and `blockingDuration` (the spec's "time over
//! 50 ms in the frame's longest tasks and rendering", the LoAF counterpart of TBT). Scripts
//! are grouped by `sourceURL`, as DevTools' and web-vitals' script attribution name them; a
//! script whose source the browser did not expose (`sourceURL` empty, e.g. an inline event
//! handler attribute) is grouped under `""`. The report keeps the [`TOP_SCRIPTS`] groups with
//! the largest total duration.
//!
//! The summary is absent where the browser does not support `long-animation-frame`:
//! unsupported, never zero. Frames from after a restore that ended the page view
//! ([`PageView::restore_time`]) belong to the next view and are left out, as in [`crate::inp`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::log::{Entry, EntryLog, LoafScript, Record};
use crate::page::PageView;

/// How many script sources the summary lists: enough to name the culprits of a page, few
/// enough for a popup (the issue asks for the worst 10).
pub const TOP_SCRIPTS: usize = 10;

/// The entry type this summary is built from.
const ENTRY_TYPE: &str = "long-animation-frame";

/// What the page view's long animation frames cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LongAnimationFrames {
    /// How many long animation frames the page view had.
    pub count: usize,
    /// Their summed `duration`, ms.
    pub total_duration: f64,
    /// Their summed `blockingDuration`, ms.
    pub total_blocking_duration: f64,
    /// The script sources with the most script time, longest first (ties by URL).
    pub worst_scripts: Vec<ScriptSource>,
}

/// The scripts of one source URL across all long animation frames.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScriptSource {
    /// `sourceURL`; empty when the browser did not expose it.
    #[serde(rename = "sourceURL")]
    pub source_url: String,
    /// Summed script `duration`, ms.
    pub total_duration: f64,
    /// How many script entries it had.
    pub count: usize,
    /// The `invoker` of its longest script (the first of equal ones).
    pub worst_invoker: String,
    /// That script's `invokerType`.
    pub worst_invoker_type: String,
    /// That script's `duration`, ms.
    pub worst_duration: f64,
}

/// The long-animation-frame summary, or `None` where the entry type is unsupported.
pub fn long_animation_frames(log: &EntryLog, view: &PageView<'_>) -> Option<LongAnimationFrames> {
    if !view.supports(ENTRY_TYPE) {
        return None;
    }
    let mut count = 0;
    let mut total_duration = 0.0;
    let mut total_blocking_duration = 0.0;
    let mut sources: BTreeMap<&str, ScriptSource> = BTreeMap::new();
    for record in &log.records {
        let Record::Entry(Entry::LongAnimationFrame(frame)) = record else {
            continue;
        };
        if frame.start_time >= view.restore_time {
            continue;
        }
        count += 1;
        total_duration += frame.duration;
        total_blocking_duration += frame.blocking_duration;
        for script in &frame.scripts {
            add(&mut sources, script);
        }
    }
    let mut worst_scripts: Vec<ScriptSource> = sources.into_values().collect();
    // BTreeMap order is by URL, and the sort is stable: equal totals stay in URL order.
    worst_scripts.sort_by(|a, b| b.total_duration.total_cmp(&a.total_duration));
    worst_scripts.truncate(TOP_SCRIPTS);
    Some(LongAnimationFrames {
        count,
        total_duration,
        total_blocking_duration,
        worst_scripts,
    })
}

fn add<'a>(sources: &mut BTreeMap<&'a str, ScriptSource>, script: &'a LoafScript) {
    let source = sources
        .entry(script.source_url.as_str())
        .or_insert_with(|| ScriptSource {
            source_url: script.source_url.clone(),
            total_duration: 0.0,
            count: 0,
            worst_invoker: script.invoker.clone(),
            worst_invoker_type: script.invoker_type.clone(),
            worst_duration: script.duration,
        });
    source.total_duration += script.duration;
    source.count += 1;
    if script.duration > source.worst_duration {
        source.worst_invoker.clone_from(&script.invoker);
        source.worst_invoker_type.clone_from(&script.invoker_type);
        source.worst_duration = script.duration;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{log, log_supporting};

    fn script(url: &str, invoker: &str, duration: f64) -> String {
        format!(
            r#"{{"name":"script","entryType":"script","startTime":0,"duration":{duration},
                "invoker":"{invoker}","invokerType":"event-listener",
                "forcedStyleAndLayoutDuration":0,"sourceURL":"{url}"}}"#
        )
    }

    fn frame(start: f64, duration: f64, blocking: f64, scripts: &[String]) -> String {
        format!(
            r#"{{"entryType":"long-animation-frame","startTime":{start},"duration":{duration},
                "blockingDuration":{blocking},"styleAndLayoutStart":0,
                "scripts":[{}]}}"#,
            scripts.join(",")
        )
    }

    fn summary(records: &[String]) -> Option<LongAnimationFrames> {
        let log = log(&records.join(","));
        long_animation_frames(&log, &PageView::new(&log))
    }

    #[test]
    fn sums_frames_and_groups_scripts_by_source() {
        let s = summary(&[
            frame(
                100.0,
                80.0,
                30.0,
                &[
                    script("http://x/a.js", "BUTTON#go.onclick", 40.0),
                    script("http://x/b.js", "TimerHandler:setTimeout", 20.0),
                ],
            ),
            frame(
                300.0,
                120.0,
                70.0,
                &[
                    script("http://x/a.js", "DIV.menu.onpointerdown", 60.0),
                    script("", "IMG.onload", 5.0),
                    script("http://x/c.js", "x", 20.0),
                ],
            ),
        ])
        .unwrap();
        assert_eq!(
            (s.count, s.total_duration, s.total_blocking_duration),
            (2, 200.0, 100.0)
        );
        let urls: Vec<&str> = s
            .worst_scripts
            .iter()
            .map(|w| w.source_url.as_str())
            .collect();
        // b.js and c.js tie at 20: URL order.
        assert_eq!(
            urls,
            ["http://x/a.js", "http://x/b.js", "http://x/c.js", ""]
        );
        let a = &s.worst_scripts[0];
        assert_eq!((a.total_duration, a.count), (100.0, 2));
        assert_eq!(
            (a.worst_invoker.as_str(), a.worst_duration),
            ("DIV.menu.onpointerdown", 60.0)
        );
        let json = serde_json::to_value(&s.worst_scripts[3]).unwrap();
        assert_eq!(json["sourceURL"], "");
        assert_eq!(json["worstInvokerType"], "event-listener");
    }

    #[test]
    fn keeps_the_ten_worst_sources() {
        let scripts: Vec<String> = (0..15)
            .map(|i| script(&format!("http://x/{i:02}.js"), "i", f64::from(i)))
            .collect();
        let s = summary(&[frame(0.0, 200.0, 150.0, &scripts)]).unwrap();
        assert_eq!(s.worst_scripts.len(), TOP_SCRIPTS);
        assert_eq!(s.worst_scripts[0].source_url, "http://x/14.js");
        assert_eq!(s.worst_scripts[9].source_url, "http://x/05.js");
    }

    #[test]
    fn absent_where_unsupported_and_stops_at_a_later_restore() {
        let records = frame(0.0, 60.0, 10.0, &[]);
        let firefox = log_supporting(&["paint", "resource"], &records);
        assert!(long_animation_frames(&firefox, &PageView::new(&firefox)).is_none());
        let s = summary(&[
            records,
            r#"{"lifecycle":"pageshow","persisted":true,"time":5000}"#.into(),
            frame(5100.0, 90.0, 40.0, &[]),
        ])
        .unwrap();
        assert_eq!((s.count, s.total_duration), (1, 60.0));
        // Supported, nothing happened: real zeros.
        assert_eq!(summary(&[]).map(|s| s.count), Some(0));
    }
}
