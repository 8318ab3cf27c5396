//! Stage 2: lower a loaded document to the intermediate model that templates render.
//!
//! Every name, type and decision is made here, once; the IR is plain data. Entry
//! point: [`lower`].

mod docs;
pub mod naming;
mod ops;
pub mod pagination;
pub mod rules;
pub mod security;
mod types;

use crate::diag::{Diagnostic, Error, Sink};
use crate::load::Document;

pub use types::Ty;

/// The whole API, ready to render.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`, as written.
    pub version: String,
    /// Doc lines from `info.description` (each starts with a space or is empty).
    pub doc: Vec<String>,
    /// File name of the spec (no directory), for file headers.
    pub spec_name: String,
    /// Kebab-case stem for crate names, derived from the title.
    pub crate_stem: String,
    /// The first absolute `servers` URL as a Rust literal (default base URL of the client).
    pub default_server_lit: Option<String>,
    /// Path prefix of the first server (`/v1`, or empty) as a Rust literal: where the
    /// server mounts the API by default.
    pub base_path_lit: String,
    /// The same path, as is.
    pub base_path: String,
    /// Named types, in a deterministic order (components in spec order, then inline
    /// types in the order they were met).
    pub types: Vec<TypeDef>,
    /// Operations in spec order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
    /// Security schemes, in spec order.
    pub security_schemes: Vec<security::SecurityScheme>,
    /// Every multipart body (of operations and of their media-type choices).
    pub multiparts: Vec<Multipart>,
    /// The first server's URL when it has `{variables}`, for the client's `server_url`.
    pub server_template: Option<ServerTemplate>,
    /// Routes: operations grouped by their router path.
    pub routes: Vec<Route>,
    /// Facts that drive dependencies and imports.
    pub facts: Facts,
    /// The spec as compact JSON, served (pretty) at `/openapi.json`.
    pub spec_json: String,
}

/// A server URL with variables.
#[derive(Debug, Clone)]
pub struct ServerTemplate {
    /// The URL as written, as a Rust literal.
    pub template_lit: String,
    /// (name, default, `{name}`) as Rust literals.
    pub variables: Vec<(String, String, String)>,
}

