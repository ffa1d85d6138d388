//! The popup's root: finds the target tab, reads its page view, re-reads it on every change
//! while open, and lays out the sections.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::budgets::Budgets;
use super::export::Export;
use super::metric_cards::MetricCards;
use super::score::Score;
use super::section_panel::SectionPanel;
use super::section_tabs::{Section, SectionTabs};
use super::status::Status;
use crate::bridge;
use crate::state::{Loaded, Tab, TabState, classify};

/// Reads the tab's page view and sets `state`, unless a later read has started meanwhile.
async fn load(tab: Tab, state: RwSignal<TabState>, reads: Rc<Cell<u64>>) {
    let mine = reads.get() + 1;
    reads.set(mine);
    let view = bridge::read_view(tab.id).await;
    if reads.get() != mine {
        return;
    }
    state.set(match view {
        Ok(json) => classify(Some(&tab), json.as_deref()),
        Err(error) => TabState::Failed(error),
    });
}

/// The popup.
#[component]
pub fn App() -> impl IntoView {
    let state = RwSignal::new(TabState::Loading);
    let tab_id = RwSignal::new(None::<i32>);
    let section = RwSignal::new(Section::CriticalPath);
    let loaded = Memo::new(move |_| {
        state.with(|s| match s {
            TabState::Ready(l) => Some(Arc::new(Loaded::clone(l))),
            _ => None,
        })
    });
    let ready = move || loaded.with(Option::is_some);

    spawn_local(async move {
        let Some(tab) = bridge::target_tab().await else {
            state.set(classify(None, None));
            return;
        };
        tab_id.set(Some(tab.id));
        let reads = Rc::new(Cell::new(0));
        {
            let (tab, reads) = (tab.clone(), reads.clone());
            bridge::watch(tab.id, move || {
                spawn_local(load(tab.clone(), state, reads.clone()))
            });
        }
        load(tab, state, reads).await;
    });
    // The first render with the tab's state, for scripts/bench-popup.
    Effect::new(move |_| {
        if state.with(|s| *s != TabState::Loading) {
            bridge::rendered();
        }
    });

    view! {
        <header>
            <h1>"PageVitals"</h1>
            <p class="url" data-testid="page-url">
                {move || loaded.with(|l| l.as_ref().map(|l| l.report.page.url.clone()))}
            </p>
            <Score loaded=loaded/>
        </header>
        <main>
            <Status state=state/>
            <Show when=ready>
                <MetricCards loaded=loaded/>
                <Budgets loaded=loaded/>
                <Export loaded=loaded/>
                <SectionTabs section=section/>
                <SectionPanel loaded=loaded section=section tab_id=tab_id/>
            </Show>
        </main>
    }
}
