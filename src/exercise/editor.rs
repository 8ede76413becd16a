//! The code editor: a native `<textarea>` over a highlighted copy of its text, with line numbers.
//!
//! Built in Rust rather than bundling a JavaScript editor: a textarea keeps the browser's own
//! caret, selection, undo, spell-check opt-out, touch keyboards and screen-reader support, and
//! the highlighted layer under it reuses the tokenizer of the lesson code blocks. Edits made by
//! keys (Tab, Enter, Backspace) go through `document.execCommand`, so they stay in the native
//! undo history. Tab indents, Shift+Tab outdents (every selected line, when a selection spans
//! several), Backspace in the indentation takes back a level; Enter keeps the indentation, one
//! level deeper after an opening bracket; Escape then Tab leaves the editor, and Ctrl+M makes Tab
//! move focus until pressed again; Ctrl/Cmd-Enter runs.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement, KeyboardEvent};

use crate::highlight::{self, Kind};

/// Spaces one Tab inserts.
const INDENT: &str = "    ";

/// The editor. Its accessible name is "Code"; the keys it takes over are described to
/// assistive technology by the hint under it, and a marked error line by its description and
/// `aria-invalid`.
#[component]
pub fn Editor(
    /// The code, read and written on every edit.
    source: RwSignal<String>,
    /// A 1-based line to mark, when an error points at one.
    #[prop(into)]
    error_line: Signal<Option<u32>>,
    /// Called on Ctrl-Enter or Cmd-Enter.
    on_run: Callback<()>,
    /// Called when the editor loses focus (to keep the draft).
    on_blur: Callback<()>,
    /// Unique prefix for element ids.
    id: String,
) -> impl IntoView {
    // Set by Escape, so that the next Tab moves focus out instead of indenting.
    let leaving = RwSignal::new(false);
    // Toggled by Ctrl+M (as in VS Code and GitHub's editor): Tab moves focus until pressed again.
    // A second way out, since screen readers take Escape for themselves (to leave their focus
    // mode), and the next Tab would then indent and quietly change the draft.
    // `None` until first pressed, so the status says nothing before then.
    let tab_moves = RwSignal::new(None::<bool>);
    let area = NodeRef::<leptos::html::Textarea>::new();
    // Changes from outside (Reset, a restored draft) reach the textarea; the learner's own
    // typing is already there, and writing it back would cost the caret and the undo history.
    Effect::new(move |_| {
        let text = source.get();
        if let Some(area) = area.get() {
            if area.value() != text {
                area.set_value(&text);
            }
        }
    });
    // iOS Safari changes words as they are typed unless told not to. Set by hand: the view
    // macro knows no `autocorrect` attribute (a non-standard one) on a textarea.
    area.on_load(|area| {
        let _ = area.set_attribute("autocorrect", "off");
    });
    let keys_id = format!("{id}-keys");
    let error_id = format!("{id}-error");
    let on_keydown = move |event: KeyboardEvent| {
        let Some(area) = event.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) else {
            return;
        };
        let key = event.key();
        let command = event.ctrl_key() || event.meta_key();
        match key.as_str() {
            "Escape" => leaving.set(true),
            // Pressing Shift on its way to Shift+Tab must not cancel the Escape before it.
            "Shift" | "Control" | "Alt" | "Meta" => {}
            // By the key's place, not its letter: Ctrl+M on any keyboard layout.
            _ if event.code() == "KeyM" && event.ctrl_key() && !event.alt_key() && !event.meta_key() => {
                event.prevent_default();
                tab_moves.update(|moves| *moves = Some(*moves != Some(true)));
            }
            "Tab" if event.ctrl_key() || event.alt_key() || event.meta_key() || tab_moves.get_untracked() == Some(true) => {}
            "Tab" if leaving.get_untracked() => leaving.set(false),
            "Tab" => {
                event.prevent_default();
                let shift = event.shift_key();
                if !reindent_selected_lines(&area, shift) {
                    if shift {
                        outdent(&area);
                    } else {
                        insert(&area, INDENT);
                    }
                }
            }
            "Enter" if command => {
                event.prevent_default();
                on_run.run(());
            }
            "Enter" if !event.shift_key() && !event.alt_key() => {
                // Keep the indentation of the current line, one level deeper after an opening
                // bracket; between a pair (`{|}`) the closing one goes to a line of its own below.
                let (indent, closer) = next_line_indent(&area);
                if let Some(outer) = closer {
                    event.prevent_default();
                    insert(&area, &format!("\n{indent}\n{outer}"));
                    let caret = area.selection_start().ok().flatten().unwrap_or(0);
                    let back = 1 + outer.encode_utf16().count() as u32;
                    let _ = area.set_selection_range(caret.saturating_sub(back), caret.saturating_sub(back));
                } else if !indent.is_empty() {
                    event.prevent_default();
                    insert(&area, &format!("\n{indent}"));
                }
                leaving.set(false);
            }
            // In the indentation, Backspace takes back a whole level, as Tab put it there.
            "Backspace" if !command && !event.shift_key() && !event.alt_key() && delete_indent_level(&area) => {
                event.prevent_default();
                leaving.set(false);
            }
            // A closing brace typed on a line of only indentation goes back one level, under
            // the line that opened the block (Enter after `{` went in one).
            "}" if !command && closes_on_blank_line(&area) => {
                event.prevent_default();
                let caret = area.selection_start().ok().flatten().unwrap_or(0);
                let _ = area.set_selection_range(caret.saturating_sub(INDENT.len() as u32), caret);
                insert(&area, "}");
                leaving.set(false);
            }
            _ => leaving.set(false),
        }
    };
    view! {
        <div class="editor">
            <pre class="editor-layer" aria-hidden="true">
                {move || lines(&source.get(), error_line.get())}
            </pre>
            <textarea
                class="editor-input"
                id=format!("{id}-code")
                aria-label="Code"
                // The error first: it matters more, and the keys are heard the same every time.
                aria-describedby=format!("{error_id} {keys_id}")
                aria-invalid=move || error_line.get().is_some().to_string()
                aria-keyshortcuts="Control+Enter Meta+Enter Control+M"
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                wrap="soft"
                node_ref=area
                prop:value=source.get_untracked()
                on:input=move |event| source.set(event_target_value(&event))
                on:keydown=on_keydown
                on:blur=move |_| {
                    leaving.set(false);
                    on_blur.run(());
                }
            ></textarea>
            // The marked line in words, for those who do not see the highlighted copy. Hidden: read
            // as the textarea's description only, not a second time after it.
            <span id=error_id hidden>
                {move || error_line.get().map(|line| format!("The last run found an error on line {line}."))}
            </span>
        </div>
        <p class="editor-keys" id=keys_id>
            "Tab indents, Shift+Tab outdents. To leave the editor by keyboard, press Escape, then Tab (or Shift+Tab to go back), "
            "or press Ctrl+M to make Tab move focus. Ctrl+Enter (⌘+Enter on a Mac) runs the code. "
            <span role="status">
                {move || match tab_moves.get() {
                    Some(true) => "Tab now moves focus: Ctrl+M makes it indent again.",
                    Some(false) => "Tab indents again.",
                    None => "",
                }}
            </span>
        </p>
    }
}

