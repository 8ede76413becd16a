//! The running app's handle on the learner's log: append an event, read the progress it adds up to.

use leptos::prelude::*;

use super::{LearnerEvent, Progress};

/// The learner's log as the UI sees it.
#[derive(Debug, Clone, Copy)]
pub struct Journal {
    events: RwSignal<Vec<LearnerEvent>>,
    progress: Memo<Progress>,
}

impl Journal {
    /// Appends an event; the progress follows.
    pub fn record(&self, event: LearnerEvent) {
        self.events.update(|events| events.push(event));
    }

    /// The learner's events, oldest first.
    pub fn events(&self) -> ReadSignal<Vec<LearnerEvent>> {
        self.events.read_only()
    }

    /// The progress folded from the whole log.
    pub fn progress(&self) -> Memo<Progress> {
        self.progress
    }
}

/// Provides the journal to the app.
pub fn provide() -> Journal {
    let events = RwSignal::new(Vec::new());
    let progress = Memo::new(move |_| events.with(|events| Progress::from_events(events.iter())));
    let journal = Journal { events, progress };
    provide_context(journal);
    journal
}

/// The journal provided by the app.
pub fn use_journal() -> Journal {
    expect_context::<Journal>()
}
