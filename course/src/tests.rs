//! The lesson format as a specification: each test is a fixture and what the parser makes of it.
//!
//! A fixture is one lesson file named `01-test.md`, or several files, each after a line
//! `//- NN-slug.md`. The expected text is a dump of the parsed lessons, or every error, one a line.

use crate::model::{Block, Lesson};

const FRONT: &str = "---\ntitle: Folding\nsummary: State is a fold.\n---\n";

/// A right question to pad a quiz up to its minimum, so a test can show one bad question.
const FILLER: &str = "? Filler?\n- [x] yes\n  > Because.\n- [ ] no\n  > Because not.\n";

#[track_caller]
fn check(fixture: &str, expect: &str) {
    let fixture = fixture.strip_prefix('\n').unwrap_or(fixture);
    let files: Vec<(String, String)> = if fixture.starts_with("//- ") {
        fixture
            .split("//- ")
            .skip(1)
            .map(|file| {
                let (name, text) = file.split_once('\n').unwrap_or((file, ""));
                (name.trim().to_string(), text.to_string())
            })
            .collect()
    } else {
        vec![("01-test.md".to_string(), fixture.to_string())]
    };
    let actual = match crate::parse_all(&files) {
        Ok(lessons) => lessons.iter().map(dump).collect::<Vec<_>>().join(""),
        Err(errors) => errors.to_string(),
    };
    let expect = expect.strip_prefix('\n').unwrap_or(expect);
    assert_eq!(actual.trim_end(), expect.trim_end(), "\n--- actual ---\n{actual}\n");
}

fn dump(lesson: &Lesson) -> String {
    let mut out = format!("lesson {:02} {}: {} | {}\n", lesson.number, lesson.slug, lesson.title, lesson.summary);
    for block in &lesson.blocks {
        match block {
            Block::Html(html) => out += &format!("html {}\n", html.trim_end().replace('\n', "⏎")),
            Block::Code { lang, source } => out += &format!("code {lang} {source:?}\n"),
            Block::Widget(name) => out += &format!("widget {name}\n"),
            Block::Exercise(id) => out += &format!("exercise {id}\n"),
            Block::Quiz(questions) => {
                out += "quiz\n";
                for question in questions {
                    out += &format!("  {} {}\n", question.id, question.prompt_html.replace('\n', "⏎"));
                    for choice in &question.choices {
                        let mark = if choice.correct { "x" } else { " " };
                        out += &format!("    [{mark}] {} > {}\n", choice.html, choice.explanation_html.replace('\n', "⏎"));
                    }
                }
            }
        }
    }
    for link in &lesson.links {
        out += &format!("link {} line {}\n", link.target, link.line);
    }
    out
}

fn lesson(body: &str) -> String {
    format!("{FRONT}{body}")
}

// Good lessons.

#[test]
fn prose_is_rendered_to_html() {
    check(
        &lesson("Take an *account*.\n\n## Two ways\n\nA | B\n--|--\n1 | 2\n\n~~gone~~\n"),
        r"
lesson 01 test: Folding | State is a fold.
html <p>Take an <em>account</em>.</p>⏎<h2>Two ways</h2>⏎<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>⏎<tr><td>1</td><td>2</td></tr>⏎</tbody></table>⏎<p><del>gone</del></p>
",
    );
}

#[test]
fn code_fences_become_code_blocks() {
    check(
        &lesson("Before.\n\n```rhai\nlet x = 1;\n\nx\n```\n\n~~~json\n{\"a\": 1}\n~~~\n\nAfter.\n"),
        r#"
lesson 01 test: Folding | State is a fold.
html <p>Before.</p>
code rhai "let x = 1;\n\nx"
code json "{\"a\": 1}"
html <p>After.</p>
"#,
    );
}

#[test]
fn widgets_and_exercises_are_placed_in_the_flow() {
    check(
        &lesson("Try it.\n\n```widget fold-stepper\n```\n\nNow you.\n\n```exercise decide-withdrawal\n```\n"),
        r"
lesson 01 test: Folding | State is a fold.
html <p>Try it.</p>
widget fold-stepper
html <p>Now you.</p>
exercise decide-withdrawal
",
    );
}

