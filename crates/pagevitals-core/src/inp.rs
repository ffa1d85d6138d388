//! Interaction to Next Paint, as web-vitals `src/onINP.ts` and `src/attribution/onINP.ts`
//! define it (<https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/onINP.ts>,
//! <https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/attribution/onINP.ts>):
//! Event Timing entries grouped by `interactionId`, each interaction's latency its longest
//! entry, and INP the p98 estimate among the 10 longest ([`crate::interactions`]).
//!
//! How web-vitals' live rules map onto a log:
//! - It needs Event Timing with `interactionId`. A log shows that by `event` being supported
//!   and some entry carrying an `interactionId`; otherwise there is no INP (never a
//!   first-input-only value).
//! - Entries are processed in the order the agent recorded them, which is the order the
//!   browser delivered them; `event` entries are those of 40 ms or more, as web-vitals
//!   observes them, plus `first-input`.
//! - It starts once a prerendered page is activated. A back/forward-cache restore clears the
//!   interactions (`InteractionManager._resetInteractions`): the agent starts a new page view
//!   (`restoredAt`), and in a log that spans a restore only entries before it count. web-vitals
//!   also subtracts the interaction count at the restore; the log's `interactionCount` is the
//!   page's total, so a restored view's p98 index can come out higher than web-vitals'.
//! - The attribution's frame groups and long-animation-frame list are web-vitals' pending
//!   lists without their periodic clean-up: the clean-up only drops what cannot match the
//!   reported interaction, except in races a log cannot replay.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::interactions::{EventRef, IdRange, Interaction, InteractionManager, interaction_count};
use crate::log::{Entry, EntryLog, EventTiming, LoafScript, LongAnimationFrame, Record};
use crate::metric::{Metric, MetricName};
use crate::page::{LoadState, PageView};
use crate::rating::Thresholds;

/// web-vitals `INPThresholds`; <https://web.dev/articles/inp#what_is_a_good_inp_score>.
pub const THRESHOLDS: Thresholds = Thresholds {
    good: 200.0,
    poor: 500.0,
};

/// The entry type INP is built from.
const ENTRY_TYPE: &str = "event";

/// Entries whose next paint is this close are taken to be of the same frame: Event Timing
/// rounds durations to 8 ms (attribution/onINP.ts, `groupEntriesByRenderTime`).
const SAME_FRAME_MS: f64 = 8.0;

/// How the user interacted (`interactionType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum InteractionType {
    /// Pointer, mouse, touch or click.
    Pointer,
    /// A key event.
    Keyboard,
}

/// The INP subpart a script ran in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Subpart {
    /// Before event processing started.
    InputDelay,
    /// While event listeners ran.
    ProcessingDuration,
    /// After the listeners, until the next paint.
    PresentationDelay,
}

/// The longest long-animation-frame script that overlapped the interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LongestScript {
    /// The script timing, as `toJSON()` gives it.
    pub entry: LoafScript,
    /// Which subpart it started in.
    pub subpart: Subpart,
    /// How much of it fell after the interaction started.
    pub intersecting_duration: f64,
}

/// Where INP's time went. The `total*` fields and `longestScript` are present only when
/// long-animation-frame entries overlapped the interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InpAttribution {
    /// Selector of the element interacted with; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_target: Option<String>,
    /// When the interaction started (the first entry's `startTime`).
    pub interaction_time: f64,
    /// Pointer or keyboard.
    pub interaction_type: InteractionType,
    /// Best estimate of the next paint after the interaction.
    pub next_paint_time: f64,
    /// From the interaction until its listeners started.
    pub input_delay: f64,
    /// While the frame's listeners ran.
    pub processing_duration: f64,
    /// From the end of processing to the next paint.
    pub presentation_delay: f64,
    /// The document's load state when the interaction happened.
    pub load_state: LoadState,
    /// The longest overlapping script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_script: Option<LongestScript>,
    /// Script time after the interaction started, forced style and layout excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_script_duration: Option<f64>,
    /// Frame-end style and layout plus forced style and layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_style_and_layout_duration: Option<f64>,
    /// From the end of the last long animation frame to the next paint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_paint_duration: Option<f64>,
    /// The rest: short scripts and work outside long animation frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_unattributed_duration: Option<f64>,
}

