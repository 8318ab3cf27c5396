//! JSON Schema → Rust types: the type space.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::docs::doc_lines;
use super::naming::{self, Namespace, Style};
use super::rules::{Rules, rules_of};
use super::{
    EnumVariant, Facts, Field, IntEnum, StringEnum, Struct, Tagged, TaggedVariant, TypeDef,
    TypeKind, Union, UnionVariant,
};
use crate::diag::Diagnostic;
use crate::ir::LowerOptions;
use crate::load::{Document, walk};

/// A Rust type expression over the type space.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// A named type of the space (index into its definitions).
    Named(usize),
    /// A fully qualified type from std or a dependency (`i64`, `uuid::Uuid`).
    Prim(&'static str),
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `HashMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Box<T>` (breaks recursion).
    Boxed(Box<Ty>),
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    /// A fixed-length array (`prefixItems`).
    Tuple(Vec<Ty>),
    /// A type the user maps a `format` to (`rust_decimal::Decimal`).
    User(String),
}

/// How deep references may nest while lowering one schema (a few in real specs);
/// deeper chains are a hostile or broken spec and must not exhaust the stack.
const MAX_REF_DEPTH: usize = 64;

/// A schema or a reference to one, whatever box the model put it in.
#[derive(Clone, Copy)]
enum SRef<'a> {
    Ref(&'a str),
    Schema(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Schema(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Schema(s),
        }
    }
}

enum Additional<'a> {
    Any,
    No,
    Schema(SRef<'a>),
}

/// One view over the model's several schema shapes.
struct View<'a> {
    typ: Option<&'a str>,
    format: Option<String>,
    enum_values: Vec<Value>,
    properties: Vec<(&'a String, SRef<'a>)>,
    required: &'a [String],
    additional: Option<Additional<'a>>,
    items: Option<SRef<'a>>,
    one_of: Vec<SRef<'a>>,
    any_of: Vec<SRef<'a>>,
    all_of: Vec<SRef<'a>>,
    discriminator: Option<&'a openapiv3::Discriminator>,
    /// `prefixItems` (kept by the loader as `x-prefixItems`).
    prefix_items: Vec<ReferenceOr<Schema>>,
    /// `patternProperties` (kept as `x-patternProperties`).
    pattern_properties: Vec<ReferenceOr<Schema>>,
    /// Variant names from `x-enum-varnames` / `x-enumNames`.
    var_names: Vec<String>,
}

fn fmt_of<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(known(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn additional(a: &Option<AdditionalProperties>) -> Option<Additional<'_>> {
    a.as_ref().map(|a| match a {
        AdditionalProperties::Any(true) => Additional::Any,
        AdditionalProperties::Any(false) => Additional::No,
        AdditionalProperties::Schema(s) => Additional::Schema(SRef::from(&**s)),
    })
}

fn view(s: &Schema) -> View<'_> {
    let mut v = View {
        typ: None,
        format: None,
        enum_values: Vec::new(),
        properties: Vec::new(),
        required: &[],
        additional: None,
        items: None,
        one_of: Vec::new(),
        any_of: Vec::new(),
        all_of: Vec::new(),
        discriminator: s.schema_data.discriminator.as_ref(),
        prefix_items: Vec::new(),
        pattern_properties: Vec::new(),
        var_names: Vec::new(),
    };
    let ext = &s.schema_data.extensions;
    for key in ["x-enum-varnames", "x-enumNames"] {
        if let Some(Value::Array(names)) = ext.get(key) {
            v.var_names = names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
        }
    }
    if let Some(items) = ext.get("x-prefixItems") {
        v.prefix_items = serde_json::from_value(items.clone()).unwrap_or_default();
    }
    if let Some(Value::Object(patterns)) = ext.get("x-patternProperties") {
        v.pattern_properties = patterns
            .values()
            .filter_map(|p| serde_json::from_value(p.clone()).ok())
            .collect();
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            v.typ = Some("string");
            v.format = fmt_of(&t.format, |f| match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            });
            v.enum_values = t
                .enumeration
                .iter()
                .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                .collect();
        }
        SchemaKind::Type(Type::Number(t)) => {
            v.typ = Some("number");
            v.format = fmt_of(&t.format, |f| match f {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            });
        }
        SchemaKind::Type(Type::Integer(t)) => {
            v.typ = Some("integer");
            v.enum_values = t
                .enumeration
                .iter()
                .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                .collect();
            v.format = fmt_of(&t.format, |f| match f {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            });
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k, SRef::from(s)))
                .collect();
            v.required = &o.required;
            v.additional = additional(&o.additional_properties);
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref().map(SRef::from);
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(SRef::from).collect(),
        SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(SRef::from).collect(),
        SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(SRef::from).collect(),
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            v.typ = a.typ.as_deref();
            v.format = a.format.clone();
            v.enum_values = a.enumeration.clone();
            v.properties = a
                .properties
                .iter()
                .map(|(k, s)| (k, SRef::from(s)))
                .collect();
            v.required = &a.required;
            v.additional = additional(&a.additional_properties);
            v.items = a.items.as_ref().map(SRef::from);
            v.one_of = a.one_of.iter().map(SRef::from).collect();
            v.any_of = a.any_of.iter().map(SRef::from).collect();
            v.all_of = a.all_of.iter().map(SRef::from).collect();
        }
    }
    v
}

struct RawField {
    name: String,
    wire: String,
    ty: Ty,
    rules: Rules,
    optional: bool,
    nullable: bool,
    doc: Vec<String>,
    deprecated: bool,
    flatten: bool,
}

enum Body {
    Pending,
    Struct {
        fields: Vec<RawField>,
        deny_unknown: bool,
    },
    Enum(Vec<EnumVariant>),
    Union(Vec<(String, Ty)>),
    /// Integer enum: (variant, value).
    IntEnum(Vec<(String, i64)>),
    /// Discriminated union: tag property, variants with their tag values.
    Tagged(String, Vec<(String, Ty, Vec<String>)>),
    Alias(Ty),
}

struct Def {
    name: String,
    doc: Vec<String>,
    body: Body,
    example: Option<Value>,
}