/// Precomputed facts so that templates never scan the model.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Some type uses `chrono`.
    pub uses_chrono: bool,
    /// Some type uses `uuid`.
    pub uses_uuid: bool,
    /// Some struct is read from requests (the server's models need the helpers of
    /// their `Deserialize` impls).
    pub input_structs: bool,
    /// Some struct is read from responses (the client's models need them).
    pub output_structs: bool,
    /// Some struct is defined at all (the helpers exist behind `full-serde`).
    pub has_structs: bool,
    /// Some named type is read from requests (the server validates it).
    pub input_types: bool,
    /// Some operation has query parameters.
    pub has_query: bool,
    /// Some operation has query parameters other than `deepObject` ones.
    pub plain_query: bool,
    /// Some query parameter is a single value (not `deepObject`).
    pub query_scalars: bool,
    /// Some query parameter is an exploded list (`?tag=a&tag=b`).
    pub query_lists: bool,
    /// Some operation has header parameters.
    pub has_headers: bool,
    /// Some operation has cookie parameters.
    pub has_cookies: bool,
    /// Some query list is delimited (not repeated keys).
    pub has_delimited: bool,
    /// Some query parameter is a deep object.
    pub has_deep_object: bool,
    /// Some response documents headers.
    pub has_response_headers: bool,
    /// Some operation pages (the client needs `futures-util`).
    pub has_pagination: bool,
    /// Some operation pages by following `Link` headers.
    pub client_follows_links: bool,
    /// Some operation gets automatic `ETag`s.
    pub auto_etag: bool,
    /// The server writes `Link` headers for some operation.
    pub server_links: bool,
    /// Some operation requires authentication (the server's `Api` has `authenticate`).
    pub server_auth: bool,
    /// Some security scheme carries a bearer token.
    pub auth_token: bool,
    /// Some security scheme is HTTP basic.
    pub auth_basic: bool,
    /// Some security scheme is an API key in the query string.
    pub auth_query: bool,
    /// Some security scheme is an API key in a cookie.
    pub auth_cookie: bool,
    /// Some security scheme carries a plain value (API key, other `Authorization`).
    pub auth_text: bool,
    /// Some operation has path parameters.
    pub has_path_params: bool,
    /// The client formats parameter values (path, query or header parameters exist).
    pub uses_param_string: bool,
    /// The router reads request headers (header parameters or a JSON body).
    pub router_uses_headers: bool,
    /// Some operation-level type refers to `models::…`.
    pub ops_use_models: bool,
    /// Some parameter or request body type refers to `models::…` (router imports).
    pub params_use_models: bool,
    /// Some operation takes a JSON body.
    pub has_json_body: bool,
    /// Some operation takes a form body.
    pub has_form_body: bool,
    /// Some operation takes a raw (bytes) body.
    pub has_bytes_body: bool,
    /// Some operation takes a text body.
    pub has_text_body: bool,
    /// Some operation takes a multipart body.
    pub has_multipart: bool,
    /// Some multipart body has a file part.
    pub multipart_files: bool,
    /// Some multipart body has a text part.
    pub multipart_text: bool,
    /// Some operation takes a body in one of several media types.
    pub has_body_choice: bool,
    /// Some operation's success response is raw bytes (the client can stream it).
    pub has_download: bool,
    /// Some response carries a JSON body.
    pub has_json_response: bool,
    /// There is at least one named type.
    pub has_types: bool,
    /// Some rule has a `pattern` (the server needs `regex`).
    pub uses_pattern: bool,
    /// Some operation validates its input (the router needs the validation module).
    pub has_validation: bool,
    /// The spec has no `/openapi.json` path of its own, so the server publishes it there.
    pub serve_spec: bool,
    /// The spec has no `/healthz`, `/readyz` or `/metrics` paths of its own.
    pub serve_ops_endpoints: bool,
    /// The spec has no path under `/docs`, so the server serves Swagger UI there.
    pub serve_docs: bool,
    /// Places in the models that fall back to untyped JSON (free-form objects,
    /// schemas without a type, `additionalProperties: true` maps excluded).
    pub value_fallbacks: usize,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// What it is.
    pub kind: TypeKind,
    /// The schema's `example` (components only), for round-trip tests and docs.
    pub example: Option<serde_json::Value>,
    /// Values of this type are read from requests by the server (written by the
    /// client): the server derives `Deserialize`, the client `Serialize`.
    pub input: bool,
    /// Values of this type are written into responses by the server (read by the
    /// client): the server derives `Serialize`, the client `Deserialize`.
    pub output: bool,
    /// The server writes values of this type: it is `output`, or a request holds it
    /// as an array item (`uniqueItems` is checked on the serialized items, and a
    /// repeated item is echoed in the error).
    pub server_writes: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// An enum of string values.
    Enum(StringEnum),
    /// An enum of integer values (serialised as the integer).
    IntEnum(IntEnum),
    /// A `oneOf`/`anyOf` union, tried in order.
    Union(Union),
    /// A `oneOf`/`anyOf` union with a discriminator, dispatched on its tag.
    Tagged(Tagged),
    /// `pub type Name = …;`
    Alias(String),
}

/// A struct.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// Some field has rules or holds types that validate themselves.
    pub validates: bool,
    /// Reject unknown fields (`additionalProperties: false`).
    pub deny_unknown: bool,
    /// Some field is read by its name (not only the flattened extra properties).
    pub has_named: bool,
    /// Local variable of the flattened extra-properties field, if any.
    pub extra_slot: Option<String>,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (may be a raw identifier).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Flattened into the parent (`additionalProperties`): no location step of its own.
    pub flatten: bool,
    /// The value's Rust type, without the `Option`s an optional or nullable field
    /// adds ([`Field::ty`]).
    pub inner: String,
    /// The field may be absent.
    pub optional: bool,
    /// The field may be `null`.
    pub nullable: bool,
    /// The schema's constraints as a `validation::Rules` expression, if any.
    pub rules: Option<String>,
    /// The value holds named types whose own validation must run.
    pub validate: bool,
    /// Local variable of the field in the generated `Deserialize` impl.
    pub slot: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

/// How a generated `Deserialize` impl keeps one field while reading an object.
#[derive(Debug, Clone)]
pub struct FieldRead {
    /// Type of the local the value is read into.
    pub slot_ty: String,
    /// How the local becomes the field.
    pub take: Take,
}

/// How a `Deserialize` impl turns a field's local into the field.
#[derive(Debug, Clone, Copy)]
pub enum Take {
    /// `Option<T>` → `T`; absent is an error.
    Required,
    /// `Option<Option<T>>` → `Option<T>`; absent and `null` are both `None`.
    Flatten,
    /// The local is the field.
    AsIs,
    /// The extra-properties map, filled by the keys no other field names.
    Extra,
}