/// The highlighted lines, each with its number; the marked line carries `error-line`.
fn lines(source: &str, error_line: Option<u32>) -> impl IntoView {
    let mut lines: Vec<Vec<(Kind, String)>> = vec![Vec::new()];
    for (kind, text) in highlight::tokens("rhai", source) {
        for (index, piece) in text.split('\n').enumerate() {
            if index > 0 {
                lines.push(Vec::new());
            }
            if !piece.is_empty() {
                if let Some(line) = lines.last_mut() {
                    line.push((kind, piece.to_owned()));
                }
            }
        }
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(index, tokens)| {
            let number = index + 1;
            let marked = error_line.is_some_and(|line| line as usize == number);
            let content = if tokens.is_empty() {
                // An empty line still needs its height.
                view! { " " }.into_any()
            } else {
                tokens
                    .into_iter()
                    .map(|(kind, text)| match kind.class() {
                        Some(class) => view! { <span class=class>{text}</span> }.into_any(),
                        None => text.into_any(),
                    })
                    .collect_view()
                    .into_any()
            };
            view! {
                <div class="editor-line" class:error-line=marked data-line=number>{content}</div>
            }
        })
        .collect_view()
}

/// Focuses the editor whose textarea is `textarea_id` with the caret at the start of `line`
/// (1-based), and scrolls that line into the middle of the window: what an error's line number
/// is for, to a learner who cannot see the marked line or would rather not count.
pub fn go_to_line(textarea_id: &str, line: u32) {
    let Some(area) = document().get_element_by_id(textarea_id).and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok()) else {
        return;
    };
    let value = area.value();
    let skipped = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
    // Offsets count UTF-16 units, as the textarea's selection does.
    let start: usize = value.split_inclusive('\n').take(skipped).map(|l| l.encode_utf16().count()).sum();
    let start = u32::try_from(start).unwrap_or(u32::MAX);
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = area.focus_with_options(&options);
    let _ = area.set_selection_range(start, start);
    // The highlighted copy under the textarea has an element per line to scroll to.
    let shown = area.previous_element_sibling().and_then(|layer| layer.query_selector(&format!("[data-line=\"{line}\"]")).ok().flatten());
    if let Some(shown) = shown {
        let place = web_sys::ScrollIntoViewOptions::new();
        place.set_block(web_sys::ScrollLogicalPosition::Center);
        shown.scroll_into_view_with_scroll_into_view_options(&place);
    }
}

