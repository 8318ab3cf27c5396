#![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
//! The API contract: implement [`Api`] (one method per operation) and hand it to
//! [`router`](super::router::router).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
{% if api.facts.ops_use_models %}use super::models;{% endif %}

/// What a handler returns when it cannot produce a documented response.
///
/// It becomes a JSON body `{"detail": message}` with its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerError {
    /// Status sent to the client.
    pub status: StatusCode,
    /// Message sent to the client as `detail`.
    pub message: String,
}

impl HandlerError {
    /// An error with any status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        HandlerError { status, message: message.into() }
    }

    /// 501 Not Implemented, for operations not written yet.
    pub fn not_implemented(operation: &str) -> Self {
        Self::new(StatusCode::NOT_IMPLEMENTED, format!("operation `{operation}` is not implemented"))
    }

    /// 500 Internal Server Error with a generic message (log the cause yourself).
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
    }
}

impl std::fmt::Display for HandlerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for HandlerError {}

{% if api.facts.has_response_headers %}
/// A header value as text: strings as-is, anything else as JSON.
fn header_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}
{% endif %}

impl IntoResponse for HandlerError {
    fn into_response(self) -> Response {
        {{ rt }}::ErrorBody::message(self.message).response(self.status)
    }
}

{% if api.facts.server_auth %}
/// The security schemes of the API (`components.securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
{% for s in api.security_schemes %}
{% for line in s.doc %}///{{ line }}
{% endfor %}
    {{ s.variant }},
{% endfor %}
}

impl Scheme {
    /// The scheme's name in the spec.
    pub fn name(self) -> &'static str {
        match self {
{% for s in api.security_schemes %}            Scheme::{{ s.variant }} => {{ s.wire_lit }},
{% endfor %}
        }
    }

    /// The `WWW-Authenticate` challenge sent when this scheme's credential is missing.
    pub fn challenge(self) -> &'static str {
        match self {
{% for s in api.security_schemes %}            Scheme::{{ s.variant }} => {{ s.challenge_lit }},
{% endfor %}
        }
    }
}

/// A credential as the client presented it, before verification.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer(String),
    /// `Authorization: Basic …`, decoded.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// An API key from its header, query parameter or cookie.
    ApiKey(String),
    /// The whole `Authorization` value of another HTTP scheme.
    Authorization(String),
}

impl std::fmt::Debug for Credential {
    /// Secrets are not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Bearer(_) => f.write_str("Bearer(***)"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}:***)"),
            Credential::ApiKey(_) => f.write_str("ApiKey(***)"),
            Credential::Authorization(_) => f.write_str("Authorization(***)"),
        }
    }
}

/// Why [`Api::authenticate`] refused a credential. Answered with its status and
/// `{"detail": message}`; a 401 also carries `WWW-Authenticate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// 401 (credential invalid or expired) or 403 (valid, but not allowed).
    pub status: StatusCode,
    /// Message sent to the client as `detail`.
    pub message: String,
}

impl AuthError {
    /// 401: the credential is not valid (bad signature, expired, unknown key).
    pub fn unauthorized(message: impl Into<String>) -> Self {
        AuthError { status: StatusCode::UNAUTHORIZED, message: message.into() }
    }

    /// 403: the caller is known but may not do this (missing scope, role).
    pub fn forbidden(message: impl Into<String>) -> Self {
        AuthError { status: StatusCode::FORBIDDEN, message: message.into() }
    }
}
{% endif %}

{% if api.facts.multipart_files %}
/// A file received in a multipart body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// The file name the client gave, if any.
    pub file_name: Option<String>,
    /// The part's media type, if given.
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Vec<u8>,
}
{% endif %}
{% if api.facts.has_multipart %}
{% for mp in api.multiparts %}

/// The parts of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct {{ mp.name }} {
{% for f in mp.fields %}
{% for line in f.doc %}///{{ line }}
{% endfor %}
    pub {{ f.name }}: {{ f.ty }},
{% endfor %}
}
{% endfor %}
{% endif %}
{% for op in api.operations %}{% if let Some(b) = op.body %}{% if b.kind == BodyKind::Choice %}

/// The body of [`Api::{{ op.fn_name }}`], in the media type the client chose.
#[derive(Debug, Clone)]
pub enum {{ b.inner_ty }} {
{% for c in b.choices %}
    /// Sent as `{{ c.media }}`.
    {{ c.variant }}({{ c.ty }}),
{% endfor %}
}
{% endif %}{% endif %}{% endfor %}

