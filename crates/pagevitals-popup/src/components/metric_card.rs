//! One metric: value and rating colour, or why there is none; its attribution on demand.

use leptos::prelude::*;
use pagevitals_core::metric::MetricName;

use crate::cards::{self, Card, CardStatus};
use crate::format;

/// A metric card.
#[component]
pub fn MetricCard(card: Card, open: RwSignal<Vec<MetricName>>) -> impl IntoView {
    let name = card.name;
    let id = name.as_str();
    let (status, rating, value, text, colour) = match &card.status {
        CardStatus::Measured {
            value,
            text,
            rating,
        } => (
            "measured",
            format::rating_class(*rating),
            value.to_string(),
            text.clone(),
            format::rating_colour(*rating),
        ),
        CardStatus::Unsupported => (
            "unsupported",
            "none",
            String::new(),
            "Unsupported in this browser".to_owned(),
            "#5f6368",
        ),
        CardStatus::Waiting => (
            "waiting",
            "none",
            String::new(),
            cards::waiting_text(name).to_owned(),
            "#5f6368",
        ),
    };
    let rating_text = match &card.status {
        CardStatus::Measured { rating, .. } => format::rating_label(*rating),
        _ => "",
    };
    let expanded = move || open.with(|o| o.contains(&name));
    let toggle = move |_| {
        open.update(|o| {
            if let Some(i) = o.iter().position(|n| *n == name) {
                o.remove(i);
            } else {
                o.push(name);
            }
        })
    };
    let has_attribution = !card.attribution.is_empty();
    let rows = card.attribution;
    view! {
        <article
            class=format!("card {rating}")
            style=format!("border-left-color: {colour}")
            data-testid=format!("metric-{id}")
            data-status=status
            data-rating=rating
            data-value=value
        >
            <h2 title=card.title>{id}</h2>
            <p class="value" style=format!("color: {colour}") data-testid=format!("value-{id}")>
                {text}
            </p>
            <p class="rating">{rating_text}</p>
            {has_attribution.then(|| view! {
                <button
                    class="link"
                    data-testid=format!("attribution-toggle-{id}")
                    aria-expanded=move || expanded().to_string()
                    aria-controls=format!("attribution-{id}")
                    aria-label=format!("Why? {id} attribution")
                    on:click=toggle
                >
                    "Why?"
                </button>
            })}
            <dl
                id=format!("attribution-{id}")
                class="attribution"
                data-testid=format!("attribution-{id}")
                hidden=move || !expanded()
            >
                {rows
                    .into_iter()
                    .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
        </article>
    }
}
