//! Fixtures shared by the specifications of the store, the segmented log and the bank.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::json;

use crate::id::{EventId, StreamId};
use crate::segments::KeyValue;
use crate::store::{BackendError, NewEvent};

/// A stream by name; fixture names are valid.
pub fn stream(name: &str) -> StreamId {
    StreamId::new(name).expect("fixture streams are valid")
}

/// A deposit of `amount` cents with the id `id`.
pub fn new_event(id: &str, amount: u64) -> NewEvent {
    NewEvent {
        id: EventId::new(id).expect("fixture ids are valid"),
        event_type: "money-deposited".to_owned(),
        schema: 2,
        data: json!({ "amount": amount }),
    }
}

/// localStorage as Chromium gives it to tabs: each tab reads and writes its own copy, its writes
/// reach the browser's copy when [`flush`](Browser::flush)ed, and other tabs' writes reach it only
/// when [`deliver`](Browser::deliver)ed, tens of milliseconds later in a real browser. Until then
/// a tab decides on a stale copy, which a single shared map (`MemoryKeyValue`) cannot show.
#[derive(Clone, Debug, Default)]
pub struct Browser {
    shared: Rc<RefCell<Windows>>,
}

#[derive(Debug, Default)]
struct Windows {
    stored: BTreeMap<String, String>,
    tabs: Vec<TabCopy>,
}

#[derive(Debug, Default)]
struct TabCopy {
    copy: BTreeMap<String, String>,
    /// Its writes the browser has not applied yet.
    outbox: Vec<(String, Option<String>)>,
    /// Keys other tabs changed since this tab last heard.
    inbox: Vec<String>,
}

/// One tab's localStorage.
#[derive(Clone, Debug)]
pub struct Tab {
    browser: Browser,
    index: usize,
}

impl Browser {
    /// A new tab, seeing what the browser holds now.
    pub fn tab(&self) -> Tab {
        let mut shared = self.shared.borrow_mut();
        let copy = shared.stored.clone();
        shared.tabs.push(TabCopy { copy, ..TabCopy::default() });
        Tab { browser: self.clone(), index: shared.tabs.len() - 1 }
    }

    /// Applies `tab`'s writes to the browser's copy and tells the other tabs which keys changed.
    pub fn flush(&self, tab: &Tab) {
        while self.flush_one(tab) {}
    }

    /// Applies the oldest of `tab`'s writes the browser has not applied yet, one key: Chromium
    /// applies each key's write as it arrives, so one append (segments, then the meta record) can
    /// interleave key by key with another tab's. Returns false when there was nothing to apply.
    pub fn flush_one(&self, tab: &Tab) -> bool {
        let mut shared = self.shared.borrow_mut();
        let Windows { stored, tabs } = &mut *shared;
        let outbox = &mut tabs[tab.index].outbox;
        if outbox.is_empty() {
            return false;
        }
        let (key, value) = outbox.remove(0);
        if stored.get(&key) != value.as_ref() {
            match value {
                Some(value) => stored.insert(key.clone(), value),
                None => stored.remove(&key),
            };
            for (i, other) in tabs.iter_mut().enumerate() {
                if i != tab.index {
                    other.inbox.push(key.clone());
                }
            }
        }
        true
    }

    /// Brings `tab`'s copy up to date with the browser's, except for keys it has written and not
    /// flushed yet (as Chromium keeps a tab's own pending writes); returns the keys whose value
    /// changed in its copy: its `storage` events.
    pub fn deliver(&self, tab: &Tab) -> Vec<String> {
        let mut shared = self.shared.borrow_mut();
        let Windows { stored, tabs } = &mut *shared;
        let own = &mut tabs[tab.index];
        let mut changed = Vec::new();
        for key in std::mem::take(&mut own.inbox) {
            if own.outbox.iter().any(|(pending, _)| *pending == key) {
                continue;
            }
            let now = stored.get(&key).cloned();
            if own.copy.get(&key) != now.as_ref() {
                match now {
                    Some(value) => own.copy.insert(key.clone(), value),
                    None => own.copy.remove(&key),
                };
                changed.push(key);
            }
        }
        changed
    }
}

impl KeyValue for Tab {
    fn get(&self, key: &str) -> Result<Option<String>, BackendError> {
        Ok(self.browser.shared.borrow().tabs[self.index].copy.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), BackendError> {
        let mut shared = self.browser.shared.borrow_mut();
        let own = &mut shared.tabs[self.index];
        own.copy.insert(key.to_owned(), value.to_owned());
        own.outbox.push((key.to_owned(), Some(value.to_owned())));
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), BackendError> {
        let mut shared = self.browser.shared.borrow_mut();
        let own = &mut shared.tabs[self.index];
        own.copy.remove(key);
        own.outbox.push((key.to_owned(), None));
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, BackendError> {
        Ok(self.browser.shared.borrow().tabs[self.index].copy.keys().cloned().collect())
    }
}
