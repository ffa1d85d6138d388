//! The tab list that picks the detail section.

use leptos::prelude::*;

/// A detail section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// LCP breakdown, render-blocking requests, long tasks.
    CriticalPath,
    /// Bytes by type and party, largest files.
    Bundles,
    /// Cache lifetimes and repeat-view hits.
    Caching,
    /// TTFB phases and Server-Timing.
    Backend,
    /// The ranked findings.
    Recommendations,
    /// Layout shifts and the overlay switch.
    Shifts,
    /// Soft-navigation routes.
    Routes,
}

impl Section {
    /// Every section, in tab order.
    pub const ALL: [Section; 7] = [
        Section::CriticalPath,
        Section::Bundles,
        Section::Caching,
        Section::Backend,
        Section::Recommendations,
        Section::Shifts,
        Section::Routes,
    ];

    /// Its id in `data-testid`s and element ids.
    pub fn id(self) -> &'static str {
        match self {
            Section::CriticalPath => "critical-path",
            Section::Bundles => "bundles",
            Section::Caching => "caching",
            Section::Backend => "backend",
            Section::Recommendations => "recommendations",
            Section::Shifts => "shifts",
            Section::Routes => "routes",
        }
    }

    /// Its tab's text.
    pub fn label(self) -> &'static str {
        match self {
            Section::CriticalPath => "Critical path",
            Section::Bundles => "Bundles",
            Section::Caching => "Caching",
            Section::Backend => "Backend",
            Section::Recommendations => "Fixes",
            Section::Shifts => "Shifts",
            Section::Routes => "Routes",
        }
    }
}

/// The tabs: buttons, so Tab reaches each and Enter or Space picks it.
#[component]
pub fn SectionTabs(section: RwSignal<Section>) -> impl IntoView {
    view! {
        <nav class="tabs" role="tablist" aria-label="Sections">
            {Section::ALL
                .into_iter()
                .map(|s| view! {
                    <button
                        role="tab"
                        id=format!("tab-{}", s.id())
                        data-testid=format!("tab-{}", s.id())
                        aria-selected=move || (section.get() == s).to_string()
                        aria-controls="panel"
                        on:click=move |_| section.set(s)
                    >
                        {s.label()}
                    </button>
                })
                .collect_view()}
        </nav>
    }
}