impl Field {
    /// The field's complete Rust type. (Derived when rendered, as are the other
    /// methods: a big spec has thousands of fields, each a dozen strings otherwise.)
    pub fn ty(&self) -> String {
        let inner = &self.inner;
        match (self.optional, self.nullable) {
            (false, false) => inner.clone(),
            (false, true) | (true, false) => format!("Option<{inner}>"),
            (true, true) => format!("Option<Option<{inner}>>"),
        }
    }

    /// The name on the wire as a Rust literal.
    pub fn wire_lit(&self) -> String {
        naming::lit(&self.wire)
    }

    /// Arguments of `#[serde(...)]`, empty for none.
    pub fn serde_args(&self) -> String {
        let mut args = Vec::new();
        if self.flatten {
            args.push("flatten".to_string());
        } else if self.name.trim_start_matches("r#") != self.wire {
            args.push(format!("rename = {}", self.wire_lit()));
        }
        if self.optional {
            args.push("default".into());
            args.push("skip_serializing_if = \"Option::is_none\"".into());
        }
        args.join(", ")
    }

    /// How the server's (`server`) or the client's `Deserialize` impl reads the
    /// field: on the server an optional field that is not nullable refuses an explicit
    /// `null`; the client takes such a `null` as absent (lenient with what it
    /// receives).
    pub fn read(&self, server: bool) -> FieldRead {
        let inner = &self.inner;
        let (slot_ty, take) = if self.flatten {
            (self.ty(), Take::Extra)
        } else {
            match (self.optional, self.nullable) {
                (false, false) => (format!("Option<{inner}>"), Take::Required),
                // Absent is read as `None` too (serde's leniency for `Option` fields).
                (false, true) => (format!("Option<Option<{inner}>>"), Take::Flatten),
                (true, true) => (format!("Option<Option<{inner}>>"), Take::AsIs),
                (true, false) if server => (format!("Option<{inner}>"), Take::AsIs),
                (true, false) => (format!("Option<Option<{inner}>>"), Take::Flatten),
            }
        };
        FieldRead { slot_ty, take }
    }
}

impl Operation {
    /// The errors the generated server answers for this operation by itself, before
    /// its handler runs, as (status, description): `400` (malformed body), `413` (body
    /// too large) and `415` (wrong content type) where there is a body; `401`
    /// (credentials missing, unless anonymous access is allowed) and `403`
    /// (credentials refused) where authentication is required; `422` (invalid input)
    /// where there are parameters or a body. In status order.
    pub fn server_errors(&self) -> Vec<(&'static str, &'static str)> {
        let has_params = !self.path_params.is_empty()
            || !self.query_params.is_empty()
            || !self.header_params.is_empty()
            || !self.cookie_params.is_empty();
        let body = self.body.is_some();
        let mut out = Vec::new();
        if body {
            out.push(("400", "Malformed Body"));
        }
        if let Some(sec) = &self.security {
            if !sec.optional {
                out.push(("401", "Authentication Required"));
            }
            out.push(("403", "Credentials Refused"));
        }
        if body {
            out.push(("413", "Body Too Large"));
            out.push(("415", "Unsupported Media Type"));
        }
        if body || has_params {
            out.push(("422", "Validation Error"));
        }
        out
    }
}

impl TypeDef {
    /// Whether the server's (`server`) or the client's crate reads values of this
    /// type (and so derives `Deserialize` for it without `full-serde`).
    pub fn reads(&self, server: bool) -> bool {
        if server { self.input } else { self.output }
    }

    /// Whether the server's (`server`) or the client's crate writes values of this
    /// type (and so derives `Serialize` for it without `full-serde`). Every type is
    /// read or written by each crate (a type no operation uses goes both ways), so
    /// one of the two derives always carries the `#[serde]` attributes.
    pub fn writes(&self, server: bool) -> bool {
        if server {
            self.server_writes
        } else {
            self.input
        }
    }
}

