//! The Critical path section: the LCP breakdown, render-blocking requests, long tasks.

use std::sync::Arc;

use leptos::prelude::*;

use super::bar::Bar;
use crate::breakdown;
use crate::critical;
use crate::state::Loaded;

/// The critical path.
#[component]
pub fn CriticalPath(loaded: Arc<Loaded>) -> impl IntoView {
    let report = &loaded.report;
    let lcp = report
        .metrics
        .lcp
        .as_ref()
        .map(|m| breakdown::lcp_phases(&m.attribution));
    let blocking = critical::render_blocking(report);
    let tasks = critical::long_tasks(report);
    view! {
        <h2>"LCP breakdown"</h2>
        {match lcp {
            Some(segments) => view! { <Bar segments=segments testid="lcp-breakdown"/> }.into_any(),
            None => view! { <p class="muted">"No LCP yet."</p> }.into_any(),
        }}
        <h2>"Render-blocking requests"</h2>
        {match blocking {
            Some((count, rows)) => view! {
                <p data-testid="render-blocking-count">{format!("{count} render-blocking request(s).")}</p>
                <ul data-testid="render-blocking">
                    {rows.into_iter().map(|r| view! {
                        <li title=r.url>{r.name}" "<span class="muted">{r.detail}</span></li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            None => view! {
                <p class="muted" data-testid="render-blocking-unsupported">
                    "This browser does not say which requests block rendering."
                </p>
            }.into_any(),
        }}
        <h2>"Long tasks"</h2>
        {match tasks {
            Some(rows) => view! {
                <dl class="pairs" data-testid="long-tasks">
                    {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            }.into_any(),
            None => view! {
                <p class="muted" data-testid="long-tasks-unsupported">
                    "Unsupported in this browser (no long-task entries)."
                </p>
            }.into_any(),
        }}
    }
}
