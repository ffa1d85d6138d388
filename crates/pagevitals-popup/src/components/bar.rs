//! A waterfall: one row per segment, each bar placed at its start on a shared scale.

use leptos::prelude::*;

use crate::breakdown::Segment;
use crate::format;

/// The waterfall rows.
#[component]
pub fn Bar(segments: Vec<Segment>, #[prop(into)] testid: String) -> impl IntoView {
    view! {
        <table class="waterfall" data-testid=testid>
            <tbody>
                {segments
                    .into_iter()
                    .map(|s| view! {
                        <tr class=s.kind>
                            <th scope="row">{s.label}</th>
                            <td class="track">
                                <span
                                    class=format!("fill {}", s.kind)
                                    style=format!(
                                        "margin-left: {:.2}%; width: {:.2}%",
                                        s.start_percent,
                                        s.percent.max(0.5),
                                    )
                                ></span>
                            </td>
                            <td class="num">{format::ms(s.duration)}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
