//! The budget results (`report.budgets`), or a clear "no budget set".

use std::sync::Arc;

use leptos::prelude::*;

use crate::extras;
use crate::state::Loaded;

/// The budgets section.
#[component]
pub fn Budgets(loaded: Memo<Option<Arc<Loaded>>>) -> impl IntoView {
    view! {
        <section class="budgets" aria-labelledby="budgets-heading">
            <h2 id="budgets-heading">"Budgets"</h2>
            {move || {
                let l = loaded.get()?;
                Some(match extras::budget_rows(l.extras.budgets.as_ref()) {
                    Some(rows) => view! {
                        <table data-testid="budgets">
                            <thead><tr>
                                <th scope="col">"Budget"</th><th scope="col">"Measured"</th>
                                <th scope="col">"Limit"</th><th scope="col">"Status"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{r.name}</td><td>{r.measured}</td><td>{r.limit}</td>
                                        <td class=extras::status_class(&r.status)>{r.status.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    None => view! {
                        <p class="muted" data-testid="no-budget">
                            "No budget set for this page."
                        </p>
                    }.into_any(),
                })
            }}
        </section>
    }
}