/// All named types of an API, built on demand while operations are lowered.
pub struct TypeSpace<'a> {
    doc: &'a Document,
    /// `format` → user type (see [`LowerOptions::formats`]).
    formats: std::collections::BTreeMap<String, String>,
    /// `operationId` → method name (see [`LowerOptions::operation_names`]).
    pub operation_names: std::collections::BTreeMap<String, String>,
    names: Namespace,
    defs: Vec<Def>,
    by_ref: HashMap<String, usize>,
    /// Pointers being resolved through pure `$ref` chains (cycle guard).
    ref_chain: Vec<String>,
    /// How deep [`TypeSpace::rules_for`] follows references (stack guard).
    rules_depth: usize,
    /// Nullability of referenced schemas, by canonical pointer.
    ref_nullable: HashMap<String, bool>,
    /// Rules of referenced schemas that do not become named types, by pointer.
    ref_rules: HashMap<String, Rules>,
    /// Pointer of what is being lowered (an operation), for warnings about inline
    /// schemas.
    context: String,
    warnings: Vec<Diagnostic>,
    /// Types that appear in requests (the server reads them, the client writes them).
    request_roots: Vec<Ty>,
    /// Types that appear in responses (the server writes them, the client reads them).
    response_roots: Vec<Ty>,
}

/// What lowering an inline schema produced.
pub struct Lowered {
    /// The type.
    pub ty: Ty,
    /// The schema admits `null`.
    pub nullable: bool,
}

fn canonical_pointer(reference: &str) -> Option<String> {
    let (file, ptr) = reference.split_once('#')?;
    if !file.is_empty() {
        return None;
    }
    Some(walk::pointer(&walk::pointer_segments(ptr)))
}