/// Event Timing entries that were presented in the same frame (`pendingEntriesGroup`).
#[derive(Debug, Clone, Copy)]
struct FrameGroup {
    /// `startTime + duration` of the entry that opened the group.
    render_time: f64,
    /// The latest `processingEnd` of the group's entries.
    processing_end: f64,
    /// The earliest `processingStart` of the group's entries.
    processing_start: f64,
}

/// Where INP's attribution starts processing. web-vitals changed it in v6; the page view's
/// INP follows v5 (the rest of this module), a soft navigation's route follows v6, the only
/// version that reports routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProcessingStart {
    /// v5: the interaction's first entry's `processingStart`.
    FirstEntry,
    /// v6: the earliest `processingStart` of any entry presented in the same frame, but not
    /// before the interaction started (<https://github.com/GoogleChrome/web-vitals/blob/v6.2.3/src/attribution/onINP.ts>).
    FrameGroup,
}

/// The interaction INP reports, following onINP.ts: replaced only by a candidate of a
/// different latency. web-vitals keeps the reported interaction's entries array: an entry of
/// equal duration is pushed onto it, but a longer entry replaces the array and leaving the
/// list of longest ends the interaction, and the report still holds it as it was then.
#[derive(Default)]
struct Reported {
    id: Option<u64>,
    latency: Option<f64>,
    /// The reported interaction as it was when it left the list or its entries were
    /// replaced; `None` while the list's own entry is still the one reported.
    kept: Option<Interaction>,
}

impl Reported {
    fn update(&mut self, candidate: Option<&Interaction>) {
        if let Some(candidate) = candidate {
            if self.latency != Some(candidate.latency) {
                self.id = Some(candidate.id);
                self.latency = Some(candidate.latency);
                self.kept = None;
            }
        }
    }

    /// The reported interaction is no longer the list's: keep it as it was.
    fn lost(&mut self, interaction: Option<Interaction>) {
        if self.kept.is_none() {
            self.kept = interaction;
        }
    }

    /// The interaction the report holds.
    fn interaction<'a>(&'a self, manager: &'a InteractionManager) -> Option<&'a Interaction> {
        self.kept.as_ref().or_else(|| manager.find(self.id?))
    }
}

/// INP for the page view, or `None` when web-vitals would report none.
pub fn inp(log: &EntryLog, view: &PageView<'_>) -> Option<Metric<InpAttribution>> {
    inp_with(log, view, ProcessingStart::FirstEntry)
}