impl Facts {
    /// Whether some struct is read by the server's (`server`) or the client's crate.
    pub fn reads_structs(&self, server: bool) -> bool {
        if server {
            self.input_structs
        } else {
            self.output_structs
        }
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StringEnum {
    /// Variants in spec order.
    pub variants: Vec<EnumVariant>,
}

/// An integer enum.
#[derive(Debug, Clone)]
pub struct IntEnum {
    /// (variant name, value as Rust literal) in spec order.
    pub variants: Vec<(String, String)>,
    /// The values, comma-separated, for error messages.
    pub expected: String,
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// Wire value as a Rust string literal.
    pub wire_lit: String,
}

/// A union of several types, tried in order (`#[serde(untagged)]`).
#[derive(Debug, Clone)]
pub struct Union {
    /// Variants in spec order.
    pub variants: Vec<UnionVariant>,
    /// Some variant holds types that validate themselves.
    pub validates: bool,
}

/// One member of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The wrapped value holds named types whose own validation must run.
    pub validate: bool,
    /// Rust variant name.
    pub name: String,
    /// The wrapped type.
    pub ty: String,
}

/// A discriminated union. Serialised by hand: each variant's own type keeps the tag
/// property (so it stays usable on its own), and the enum reads the tag to dispatch.
#[derive(Debug, Clone)]
pub struct Tagged {
    /// The discriminator property, as a Rust literal.
    pub tag_lit: String,
    /// All accepted tag values as a `&[&str]` literal (for error messages).
    pub expected_lit: String,
    /// Some variant holds types that validate themselves.
    pub validates: bool,
    /// Variants in spec order.
    pub variants: Vec<TaggedVariant>,
}

/// One member of a discriminated union.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// The wrapped value holds named types whose own validation must run.
    pub validate: bool,
    /// Rust variant name.
    pub name: String,
    /// The wrapped type.
    pub ty: String,
    /// The tag value written when serialising, as a Rust literal.
    pub tag_lit: String,
    /// The tag values accepted when deserialising, as a match pattern.
    pub pattern: String,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method / function name (snake case, may be a raw identifier).
    pub fn_name: String,
    /// Name of the axum handler function in the router (`handle_<name>`).
    pub handler_name: String,
    /// The operationId (or derived id) as a Rust literal.
    pub id_lit: String,
    /// The operationId as written, or the derived one.
    pub operation_id: String,
    /// Request struct (server).
    pub request_type: String,
    /// Response enum (server).
    pub response_type: String,
    /// Error enum (client).
    pub error_type: String,
    /// Success type (client): the body of the single success response, `()` or an enum.
    pub success_type: String,
    /// When there are several success responses, the enum the client returns.
    pub success_enum: Option<String>,
    /// `GET`, `POST` …
    pub method: String,
    /// `GET /pets/{petId}` as a Rust literal (for logs and spans).
    pub route_lit: String,
    /// `get`, `post` … (axum routing function, reqwest method)
    pub method_lower: String,
    /// Path template as in the spec.
    pub path: String,
    /// Doc lines (summary, description).
    pub doc: Vec<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Path parameters, in template order.
    pub path_params: Vec<Param>,
    /// Query parameters.
    pub query_params: Vec<Param>,
    /// Header parameters.
    pub header_params: Vec<Param>,
    /// Cookie parameters.
    pub cookie_params: Vec<Param>,
    /// Safe to retry (every method but POST and PATCH).
    pub idempotent: bool,
    /// Authentication the operation requires, if any.
    pub security: Option<security::OpSecurity>,
    /// How the operation pages, if it does.
    pub pagination: Option<pagination::Pagination>,
    /// The operation's `x-pagination` extension, as written.
    pub x_pagination: Option<serde_json::Value>,
    /// The client follows `Link` headers (the request builder has a page URL).
    pub client_follows_links: bool,
    /// The router may clamp the page size to the spec's maximum.
    pub clamps_page_size: bool,
    /// The router writes `Link` headers for this operation.
    pub server_links: bool,
    /// A GET whose success response documents `ETag`: the router adds a weak one
    /// when the handler did not, and answers `If-None-Match` with 304.
    pub auto_etag: bool,
    /// The router changes the handler's response (links, deprecation, ETag).
    pub post_process: bool,
    /// The single success response is raw bytes: the client can stream it.
    pub client_download: bool,
    /// The router handler needs the original request URI (query-string API keys,
    /// `Link` headers).
    pub takes_uri: bool,
    /// The client pushes query pairs after building the initial list (optional or
    /// list-valued query parameters exist).
    pub query_grows: bool,
    /// Some query parameter is required and not a list (it starts the client's list).
    pub query_required_scalars: bool,
    /// Some query parameter is not a deep object (the client builds a pair list).
    pub query_has_plain: bool,
    /// Pieces of the path template for the client's URL builder.
    pub path_segments: Vec<PathSegment>,
    /// Request body.
    pub body: Option<Body>,
    /// Responses, in spec order (`default` last).
    pub responses: Vec<Response>,
    /// The client method has more arguments than clippy accepts by default.
    pub client_many_args: bool,
    /// The router handler needs the request headers (header params or a JSON body).
    pub takes_headers: bool,
    /// A `default` response exists (the client needs no catch-all arm).
    pub has_default: bool,
    /// The client's status `match` would have a single `_` arm, so it is left out.
    pub client_single_arm: bool,
    /// The client adds query pairs, headers or a body to its request builder.
    pub client_request_mut: bool,
    /// The client reads the response body (some response has one, or the catch-all
    /// arm keeps it).
    pub client_reads_body: bool,
    /// The router validates something of this operation before calling the handler.
    pub validates: bool,
}