impl<'a> TypeSpace<'a> {
    /// A type space for `doc`; names of all component schemas are claimed first, in
    /// spec order, so that inline types never take a component's name.
    pub fn new(doc: &'a Document, options: &LowerOptions) -> Self {
        let mut space = TypeSpace {
            doc,
            formats: options.formats.clone(),
            operation_names: options.operation_names.clone(),
            names: Namespace::new(Style::Camel),
            defs: Vec::new(),
            by_ref: HashMap::new(),
            ref_chain: Vec::new(),
            rules_depth: 0,
            ref_nullable: HashMap::new(),
            ref_rules: HashMap::new(),
            context: String::new(),
            warnings: Vec::new(),
            request_roots: Vec::new(),
            response_roots: Vec::new(),
        };
        // Names and docs first (read from the document), so that references between
        // components resolve to them; then each schema is typed and lowered in turn.
        /// What is read of each component schema before any is lowered.
        #[derive(serde::Deserialize)]
        struct Head {
            #[serde(rename = "$ref")]
            reference: Option<serde::de::IgnoredAny>,
            title: Option<Value>,
            description: Option<Value>,
            example: Option<Value>,
        }
        let mut pending = Vec::new();
        for (name, schema) in doc.entries("/components/schemas") {
            // A component that is only a `$ref` is the same type as its target.
            let Ok(head) = serde_json::from_str::<Head>(schema) else {
                continue;
            };
            if head.reference.is_some() {
                continue;
            }
            let ptr = crate::diag::pointer_push("/components/schemas", &name);
            let text = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_string);
            let (title, description) = (text(&head.title), text(&head.description));
            let id = space.alloc(
                &naming::type_ident(options.schema_names.get(name.as_ref()).map_or(&name, |n| n)),
                doc_lines(&[title.as_deref(), description.as_deref()]),
            );
            space.by_ref.insert(ptr.clone(), id);
            // (`example: null` is no example, as in the typed model.)
            space.defs[id].example = head.example;
            pending.push((id, ptr));
        }
        for (id, ptr) in pending {
            let Some(Ok(ReferenceOr::Item(s))) = doc.lookup::<ReferenceOr<Schema>>(&ptr) else {
                continue;
            };
            space.ref_chain.push(ptr);
            space.fill(id, &s);
            space.ref_chain.pop();
        }
        space
    }

    fn alloc(&mut self, candidate: &str, doc: Vec<String>) -> usize {
        let name = self.names.claim(candidate);
        self.defs.push(Def {
            name,
            doc,
            body: Body::Pending,
            example: None,
        });
        self.defs.len() - 1
    }

    /// Record a warning; without a pointer of its own it points at the schema being
    /// lowered (the innermost reference followed).
    fn warn(&mut self, ptr: &str, msg: String) {
        let ptr = match (ptr.is_empty(), self.ref_chain.last()) {
            (false, _) => ptr.to_string(),
            (true, Some(current)) => current.clone(),
            (true, None) => self.context.clone(),
        };
        self.warnings
            .push(Diagnostic::at_pointer(&self.doc.file, &ptr, msg).warning());
    }

    /// The type of `reference`.
    fn ref_type(&mut self, reference: &str) -> Lowered {
        let Some(ptr) = canonical_pointer(reference) else {
            self.warn(
                "",
                format!("unresolved reference `{reference}` treated as any JSON value"),
            );
            return Lowered {
                ty: Ty::Json,
                nullable: false,
            };
        };
        if let Some(&id) = self.by_ref.get(&ptr) {
            let nullable = self.nullable_at(&ptr);
            return Lowered {
                ty: Ty::Named(id),
                nullable,
            };
        }
        if self.ref_chain.len() >= MAX_REF_DEPTH {
            self.warn(
                &ptr,
                format!(
                    "`$ref`s nest more than {MAX_REF_DEPTH} deep here; treated as any JSON value"
                ),
            );
            return Lowered {
                ty: Ty::Json,
                nullable: true,
            };
        }
        if self.ref_chain.contains(&ptr) {
            self.warn(
                &ptr,
                "`$ref` chain loops back on itself; treated as any JSON value".into(),
            );
            return Lowered {
                ty: Ty::Json,
                nullable: true,
            };
        }
        let Some(found) = self.doc.lookup::<ReferenceOr<Schema>>(&ptr) else {
            // `load` reports dangling references; this is a defensive fallback.
            return Lowered {
                ty: Ty::Json,
                nullable: false,
            };
        };
        let schema = match found {
            Ok(s) => s,
            Err(e) => {
                self.warn(
                    &ptr,
                    format!("referenced value is not a schema ({e}); treated as any JSON value"),
                );
                return Lowered {
                    ty: Ty::Json,
                    nullable: false,
                };
            }
        };
        self.ref_chain.push(ptr.clone());
        let out = match &schema {
            ReferenceOr::Reference { reference } => self.ref_type(reference),
            ReferenceOr::Item(s) => {
                let segs = walk::pointer_segments(&ptr);
                let hint = segs
                    .iter()
                    .rev()
                    .find(|s| {
                        !s.chars().all(|c| c.is_ascii_digit())
                            && !matches!(s.as_str(), "schema" | "items" | "properties" | "content")
                    })
                    .cloned()
                    .unwrap_or_else(|| "Schema".into());
                let id = self.alloc(
                    &naming::type_ident(&hint),
                    doc_lines(&[s.schema_data.description.as_deref()]),
                );
                self.by_ref.insert(ptr.clone(), id);
                self.fill(id, s);
                Lowered {
                    ty: Ty::Named(id),
                    nullable: s.schema_data.nullable,
                }
            }
        };
        self.ref_chain.pop();
        out
    }

    fn nullable_at(&mut self, ptr: &str) -> bool {
        if let Some(&n) = self.ref_nullable.get(ptr) {
            return n;
        }
        let n = self.doc.resolve(ptr).is_some_and(|v| admits_null(&v));
        self.ref_nullable.insert(ptr.to_string(), n);
        n
    }

    /// The validation rules that apply to a value of schema `s` where it is used. A
    /// named type validates itself, so only scalar and array schemas (and aliases of
    /// them) carry rules to their use site.
    pub fn rules_for_ref_or(&mut self, s: &ReferenceOr<Schema>) -> Rules {
        self.rules_for(SRef::from(s))
    }

    /// Set the pointer warnings about inline schemas refer to.
    pub fn at(&mut self, ptr: &str) {
        self.context = ptr.to_string();
    }

    /// `ty` is (part of) a request: a parameter or a request body.
    pub fn in_request(&mut self, ty: &Ty) {
        self.request_roots.push(ty.clone());
    }

    /// `ty` is (part of) a response: a response body or header.
    pub fn in_response(&mut self, ty: &Ty) {
        self.response_roots.push(ty.clone());
    }

    /// Whether values of `ty` hold named types that validate themselves.
    pub fn validates(&self, ty: &Ty) -> bool {
        contains_named(ty, &self.defs)
    }

    fn rules_for(&mut self, s: SRef<'_>) -> Rules {
        match s {
            SRef::Ref(r) => {
                let Some(ptr) = canonical_pointer(r) else {
                    return Rules::default();
                };
                if let Some(cached) = self.ref_rules.get(&ptr) {
                    return cached.clone();
                }
                if self.rules_depth >= MAX_REF_DEPTH {
                    return Rules::default();
                }
                // Cycle guard: a reference chain back to itself has no rules.
                self.ref_rules.insert(ptr.clone(), Rules::default());
                self.rules_depth += 1;
                let rules = self
                    .doc
                    .lookup::<ReferenceOr<Schema>>(&ptr)
                    .and_then(Result::ok)
                    .map(|target| self.rules_for(SRef::from(&target)))
                    .unwrap_or_default();
                self.rules_depth -= 1;
                self.ref_rules.insert(ptr, rules.clone());
                rules
            }
            SRef::Schema(schema) => {
                let v = view(schema);
                if self.needs_def(&v) {
                    return Rules::default();
                }
                if v.format
                    .as_deref()
                    .is_some_and(|f| self.formats.contains_key(f))
                {
                    // The user's type stands for the format and enforces what it means.
                    return Rules::default();
                }
                let mut rules = rules_of(schema);
                if v.typ == Some("array")
                    && let Some(items) = v.items
                {
                    let item_rules = self.rules_for(items);
                    if !item_rules.is_empty() {
                        rules.items = Some(Box::new(item_rules));
                    }
                }
                rules
            }
        }
    }

    /// Lower a schema appearing inline; `hint` names it if it needs a named type.
    pub fn lower_ref_or(&mut self, s: &ReferenceOr<Schema>, hint: &str) -> Lowered {
        self.lower(SRef::from(s), hint)
    }

    fn lower(&mut self, s: SRef<'_>, hint: &str) -> Lowered {
        match s {
            SRef::Ref(r) => self.ref_type(r),
            SRef::Schema(schema) => {
                let nullable = schema.schema_data.nullable;
                let v = view(schema);
                // Wrappers that name nothing new: `oneOf: [X, null]`, `allOf: [X]`.
                let members: Vec<SRef<'_>> = v.one_of.iter().chain(&v.any_of).copied().collect();
                if v.properties.is_empty() && v.all_of.is_empty() && !members.is_empty() {
                    let non_null: Vec<SRef<'_>> = members
                        .iter()
                        .copied()
                        .filter(|m| !self.is_null_schema(*m))
                        .collect();
                    if non_null.len() <= 1 {
                        let has_null = non_null.len() != members.len();
                        return match non_null.first() {
                            Some(only) => {
                                let l = self.lower(*only, hint);
                                Lowered {
                                    ty: l.ty,
                                    nullable: nullable || has_null || l.nullable,
                                }
                            }
                            None => Lowered {
                                ty: Ty::Json,
                                nullable: true,
                            },
                        };
                    }
                }
                if v.properties.is_empty() && members.is_empty() && v.all_of.len() == 1 {
                    let l = self.lower(v.all_of[0], hint);
                    return Lowered {
                        ty: l.ty,
                        nullable: nullable || l.nullable,
                    };
                }
                if self.needs_def(&v) {
                    let id = self.alloc(
                        &naming::type_ident(hint),
                        doc_lines(&[
                            schema.schema_data.title.as_deref(),
                            schema.schema_data.description.as_deref(),
                        ]),
                    );
                    let (body, extra_null) = self.body(&v, id);
                    self.defs[id].body = body;
                    Lowered {
                        ty: Ty::Named(id),
                        nullable: nullable || extra_null,
                    }
                } else {
                    let (ty, extra_null) = self.scalar(&v, hint);
                    Lowered {
                        ty,
                        nullable: nullable || extra_null,
                    }
                }
            }
        }
    }

    /// Whether a schema becomes a named type of its own.
    fn needs_def(&self, v: &View<'_>) -> bool {
        if !v.one_of.is_empty() || !v.any_of.is_empty() || !v.all_of.is_empty() {
            return true;
        }
        if !v.properties.is_empty() {
            return true;
        }
        if v.typ == Some("integer") {
            return !v.enum_values.is_empty()
                && v.enum_values.iter().all(|e| e.is_i64() || e.is_null());
        }
        matches!(v.typ, Some("string") | None)
            && v.enum_values.iter().filter(|e| e.is_string()).count() > 0
            && v.enum_values.iter().all(|e| e.is_string() || e.is_null())
    }

    /// Fill a component's definition.
    fn fill(&mut self, id: usize, s: &Schema) {
        let v = view(s);
        let body = if self.needs_def(&v) {
            self.body(&v, id).0
        } else {
            let name = self.defs[id].name.clone();
            Body::Alias(self.scalar(&v, &name).0)
        };
        self.defs[id].body = body;
    }

    /// The body of a named type; the bool says the schema turned out to admit null
    /// (a `oneOf` with a null member).
    fn body(&mut self, v: &View<'_>, id: usize) -> (Body, bool) {
        let name = self.defs[id].name.clone();
        if !v.one_of.is_empty() || !v.any_of.is_empty() {
            let members: Vec<SRef<'_>> = v.one_of.iter().chain(&v.any_of).copied().collect();
            return self.union(&members, &name, v.discriminator);
        }
        if !v.all_of.is_empty() {
            return self.all_of(v, &name);
        }
        if !v.properties.is_empty() {
            return (self.object(v, &name), false);
        }
        if v.typ == Some("integer") {
            let mut ns = Namespace::new(Style::Camel);
            let values: Vec<i64> = v.enum_values.iter().filter_map(Value::as_i64).collect();
            let named = v.var_names.len() == values.len();
            let variants = values
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let label = if named {
                        v.var_names[i].clone()
                    } else {
                        n.to_string()
                    };
                    (ns.claim(&naming::variant_ident(&label)), *n)
                })
                .collect();
            return (Body::IntEnum(variants), false);
        }
        let variants = self.string_enum(&v.enum_values, &v.var_names);
        (Body::Enum(variants), false)
    }

    fn string_enum(&mut self, values: &[Value], var_names: &[String]) -> Vec<EnumVariant> {
        let mut ns = Namespace::new(Style::Camel);
        let strings: Vec<&str> = values.iter().filter_map(|e| e.as_str()).collect();
        let named = var_names.len() == strings.len();
        strings
            .iter()
            .enumerate()
            .map(|(i, s)| EnumVariant {
                name: ns.claim(&naming::variant_ident(if named {
                    &var_names[i]
                } else {
                    s
                })),
                wire_lit: naming::lit(s),
            })
            .collect()
    }

    fn is_null_schema(&self, s: SRef<'_>) -> bool {
        match s {
            SRef::Schema(schema) => {
                let v = view(schema);
                v.typ == Some("null")
                    || (v.typ.is_none()
                        && schema.schema_data.nullable
                        && v.properties.is_empty()
                        && v.one_of.is_empty()
                        && v.any_of.is_empty()
                        && v.all_of.is_empty()
                        && v.enum_values.is_empty())
                    || (!v.enum_values.is_empty() && v.enum_values.iter().all(Value::is_null))
            }
            SRef::Ref(_) => false,
        }
    }

    fn union(
        &mut self,
        members: &[SRef<'_>],
        name: &str,
        disc: Option<&openapiv3::Discriminator>,
    ) -> (Body, bool) {
        let non_null: Vec<SRef<'_>> = members
            .iter()
            .copied()
            .filter(|m| !self.is_null_schema(*m))
            .collect();
        let has_null = non_null.len() != members.len();
        match non_null.len() {
            0 => return (Body::Alias(Ty::Json), true),
            1 => {
                let l = self.lower(non_null[0], name);
                return (Body::Alias(l.ty), has_null || l.nullable);
            }
            _ => {}
        }
        let mut ns = Namespace::new(Style::Camel);
        let mut variants = Vec::new();
        let mut nullable = has_null;
        for (i, m) in non_null.iter().enumerate() {
            let label = match m {
                SRef::Ref(r) => canonical_pointer(r)
                    .map(|p| {
                        walk::pointer_segments(&p)
                            .last()
                            .cloned()
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                SRef::Schema(s) => {
                    let v = view(s);
                    match (v.typ, v.properties.is_empty()) {
                        (Some(t), true) => t.to_string(),
                        (_, false) => s
                            .schema_data
                            .title
                            .clone()
                            .unwrap_or_else(|| format!("Variant{i}")),
                        _ => format!("Variant{i}"),
                    }
                }
            };
            let vname = ns.claim(&naming::variant_ident(&label));
            let l = self.lower(*m, &format!("{name}{vname}"));
            nullable |= l.nullable;
            variants.push((vname, l.ty));
        }
        // A discriminator over named schemas: dispatch on the tag instead of trying
        // each variant in turn.
        if let Some(d) = disc
            && non_null.iter().all(|m| matches!(m, SRef::Ref(_)))
        {
            let mut tagged = Vec::new();
            for (m, (vname, ty)) in non_null.iter().zip(variants.iter()) {
                let SRef::Ref(r) = m else { continue };
                let schema_name = canonical_pointer(r)
                    .map(|p| {
                        walk::pointer_segments(&p)
                            .last()
                            .cloned()
                            .unwrap_or_default()
                    })
                    .unwrap_or_default();
                let mut tags: Vec<String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| *target == r || **target == schema_name)
                    .map(|(value, _)| value.clone())
                    .collect();
                if tags.is_empty() {
                    tags.push(schema_name);
                }
                tagged.push((vname.clone(), ty.clone(), tags));
            }
            return (Body::Tagged(d.property_name.clone(), tagged), nullable);
        }
        (Body::Union(variants), nullable)
    }

    /// Collect the object parts of an `allOf` (following references) into one struct.
    fn all_of(&mut self, v: &View<'_>, name: &str) -> (Body, bool) {
        let mut parts: Vec<Schema> = Vec::new();
        let mut others: Vec<SRef<'_>> = Vec::new();
        let mut seen = Vec::new();
        for p in &v.all_of {
            self.flatten_part(*p, &mut parts, &mut others, &mut seen);
        }
        if parts.is_empty() {
            return match others.len() {
                0 => (Body::Alias(Ty::JsonObject), false),
                1 => {
                    let l = self.lower(others[0], name);
                    (Body::Alias(l.ty), l.nullable)
                }
                _ => {
                    self.warn("", format!("`allOf` of non-object schemas in `{name}` is not modelled yet; using any JSON value"));
                    (Body::Alias(Ty::Json), false)
                }
            };
        }
        let mut props: Vec<(String, ReferenceOr<Box<Schema>>)> = Vec::new();
        let mut conflicts: Vec<String> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut deny_unknown = false;
        for (k, s) in &v.properties {
            props.push(((*k).clone(), sref_to_owned(*s)));
        }
        required.extend(v.required.iter().cloned());
        for part in &parts {
            let pv = view(part);
            for (k, s) in &pv.properties {
                if let Some(slot) = props.iter_mut().find(|(n, _)| n == *k) {
                    let new = sref_to_owned(*s);
                    if serde_json::to_value(&slot.1).ok() != serde_json::to_value(&new).ok() {
                        conflicts.push((*k).clone());
                    }
                    slot.1 = new;
                } else {
                    props.push(((*k).clone(), sref_to_owned(*s)));
                }
            }
            required.extend(pv.required.iter().cloned());
            deny_unknown |= matches!(pv.additional, Some(Additional::No));
        }
        // `additionalProperties: false` in one part would reject the other parts'
        // fields; only honour it when there is a single part.
        let deny_unknown = deny_unknown && parts.len() == 1 && v.properties.is_empty();
        for c in conflicts {
            self.warn(
                "",
                format!("property `{c}` is defined differently by two `allOf` parts of `{name}`; the later definition is used"),
            );
        }
        if props.is_empty() {
            return (Body::Alias(Ty::JsonObject), false);
        }
        let fields = self.fields(
            props.iter().map(|(k, s)| (k.as_str(), SRef::from(s))),
            &required,
            name,
        );
        (
            Body::Struct {
                fields,
                deny_unknown,
            },
            false,
        )
    }

    fn flatten_part<'s>(
        &mut self,
        p: SRef<'s>,
        parts: &mut Vec<Schema>,
        others: &mut Vec<SRef<'s>>,
        seen: &mut Vec<String>,
    ) {
        match p {
            SRef::Ref(r) => {
                let Some(ptr) = canonical_pointer(r) else {
                    return;
                };
                if seen.contains(&ptr) {
                    return;
                }
                if seen.len() >= MAX_REF_DEPTH {
                    let at = self.context.clone();
                    self.warn(
                        &at,
                        format!("`allOf` references nest more than {MAX_REF_DEPTH} deep; the deeper parts are left out"),
                    );
                    return;
                }
                seen.push(ptr.clone());
                let Some(Ok(schema)) = self.doc.lookup::<ReferenceOr<Schema>>(&ptr) else {
                    return;
                };
                match schema {
                    ReferenceOr::Reference { reference } => {
                        // Lifetimes: re-enter through an owned part.
                        let inner = Schema {
                            schema_data: Default::default(),
                            schema_kind: SchemaKind::AllOf {
                                all_of: vec![ReferenceOr::Reference { reference }],
                            },
                        };
                        self.flatten_owned(inner, parts, seen);
                    }
                    ReferenceOr::Item(s) => {
                        if is_objectish(&s) {
                            self.flatten_owned(s, parts, seen);
                        } else {
                            others.push(p);
                        }
                    }
                }
            }
            SRef::Schema(s) => {
                if is_objectish(s) {
                    self.flatten_owned(s.clone(), parts, seen);
                } else if !is_empty_schema(s) {
                    others.push(p);
                }
            }
        }
    }

    fn flatten_owned(&mut self, s: Schema, parts: &mut Vec<Schema>, seen: &mut Vec<String>) {
        let v = view(&s);
        if v.all_of.is_empty() {
            parts.push(s);
            return;
        }
        let nested: Vec<ReferenceOr<Schema>> = v
            .all_of
            .iter()
            .map(|r| match r {
                SRef::Ref(r) => ReferenceOr::Reference {
                    reference: r.to_string(),
                },
                SRef::Schema(s) => ReferenceOr::Item((*s).clone()),
            })
            .collect();
        let own_props = !v.properties.is_empty();
        if own_props {
            let mut own = s.clone();
            if let SchemaKind::Any(a) = &mut own.schema_kind {
                a.all_of.clear();
            }
            parts.push(own);
        }
        let mut ignored = Vec::new();
        for n in &nested {
            self.flatten_part(SRef::from(n), parts, &mut ignored, seen);
        }
    }

    fn object(&mut self, v: &View<'_>, name: &str) -> Body {
        let mut fields = self.fields(
            v.properties.iter().map(|(k, s)| (k.as_str(), *s)),
            v.required,
            name,
        );
        let deny_unknown = matches!(v.additional, Some(Additional::No));
        let extra = match &v.additional {
            Some(Additional::Any) => Some(Ty::Json),
            Some(Additional::Schema(s)) => Some(self.lower(*s, &format!("{name}Value")).ty),
            _ => None,
        };
        if let Some(value_ty) = extra {
            let mut ns = Namespace::new(Style::Snake);
            for f in &fields {
                ns.reserve(f.name.trim_start_matches("r#"));
            }
            fields.push(RawField {
                name: ns.claim("additional_properties"),
                wire: String::new(),
                ty: Ty::Map(Box::new(value_ty)),
                optional: false,
                nullable: false,
                rules: Rules::default(),
                doc: vec![" Properties not named in the schema.".into()],
                deprecated: false,
                flatten: true,
            });
        }
        Body::Struct {
            fields,
            deny_unknown,
        }
    }

    fn fields<'s>(
        &mut self,
        props: impl Iterator<Item = (&'s str, SRef<'s>)>,
        required: &[String],
        owner: &str,
    ) -> Vec<RawField> {
        let mut ns = Namespace::new(Style::Snake);
        let props: Vec<(&str, SRef<'_>)> = props.collect();
        let mut out = Vec::with_capacity(props.len());
        for (wire, s) in props {
            let name = ns.claim(&naming::snake_ident(wire));
            let hint = format!("{owner}{}", naming::type_ident(wire).to_upper_camel_case());
            let l = self.lower(s, &hint);
            let (doc, deprecated) = match s {
                SRef::Schema(schema) => {
                    let d = &schema.schema_data;
                    let mut notes = Vec::new();
                    if d.read_only {
                        notes.push("Read-only: set by the server.".to_string());
                    }
                    if d.write_only {
                        notes.push("Write-only: never returned by the server.".to_string());
                    }
                    if let Some(default) = &d.default {
                        notes.push(format!("Default: `{default}`."));
                    }
                    if d.deprecated {
                        notes.push("Deprecated.".to_string());
                    }
                    let notes = notes.join("\n");
                    let notes = (!notes.is_empty()).then_some(notes.as_str());
                    (doc_lines(&[d.description.as_deref(), notes]), d.deprecated)
                }
                SRef::Ref(_) => (Vec::new(), false),
            };
            let rules = self.rules_for(s);
            out.push(RawField {
                name,
                wire: wire.to_string(),
                ty: l.ty,
                rules,
                optional: !required.iter().any(|r| r == wire),
                nullable: l.nullable,
                doc,
                deprecated,
                flatten: false,
            });
        }
        out
    }

    /// Types that need no definition of their own.
    fn scalar(&mut self, v: &View<'_>, hint: &str) -> (Ty, bool) {
        let format = v.format.as_deref();
        let user = format
            .and_then(|f| self.formats.get(f))
            .filter(|_| !matches!(v.typ, Some("array" | "object")));
        let ty = match v.typ {
            _ if user.is_some() => Ty::User(user.cloned().unwrap_or_default()),
            Some("string") => match format {
                Some("date-time") => Ty::Prim("chrono::DateTime<chrono::Utc>"),
                Some("date") => Ty::Prim("chrono::NaiveDate"),
                Some("uuid") => Ty::Prim("uuid::Uuid"),
                Some("ipv4") => Ty::Prim("std::net::Ipv4Addr"),
                Some("ipv6") => Ty::Prim("std::net::Ipv6Addr"),
                Some("ip") => Ty::Prim("std::net::IpAddr"),
                _ => Ty::Prim("String"),
            },
            Some("integer") => Ty::Prim(match format {
                Some("int32") => "i32",
                Some("int8") => "i8",
                Some("int16") => "i16",
                Some("uint8") => "u8",
                Some("uint16") => "u16",
                Some("uint32") => "u32",
                Some("uint64") | Some("uint") => "u64",
                _ => "i64",
            }),
            // `float` too: an `f32` silently turns `1e39` into infinity (sent back
            // as `null`) and rounds `16777217`.
            Some("number") => Ty::Prim("f64"),
            Some("boolean") => Ty::Prim("bool"),
            Some("array") if !v.prefix_items.is_empty() => {
                let items: Vec<ReferenceOr<Schema>> = v.prefix_items.clone();
                let mut tys = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let l = self.lower(SRef::from(item), &format!("{hint}Item{i}"));
                    tys.push(if l.nullable {
                        Ty::Option(Box::new(l.ty))
                    } else {
                        l.ty
                    });
                }
                Ty::Tuple(tys)
            }
            Some("array") => {
                let item = match v.items {
                    Some(i) => {
                        let l = self.lower(i, &format!("{hint}Item"));
                        if l.nullable {
                            Ty::Option(Box::new(l.ty))
                        } else {
                            l.ty
                        }
                    }
                    None => Ty::Json,
                };
                Ty::Vec(Box::new(item))
            }
            Some("null") => return (Ty::Json, true),
            Some("object") | None if v.pattern_properties.len() == 1 && v.additional.is_none() => {
                let pattern = v.pattern_properties[0].clone();
                let l = self.lower(SRef::from(&pattern), &format!("{hint}Value"));
                let value = if l.nullable {
                    Ty::Option(Box::new(l.ty))
                } else {
                    l.ty
                };
                Ty::Map(Box::new(value))
            }
            Some("object") | None => match &v.additional {
                Some(Additional::Schema(s)) => {
                    let l = self.lower(*s, &format!("{hint}Value"));
                    let value = if l.nullable {
                        Ty::Option(Box::new(l.ty))
                    } else {
                        l.ty
                    };
                    Ty::Map(Box::new(value))
                }
                _ if v.typ == Some("object") => Ty::JsonObject,
                _ => Ty::Json,
            },
            Some(_) => Ty::Json,
        };
        (ty, false)
    }

    /// Render a type; `qualify` prefixes named types with `models::` (for code outside
    /// the models module).
    pub fn render(&self, ty: &Ty, qualify: bool) -> String {
        render(ty, &self.defs, qualify)
    }

    /// Freeze the space: box recursive fields, render every definition.
    pub fn finish(self) -> (Vec<TypeDef>, Facts, Vec<Diagnostic>) {
        let TypeSpace {
            defs,
            warnings,
            request_roots,
            response_roots,
            ..
        } = self;
        let (boxed, scc) = recursion_edges(&defs);
        let (input, output) = sides(request_roots.clone(), response_roots, &defs);
        let array_items = request_array_items(&request_roots, &input, &defs);
        let mut facts = Facts {
            value_fallbacks: defs.iter().map(def_json_count).sum(),
            ..Facts::default()
        };
        // Each definition is turned into its type and dropped in turn (both whole
        // would be alive at once otherwise); names and aliases stay for lookups.
        let lookup: Vec<Def> = defs
            .iter()
            .map(|d| Def {
                name: d.name.clone(),
                doc: Vec::new(),
                body: match &d.body {
                    Body::Alias(t) => Body::Alias(t.clone()),
                    Body::Pending => Body::Pending,
                    _ => Body::Enum(Vec::new()),
                },
                example: None,
            })
            .collect();
        let mut out = Vec::with_capacity(defs.len());
        for (id, def) in defs.into_iter().enumerate() {
            let defs = &lookup;
            let box_ty = |ty: &Ty| -> Ty {
                if boxed.contains(&id) {
                    box_cycles(ty, scc[id], &scc)
                } else {
                    ty.clone()
                }
            };
            let kind = match &def.body {
                Body::Pending => TypeKind::Alias("serde_json::Value".into()),
                Body::Alias(ty) => TypeKind::Alias(render(ty, defs, false)),
                Body::Enum(v) => TypeKind::Enum(StringEnum {
                    variants: v.clone(),
                }),
                Body::IntEnum(v) => TypeKind::IntEnum(IntEnum {
                    expected: v
                        .iter()
                        .map(|(_, n)| n.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    variants: v
                        .iter()
                        .map(|(name, n)| (name.clone(), n.to_string()))
                        .collect(),
                }),
                Body::Tagged(tag, vs) => TypeKind::Tagged(Tagged {
                    validates: vs.iter().any(|(_, t, _)| contains_named(t, defs)),
                    tag_lit: naming::lit(tag),
                    expected_lit: format!(
                        "&[{}]",
                        vs.iter()
                            .flat_map(|(_, _, t)| t.iter().map(|t| naming::lit(t)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    variants: vs
                        .iter()
                        .map(|(n, t, tags)| TaggedVariant {
                            validate: contains_named(t, defs),
                            name: n.clone(),
                            ty: render(&box_ty(t), defs, false),
                            tag_lit: naming::lit(&tags[0]),
                            pattern: tags
                                .iter()
                                .map(|t| naming::lit(t))
                                .collect::<Vec<_>>()
                                .join(" | "),
                        })
                        .collect(),
                }),
                Body::Union(vs) => TypeKind::Union(Union {
                    validates: vs.iter().any(|(_, t)| contains_named(t, defs)),
                    variants: vs
                        .iter()
                        .map(|(n, t)| UnionVariant {
                            validate: contains_named(t, defs),
                            name: n.clone(),
                            ty: render(&box_ty(t), defs, false),
                        })
                        .collect(),
                }),
                Body::Struct {
                    fields,
                    deny_unknown,
                } => {
                    // Locals of the generated `Deserialize` impl, one per field.
                    let mut slots = Namespace::new(Style::Snake);
                    let lowered: Vec<Field> = fields
                        .iter()
                        .map(|f| {
                            facts.uses_pattern |= f.rules.has_pattern();
                            let bare = f.name.trim_start_matches("r#");
                            Field {
                                slot: slots.claim(&format!("v_{}", bare.trim_start_matches('_'))),
                                name: f.name.clone(),
                                wire: f.wire.clone(),
                                rules: (!f.rules.is_empty()).then(|| f.rules.to_rust()),
                                flatten: f.flatten,
                                validate: contains_named(&f.ty, defs),
                                inner: render(&box_ty(&f.ty), defs, false),
                                optional: f.optional,
                                nullable: f.nullable,
                                doc: f.doc.clone(),
                                deprecated: f.deprecated,
                            }
                        })
                        .collect();
                    TypeKind::Struct(Struct {
                        deny_unknown: *deny_unknown,
                        has_named: fields.iter().any(|f| !f.flatten),
                        extra_slot: lowered.iter().find(|f| f.flatten).map(|f| f.slot.clone()),
                        validates: fields
                            .iter()
                            .any(|f| !f.rules.is_empty() || contains_named(&f.ty, defs)),
                        fields: lowered,
                    })
                }
            };
            out.push(TypeDef {
                name: def.name,
                doc: def.doc,
                kind,
                example: def.example,
                input: input[id],
                output: output[id],
                server_writes: output[id] || array_items[id],
            });
        }
        for t in &out {
            let is_struct = matches!(t.kind, TypeKind::Struct(_));
            facts.has_structs |= is_struct;
            facts.input_structs |= is_struct && t.input;
            facts.output_structs |= is_struct && t.output;
            facts.input_types |= t.input && !matches!(t.kind, TypeKind::Alias(_));
            let mut check = |s: &str| {
                facts.uses_chrono |= s.contains("chrono::");
                facts.uses_uuid |= s.contains("uuid::");
            };
            match &t.kind {
                TypeKind::Alias(s) => check(s),
                TypeKind::Struct(st) => st.fields.iter().for_each(|f| check(&f.inner)),
                TypeKind::Union(u) => u.variants.iter().for_each(|v| check(&v.ty)),
                TypeKind::Tagged(u) => u.variants.iter().for_each(|v| check(&v.ty)),
                TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
            }
        }
        (out, facts, warnings)
    }
}

/// Whether a (normalised) schema accepts `null`: `nullable`, `type: "null"`, or a
/// `oneOf`/`anyOf` with a null member.
fn admits_null(v: &Value) -> bool {
    let null_member = |m: &Value| {
        m.get("type").and_then(Value::as_str) == Some("null")
            || (m.get("nullable") == Some(&Value::Bool(true))
                && m.get("type").is_none()
                && m.get("$ref").is_none()
                && m.get("properties").is_none())
    };
    v.get("nullable") == Some(&Value::Bool(true))
        || v.get("type").and_then(Value::as_str) == Some("null")
        || ["oneOf", "anyOf"].iter().any(|k| {
            v.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|members| members.iter().any(null_member))
        })
}

fn sref_to_owned(s: SRef<'_>) -> ReferenceOr<Box<Schema>> {
    match s {
        SRef::Ref(r) => ReferenceOr::Reference {
            reference: r.to_string(),
        },
        SRef::Schema(s) => ReferenceOr::Item(Box::new(s.clone())),
    }
}

fn is_objectish(s: &Schema) -> bool {
    let v = view(s);
    v.typ == Some("object")
        || !v.properties.is_empty()
        || (!v.all_of.is_empty() && v.one_of.is_empty() && v.any_of.is_empty())
}

fn is_empty_schema(s: &Schema) -> bool {
    let v = view(s);
    v.typ.is_none()
        && v.properties.is_empty()
        && v.one_of.is_empty()
        && v.any_of.is_empty()
        && v.all_of.is_empty()
        && v.items.is_none()
        && v.enum_values.is_empty()
}

fn render(ty: &Ty, defs: &[Def], qualify: bool) -> String {
    match ty {
        Ty::Named(id) => {
            if qualify {
                format!("models::{}", defs[*id].name)
            } else {
                defs[*id].name.clone()
            }
        }
        Ty::Prim(p) => (*p).to_string(),
        Ty::User(p) => p.clone(),
        Ty::Vec(t) => format!("Vec<{}>", render(t, defs, qualify)),
        Ty::Map(t) => format!(
            "std::collections::HashMap<String, {}>",
            render(t, defs, qualify)
        ),
        Ty::Option(t) => format!("Option<{}>", render(t, defs, qualify)),
        Ty::Boxed(t) => format!("Box<{}>", render(t, defs, qualify)),
        Ty::Json => "serde_json::Value".into(),
        Ty::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        Ty::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(|t| render(t, defs, qualify)).collect();
            format!("({},)", parts.join(", "))
        }
    }
}

/// Whether a value of this type holds a named type whose own `Validate` must run.
/// Aliases are looked through (`pub type Ids = Vec<i64>` validates nothing); tuples
/// are not descended into.
fn contains_named(ty: &Ty, defs: &[Def]) -> bool {
    fn go(ty: &Ty, defs: &[Def], depth: usize) -> bool {
        match ty {
            Ty::Named(id) => match defs.get(*id).map(|d| &d.body) {
                Some(Body::Alias(t)) => depth < 32 && go(t, defs, depth + 1),
                Some(Body::Pending) | None => false,
                Some(_) => true,
            },
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => go(t, defs, depth),
            Ty::Tuple(_) | Ty::Prim(_) | Ty::User(_) | Ty::Json | Ty::JsonObject => false,
        }
    }
    go(ty, defs, 0)
}

/// Which definitions are read from requests, and which are written into responses.
/// A schema no operation uses is still part of the API's vocabulary (a webhook
/// payload, say): it and what it holds go both ways.
fn sides(mut request: Vec<Ty>, mut response: Vec<Ty>, defs: &[Def]) -> (Vec<bool>, Vec<bool>) {
    let input = reachable(&request, defs);
    let output = reachable(&response, defs);
    let unused: Vec<Ty> = (0..defs.len())
        .filter(|&id| !input[id] && !output[id])
        .map(Ty::Named)
        .collect();
    if unused.is_empty() {
        return (input, output);
    }
    request.extend(unused.iter().cloned());
    response.extend(unused);
    (reachable(&request, defs), reachable(&response, defs))
}

/// Which definitions a request may hold as array items, at any depth (and what those
/// hold): the server checks `uniqueItems` by serializing items, so these derive
/// `Serialize` there even when no response carries them.
fn request_array_items(request: &[Ty], input: &[bool], defs: &[Def]) -> Vec<bool> {
    fn items(ty: &Ty, out: &mut Vec<Ty>) {
        match ty {
            Ty::Vec(t) => {
                out.push((**t).clone());
                items(t, out);
            }
            Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => items(t, out),
            Ty::Tuple(ts) => ts.iter().for_each(|t| items(t, out)),
            Ty::Named(_) | Ty::Prim(_) | Ty::User(_) | Ty::Json | Ty::JsonObject => {}
        }
    }
    let mut roots = Vec::new();
    request.iter().for_each(|t| items(t, &mut roots));
    for (def, _) in defs.iter().zip(input).filter(|(_, input)| **input) {
        match &def.body {
            Body::Pending | Body::Enum(_) | Body::IntEnum(_) => {}
            Body::Alias(t) => items(t, &mut roots),
            Body::Struct { fields, .. } => fields.iter().for_each(|f| items(&f.ty, &mut roots)),
            Body::Union(vs) => vs.iter().for_each(|(_, t)| items(t, &mut roots)),
            Body::Tagged(_, vs) => vs.iter().for_each(|(_, t, _)| items(t, &mut roots)),
        }
    }
    reachable(&roots, defs)
}

/// Which definitions values of the `roots` may hold, at any depth.
fn reachable(roots: &[Ty], defs: &[Def]) -> Vec<bool> {
    fn push(ty: &Ty, stack: &mut Vec<usize>) {
        match ty {
            Ty::Named(id) => stack.push(*id),
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => push(t, stack),
            Ty::Tuple(items) => items.iter().for_each(|t| push(t, stack)),
            Ty::Prim(_) | Ty::User(_) | Ty::Json | Ty::JsonObject => {}
        }
    }
    let mut seen = vec![false; defs.len()];
    let mut stack = Vec::new();
    roots.iter().for_each(|t| push(t, &mut stack));
    while let Some(id) = stack.pop() {
        if id >= defs.len() || std::mem::replace(&mut seen[id], true) {
            continue;
        }
        match &defs[id].body {
            Body::Pending | Body::Enum(_) | Body::IntEnum(_) => {}
            Body::Alias(t) => push(t, &mut stack),
            Body::Struct { fields, .. } => fields.iter().for_each(|f| push(&f.ty, &mut stack)),
            Body::Union(vs) => vs.iter().for_each(|(_, t)| push(t, &mut stack)),
            Body::Tagged(_, vs) => vs.iter().for_each(|(_, t, _)| push(t, &mut stack)),
        }
    }
    seen
}

/// Named types a type contains by value (not behind a `Vec`/`HashMap`, which
/// allocate).
fn direct_refs(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Option(t) => direct_refs(t, out),
        Ty::Tuple(items) => items.iter().for_each(|t| direct_refs(t, out)),
        Ty::Boxed(_)
        | Ty::Vec(_)
        | Ty::Map(_)
        | Ty::Prim(_)
        | Ty::User(_)
        | Ty::Json
        | Ty::JsonObject => {}
    }
}