/// Inserts text at the caret as if typed, so it joins the native undo history.
fn insert(area: &HtmlTextAreaElement, text: &str) {
    let typed = leptos::prelude::document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|document| document.exec_command_with_show_ui_and_value("insertText", false, text).ok())
        .unwrap_or(false);
    if !typed {
        // Without execCommand, edit the value directly (undo then skips this step).
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        if area.set_range_text_with_start_and_end(text, start, end).is_ok() {
            let caret = start + text.encode_utf16().count() as u32;
            let _ = area.set_selection_range(caret, caret);
        }
        if let Ok(input) = web_sys::Event::new("input") {
            let _ = area.dispatch_event(&input);
        }
    }
}

/// Indents (or outdents) every line a selection spans, when it spans more than one, as one edit
/// in the undo history, and keeps those lines selected so the learner can press Tab again.
/// Returns whether it did: a caret or a selection within one line is left to the caller.
fn reindent_selected_lines(area: &HtmlTextAreaElement, outdent: bool) -> bool {
    let value = area.value();
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
    let Some((first, last, block)) = selected_lines(&value, start, end) else { return false };
    let replaced = reindent(&block, outdent);
    if replaced == block {
        return true;
    }
    let _ = area.set_selection_range(first as u32, last as u32);
    insert(area, &replaced);
    let _ = area.set_selection_range(first as u32, (first + replaced.encode_utf16().count()) as u32);
    true
}

/// The whole lines a selection from `start` to `end` (UTF-16 offsets) touches, as their start and
/// end offsets and their text, when it touches more than one. A selection that ends at the very
/// start of a line, as one made by dragging or Shift+Down does, leaves that line out.
fn selected_lines(value: &str, start: usize, end: usize) -> Option<(usize, usize, String)> {
    let units: Vec<u16> = value.encode_utf16().collect();
    let end = end.min(units.len());
    let start = start.min(end);
    let mut last = end;
    if last > start && units[last - 1] == u16::from(b'\n') {
        last -= 1;
    }
    let newline = |u: &u16| *u == u16::from(b'\n');
    if !units[start..last].iter().any(newline) {
        return None;
    }
    let first = units[..start].iter().rposition(newline).map_or(0, |i| i + 1);
    let last = units[last..].iter().position(newline).map_or(units.len(), |i| last + i);
    Some((first, last, String::from_utf16_lossy(&units[first..last])))
}