/// A piece of a path template.
#[derive(Debug, Clone)]
pub enum PathSegment {
    /// Literal text, as a Rust string literal.
    Literal(String),
    /// A single literal character, as a Rust char literal.
    Char(String),
    /// A parameter: the Rust name of the argument.
    Param(String),
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (field of the request struct, argument of the client method).
    pub name: String,
    /// Local variable the server's router reads a path parameter into.
    pub local: String,
    /// Wire name.
    pub wire: String,
    /// Wire name as a Rust literal.
    pub wire_lit: String,
    /// Key used in the router (path: `p0`, `p1` …; query: the wire name) as a literal.
    pub key_lit: String,
    /// Full type (with `Option<…>` when not required).
    pub ty: String,
    /// Type without the `Option`.
    pub inner_ty: String,
    /// Required.
    pub required: bool,
    /// The value is a list (query arrays are repeated keys).
    pub is_list: bool,
    /// The schema's constraints as a `validation::Rules` expression, if any.
    pub rules: Option<String>,
    /// Doc lines.
    pub doc: Vec<String>,
    /// The schema's numeric `default`, as a Rust literal.
    pub default_lit: Option<String>,
    /// The schema's integer `maximum` (inclusive), as a Rust literal.
    pub max_lit: Option<String>,
    /// A query list sent as one delimited value (`explode: false`, space or pipe
    /// delimited): the delimiter as a Rust string literal.
    pub delimiter: Option<String>,
    /// `style: deepObject`: `name[key]=value` pairs.
    pub deep_object: bool,
    /// For lists: the type of one item.
    pub item_ty: String,
    /// The value holds named types whose own validation must run.
    pub validate: bool,
}

/// How a body is carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON, typed.
    Json,
    /// `application/x-www-form-urlencoded`, typed.
    Form,
    /// `text/*`, a `String`.
    Text,
    /// Anything else, raw bytes.
    Bytes,
    /// `multipart/form-data`: files and fields.
    Multipart,
    /// Several media types: the caller picks one (an enum with a variant per kind).
    Choice,
}

/// One media type a request body may be sent as.
#[derive(Debug, Clone)]
pub struct BodyChoice {
    /// Variant name in the choice enum (`Json`, `Form`, `Multipart`, `Text`, `Bytes`).
    pub variant: String,
    /// Carrier.
    pub kind: BodyKind,
    /// Media type as a Rust literal.
    pub content_type_lit: String,
    /// Media type as written.
    pub media: String,
    /// Rust type of the value.
    pub ty: String,
    /// The value holds named types that validate themselves.
    pub validate: bool,
    /// The schema's own constraints as a `validation::Rules` expression.
    pub rules: Option<String>,
    /// The parts, for multipart.
    pub multipart: Option<Multipart>,
}

/// A `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct Multipart {
    /// Name of its struct.
    pub name: String,
    /// Name of the server function reading it.
    pub reader: String,
    /// Some text part has constraints.
    pub validates: bool,
    /// Parts, in spec order.
    pub fields: Vec<MultipartField>,
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub struct MultipartField {
    /// Rust field name.
    pub name: String,
    /// Part name as a Rust literal.
    pub wire_lit: String,
    /// A file (`format: binary`): a `FilePart`.
    pub file: bool,
    /// Repeated parts (an array).
    pub list: bool,
    /// Full type.
    pub ty: String,
    /// Type of one value.
    pub inner_ty: String,
    /// Required.
    pub required: bool,
    /// Constraints of a text value as a `validation::Rules` expression.
    pub rules: Option<String>,
    /// Doc lines.
    pub doc: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Field name in the request struct / argument name in the client.
    pub name: String,
    /// Type (with `Option` when not required).
    pub ty: String,
    /// Type without the `Option`.
    pub inner_ty: String,
    /// Required.
    pub required: bool,
    /// Carrier.
    pub kind: BodyKind,
    /// Media type as a Rust literal.
    pub content_type_lit: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// The body holds named types that validate themselves.
    pub validate: bool,
    /// The body schema's own constraints as a `validation::Rules` expression.
    pub rules: Option<String>,
    /// The parts, for a multipart body.
    pub multipart: Option<Multipart>,
    /// One of the media types is raw bytes (any other content type is accepted).
    pub accepts_any: bool,
    /// Every media type when there are several (`kind` is then `Choice` and the
    /// type an enum named `inner_ty`); empty otherwise.
    pub choices: Vec<BodyChoice>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Variant name in the server's response enum and the client's error enum.
    pub variant: String,
    /// Exact status code, or `None` for `default` and ranges (then the variant
    /// carries the status).
    pub code: Option<u16>,
    /// For ranges (`4XX`): the first digit.
    pub range: Option<u16>,
    /// Expression of the `http::StatusCode` for an exact code.
    pub status_const: String,
    /// Whether the client treats it as success.
    pub is_success: bool,
    /// Body type, `None` when the response has no content.
    pub body_ty: Option<String>,
    /// How the body is carried.
    pub body_kind: BodyKind,
    /// Media type as a Rust literal (when there is content).
    pub content_type_lit: String,
    /// Doc lines (description).
    pub doc: Vec<String>,
    /// Documented response headers (not `Content-Type`).
    pub headers: Vec<ResponseHeader>,
    /// Name of the server's struct holding them (when there are any).
    pub headers_struct: String,
    /// Every header is optional (the struct derives `Default`).
    pub headers_default: bool,
}

