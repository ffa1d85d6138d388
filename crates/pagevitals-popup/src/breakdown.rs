//! The bars: LCP split into its four phases, and the document's TTFB phases with its
//! Server-Timing metrics laid inside the request phase.

use pagevitals_core::lcp::LcpAttribution;
use pagevitals_core::log::ServerTiming;
use pagevitals_core::resources::RequestServerTiming;
use pagevitals_core::ttfb::TtfbAttribution;

/// One piece of a bar or one row of a waterfall: where it starts and how long it lasts, in
/// ms and as percentages of the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// What it is.
    pub label: String,
    /// Start, ms from the beginning of the whole.
    pub start: f64,
    /// Duration, ms.
    pub duration: f64,
    /// Start as a percentage of the whole.
    pub start_percent: f64,
    /// Duration as a percentage of the whole.
    pub percent: f64,
    /// `phase` for the browser's phases, `server` for a Server-Timing metric.
    pub kind: &'static str,
}

/// Lays `parts` end to end (or at the given starts) on a scale of `whole` ms.
fn scaled(parts: Vec<(String, f64, f64, &'static str)>, whole: f64) -> Vec<Segment> {
    parts
        .into_iter()
        .map(|(label, start, duration, kind)| Segment {
            label,
            start,
            duration,
            start_percent: crate::format::percent(start, whole),
            percent: crate::format::percent(duration, whole),
            kind,
        })
        .collect()
}

/// LCP's four phases end to end (web-vitals' attribution: they add up to LCP exactly).
pub fn lcp_phases(a: &LcpAttribution) -> Vec<Segment> {
    let phases = [
        ("Time to first byte", a.time_to_first_byte),
        ("Resource load delay", a.resource_load_delay),
        ("Resource load duration", a.resource_load_duration),
        ("Element render delay", a.element_render_delay),
    ];
    let total: f64 = phases.iter().map(|(_, d)| d.max(0.0)).sum();
    let mut start = 0.0;
    let parts = phases
        .into_iter()
        .map(|(label, d)| {
            let d = d.max(0.0);
            let part = (label.to_owned(), start, d, "phase");
            start += d;
            part
        })
        .collect();
    scaled(parts, total)
}

/// The backend waterfall: TTFB's phases end to end, then the document's Server-Timing
/// metrics (those of the request whose URL is the page's, else none), each laid from the
/// start of the request phase, since Server-Timing carries no start times: the server's
/// work happens while the browser waits for the first byte. The scale is the longer of TTFB
/// and the latest server metric's end, so a metric longer than the wait (parallel work, or a
/// clock the browser does not share) still fits and shows that it overruns.
pub fn backend(
    ttfb: &TtfbAttribution,
    server_timing: &[RequestServerTiming],
    page_url: &str,
) -> Vec<Segment> {
    let phases = [
        ("Waiting", ttfb.waiting_duration),
        ("Cache", ttfb.cache_duration),
        ("DNS", ttfb.dns_duration),
        ("Connection", ttfb.connection_duration),
        ("Request", ttfb.request_duration),
    ];
    let mut start = 0.0;
    let mut parts: Vec<(String, f64, f64, &'static str)> = Vec::new();
    for (label, d) in phases {
        let d = d.max(0.0);
        parts.push((label.to_owned(), start, d, "phase"));
        start += d;
    }
    let ttfb_total = start;
    let request_start = ttfb_total - ttfb.request_duration.max(0.0);
    let mut end = ttfb_total;
    for metric in document_server_timing(server_timing, page_url) {
        let d = metric.duration.max(0.0);
        let label = if metric.description.is_empty() {
            metric.name.clone()
        } else {
            format!("{} ({})", metric.name, metric.description)
        };
        end = end.max(request_start + d);
        parts.push((label, request_start, d, "server"));
    }
    scaled(parts, end)
}

/// The Server-Timing metrics of the page's own document request.
pub fn document_server_timing<'a>(
    server_timing: &'a [RequestServerTiming],
    page_url: &str,
) -> &'a [ServerTiming] {
    let strip = |u: &str| u.split('#').next().unwrap_or(u).to_owned();
    server_timing
        .iter()
        .find(|r| strip(&r.url) == strip(page_url))
        .map_or(&[], |r| r.metrics.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pagevitals_core::resources::ServerTimingSource;

    #[test]
    fn lcp_phases_add_up_and_are_laid_end_to_end() {
        let a = LcpAttribution {
            target: None,
            url: None,
            time_to_first_byte: 100.0,
            resource_load_delay: 300.0,
            resource_load_duration: 400.0,
            element_render_delay: 200.0,
        };
        let phases = lcp_phases(&a);
        let percents: Vec<f64> = phases.iter().map(|p| p.percent).collect();
        assert_eq!(percents, [10.0, 30.0, 40.0, 20.0]);
        let starts: Vec<f64> = phases.iter().map(|p| p.start).collect();
        assert_eq!(starts, [0.0, 100.0, 400.0, 800.0]);
        assert_eq!(phases[3].start_percent, 80.0);
    }

    #[test]
    fn server_timing_sits_inside_the_request_phase() {
        let ttfb = TtfbAttribution {
            waiting_duration: 10.0,
            cache_duration: 0.0,
            dns_duration: 20.0,
            connection_duration: 20.0,
            request_duration: 150.0,
        };
        let timing = vec![RequestServerTiming {
            url: "http://x/page".into(),
            source: ServerTimingSource::Header,
            metrics: vec![
                ServerTiming {
                    name: "db".into(),
                    duration: 53.2,
                    description: "product query".into(),
                },
                ServerTiming {
                    name: "render".into(),
                    duration: 21.0,
                    description: String::new(),
                },
            ],
        }];
        let rows = backend(&ttfb, &timing, "http://x/page#top");
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[4].label, "Request");
        assert_eq!((rows[4].start, rows[4].percent), (50.0, 75.0));
        assert_eq!(rows[5].label, "db (product query)");
        assert_eq!((rows[5].start, rows[5].kind), (50.0, "server"));
        assert_eq!(rows[6].start_percent, 25.0);
        // Another page's timing is not this document's.
        assert_eq!(backend(&ttfb, &timing, "http://x/other").len(), 5);
    }

    #[test]
    fn a_server_metric_longer_than_ttfb_widens_the_scale() {
        let ttfb = TtfbAttribution {
            request_duration: 100.0,
            ..TtfbAttribution::default()
        };
        let timing = vec![RequestServerTiming {
            url: "http://x/".into(),
            source: ServerTimingSource::Entry,
            metrics: vec![ServerTiming {
                name: "app".into(),
                duration: 400.0,
                description: String::new(),
            }],
        }];
        let rows = backend(&ttfb, &timing, "http://x/");
        assert_eq!(rows[4].percent, 25.0);
        assert_eq!(rows[5].percent, 100.0);
    }
}
