//! Light and dark themes: follow the system until the learner chooses, then the choice their log
//! records (mirrored in one key, so the first frame is painted in it).

use leptos::prelude::*;

/// A colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light page.
    Light,
    /// Light text on a dark page.
    Dark,
}

impl Theme {
    /// The value of `<html data-theme>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses a stored theme name.
    pub fn parse(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The theme in force, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct ThemeState(pub RwSignal<Theme>);

/// Key of the one-line mirror that index.html reads before the app loads, to paint without a flash.
const MIRROR_KEY: &str = "foldlab.theme";

/// Provides the theme: the remembered choice, else the system's preference.
pub fn provide() {
    let initial = remembered().unwrap_or_else(system);
    let theme = RwSignal::new(initial);
    // One effect keeps the document in step with the signal.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme.get().as_str());
        }
    });
    provide_context(ThemeState(theme));
}

/// Keeps the theme in step with the learner's log, where the choice is recorded: an import,
/// another tab's choice, or a log whose mirror was lost shows the theme the log chose last.
/// A log with no choice in it (a start over) leaves the theme as it is.
pub fn follow(journal: &crate::learner::Journal) {
    let Some(ThemeState(theme)) = use_context::<ThemeState>() else { return };
    let progress = journal.progress();
    Effect::new(move |_| {
        let chosen = progress.with(|p| p.theme.as_deref().and_then(Theme::parse));
        if let Some(chosen) = chosen.filter(|chosen| *chosen != theme.get_untracked()) {
            theme.set(chosen);
            mirror(chosen);
        }
    });
}

/// Records the learner's choice so it survives a reload.
pub fn choose(theme: Theme) {
    if let Some(state) = use_context::<ThemeState>() {
        state.0.set(theme);
    }
    // The choice is an event in the learner's log like everything else they do.
    if let Some(journal) = use_context::<crate::learner::Journal>() {
        journal.record(crate::learner::LearnerEvent::ThemeChosen { theme: theme.as_str().to_string() });
    }
    mirror(theme);
}

/// Writes the mirror index.html paints the first frame with. Losing it only costs a flash of the
/// other theme on the next load, until the log is read.
fn mirror(theme: Theme) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(MIRROR_KEY, theme.as_str());
    }
}

fn remembered() -> Option<Theme> {
    let storage = window().local_storage().ok()??;
    Theme::parse(&storage.get_item(MIRROR_KEY).ok()??)
}

fn system() -> Theme {
    match window().match_media("(prefers-color-scheme: dark)") {
        Ok(Some(query)) if query.matches() => Theme::Dark,
        _ => Theme::Light,
    }
}

/// The toggle button in the header.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let ThemeState(theme) = expect_context::<ThemeState>();
    let dark = move || theme.get() == Theme::Dark;
    view! {
        <button
            type="button"
            class="theme-toggle"
            aria-pressed=move || if dark() { "true" } else { "false" }
            on:click=move |_| choose(if dark() { Theme::Light } else { Theme::Dark })
        >
            // Drawn as a switch, so "on" and "off" read at a glance; the name stays "Dark theme"
            // (screen readers hear pressed or not). On a phone only the switch shows.
            <span aria-hidden="true" class="theme-switch">
                <span class="theme-knob">{move || if dark() { "☾" } else { "☀" }}</span>
            </span>
            <span class="theme-label">"Dark theme"</span>
        </button>
    }
}