/// INP with attribution from `processing_start`'s rule.
pub(crate) fn inp_with(
    log: &EntryLog,
    view: &PageView<'_>,
    processing_start: ProcessingStart,
) -> Option<Metric<InpAttribution>> {
    if !view.activated || !view.supports(ENTRY_TYPE) {
        return None;
    }
    let events: Vec<(&EventTiming, bool)> = log
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Entry(Entry::Event(e)) => Some((e, false)),
            Record::Entry(Entry::FirstInput(e)) => Some((e, true)),
            _ => None,
        })
        .filter(|(e, _)| e.start_time < view.restore_time)
        .collect();
    // `toJSON()` includes `interactionId` on every event-timing entry, first-input too,
    // where the browser implements it (Chromium's `PerformanceEventTiming::BuildJSONValue`).
    // The log's `interactionCount` is no evidence: the agent writes the polyfill's estimate
    // wherever Event Timing exists.
    if !events.iter().any(|(e, _)| e.interaction_id.is_some()) {
        return None;
    }

    let final_count = interaction_count(
        log.interaction_count,
        events
            .iter()
            .filter(|(_, first_input)| !first_input)
            .map(|(e, _)| e.interaction_id()),
    );
    // Where the agent marked the end of each delivery of Event Timing entries with the
    // interaction count then, web-vitals' reports are replayed exactly: one after each
    // delivery, with that count. Older logs have no marks: a report is replayed after each
    // candidate entry instead, with the count estimated from the ids seen so far.
    let delivered = events.iter().any(|(e, _)| e.interaction_count.is_some());
    let mut reported = Reported::default();
    let mut manager = InteractionManager::default();
    let mut groups = FrameGroups::default();
    // The frame group of each candidate entry (`entryToEntriesGroupMap`).
    let mut group_of: Vec<Option<usize>> = vec![None; events.len()];
    // The interaction ids of the `event` entries so far, for the count at each report.
    let mut ids_so_far = IdRange::default();
    for (index, &(entry, first_input)) in events.iter().enumerate() {
        if !first_input {
            ids_so_far.add(entry.interaction_id());
        }
        // `_onBeforeProcessingEntry = groupEntriesByRenderTime`: every entry, candidate or not.
        let group = groups.add(entry);
        if entry.interaction_id() != 0 || first_input {
            if let Some(slot) = group_of.get_mut(index) {
                *slot = Some(group);
            }
        }
        let watched = reported.id.filter(|_| reported.kept.is_none());
        let (processed, lost) = manager.process_watching(
            EventRef {
                index,
                interaction_id: entry.interaction_id(),
                start_time: entry.start_time,
                duration: entry.duration,
                first_input,
            },
            watched,
        );
        reported.lost(lost);
        // `_onAfterProcessingINPCandidate = saveInteractionTarget`.
        if let Some(interaction) = processed.and_then(|id| manager.get_mut(id)) {
            save_target(interaction, &events);
        }
        // onINP.ts reports after each delivery, and takes the candidate's entries only when
        // its latency differs from the value reported so far: among equal latencies, the
        // interaction reported first stays. Without the agent's marks, the count at that
        // moment is the polyfill's estimate over the ids seen so far, never more than the
        // page's final count.
        if delivered {
            if let Some(count) = entry.interaction_count {
                reported.update(manager.estimate_p98(count));
            }
        } else if processed.is_some() {
            let so_far = ids_so_far.count().min(final_count);
            reported.update(manager.estimate_p98(so_far));
        }
    }
    reported.update(manager.estimate_p98(final_count));
    let interaction = reported.interaction(&manager)?;
    let first_index = *interaction.entries.first()?;
    let &(first, _) = events.get(first_index)?;
    let group = group_of
        .get(first_index)
        .copied()
        .flatten()
        .and_then(|g| groups.groups.get(g).copied());
    let loafs: Vec<&LongAnimationFrame> = log
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Entry(Entry::LongAnimationFrame(l)) if l.start_time < view.restore_time => {
                Some(l.as_ref())
            }
            _ => None,
        })
        .collect();
    let value = interaction.latency;
    // attributeINP looks the target up in the list of longest as it is at the report
    // (`_longestInteractionMap.get(firstEntry.interactionId)`): there is none once the
    // reported interaction has left the list.
    let target = manager
        .find(first.interaction_id())
        .and_then(|i| i.target.clone());
    Some(view.metric(
        MetricName::INP,
        &THRESHOLDS,
        value,
        attribute(target, first, group, &loafs, view, processing_start),
    ))
}

/// The frame groups so far, in the order they were opened, with an index by render time so
/// that finding an entry's group does not scan every group of the page view.
#[derive(Default)]
struct FrameGroups {
    groups: Vec<FrameGroup>,
    /// Position in `groups` by render time ([`order_key`]); finite render times only, as
    /// no other can be within [`SAME_FRAME_MS`] of anything.
    by_render_time: BTreeMap<i64, usize>,
}

impl FrameGroups {
    /// `groupEntriesByRenderTime`: the group (index into `groups`) presented in the same
    /// frame as `entry`, the most recent such, or a new one.
    fn add(&mut self, entry: &EventTiming) -> usize {
        let render_time = entry.start_time + entry.duration;
        let same_frame = |g: &FrameGroup| (render_time - g.render_time).abs() <= SAME_FRAME_MS;
        // Every group within SAME_FRAME_MS is within this wider range whatever the rounding
        // of the subtraction above; the test itself decides.
        let near = (render_time - 2.0 * SAME_FRAME_MS)..=(render_time + 2.0 * SAME_FRAME_MS);
        let found = if render_time.is_finite() {
            self.by_render_time
                .range(order_key(*near.start())..=order_key(*near.end()))
                .map(|(_, &i)| i)
                .filter(|&i| self.groups.get(i).is_some_and(same_frame))
                .max()
        } else {
            None
        };
        match found.and_then(|i| self.groups.get_mut(i).map(|g| (i, g))) {
            Some((i, group)) => {
                group.processing_end = group.processing_end.max(entry.processing_end);
                group.processing_start = group.processing_start.min(entry.processing_start);
                i
            }
            None => {
                let i = self.groups.len();
                self.groups.push(FrameGroup {
                    render_time,
                    processing_end: entry.processing_end,
                    processing_start: entry.processing_start,
                });
                if render_time.is_finite() {
                    self.by_render_time.insert(order_key(render_time), i);
                }
                i
            }
        }
    }
}

