//! The Caching section: lifetimes of the static files the rules flagged, and repeat-view
//! cache hits.

use std::sync::Arc;

use leptos::prelude::*;

use crate::caching;
use crate::format;
use crate::state::Loaded;

/// Caching.
#[component]
pub fn Caching(loaded: Arc<Loaded>) -> impl IntoView {
    let rows = caching::ttl_rows(&loaded.report);
    let repeat = caching::repeat_view(&loaded.report);
    view! {
        <h2>"Cache lifetimes"</h2>
        {if rows.is_empty() {
            view! { <p class="muted" data-testid="ttl-clean">"No static file with a caching problem."</p> }
                .into_any()
        } else {
            view! {
                <table data-testid="ttl-table">
                    <thead><tr>
                        <th scope="col">"File"</th><th scope="col">"Finding"</th>
                        <th scope="col">"Lifetime"</th><th scope="col">"Bytes"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <td title=r.url>{r.name}</td><td>{r.finding}</td><td>{r.lifetime}</td>
                                <td class="num">{r.bytes.map(format::bytes).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        <h2>"Repeat view"</h2>
        {match repeat {
            Some(r) => view! {
                <p data-testid="repeat-view">
                    {format!("{} of {} requests came from cache ({} navigation).", r.hits, r.requests, r.navigation_type)}
                </p>
                {r.finding.map(|f| view! { <p>{f}</p> })}
            }.into_any(),
            None => view! { <p class="muted">"Unsupported in this browser (no resource timing)."</p> }.into_any(),
        }}
    }
}
