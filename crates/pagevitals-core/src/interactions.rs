//! The longest interactions of a page and the interaction count, the two inputs of INP's
//! p98 estimate, as web-vitals keeps them: `src/lib/InteractionManager.ts`
//! (<https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/lib/InteractionManager.ts>)
//! and `src/lib/polyfills/interactionCountPolyfill.ts`
//! (<https://github.com/GoogleChrome/web-vitals/blob/v5.3.0/src/lib/polyfills/interactionCountPolyfill.ts>).

/// "store at most 10 of the longest interactions to consider as INP candidates"
/// (`InteractionManager.ts`, `MAX_INTERACTIONS_TO_CONSIDER`).
pub const MAX_INTERACTIONS_TO_CONSIDER: usize = 10;

/// INP skips one candidate per this many interactions, which approximates the 98th
/// percentile (`InteractionManager.ts`, `_estimateP98LongestInteraction`).
pub const INTERACTIONS_PER_CANDIDATE: f64 = 50.0;

/// Chromium gives consecutive interactions ids this far apart; the polyfill divides the id
/// range by it (`interactionCountPolyfill.ts`: `(max - min) / 7 + 1`).
pub const INTERACTION_ID_STEP: f64 = 7.0;

/// One Event Timing entry, as the manager needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventRef {
    /// The caller's handle for the entry (its position in the caller's list).
    pub index: usize,
    /// `interactionId`, 0 when none.
    pub interaction_id: u64,
    /// `startTime`.
    pub start_time: f64,
    /// `duration`.
    pub duration: f64,
    /// True for a `first-input` entry, which is a candidate even without an interaction id.
    pub first_input: bool,
}

/// One interaction among the longest.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// Its `interactionId`.
    pub id: u64,
    /// Its latency: the longest duration among its entries.
    pub latency: f64,
    /// Handles of its entries that have that latency (and the same start time).
    pub entries: Vec<usize>,
    /// `startTime` of `entries[0]`.
    first_start_time: f64,
    /// The interaction's target selector, once known (attribution/onINP.ts keeps it per
    /// interaction in `interactionTargetMap`).
    pub target: Option<String>,
}

/// The 10 longest interactions, longest first.
#[derive(Debug, Clone, Default)]
pub struct InteractionManager {
    longest: Vec<Interaction>,
}

impl InteractionManager {
    /// `_processEntry`: adds `entry` to its interaction when that is among the longest or
    /// could become so. Returns the id of the interaction it went into, or `None` when the
    /// entry was not a candidate.
    pub fn process(&mut self, entry: EventRef) -> Option<u64> {
        self.process_watching(entry, None).0
    }

    /// [`InteractionManager::process`], also returning the interaction `watched` as it was
    /// before this entry, if the entry ended it: its entries replaced by a longer one, or the
    /// interaction pushed out of the longest. (A report holds on to such an interaction.)
    pub fn process_watching(
        &mut self,
        entry: EventRef,
        watched: Option<u64>,
    ) -> (Option<u64>, Option<Interaction>) {
        // "Skip further processing for entries that cannot be INP candidates."
        if entry.interaction_id == 0 && !entry.first_input {
            return (None, None);
        }
        let min_latency = self.longest.last().map(|i| i.latency);
        let existing = self
            .longest
            .iter()
            .position(|i| i.id == entry.interaction_id);
        let could_be_longest = existing.is_some()
            || self.longest.len() < MAX_INTERACTIONS_TO_CONSIDER
            || min_latency.is_some_and(|min| entry.duration > min);
        if !could_be_longest {
            return (None, None);
        }
        let mut lost = None;
        match existing.and_then(|i| self.longest.get_mut(i)) {
            Some(interaction) => {
                // "If the new entry has a longer duration, replace the old entries,
                // otherwise add to the array."
                if entry.duration > interaction.latency {
                    if watched == Some(interaction.id) {
                        lost = Some(interaction.clone());
                    }
                    interaction.entries = vec![entry.index];
                    interaction.latency = entry.duration;
                    interaction.first_start_time = entry.start_time;
                } else if entry.duration == interaction.latency
                    && entry.start_time == interaction.first_start_time
                {
                    interaction.entries.push(entry.index);
                }
            }
            None => self.longest.push(Interaction {
                id: entry.interaction_id,
                latency: entry.duration,
                entries: vec![entry.index],
                first_start_time: entry.start_time,
                target: None,
            }),
        }
        // Stable, like JavaScript's sort, so equal latencies keep their order.
        self.longest.sort_by(|a, b| b.latency.total_cmp(&a.latency));
        if self.longest.len() > MAX_INTERACTIONS_TO_CONSIDER {
            let removed = self.longest.split_off(MAX_INTERACTIONS_TO_CONSIDER);
            if let Some(w) = watched {
                lost = lost.or_else(|| removed.into_iter().find(|i| i.id == w));
            }
        }
        (Some(entry.interaction_id), lost)
    }

    /// The interaction with `id`, while it is among the longest.
    pub fn find(&self, id: u64) -> Option<&Interaction> {
        self.longest.iter().find(|i| i.id == id)
    }

    /// The interaction with `id`, while it is among the longest, to update.
    pub fn get_mut(&mut self, id: u64) -> Option<&mut Interaction> {
        self.longest.iter_mut().find(|i| i.id == id)
    }