/// A key that orders finite floats as numbers (`f64::total_cmp`'s mapping).
fn order_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// `saveInteractionTarget`: unless the interaction already has a non-empty target, the
/// selector of its first entry whose target was a node, else the first non-empty
/// `targetSelector` the browser gave.
fn save_target(interaction: &mut Interaction, events: &[(&EventTiming, bool)]) {
    if interaction.target.as_deref().is_some_and(|t| !t.is_empty()) {
        return;
    }
    let entries = || {
        interaction
            .entries
            .iter()
            .filter_map(|&i| events.get(i).map(|(e, _)| *e))
    };
    let target = entries()
        .find_map(|e| e.selector.clone())
        .or_else(|| entries().find_map(|e| e.target_selector.clone().filter(|s| !s.is_empty())));
    if target.is_some() {
        interaction.target = target;
    }
}

/// `attributeINP` in web-vitals `src/attribution/onINP.ts`.
fn attribute(
    interaction_target: Option<String>,
    first: &EventTiming,
    group: Option<FrameGroup>,
    loafs: &[&LongAnimationFrame],
    view: &PageView<'_>,
    rule: ProcessingStart,
) -> InpAttribution {
    let processing_start = match (rule, group) {
        // "Clamp so `inputDelay` is never negative."
        (ProcessingStart::FrameGroup, Some(g)) => g.processing_start.max(first.start_time),
        _ => first.processing_start,
    };
    // "clamp `nextPaintTime` so it doesn't appear to occur before processing starts"
    let next_paint_time = (first.start_time + first.duration).max(processing_start);
    // "clamp `processingEnd` to `nextPaintTime`, so processing is never reported as taking
    // longer than INP"
    let group_processing_end = group.map_or(first.processing_end, |g| g.processing_end);
    let processing_end = group_processing_end.min(next_paint_time);
    let mut attribution = InpAttribution {
        interaction_target,
        interaction_time: first.start_time,
        interaction_type: if first.name.starts_with("key") {
            InteractionType::Keyboard
        } else {
            InteractionType::Pointer
        },
        next_paint_time,
        input_delay: processing_start - first.start_time,
        processing_duration: processing_end - processing_start,
        presentation_delay: next_paint_time - processing_end,
        load_state: view.load_state(first.start_time),
        longest_script: None,
        total_script_duration: None,
        total_style_and_layout_duration: None,
        total_paint_duration: None,
        total_unattributed_duration: None,
    };
    let overlapping = intersecting_loafs(loafs, first.start_time, processing_end);
    attribute_loafs(&mut attribution, &overlapping);
    attribution
}

/// `getIntersectingLoAFs`: the frames overlapping `[start, end]`, in delivery order, which
/// web-vitals takes to be time order (it stops at the first frame starting after `end`).
fn intersecting_loafs<'a>(
    loafs: &[&'a LongAnimationFrame],
    start: f64,
    end: f64,
) -> Vec<&'a LongAnimationFrame> {
    let mut found = Vec::new();
    for &loaf in loafs {
        if loaf.start_time + loaf.duration < start {
            continue;
        }
        if loaf.start_time > end {
            break;
        }
        found.push(loaf);
    }
    found
}

