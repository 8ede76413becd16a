//! The memory learner code takes: an allocator that counts the bytes each thread holds, so the
//! sandbox can stop a value growing without bound in constant time per step.
//!
//! Rhai's own size limits walk the whole of a value after every method call on it (`events.len()`,
//! `a.push(x)`): a `while i < events.len()` over the 10,000 events of the longest case walked them
//! 10,000 times, and a correct solution ran out of time. Counting what is allocated costs an
//! addition per allocation instead. Counted per thread, so tests run side by side do not see each
//! other's values.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting.
struct Counting;

thread_local! {
    /// Bytes allocated on this thread less those freed on it (freed elsewhere, it may go below 0).
    static HELD: Cell<isize> = const { Cell::new(0) };
}

fn count(change: isize) {
    // `try_with`: an allocation while the thread is being torn down is simply not counted.
    let _ = HELD.try_with(|held| held.set(held.get().wrapping_add(change)));
}

// SAFETY: every call goes straight to `System`, with the same layout; counting touches no memory
// the allocator hands out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            count(layout.size() as isize);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            count(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The bytes this thread holds now, as counted since it started: compare two readings.
pub fn held() -> isize {
    HELD.try_with(Cell::get).unwrap_or(0)
}