    /// `_estimateP98LongestInteraction`: the candidate at
    /// `min(len - 1, floor(interaction_count / 50))`; `None` without interactions.
    pub fn estimate_p98(&self, interaction_count: f64) -> Option<&Interaction> {
        let last = self.longest.len().checked_sub(1)?;
        let step = (interaction_count / INTERACTIONS_PER_CANDIDATE).floor();
        if step.is_nan() || step < 0.0 {
            // `list[NaN]` and `list[-1]` are `undefined` in JavaScript: no INP.
            return None;
        }
        // Below `last`, `step` is a whole number that fits in usize: the cast is exact.
        let index = if step >= last as f64 {
            last
        } else {
            step as usize
        };
        self.longest.get(index)
    }
}

/// `getInteractionCount()`: the log's `interactionCount` (`performance.interactionCount`, or
/// the agent's own run of the polyfill) when present, otherwise the polyfill's estimate from
/// the smallest and largest `interactionId` of the `event` entries in the log.
///
/// The polyfill observes every event entry (`durationThreshold: 0`); the agent records only
/// those of 40 ms or more (and, from before it started, the browser's default of 104 ms), so
/// the estimate here spans the interactions among those and falls short of the polyfill's
/// when the first or last interactions were fast.
pub fn interaction_count(native: Option<f64>, event_ids: impl IntoIterator<Item = u64>) -> f64 {
    if let Some(count) = native {
        return count;
    }
    let mut range = IdRange::default();
    event_ids.into_iter().for_each(|id| range.add(id));
    range.count()
}

/// The smallest and largest `interactionId` seen so far, from which the polyfill estimates
/// the interaction count; kept as entries arrive, so that the estimate after each one costs
/// nothing (as the polyfill's observer keeps them).
#[derive(Debug, Clone, Copy)]
pub struct IdRange {
    min: u64,
    max: u64,
}

impl Default for IdRange {
    fn default() -> Self {
        IdRange {
            min: u64::MAX,
            max: 0,
        }
    }
}

impl IdRange {
    /// Takes in an event's `interactionId`; 0 (no interaction) is not counted.
    pub fn add(&mut self, id: u64) {
        if id != 0 {
            self.min = self.min.min(id);
            self.max = self.max.max(id);
        }
    }

    /// The polyfill's estimate: `(max - min) / 7 + 1`, or 0 before any interaction.
    pub fn count(&self) -> f64 {
        if self.max == 0 {
            0.0
        } else {
            (self.max - self.min) as f64 / INTERACTION_ID_STEP + 1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(index: usize, id: u64, start: f64, duration: f64) -> EventRef {
        EventRef {
            index,
            interaction_id: id,
            start_time: start,
            duration,
            first_input: false,
        }
    }

    #[test]
    fn entries_group_by_interaction_id_and_the_longest_sets_the_latency() {
        let mut m = InteractionManager::default();
        assert_eq!(m.process(event(0, 7, 100.0, 48.0)), Some(7));
        assert_eq!(m.process(event(1, 7, 100.0, 48.0)), Some(7));
        assert_eq!(m.process(event(2, 7, 120.0, 56.0)), Some(7));
        assert_eq!(m.process(event(3, 7, 130.0, 56.0)), Some(7));
        assert_eq!(m.process(event(4, 0, 140.0, 500.0)), None);
        let inp = m.estimate_p98(1.0).unwrap();
        assert_eq!((inp.latency, inp.entries.as_slice()), (56.0, &[2][..]));
    }

    #[test]
    fn only_the_ten_longest_are_kept() {
        let mut m = InteractionManager::default();
        for i in 0..20u32 {
            m.process(event(
                i as usize,
                u64::from(i) + 1,
                f64::from(i),
                f64::from(i),
            ));
        }
        assert_eq!(m.longest.len(), 10);
        assert_eq!(m.longest.last().map(|i| i.latency), Some(10.0));
        // Too short to be among them.
        assert_eq!(m.process(event(99, 500, 0.0, 9.0)), None);
        assert_eq!(m.estimate_p98(1e12).map(|i| i.latency), Some(10.0));
    }

    #[test]
    fn a_first_input_is_a_candidate_without_an_interaction_id() {
        let mut m = InteractionManager::default();
        let mut fi = event(0, 0, 10.0, 16.0);
        fi.first_input = true;
        assert_eq!(m.process(fi), Some(0));
        assert_eq!(m.estimate_p98(0.0).map(|i| i.latency), Some(16.0));
    }

    #[test]
    fn the_polyfill_counts_interactions_from_the_id_range() {
        assert_eq!(interaction_count(Some(3.0), [7000, 7700]), 3.0);
        assert_eq!(interaction_count(Some(2.5), []), 2.5);
        assert_eq!(interaction_count(None, [0, 7000, 7014, 0, 7007]), 3.0);
        assert_eq!(interaction_count(None, [0, 0]), 0.0);
        assert_eq!(interaction_count(None, []), 0.0);
    }

    #[test]
    fn odd_counts_do_not_panic() {
        let mut m = InteractionManager::default();
        assert!(m.estimate_p98(5.0).is_none());
        m.process(event(0, 1, 0.0, 1.0));
        assert!(m.estimate_p98(f64::NAN).is_none());
        assert!(m.estimate_p98(-60.0).is_none());
        assert_eq!(m.estimate_p98(f64::INFINITY).map(|i| i.id), Some(1));
    }
}