/// How often a definition falls back to untyped JSON (`serde_json::Value` or a JSON
/// object map), for the corpus report.
fn def_json_count(def: &Def) -> usize {
    fn count(ty: &Ty) -> usize {
        match ty {
            Ty::Json | Ty::JsonObject => 1,
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => count(t),
            Ty::Tuple(items) => items.iter().map(count).sum(),
            Ty::Named(_) | Ty::Prim(_) | Ty::User(_) => 0,
        }
    }
    match &def.body {
        Body::Struct { fields, .. } => fields
            .iter()
            .filter(|f| !f.flatten)
            .map(|f| count(&f.ty))
            .sum(),
        Body::Union(vs) => vs.iter().map(|(_, t)| count(t)).sum(),
        Body::Tagged(_, vs) => vs.iter().map(|(_, t, _)| count(t)).sum(),
        Body::Alias(t) => count(t),
        Body::Enum(_) | Body::IntEnum(_) | Body::Pending => 0,
    }
}

fn def_edges(def: &Def) -> Vec<usize> {
    let mut out = Vec::new();
    match &def.body {
        Body::Struct { fields, .. } => fields.iter().for_each(|f| direct_refs(&f.ty, &mut out)),
        Body::Union(vs) => vs.iter().for_each(|(_, t)| direct_refs(t, &mut out)),
        Body::Tagged(_, vs) => vs.iter().for_each(|(_, t, _)| direct_refs(t, &mut out)),
        Body::Alias(t) => direct_refs(t, &mut out),
        Body::Enum(_) | Body::IntEnum(_) | Body::Pending => {}
    }
    out
}

