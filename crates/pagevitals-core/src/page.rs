//! Facts about the page view that every metric needs: the valid navigation entry, the
//! activation start, the first time the page was hidden, and the navigation type.

use crate::log::{Entry, EntryLog, Lifecycle, NavigationTiming, Record, VisibilityState};
use crate::metric::{Metric, MetricName, NavigationType};
use crate::rating::Thresholds;

/// Page-view context derived once from a log.
#[derive(Debug, Clone)]
pub struct PageView<'a> {
    /// The navigation entry, when present and valid (web-vitals `getNavigationEntry`:
    /// `responseStart` must be > 0 and earlier than now).
    pub navigation: Option<&'a NavigationTiming>,
    /// When a prerendered page was activated; 0 otherwise.
    pub activation_start: f64,
    /// When the page was first hidden; `f64::INFINITY` when it never was.
    pub first_hidden_time: f64,
    /// How the page view began.
    pub navigation_type: NavigationType,
    /// The page view's id, from the log.
    pub navigation_id: &'a str,
    /// `PerformanceObserver.supportedEntryTypes`, from the log.
    pub supported_entry_types: &'a [String],
    /// False while a prerendered page has not been activated: web-vitals
    /// (`src/lib/whenActivated.ts`) starts FCP, LCP, CLS and INP only once it is.
    pub activated: bool,
    /// Set when this page view began with a back/forward-cache restore (`page.restoredAt`):
    /// the restore's time. web-vitals (`src/lib/bfcache.ts`) then starts every metric afresh,
    /// with navigation type `back-forward-cache`.
    pub restored_at: Option<f64>,
    /// For a restored page view, the `restorepaint` record's time minus the restore's: the
    /// value web-vitals gives FCP and LCP after a restore (`performance.now() -
    /// event.timeStamp` two animation frames later). `None` until that record arrives.
    pub restored_paint: Option<f64>,
    /// Whether the document had loaded: its navigation entry has a `loadEventStart`, or the
    /// agent saw the `pageshow` that follows `load`. web-vitals reports TTFB only once the
    /// document has loaded (`src/lib/whenReady.ts`): a page left before has no TTFB.
    pub loaded: bool,
    /// When a later restore ended this page view (the first `pageshow` with `persisted`
    /// after the view began); `f64::INFINITY` when none did. Metrics that accumulate (CLS,
    /// INP) stop there, as web-vitals starts them afresh. The agent starts a new log at a
    /// restore, so this only matters for logs that span one.
    pub restore_time: f64,
}

impl<'a> PageView<'a> {
    /// Derives the page-view context from `log`.
    pub fn new(log: &'a EntryLog) -> Self {
        // Chromium may deliver the navigation entry twice: early, with the fields of later
        // phases still 0, and again complete after load. The last one is the fullest.
        let navigation = log.records.iter().rev().find_map(|r| match r {
            Record::Entry(Entry::Navigation(n)) => Some(n.as_ref()),
            _ => None,
        });
        let navigation =
            navigation.filter(|n| n.response_start > 0.0 && n.response_start < log.now);
        let activation_start = navigation.map_or(0.0, |n| n.activation_start);
        let restored_at = log.page.restored_at;
        let view_start = restored_at.unwrap_or(f64::NEG_INFINITY);
        PageView {
            navigation,
            activation_start,
            first_hidden_time: first_hidden_time(log, activation_start),
            navigation_type: if restored_at.is_some() {
                // initMetric: a restore takes precedence over every other navigation type.
                NavigationType::BackForwardCache
            } else {
                navigation_type(log, navigation, activation_start)
            },
            navigation_id: &log.page.navigation_id,
            supported_entry_types: &log.page.supported_entry_types,
            // The agent copies `prerendering` into a restored page view's page facts; a page
            // in the back/forward cache had been shown, so it was activated.
            activated: restored_at.is_some()
                || !log.page.prerendering
                || log
                    .records
                    .iter()
                    .any(|r| matches!(r, Record::Lifecycle(Lifecycle::PrerenderingChange { .. }))),
            restored_at,
            restored_paint: restored_at.and_then(|at| {
                log.records.iter().find_map(|r| match r {
                    Record::Lifecycle(Lifecycle::RestorePaint { time }) if *time >= at => {
                        Some(time - at)
                    }
                    _ => None,
                })
            }),
            loaded: navigation.is_some_and(|n| n.load_event_start > 0.0)
                || log.records.iter().any(|r| {
                    matches!(
                        r,
                        Record::Lifecycle(Lifecycle::PageShow {
                            persisted: false,
                            ..
                        })
                    )
                }),
            restore_time: log
                .records
                .iter()
                .find_map(|r| match r {
                    Record::Lifecycle(Lifecycle::PageShow {
                        persisted: true,
                        time,
                    }) if *time > view_start => Some(*time),
                    _ => None,
                })
                .unwrap_or(f64::INFINITY),
        }
    }

