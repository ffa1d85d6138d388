//! Compaction: a page view's log kept within a fixed size, whatever the page does.
//!
//! The background appends every batch the agent sends to the page view's log and rebuilds
//! the report from it, so on a huge or hostile page (100k resources, a layout shift every
//! frame, thousands of slow interactions) the log would grow without end. [`compact`] bounds
//! it, in two steps:
//!
//! 1. **Layout shifts, losslessly.** Once a log holds more than
//!    [`CompactLimits::window_shifts_after`] shifts, only two session windows can still
//!    matter to CLS: the one CLS comes from and the last one (still open, so it may yet
//!    overtake). A closed window that is not the largest never will be, and removing it
//!    changes no later window ([`SessionWindows`] opens a window for a shift that is too late
//!    for the window before; with windows in between removed, the shift is later still). In
//!    the windows kept, only each window's largest shift keeps its `sources` (CLS attribution
//!    names the largest shift of the largest window; a smaller shift can never become the
//!    largest of its window). Shifts with recent input count for nothing and go. CLS and its
//!    attribution are the same before and after, which the tests check. The two windows kept
//!    are exempt from the caps below (cutting the open one would make CLS wrong); they span at
//!    most 5 s each, so they hold at most ten seconds of frames: 600 shifts at 60 Hz, 2,400 at
//!    240 Hz, about 8,000 in a headless browser running frames unthrottled (about 120 bytes
//!    each). A log with soft navigations is left whole here: each route has windows of its
//!    own.
//! 2. **Every kind, by count and bytes.** Each record kind keeps at most
//!    [`CompactLimits::caps`] records and bytes of JSON, the earliest first (the document's
//!    own timing, the first loads and inputs are what the metrics read; for LCP the
//!    candidates before the first input). A record bigger than
//!    [`CompactLimits::max_record_bytes`] is dropped outright (a URL of megabytes), except the
//!    navigation entry. What goes beyond is dropped and counted in the log's `dropped` (kept
//!    across compactions), which the report repeats, so a summary that covers only part of
//!    the page says so.
//!
//! The bound: a compacted log's records take at most [`CompactLimits::max_bytes`] of JSON, plus
//! the two windows of step 1.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Entry, LayoutShift, LogError, Record, from_str, parse_log};
use crate::page::PageView;
use crate::session_window::SessionWindows;

/// How far a log may grow.
#[derive(Debug, Clone)]
pub struct CompactLimits {
    /// Per record kind (entry type, `lifecycle`, `response`): at most this many records and
    /// this many bytes of JSON. A kind not listed has [`CompactLimits::other`].
    pub caps: &'static [(&'static str, usize, usize)],
    /// Count and bytes for any kind not in `caps` (entry types this version does not model).
    pub other: (usize, usize),
    /// Layout shifts are reduced to the windows that matter once there are more than this.
    pub window_shifts_after: usize,
    /// A single record longer than this is dropped (the navigation entry excepted).
    pub max_record_bytes: usize,
}

const KB: usize = 1024;

impl CompactLimits {
    /// The limits the extension's background applies: about 4.4 MB of records at most.
    pub const DEFAULT: CompactLimits = CompactLimits {
        caps: &[
            ("navigation", 4, 128 * KB),
            ("paint", 8, 16 * KB),
            ("visibility-state", 200, 64 * KB),
            ("largest-contentful-paint", 500, 256 * KB),
            ("layout-shift", 5_000, 640 * KB),
            ("event", 3_000, 768 * KB),
            ("first-input", 4, 16 * KB),
            ("long-animation-frame", 1_000, 512 * KB),
            ("longtask", 2_000, 256 * KB),
            ("resource", 2_000, 896 * KB),
            ("response", 2_000, 512 * KB),
            ("soft-navigation", 500, 128 * KB),
            ("interaction-contentful-paint", 2_000, 256 * KB),
            ("lifecycle", 2_000, 128 * KB),
        ],
        other: (200, 128 * KB),
        window_shifts_after: 1_000,
        max_record_bytes: 64 * KB,
    };

    /// The count and byte caps of `kind`.
    pub fn cap(&self, kind: &str) -> (usize, usize) {
        self.caps
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map_or(self.other, |&(_, n, bytes)| (n, bytes))
    }

    /// The most bytes of records a compacted log holds when every record is of a listed
    /// kind (the agent records no other): every kind at its byte cap.
    pub fn max_bytes(&self) -> usize {
        self.caps.iter().map(|&(_, _, bytes)| bytes).sum()
    }
}