/// A documented response header.
#[derive(Debug, Clone)]
pub struct ResponseHeader {
    /// Rust field name.
    pub name: String,
    /// Wire name (lower-case) as a Rust literal.
    pub wire_lit: String,
    /// Full type (`Option<…>` unless required).
    pub ty: String,
    /// Required.
    pub required: bool,
    /// Doc lines.
    pub doc: Vec<String>,
}

/// One router path with its methods.
#[derive(Debug, Clone)]
pub struct Route {
    /// axum path (`/pets/{p0}`), as a Rust literal.
    pub path_lit: String,
    /// (axum routing function, handler name) pairs.
    pub methods: Vec<(String, String)>,
}

/// Choices that change what is lowered.
#[derive(Debug, Clone)]
pub struct LowerOptions {
    /// Recognise paginated operations (client streams, server `Link` headers).
    pub pagination: bool,
    /// A schema `format` → the user's Rust type standing for it (`decimal` →
    /// `rust_decimal::Decimal`). The spec's other constraints on such values are the
    /// type's to enforce.
    pub formats: std::collections::BTreeMap<String, String>,
    /// Component schema name → the Rust type name to give it.
    pub schema_names: std::collections::BTreeMap<String, String>,
    /// `operationId` → the Rust method name to give it.
    pub operation_names: std::collections::BTreeMap<String, String>,
}

impl Default for LowerOptions {
    fn default() -> Self {
        LowerOptions {
            pagination: true,
            formats: Default::default(),
            schema_names: Default::default(),
            operation_names: Default::default(),
        }
    }
}

/// Warn about renames of schemas or operations the spec does not have (typos).
fn check_overrides(doc: &Document, options: &LowerOptions, sink: &mut Sink) {
    let schemas = doc.entries("/components/schemas");
    for name in options.schema_names.keys() {
        if !schemas.iter().any(|(n, _)| n == name) {
            sink.push(
                Diagnostic::at_pointer(
                    &doc.file,
                    "/components/schemas",
                    format!("a name is configured for schema `{name}`, but the spec has no such component schema"),
                )
                .hint("check the spelling against `components.schemas`")
                .warning(),
            );
        }
    }
    let ids: std::collections::HashSet<String> = doc.operation_ids().into_iter().collect();
    for id in options.operation_names.keys() {
        if !ids.contains(id) {
            sink.push(
                Diagnostic::at_pointer(
                    &doc.file,
                    "/paths",
                    format!("a name is configured for operation `{id}`, but no operation has that operationId"),
                )
                .hint("check the spelling against the spec's `operationId`s")
                .warning(),
            );
        }
    }
}

/// Lower a loaded document with the default options. Warnings are returned
/// alongside; errors abort.
pub fn lower(doc: &Document) -> Result<(Api, Vec<Diagnostic>), Error> {
    lower_with(doc, &LowerOptions::default())
}