    /// True when the browser supports observing `entry_type`. web-vitals' `observe()`
    /// (`src/lib/observe.ts`) registers nothing for an unsupported type, so the metrics built
    /// on it are never reported: absent, not zero.
    pub fn supports(&self, entry_type: &str) -> bool {
        self.supported_entry_types.iter().any(|t| t == entry_type)
    }

    /// A metric of this page view: rated against `thresholds`, `delta` equal to `value` (a
    /// report is a snapshot), a stable id, the view's navigation type.
    pub fn metric<A>(
        &self,
        name: MetricName,
        thresholds: &Thresholds,
        value: f64,
        attribution: A,
    ) -> Metric<A> {
        Metric {
            name,
            value,
            rating: thresholds.rate(value),
            delta: value,
            id: self.metric_id(name.as_str()),
            navigation_type: self.navigation_type,
            attribution,
        }
    }

    /// A metric id unique to this page view (web-vitals uses a random id; ours is stable so
    /// that the same log always yields the same report).
    pub fn metric_id(&self, metric: &str) -> String {
        format!("pv1-{}-{metric}", self.navigation_id)
    }
}

/// web-vitals `src/lib/getVisibilityWatcher.ts`: prefer the first `hidden` visibility-state
/// entry at or after activation; else 0 when the page started hidden (and not prerendering);
/// else the first change to hidden the agent saw.
fn first_hidden_time(log: &EntryLog, activation_start: f64) -> f64 {
    if !log.page.prerendering {
        let from_entries = log.records.iter().find_map(|r| match r {
            Record::Entry(Entry::VisibilityState(v))
                if v.name == "hidden" && v.start_time >= activation_start =>
            {
                Some(v.start_time)
            }
            _ => None,
        });
        if let Some(t) = from_entries {
            return t;
        }
        if log.page.initial_visibility == VisibilityState::Hidden {
            return 0.0;
        }
    }
    let mut hidden_now = log.page.initial_visibility == VisibilityState::Hidden;
    for record in &log.records {
        match record {
            Record::Lifecycle(Lifecycle::VisibilityChange { state, time }) => {
                hidden_now = *state == VisibilityState::Hidden;
                if hidden_now {
                    return *time;
                }
            }
            // Activated while still hidden: the page was hidden all along.
            Record::Lifecycle(Lifecycle::PrerenderingChange { .. }) if hidden_now => return 0.0,
            _ => {}
        }
    }
    f64::INFINITY
}

/// web-vitals `src/lib/initMetric.ts`.
fn navigation_type(
    log: &EntryLog,
    navigation: Option<&NavigationTiming>,
    activation_start: f64,
) -> NavigationType {
    let Some(nav) = navigation else {
        return NavigationType::Navigate;
    };
    if log.page.prerendering || activation_start > 0.0 {
        NavigationType::Prerender
    } else if log.page.was_discarded {
        NavigationType::Restore
    } else {
        match nav.navigation_type.as_str() {
            "reload" => NavigationType::Reload,
            "back_forward" => NavigationType::BackForward,
            "prerender" => NavigationType::Prerender,
            _ => NavigationType::Navigate,
        }
    }
}

/// Where the document was in loading at a moment (web-vitals `src/lib/getLoadState.ts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LoadState {
    /// Before `domInteractive`.
    Loading,
    /// Before `DOMContentLoaded` started.
    DomInteractive,
    /// Before `domComplete`.
    DomContentLoaded,
    /// After `domComplete`.
    Complete,
}

impl PageView<'_> {
    /// The load state at `time` (ms from time origin). web-vitals reads `document.readyState`
    /// first and says `loading` while it is: a document that never reached `domInteractive`
    /// (left while still parsing; the entry's `domInteractive` is 0) was loading throughout.
    pub fn load_state(&self, time: f64) -> LoadState {
        let Some(nav) = self.navigation else {
            return LoadState::Complete;
        };
        if nav.dom_interactive == 0.0 || time < nav.dom_interactive {
            LoadState::Loading
        } else if nav.dom_content_loaded_event_start == 0.0
            || time < nav.dom_content_loaded_event_start
        {
            LoadState::DomInteractive
        } else if nav.dom_complete == 0.0 || time < nav.dom_complete {
            LoadState::DomContentLoaded
        } else {
            LoadState::Complete
        }
    }
}