#[test]
fn quiz_questions_are_numbered_with_the_slug() {
    check(
        &lesson(
            "```quiz\n? What is the balance after event 3?\n  1. opened, 2. deposited €50, 3. withdrew €20\n- [ ] €50\n  > That skips the withdrawal.\n- [x] €30\n  > Fifty in, twenty out:\n  > the fold stops at event 3.\n\n? Is `evolve` *pure*?\n- [x] Yes\n  > It reads only its inputs.\n- [ ] No\n  > It must be.\n? Third?\n- [x] a < b & c\n  > Escaped.\n- [ ] - not a list\n  > Still text.\n```\n",
        ),
        r"
lesson 01 test: Folding | State is a fold.
quiz
  test/q1 What is the balance after event 3?<br />⏎1. opened, 2. deposited €50, 3. withdrew €20
    [ ] €50 > That skips the withdrawal.
    [x] €30 > Fifty in, twenty out:⏎the fold stops at event 3.
  test/q2 Is <code>evolve</code> <em>pure</em>?
    [x] Yes > It reads only its inputs.
    [ ] No > It must be.
  test/q3 Third?
    [x] a &lt; b &amp; c > Escaped.
    [ ] - not a list > Still text.
",
    );
}

#[test]
fn a_prompt_ending_in_lines_numbered_in_order_lists_them() {
    check(
        &lesson(
            "```quiz\n? A has these events.\nWhat is the balance?\n  1. AccountOpened\n  2. MoneyDeposited `€80`\n- [x] €80\n  > One deposit.\n- [ ] €0\n  > It counts.\n\n? Out of order:\n  1. opened\n  3. deposited\n- [x] a\n  > Kept as lines.\n- [ ] b\n  > Kept.\n? One line:\n  1. opened, 2. deposited\n- [x] c\n  > Text.\n- [ ] d\n  > Text.\n```\n",
        ),
        r#"
lesson 01 test: Folding | State is a fold.
quiz
  test/q1 A has these events.<br />⏎What is the balance?<ol class="prompt-list"><li>AccountOpened</li><li>MoneyDeposited <code>€80</code></li></ol>
    [x] €80 > One deposit.
    [ ] €0 > It counts.
  test/q2 Out of order:<br />⏎1. opened<br />⏎3. deposited
    [x] a > Kept as lines.
    [ ] b > Kept.
  test/q3 One line:<br />⏎1. opened, 2. deposited
    [x] c > Text.
    [ ] d > Text.
"#,
    );
}

#[test]
fn an_aside_is_prose_folded_under_its_title() {
    check(
        &lesson("Before.\n\n```aside Under the hood: <tabs>\nThe store keeps a *version*\nper stream, see [the log](/log).\n```\n\nAfter.\n"),
        r#"
lesson 01 test: Folding | State is a fold.
html <p>Before.</p>
html <details class="aside"><summary>Under the hood: &lt;tabs&gt;</summary><p>The store keeps a <em>version</em>⏎per stream, see <a href="log">the log</a>.</p>⏎</details>
html <p>After.</p>
link /log line 9
"#,
    );
}

