{% macro union_impls(name, variants, validates) %}

impl Check for models::{{ name }} {}

impl Validate for models::{{ name }} {
    fn validate(&self, {% if !validates %}_{% endif %}loc: &mut Vec<LocPart>, {% if !validates %}_{% endif %}out: &mut Vec<Violation>) {
        match self {
{% for v in variants.iter() %}
            Self::{{ v.name }}({% if v.validate %}inner) => inner.validate(loc, out){% else %}_) => {}{% endif %},
{% endfor %}
        }
    }
}
{% endmacro %}
#![allow(clippy::doc_lazy_continuation)]
//! Validation of every constraint the spec states, run before a handler sees the
//! request. All violations of a request are collected and answered together with
//! `422 {"detail": [{"type", "loc", "msg", "input"}]}`.

use std::collections::HashMap;

{% if api.facts.input_types %}use super::models;{% endif %}

pub use {{ rt }}::{LocPart, ErrorItem as Violation};

/// The constraints of one value.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// `minLength` (characters).
    pub min_length: Option<usize>,
    /// `maxLength` (characters).
    pub max_length: Option<usize>,
    /// `pattern`.
    pub pattern: Option<&'static str>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// `maxProperties`.
    pub max_properties: Option<usize>,
    /// A string format checked at runtime: `email`, `uri`, `hostname`.
    pub format: Option<&'static str>,
    /// Rules of each array item.
    pub items: Option<&'a Rules<'a>>,
}

impl Rules<'_> {
    /// No constraint.
    pub const NONE: Rules<'static> = Rules {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        exclusive_minimum: false,
        exclusive_maximum: false,
        multiple_of: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        min_properties: None,
        max_properties: None,
        format: None,
        items: None,
    };
}

fn violation(out: &mut Vec<Violation>, loc: &[LocPart], kind: &'static str, msg: String, input: serde_json::Value) {
    out.push(Violation { kind: kind.into(), loc: loc.to_vec(), msg, input: Some(input) });
}

{% if api.facts.uses_pattern %}
/// Patterns compiled once. A pattern the `regex` crate cannot compile (look-around,
/// back-references) is not checked rather than failing requests.
fn pattern_matches(pattern: &'static str, value: &str) -> bool {
    use std::sync::{LazyLock, Mutex};
    static CACHE: LazyLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let Ok(mut cache) = CACHE.lock() else {
        return true;
    };
    cache
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).ok())
        .as_ref()
        .is_none_or(|re| re.is_match(value))
}
{% endif %}

fn format_ok(format: &str, value: &str) -> bool {
    match format {
        "email" => {
            let mut parts = value.splitn(2, '@');
            let local = parts.next().unwrap_or("");
            let domain = parts.next().unwrap_or("");
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        "uri" => {
            let mut chars = value.chars();
            let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
            scheme_ok
                && value.split_once(':').is_some_and(|(scheme, _)| {
                    scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                })
                && !value.chars().any(char::is_whitespace)
        }
        "hostname" => {
            !value.is_empty()
                && value.len() <= 253
                && value.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
        _ => true,
    }
}

fn check_number(value: f64, rules: &Rules<'_>, loc: &[LocPart], out: &mut Vec<Violation>) {
    let input = || serde_json::json!(value);
    if let Some(min) = rules.minimum {
        if rules.exclusive_minimum && value <= min {
            violation(out, loc, "greater_than", format!("Input should be greater than {min}"), input());
        } else if value < min {
            violation(out, loc, "greater_than_equal", format!("Input should be greater than or equal to {min}"), input());
        }
    }
    if let Some(max) = rules.maximum {
        if rules.exclusive_maximum && value >= max {
            violation(out, loc, "less_than", format!("Input should be less than {max}"), input());
        } else if value > max {
            violation(out, loc, "less_than_equal", format!("Input should be less than or equal to {max}"), input());
        }
    }
    if let Some(m) = rules.multiple_of {
        let q = value / m;
        if (q - q.round()).abs() > 1e-9 {
            violation(out, loc, "multiple_of", format!("Input should be a multiple of {m}"), input());
        }
    }
}

fn check_string(value: &str, rules: &Rules<'_>, loc: &[LocPart], out: &mut Vec<Violation>) {
    let len = value.chars().count();
    let input = || serde_json::Value::String(value.to_string());
    if let Some(min) = rules.min_length
        && len < min
    {
        violation(out, loc, "string_too_short", format!("String should have at least {min} characters"), input());
    }
    if let Some(max) = rules.max_length
        && len > max
    {
        violation(out, loc, "string_too_long", format!("String should have at most {max} characters"), input());
    }
{% if api.facts.uses_pattern %}
    if let Some(pattern) = rules.pattern
        && !pattern_matches(pattern, value)
    {
        violation(out, loc, "string_pattern_mismatch", format!("String should match pattern '{pattern}'"), input());
    }
{% endif %}
    if let Some(format) = rules.format
        && !format_ok(format, value)
    {
        violation(out, loc, "value_error", format!("Input is not a valid {format}"), input());
    }
}

fn check_count(count: usize, min: Option<usize>, max: Option<usize>, what: &str, loc: &[LocPart], out: &mut Vec<Violation>) {
    if let Some(min) = min
        && count < min
    {
        violation(out, loc, "too_short", format!("Should have at least {min} {what}"), serde_json::json!(count));
    }
    if let Some(max) = max
        && count > max
    {
        violation(out, loc, "too_long", format!("Should have at most {max} {what}"), serde_json::json!(count));
    }
}

/// A value checked against the rules stated where it is used.
pub trait Check {
    /// Record every rule `self` breaks.
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        let _ = (rules, loc, out);
    }
}

impl Check for String {
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        check_string(self, rules, loc, out);
    }
}

