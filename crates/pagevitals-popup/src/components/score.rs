//! The performance score (`report.score`), or that there is none yet.

use std::sync::Arc;

use leptos::prelude::*;

use crate::extras;
use crate::state::Loaded;

/// The score badge in the header.
#[component]
pub fn Score(loaded: Memo<Option<Arc<Loaded>>>) -> impl IntoView {
    move || {
        let l = loaded.get()?;
        Some(match extras::score_view(l.extras.score.as_ref()) {
            Some(s) => {
                let text = s.score.map_or_else(|| "–".to_owned(), |n| n.to_string());
                let attr = text.clone();
                let label = if s.estimated {
                    "Score (estimated)"
                } else {
                    "Score"
                };
                view! {
                    <p class=format!("score {}", s.class) data-testid="score" data-score=attr>
                        <span class="label">{label}</span>" "<strong>{text}</strong>
                    </p>
                }
                .into_any()
            }
            None => view! {
                <p class="score neutral" data-testid="score-none">"No score yet"</p>
            }
            .into_any(),
        })
    }
}
