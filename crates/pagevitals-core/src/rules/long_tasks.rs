//! `long-tasks-blocking`: long main-thread work that delayed the page's load paints or an
//! interaction, named by script URL.
//!
//! Two findings, from Chromium's `longtask` and `long-animation-frame` entries (neither
//! exists in Firefox or Safari, where the rule says nothing: unsupported, not clean):
//! - **Load** (`long-tasks-blocking`): long tasks that started before LCP (or before FCP
//!   where there is no LCP). Their blocking time is Lighthouse's, the time beyond
//!   [`crate::long_tasks::BLOCKING_TIME_THRESHOLD_MS`] of each task (`tbt-utils.js`), here
//!   counted from navigation start to the paint; that is the saving (ms of main thread the
//!   paint waited behind). The scripts are those of the long animation frames that started
//!   before the paint, grouped by `sourceURL`.
//! - **Interaction** (`long-animation-frame-interaction`): the INP interaction, when INP is
//!   worse than good ([`crate::inp::THRESHOLDS`]), with the scripts of the long animation
//!   frames that overlap it by `sourceURL`. The saving is their script time, capped at what
//!   INP exceeds the good threshold by.
//!
//! A frame's script with an empty `sourceURL` (inline handlers) is listed as `(inline or
//! unknown)`.

use std::collections::BTreeMap;

use super::render_blocking::plural;
use super::{Context, Evidence, Finding, Fix, Saving, finite};
use crate::inp::THRESHOLDS as INP_THRESHOLDS;
use crate::log::{Entry, LongAnimationFrame, Record};
use crate::long_tasks::blocking_time;

/// The id of the load finding.
pub const ID: &str = "long-tasks-blocking";
/// The id of the interaction finding.
pub const INTERACTION_ID: &str = "long-animation-frame-interaction";

/// How many script URLs a finding lists (the worst first).
const TOP_SCRIPTS: usize = crate::long_animation_frames::TOP_SCRIPTS;

const FIX_LOAD: Fix = Fix {
    action: "Defer the scripts the first screen does not need, and split long start-up work into chunks that yield.",
    how: "Long tasks before the largest paint kept the main thread from \
    rendering. Defer scripts that are not needed for the first screen (`defer`, dynamic \
    `import()` after load), split long start-up work into chunks that yield \
    (`scheduler.yield()` or `setTimeout`), and move heavy computation off the main thread \
    (Web Workers). The scripts listed ran in the long frames before the paint.",
};
const FIX_INTERACTION: Fix = Fix {
    action: "Keep event handlers short: update the screen first, and yield before the rest of the work.",
    how: "Scripts running in the frames around the slowest interaction \
    delayed its next paint. Keep event handlers short: do the visible update first and yield \
    before the rest (`scheduler.yield()`, `requestAnimationFrame` + `setTimeout`), debounce \
    work triggered on every input, and move third-party or analytics work off the critical \
    interaction path.",
};

/// The load and interaction findings.
pub fn check(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(load(cx));
    out.extend(interaction(cx));
    out
}

fn frames<'a>(cx: &Context<'a>) -> impl Iterator<Item = &'a LongAnimationFrame> {
    let restore = cx.view.restore_time;
    cx.log.records.iter().filter_map(move |r| match r {
        Record::Entry(Entry::LongAnimationFrame(f)) if f.start_time < restore => Some(f.as_ref()),
        _ => None,
    })
}

