//! Soft-navigation routes of a single-page app, each with its own metrics.

use std::sync::Arc;

use leptos::prelude::*;

use crate::format;
use crate::state::Loaded;

/// Routes.
#[component]
pub fn Routes(loaded: Arc<Loaded>) -> impl IntoView {
    let report = &loaded.report;
    if report.soft_navigations.is_empty() {
        let text = if report
            .unsupported_entry_types
            .iter()
            .any(|t| t == "soft-navigation")
        {
            "Soft navigations are unsupported in this browser."
        } else {
            "No soft navigation (single-page-app route change) in this page view."
        };
        return view! { <p class="muted" data-testid="no-routes">{text}</p> }.into_any();
    }
    let cell = |m: Option<(
        pagevitals_core::metric::MetricName,
        f64,
        pagevitals_core::rating::Rating,
    )>| {
        match m {
            Some((n, v, r)) => view! {
                <td class=format!("num {}", format::rating_class(r))>{format::metric_value(n, v)}</td>
            }
            .into_any(),
            None => view! { <td class="num">"–"</td> }.into_any(),
        }
    };
    view! {
        <table data-testid="routes">
            <thead><tr>
                <th scope="col">"Route"</th><th scope="col">"LCP"</th>
                <th scope="col">"INP"</th><th scope="col">"CLS"</th>
            </tr></thead>
            <tbody>
                {report.soft_navigations.iter().map(|route| {
                    let m = &route.metrics;
                    view! {
                        <tr>
                            <td title=route.page.url.clone()>{format::short_url(&route.page.url)}</td>
                            {cell(m.lcp.as_ref().map(|x| (x.name, x.value, x.rating)))}
                            {cell(m.inp.as_ref().map(|x| (x.name, x.value, x.rating)))}
                            {cell(m.cls.as_ref().map(|x| (x.name, x.value, x.rating)))}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
