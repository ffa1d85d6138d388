//! Per-route metrics for single-page apps: one set of FCP, TTFB, LCP, CLS and INP for each
//! soft navigation, as web-vitals v6 reports them with `reportSoftNavs: true`
//! (<https://github.com/GoogleChrome/web-vitals/blob/v6.2.3/src/onFCP.ts> and its siblings;
//! the browser side is WICG Soft Navigations, shipped in Chromium 151+). Elsewhere there are
//! no `soft-navigation` entries, so there are no routes (the report lists the type as
//! unsupported).
//!
//! A route begins at its `soft-navigation` entry and ends at the next one. The page view's
//! own metrics (the report's `metrics`) keep web-vitals' default semantics, which ignore soft
//! navigations and span the whole page view: that is what CrUX and analytics code with
//! default options see. Per route, web-vitals v6 defines:
//! - FCP: the soft navigation's `presentationTime` (else `paintTime`) minus its `startTime`.
//! - TTFB: 0 (there is no document request).
//! - LCP: the latest `interaction-contentful-paint` of the interaction that caused the route,
//!   `largestContentfulPaint.renderTime - startTime`, counted while it was painted before the
//!   route's first trusted keydown or click and before the page was next hidden.
//! - CLS: session windows over the layout shifts after the route began.
//! - INP: the interactions after the one that caused the route, p98-estimated over the
//!   interactions counted during the route.
//!
//! How web-vitals' live rules map onto a log (the differences are in docs/metrics.md):
//! - web-vitals splits CLS where its observer delivers the `soft-navigation` entry, which the
//!   browser queues when it presents the route's first contentful paint: here a shift belongs
//!   to the route when it started at or after that `presentationTime`.
//! - It splits INP where the entry is delivered too; the interaction that caused the route is
//!   delivered before it, so it belongs to the route before. Here an interaction belongs to
//!   the last route that began at or before its first entry, except the interaction that
//!   caused a route, which belongs to the route (or page view) before.
//! - The route's interaction count is the difference between the counts the agent wrote on
//!   consecutive `soft-navigation` records (`interactionCount`, read when the entry arrived).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::cls::{self, ClsAttribution};
use crate::fcp::{self, FcpAttribution};
use crate::inp::{self, InpAttribution};
use crate::lcp::{self, LcpAttribution};
use crate::log::{
    Entry, EntryLog, InputKind, InteractionContentfulPaint, LargestContentfulPaint, Lifecycle,
    Record, ResourceTiming, SoftNavigation, VisibilityState,
};
use crate::metric::{Metric, MetricName, NavigationType};
use crate::page::{LoadState, PageView};
use crate::ttfb::{self, TtfbAttribution};

/// The entry type routes are built from.
pub const ENTRY_TYPE: &str = "soft-navigation";

/// The route a soft navigation began: where and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoutePage {
    /// The URL navigated to (web-vitals `navigationURL`).
    pub url: String,
    /// Unique per route: the page view's id and the browser's `navigationId`.
    pub navigation_id: String,
    /// Always `soft-navigation`.
    pub navigation_type: NavigationType,
    /// When the interaction that caused it started, ms from time origin (web-vitals
    /// `navigationStartTime`).
    pub start_time: f64,
    /// That interaction (web-vitals `navigationInteractionId`).
    pub interaction_id: u64,
}

/// One route's metrics; a metric web-vitals would not report is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteMetrics {
    /// Where and when the route began.
    pub page: RoutePage,
    /// First Contentful Paint of the route.
    pub fcp: Option<Metric<FcpAttribution>>,
    /// Always 0.
    pub ttfb: Option<Metric<TtfbAttribution>>,
    /// Largest Contentful Paint of the route.
    pub lcp: Option<Metric<LcpAttribution>>,
    /// Layout shifts during the route.
    pub cls: Option<Metric<ClsAttribution>>,
    /// Interactions during the route.
    pub inp: Option<Metric<InpAttribution>>,
}

/// One soft navigation and where it sits in the log.
struct Start<'a> {
    /// Index into the log's records.
    index: usize,
    entry: &'a SoftNavigation,
}

