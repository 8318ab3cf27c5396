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

impl IntoResponse for HandlerError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "detail": self.message }))).into_response()
    }
}

/// The operations of the API. Each method receives the validated, typed request and
/// returns one of the responses the spec documents for it.
pub trait Api: Send + Sync + 'static {
{% for op in api.operations %}
{% for line in op.doc %}///{{ line }}
{% endfor %}
{% if !op.doc.is_empty() %}///
{% endif %}
/// `{{ op.method }} {{ op.path }}`
fn {{ op.fn_name }}(&self, request: {{ op.request_type }}) -> impl std::future::Future<Output = Result<{{ op.response_type }}, HandlerError>> + Send;
{% endfor %}
}
{% for op in api.operations %}
/// Input of [`Api::{{ op.fn_name }}`].
#[derive(Debug, Clone)]
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
{% if let Some(b) = op.body %}
{% for line in b.doc %}///{{ line }}
{% endfor %}
pub {{ b.name }}: {{ b.ty }},
{% endif %}
}

/// Responses of [`Api::{{ op.fn_name }}`], one per documented status.
#[derive(Debug, Clone)]
pub enum {{ op.response_type }} {
{% for r in op.responses %}
{% for line in r.doc %}///{{ line }}
{% endfor %}
{% if r.code.is_some() %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }}({{ ty }}),{% else %}{{ r.variant }},{% endif %}
{% else %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }} { status: StatusCode, body: {{ ty }} },{% else %}{{ r.variant }} { status: StatusCode },{% endif %}
{% endif %}
{% endfor %}
}

impl IntoResponse for {{ op.response_type }} {
    fn into_response(self) -> Response {
        match self {
{% for r in op.responses %}
{% if r.code.is_some() %}
{% if r.body_ty.is_some() %}Self::{{ r.variant }}(body) => {% else %}Self::{{ r.variant }} => {% endif %}
{% else %}
{% if r.body_ty.is_some() %}Self::{{ r.variant }} { status, body } => {% else %}Self::{{ r.variant }} { status } => {% endif %}
{% endif %}
{% if r.code.is_some() %}{
    let status = {{ r.status_const }};
{% else %}{
{% endif %}
{% if r.body_ty.is_some() %}
{% match r.body_kind %}
{% when BodyKind::Json %}(status, axum::Json(body)).into_response()
{% when _ %}(status, [(axum::http::header::CONTENT_TYPE, {{ r.content_type_lit }})], body).into_response()
{% endmatch %}
{% else %}status.into_response()
{% endif %}
}
{% endfor %}
        }
    }
}
{% endfor %}
