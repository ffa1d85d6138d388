//! The ranked recommendations.

use std::sync::Arc;

use leptos::prelude::*;

use crate::format;
use crate::markdown;
use crate::state::Loaded;

/// Recommendations, largest saving first.
#[component]
pub fn Recommendations(loaded: Arc<Loaded>) -> impl IntoView {
    let findings = loaded.report.recommendations.clone();
    if findings.is_empty() {
        return view! { <p class="muted" data-testid="no-recommendations">"Nothing to fix found."</p> }
            .into_any();
    }
    view! {
        <ol class="findings" data-testid="recommendations">
            {findings.into_iter().map(|f| {
                let severity = serde_json::to_value(f.severity)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let saving = markdown::saving(f.saving.ms, f.saving.bytes);
                view! {
                    <li data-testid="recommendation" data-id=f.id.clone()>
                        <strong>{f.title}</strong>
                        " "<span class=format!("severity {severity}")>{severity.clone()}</span>
                        <span class="muted">{saving}</span>
                        <p>{f.fix}</p>
                        <ul>
                            {f.evidence.into_iter().take(5).map(|e| view! {
                                <li>
                                    {e.label}
                                    {e.url.map(|u| format!(": {}", format::short_url(&u)))}
                                    {e.detail.map(|d| format!(" ({d})"))}
                                </li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