#[test]
fn an_aside_needs_a_title_and_holds_prose_only() {
    check(
        &lesson("```aside\nText.\n```\n\n```aside Inside\n<b>raw</b>\n\n    indented code\n```\n\n```aside Empty\n```\n"),
        r"
01-test.md:5: give the aside its title: ```aside Under the hood
01-test.md:10: raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\<`
01-test.md:10: raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\<`
01-test.md:12: code inside an aside: keep asides to prose, and put the code before or after it
01-test.md:15: an empty aside: write its text between the fences, or remove it
",
    );
}

#[test]
fn root_relative_links_become_base_relative() {
    check(
        &lesson("See [your event log](/log), [the start](/), [replay](/lessons/test#replay),\n[the sandbox](/sandbox?x=1) and [the spec](https://cloudevents.io).\n"),
        r#"
lesson 01 test: Folding | State is a fold.
html <p>See <a href="log">your event log</a>, <a href="./">the start</a>, <a href="lessons/test#replay">replay</a>,⏎<a href="sandbox?x=1">the sandbox</a> and <a href="https://cloudevents.io">the spec</a>.</p>
link /log line 5
link / line 5
link /lessons/test#replay line 5
link /sandbox?x=1 line 6
"#,
    );
}

#[test]
fn links_in_quiz_text_are_rewritten_too() {
    check(
        &lesson(&format!("```quiz\n? See [the log](/log).\n- [x] a\n  > As [lesson 1](/lessons/test) says.\n- [ ] b\n  > No.\n{FILLER}{FILLER}```\n")),
        r#"
lesson 01 test: Folding | State is a fold.
quiz
  test/q1 See <a href="log">the log</a>.
    [x] a > As <a href="lessons/test">lesson 1</a> says.
    [ ] b > No.
  test/q2 Filler?
    [x] yes > Because.
    [ ] no > Because not.
  test/q3 Filler?
    [x] yes > Because.
    [ ] no > Because not.
link /log line 6
link /lessons/test line 8
"#,
    );
}

#[test]
fn windows_line_endings_are_read_like_unix_ones() {
    check(
        "---\r\ntitle: Folding\r\nsummary: State is a fold.\r\n---\r\n\r\nText.\r\n\r\n```text\r\na\r\n```\r\n",
        r#"
lesson 01 test: Folding | State is a fold.
html <p>Text.</p>
code text "a"
"#,
    );
}

#[test]
fn lessons_come_in_number_order_and_may_link_to_each_other() {
    check(
        &format!("//- 05-transfers.md\n{FRONT}Back to [folds](/lessons/fold).\n//- 01-fold.md\n{FRONT}On to [transfers](/lessons/transfers).\n"),
        r#"
lesson 01 fold: Folding | State is a fold.
html <p>On to <a href="lessons/transfers">transfers</a>.</p>
link /lessons/transfers line 5
lesson 05 transfers: Folding | State is a fold.
html <p>Back to <a href="lessons/fold">folds</a>.</p>
link /lessons/fold line 5
"#,
    );
}

// Front matter and file names.

#[test]
fn a_file_without_front_matter_is_refused() {
    check(
        "# Folding\n\nText.\n",
        "01-test.md:1: no front matter: a lesson file starts with front matter: a `---` line, `title: …`, `summary: …`, and a closing `---` line\n01-test.md:1: a `#` heading: the title is the page's only top-level heading, so sections start at `##`",
    );
}

#[test]
fn title_and_summary_are_required() {
    check(
        "---\ntitle: Folding\n---\nText.\n",
        "01-test.md:3: the front matter has no `summary:`; add `summary: <one line for the home page>` above this line",
    );
    check(
        "---\nsummary: Folds.\ntitle:\n---\nText.\n",
        "01-test.md:3: `title` is empty; write it on the same line, after the colon",
    );
}

#[test]
fn front_matter_knows_only_title_and_summary() {
    check(
        "---\ntitle: Folding\nsummary: Folds.\nauthor: me\ntitle: Again\nno colon here\n---\n",
        r"
01-test.md:4: unknown front matter key `author`: only `title` and `summary` are allowed
01-test.md:5: `title` is given twice in the front matter; keep one
01-test.md:6: expected `title: …` or `summary: …` in the front matter, found `no colon here`
",
    );
}

#[test]
fn front_matter_must_be_closed() {
    check(
        "---\ntitle: Folding\nsummary: Folds.\n\nText.\n",
        "01-test.md:1: the front matter is never closed: a lesson file starts with front matter: a `---` line, `title: …`, `summary: …`, and a closing `---` line",
    );
}

#[test]
fn file_names_are_two_digits_and_a_slug() {
    check(
        &format!("//- 1-Fold.md\n{FRONT}"),
        "1-Fold.md: a lesson file is named `NN-slug.md`: two digits for its place in the course, a dash, then lower-case words joined by dashes (`01-fold.md`)",
    );
}

#[test]
fn numbers_and_slugs_are_unique() {
    check(
        &format!("//- 01-fold.md\n{FRONT}//- 01-folds.md\n{FRONT}//- 02-fold.md\n{FRONT}"),
        r"
01-folds.md: lesson number 01 is also used by 01-fold.md: give each lesson its own `NN`
02-fold.md: the slug `fold` is also used by 01-fold.md: give each lesson its own address
",
    );
}

// Fences.

#[test]
fn unknown_fence_names_are_refused() {
    check(
        &lesson("```python\nprint(1)\n```\n\n```\nplain\n```\n\n```rust,ignore\nx\n```\n\n```text\n```\n"),
        r"
01-test.md:5: unknown fence name `python`: code fences are ```rhai, ```rust, ```json or ```text, and placed blocks are ```widget <name>, ```exercise <id>, ```quiz or ```aside <title>
01-test.md:9: a code fence with no name: code fences are ```rhai, ```rust, ```json or ```text, and placed blocks are ```widget <name>, ```exercise <id>, ```quiz or ```aside <title>
01-test.md:13: unknown fence name `rust,ignore`: code fences are ```rhai, ```rust, ```json or ```text, and placed blocks are ```widget <name>, ```exercise <id>, ```quiz or ```aside <title>
01-test.md:17: an empty code block: add the code or remove the fences
",
    );
    check(&lesson("```rust no_run\nx\n```\n"), "01-test.md:5: write just ```rust: nothing may follow the language");
}

