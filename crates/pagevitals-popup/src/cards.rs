//! The five metric cards: value and rating, or why there is none, and the attribution rows
//! shown on demand.

use pagevitals_core::metric::{Metric, MetricName};
use pagevitals_core::rating::Rating;
use pagevitals_core::report::Metrics;
use serde::Serialize;

use crate::format;

/// What a card shows instead of, or with, a value.
#[derive(Debug, Clone, PartialEq)]
pub enum CardStatus {
    /// A measured value.
    Measured {
        /// The raw value (ms, or unitless for CLS).
        value: f64,
        /// The value as shown.
        text: String,
        /// Its rating.
        rating: Rating,
    },
    /// The browser lacks the entry type the metric needs.
    Unsupported,
    /// Nothing yet (no interaction for INP, no paint yet for the others).
    Waiting,
}

/// One metric card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The web-vitals name.
    pub name: MetricName,
    /// The name in words.
    pub title: &'static str,
    /// Value, or why there is none.
    pub status: CardStatus,
    /// Why the value is what it is: label and text, in reading order.
    pub attribution: Vec<(&'static str, String)>,
}

/// The metrics in the order the popup shows them: the Core Web Vitals, then the others.
const ORDER: [MetricName; 5] = [
    MetricName::LCP,
    MetricName::INP,
    MetricName::CLS,
    MetricName::FCP,
    MetricName::TTFB,
];

/// The entry type each metric is computed from; its absence from the browser's supported
/// types makes the metric unsupported (`report.unsupportedEntryTypes`).
pub fn entry_type(name: MetricName) -> &'static str {
    match name {
        MetricName::FCP => "paint",
        MetricName::TTFB => "navigation",
        MetricName::LCP => "largest-contentful-paint",
        MetricName::CLS => "layout-shift",
        MetricName::INP => "event",
    }
}

/// The metric's name in words.
pub fn title(name: MetricName) -> &'static str {
    match name {
        MetricName::FCP => "First Contentful Paint",
        MetricName::TTFB => "Time to First Byte",
        MetricName::LCP => "Largest Contentful Paint",
        MetricName::CLS => "Cumulative Layout Shift",
        MetricName::INP => "Interaction to Next Paint",
    }
}

/// What a card says while it has no value.
pub fn waiting_text(name: MetricName) -> &'static str {
    match name {
        MetricName::INP => "No interaction yet",
        _ => "Not yet measured",
    }
}

/// The five cards for a report's metrics.
pub fn cards(metrics: &Metrics, unsupported: &[String]) -> Vec<Card> {
    ORDER
        .iter()
        .map(|&name| {
            let measured = match name {
                MetricName::FCP => metrics.fcp.as_ref().map(|m| measured(m, fcp_rows(m))),
                MetricName::TTFB => metrics.ttfb.as_ref().map(|m| measured(m, ttfb_rows(m))),
                MetricName::LCP => metrics.lcp.as_ref().map(|m| measured(m, lcp_rows(m))),
                MetricName::CLS => metrics.cls.as_ref().map(|m| measured(m, cls_rows(m))),
                MetricName::INP => metrics.inp.as_ref().map(|m| measured(m, inp_rows(m))),
            };
            let (status, attribution) = measured.unwrap_or_else(|| {
                let supported = !unsupported.iter().any(|t| t == entry_type(name));
                let status = if supported {
                    CardStatus::Waiting
                } else {
                    CardStatus::Unsupported
                };
                (status, Vec::new())
            });
            Card {
                name,
                title: title(name),
                status,
                attribution,
            }
        })
        .collect()
}

