//! The Bundles section: bytes by type and by party, and the largest files.

use std::sync::Arc;

use leptos::prelude::*;

use crate::bundles::{self, BytesRow};
use crate::format;
use crate::state::Loaded;

fn bytes_table(rows: Vec<BytesRow>, caption: &'static str, testid: &'static str) -> impl IntoView {
    view! {
        <table data-testid=testid>
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">"Group"</th><th scope="col">"Requests"</th>
                <th scope="col">"Transfer"</th><th scope="col">"Share"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td>{r.label}</td><td class="num">{r.requests}</td>
                        <td class="num">{format::bytes(r.transfer)}</td>
                        <td class="num">{format!("{:.0} %", r.share)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Bundles.
#[component]
pub fn Bundles(loaded: Arc<Loaded>) -> impl IntoView {
    let Some(resources) = loaded.report.resources.as_ref() else {
        return view! { <p class="muted">"Unsupported in this browser (no resource timing)."</p> }
            .into_any();
    };
    let files = bundles::largest(resources);
    view! {
        <p data-testid="bytes-total">
            {format!("{} requests, {} transferred.", resources.total.requests,
                format::bytes(resources.total.transfer_size))}
        </p>
        {bytes_table(bundles::by_type(resources), "Bytes by type", "bytes-by-type")}
        {bytes_table(bundles::by_party(resources), "Bytes by party", "bytes-by-party")}
        <table data-testid="largest-files">
            <caption>"Largest files"</caption>
            <thead><tr>
                <th scope="col">"File"</th><th scope="col">"Type"</th>
                <th scope="col">"Party"</th><th scope="col">"Transfer"</th>
            </tr></thead>
            <tbody>
                {files.into_iter().map(|f| view! {
                    <tr>
                        <td title=f.url>{f.name}</td><td>{f.kind}</td><td>{f.party}</td>
                        <td class="num">{format::bytes(f.transfer)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
