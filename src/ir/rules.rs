//! Validation rules a schema states (lengths, bounds, patterns, counts, formats), as
//! plain data; rendered into the server's generated validation code.

use openapiv3::{Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

/// The constraints of one schema on its value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (ECMA-262 regular expression, checked with the `regex` crate).
    pub pattern: Option<String>,
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
    /// A string format checked at runtime (`email`, `uri`, `hostname`).
    pub format: Option<&'static str>,
    /// Rules of each array item.
    pub items: Option<Box<Rules>>,
}

impl Rules {
    /// No constraint at all.
    pub fn is_empty(&self) -> bool {
        *self == Rules::default()
    }

    /// The rules as a Rust expression of the generated `validation::Rules` type.
    pub fn to_rust(&self) -> String {
        let mut parts = Vec::new();
        let opt_usize = |name: &str, v: Option<usize>, parts: &mut Vec<String>| {
            if let Some(v) = v {
                parts.push(format!("{name}: Some({v})"));
            }
        };
        let opt_f64 = |name: &str, v: Option<f64>, parts: &mut Vec<String>| {
            if let Some(v) = v {
                parts.push(format!("{name}: Some({v:?})"));
            }
        };
        opt_usize("min_length", self.min_length, &mut parts);
        opt_usize("max_length", self.max_length, &mut parts);
        if let Some(p) = &self.pattern {
            parts.push(format!("pattern: Some({})", super::naming::lit(p)));
        }
        opt_f64("minimum", self.minimum, &mut parts);
        opt_f64("maximum", self.maximum, &mut parts);
        if self.exclusive_minimum {
            parts.push("exclusive_minimum: true".into());
        }
        if self.exclusive_maximum {
            parts.push("exclusive_maximum: true".into());
        }
        opt_f64("multiple_of", self.multiple_of, &mut parts);
        opt_usize("min_items", self.min_items, &mut parts);
        opt_usize("max_items", self.max_items, &mut parts);
        if self.unique_items {
            parts.push("unique_items: true".into());
        }
        opt_usize("min_properties", self.min_properties, &mut parts);
        opt_usize("max_properties", self.max_properties, &mut parts);
        if let Some(f) = self.format {
            parts.push(format!("format: Some({f:?})"));
        }
        if let Some(items) = &self.items {
            parts.push(format!("items: Some(&{})", items.to_rust()));
        }
        parts.push("..Rules::NONE".into());
        format!("Rules {{ {} }}", parts.join(", "))
    }

    /// Whether a pattern appears anywhere (the server then needs `regex`).
    pub fn has_pattern(&self) -> bool {
        self.pattern.is_some() || self.items.as_ref().is_some_and(|i| i.has_pattern())
    }
}

fn checked_format(f: &str) -> Option<&'static str> {
    match f {
        "email" | "idn-email" => Some("email"),
        "uri" | "url" | "iri" => Some("uri"),
        "hostname" | "idn-hostname" => Some("hostname"),
        _ => None,
    }
}

fn format_name<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        _ => None,
    }
}

/// The rules stated directly on `s` (not those of its items or properties).
pub fn rules_of(s: &Schema) -> Rules {
    let mut r = Rules::default();
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            r.min_length = t.min_length.filter(|n| *n > 0);
            r.max_length = t.max_length;
            r.pattern = t.pattern.clone();
            r.format = format_name(&t.format).as_deref().and_then(checked_format);
        }
        SchemaKind::Type(Type::Number(t)) => {
            r.minimum = t.minimum;
            r.maximum = t.maximum;
            r.exclusive_minimum = t.exclusive_minimum && t.minimum.is_some();
            r.exclusive_maximum = t.exclusive_maximum && t.maximum.is_some();
            r.multiple_of = t.multiple_of.filter(|m| *m > 0.0);
        }
        SchemaKind::Type(Type::Integer(t)) => {
            r.minimum = t.minimum.map(|v| v as f64);
            r.maximum = t.maximum.map(|v| v as f64);
            r.exclusive_minimum = t.exclusive_minimum && t.minimum.is_some();
            r.exclusive_maximum = t.exclusive_maximum && t.maximum.is_some();
            r.multiple_of = t.multiple_of.filter(|m| *m > 0).map(|v| v as f64);
        }
        SchemaKind::Type(Type::Array(a)) => {
            r.min_items = a.min_items.filter(|n| *n > 0);
            r.max_items = a.max_items;
            r.unique_items = a.unique_items;
        }
        SchemaKind::Type(Type::Object(o)) => {
            r.min_properties = o.min_properties.filter(|n| *n > 0);
            r.max_properties = o.max_properties;
        }
        SchemaKind::Any(a) => {
            match a.typ.as_deref() {
                Some("string") | None => {
                    r.min_length = a.min_length.filter(|n| *n > 0);
                    r.max_length = a.max_length;
                    r.pattern = a.pattern.clone();
                    r.format = a.format.as_deref().and_then(checked_format);
                }
                _ => {}
            }
            if matches!(a.typ.as_deref(), Some("number" | "integer") | None) {
                r.minimum = a.minimum;
                r.maximum = a.maximum;
                r.exclusive_minimum = a.exclusive_minimum.unwrap_or(false) && a.minimum.is_some();
                r.exclusive_maximum = a.exclusive_maximum.unwrap_or(false) && a.maximum.is_some();
                r.multiple_of = a.multiple_of.filter(|m| *m > 0.0);
            }
            if matches!(a.typ.as_deref(), Some("array") | None) {
                r.min_items = a.min_items.filter(|n| *n > 0);
                r.max_items = a.max_items;
                r.unique_items = a.unique_items.unwrap_or(false);
            }
            if matches!(a.typ.as_deref(), Some("object") | None) {
                r.min_properties = a.min_properties.filter(|n| *n > 0);
                r.max_properties = a.max_properties;
            }
        }
        _ => {}
    }
    r
}
