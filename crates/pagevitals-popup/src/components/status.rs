//! What the popup says instead of a report: loading, a restricted page, no data yet, or the
//! engine's error.

use leptos::prelude::*;

use crate::state::TabState;

/// The status line; empty once a report shows.
#[component]
pub fn Status(state: RwSignal<TabState>) -> impl IntoView {
    move || {
        state.with(|s| {
            let (kind, text) = match s {
                TabState::Loading => ("loading", "Loading…".to_owned()),
                TabState::Restricted => (
                    "restricted",
                    "PageVitals cannot measure this page: browser pages, extension stores and \
                     non-web addresses are off limits to extensions."
                        .to_owned(),
                ),
                TabState::Waiting => (
                    "waiting",
                    "No data yet for this tab: reload the page if it was open before PageVitals \
                     was installed."
                        .to_owned(),
                ),
                TabState::Failed(message) => (
                    "failed",
                    format!("Could not read this page's measurements: {message}"),
                ),
                TabState::Ready(_) => return None,
            };
            Some(view! {
                <p class="status" role="status" data-testid="status" data-state=kind>{text}</p>
            })
        })
    }
}
