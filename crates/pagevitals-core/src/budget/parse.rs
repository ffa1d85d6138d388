//! Reading a budget file's JSON with positions: every error names the file, the line and
//! column, the JSON pointer (RFC 6901) of the offending value, what was expected and what was
//! found, and, for a near-miss name, the name meant.
//!
//! serde_json's `Value` has no spans, so the text is parsed by `jsonc-parser` into a syntax
//! tree whose every node carries its byte range, with every leniency of JSONC and JSON5 off
//! (comments, trailing commas, single quotes, bare words, hexadecimal and non-finite numbers):
//! what it accepts is strict JSON. The budget readers ([`super::lighthouse`],
//! [`super::extended`]) walk that tree with the helpers here. Nothing here panics; the parser
//! bounds nesting depth.

use jsonc_parser::ast::{Array, Object, ObjectPropName, Value};
use jsonc_parser::common::Range;
use jsonc_parser::{CollectOptions, ParseOptions};
use serde::{Deserialize, Serialize};

/// The largest edit distance at which a name is offered as "did you mean": two edits, as
/// clap's suggestions allow for short names, or a third of the name's length for long ones.
const SUGGESTION_DISTANCE: usize = 2;

/// Why a budget file was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BudgetError {
    /// The file name the caller gave.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// JSON pointer of the offending value (`""` for the whole document).
    pub pointer: String,
    /// What the reader expected there.
    pub expected: String,
    /// What it found.
    pub found: String,
    /// The name probably meant, for a near-miss key or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl std::fmt::Display for BudgetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(document)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}:{}:{}: {}: expected {}, found {}",
            self.file, self.line, self.column, pointer, self.expected, self.found
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean \"{s}\"?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for BudgetError {}

/// Parses strict JSON into a positioned tree, or the syntax error at its position.
pub(crate) fn parse_json<'t>(file: &str, text: &'t str) -> Result<Value<'t>, BudgetError> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let ctx = Ctx { file, text };
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => result
            .value
            .ok_or_else(|| ctx.error(text.len(), "", "a JSON value", "an empty file", None)),
        Err(e) => {
            let found = e.kind().to_string().to_lowercase();
            Err(ctx.error(e.range().start, "", "valid JSON", &found, None))
        }
    }
}

/// The file being read: its name for messages, its text for positions.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Ctx<'_> {
    /// An error at byte `offset`.
    pub fn error(
        &self,
        offset: usize,
        pointer: &str,
        expected: &str,
        found: &str,
        suggestion: Option<String>,
    ) -> BudgetError {
        let (line, column) = line_column(self.text, offset);
        BudgetError {
            file: self.file.to_owned(),
            line,
            column,
            pointer: pointer.to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
            suggestion,
        }
    }

    /// An error at `value`: expected `expected`, found a description of `value`.
    pub fn wrong(&self, value: &Value<'_>, pointer: &str, expected: &str) -> BudgetError {
        self.error(
            range(value).start,
            pointer,
            expected,
            &describe(value),
            None,
        )
    }

    /// `value` as an object whose keys are all in `allowed` and appear once; an unknown key
    /// is an error (as in Lighthouse's budget.json) with a suggestion from `allowed` and
    /// `aliases`.
    pub fn object<'v, 't>(
        &self,
        value: &'v Value<'t>,
        pointer: &str,
        allowed: &[&str],
        aliases: &[(&str, &str)],
    ) -> Result<Fields<'v, 't>, BudgetError> {
        let Value::Object(object) = value else {
            return Err(self.wrong(value, pointer, "an object"));
        };
        for (i, prop) in object.properties.iter().enumerate() {
            let key = name(&prop.name);
            let at = prop_range(&prop.name).start;
            let key_pointer = child(pointer, key);
            if !allowed.contains(&key) {
                return Err(self.error(
                    at,
                    &key_pointer,
                    &format!("one of the keys {}", quoted_list(allowed)),
                    &format!("the unknown key \"{key}\""),
                    suggest(key, allowed, aliases),
                ));
            }
            if object.properties[..i].iter().any(|p| name(&p.name) == key) {
                return Err(self.error(
                    at,
                    &key_pointer,
                    "each key once",
                    &format!("a second \"{key}\""),
                    None,
                ));
            }
        }
        Ok(Fields {
            object,
            pointer: pointer.to_owned(),
        })
    }

    /// `value` as an array.
    pub fn array<'v, 't>(
        &self,
        value: &'v Value<'t>,
        pointer: &str,
    ) -> Result<&'v Array<'t>, BudgetError> {
        match value {
            Value::Array(a) => Ok(a),
            other => Err(self.wrong(other, pointer, "an array")),
        }
    }

    /// `value` as a string.
    pub fn string<'v>(&self, value: &'v Value<'_>, pointer: &str) -> Result<&'v str, BudgetError> {
        match value {
            Value::StringLit(s) => Ok(&s.value),
            other => Err(self.wrong(other, pointer, "a string")),
        }
    }

    /// `value` as a finite number no less than 0.
    pub fn non_negative(&self, value: &Value<'_>, pointer: &str) -> Result<f64, BudgetError> {
        const EXPECTED: &str = "a number no less than 0";
        let Value::NumberLit(n) = value else {
            return Err(self.wrong(value, pointer, EXPECTED));
        };
        match n.value.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(self.error(n.range.start, pointer, EXPECTED, n.value, None)),
        }
    }

    /// `value` as one of the strings `names`; a near miss is suggested from `names` and
    /// `aliases` (e.g. `lcp` for `largest-contentful-paint`).
    pub fn one_of<'n>(
        &self,
        value: &Value<'_>,
        pointer: &str,
        names: &[&'n str],
        aliases: &[(&str, &str)],
    ) -> Result<&'n str, BudgetError> {
        let expected = format!("one of {}", quoted_list(names));
        let Value::StringLit(s) = value else {
            return Err(self.wrong(value, pointer, &expected));
        };
        names
            .iter()
            .find(|n| **n == s.value)
            .copied()
            .ok_or_else(|| {
                self.error(
                    s.range.start,
                    pointer,
                    &expected,
                    &format!("\"{}\"", s.value),
                    suggest(&s.value, names, aliases),
                )
            })
    }
}