/// A compacted log.
#[derive(Debug, Clone, PartialEq)]
pub struct Compacted {
    /// The log's JSON text, with the records kept and the `dropped` counts updated.
    pub log: String,
    /// What this compaction dropped, by kind.
    pub dropped: BTreeMap<String, u64>,
}

/// The parts of a log compaction rewrites, read without interpreting them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog<'a> {
    format: &'a str,
    version: u32,
    #[serde(borrow)]
    page: &'a RawValue,
    #[serde(default)]
    now: f64,
    #[serde(borrow, default)]
    interaction_count: Option<&'a RawValue>,
    #[serde(borrow, default)]
    agent_cost: Option<&'a RawValue>,
    #[serde(default)]
    dropped: BTreeMap<String, u64>,
    #[serde(borrow)]
    records: Vec<&'a RawValue>,
}

/// What becomes of one record.
enum Fate {
    Keep,
    /// Kept, as this text (a layout shift without its sources).
    Rewrite(String),
    Drop,
}

/// Compacts `text` within `limits`; `None` when nothing needs to go (the log stays as it is).
/// A log that cannot be read is the same error [`parse_log`] gives.
pub fn compact(text: &str, limits: &CompactLimits) -> Result<Option<Compacted>, LogError> {
    let log = parse_log(text)?;
    let raw: RawLog<'_> = from_str(text, None)?;
    if raw.records.len() != log.records.len() {
        // Cannot happen: both read the same array. Leave such a log alone.
        return Ok(None);
    }
    let mut fates: Vec<Fate> = log.records.iter().map(|_| Fate::Keep).collect();
    // The shifts of the windows CLS can still come from are never capped: cutting the open
    // window would make CLS wrong.
    let mut exempt = vec![false; fates.len()];
    window_layout_shifts(&log, limits, &mut fates, &mut exempt);

    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, record) in log.records.iter().enumerate() {
        let kind = kind(record);
        if exempt[i] {
            continue;
        }
        let bytes = match &fates[i] {
            Fate::Drop => continue,
            Fate::Keep => raw.records[i].get().len(),
            Fate::Rewrite(text) => text.len(),
        };
        let (max_n, max_bytes) = limits.cap(kind);
        let (n, total) = seen.entry(kind).or_default();
        let oversized = bytes > limits.max_record_bytes && kind != "navigation";
        if oversized || *n >= max_n || *total + bytes > max_bytes {
            fates[i] = Fate::Drop;
        } else {
            *n += 1;
            *total += bytes;
        }
    }

    let mut dropped = BTreeMap::<String, u64>::new();
    for (record, fate) in log.records.iter().zip(&fates) {
        if matches!(fate, Fate::Drop) {
            *dropped.entry(kind(record).to_owned()).or_default() += 1;
        }
    }
    let rewritten = fates.iter().any(|f| matches!(f, Fate::Rewrite(_)));
    if dropped.is_empty() && !rewritten {
        return Ok(None);
    }

    let mut all_dropped = raw.dropped.clone();
    for (kind, n) in &dropped {
        *all_dropped.entry(kind.clone()).or_default() += n;
    }
    let mut out = String::with_capacity(text.len() / 2);
    out.push_str(&format!(
        r#"{{"format":{},"version":{},"page":{},"now":{}"#,
        json(raw.format),
        raw.version,
        raw.page.get(),
        json(&raw.now),
    ));
    if let Some(count) = raw.interaction_count {
        out.push_str(&format!(r#","interactionCount":{}"#, count.get()));
    }
    if let Some(cost) = raw.agent_cost {
        out.push_str(&format!(r#","agentCost":{}"#, cost.get()));
    }
    out.push_str(&format!(r#","dropped":{},"records":["#, json(&all_dropped)));
    let mut first = true;
    for (raw_record, fate) in raw.records.iter().zip(&fates) {
        let text = match fate {
            Fate::Drop => continue,
            Fate::Keep => raw_record.get(),
            Fate::Rewrite(text) => text,
        };
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(text);
    }
    out.push_str("]}");
    Ok(Some(Compacted { log: out, dropped }))
}

/// The kind a record is counted under: its entry type, `lifecycle` or `response`.
fn kind(record: &Record) -> &str {
    match record {
        Record::Entry(entry) => entry.entry_type(),
        Record::Lifecycle(_) => "lifecycle",
        Record::Response(_) => "response",
    }
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Strings, numbers and maps of them always serialise.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// Step 1 of the module docs: the shifts of windows that can no longer matter are dropped,
/// and the sources of every shift but each kept window's largest.
fn window_layout_shifts(
    log: &super::EntryLog,
    limits: &CompactLimits,
    fates: &mut [Fate],
    exempt: &mut [bool],
) {
    let shifts: Vec<(usize, &LayoutShift)> = log
        .records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Record::Entry(Entry::LayoutShift(s)) => Some((i, s)),
            _ => None,
        })
        .collect();
    let soft_navigations = log
        .records
        .iter()
        .any(|r| matches!(r, Record::Entry(Entry::SoftNavigation(_))));
    if shifts.len() <= limits.window_shifts_after || soft_navigations {
        return;
    }
    // As `cls::of_shifts` feeds them: before a restore that ended the page view, no recent
    // input. Shifts after such a restore are not CLS's and are left to the caps.
    let restore_time = PageView::new(log).restore_time;
    let mut windows = SessionWindows::default();
    let (mut best, mut best_value) = (None, 0.0);
    let mut joined: Vec<(usize, usize, &LayoutShift)> = Vec::new();
    for &(i, shift) in &shifts {
        if shift.start_time >= restore_time {
            continue;
        }
        if shift.had_recent_input {
            fates[i] = Fate::Drop;
            continue;
        }
        let window = windows.push(shift.start_time, shift.value);
        joined.push((i, window, shift));
        if windows.value() > best_value {
            best_value = windows.value();
            best = Some(window);
        }
    }
    let last = joined.last().map(|&(_, w, _)| w);
    // Each kept window's largest shift: `attributeCLS` reduces with `a.value > b.value ? a :
    // b`, so of equal values the later one is the largest.
    let mut largest: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    for &(i, window, shift) in &joined {
        if Some(window) != best && Some(window) != last {
            fates[i] = Fate::Drop;
            continue;
        }
        let slot = largest.entry(window).or_insert((i, shift.value));
        if slot.1.partial_cmp(&shift.value) != Some(Ordering::Greater) {
            *slot = (i, shift.value);
        }
    }
    for &(i, window, shift) in &joined {
        if matches!(fates[i], Fate::Drop) {
            continue;
        }
        if let Some(slot) = exempt.get_mut(i) {
            *slot = true;
        }
        let keeps_sources = largest.get(&window).is_some_and(|&(j, _)| j == i);
        if !keeps_sources && !shift.sources.is_empty() {
            let bare = LayoutShift {
                sources: Vec::new(),
                ..shift.clone()
            };
            let body = json(&bare);
            fates[i] = Fate::Rewrite(format!(r#"{{"entryType":"layout-shift",{}"#, &body[1..]));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::report::{ENTRY_TYPES_OF_INTEREST, analyze};
    use crate::testing::{NAV, paint};

    /// A Chromium log's text (every entry type supported) holding `records`.
    fn text(records: &[String]) -> String {
        let supported = serde_json::to_string(ENTRY_TYPES_OF_INTEREST).unwrap();
        format!(
            r#"{{"format":"pagevitals-entry-log","version":1,"now":600000,"interactionCount":3,
                "agentCost":{{"tasks":2,"totalMs":1.5,"maxTaskMs":1}},
                "page":{{"url":"http://x/","navigationId":"n1","initialVisibility":"visible",
                         "supportedEntryTypes":{supported}}},
                "records":[{}]}}"#,
            records.join(",")
        )
    }

    fn shift(start: f64, value: f64, recent_input: bool, selector: &str) -> String {
        let rect =
            r#"{"x":0,"y":0,"width":10,"height":10,"top":0,"right":10,"bottom":10,"left":0}"#;
        format!(
            r#"{{"entryType":"layout-shift","name":"","startTime":{start},"duration":0,
                "value":{value},"hadRecentInput":{recent_input},"lastInputTime":0,
                "sources":[{{"selector":"{selector}","previousRect":{rect},"currentRect":{rect}}}]}}"#
        )
    }

    fn resource(i: usize) -> String {
        format!(
            r#"{{"entryType":"resource","name":"http://x/r{i}.js","startTime":{i},"duration":1,
                "initiatorType":"script","fetchStart":{i},"requestStart":{i},"responseStart":{i},
                "responseEnd":{i},"transferSize":300,"encodedBodySize":100,"decodedBodySize":100}}"#
        )
    }

    fn start(records: Vec<String>) -> Vec<String> {
        let mut all = vec![NAV.to_owned(), paint(200.0)];
        all.extend(records);
        all
    }

    fn compacted(text: &str) -> Compacted {
        compact(text, &CompactLimits::DEFAULT)
            .unwrap()
            .expect("the log is compacted")
    }

    #[test]
    fn a_small_log_is_left_as_it_is() {
        let log = text(&start((0..50).map(resource).collect()));
        assert_eq!(compact(&log, &CompactLimits::DEFAULT).unwrap(), None);
    }

    #[test]
    fn resources_past_the_cap_are_dropped_counted_and_the_counts_add_up_across_compactions() {
        let first = compacted(&text(&start((0..2_500).map(resource).collect())));
        assert_eq!(first.dropped, BTreeMap::from([("resource".into(), 500)]));
        let log = parse_log(&first.log).unwrap();
        assert_eq!(log.dropped["resource"], 500);
        // What the metrics read is kept: the document's timing and the first paint.
        let report = analyze(&log);
        assert_eq!(report.metrics.ttfb.as_ref().unwrap().value, 100.0);
        assert_eq!(report.metrics.fcp.as_ref().unwrap().value, 200.0);
        assert_eq!(report.entry_counts["resource"], 2_000);
        assert_eq!(report.dropped["resource"], 500);
        assert_eq!(report.agent_cost.unwrap().max_task_ms, 1.0);
        assert_eq!(log.interaction_count, Some(3.0));

        // The next batch's records are appended to the compacted log, then compacted again.
        let mut value: serde_json::Value = serde_json::from_str(&first.log).unwrap();
        let more: Vec<serde_json::Value> = (2_500..2_800)
            .map(|i| serde_json::from_str(&resource(i)).unwrap())
            .collect();
        value["records"].as_array_mut().unwrap().extend(more);
        let second = compacted(&value.to_string());
        assert_eq!(second.dropped["resource"], 300);
        assert_eq!(parse_log(&second.log).unwrap().dropped["resource"], 800);
    }

    #[test]
    fn an_oversized_record_is_dropped_but_the_navigation_entry_never_is() {
        let long = "a".repeat(100 * KB);
        let nav = NAV.replace("http://x/", &format!("http://x/?{long}"));
        let huge = resource(1).replace("r1.js", &format!("r1.js?{long}"));
        let mut records = vec![nav, paint(200.0), huge];
        records.extend((2..10).map(resource));
        let out = compacted(&text(&records));
        assert_eq!(out.dropped, BTreeMap::from([("resource".into(), 1)]));
        let report = analyze(&parse_log(&out.log).unwrap());
        assert_eq!(report.metrics.ttfb.unwrap().value, 100.0);
    }

    #[test]
    fn a_flood_of_every_kind_compacts_to_within_the_bound() {
        let limits = CompactLimits::DEFAULT;
        let mut records = start(Vec::new());
        for i in 0..6_000 {
            let t = 1_000.0 + f64::from(i);
            records.push(resource(i as usize));
            records.push(format!(
                r#"{{"response":{{"url":"http://x/r{i}.js","status":200,"fromCache":false,
                    "type":"script","headers":{{"cache-control":"no-store"}}}}}}"#
            ));
            records.push(format!(
                r#"{{"entryType":"event","name":"click","startTime":{t},"duration":48,
                    "processingStart":{t},"processingEnd":{t},"interactionId":{},"selector":"b"}}"#,
                7 * (i + 1)
            ));
            records.push(format!(
                r#"{{"entryType":"longtask","name":"self","startTime":{t},"duration":60}}"#
            ));
            records.push(format!(
                r#"{{"entryType":"largest-contentful-paint","startTime":{t},"size":{i},
                    "url":"","selector":"h1"}}"#
            ));
            records.push(format!(
                r#"{{"lifecycle":"visibilitychange","time":{t},"state":"visible"}}"#
            ));
            records.push(shift(t * 2.0, 0.01, false, "p"));
        }
        let before = text(&records);
        let out = compacted(&before);
        let value: serde_json::Value = serde_json::from_str(&out.log).unwrap();
        let bytes: usize = value["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.to_string().len())
            .sum();
        assert!(
            bytes <= limits.max_bytes(),
            "{bytes} bytes of records, bound {}",
            limits.max_bytes()
        );
        assert!(
            out.log.len() < before.len() / 3,
            "{} of {}",
            out.log.len(),
            before.len()
        );
        for (kind, _, _) in limits.caps {
            let (max_n, _) = limits.cap(kind);
            let n = parse_log(&out.log)
                .unwrap()
                .records
                .iter()
                .filter(|r| super::kind(r) == *kind)
                .count();
            assert!(n <= max_n, "{kind}: {n} records, cap {max_n}");
        }
    }

    /// The CLS metric (value and attribution) of a log's text.
    fn cls(text: &str) -> serde_json::Value {
        let report = analyze(&parse_log(text).unwrap());
        serde_json::to_value(report.metrics.cls).unwrap()
    }

    #[test]
    fn windowing_keeps_cls_and_its_attribution_and_drops_the_rest() {
        // 3,000 shifts: bursts of shifts 100 ms apart, 2 s between bursts, one burst larger
        // than the rest; the largest shift of that burst is the attribution.
        let mut shifts = Vec::new();
        for burst in 0..100 {
            for k in 0..30 {
                let t = 1_000.0 + f64::from(burst) * 5_000.0 + f64::from(k) * 100.0;
                let value = if burst == 40 { 0.05 } else { 0.001 } + f64::from(k) * 1e-5;
                shifts.push(shift(t, value, k == 3, &format!("#b{burst}k{k}")));
            }
        }
        let before = text(&start(shifts));
        let out = compacted(&before);
        assert_eq!(cls(&out.log), cls(&before));
        assert_eq!(cls(&before)["attribution"]["largestShiftTarget"], "#b40k29");
        // Kept: the largest window and the last, less their recent-input shifts.
        let log = parse_log(&out.log).unwrap();
        assert_eq!(log.records.len(), 2 + 2 * 29);
        let with_sources = log
            .records
            .iter()
            .filter(|r| matches!(r, Record::Entry(Entry::LayoutShift(s)) if !s.sources.is_empty()))
            .count();
        assert_eq!(with_sources, 2);
    }

    #[test]
    fn compacting_batch_by_batch_at_800_frames_a_second_keeps_cls() {
        // One shift every 1.25 ms: a 5 s window holds 4,000 shifts, the two kept windows more
        // than the layout-shift cap. Every 1,000 shifts the log is compacted, as the
        // background does; the open window must never be cut.
        let shift_at = |i: u32| {
            let t = 1_000.0 + f64::from(i) * 1.25;
            // A little more each window, so the latest window keeps overtaking.
            shift(
                t,
                0.001 + f64::from(i / 4_000) * 1e-4,
                false,
                &format!("#s{i}"),
            )
        };
        let all: Vec<String> = (0..20_000).map(shift_at).collect();
        let full = text(&start(all.clone()));
        let mut log = text(&start(Vec::new()));
        for chunk in all.chunks(1_000) {
            let mut value: serde_json::Value = serde_json::from_str(&log).unwrap();
            let more = chunk
                .iter()
                .map(|r| serde_json::from_str::<serde_json::Value>(r).unwrap());
            value["records"].as_array_mut().unwrap().extend(more);
            log = value.to_string();
            if let Some(c) = compact(&log, &CompactLimits::DEFAULT).unwrap() {
                log = c.log;
            }
        }
        assert_eq!(cls(&log), cls(&full));
        assert!(
            log.len() < full.len() / 2,
            "{} of {}",
            log.len(),
            full.len()
        );
    }

    #[test]
    fn a_log_with_soft_navigations_keeps_its_shifts_up_to_the_cap() {
        let mut records = start(
            (0..1_200)
                .map(|i| shift(1_000.0 + f64::from(i) * 2_000.0, 0.01, false, "p"))
                .collect(),
        );
        records.push(
            r#"{"entryType":"soft-navigation","name":"http://x/b","startTime":5000,"navigationId":2}"#
                .to_owned(),
        );
        assert_eq!(
            compact(&text(&records), &CompactLimits::DEFAULT).unwrap(),
            None
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any sequence of shifts (gaps across both window rules, ties, recent input): CLS and
        /// its attribution are the same after compaction.
        #[test]
        fn windowing_never_changes_cls(
            steps in prop::collection::vec((0u32..2_500, 0u32..6, any::<bool>()), 1_001..1_400),
        ) {
            let mut t = 1_000.0;
            let shifts = steps
                .iter()
                .enumerate()
                .map(|(i, &(gap, value, input))| {
                    t += f64::from(gap);
                    // Values of a few distinct sizes, 0 included, so ties and empty windows occur.
                    shift(t, f64::from(value) * 0.01, input && i % 7 == 0, &format!("#s{i}"))
                })
                .collect();
            let before = text(&start(shifts));
            let after = compact(&before, &CompactLimits::DEFAULT).unwrap();
            let after = after.map_or(before.clone(), |c| c.log);
            prop_assert_eq!(cls(&after), cls(&before));
        }
    }
}