/// The operations of the API. Each method receives the validated, typed request and
/// returns one of the responses the spec documents for it.
pub trait Api: Send + Sync + 'static {
{% if api.facts.server_auth %}
    /// Who made a request, as established by [`Api::authenticate`]; handed to every
    /// operation that requires authentication.
    type Principal: Send + Sync + 'static;

    /// Verify one credential an operation requires (`scopes` are the OAuth2 scopes
    /// it asks for). Called before validation; when it fails the operation is not
    /// called. Requests without the credential get 401 without calling this.
    fn authenticate(
        &self,
        scheme: Scheme,
        credential: Credential,
        scopes: &'static [&'static str],
    ) -> impl std::future::Future<Output = Result<Self::Principal, AuthError>> + Send;
{% endif %}
{% for op in api.operations %}
{% for line in op.doc %}///{{ line }}
{% endfor %}
{% if !op.doc.is_empty() %}///
{% endif %}
/// `{{ op.method }} {{ op.path }}`{% if op.deprecated %} (deprecated: answered with a `Deprecation` header){% endif %}
{% if let Some(sec) = op.security %}
///
/// Requires authentication{% if sec.optional %} (optional: `principal` is `None` for anonymous calls){% endif %}.
fn {{ op.fn_name }}(&self, request: {{ op.request_type }}, principal: {% if sec.optional %}Option<Self::Principal>{% else %}Self::Principal{% endif %}) -> impl std::future::Future<Output = Result<{{ op.response_type }}, HandlerError>> + Send;
{% else %}
fn {{ op.fn_name }}(&self, request: {{ op.request_type }}) -> impl std::future::Future<Output = Result<{{ op.response_type }}, HandlerError>> + Send;
{% endif %}
{% endfor %}
}
{% for op in api.operations %}
/// Input of [`Api::{{ op.fn_name }}`].
#[derive(Debug)]
pub struct {{ op.request_type }} {
{% for p in op.path_params %}
{% for line in p.doc %}///{{ line }}
{% endfor %}
pub {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.query_params %}
{% for line in p.doc %}///{{ line }}
{% endfor %}
pub {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.header_params %}
{% for line in p.doc %}///{{ line }}
{% endfor %}
pub {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.cookie_params %}
{% for line in p.doc %}///{{ line }}
{% endfor %}
pub {{ p.name }}: {{ p.ty }},
{% endfor %}
{% if let Some(b) = op.body %}
{% for line in b.doc %}///{{ line }}
{% endfor %}
pub {{ b.name }}: {{ b.ty }},
{% endif %}
}

/// Responses of [`Api::{{ op.fn_name }}`], one per documented status.
#[derive(Debug)]
pub enum {{ op.response_type }} {
{% for r in op.responses %}
{% for line in r.doc %}///{{ line }}
{% endfor %}
{% if r.headers.is_empty() %}
{% if r.code.is_some() %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }}({{ ty }}),{% else %}{{ r.variant }},{% endif %}
{% else %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }} { status: StatusCode, body: {{ ty }} },{% else %}{{ r.variant }} { status: StatusCode },{% endif %}
{% endif %}
{% else %}
{{ r.variant }} {
{% if r.code.is_none() %}    /// The status sent.
    status: StatusCode,
{% endif %}
{% if let Some(ty) = r.body_ty %}    /// The body.
    body: {{ ty }},
{% endif %}
    /// The documented headers.
    headers: {{ r.headers_struct }},
},
{% endif %}
{% endfor %}
}
{% for r in op.responses %}
{% if !r.headers.is_empty() %}

/// Headers of [`{{ op.response_type }}::{{ r.variant }}`].
#[derive(Debug{% if r.headers_default %}, Default{% endif %})]
pub struct {{ r.headers_struct }} {
{% for h in r.headers %}
{% for line in h.doc %}///{{ line }}
{% endfor %}
pub {{ h.name }}: {{ h.ty }},
{% endfor %}
}

impl {{ r.headers_struct }} {
    fn write(&self, headers: &mut axum::http::HeaderMap) {
{% for h in r.headers %}
{% if h.required %}
        if let Ok(value) = axum::http::HeaderValue::from_str(&header_text(&self.{{ h.name }})) {
            headers.insert({{ h.wire_lit }}, value);
        }
{% else %}
        if let Some(value) = &self.{{ h.name }}
            && let Ok(value) = axum::http::HeaderValue::from_str(&header_text(value))
        {
            headers.insert({{ h.wire_lit }}, value);
        }
{% endif %}
{% endfor %}
    }
}
{% endif %}
{% endfor %}

{% if let Some(pg) = op.pagination %}{% if pg.server_links %}
impl {{ op.response_type }} {
    /// Items in a successful page (the router writes the `Link` header from it).
    pub(crate) fn page_len(&self) -> Option<usize> {
        match self {
{% for r in op.responses %}{% if r.is_success && r.body_ty.is_some() %}
{% if r.headers.is_empty() && r.code.is_some() %}            Self::{{ r.variant }}(body) => Some({{ pg.len_expr }}),
{% else %}            Self::{{ r.variant }} { body, .. } => Some({{ pg.len_expr }}),
{% endif %}
{% endif %}{% endfor %}
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

{% endif %}{% endif %}
impl IntoResponse for {{ op.response_type }} {
    fn into_response(self) -> Response {
        match self {
{% for r in op.responses %}
{% if r.headers.is_empty() %}
{% if r.code.is_some() %}
{% if r.body_ty.is_some() %}Self::{{ r.variant }}(body) => {% else %}Self::{{ r.variant }} => {% endif %}
{% else %}
{% if r.body_ty.is_some() %}Self::{{ r.variant }} { status, body } => {% else %}Self::{{ r.variant }} { status } => {% endif %}
{% endif %}
{% else %}
Self::{{ r.variant }} { {% if r.code.is_none() %}status, {% endif %}{% if r.body_ty.is_some() %}body, {% endif %}headers } =>
{% endif %}
{
{% if r.code.is_some() %}    let status = {{ r.status_const }};
{% endif %}
{% if !r.headers.is_empty() %}    let mut response = {% endif %}
{% if r.body_ty.is_some() %}
{% match r.body_kind %}
{% when BodyKind::Json %}(status, axum::Json(body)).into_response()
{% when _ %}(status, [(axum::http::header::CONTENT_TYPE, {{ r.content_type_lit }})], body).into_response()
{% endmatch %}
{% else %}status.into_response()
{% endif %}
{% if !r.headers.is_empty() %};
    headers.write(response.headers_mut());
    response
{% endif %}
}
{% endfor %}
        }
    }
}
{% endfor %}
