//! The Critical path section's lists: what blocked rendering, and the long tasks.

use pagevitals_core::Report;
use pagevitals_core::resources::Availability;

use crate::format;

/// One render-blocking request.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockingRow {
    /// Its URL.
    pub url: String,
    /// Its last path segment.
    pub name: String,
    /// What the rule or the summary says about it (`320 ms`, `12.0 KB`).
    pub detail: String,
}

/// Render-blocking requests: `None` where the browser does not say which requests block
/// (no `renderBlockingStatus`), else the blocking requests the render-blocking rule named
/// (those that cost 50 ms or more) followed by the other blocking ones among the largest.
pub fn render_blocking(report: &Report) -> Option<(usize, Vec<BlockingRow>)> {
    let resources = report.resources.as_ref()?;
    if resources.render_blocking_status != Availability::Available {
        return None;
    }
    let count = resources.total.render_blocking.unwrap_or(0);
    let mut rows: Vec<BlockingRow> = report
        .recommendations
        .iter()
        .filter(|f| f.id == "render-blocking-resources")
        .flat_map(|f| f.evidence.iter())
        .filter_map(|e| {
            let url = e.url.clone()?;
            let detail = [e.ms.map(format::ms), e.bytes.map(format::bytes)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            Some(BlockingRow {
                name: format::short_url(&url),
                url,
                detail,
            })
        })
        .collect();
    for row in &resources.largest {
        if row.render_blocking == Some(true) && !rows.iter().any(|r| r.url == row.url) {
            rows.push(BlockingRow {
                url: row.url.clone(),
                name: format::short_url(&row.url),
                detail: format::bytes(row.transfer_size),
            });
        }
    }
    Some((count, rows))
}

/// Long tasks as label and value rows; `None` where the browser has no `longtask` entries.
pub fn long_tasks(report: &Report) -> Option<Vec<(&'static str, String)>> {
    let t = report.long_tasks.as_ref()?;
    let mut rows = vec![
        ("Long tasks", t.count.to_string()),
        ("Total duration", format::ms(t.total_duration)),
        ("Longest", format::ms(t.longest_duration)),
    ];
    if let Some(tbt) = t.total_blocking_time {
        rows.push(("Total Blocking Time", format::ms(tbt)));
    }
    if let Some(frames) = &report.long_animation_frames {
        for script in frames.worst_scripts.iter().take(3) {
            let source = if script.source_url.is_empty() {
                script.worst_invoker.clone()
            } else {
                format::short_url(&script.source_url)
            };
            rows.push((
                "Script",
                format!("{source}: {}", format::ms(script.total_duration)),
            ));
        }
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn chromium_lists_the_blocking_stylesheet_and_firefox_cannot() {
        // shifts.html links fixture.css, which Chromium reports render-blocking.
        let r = report("session-windows.chromium.json");
        let (count, rows) = render_blocking(&r).unwrap();
        assert_eq!(count, 1);
        assert!(rows.iter().any(|row| row.name == "fixture.css"), "{rows:?}");
        assert!(render_blocking(&report("basic.firefox.json")).is_none());
    }

    #[test]
    fn long_tasks_are_unsupported_in_firefox() {
        let rows = long_tasks(&report("input.chromium.json")).unwrap();
        assert_eq!(rows[0], ("Long tasks", "2".to_owned()));
        assert!(long_tasks(&report("input.firefox.json")).is_none());
    }
}