macro_rules! check_numbers {
    ($($t:ty),*) => {
        $(impl Check for $t {
            #[allow(clippy::cast_lossless, clippy::cast_precision_loss)]
            fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
                check_number(*self as f64, rules, loc, out);
            }
        })*
    };
}
check_numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

macro_rules! check_nothing {
    ($($t:ty),*) => { $(impl Check for $t {})* };
}
check_nothing!(bool, std::net::IpAddr, std::net::Ipv4Addr, std::net::Ipv6Addr);
{% if api.facts.uses_chrono %}check_nothing!(chrono::DateTime<chrono::Utc>, chrono::NaiveDate);{% endif %}
{% if api.facts.uses_uuid %}check_nothing!(uuid::Uuid);{% endif %}

macro_rules! check_tuples {
    ($(($($t:ident),+)),*) => { $(impl<$($t),+> Check for ($($t,)+) {})* };
}
check_tuples!((A), (A, B), (A, B, C), (A, B, C, D), (A, B, C, D, E), (A, B, C, D, E, F));

impl Check for serde_json::Value {
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        match self {
            serde_json::Value::String(s) => check_string(s, rules, loc, out),
            serde_json::Value::Number(n) => {
                if let Some(v) = n.as_f64() {
                    check_number(v, rules, loc, out);
                }
            }
            serde_json::Value::Array(items) => items.check(rules, loc, out),
            serde_json::Value::Object(map) => map.check(rules, loc, out),
            _ => {}
        }
    }
}

impl Check for serde_json::Map<String, serde_json::Value> {
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        check_count(self.len(), rules.min_properties, rules.max_properties, "properties", loc, out);
    }
}

impl<T: Check> Check for Option<T> {
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.check(rules, loc, out);
        }
    }
}

impl<T: Check + serde::Serialize> Check for Vec<T> {
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        check_count(self.len(), rules.min_items, rules.max_items, "items", loc, out);
        if rules.unique_items {
            let mut seen = std::collections::HashSet::new();
            for item in self {
                let key = serde_json::to_string(item).unwrap_or_default();
                if !seen.insert(key) {
                    violation(out, loc, "unique_items", "Items should be unique".into(), serde_json::to_value(item).unwrap_or_default());
                    break;
                }
            }
        }
        if let Some(item_rules) = rules.items {
            for (i, item) in self.iter().enumerate() {
                loc.push(LocPart::Index(i));
                item.check(item_rules, loc, out);
                loc.pop();
            }
        }
    }
}

impl<T: Check> Check for HashMap<String, T> {
    fn check(&self, rules: &Rules<'_>, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        check_count(self.len(), rules.min_properties, rules.max_properties, "properties", loc, out);
    }
}

/// A value that validates what it contains (named types, and containers of them).
pub trait Validate {
    /// Record every violation inside `self`.
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>);
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.validate(loc, out);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        (**self).validate(loc, out);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        for (i, item) in self.iter().enumerate() {
            loc.push(LocPart::Index(i));
            item.validate(loc, out);
            loc.pop();
        }
    }
}

impl<T: Validate> Validate for HashMap<String, T> {
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        let mut keys: Vec<&String> = self.keys().collect();
        keys.sort();
        for k in keys {
            loc.push(LocPart::Key(k.clone()));
            if let Some(v) = self.get(k) {
                v.validate(loc, out);
            }
            loc.pop();
        }
    }
}
{% for t in api.types %}
{% if t.input %}
{% match t.kind %}
{% when TypeKind::Struct(s) %}

impl Check for models::{{ t.name }} {}

impl Validate for models::{{ t.name }} {
    fn validate(&self, {% if !s.validates %}_{% endif %}loc: &mut Vec<LocPart>, {% if !s.validates %}_{% endif %}out: &mut Vec<Violation>) {
{% for f in s.fields %}
{% if f.rules.is_some() || f.validate %}
{% if !f.flatten %}        loc.push(LocPart::key({{ f.wire_lit() }}));
{% endif %}
{% if let Some(r) = f.rules %}        self.{{ f.name }}.check(&{{ r }}, loc, out);
{% endif %}
{% if f.validate %}        self.{{ f.name }}.validate(loc, out);
{% endif %}
{% if !f.flatten %}        loc.pop();
{% endif %}
{% endif %}
{% endfor %}
    }
}
{% when TypeKind::Union(u) %}
{% call union_impls(t.name, u.variants, u.validates) %}{% endcall %}
{% when TypeKind::Tagged(u) %}
{% call union_impls(t.name, u.variants, u.validates) %}{% endcall %}
{% when TypeKind::Alias(_) %}
{% when _ %}

impl Check for models::{{ t.name }} {}

impl Validate for models::{{ t.name }} {
    fn validate(&self, _loc: &mut Vec<LocPart>, _out: &mut Vec<Violation>) {}
}
{% endmatch %}
{% endif %}
{% endfor %}