/// `attributeLoAFDetails`, with its arithmetic in the same order so the totals match
/// web-vitals' to the last bit.
fn attribute_loafs(attribution: &mut InpAttribution, loafs: &[&LongAnimationFrame]) {
    let Some(last) = loafs.last() else {
        return;
    };
    let interaction_time = attribution.interaction_time;
    let input_delay = attribution.input_delay;
    let processing_duration = attribution.processing_duration;

    let mut total_script_duration = 0.0;
    let mut total_style_and_layout_duration = 0.0;
    let mut longest_script_duration = 0.0;
    let mut longest: Option<(&LoafScript, Subpart)> = None;
    for loaf in loafs {
        total_style_and_layout_duration =
            total_style_and_layout_duration + loaf.start_time + loaf.duration
                - loaf.style_and_layout_start;
        for script in &loaf.scripts {
            let script_end_time = script.start_time + script.duration;
            if script_end_time < interaction_time {
                continue;
            }
            let intersecting = script_end_time - interaction_time.max(script.start_time);
            // "we apportion the total based on the intersectingScriptDuration"
            let forced = if script.duration != 0.0 && !script.duration.is_nan() {
                (intersecting / script.duration) * script.forced_style_and_layout_duration
            } else {
                0.0
            };
            total_script_duration += intersecting - forced;
            total_style_and_layout_duration += forced;
            if intersecting > longest_script_duration {
                let subpart = if script.start_time < interaction_time + input_delay {
                    Subpart::InputDelay
                } else if script.start_time >= interaction_time + input_delay + processing_duration
                {
                    Subpart::PresentationDelay
                } else {
                    Subpart::ProcessingDuration
                };
                longest = Some((script, subpart));
                longest_script_duration = intersecting;
            }
        }
    }
    // "Calculate the totalPaintDuration from the last LoAF after presentationDelay starts"
    let last_end_time = last.start_time + last.duration;
    let total_paint_duration =
        if last_end_time >= interaction_time + input_delay + processing_duration {
            attribution.next_paint_time - last_end_time
        } else {
            0.0
        };
    attribution.longest_script = longest.map(|(script, subpart)| LongestScript {
        entry: script.clone(),
        subpart,
        intersecting_duration: longest_script_duration,
    });
    attribution.total_script_duration = Some(total_script_duration);
    attribution.total_style_and_layout_duration = Some(total_style_and_layout_duration);
    attribution.total_paint_duration = Some(total_paint_duration);
    attribution.total_unattributed_duration = Some(
        attribution.next_paint_time
            - interaction_time
            - total_script_duration
            - total_style_and_layout_duration
            - total_paint_duration,
    );
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::rating::Rating;
    use crate::testing::{NAV, log, log_supporting, log_with_page};

    fn event(name: &str, id: u64, start: f64, duration: f64, processing: (f64, f64)) -> String {
        let (ps, pe) = processing;
        format!(
            r#"{{"entryType":"event","name":"{name}","startTime":{start},"duration":{duration},
                "processingStart":{ps},"processingEnd":{pe},"interactionId":{id},
                "selector":"button.buy"}}"#
        )
    }

    fn inp_of(records: &[String], top: &str) -> Option<Metric<InpAttribution>> {
        let log = log_with_page(
            crate::report::ENTRY_TYPES_OF_INTEREST,
            "",
            &records.join(","),
            top,
        );
        inp(&log, &PageView::new(&log))
    }

    #[test]
    fn the_reported_interaction_stays_reported_after_it_leaves_the_list_of_longest() {
        // P (300) is reported first. A (100) is reported once the count puts the estimate at
        // the third longest. Eight more 300 ms interactions push A out of the ten longest,
        // while the estimate, now the tenth longest, is Q: 100 ms as well, so web-vitals
        // keeps the value and A's entries. (Ids set the polyfill's count: (max - min) / 7 + 1.)
        let mut records = vec![
            NAV.to_owned(),
            event("keydown", 7, 1000.0, 304.0, (1001.0, 1002.0)),
            event("keydown", 14, 2000.0, 104.0, (2001.0, 2002.0)),
            event("keydown", 707, 3000.0, 104.0, (3005.0, 3006.0)),
        ];
        for j in 0..8u32 {
            let id = 7 * (451 + u64::from(j));
            let start = 4000.0 + f64::from(j) * 1000.0;
            records.push(event(
                "keydown",
                id,
                start,
                304.0,
                (start + 1.0, start + 2.0),
            ));
        }
        let inp = inp_of(&records, "").expect("INP is reported");
        assert_eq!(inp.value, 104.0);
        assert_eq!(
            inp.attribution.interaction_time, 3000.0,
            "A's entry, not Q's"
        );
        assert_eq!(
            inp.attribution.interaction_target, None,
            "web-vitals finds A's target in the list of longest, which A has left"
        );
    }

    #[test]
    fn with_the_agents_delivery_marks_web_vitals_reports_are_replayed_per_delivery() {
        // A (300 ms) comes alone, with the count at 1: reported. B and C (120 ms each) come in
        // one delivery after many short interactions (the count at 101): web-vitals estimates
        // once, at the third longest, C, and reports it. Replayed after each entry instead,
        // with counts estimated from the ids, B would be reported after B alone (the second
        // longest), and C, of the same latency, would not replace it.
        let mark = |record: String, count: u32| {
            record.replace(
                r#""selector""#,
                &format!(r#""interactionCount":{count},"selector""#),
            )
        };
        let a = event("keydown", 7, 1000.0, 304.0, (1001.0, 1002.0));
        let b = event("keydown", 700, 3000.0, 120.0, (3001.0, 3002.0));
        let c = event("keydown", 707, 3100.0, 120.0, (3105.0, 3106.0));
        let top = r#","interactionCount":101"#;
        let marked = [
            NAV.to_owned(),
            mark(a.clone(), 1),
            b.clone(),
            mark(c.clone(), 101),
        ];
        let inp = inp_of(&marked, top).expect("INP is reported");
        assert_eq!(inp.value, 120.0);
        assert_eq!(inp.attribution.interaction_time, 3100.0, "C, as web-vitals");

        let unmarked = [NAV.to_owned(), a, b, c];
        let inp = inp_of(&unmarked, top).expect("INP is reported");
        assert_eq!(inp.value, 120.0);
        assert_eq!(inp.attribution.interaction_time, 3000.0, "B, per entry");
    }

    /// A click whose pointerdown, pointerup and click share a frame, with a long animation
    /// frame over it: the worked example in the test below.
    fn click_with_loaf() -> Vec<String> {
        vec![
            NAV.into(),
            event("pointerdown", 7, 1000.0, 104.0, (1010.0, 1020.0)),
            event("pointerup", 7, 1040.0, 64.0, (1045.0, 1050.0)),
            event("click", 7, 1040.0, 64.0, (1050.0, 1080.0)),
            // Not part of an interaction: never a candidate, however long.
            event("pointerover", 0, 3000.0, 300.0, (3001.0, 3002.0)),
            r#"{"entryType":"long-animation-frame","startTime":100,"duration":60,
                "styleAndLayoutStart":150,"scripts":[]}"#
                .into(),
            r#"{"entryType":"long-animation-frame","startTime":990,"duration":110,
                "styleAndLayoutStart":1085,"scripts":[
                  {"startTime":995,"duration":20,"forcedStyleAndLayoutDuration":0,
                   "invoker":"TIMEOUT","invokerType":"user-callback"},
                  {"name":"script","entryType":"script","startTime":1050,"duration":30,
                   "forcedStyleAndLayoutDuration":6,"invoker":"BUTTON.buy.onclick",
                   "invokerType":"event-listener","windowAttribution":"self",
                   "executionStart":1050,"pauseDuration":0,"sourceURL":"http://x/app.js",
                   "sourceFunctionName":"buy","sourceCharPosition":42}]}"#
                .into(),
            r#"{"entryType":"long-animation-frame","startTime":5000,"duration":60,
                "styleAndLayoutStart":5050,"scripts":[]}"#
                .into(),
        ]
    }

    #[test]
    fn entries_group_by_interaction_id_and_attribution_splits_the_frame() {
        let m = inp_of(&click_with_loaf(), r#","interactionCount":1"#).unwrap();
        assert_eq!(m.value, 104.0);
        assert_eq!(m.rating, Rating::Good);
        let a = &m.attribution;
        assert_eq!(a.interaction_target.as_deref(), Some("button.buy"));
        assert_eq!(a.interaction_type, InteractionType::Pointer);
        assert_eq!((a.interaction_time, a.next_paint_time), (1000.0, 1104.0));
        // Processing ends with the click's listeners, the last in the frame.
        assert_eq!(
            (a.input_delay, a.processing_duration, a.presentation_delay),
            (10.0, 70.0, 24.0)
        );
        // NAV: domContentLoadedEventStart 600, domComplete 1000.
        assert_eq!(a.load_state, LoadState::Complete);
        // Scripts: 15 ms of the timer after the interaction began, 30 - 6 of the listener.
        assert_eq!(a.total_script_duration, Some(39.0));
        // Frame-end style and layout 1100 - 1085, plus the listener's forced 6.
        assert_eq!(a.total_style_and_layout_duration, Some(21.0));
        assert_eq!(a.total_paint_duration, Some(4.0));
        assert_eq!(a.total_unattributed_duration, Some(40.0));
        let longest = a.longest_script.as_ref().unwrap();
        assert_eq!(longest.subpart, Subpart::ProcessingDuration);
        assert_eq!(longest.intersecting_duration, 30.0);
        assert_eq!(longest.entry.source_function_name, "buy");
        let json = serde_json::to_value(a).unwrap();
        assert_eq!(
            json["longestScript"]["entry"]["sourceURL"],
            "http://x/app.js"
        );
        assert_eq!(json["longestScript"]["subpart"], "processing-duration");
        assert!(json.get("processedEventEntries").is_none());
    }

    #[test]
    fn without_long_animation_frames_the_totals_are_absent() {
        let records = [
            event("keydown", 14, 500.0, 48.0, (530.0, 560.0)),
            event("keyup", 14, 600.0, 40.0, (601.0, 602.0)),
        ];
        let m = inp_of(&records, r#","interactionCount":1"#).unwrap();
        assert_eq!(m.value, 48.0);
        let json = serde_json::to_value(&m.attribution).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "inputDelay",
                "interactionTarget",
                "interactionTime",
                "interactionType",
                "loadState",
                "nextPaintTime",
                "presentationDelay",
                "processingDuration"
            ]
        );
        assert_eq!(json["interactionType"], "keyboard");
        // No navigation entry: web-vitals' getLoadState falls back to complete.
        assert_eq!(json["loadState"], "complete");
    }

    /// 60 interactions with latencies 100, 108, ..., 572 ms.
    fn sixty_interactions() -> Vec<String> {
        (0..60u32)
            .map(|i| {
                let start = 1000.0 + f64::from(i) * 1000.0;
                let duration = 100.0 + f64::from(i) * 8.0;
                event(
                    "pointerdown",
                    u64::from(1000 + 7 * i),
                    start,
                    duration,
                    (start + 1.0, start + 2.0),
                )
            })
            .collect()
    }

    #[test]
    fn p98_skips_one_candidate_per_fifty_interactions() {
        let records = sixty_interactions();
        let at = |count: &str| inp_of(&records, count).map(|m| m.value);
        // 60 interactions: floor(60 / 50) = 1, the second longest.
        assert_eq!(at(r#","interactionCount":60"#), Some(564.0));
        assert_eq!(at(r#","interactionCount":49"#), Some(572.0));
        assert_eq!(at(r#","interactionCount":120"#), Some(556.0));
        // Never past the 10 longest kept.
        assert_eq!(at(r#","interactionCount":5000"#), Some(500.0));
    }

    #[test]
    fn without_interaction_count_the_polyfill_estimates_it_from_interaction_ids() {
        // Ids 1000, 1007, ..., 1413: (1413 - 1000) / 7 + 1 = 60 interactions.
        let m = inp_of(&sixty_interactions(), "").unwrap();
        assert_eq!(m.value, 564.0);
        // The same, with the ids 10 interactions apart: an estimate of 591.
        let spread: Vec<String> = sixty_interactions()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let id = 1000 + 7 * i;
                r.replace(
                    &format!(r#""interactionId":{id}"#),
                    &format!(r#""interactionId":{}"#, 1000 + 70 * i),
                )
            })
            .collect();
        assert_eq!(inp_of(&spread, "").map(|m| m.value), Some(500.0));
    }

    #[test]
    fn the_agents_fractional_estimate_is_used_as_the_count() {
        // (max - min) / 7 + 1 over ids the agent saw but did not record: 50.4 interactions.
        let at = |count: &str| inp_of(&sixty_interactions(), count).map(|m| m.value);
        assert_eq!(at(r#","interactionCount":50.42857142857143"#), Some(564.0));
        assert_eq!(at(r#","interactionCount":49.857142857142854"#), Some(572.0));
    }

    #[test]
    fn no_interactions_means_no_inp() {
        assert!(inp_of(&[NAV.into()], r#","interactionCount":0"#).is_none());
        let hover = event("pointerover", 0, 100.0, 200.0, (101.0, 102.0));
        assert!(inp_of(&[hover], r#","interactionCount":0"#).is_none());
    }

    #[test]
    fn a_first_input_alone_gives_inp_where_interaction_ids_exist() {
        let first_input = r#"{"entryType":"first-input","name":"keydown","startTime":300,
            "duration":16,"processingStart":302,"processingEnd":305,"interactionId":0,
            "selector":null,"targetSelector":"input#q"}"#;
        let m = inp_of(&[first_input.into()], "").unwrap();
        assert_eq!(m.value, 16.0);
        assert_eq!(m.attribution.interaction_target.as_deref(), Some("input#q"));
        // A browser without interactionId at all: web-vitals' onINP does not run.
        let no_ids = first_input.replace(r#""interactionId":0,"#, "");
        assert!(inp_of(&[no_ids], "").is_none());
    }

    #[test]
    fn unsupported_event_timing_or_an_unactivated_prerender_means_no_inp() {
        let click = event("click", 7, 100.0, 200.0, (101.0, 102.0));
        let log = log_supporting(&["first-input"], &click);
        assert!(inp(&log, &PageView::new(&log)).is_none());
        let log = log_with_page(
            &["event"],
            r#","prerendering":true,"initialVisibility":"hidden""#,
            &click,
            "",
        );
        assert!(inp(&log, &PageView::new(&log)).is_none());
    }

    #[test]
    fn a_bfcache_restore_clears_the_interactions() {
        let records = [
            event("click", 7, 100.0, 200.0, (101.0, 102.0)),
            r#"{"lifecycle":"pageshow","persisted":true,"time":5000}"#.into(),
            event("click", 14, 6000.0, 600.0, (6001.0, 6002.0)),
        ];
        assert_eq!(inp_of(&records, "").map(|m| m.value), Some(200.0));
    }

    #[test]
    fn odd_numbers_do_not_panic() {
        let records = [
            event("click", 7, -5.0, 0.0, (-1e300, 1e300)),
            event("click", 7, 1e308, 1e308, (0.0, -0.0)),
            r#"{"entryType":"long-animation-frame","startTime":-1e308,"duration":1e308,
                "styleAndLayoutStart":0,"scripts":[{"startTime":0,"duration":0,
                "forcedStyleAndLayoutDuration":1e308}]}"#
                .into(),
        ];
        let log = log(&records.join(","));
        let _ = inp(&log, &PageView::new(&log));
    }

    /// Groups of entries, each an interaction (a fresh id) or not (id 0), with the
    /// durations of its entries; entries of one interaction arrive together, as browsers
    /// deliver them.
    fn interactions() -> impl Strategy<Value = Vec<(bool, Vec<f64>)>> {
        prop::collection::vec(
            (any::<bool>(), prop::collection::vec(0.0..1000.0f64, 1..4)),
            0..30,
        )
    }

    proptest! {
        #[test]
        fn inp_is_always_an_observed_interaction_latency(
            interactions in interactions(),
            count in proptest::option::of(0..500u64),
        ) {
            let mut records = Vec::new();
            let mut latencies = Vec::new();
            let mut t = 0.0;
            for (k, (is_interaction, durations)) in (1u64..).zip(&interactions) {
                let id = if *is_interaction { 7 * k } else { 0 };
                for d in durations {
                    t += 10.0;
                    records.push(event("click", id, t, *d, (t, t)));
                }
                if *is_interaction {
                    latencies.push(durations.iter().copied().fold(f64::MIN, f64::max));
                }
            }
            let top = count.map_or(String::new(), |c| format!(r#","interactionCount":{c}"#));
            match inp_of(&records, &top) {
                Some(m) => prop_assert!(
                    latencies.contains(&m.value),
                    "INP {} is not one of {:?}", m.value, latencies
                ),
                None => prop_assert!(latencies.is_empty()),
            }
        }

        #[test]
        fn frame_groups_are_the_most_recent_within_a_frame_as_a_scan_finds_them(
            entries in prop::collection::vec((0.0..200.0f64, 0.0..40.0f64), 0..60),
        ) {
            let mut groups = FrameGroups::default();
            let mut scanned: Vec<f64> = Vec::new();
            for (start, duration) in entries {
                let entry = EventTiming {
                    name: "click".into(),
                    start_time: start,
                    duration,
                    processing_start: start,
                    processing_end: start,
                    interaction_id: None,
                    cancelable: false,
                    target_selector: None,
                    selector: None,
                    interaction_count: None,
                };
                // groupEntriesByRenderTime as written: search every group, latest first.
                let render_time = start + duration;
                let expected = scanned
                    .iter()
                    .rposition(|g| (render_time - g).abs() <= SAME_FRAME_MS)
                    .unwrap_or_else(|| {
                        scanned.push(render_time);
                        scanned.len() - 1
                    });
                prop_assert_eq!(groups.add(&entry), expected);
            }
        }
    }
}