/// Strongly connected components of the by-value containment graph; returns the ids
/// of definitions that sit on a cycle (their by-value references into their own
/// component get boxed).
fn recursion_edges(defs: &[Def]) -> (std::collections::HashSet<usize>, Vec<usize>) {
    let scc = tarjan(defs);
    let mut on_cycle = std::collections::HashSet::new();
    for (id, def) in defs.iter().enumerate() {
        if def_edges(def).iter().any(|t| scc[*t] == scc[id]) {
            on_cycle.insert(id);
        }
    }
    (on_cycle, scc)
}

fn tarjan(defs: &[Def]) -> Vec<usize> {
    let n = defs.len();
    let edges: Vec<Vec<usize>> = defs.iter().map(def_edges).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next = 0;
    let mut ncomp = 0;
    // Iterative to survive deep graphs.
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = ncomp;
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    comp
}

/// Box the by-value references of `ty` that lead back into component `comp`.
fn box_cycles(ty: &Ty, comp: usize, scc: &[usize]) -> Ty {
    match ty {
        Ty::Named(id) if scc[*id] == comp => Ty::Boxed(Box::new(ty.clone())),
        Ty::Option(t) => Ty::Option(Box::new(box_cycles(t, comp, scc))),
        Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| box_cycles(t, comp, scc)).collect()),
        other => other.clone(),
    }
}
