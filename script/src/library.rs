//! The functions learner code can call, registered one by one instead of Rhai's standard
//! packages: the packages cost about 55 KB of gzipped wasm, most of it for functions no
//! exercise needs (and one, `sleep`, that would block the worker).
//!
//! What is here: `print`/`debug`/`to_string` of any value; `len`, `is_empty`, `contains` (and so
//! the `in` operator) on strings, arrays and maps; `push`, `pop`, `remove`, `+` on arrays (`push`
//! and `+` within the call's room, see [`crate::sandbox::array_room`]; `+=` is Rhai's own, bound
//! only by the operation budget and the memory count); `keys`,
//! `values`, `remove` on maps; `split`, `parse_int`, `starts_with`, `ends_with`, `sub_string`,
//! `index_of` on strings; `abs`, `min`, `max` on integers; `==` and `!=` between arrays or maps;
//! and `for` over arrays and ranges. Operators on integers, strings and booleans are built into
//! Rhai itself.

use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, NativeCallContext, Position, INT};

use crate::convert::{opaque, to_value, written_within};
use crate::sandbox::{MAX_WRITTEN, MIN_ARRAY_ROOM, OUT_OF_MEMORY};
use crate::value::render;

/// What `push` or `+` throws instead of making an array longer than the call's room: a type of
/// its own, so the sandbox tells it from anything learner code can throw and words it for them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArrayFull {
    /// The most items an array could hold in that call.
    pub(crate) room: usize,
}

/// What the library has for arrays, as the sandbox's messages list it: keep these four lists
/// beside the registrations below.
pub(crate) const ON_ARRAYS: &[&str] = &["len", "is_empty", "contains", "push", "pop", "remove", "+"];
/// What the library has for maps.
pub(crate) const ON_MAPS: &[&str] = &["len", "is_empty", "contains", "keys", "values", "remove"];
/// What the library has for strings.
pub(crate) const ON_STRINGS: &[&str] =
    &["len", "is_empty", "contains", "split", "parse_int", "starts_with", "ends_with", "sub_string", "index_of"];
/// What the library has for numbers, besides the operators.
pub(crate) const ON_NUMBERS: &[&str] = &["abs", "min", "max"];

/// Functions of Rhai's standard packages this library leaves out, and `sum`, which other
/// languages have: a learner who knows Rhai calls them by their right name, so their absence is
/// not a typo and is said otherwise.
pub(crate) const LEFT_OUT: &[&str] = &[
    "all", "append", "bytes", "ceiling", "chars", "chop", "clear", "concat", "crop", "dedup", "drain",
    "extract", "fill_with", "filter", "find", "find_map", "floor", "for_each", "get", "insert",
    "make_lower", "make_upper", "map", "merge", "mixin", "order", "pad", "parse_float", "parse_json",
    "reduce", "reduce_rev", "replace", "retain", "reverse", "round", "rsplit", "set", "shift", "sign",
    "some", "sort", "sort_by", "sort_desc", "splice", "split_at", "split_rev", "sqrt", "sum",
    "to_chars", "to_float", "to_int", "to_json", "to_lower", "to_upper", "trim", "truncate", "zip",
];

