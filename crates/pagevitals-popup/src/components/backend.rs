//! The Backend section: the document's TTFB phases with its Server-Timing metrics.

use std::sync::Arc;

use leptos::prelude::*;

use super::bar::Bar;
use crate::breakdown;
use crate::state::Loaded;

/// Backend.
#[component]
pub fn Backend(loaded: Arc<Loaded>) -> impl IntoView {
    let report = &loaded.report;
    let Some(ttfb) = report.metrics.ttfb.as_ref() else {
        return view! { <p class="muted">"No TTFB yet."</p> }.into_any();
    };
    let timing = report
        .resources
        .as_ref()
        .map_or(&[][..], |r| r.server_timing.as_slice());
    let segments = breakdown::backend(&ttfb.attribution, timing, &report.page.url);
    let has_server = segments.iter().any(|s| s.kind == "server");
    view! {
        <h2>"Time to first byte and Server-Timing"</h2>
        <Bar segments=segments testid="backend-waterfall"/>
        {(!has_server).then(|| view! {
            <p class="muted" data-testid="no-server-timing">
                "The document sent no Server-Timing header."
            </p>
        })}
    }
    .into_any()
}