/// Each line of `block` with one indent more, or with up to one indent of leading spaces less.
/// Blank lines stay blank when indenting.
fn reindent(block: &str, outdent: bool) -> String {
    let lines = block.split('\n').map(|line| {
        if outdent {
            let leading = line.chars().take_while(|c| *c == ' ').count().min(INDENT.len());
            line[leading..].to_owned()
        } else if line.trim().is_empty() {
            line.to_owned()
        } else {
            format!("{INDENT}{line}")
        }
    });
    lines.collect::<Vec<_>>().join("\n")
}

/// Removes up to one indent level of spaces before the caret's line.
fn outdent(area: &HtmlTextAreaElement) {
    let value = area.value();
    let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let (line_start, leading) = line_around(&value, caret);
    let remove = leading.min(INDENT.len());
    if remove == 0 {
        return;
    }
    delete(area, line_start as u32, (line_start + remove) as u32);
}

/// Deletes the text from `start` to `end` (UTF-16 offsets) as if typed, one undo step.
fn delete(area: &HtmlTextAreaElement, start: u32, end: u32) {
    let _ = area.set_selection_range(start, end);
    let deleted = leptos::prelude::document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|document| document.exec_command("delete").ok())
        .unwrap_or(false);
    if !deleted {
        insert(area, "");
    }
}

/// With nothing selected and only spaces between the start of the line and the caret, deletes
/// back to the level before (one to four spaces); says whether it did.
fn delete_indent_level(area: &HtmlTextAreaElement) -> bool {
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
    let value = area.value();
    let (line_start, leading) = line_around(&value, start);
    let column = start.saturating_sub(line_start);
    if start != end || column == 0 || column > leading {
        return false;
    }
    let back = (column - 1) % INDENT.len() + 1;
    delete(area, (start - back) as u32, start as u32);
    true
}

/// The indentation a new line at the caret gets: the caret line's leading spaces, and one indent
/// more when the text before the caret ends with `{`, `[` or `(` (a block, an array or a call
/// being opened). When the caret sits right before the matching closer, also the indentation the
/// closer's own line gets (the caret line's).
fn next_line_indent(area: &HtmlTextAreaElement) -> (String, Option<String>) {
    let value = area.value();
    let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let (line_start, leading) = line_around(&value, caret);
    let before: String = char::decode_utf16(value.encode_utf16().skip(line_start).take(caret.saturating_sub(line_start)))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    let opener = before.trim_end().chars().last().filter(|c| matches!(c, '{' | '[' | '('));
    let outer = " ".repeat(leading);
    let Some(opener) = opener else { return (outer, None) };
    let closer = match opener {
        '{' => '}',
        '[' => ']',
        _ => ')',
    };
    let selected = area.selection_end().ok().flatten().unwrap_or(0) as usize != caret;
    // The closers are ASCII: one UTF-16 unit each.
    let next = value.encode_utf16().nth(caret);
    let closes = (!selected && next == Some(closer as u16)).then(|| outer.clone());
    (format!("{outer}{INDENT}"), closes)
}

/// Whether the caret (with nothing selected) is on a line of only spaces, at least one indent of
/// them, at its end.
fn closes_on_blank_line(area: &HtmlTextAreaElement) -> bool {
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
    let value = area.value();
    let (line_start, leading) = line_around(&value, start);
    let line_ends = value.encode_utf16().nth(start).is_none_or(|unit| unit == u16::from(b'\n'));
    start == end && leading >= INDENT.len() && start == line_start + leading && line_ends
}

/// Where the line holding `caret` starts and how many spaces it starts with; offsets count UTF-16
/// units, as the textarea's selection does.
fn line_around(value: &str, caret: usize) -> (usize, usize) {
    // Textarea offsets count UTF-16 units; walk the text to find the byte offset.
    let mut units = 0;
    let mut byte = value.len();
    for (offset, c) in value.char_indices() {
        if units >= caret {
            byte = offset;
            break;
        }
        units += c.len_utf16();
    }
    let line_start_byte = value[..byte].rfind('\n').map_or(0, |i| i + 1);
    let leading = value[line_start_byte..].chars().take_while(|c| *c == ' ').count();
    let line_start_units: usize = value[..line_start_byte].chars().map(char::len_utf16).sum();
    (line_start_units, leading)
}