#[test]
fn unknown_widgets_and_exercises_are_refused() {
    check(
        &lesson("```widget fold-steper\n```\n\n```exercise withdraw\n```\n\n```widget\n```\n\n```exercise fold transfers\n```\n"),
        r"
01-test.md:5: unknown widget `fold-steper`; the widgets are fold-stepper, projection-board, command-console, correction-ledger, transfer-board, snapshot-lab, concurrency-race, log-replay
01-test.md:8: unknown exercise `withdraw`; the exercises are fold, projection, decide-withdrawal, transfers, upcaster
01-test.md:11: name the widget: ```widget <name>
01-test.md:14: one name per block: ```exercise <name>
",
    );
}

#[test]
fn placed_blocks_have_empty_bodies() {
    check(&lesson("```widget log-replay\nsomething\n```\n"), "01-test.md:6: a `widget` block has an empty body: remove the lines between its fences");
}

#[test]
fn fences_sit_at_the_top_level() {
    check(
        &lesson("- a step:\n\n  ```widget fold-stepper\n  ```\n\n> ```rhai\n> x\n> ```\n"),
        r"
01-test.md:7: a fenced block inside a list, quote or table: move it out, to the start of a line of its own
01-test.md:10: a fenced block inside a list, quote or table: move it out, to the start of a line of its own
",
    );
}

#[test]
fn indented_code_is_refused() {
    check(
        &lesson("Text.\n\n    let x = 1;\n"),
        "01-test.md:7: text indented by four spaces is read as code: remove the indentation, or make it a fenced block with a language (```text)",
    );
}

// Prose.

#[test]
fn raw_html_is_refused() {
    check(
        &lesson("<div>box</div>\n\nA Vec<Event> here, `Vec<Event>` fine, 1 < 2 fine.\n"),
        r"
01-test.md:5: raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\<`
01-test.md:7: raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\<`
",
    );
}

#[test]
fn top_level_headings_are_refused() {
    check(&lesson("Text.\n\n# Section\n"), "01-test.md:7: a `#` heading: the title is the page's only top-level heading, so sections start at `##`");
}

#[test]
fn links_must_land_on_a_page_of_the_app() {
    check(
        &lesson("[a](/about) [b](fold) [c](#replay) [d](javascript:alert(1)) [e](//example.com) [f](/lessons/)\n[g](/lessons/nowhere) [h](<>)\n"),
        r"
01-test.md:5: link to `/about`: there is no such page; link to /, /log, /sandbox or /lessons/<slug>
01-test.md:5: `fold` is relative to wherever the reader is: write addresses inside the course from the site root, like /lessons/fold or /log
01-test.md:5: `#replay` would resolve against the site's base address, not this page, and lessons have no heading anchors: link to a page instead, like /lessons/fold
01-test.md:5: `javascript:alert(1)`: links may use https://, http:// or mailto:, not javascript:
01-test.md:5: `//example.com` leaves out the scheme: write the full https:// address
01-test.md:5: link to `/lessons/`: there is no such page; link to /, /log, /sandbox or /lessons/<slug>
01-test.md:6: a link with no address: write one between the parentheses, like [your event log](/log)
01-test.md:6: link to `/lessons/nowhere`: no lesson has the slug `nowhere`; the lessons are test
",
    );
}

// Quizzes.

#[test]
fn a_quiz_has_at_least_three_questions() {
    check(&lesson(&format!("```quiz\n{FILLER}{FILLER}```\n")), "01-test.md:5: the quiz has 2 question(s); a quiz needs at least 3");
}

#[test]
fn exactly_one_option_is_right() {
    check(
        &lesson(&format!("```quiz\n? None?\n- [ ] a\n  > A.\n- [ ] b\n  > B.\n? Both?\n- [x] a\n  > A.\n- [x] b\n  > B.\n{FILLER}```\n")),
        r"
01-test.md:6: question test/q1 has no right option: mark exactly one with `- [x]`
01-test.md:11: question test/q2 has 2 right options (lines 12, 14): mark exactly one with `- [x]`
",
    );
}

#[test]
fn every_option_is_explained() {
    check(
        &lesson(&format!("```quiz\n? Why?\n- [x] a\n- [ ] b\n  >\n{FILLER}{FILLER}```\n")),
        r"
01-test.md:7: this option has no explanation: add a line `  > why it is right or wrong` under it
01-test.md:8: this option has no explanation: add a line `  > why it is right or wrong` under it
",
    );
}