/// Lower a loaded document. Warnings are returned alongside; errors abort.
pub fn lower_with(doc: &Document, options: &LowerOptions) -> Result<(Api, Vec<Diagnostic>), Error> {
    let mut sink = Sink::default();
    check_overrides(doc, options, &mut sink);
    let mut space = types::TypeSpace::new(doc, options);
    let security_schemes = security::schemes(doc, &mut sink);
    let operations = ops::lower_operations(doc, &mut space, &security_schemes, &mut sink);
    let routes = ops::routes(&operations, doc, &mut sink);
    let (types, type_facts, type_warnings) = space.finish();
    let mut operations = operations;
    for op in &mut operations {
        op.pagination = if options.pagination {
            pagination::detect(op, op.x_pagination.as_ref(), &types)
        } else {
            None
        };
        op.takes_uri |= op.pagination.as_ref().is_some_and(|p| p.server_links);
        op.server_links = op.pagination.as_ref().is_some_and(|p| p.server_links);
        op.post_process = op.server_links || op.deprecated || op.auto_etag;
        op.clamps_page_size = op
            .pagination
            .as_ref()
            .is_some_and(|p| p.limit.is_some() && p.limit_max_lit.is_some());
        op.client_follows_links = op
            .pagination
            .as_ref()
            .is_some_and(|p| p.style == pagination::PageStyle::Link);
    }
    for w in type_warnings {
        sink.push(w);
    }
    let warnings = sink.finish()?;

    let info = &doc.head.info;
    let mut facts = type_facts;
    for op in &operations {
        facts.has_query |= !op.query_params.is_empty();
        facts.plain_query |= op.query_has_plain;
        for p in op
            .query_params
            .iter()
            .filter(|p| !p.deep_object && p.delimiter.is_none())
        {
            facts.query_lists |= p.is_list;
            facts.query_scalars |= !p.is_list;
        }
        facts.has_validation |= op.validates;
        facts.uses_pattern |= op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
            .chain(&op.cookie_params)
            .filter_map(|p| p.rules.as_deref())
            .chain(op.body.iter().filter_map(|b| b.rules.as_deref()))
            .any(|r| r.contains("pattern: Some("));
        facts.has_headers |= !op.header_params.is_empty();
        facts.has_cookies |= !op.cookie_params.is_empty();
        facts.has_delimited |= op.query_params.iter().any(|p| p.delimiter.is_some());
        facts.has_deep_object |= op.query_params.iter().any(|p| p.deep_object);
        facts.has_pagination |= op.pagination.is_some();
        facts.auto_etag |= op.auto_etag;
        facts.has_download |= op.client_download;
        facts.client_follows_links |= op.client_follows_links;
        facts.server_links |= op.pagination.as_ref().is_some_and(|p| p.server_links);
        facts.has_response_headers |= op.responses.iter().any(|r| !r.headers.is_empty());
        facts.server_auth |= op.security.is_some();
        facts.has_path_params |= !op.path_params.is_empty();
        if let Some(b) = &op.body {
            facts.has_json_body |= b.kind == BodyKind::Json;
            facts.has_form_body |= b.kind == BodyKind::Form;
            facts.has_bytes_body |= b.kind == BodyKind::Bytes;
            facts.has_text_body |= b.kind == BodyKind::Text;
            for c in &b.choices {
                facts.has_json_body |= c.kind == BodyKind::Json;
                facts.has_form_body |= c.kind == BodyKind::Form;
                facts.has_bytes_body |= c.kind == BodyKind::Bytes;
                facts.has_text_body |= c.kind == BodyKind::Text;
            }
            facts.has_multipart |= b.kind == BodyKind::Multipart
                || b.choices.iter().any(|c| c.kind == BodyKind::Multipart);
            facts.has_body_choice |= b.kind == BodyKind::Choice;
        }
        facts.has_json_response |= op
            .responses
            .iter()
            .any(|r| r.body_ty.is_some() && r.body_kind == BodyKind::Json);
        // Dependencies needed by operation-level types (a `format: uuid` parameter
        // needs `uuid` even if no model does).
        let op_types = op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
            .chain(&op.cookie_params)
            .map(|p| p.ty.as_str())
            .chain(op.body.iter().map(|b| b.ty.as_str()))
            .chain(op.responses.iter().filter_map(|r| r.body_ty.as_deref()))
            .chain(
                op.responses
                    .iter()
                    .flat_map(|r| r.headers.iter().map(|h| h.ty.as_str())),
            );
        for t in op_types {
            facts.uses_uuid |= t.contains("uuid::");
            facts.uses_chrono |= t.contains("chrono::");
        }
        let mentions = |t: &str| t.contains("models::");
        let params = op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
            .chain(&op.cookie_params)
            .any(|p| mentions(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions(&b.ty));
        facts.params_use_models |= params;
        facts.ops_use_models |= params
            || op.responses.iter().any(|r| {
                r.body_ty.as_deref().is_some_and(mentions)
                    || r.headers.iter().any(|h| mentions(&h.ty))
            });
    }
    facts.has_types = !types.is_empty();
    for s in &security_schemes {
        use security::SchemeKind as K;
        match s.kind {
            K::Bearer => facts.auth_token = true,
            K::Basic => facts.auth_basic = true,
            K::ApiKeyHeader | K::Authorization => facts.auth_text = true,
            K::ApiKeyQuery => {
                facts.auth_text = true;
                facts.auth_query = true;
            }
            K::ApiKeyCookie => {
                facts.auth_text = true;
                facts.auth_cookie = true;
            }
        }
    }
    let multiparts = operations
        .iter()
        .filter_map(|o| o.body.as_ref())
        .flat_map(|b| {
            b.multipart
                .iter()
                .chain(b.choices.iter().filter_map(|c| c.multipart.as_ref()))
        })
        .cloned()
        .collect::<Vec<Multipart>>();
    facts.multipart_files = multiparts
        .iter()
        .any(|m: &Multipart| m.fields.iter().any(|f| f.file));
    facts.multipart_text = multiparts
        .iter()
        .any(|m: &Multipart| m.fields.iter().any(|f| !f.file));
    facts.uses_param_string = facts.has_query
        || facts.has_headers
        || facts.has_cookies
        || facts.has_path_params
        || facts.multipart_text;
    facts.router_uses_headers = operations.iter().any(|o| o.takes_headers);
    facts.serve_spec = !operations.iter().any(|o| o.path == "/openapi.json");
    facts.serve_ops_endpoints = !operations
        .iter()
        .any(|o| ["/healthz", "/readyz", "/metrics"].contains(&o.path.as_str()));
    facts.serve_docs = facts.serve_spec
        && !operations
            .iter()
            .any(|o| o.path == "/docs" || o.path.starts_with("/docs/") || o.path.starts_with("/{"));
    let spec_name = doc
        .file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".into());
    let crate_stem = {
        let s = heck::ToKebabCase::to_kebab_case(naming::snake_ident(&info.title).as_str());
        let s = s
            .trim_matches('-')
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
            .to_string();
        if s.is_empty() { "api".to_string() } else { s }
    };
    // Server variables take their defaults, in the client's base URL and in the
    // server's path prefix alike.
    let first_server = doc.head.servers.first().map(|s| {
        let mut url = s.url.clone();
        for (name, var) in s.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
        url.trim_end_matches('/').to_string()
    });
    let server_template = doc.head.servers.first().and_then(|s| {
        let vars = s.variables.as_ref().filter(|v| !v.is_empty())?;
        if !s.url.contains("://") {
            return None;
        }
        Some(ServerTemplate {
            template_lit: naming::lit(&s.url),
            variables: vars
                .iter()
                .map(|(name, v)| {
                    (
                        naming::lit(name),
                        naming::lit(&v.default),
                        naming::lit(&format!("{{{name}}}")),
                    )
                })
                .collect(),
        })
    });
    let default_server = first_server
        .clone()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let base_path = first_server.as_deref().map(server_path).unwrap_or_default();
    Ok((
        Api {
            title: info.title.clone(),
            version: info.version.clone(),
            doc: docs::doc_lines(&[info.description.as_deref()]),
            spec_name,
            crate_stem,
            default_server_lit: default_server.map(|u| naming::lit(&u)),
            base_path_lit: naming::lit(&base_path),
            base_path: base_path.clone(),
            types,
            operations,
            multiparts,
            security_schemes,
            server_template,
            routes,
            facts,
            spec_json: doc.published_json.clone(),
        },
        warnings,
    ))
}

/// The path of a server URL (`https://api.example.com/v1/` → `/v1`, `/api` → `/api`);
/// empty for none, or when it still holds an unresolved `{variable}`.
fn server_path(url: &str) -> String {
    let rest = match url.split_once("://") {
        Some((_, after)) => after.find('/').map(|i| &after[i..]).unwrap_or(""),
        None => url,
    };
    let path = rest
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    if path.is_empty() || !path.starts_with('/') || path.contains(['{', '}', '*']) {
        String::new()
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::server_path;

    #[test]
    fn server_paths() {
        assert_eq!(server_path("https://api.example.com/v1/"), "/v1");
        assert_eq!(server_path("http://localhost:8080"), "");
        assert_eq!(server_path("/api"), "/api");
        assert_eq!(server_path("https://x.io/{version}"), "");
        assert_eq!(server_path("https://x.io/a/b?x=1"), "/a/b");
    }
}
