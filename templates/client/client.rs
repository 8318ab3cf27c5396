#![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
//! The client: one async method per operation.

{% if api.facts.ops_use_models %}use super::models;{% endif %}

/// Why a call failed. `E` is the operation's own error enum, with one variant per
/// documented error status.
#[derive(Debug)]
pub enum Error<E> {
    /// The server answered with a documented error status.
    Api(E),
    /// The server answered with a status the spec does not document here.
    UnexpectedStatus {
        /// HTTP status.
        status: u16,
        /// Response headers.
        headers: reqwest::header::HeaderMap,
        /// Raw response body.
        body: Vec<u8>,
    },
    /// The response body did not decode as documented.
    Decode {
        /// HTTP status.
        status: u16,
        /// Raw response body.
        body: Vec<u8>,
        /// What the decoder said.
        message: String,
    },
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
}

impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api(e) => write!(f, "error response: {e:?}"),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "unexpected status {status}: {}", String::from_utf8_lossy(body))
            }
            Error::Decode { status, message, .. } => write!(f, "cannot decode response with status {status}: {message}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl<E: std::fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// The client of the API. Cloning is cheap: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    base_url: String,
    http: reqwest::Client,
}
{% if let Some(url) = api.default_server_lit %}
impl Default for Client {
    /// A client for the first server the spec lists.
    fn default() -> Self {
        Self::new({{ url }})
    }
}
{% endif %}

impl Client {
    /// A client sending requests to `base_url` (e.g. `https://api.example.com/v1`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_client(base_url, reqwest::Client::new())
    }

    /// A client using a `reqwest::Client` you configured (timeouts, proxies, pool).
    pub fn with_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_string();
        Client { base_url, http }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }
{% for op in api.operations %}
{% for line in op.doc %}///{{ line }}
{% endfor %}
{% if !op.doc.is_empty() %}    ///
{% endif %}
    /// `{{ op.method }} {{ op.path }}`
{% if op.deprecated %}    #[deprecated]
{% endif %}
{% if op.client_many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub async fn {{ op.fn_name }}(
        &self,
{% for p in op.path_params %}        {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.query_params %}        {{ p.name }}: {{ p.ty }},
{% endfor %}
{% for p in op.header_params %}        {{ p.name }}: {{ p.ty }},
{% endfor %}
{% if let Some(b) = op.body %}        {{ b.name }}: {{ b.ty }},
{% endif %}
    ) -> Result<{{ op.success_type }}, Error<{{ op.error_type }}>> {
        let mut http_url = self.base_url.clone();
{% for seg in op.path_segments %}
{% match seg %}
{% when PathSegment::Literal(l) %}        http_url.push_str({{ l }});
{% when PathSegment::Char(c) %}        http_url.push({{ c }});
{% when PathSegment::Param(p) %}        http_url.push_str(&encode_path_segment(&param_string(&{{ p }})));
{% endmatch %}
{% endfor %}
        {% if op.client_request_mut %}let mut{% else %}let{% endif %} http_request = self.http.request(reqwest::Method::{{ op.method }}, http_url);
{% if !op.query_params.is_empty() %}
{% if op.query_required_scalars %}
        let {% if op.query_grows %}mut {% endif %}http_query: Vec<(&str, String)> = Vec::from([
{% for p in op.query_params %}{% if p.required && !p.is_list %}            ({{ p.wire_lit }}, param_string(&{{ p.name }})),
{% endif %}{% endfor %}
        ]);
{% else %}
        let mut http_query: Vec<(&str, String)> = Vec::new();
{% endif %}
{% for p in op.query_params %}
{% if p.required %}
{% if p.is_list %}
        for item in &{{ p.name }} {
            http_query.push(({{ p.wire_lit }}, param_string(item)));
        }
{% endif %}
{% else %}
        if let Some(given) = &{{ p.name }} {
{% if p.is_list %}
            for item in given {
                http_query.push(({{ p.wire_lit }}, param_string(item)));
            }
{% else %}
            http_query.push(({{ p.wire_lit }}, param_string(given)));
{% endif %}
        }
{% endif %}
{% endfor %}
        http_request = http_request.query(&http_query);
{% endif %}
{% for p in op.header_params %}
{% if p.required %}
        http_request = http_request.header({{ p.wire_lit }}, param_string(&{{ p.name }}));
{% else %}
        if let Some(given) = &{{ p.name }} {
            http_request = http_request.header({{ p.wire_lit }}, param_string(given));
        }
{% endif %}
{% endfor %}
{% if let Some(b) = op.body %}
{% if b.required %}
{% match b.kind %}
{% when BodyKind::Json %}        http_request = http_request.json(&{{ b.name }});
{% when BodyKind::Form %}        http_request = http_request.form(&{{ b.name }});
{% when _ %}        http_request = http_request.header(reqwest::header::CONTENT_TYPE, {{ b.content_type_lit }}).body({{ b.name }});
{% endmatch %}
{% else %}
        if let Some(http_body) = {{ b.name }} {
{% match b.kind %}
{% when BodyKind::Json %}            http_request = http_request.json(&http_body);
{% when BodyKind::Form %}            http_request = http_request.form(&http_body);
{% when _ %}            http_request = http_request.header(reqwest::header::CONTENT_TYPE, {{ b.content_type_lit }}).body(http_body);
{% endmatch %}
        }
{% endif %}
{% endif %}
{% if op.client_binds_response %}
        let http_response = http_request.send().await.map_err(Error::Transport)?;
{% else %}
        http_request.send().await.map_err(Error::Transport)?;
{% endif %}
{% if op.client_uses_status %}
        let http_status = http_response.status().as_u16();
{% endif %}
{% if !op.has_default %}
        let http_headers = http_response.headers().clone();
{% endif %}
{% if op.client_reads_body %}
        let http_body = http_response.bytes().await.map_err(Error::Transport)?;
{% endif %}
{% if !op.client_single_arm %}
        match http_status {
{% endif %}
{% for r in op.responses %}
{% if op.client_single_arm %}
{% else if let Some(code) = r.code %}            {{ code }} => {
{% else if let Some(range) = r.range %}            {{ range }}00..={{ range }}99 => {
{% else %}            _ => {
{% endif %}
{% if let Some(ty) = r.body_ty %}
{% match r.body_kind %}
{% when BodyKind::Json %}                let decoded: {{ ty }} = decode_json(http_status, &http_body)?;
{% when BodyKind::Text %}                let decoded = String::from_utf8_lossy(&http_body).into_owned();
{% when _ %}                let decoded = http_body.to_vec();
{% endmatch %}
{% endif %}
{% if r.is_success %}
{% if let Some(success) = op.success_enum %}
{% if r.code.is_some() %}
                Ok({{ success }}::{{ r.variant }}{% if r.body_ty.is_some() %}(decoded){% endif %})
{% else %}
                Ok({{ success }}::{{ r.variant }} { status: http_status{% if r.body_ty.is_some() %}, body: decoded{% endif %} })
{% endif %}
{% else %}
                Ok({% if r.body_ty.is_some() %}decoded{% else %}(){% endif %})
{% endif %}
{% else %}
{% if r.code.is_some() %}
                Err(Error::Api({{ op.error_type }}::{{ r.variant }}{% if r.body_ty.is_some() %}(decoded){% endif %}))
{% else %}
                Err(Error::Api({{ op.error_type }}::{{ r.variant }} { status: http_status{% if r.body_ty.is_some() %}, body: decoded{% endif %} }))
{% endif %}
{% endif %}
{% if !op.client_single_arm %}
            }
{% endif %}
{% endfor %}
{% if op.client_single_arm %}
{% if op.responses.is_empty() %}
        Err(Error::UnexpectedStatus { status: http_status, headers: http_headers, body: http_body.to_vec() })
{% endif %}
{% else %}
{% if !op.has_default %}
            _ => Err(Error::UnexpectedStatus { status: http_status, headers: http_headers, body: http_body.to_vec() }),
{% endif %}
        }
{% endif %}
    }
{% endfor %}
}
{% for op in api.operations %}

/// Documented error responses of [`Client::{{ op.fn_name }}`].
#[derive(Debug, Clone)]
pub enum {{ op.error_type }} {
{% for r in op.responses %}
{% if !r.is_success %}
{% for line in r.doc %}///{{ line }}
{% endfor %}
{% if r.code.is_some() %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }}({{ ty }}),{% else %}{{ r.variant }},{% endif %}
{% else %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }} { status: u16, body: {{ ty }} },{% else %}{{ r.variant }} { status: u16 },{% endif %}
{% endif %}
{% endif %}
{% endfor %}
}
{% if let Some(success) = op.success_enum %}