#[test]
fn a_question_has_text_and_two_options() {
    check(
        &lesson(&format!("```quiz\n?\n- [x] a\n  > A.\n? Alone?\n- [x] \n  > A.\n{FILLER}```\n")),
        r"
01-test.md:6: a question with no text: write it after the `? `
01-test.md:6: question test/q1 has 1 option(s); give it at least two
01-test.md:9: question test/q2 has 1 option(s); give it at least two
01-test.md:10: an option with no text: write it after `- [ ] ` or `- [x] `
",
    );
}

#[test]
fn quiz_lines_follow_the_grammar() {
    check(
        &lesson(&format!("```quiz\nIntro line.\n  > Orphan.\n?Squashed\n- [] a\n- [x] b\n  > B.\n  more about b\n- [ ] c\n  > C.\n{FILLER}{FILLER}```\n")),
        r"
01-test.md:6: a quiz starts with a question: a line `? <the question>`
01-test.md:7: an explanation (`  > …`) belongs under the option it explains
01-test.md:8: a question starts with `? ` (a question mark and a space)
01-test.md:9: `- [] a` is not an option: write `- [ ] text` for a wrong option or `- [x] text` for the right one
01-test.md:12: `more about b` after an option: an explanation line starts with `  > `, a new question with `? `
",
    );
}

#[test]
fn a_lesson_has_one_quiz() {
    let quiz = format!("```quiz\n{FILLER}{FILLER}{FILLER}```\n");
    check(&lesson(&format!("{quiz}\n{quiz}")), "01-test.md:23: a second quiz: a lesson has one quiz, so move these questions into the first");
}

#[test]
fn quiz_text_is_inline_markdown_only() {
    check(
        &lesson(&format!("```quiz\n? Is <b>this</b> ok?\n- [x] a\n  > A.\n- [ ] [x]: /log\n  > B.\n{FILLER}{FILLER}```\n")),
        r"
01-test.md:6: raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\<`
01-test.md:6: raw HTML is not allowed in lessons: write Markdown instead, put code in backticks, or escape a literal `<` as `\<`
01-test.md:9: this quiz text does not read as one piece of inline Markdown (text, `code`, *emphasis*, links): keep it to plain lines
",
    );
}

#[test]
fn all_problems_are_reported_at_once_in_line_order() {
    check(
        &format!("//- 02-b.md\n---\ntitle: B\n---\n```widget nope\n```\n//- 01-a.md\n{FRONT}[x](/lessons/c)\n"),
        r"
01-a.md:5: link to `/lessons/c`: no lesson has the slug `c`; the lessons are a, b
02-b.md:3: the front matter has no `summary:`; add `summary: <one line for the home page>` above this line
02-b.md:4: unknown widget `nope`; the widgets are fold-stepper, projection-board, command-console, correction-ledger, transfer-board, snapshot-lab, concurrency-race, log-replay
",
    );
}

// Code generation.

#[test]
fn generated_source_builds_the_static_with_escaped_literals() {
    let files = vec![(
        "01-fold.md".to_string(),
        lesson(&format!("Say \"hi\" \\ bye.\n\n```rhai\nlet s = \"a\\tb\";\n```\n\n```widget fold-stepper\n```\n\n```exercise fold\n```\n\n```quiz\n{FILLER}{FILLER}{FILLER}```\n")),
    )];
    let source = crate::rust_source(&crate::parse_all(&files).unwrap());
    for piece in [
        "pub static LESSONS: &[Lesson] = &[\n    Lesson {\n        slug: \"fold\",\n        title: \"Folding\",\n        summary: \"State is a fold.\",\n        blocks: &[\n",
        r#"            Block::Html("<p>Say \"hi\" \\ bye.</p>\n"),"#,
        r#"            Block::Code { lang: "rhai", source: "let s = \"a\\tb\";" },"#,
        "            Block::Widget(Widget::FoldStepper),\n            Block::Exercise(\"fold\"),\n            Block::Quiz(&[\n",
        "                    id: \"fold/q3\",\n                    prompt_html: \"Filler?\",\n",
        r#"                        Choice { html: "yes", correct: true, explanation_html: "Because." },"#,
        "        ],\n    },\n];\n",
    ] {
        assert!(source.contains(piece), "missing {piece:?} in\n{source}");
    }
}
