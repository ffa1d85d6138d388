//! The panel of the picked section.

use std::sync::Arc;

use leptos::prelude::*;

use super::backend::Backend;
use super::bundles::Bundles;
use super::caching::Caching;
use super::critical_path::CriticalPath;
use super::layout_shifts::LayoutShifts;
use super::recommendations::Recommendations;
use super::routes::Routes;
use super::section_tabs::Section;
use crate::state::Loaded;

/// The tab panel.
#[component]
pub fn SectionPanel(
    loaded: Memo<Option<Arc<Loaded>>>,
    section: RwSignal<Section>,
    tab_id: RwSignal<Option<i32>>,
) -> impl IntoView {
    // Kept outside the panel's content so that the overlay state survives live updates.
    let overlay_on = RwSignal::new(false);
    let picked = RwSignal::new(None::<usize>);
    view! {
        <section
            id="panel"
            class="panel"
            role="tabpanel"
            tabindex="0"
            aria-labelledby=move || format!("tab-{}", section.get().id())
            data-testid="panel"
            data-section=move || section.get().id()
        >
            {move || {
                let l = loaded.get()?;
                Some(match section.get() {
                    Section::CriticalPath => view! { <CriticalPath loaded=l/> }.into_any(),
                    Section::Bundles => view! { <Bundles loaded=l/> }.into_any(),
                    Section::Caching => view! { <Caching loaded=l/> }.into_any(),
                    Section::Backend => view! { <Backend loaded=l/> }.into_any(),
                    Section::Recommendations => view! { <Recommendations loaded=l/> }.into_any(),
                    Section::Shifts => view! {
                        <LayoutShifts loaded=l tab_id=tab_id overlay_on=overlay_on picked=picked/>
                    }
                    .into_any(),
                    Section::Routes => view! { <Routes loaded=l/> }.into_any(),
                })
            }}
        </section>
    }
}
