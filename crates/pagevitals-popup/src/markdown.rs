//! The Markdown summary the popup copies to the clipboard: page, metrics, score, budgets and
//! the ranked recommendations, for an issue or a pull request.

use std::fmt::Write;

use pagevitals_core::Report;

use crate::cards::{self, CardStatus};
use crate::extras::{self, Extras};
use crate::format;

/// Escapes what would break a table cell or start markup.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// The summary.
pub fn summary(report: &Report, extras: &Extras) -> String {
    let mut out = String::new();
    let nav = serde_json::to_value(report.page.navigation_type)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# PageVitals: {}\n", report.page.url);
    let _ = writeln!(out, "Navigation: {nav}\n");
    let _ = writeln!(out, "| Metric | Value | Rating |\n| --- | --- | --- |");
    for card in cards::cards(&report.metrics, &report.unsupported_entry_types) {
        let (value, rating) = match &card.status {
            CardStatus::Measured { text, rating, .. } => {
                (text.clone(), format::rating_label(*rating).to_owned())
            }
            CardStatus::Unsupported => ("unsupported in this browser".to_owned(), "–".to_owned()),
            CardStatus::Waiting => (cards::waiting_text(card.name).to_owned(), "–".to_owned()),
        };
        let _ = writeln!(out, "| {} | {} | {} |", card.name.as_str(), value, rating);
    }
    if let Some(score) = extras::score_view(extras.score.as_ref()) {
        let value = score
            .score
            .map_or_else(|| "–".to_owned(), |s| s.to_string());
        let _ = writeln!(
            out,
            "\nPerformance score: {value}{}",
            if score.estimated { " (estimated)" } else { "" }
        );
    }
    match extras::budget_rows(extras.budgets.as_ref()) {
        Some(rows) => {
            let _ = writeln!(
                out,
                "\n## Budgets\n\n| Budget | Measured | Limit | Status |\n| --- | --- | --- | --- |"
            );
            for r in rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    cell(&r.name),
                    r.measured,
                    r.limit,
                    r.status
                );
            }
        }
        None => {
            let _ = writeln!(out, "\nNo budget set.");
        }
    }
    if !report.recommendations.is_empty() {
        let _ = writeln!(out, "\n## Recommendations\n");
        for (i, f) in report.recommendations.iter().enumerate() {
            let severity = serde_json::to_value(f.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{}. **{}** ({severity}{}): {}",
                i + 1,
                cell(&f.title),
                saving(f.saving.ms, f.saving.bytes),
                cell(&f.fix)
            );
        }
    }
    if !report.soft_navigations.is_empty() {
        let _ = writeln!(
            out,
            "\n## Routes\n\n| Route | LCP | INP | CLS |\n| --- | --- | --- | --- |"
        );
        for route in &report.soft_navigations {
            let m = &route.metrics;
            let show = |v: Option<(pagevitals_core::metric::MetricName, f64)>| {
                v.map_or_else(|| "–".to_owned(), |(n, v)| format::metric_value(n, v))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&route.page.url),
                show(m.lcp.as_ref().map(|x| (x.name, x.value))),
                show(m.inp.as_ref().map(|x| (x.name, x.value))),
                show(m.cls.as_ref().map(|x| (x.name, x.value))),
            );
        }
    }
    out
}

/// `, saves 320 ms and 12.0 KB`; empty without an estimate.
pub fn saving(ms: Option<f64>, bytes: Option<f64>) -> String {
    let parts: Vec<String> = [ms.map(format::ms), bytes.map(format::bytes)]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(", saves {}", parts.join(" and "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;

    #[test]
    fn the_summary_has_every_metric_and_the_ranked_findings() {
        let r = report("basic.chromium.json");
        let md = summary(&r, &Extras::default());
        assert!(md.starts_with(&format!("# PageVitals: {}\n", r.page.url)));
        let Some(lcp) = r.metrics.lcp.as_ref() else {
            panic!("no LCP")
        };
        assert!(md.contains(&format!("| LCP | {} | ", format::ms(lcp.value))));
        assert!(md.contains("| INP | No interaction yet | – |"));
        assert!(md.contains("No budget set."));
        assert!(md.contains("## Recommendations"));
        assert!(md.contains(&format!("1. **{}**", r.recommendations[0].title)));
    }

    #[test]
    fn firefox_says_unsupported_and_budgets_show_when_present() {
        let r = report("basic.firefox.json");
        let extras = Extras {
            budgets: Some(
                serde_json::json!([{"name":"a|b","unit":"ms","measured":1,"limit":2,"status":"pass"}]),
            ),
            score: Some(serde_json::json!(0.9)),
        };
        let md = summary(&r, &extras);
        assert!(md.contains("| CLS | unsupported in this browser | – |"));
        assert!(md.contains("| a\\|b | 1 ms | 2 ms | pass |"));
        assert!(md.contains("Performance score: 90 (estimated)"));
        assert_eq!(
            saving(Some(320.0), Some(12_288.0)),
            ", saves 320 ms and 12.0 KB"
        );
        assert_eq!(saving(None, None), "");
    }

    #[test]
    fn soft_navigation_routes_get_a_table() {
        let r = report("soft-navigation.chromium.json");
        assert!(!r.soft_navigations.is_empty());
        let md = summary(&r, &Extras::default());
        assert!(md.contains("## Routes"));
        for route in &r.soft_navigations {
            assert!(
                md.contains(&format!("| {} |", route.page.url)),
                "{}",
                route.page.url
            );
        }
        assert!(!summary(&report("basic.chromium.json"), &Extras::default()).contains("## Routes"));
    }
}