/// Script time by `sourceURL` over `frames`, longest first (ties by URL).
fn scripts<'a>(frames: impl Iterator<Item = &'a LongAnimationFrame>) -> Vec<(String, f64)> {
    let mut by_url: BTreeMap<&str, f64> = BTreeMap::new();
    for frame in frames {
        for s in &frame.scripts {
            *by_url.entry(s.source_url.as_str()).or_insert(0.0) += finite(s.duration);
        }
    }
    let mut v: Vec<(String, f64)> = by_url.into_iter().map(|(u, d)| (u.to_owned(), d)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.truncate(TOP_SCRIPTS);
    v
}

fn script_evidence(scripts: Vec<(String, f64)>) -> impl Iterator<Item = Evidence> {
    scripts.into_iter().map(|(url, ms)| {
        let e = Evidence::new("script time in long animation frames").ms(ms);
        if url.is_empty() {
            e.detail("(inline or unknown)")
        } else {
            e.url(url)
        }
    })
}

fn load(cx: &Context<'_>) -> Option<Finding> {
    cx.report.long_tasks.as_ref()?;
    let (paint, paint_name) = match (cx.lcp_time(), cx.fcp_time()) {
        (Some(t), _) => (t, "LCP"),
        (None, Some(t)) => (t, "FCP"),
        (None, None) => return None,
    };
    let mut count = 0;
    let mut blocking = 0.0;
    let mut longest: f64 = 0.0;
    for r in &cx.log.records {
        if let Record::Entry(Entry::LongTask(t)) = r {
            if t.start_time < paint && t.start_time < cx.view.restore_time {
                let b = blocking_time(t.start_time, t.duration, f64::NEG_INFINITY, paint);
                if b > 0.0 {
                    count += 1;
                    blocking += b;
                    longest = longest.max(t.duration);
                }
            }
        }
    }
    if count == 0 {
        return None;
    }
    let mut evidence = vec![
        Evidence::new(format!("long tasks before {paint_name}"))
            .ms(blocking)
            .detail(format!(
                "{count} task{}; blocking time beyond 50 ms each",
                plural(count)
            )),
        Evidence::new("longest task").ms(longest),
    ];
    evidence.extend(script_evidence(scripts(
        frames(cx).filter(|f| f.start_time < paint),
    )));
    Some(Finding::new(
        ID,
        format!(
            "{count} long task{} blocked the main thread before {paint_name}",
            plural(count)
        ),
        evidence,
        Saving {
            ms: Some(finite(blocking)),
            bytes: None,
            method: format!(
                "{paint_name}: blocking time (each long task's time beyond 50 ms, Lighthouse's \
                 TBT rule) from navigation start to {paint_name}"
            ),
        },
        &FIX_LOAD,
    ))
}

fn interaction(cx: &Context<'_>) -> Option<Finding> {
    let inp = cx.report.metrics.inp.as_ref()?;
    if inp.value.is_nan() || inp.value <= INP_THRESHOLDS.good {
        return None;
    }
    let a = &inp.attribution;
    let (start, end) = (
        a.interaction_time,
        a.next_paint_time.max(a.interaction_time),
    );
    let overlapping: Vec<&LongAnimationFrame> = frames(cx)
        .filter(|f| f.start_time <= end && f.start_time + f.duration >= start)
        .collect();
    let scripts = scripts(overlapping.into_iter());
    let total: f64 = scripts.iter().map(|s| s.1).sum();
    if scripts.is_empty() || total <= 0.0 {
        return None;
    }
    let mut evidence = vec![
        Evidence::new("INP")
            .ms(inp.value)
            .detail(a.interaction_target.clone().unwrap_or_default()),
    ];
    evidence.extend(script_evidence(scripts));
    Some(Finding::new(
        INTERACTION_ID,
        format!(
            "Scripts delayed the slowest interaction (INP {:.0} ms)",
            inp.value
        ),
        evidence,
        Saving {
            ms: Some(finite(total.min(inp.value - INP_THRESHOLDS.good))),
            bytes: None,
            method: "INP: script time in the long animation frames overlapping the interaction, \
                     capped at what INP exceeds the good threshold (200 ms) by"
                .into(),
        },
        &FIX_INTERACTION,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;
    use crate::testing::{NAV, paint};

    fn task(start: f64, duration: f64) -> String {
        format!(
            r#"{{"entryType":"longtask","startTime":{start},"duration":{duration},"name":"self"}}"#
        )
    }

    fn frame(start: f64, duration: f64, url: &str, script: f64) -> String {
        format!(
            r#"{{"entryType":"long-animation-frame","startTime":{start},"duration":{duration},
                "styleAndLayoutStart":{start},"scripts":[{{"startTime":{start},
                "duration":{script},"forcedStyleAndLayoutDuration":0,"sourceURL":"{url}"}}]}}"#
        )
    }

    fn lcp(at: f64) -> String {
        format!(
            r#"{{"entryType":"largest-contentful-paint","startTime":{at},"url":"","selector":"h1"}}"#
        )
    }

    #[test]
    fn long_tasks_before_lcp_are_flagged_by_script_and_later_or_short_ones_are_not() {
        let trigger = [
            NAV.into(),
            paint(300.0),
            task(200.0, 250.0),
            frame(200.0, 260.0, "http://x/app.js", 240.0),
            lcp(1000.0),
        ]
        .join(",");
        let f = findings(&trigger, ID);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].saving.ms, Some(200.0));
        assert_eq!(f[0].evidence[2].url.as_deref(), Some("http://x/app.js"));
        let clean = [
            NAV.into(),
            paint(300.0),
            task(200.0, 45.0),   // not long
            task(1500.0, 400.0), // after LCP
            lcp(1000.0),
        ]
        .join(",");
        assert!(findings(&clean, ID).is_empty());
    }

    #[test]
    fn a_slow_interaction_names_the_scripts_of_its_frames() {
        let event = |duration: f64| {
            format!(
                r#"{{"entryType":"event","name":"click","startTime":2000,"duration":{duration},
                    "processingStart":2010,"processingEnd":2300,"interactionId":7}}"#
            )
        };
        let records = |duration: f64| {
            [
                NAV.into(),
                paint(300.0),
                event(duration),
                frame(1990.0, 330.0, "https://cdn.other/widget.js", 280.0),
            ]
            .join(",")
        };
        let f = findings(&records(320.0), INTERACTION_ID);
        assert_eq!(f.len(), 1);
        // Script time 280, INP 320 - 200 = 120: the cap.
        assert_eq!(f[0].saving.ms, Some(120.0));
        assert_eq!(
            f[0].evidence[1].url.as_deref(),
            Some("https://cdn.other/widget.js")
        );
        assert!(findings(&records(120.0), INTERACTION_ID).is_empty());
    }
}
