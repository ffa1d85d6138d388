//! Exports: the report as JSON (exactly as stored, the schema the headless tools write) and a
//! Markdown summary to the clipboard.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bridge;
use crate::markdown;
use crate::state::Loaded;

/// The file name of a JSON export: the host and the page view's id.
fn file_name(l: &Loaded) -> String {
    let host: String = l
        .report
        .page
        .url
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    format!("pagevitals-{host}-{}.json", l.report.page.navigation_id)
}

/// The export buttons and what they did.
#[component]
pub fn Export(loaded: Memo<Option<Arc<Loaded>>>) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let save_json = move |_| {
        if let Some(l) = loaded.get_untracked() {
            bridge::download(&file_name(&l), &l.raw, "application/json");
            said.set("Report saved as JSON.".to_owned());
        }
    };
    let copy_markdown = move |_| {
        if let Some(l) = loaded.get_untracked() {
            let text = markdown::summary(&l.report, &l.extras);
            spawn_local(async move {
                said.set(match bridge::copy(text).await {
                    Ok(()) => "Markdown summary copied.".to_owned(),
                    Err(e) => format!("Could not copy: {e}"),
                });
            });
        }
    };
    view! {
        <section class="export" aria-label="Export">
            <button data-testid="export-json" on:click=save_json>"Save JSON"</button>
            <button data-testid="export-markdown" on:click=copy_markdown>"Copy Markdown"</button>
            <span role="status" data-testid="export-status">{move || said.get()}</span>
        </section>
    }
}