/// Documented success responses of [`Client::{{ op.fn_name }}`].
#[derive(Debug, Clone)]
pub enum {{ success }} {
{% for r in op.responses %}
{% if r.is_success %}
{% for line in r.doc %}///{{ line }}
{% endfor %}
{% if r.code.is_some() %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }}({{ ty }}),{% else %}{{ r.variant }},{% endif %}
{% else %}
{% if let Some(ty) = r.body_ty %}{{ r.variant }} { status: u16, body: {{ ty }} },{% else %}{{ r.variant }} { status: u16 },{% endif %}
{% endif %}
{% endif %}
{% endfor %}
}
{% endif %}
{% endfor %}
{% if api.facts.has_json_response %}

fn decode_json<T: serde::de::DeserializeOwned, E>(status: u16, body: &[u8]) -> Result<T, Error<E>> {
    serde_json::from_slice(body).map_err(|e| Error::Decode { status, body: body.to_vec(), message: e.to_string() })
}
{% endif %}

{% if api.facts.uses_param_string %}

/// A parameter value as text: strings as-is, arrays comma-separated (`simple`/`form`
/// style), anything else as JSON.
fn param_string<T: serde::Serialize + ?Sized>(value: &T) -> String {
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
            other => other.to_string(),
        }
    }
    serde_json::to_value(value).map(|v| text(&v)).unwrap_or_default()
}

{% endif %}
{% if api.facts.has_path_params %}

/// Percent-encode a path segment (everything but RFC 3986 unreserved characters).
fn encode_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
{% endif %}
