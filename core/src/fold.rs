//! Folding events into state: the whole history, every step of it, or a prefix (time travel).
//!
//! Generic over the state and the event type, so the same functions fold the bank account, the
//! projections and the learner's own `evolve` (through [`try_fold`], since learner code can fail).

/// The state after applying every event in order: `evolve(… evolve(evolve(initial, e1), e2) …, en)`.
pub fn fold<S, E>(initial: S, events: impl IntoIterator<Item = E>, mut evolve: impl FnMut(S, E) -> S) -> S {
    let mut state = initial;
    for event in events {
        state = evolve(state, event);
    }
    state
}

/// Like [`fold`] for an `evolve` that can fail; stops at the first failure and says where.
pub fn try_fold<S, E, X>(
    initial: S,
    events: impl IntoIterator<Item = E>,
    mut evolve: impl FnMut(S, E) -> Result<S, X>,
) -> Result<S, StepFailed<X>> {
    let mut state = initial;
    for (index, event) in events.into_iter().enumerate() {
        state = evolve(state, event).map_err(|error| StepFailed { index, error })?;
    }
    Ok(state)
}

/// The state after each event, in order (one entry per event; the initial state is not included).
/// For stepping through a fold one event at a time.
pub fn states<S: Clone, E>(
    initial: S,
    events: impl IntoIterator<Item = E>,
    mut evolve: impl FnMut(S, E) -> S,
) -> Vec<S> {
    let events = events.into_iter();
    let mut states = Vec::with_capacity(events.size_hint().0);
    let mut state = initial;
    for event in events {
        state = evolve(state, event);
        states.push(state.clone());
    }
    states
}

/// The state as of event `k`: after the first `k` events (`k = 0` is the initial state; a `k` past
/// the end folds everything). The time-travel slider.
pub fn state_at<S, E>(
    initial: S,
    events: impl IntoIterator<Item = E>,
    k: usize,
    evolve: impl FnMut(S, E) -> S,
) -> S {
    fold(initial, events.into_iter().take(k), evolve)
}

/// A failed step of [`try_fold`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFailed<X> {
    /// The position of the event that failed, counting from zero.
    pub index: usize,
    /// What `evolve` returned.
    pub error: X,
}

impl<X: std::fmt::Display> std::fmt::Display for StepFailed<X> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "event #{} could not be applied: {}", self.index + 1, self.error)
    }
}

impl<X: std::fmt::Debug + std::fmt::Display> std::error::Error for StepFailed<X> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(sum: i64, n: &i64) -> i64 {
        sum + n
    }

    #[test]
    fn folds_prefixes_and_steps() {
        let events = [1, 2, 3, 4];
        assert_eq!(fold(0, &events, add), 10);
        assert_eq!(states(0, &events, add), vec![1, 3, 6, 10]);
        assert_eq!(state_at(0, &events, 0, add), 0);
        assert_eq!(state_at(0, &events, 2, add), 3);
        assert_eq!(state_at(0, &events, 99, add), 10);
    }

    #[test]
    fn try_fold_names_the_failing_event() {
        let checked = |sum: i64, n: &i64| if *n < 0 { Err("negative") } else { Ok(sum + n) };
        assert_eq!(try_fold(0, &[1, 2], checked), Ok(3));
        assert_eq!(try_fold(0, &[1, -2, 3], checked), Err(StepFailed { index: 1, error: "negative" }));
    }
}
