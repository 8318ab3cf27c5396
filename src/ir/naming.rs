//! Identifier sanitising: every name in the spec gets a valid, idiomatic Rust form,
//! and each namespace hands out collision-free names deterministically.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024 (including `gen` and `try`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated code relies on unqualified; a spec type may not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Self",
];

/// Split `raw` into ASCII alphanumeric words; everything else separates words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if let Some(ascii) = latin_fold(ch) {
            out.push_str(ascii);
        } else if ch.is_alphanumeric() {
            // Other scripts: a stable, collision-free spelling of the code point, so
            // that `名前` and `名称` stay distinct.
            out.push_str(&format!(" u{:x} ", ch as u32));
        } else {
            let word = match ch {
                '+' => Some("plus"),
                '@' => Some("at"),
                '$' => Some("dollar"),
                '%' => Some("percent"),
                '*' => Some("star"),
                '=' => Some("eq"),
                '<' => Some("lt"),
                '>' => Some("gt"),
                '!' => Some("not"),
                '&' => Some("and"),
                '|' => Some("or"),
                '#' => Some("hash"),
                _ => None,
            };
            out.push(' ');
            // Symbols standing alone (`+1`, `-1`) must not vanish, or `+1` and `1`
            // would read the same; words around them keep their meaning.
            if let Some(w) = word {
                out.push_str(w);
                out.push(' ');
            } else if ch == '-' && out.trim().is_empty() {
                out.push_str("minus ");
            }
        }
    }
    out
}

/// ASCII spelling of common accented Latin letters.
fn latin_fold(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ß' => "ss",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' => "D",
        'ř' => "r",
        'Ř' => "R",
        _ => return None,
    })
}

/// An `UpperCamelCase` type name for `raw` (not yet de-duplicated).
pub fn type_ident(raw: &str) -> String {
    let w = words(raw);
    // Prefix before case conversion so that `123Numbers` keeps its word boundary.
    let mut s = if w.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{}", w.trim_start()).to_upper_camel_case()
    } else {
        w.to_upper_camel_case()
    };
    if s.is_empty() {
        s = "Empty".into();
    }
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Model");
    }
    s
}

/// An `UpperCamelCase` enum variant name for `raw`.
pub fn variant_ident(raw: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s = "SelfValue".into();
    }
    s
}

/// A `snake_case` field, parameter or function name for `raw`.
pub fn snake_ident(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// Make a snake-case name usable as an identifier: raw identifier for keywords, a
/// trailing `_` for those that cannot be raw.
pub fn escape_keyword(s: &str) -> String {
    if NOT_RAW.contains(&s) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s) {
        format!("r#{s}")
    } else {
        s.to_string()
    }
}

/// How a namespace disambiguates a taken name.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// `Name`, `Name2`, `Name3` …
    Camel,
    /// `name`, `name_2`, `name_3` …
    Snake,
}

/// A set of identifiers in one Rust scope (a module's types, a struct's fields …).
#[derive(Debug, Clone)]
pub struct Namespace {
    used: HashSet<String>,
    style: Style,
}

impl Namespace {
    /// An empty namespace.
    pub fn new(style: Style) -> Self {
        Namespace {
            used: HashSet::new(),
            style,
        }
    }

    /// Reserve a name without checking (e.g. names the generated code defines itself).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// Claim `candidate`, or the first free numbered variant of it. Keywords are
    /// escaped after de-duplication so `type` and `r#type` count as one name.
    pub fn claim(&mut self, candidate: &str) -> String {
        let mut name = candidate.to_string();
        let mut n = 2;
        while self.used.contains(&name) {
            name = match self.style {
                Style::Camel => format!("{candidate}{n}"),
                Style::Snake => format!("{candidate}_{n}"),
            };
            n += 1;
        }
        self.used.insert(name.clone());
        let escaped = match self.style {
            Style::Snake => escape_keyword(&name),
            Style::Camel => name,
        };
        self.used.insert(escaped.clone());
        escaped
    }
}

/// A Rust string literal for `s`, with every character that needs it escaped.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_camel_and_never_shadow_std() {
        assert_eq!(type_ident("pet_store"), "PetStore");
        assert_eq!(type_ident("my-schema"), "MySchema");
        assert_eq!(type_ident("123Numbers"), "T123Numbers");
        assert_eq!(type_ident("Result"), "ResultModel");
        assert_eq!(type_ident("Option"), "OptionModel");
        assert_eq!(type_ident("Self"), "SelfModel");
        assert_eq!(type_ident(""), "Empty");
        assert_eq!(type_ident("@odata.type"), "AtOdataType");
    }

    #[test]
    fn fields_are_snake_and_escape_keywords() {
        let mut ns = Namespace::new(Style::Snake);
        assert_eq!(ns.claim(&snake_ident("type")), "r#type");
        assert_eq!(ns.claim(&snake_ident("self")), "self_");
        assert_eq!(ns.claim(&snake_ident("Self")), "self_2");
        assert_eq!(ns.claim(&snake_ident("gen")), "r#gen");
        assert_eq!(ns.claim(&snake_ident("crate")), "crate_");
        assert_eq!(ns.claim(&snake_ident("1st")), "_1st");
        assert_eq!(ns.claim(&snake_ident("2nd-place")), "_2nd_place");
        assert_eq!(ns.claim(&snake_ident("fooBar")), "foo_bar");
        assert_eq!(ns.claim(&snake_ident("foo_bar")), "foo_bar_2");
        assert_eq!(ns.claim(&snake_ident("foo-bar")), "foo_bar_3");
        assert_eq!(ns.claim(&snake_ident("_")), "value");
        assert_eq!(ns.claim(&snake_ident("$ref-like")), "dollar_ref_like");
    }

    #[test]
    fn variants_keep_symbols_distinct() {
        let mut ns = Namespace::new(Style::Camel);
        let got: Vec<String> = ["ASC", "asc", "", "a-b", "a_b", "+1", "-1", "1"]
            .iter()
            .map(|v| ns.claim(&variant_ident(v)))
            .collect();
        assert_eq!(
            got,
            ["Asc", "Asc2", "Empty", "AB", "AB2", "Plus1", "Minus1", "V1"]
        );
    }

    #[test]
    fn non_ascii_names_are_folded_or_spelled_out() {
        assert_eq!(snake_ident("café_crème"), "cafe_creme");
        assert_eq!(type_ident("Größe"), "Grosse");
        let a = snake_ident("名前");
        let b = snake_ident("名称");
        assert_ne!(a, b);
        assert!(
            a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{a}"
        );
        assert_eq!(type_ident("Ωmega"), "U3a9Mega");
    }

    #[test]
    fn literals_escape_quotes_and_newlines() {
        assert_eq!(lit("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    }
}