/// The checked keys of an object.
pub(crate) struct Fields<'v, 't> {
    object: &'v Object<'t>,
    pointer: String,
}

impl<'v, 't> Fields<'v, 't> {
    /// The value of `key`, with its pointer.
    pub fn get(&self, key: &str) -> Option<(&'v Value<'t>, String)> {
        self.object
            .properties
            .iter()
            .find(|p| name(&p.name) == key)
            .map(|p| (&p.value, child(&self.pointer, key)))
    }

    /// The value of a required `key`.
    pub fn required(
        &self,
        ctx: &Ctx<'_>,
        key: &str,
    ) -> Result<(&'v Value<'t>, String), BudgetError> {
        self.get(key).ok_or_else(|| {
            ctx.error(
                self.object.range.start,
                &self.pointer,
                &format!("an object with the key \"{key}\""),
                "none",
                None,
            )
        })
    }
}

/// `pointer` extended by one reference token, escaped as RFC 6901 says.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// The byte range of a value.
pub(crate) fn range(value: &Value<'_>) -> Range {
    match value {
        Value::StringLit(v) => v.range,
        Value::NumberLit(v) => v.range,
        Value::BooleanLit(v) => v.range,
        Value::Object(v) => v.range,
        Value::Array(v) => v.range,
        Value::NullKeyword(v) => v.range,
    }
}

fn name<'a>(name: &'a ObjectPropName<'_>) -> &'a str {
    match name {
        ObjectPropName::String(s) => &s.value,
        ObjectPropName::Word(w) => w.value,
    }
}

fn prop_range(name: &ObjectPropName<'_>) -> Range {
    match name {
        ObjectPropName::String(s) => s.range,
        ObjectPropName::Word(w) => w.range,
    }
}

/// How a value reads in a message: `the string "x"`, `the number 3`, `an object`.
pub(crate) fn describe(value: &Value<'_>) -> String {
    match value {
        Value::StringLit(s) => format!("the string \"{}\"", s.value),
        Value::NumberLit(n) => format!("the number {}", n.value),
        Value::BooleanLit(b) => b.value.to_string(),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::NullKeyword(_) => "null".to_owned(),
    }
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name meant by `found`: an alias's target (matched ignoring case, so `LCP` and `lcp`
/// both lead to `largest-contentful-paint`), else the closest of `names` within
/// [`SUGGESTION_DISTANCE`] edits (or a third of the name's length), ignoring case.
pub(crate) fn suggest(found: &str, names: &[&str], aliases: &[(&str, &str)]) -> Option<String> {
    let lower = found.to_lowercase();
    if let Some((_, target)) = aliases.iter().find(|(a, _)| a.to_lowercase() == lower) {
        return Some((*target).to_owned());
    }
    let limit = SUGGESTION_DISTANCE.max(found.chars().count() / 3);
    names
        .iter()
        .map(|n| (strsim::levenshtein(&lower, &n.to_lowercase()), n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| (*n).to_owned())
}

/// 1-based line and column (in characters) of byte `offset`; past the end is the end.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        assert_eq!(line_column("ab\ncé\nx", 0), (1, 1));
        assert_eq!(line_column("ab\ncé\nx", 3), (2, 1));
        assert_eq!(line_column("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_column("ab\ncé\nx", 99), (3, 2));
        // Inside a multi-byte character: the character's own column.
        assert_eq!(line_column("é", 1), (1, 1));
    }

    #[test]
    fn suggestions_use_aliases_then_edit_distance() {
        let names = ["largest-contentful-paint", "speed-index"];
        let aliases = [("lcp", "largest-contentful-paint")];
        assert_eq!(
            suggest("LCP", &names, &aliases).as_deref(),
            Some("largest-contentful-paint")
        );
        assert_eq!(
            suggest("speed-idex", &names, &aliases).as_deref(),
            Some("speed-index")
        );
        assert_eq!(suggest("banana", &names, &aliases), None);
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(child("/0", "a/b~c"), "/0/a~1b~0c");
    }

    #[test]
    fn lenient_json_is_rejected_at_its_position() {
        for (text, line, column) in [
            ("[1,]", 1, 3),
            ("// c\n[]", 1, 1),
            ("{'a': 1}", 1, 2),
            ("[NaN]", 1, 2),
            ("", 1, 1),
        ] {
            let e = parse_json("f.json", text).unwrap_err();
            assert_eq!((e.line, e.column), (line, column), "{text:?}: {e}");
            assert!(e.to_string().starts_with("f.json:"), "{e}");
        }
    }
}
