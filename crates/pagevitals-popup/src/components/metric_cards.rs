//! The five metric cards.

use std::sync::Arc;

use leptos::prelude::*;
use pagevitals_core::metric::MetricName;

use super::metric_card::MetricCard;
use crate::cards;
use crate::state::Loaded;

/// The cards, kept in order; which ones show their attribution survives live updates.
#[component]
pub fn MetricCards(loaded: Memo<Option<Arc<Loaded>>>) -> impl IntoView {
    let open = RwSignal::new(Vec::<MetricName>::new());
    view! {
        <section class="cards" aria-label="Metrics" data-testid="metrics">
            {move || {
                loaded.get().map(|l| {
                    cards::cards(&l.report.metrics, &l.report.unsupported_entry_types)
                        .into_iter()
                        .map(|card| view! { <MetricCard card=card open=open/> })
                        .collect_view()
                })
            }}
        </section>
    }
}