/// Registers the learner's library into a raw engine.
pub fn register(engine: &mut Engine) {
    engine.register_iterator::<Array>();
    engine.register_iterator::<std::ops::Range<INT>>();
    engine.register_iterator::<std::ops::RangeInclusive<INT>>();

    // Printing: strings as they are, everything else as the learner would write it.
    engine.register_fn("print", text);
    engine.register_fn("to_string", text);
    engine.register_fn("debug", |value: Dynamic| written(&value).map(|()| render(&to_value(&value))));
    engine.register_fn("+", |left: ImmutableString, right: Dynamic| text(right).map(|right| format!("{left}{right}")));
    engine.register_fn("+", |left: Dynamic, right: ImmutableString| text(left).map(|left| format!("{left}{right}")));

    // Equality of collections, by value.
    engine.register_fn("==", |left: Array, right: Array| same(left, right));
    engine.register_fn("!=", |left: Array, right: Array| same(left, right).map(|same| !same));
    engine.register_fn("==", |left: Map, right: Map| same(left, right));
    engine.register_fn("!=", |left: Map, right: Map| same(left, right).map(|same| !same));

    // Strings.
    engine.register_fn("len", |s: &mut ImmutableString| s.chars().count() as INT);
    engine.register_fn("is_empty", |s: &mut ImmutableString| s.is_empty());
    engine
        .register_fn("contains", |s: &mut ImmutableString, part: ImmutableString| s.contains(part.as_str()));
    engine.register_fn("starts_with", |s: &mut ImmutableString, part: ImmutableString| {
        s.starts_with(part.as_str())
    });
    engine.register_fn("ends_with", |s: &mut ImmutableString, part: ImmutableString| {
        s.ends_with(part.as_str())
    });
    engine.register_fn("split", |context: NativeCallContext, s: &mut ImmutableString, separator: ImmutableString| {
        // Counted first: `split("")` of a long text makes a value per character.
        fits(&context, s.split(separator.as_str()).count())?;
        Ok::<_, Box<EvalAltResult>>(s.split(separator.as_str()).map(|part| Dynamic::from(part.to_owned())).collect::<Array>())
    });
    engine.register_fn("index_of", |s: &mut ImmutableString, part: ImmutableString| {
        s.find(part.as_str()).map_or(-1, |byte| s[..byte].chars().count() as INT)
    });
    engine.register_fn("sub_string", |s: &mut ImmutableString, start: INT, len: INT| {
        let start = usize::try_from(start).unwrap_or(0);
        let len = usize::try_from(len).unwrap_or(0);
        s.chars().skip(start).take(len).collect::<String>()
    });
    engine.register_fn("parse_int", |s: ImmutableString| -> Result<INT, Box<EvalAltResult>> {
        s.trim().parse::<INT>().map_err(|_| format!("{}{s:?}, which is not a whole number", crate::sandbox::LIBRARY_REFUSAL).into())
    });

    // Arrays.
    engine.register_fn("len", |a: &mut Array| a.len() as INT);
    engine.register_fn("is_empty", |a: &mut Array| a.is_empty());
    engine.register_fn("push", |context: NativeCallContext, a: &mut Array, item: Dynamic| {
        fits(&context, a.len().saturating_add(1))?;
        a.push(item);
        Ok::<_, Box<EvalAltResult>>(())
    });
    engine.register_fn("pop", |a: &mut Array| a.pop().unwrap_or(Dynamic::UNIT));
    engine.register_fn("remove", |a: &mut Array, index: INT| {
        usize::try_from(index).ok().filter(|i| *i < a.len()).map_or(Dynamic::UNIT, |i| a.remove(i))
    });
    engine.register_fn("contains", |a: &mut Array, item: Dynamic| {
        written(&item)?;
        let item = to_value(&item);
        let mut found = false;
        for x in a.iter() {
            written(x)?;
            if to_value(x) == item {
                found = true;
                break;
            }
        }
        Ok::<_, Box<EvalAltResult>>(found)
    });
    engine.register_fn("+", |context: NativeCallContext, mut left: Array, right: Array| {
        fits(&context, left.len().saturating_add(right.len()))?;
        left.extend(right);
        Ok::<_, Box<EvalAltResult>>(left)
    });

    // Maps.
    engine.register_fn("len", |m: &mut Map| m.len() as INT);
    engine.register_fn("is_empty", |m: &mut Map| m.is_empty());
    engine.register_fn("contains", |m: &mut Map, key: ImmutableString| m.contains_key(key.as_str()));
    engine
        .register_fn("keys", |m: &mut Map| m.keys().map(|k| Dynamic::from(k.to_string())).collect::<Array>());
    engine.register_fn("values", |m: &mut Map| m.values().cloned().collect::<Array>());
    engine.register_fn("remove", |m: &mut Map, key: ImmutableString| {
        m.remove(key.as_str()).unwrap_or(Dynamic::UNIT)
    });

    // Integers.
    engine.register_fn("abs", |x: INT| x.saturating_abs());
    engine.register_fn("min", |x: INT, y: INT| x.min(y));
    engine.register_fn("max", |x: INT, y: INT| x.max(y));
}

/// Refuses an array of `len` items when that is more than the call's room, which the sandbox
/// passes as the run's tag (code outside functions has none, and gets the least room). Checking
/// the length here takes no time, where Rhai's own limit walks the whole array at every push; and
/// an error of the library's keeps the line of the `push`, which Rhai drops from its limits.
fn fits(context: &NativeCallContext, len: usize) -> Result<(), Box<EvalAltResult>> {
    let room = context
        .tag()
        .and_then(|tag| tag.as_int().ok())
        .and_then(|room| usize::try_from(room).ok())
        .unwrap_or(MIN_ARRAY_ROOM);
    if len <= room {
        return Ok(());
    }
    Err(EvalAltResult::ErrorRuntime(Dynamic::from(ArrayFull { room }), Position::NONE).into())
}

/// Refuses to write out (or compare) a value longer than [`MAX_WRITTEN`] in full, as the memory
/// limit would stop it: the limit is checked between operations, and one shared string held a
/// thousand times is a thousand copies once written, in one operation.
fn written(value: &Dynamic) -> Result<(), Box<EvalAltResult>> {
    match written_within(value, MAX_WRITTEN) {
        true => Ok(()),
        false => Err(EvalAltResult::ErrorTerminated(Dynamic::from(OUT_OF_MEMORY), Position::NONE).into()),
    }
}

/// A value as `print` shows it: a string as it is, anything else in Rhai syntax.
fn text(value: Dynamic) -> Result<String, Box<EvalAltResult>> {
    if value.is_string() {
        return Ok(value.to_string());
    }
    written(&value)?;
    Ok(match opaque(&value) {
        Some((_, shown)) => shown,
        None => render(&to_value(&value)),
    })
}

fn same(left: impl Into<Dynamic>, right: impl Into<Dynamic>) -> Result<bool, Box<EvalAltResult>> {
    let (left, right) = (left.into(), right.into());
    written(&left)?;
    written(&right)?;
    Ok(to_value(&left) == to_value(&right))
}