impl Start<'_> {
    /// When web-vitals sees the route begin: the browser queues the entry when it presents
    /// the route's first contentful paint.
    fn detected(&self) -> f64 {
        let e = self.entry;
        if e.presentation_time > 0.0 {
            e.presentation_time
        } else if e.paint_time > 0.0 {
            e.paint_time
        } else {
            e.start_time + e.duration
        }
    }
}

/// Every route of the page view, in order; empty where `soft-navigation` is unsupported.
pub fn routes(log: &EntryLog, view: &PageView<'_>) -> Vec<RouteMetrics> {
    if !view.activated || !view.supports(ENTRY_TYPE) {
        return Vec::new();
    }
    let starts: Vec<Start<'_>> = log
        .records
        .iter()
        .enumerate()
        .filter_map(|(index, r)| match r {
            Record::Entry(Entry::SoftNavigation(entry)) => Some(Start { index, entry }),
            _ => None,
        })
        .collect();
    if starts.is_empty() {
        return Vec::new();
    }
    let owners = interaction_owners(log, &starts);
    (0..starts.len())
        .filter_map(|k| route(log, view, &starts, &owners, k))
        .collect()
}

fn route(
    log: &EntryLog,
    view: &PageView<'_>,
    starts: &[Start<'_>],
    owners: &HashMap<u64, Option<usize>>,
    k: usize,
) -> Option<RouteMetrics> {
    let start = starts.get(k)?;
    let next = starts.get(k + 1);
    let soft = start.entry;
    let id = format!("{}:{}", view.navigation_id, soft.navigation_id);
    let mut route_view = view.clone();
    route_view.navigation_type = NavigationType::SoftNavigation;
    route_view.navigation_id = &id;
    let page = RoutePage {
        url: soft.name.clone(),
        navigation_id: id.clone(),
        navigation_type: NavigationType::SoftNavigation,
        start_time: soft.start_time,
        interaction_id: soft.interaction_id,
    };

    // onFCP's soft-navigation handler: "Clamp FCP at 0."
    let paint = if soft.presentation_time != 0.0 {
        soft.presentation_time
    } else {
        soft.paint_time
    };
    let fcp_value = (paint - soft.start_time).max(0.0);
    let fcp = route_view.metric(
        MetricName::FCP,
        &fcp::THRESHOLDS,
        fcp_value,
        FcpAttribution {
            time_to_first_byte: 0.0,
            first_byte_to_fcp: fcp_value,
            load_state: LoadState::Complete,
        },
    );
    let ttfb = route_view.metric(
        MetricName::TTFB,
        &ttfb::THRESHOLDS,
        0.0,
        TtfbAttribution::default(),
    );

    let lcp = route_lcp(log, &route_view, start, next);

    let cls = route_view.supports("layout-shift").then(|| {
        let (from, to) = (
            start.detected(),
            next.map_or(f64::INFINITY, Start::detected),
        );
        let shifts = log.records.iter().filter_map(|r| match r {
            Record::Entry(Entry::LayoutShift(s))
                if s.start_time >= from
                    && s.start_time < to
                    && s.start_time < view.restore_time =>
            {
                Some(s)
            }
            _ => None,
        });
        cls::of_shifts(shifts, &route_view)
    });

    let inp = route_inp(log, view, starts, owners, k, &id);

    Some(RouteMetrics {
        page,
        fcp: Some(fcp),
        ttfb: Some(ttfb),
        lcp,
        cls,
        inp,
    })
}

/// onLCP with soft navigations: the latest interaction-contentful-paint of the route's
/// interaction before observation of the route stopped.
fn route_lcp(
    log: &EntryLog,
    view: &PageView<'_>,
    start: &Start<'_>,
    next: Option<&Start<'_>>,
) -> Option<Metric<LcpAttribution>> {
    let soft = start.entry;
    if soft.interaction_id == 0 {
        return None;
    }
    let after = log.records.iter().skip(start.index + 1);
    // finalizeLCP: the first trusted keydown or click after the route began (the agent
    // records the first one after each soft-navigation entry).
    let stopped_at = after
        .clone()
        .find_map(|r| match r {
            Record::Lifecycle(Lifecycle::Input {
                kind: InputKind::Keydown | InputKind::Click,
                time,
            }) if *time > soft.start_time => Some(*time),
            _ => None,
        })
        .unwrap_or(f64::INFINITY);
    // `getVisibilityWatcher(true)` at the soft navigation: the next change to hidden.
    let hidden_at = after
        .clone()
        .find_map(|r| match r {
            Record::Lifecycle(Lifecycle::VisibilityChange {
                state: VisibilityState::Hidden,
                time,
            }) => Some(*time),
            _ => None,
        })
        .unwrap_or(f64::INFINITY);
    // The route's metric is replaced at the next soft navigation: later paints of this
    // interaction are ignored.
    let end = next.map_or(log.records.len(), |n| n.index);
    let paint = log
        .records
        .iter()
        .take(end)
        .filter_map(|r| match r {
            Record::Entry(Entry::InteractionContentfulPaint(icp)) => {
                icp_paint(icp, soft.interaction_id)
            }
            _ => None,
        })
        .rfind(|p| p.render_time < hidden_at && p.render_time < stopped_at)?;
    // "Paints should never be less than 0 but add cap just in case."
    let value = (paint.render_time - soft.start_time).max(0.0);
    Some(view.metric(
        MetricName::LCP,
        &lcp::THRESHOLDS,
        value,
        attribute_lcp(log, paint, soft.start_time, value),
    ))
}

/// The paint of `icp` when it belongs to `interaction_id`.
fn icp_paint(
    icp: &InteractionContentfulPaint,
    interaction_id: u64,
) -> Option<&LargestContentfulPaint> {
    if icp.interaction_id != interaction_id {
        return None;
    }
    icp.largest_contentful_paint.as_ref()
}

/// web-vitals v6 `attributeLCP` for a soft navigation: times from the route's start, no
/// document request (TTFB 0), and the latest request for the element's URL that started
/// before the paint.
fn attribute_lcp(
    log: &EntryLog,
    paint: &LargestContentfulPaint,
    route_start: f64,
    value: f64,
) -> LcpAttribution {
    let target = paint
        .selector
        .clone()
        .or_else(|| (!paint.id.is_empty()).then(|| format!("#{}", paint.id)));
    let url = (!paint.url.is_empty()).then(|| paint.url.clone());
    let request_start_of = |r: &ResourceTiming| {
        if r.request_start != 0.0 {
            r.request_start
        } else {
            r.start_time
        }
    };
    let resource = url.as_deref().and_then(|url| {
        log.records.iter().rev().find_map(|r| match r {
            Record::Entry(Entry::Resource(res))
                if res.name == url && request_start_of(res) <= paint.start_time =>
            {
                Some(res.as_ref())
            }
            _ => None,
        })
    });
    let request_start = resource.map_or(0.0, |r| (request_start_of(r) - route_start).max(0.0));
    // "Cap at LCP time (videos continue downloading after LCP for example)."
    let response_end =
        value.min(request_start.max(resource.map_or(0.0, |r| r.response_end - route_start)));
    LcpAttribution {
        target,
        url,
        time_to_first_byte: 0.0,
        resource_load_delay: request_start,
        resource_load_duration: response_end - request_start,
        element_render_delay: value - response_end,
    }
}

/// For each interaction id in the log, the route it belongs to (`None`: the page view before
/// any soft navigation).
fn interaction_owners(log: &EntryLog, starts: &[Start<'_>]) -> HashMap<u64, Option<usize>> {
    // Each interaction's earliest entry, and each route's causing interaction (the first
    // route an id caused), by id: one pass over the log, one lookup per interaction.
    let mut first_start: HashMap<u64, f64> = HashMap::new();
    for record in &log.records {
        if let Record::Entry(Entry::Event(e)) = record {
            let id = e.interaction_id();
            if id != 0 {
                first_start
                    .entry(id)
                    .and_modify(|t| *t = t.min(e.start_time))
                    .or_insert(e.start_time);
            }
        }
    }
    let mut caused: HashMap<u64, usize> = HashMap::new();
    for (j, s) in starts.iter().enumerate() {
        caused.entry(s.entry.interaction_id).or_insert(j);
    }
    first_start
        .into_iter()
        .map(|(id, time)| {
            let owner = match caused.get(&id) {
                // The interaction that caused route j belongs to the one before it.
                Some(&j) => j.checked_sub(1),
                None => starts.iter().rposition(|s| s.entry.start_time <= time),
            };
            (id, owner)
        })
        .collect()
}

/// onINP with soft navigations: the route's own interactions, estimated over the interaction
/// count during the route. Built by running the page view's INP over a log of just the
/// route's event entries (and the long animation frames of its time, for attribution).
fn route_inp(
    log: &EntryLog,
    view: &PageView<'_>,
    starts: &[Start<'_>],
    owners: &HashMap<u64, Option<usize>>,
    k: usize,
    id: &str,
) -> Option<Metric<InpAttribution>> {
    if !view.supports("event") {
        return None;
    }
    let start = starts.get(k)?;
    let next = starts.get(k + 1);
    let from = start.entry.start_time;
    let frames_to = next.map_or(f64::INFINITY, Start::detected);
    let mine = |interaction: u64| owners.get(&interaction) == Some(&Some(k));
    let records: Vec<Record> = log
        .records
        .iter()
        .filter(|r| match r {
            Record::Entry(Entry::Navigation(_)) => true,
            Record::Entry(Entry::Event(e)) => match e.interaction_id() {
                // Entries without an interaction only matter for grouping by frame (input
                // delay): keep those up to the next route's presentation, like the frames.
                0 => e.start_time >= from && e.start_time < frames_to,
                interaction => mine(interaction),
            },
            // The interaction that caused the next route is this route's, and its frames
            // last until the next route is presented.
            Record::Entry(Entry::LongAnimationFrame(l)) => {
                l.start_time + l.duration >= from && l.start_time < frames_to
            }
            _ => false,
        })
        .cloned()
        .map(|mut record| {
            // The agent's per-delivery interaction counts are the page's, and a route keeps
            // only some of a delivery's entries: its INP is replayed after each entry, with
            // the route's own count estimated from the ids, as before those counts existed.
            if let Record::Entry(Entry::Event(e)) = &mut record {
                e.interaction_count = None;
            }
            record
        })
        .collect();
    let count_at = |s: Option<&Start<'_>>| match s {
        Some(s) => s.entry.interaction_count,
        None => log.interaction_count,
    };
    let interaction_count = match (count_at(Some(start)), count_at(next)) {
        (Some(before), Some(after)) => Some((after - before).max(0.0)),
        _ => None,
    };
    let sub = EntryLog {
        page: log.page.clone(),
        now: log.now,
        interaction_count,
        records,
        dropped: BTreeMap::new(),
        agent_cost: None,
    };
    let mut sub_view = PageView::new(&sub);
    sub_view.navigation_type = NavigationType::SoftNavigation;
    sub_view.navigation_id = id;
    inp::inp_with(&sub, &sub_view, inp::ProcessingStart::FrameGroup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rating::Rating;
    use crate::testing::{NAV, log, log_supporting, log_with_page, paint};

    fn soft(navigation_id: u64, start: f64, presentation: f64, interaction: u64) -> String {
        format!(
            r#"{{"entryType":"soft-navigation","name":"http://x/r{navigation_id}",
                "startTime":{start},"duration":{},"navigationId":{navigation_id},
                "paintTime":{},"presentationTime":{presentation},
                "navigationType":"push","interactionId":{interaction}}}"#,
            presentation - start,
            presentation - 5.0
        )
    }

    fn icp(interaction: u64, start: f64, render: f64, selector: &str) -> String {
        format!(
            r#"{{"entryType":"interaction-contentful-paint","startTime":{start},
                "interactionId":{interaction},
                "largestContentfulPaint":{{"entryType":"largest-contentful-paint",
                  "startTime":{render},"renderTime":{render},"size":100,"url":"",
                  "selector":"{selector}"}}}}"#
        )
    }

    fn click(id: u64, start: f64, duration: f64) -> String {
        format!(
            r#"{{"entryType":"event","name":"click","startTime":{start},"duration":{duration},
                "processingStart":{},"processingEnd":{},"interactionId":{id},
                "selector":"a.link"}}"#,
            start + 2.0,
            start + 10.0
        )
    }

    fn input(kind: &str, time: f64) -> String {
        format!(r#"{{"lifecycle":"input","kind":"{kind}","time":{time}}}"#)
    }

    fn shift(start: f64, value: f64) -> String {
        let rect =
            r#"{"x":0,"y":0,"width":10,"height":10,"top":0,"right":10,"bottom":10,"left":0}"#;
        format!(
            r#"{{"entryType":"layout-shift","startTime":{start},"value":{value},
                "hadRecentInput":false,
                "sources":[{{"previousRect":{rect},"currentRect":{rect},"selector":"div.ad"}}]}}"#
        )
    }

    fn routes_of(log: &EntryLog) -> Vec<RouteMetrics> {
        routes(log, &PageView::new(log))
    }

    #[test]
    fn each_soft_navigation_starts_a_route_with_its_own_fcp_ttfb_and_lcp() {
        let log = log(&[
            NAV.into(),
            paint(100.0),
            click(11, 1000.0, 120.0),
            icp(11, 1000.0, 1090.0, "h1"),
            soft(2, 1000.0, 1100.0, 11),
            icp(11, 1000.0, 1250.0, "ul>li"),
            click(18, 3000.0, 64.0),
            soft(3, 3000.0, 3040.5, 18),
            icp(18, 3000.0, 3040.5, "main>h1"),
        ]
        .join(","));
        let routes = routes_of(&log);
        assert_eq!(routes.len(), 2);
        let first = &routes[0];
        assert_eq!(first.page.url, "http://x/r2");
        assert_eq!(first.page.navigation_id, "n1:2");
        let fcp = first.fcp.as_ref().unwrap();
        assert_eq!(fcp.value, 100.0);
        assert_eq!(fcp.navigation_type, NavigationType::SoftNavigation);
        assert_eq!(fcp.id, "pv1-n1:2-FCP");
        assert_eq!(first.ttfb.as_ref().unwrap().value, 0.0);
        // The later, larger paint of the same interaction wins.
        let lcp = first.lcp.as_ref().unwrap();
        assert_eq!(lcp.value, 250.0);
        assert_eq!(lcp.attribution.target.as_deref(), Some("ul>li"));
        assert_eq!(lcp.attribution.element_render_delay, 250.0);
        // The click that caused the second route is the first route's only interaction.
        assert_eq!(first.inp.as_ref().unwrap().value, 64.0);
        let second = &routes[1];
        assert_eq!(second.fcp.as_ref().unwrap().value, 40.5);
        assert_eq!(second.lcp.as_ref().unwrap().value, 40.5);
        assert!(
            second.inp.is_none(),
            "no interaction after the second route began"
        );
    }

    #[test]
    fn the_route_lcp_stops_at_the_first_keydown_or_click_after_it_began() {
        let log = log(&[
            NAV.into(),
            paint(100.0),
            soft(2, 1000.0, 1100.0, 11),
            icp(11, 1000.0, 1100.0, "h1"),
            input("click", 1500.0),
            icp(11, 1000.0, 1700.0, "img"),
        ]
        .join(","));
        assert_eq!(routes_of(&log)[0].lcp.as_ref().unwrap().value, 100.0);
    }

    #[test]
    fn a_paint_after_the_page_was_hidden_does_not_count() {
        let log = log(&[
            NAV.into(),
            soft(2, 1000.0, 1100.0, 11),
            r#"{"lifecycle":"visibilitychange","state":"hidden","time":1200}"#.into(),
            icp(11, 1000.0, 1300.0, "img"),
        ]
        .join(","));
        assert!(routes_of(&log)[0].lcp.is_none());
    }

    #[test]
    fn paints_of_another_interaction_are_ignored() {
        let log = log(&[
            NAV.into(),
            soft(2, 1000.0, 1100.0, 11),
            icp(25, 2000.0, 2100.0, "img"),
        ]
        .join(","));
        assert!(routes_of(&log)[0].lcp.is_none());
    }

    #[test]
    fn cls_restarts_at_each_route_from_its_first_presented_paint() {
        let log = log(&[
            NAV.into(),
            paint(100.0),
            shift(500.0, 0.3),
            soft(2, 1000.0, 1100.0, 11),
            shift(1050.0, 0.2), // before the route was presented: the page view's
            shift(2000.0, 0.05),
            shift(2500.0, 0.04),
        ]
        .join(","));
        let view = PageView::new(&log);
        let routes = routes(&log, &view);
        let cls = routes[0].cls.as_ref().unwrap();
        assert!((cls.value - 0.09).abs() < 1e-12, "{}", cls.value);
        assert_eq!(cls.attribution.largest_shift_time, Some(2000.0));
        // The page view's own CLS still spans everything (default web-vitals semantics):
        // all four shifts fall in one session window.
        let page_cls = crate::cls::cls(&log, &view).unwrap();
        assert!((page_cls.value - 0.59).abs() < 1e-12, "{}", page_cls.value);
    }

    #[test]
    fn a_route_without_shifts_has_cls_zero_but_none_where_layout_shift_is_unsupported() {
        let records = [NAV.into(), paint(100.0), soft(2, 1000.0, 1100.0, 11)].join(",");
        assert_eq!(
            routes_of(&log(&records))[0].cls.as_ref().unwrap().value,
            0.0
        );
        let without = log_supporting(
            &["navigation", "paint", "event", "soft-navigation"],
            &records,
        );
        assert!(routes_of(&without)[0].cls.is_none());
    }

    /// INP of the one route of a page: the route starts with the page's interaction count at
    /// `count_before`, `clicks` follow it, and the page ends at `count_after`.
    fn route_inp_from(
        count_before: u32,
        clicks: &[String],
        count_after: u32,
    ) -> Metric<InpAttribution> {
        let mut records = vec![NAV.to_owned(), paint(100.0)];
        records.push(soft(2, 1000.0, 1100.0, 11).replace(
            r#""interactionId":11"#,
            &format!(r#""interactionId":11,"interactionCount":{count_before}"#),
        ));
        records.extend_from_slice(clicks);
        let log = log_with_page(
            crate::report::ENTRY_TYPES_OF_INTEREST,
            "",
            &records.join(","),
            &format!(r#","interactionCount":{count_after}"#),
        );
        routes_of(&log)[0].inp.clone().unwrap()
    }

    #[test]
    fn route_inp_uses_the_interactions_counted_during_the_route() {
        // 120 interactions after the route began (count 10 -> 130): index floor(120/50) = 2,
        // the third-longest of the route's own interactions.
        let clicks = [300.0, 250.0, 200.0, 150.0]
            .iter()
            .enumerate()
            .map(|(i, duration)| click(100 + 7 * i as u64, 2000.0 + 500.0 * i as f64, *duration))
            .collect::<Vec<_>>();
        let inp = route_inp_from(10, &clicks, 130);
        assert_eq!(inp.value, 200.0);
        assert_eq!(inp.rating, Rating::Good);
        assert_eq!(inp.navigation_type, NavigationType::SoftNavigation);
    }

    #[test]
    fn route_inp_ignores_the_pages_per_delivery_counts() {
        // The route counts 90 interactions (40 -> 130): INP is its second longest, B. The
        // agent's count on C, the last entry of the delivery, is the page's 130, which would
        // put the estimate at C (the third longest, of B's latency) and keep it there.
        let clicks = [
            click(100, 2000.0, 300.0),
            click(107, 2500.0, 200.0),
            click(114, 3000.0, 200.0).replace(
                r#""interactionId":114"#,
                r#""interactionId":114,"interactionCount":130"#,
            ),
        ];
        let inp = route_inp_from(40, &clicks, 130);
        assert_eq!(inp.value, 200.0);
        assert_eq!(inp.attribution.interaction_time, 2500.0, "B");
    }

    #[test]
    fn no_routes_where_soft_navigation_is_unsupported() {
        let records = [NAV.into(), soft(2, 1000.0, 1100.0, 11)].join(",");
        let firefox = log_supporting(&["navigation", "paint", "event"], &records);
        assert!(routes_of(&firefox).is_empty());
    }
}
