//! The layout shifts in time order, and the switch that draws them on the page.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bridge;
use crate::shifts;
use crate::state::Loaded;

/// Layout shifts and the overlay switch.
#[component]
pub fn LayoutShifts(
    loaded: Arc<Loaded>,
    tab_id: RwSignal<Option<i32>>,
    overlay_on: RwSignal<bool>,
    picked: RwSignal<Option<usize>>,
) -> impl IntoView {
    let unsupported = loaded
        .report
        .unsupported_entry_types
        .iter()
        .any(|t| t == "layout-shift");
    let list = Arc::new(shifts::shifts(&loaded.shifts));
    let error = RwSignal::new(String::new());
    let send = {
        let list = list.clone();
        move |on: bool, pick: Option<usize>| {
            let Some(id) = tab_id.get_untracked() else {
                return;
            };
            let command = if on {
                shifts::show_command(&list, pick, unsupported)
            } else {
                shifts::hide_command()
            };
            spawn_local(async move {
                error.set(
                    bridge::overlay(id, command)
                        .await
                        .err()
                        .map(|e| format!("Overlay: {e}"))
                        .unwrap_or_default(),
                );
            });
        }
    };
    // Live updates redraw a switched-on overlay with the new shifts.
    if overlay_on.get_untracked() {
        send(true, picked.get_untracked());
    }
    let toggle = {
        let send = send.clone();
        move |_| {
            let on = !overlay_on.get_untracked();
            overlay_on.set(on);
            send(on, picked.get_untracked());
        }
    };
    let rows = list
        .iter()
        .map(|s| {
            let number = s.number;
            let send = send.clone();
            view! {
                <li>
                    <button
                        class="link"
                        data-testid=format!("shift-{number}")
                        aria-pressed=move || (picked.get() == Some(number)).to_string()
                        on:click=move |_| {
                            picked.set(Some(number));
                            overlay_on.set(true);
                            send(true, Some(number));
                        }
                    >
                        {s.label.clone()}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>"Layout shifts"</h2>
        <button
            data-testid="overlay-toggle"
            aria-pressed=move || overlay_on.get().to_string()
            on:click=toggle
        >
            {move || if overlay_on.get() { "Hide shifts on the page" } else { "Show shifts on the page" }}
        </button>
        <p class="error" role="status">{move || error.get()}</p>
        {if unsupported {
            view! {
                <p class="muted" data-testid="shifts-unsupported">
                    "This browser does not report layout shifts (no layout-shift entries), so CLS \
                     is unsupported here and there is nothing to draw."
                </p>
            }
            .into_any()
        } else if list.is_empty() {
            view! { <p class="muted" data-testid="no-shifts">"No layout shifts so far."</p> }.into_any()
        } else {
            view! { <ol class="shifts" data-testid="shift-list">{rows}</ol> }.into_any()
        }}
    }
}