type Rows = Vec<(&'static str, String)>;

fn measured<A>(metric: &Metric<A>, rows: Rows) -> (CardStatus, Rows) {
    let status = CardStatus::Measured {
        value: metric.value,
        text: format::metric_value(metric.name, metric.value),
        rating: metric.rating,
    };
    (status, rows)
}

/// A serde enum's wire spelling (`dom-content-loaded`, `keyboard`).
fn word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn or_none(text: Option<&str>) -> String {
    match text {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => "(none)".to_owned(),
    }
}

fn lcp_rows(m: &Metric<pagevitals_core::lcp::LcpAttribution>) -> Rows {
    let a = &m.attribution;
    vec![
        ("Element", or_none(a.target.as_deref())),
        ("Resource", or_none(a.url.as_deref())),
        ("Time to first byte", format::ms(a.time_to_first_byte)),
        ("Resource load delay", format::ms(a.resource_load_delay)),
        (
            "Resource load duration",
            format::ms(a.resource_load_duration),
        ),
        ("Element render delay", format::ms(a.element_render_delay)),
    ]
}

fn inp_rows(m: &Metric<pagevitals_core::inp::InpAttribution>) -> Rows {
    let a = &m.attribution;
    let mut rows = vec![
        ("Target", or_none(a.interaction_target.as_deref())),
        ("Interaction", word(&a.interaction_type)),
        ("Input delay", format::ms(a.input_delay)),
        ("Processing", format::ms(a.processing_duration)),
        ("Presentation delay", format::ms(a.presentation_delay)),
        ("Load state", word(&a.load_state)),
    ];
    if let Some(script) = &a.longest_script {
        let source = if script.entry.source_url.is_empty() {
            script.entry.invoker.clone()
        } else {
            script.entry.source_url.clone()
        };
        rows.push((
            "Longest script",
            format!(
                "{} ({})",
                or_none(Some(&source)),
                format::ms(script.intersecting_duration)
            ),
        ));
    }
    rows
}

fn cls_rows(m: &Metric<pagevitals_core::cls::ClsAttribution>) -> Rows {
    let a = &m.attribution;
    let mut rows = vec![(
        "Largest shift target",
        or_none(a.largest_shift_target.as_deref()),
    )];
    if let Some(value) = a.largest_shift_value {
        rows.push(("Largest shift", format!("{value:.3}")));
    }
    if let Some(time) = a.largest_shift_time {
        rows.push(("At", format::ms(time)));
    }
    if let Some(state) = &a.load_state {
        rows.push(("Load state", word(state)));
    }
    rows
}

fn fcp_rows(m: &Metric<pagevitals_core::fcp::FcpAttribution>) -> Rows {
    let a = &m.attribution;
    vec![
        ("Time to first byte", format::ms(a.time_to_first_byte)),
        ("First byte to FCP", format::ms(a.first_byte_to_fcp)),
        ("Load state", word(&a.load_state)),
    ]
}

fn ttfb_rows(m: &Metric<pagevitals_core::ttfb::TtfbAttribution>) -> Rows {
    let a = &m.attribution;
    vec![
        ("Waiting", format::ms(a.waiting_duration)),
        ("Cache", format::ms(a.cache_duration)),
        ("DNS", format::ms(a.dns_duration)),
        ("Connection", format::ms(a.connection_duration)),
        ("Request", format::ms(a.request_duration)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn chromium_cards_have_values_and_inp_waits_for_input() {
        let r = report("basic.chromium.json");
        let cards = cards(&r.metrics, &r.unsupported_entry_types);
        let names: Vec<_> = cards.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["LCP", "INP", "CLS", "FCP", "TTFB"]);
        let Some(lcp) = r.metrics.lcp.as_ref() else {
            panic!("no LCP")
        };
        assert_eq!(
            cards[0].status,
            CardStatus::Measured {
                value: lcp.value,
                text: format::ms(lcp.value),
                rating: lcp.rating
            }
        );
        assert_eq!(cards[0].attribution.len(), 6);
        assert_eq!(cards[1].status, CardStatus::Waiting);
        assert!(matches!(cards[2].status, CardStatus::Measured { .. }));
    }

    #[test]
    fn firefox_cls_is_unsupported_never_zero() {
        let r = report("basic.firefox.json");
        let cards = cards(&r.metrics, &r.unsupported_entry_types);
        assert_eq!(cards[2].name, MetricName::CLS);
        assert_eq!(cards[2].status, CardStatus::Unsupported);
        assert!(cards[2].attribution.is_empty());
    }

    #[test]
    fn inp_attribution_names_the_interaction() {
        let r = report("input.chromium.json");
        let cards = cards(&r.metrics, &r.unsupported_entry_types);
        let labels: Vec<_> = cards[1].attribution.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            &labels[..6],
            [
                "Target",
                "Interaction",
                "Input delay",
                "Processing",
                "Presentation delay",
                "Load state"
            ]
        );
        assert!(["pointer", "keyboard"].contains(&cards[1].attribution[1].1.as_str()));
    }
}
