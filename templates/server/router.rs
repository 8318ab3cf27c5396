{% macro take_param(p, place, what) %}
{% if p.required %}
            Ok(Some(v)) => v,
            Ok(None) => return reject(StatusCode::UNPROCESSABLE_ENTITY, "missing", &["{{ place }}", {{ p.wire_lit }}], "required {{ what }} is missing"),
{% else %}
            Ok(v) => v,
{% endif %}
            Err(rejected) => return rejected.into_response(),
{% endmacro %}
{% macro check_param(p, place) %}
{% if p.rules.is_some() || p.validate %}
    loc.clear();
    loc.extend([LocPart::key("{{ place }}"), LocPart::key({{ p.wire_lit }})]);
{% if let Some(r) = p.rules %}    request.{{ p.name }}.check(&{{ r }}, &mut loc, &mut violations);
{% endif %}
{% if p.validate %}    request.{{ p.name }}.validate(&mut loc, &mut violations);
{% endif %}
{% endif %}
{% endmacro %}
#![allow(clippy::doc_lazy_continuation)]
//! HTTP binding: extracts each operation's parameters and body, calls [`Api`], and
//! turns the result into a response.

use std::sync::Arc;

use axum::Router;
{% if !api.operations.is_empty() %}use axum::extract::State;{% endif %}
{% if api.facts.router_uses_headers %}use axum::http::HeaderMap;{% endif %}
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

{% if !api.operations.is_empty() %}use super::api::*;{% else %}use super::api::Api;{% endif %}
{% if api.facts.params_use_models %}use super::models;{% endif %}
{% if api.facts.has_validation %}use super::validation::*;{% endif %}
{% if api.facts.has_body_choice %}use axum::extract::FromRequest;{% endif %}
pub use {{ rt }}::{serve, ServerConfig};
use {{ rt }}::ErrorBody;

/// The spec this server implements, served at `/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Where the API is mounted by default: the path of the spec's first server.
pub const BASE_PATH: &str = {{ api.base_path_lit }};

/// The whole service: [`router`] plus `/openapi.json`, Swagger UI at `/docs` (assets
/// embedded, works offline), `/healthz`, `/readyz`, Prometheus `/metrics`, and the
/// middleware a production server needs: request ids (`x-request-id`, generated when
/// absent, echoed, in every trace span), tracing, panics → 500, timeout → 408, body
/// limit → 413, gzip, per-client rate limit → 429, CORS when origins are configured,
/// `Sunset` on deprecated operations, JSON 404/405.
pub fn app<A: Api>(api: Arc<A>, config: &ServerConfig) -> Router {
    let app = mounted(api, &config.base_path);
{% if api.facts.serve_spec %}
    let app = app.route("/openapi.json", axum::routing::get(openapi_json));
{% endif %}
{% if api.facts.serve_docs %}
    let app = app.merge(
        utoipa_swagger_ui::SwaggerUi::new("/docs").config(utoipa_swagger_ui::Config::new(["/openapi.json"])),
    );
{% endif %}
    serve(app, config)
}

/// The operations mounted under `base_path` (`/v1`; empty for the root){% if api.facts.serve_spec %}, with
/// this spec at `{base_path}/openapi.json`{% endif %}. API versions share one service and its
/// middleware through [`serve`] (generating from several specs at once does this for you):
///
/// ```ignore
/// let routes = v1::router::mounted(Arc::new(V1), "/v1").merge(v2::router::mounted(Arc::new(V2), "/v2"));
/// let app = v1::router::serve(routes, &v1::router::ServerConfig::from_env());
/// ```
pub fn mounted<A: Api>(api: Arc<A>, base_path: &str) -> Router {
    let base_path = base_path.trim_end_matches('/');
    // No fallback here: unknown paths are answered by the service (`serve`), the same
    // way whichever versions are mounted.
    if base_path.is_empty() {
        routes(api, "")
    } else if base_path.starts_with('/') && !base_path.contains(['{', '}', '*']) {
        // The base path is written into each route rather than nesting a router, which
        // would rewrite every request's URI on its way in.
{% if api.facts.serve_spec %}
        routes(api, base_path).route(&format!("{base_path}/openapi.json"), axum::routing::get(openapi_json))
{% else %}
        routes(api, base_path)
{% endif %}
    } else {
        tracing::warn!(base_path, "ignoring a base path that is not of the form /segment");
        routes(api, "")
    }
}

{% if api.facts.serve_spec %}
async fn openapi_json() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
{% endif %}


/// The router serving every operation of the spec with `api` (unknown paths: 404).
pub fn router<A: Api>(api: Arc<A>) -> Router {
    routes(api, "").fallback(not_found)
}

/// Every operation's route, under `prefix` (`/v1`, or empty).
{% if api.routes.is_empty() %}
fn routes<A: Api>(api: Arc<A>, _prefix: &str) -> Router {
{% else %}
fn routes<A: Api>(api: Arc<A>, prefix: &str) -> Router {
    let at = |path: &str| match path {
        "/" if !prefix.is_empty() => prefix.to_string(),
        _ => format!("{prefix}{path}"),
    };
{% endif %}
    Router::new()
{% for r in api.routes %}
        .route(&at({{ r.path_lit }}), {% for m in r.methods %}{% if loop.first %}axum::routing::{{ m.0 }}({{ m.1 }}::<A>){% else %}.{{ m.0 }}({{ m.1 }}::<A>){% endif %}{% endfor %})
{% endfor %}
        .with_state(api)
}

/// A request that cannot reach the handler: its status, and an error body naming
/// the one refused value.
struct Rejection {
    status: StatusCode,
    body: ErrorBody,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        self.body.response(self.status)
    }
}

fn rejection(status: StatusCode, kind: &'static str, loc: &[&str], msg: impl std::fmt::Display) -> Rejection {
    Rejection { status, body: ErrorBody::error(kind, loc, msg) }
}

fn reject(status: StatusCode, kind: &'static str, loc: &[&str], msg: impl std::fmt::Display) -> Response {
    rejection(status, kind, loc, msg).into_response()
}

{% if api.facts.has_validation %}
/// Every violation of a request, answered together.
fn unprocessable(violations: Vec<Violation>) -> Response {
    ErrorBody::errors(violations).response(StatusCode::UNPROCESSABLE_ENTITY)
}
{% endif %}

{% if api.facts.has_json_body || api.facts.has_bytes_body || api.facts.has_text_body || api.facts.has_form_body || api.facts.has_body_choice %}
/// A body that could not be read: over the size limit (413), cut off, or not text
/// where text is expected (400).
fn unreadable_body(status: StatusCode, msg: String) -> Response {
    let kind = if status == StatusCode::PAYLOAD_TOO_LARGE { "too_large" } else { "body_unreadable" };
    reject(status, kind, &["body"], msg)
}
{% endif %}

{% if api.facts.plain_query %}
/// The query string's `name=value` pairs, percent-decoded (`+` as a space).
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&key.replace('+', " ")), percent_decode(&value.replace('+', " ")))
        })
        .collect()
}

{% if api.facts.query_scalars %}
/// Query parameter `name`, given at most once, as `T`.
fn query_scalar<T: serde::de::DeserializeOwned>(pairs: &[(String, String)], name: &'static str) -> Result<Option<T>, Rejection> {
    let mut given = pairs.iter().filter(|(key, _)| key == name);
    let Some((_, text)) = given.next() else {
        return Ok(None);
    };
    if given.next().is_some() {
        return Err(rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["query", name], "given more than once"));
    }
    param_value(text)
        .map(Some)
        .map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["query", name], e))
}

{% endif %}
{% if api.facts.query_lists %}
/// Query parameter `name` repeated (`?tag=a&tag=b`), each value as `T`.
fn query_list<T: serde::de::DeserializeOwned>(pairs: &[(String, String)], name: &'static str) -> Result<Option<Vec<T>>, Rejection> {
    let given: Vec<&str> = pairs.iter().filter(|(key, _)| key == name).map(|(_, v)| v.as_str()).collect();
    if given.is_empty() {
        return Ok(None);
    }
    given
        .into_iter()
        .map(|text| param_value(text).map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["query", name], e)))
        .collect::<Result<Vec<T>, Rejection>>()
        .map(Some)
}

{% endif %}
{% if api.facts.has_delimited %}
/// The values of query parameter `name` as given (for delimited lists).
fn query_raw(pairs: &[(String, String)], name: &str) -> Option<Vec<String>> {
    let given: Vec<String> = pairs.iter().filter(|(key, _)| key == name).map(|(_, v)| v.clone()).collect();
    (!given.is_empty()).then_some(given)
}
{% endif %}
{% endif %}
{% if api.facts.has_path_params %}
/// Path parameter `key` (its name in the route) as `T`; a refusal names the
/// parameter as the spec does.
fn path_param<T: serde::de::DeserializeOwned>(raw: &axum::extract::RawPathParams, key: &str, name: &'static str) -> Result<T, Rejection> {
    let text = raw.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v);
    param_value(text).map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["path", name], e))
}

{% endif %}
{% if api.facts.has_path_params || api.facts.plain_query %}
/// A parameter's text as `T`: numbers and booleans as such, anything else (strings,
/// enums, UUIDs, dates) from the text itself.
fn param_value<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde::de::value::Error> {
    if (text.parse::<f64>().is_ok() || text == "true" || text == "false")
        && let Ok(value) = serde_json::from_str(text)
    {
        return Ok(value);
    }
    T::deserialize(serde::de::value::StrDeserializer::new(text))
}
{% endif %}

async fn not_found() -> Response {
    reject(StatusCode::NOT_FOUND, "not_found", &["path"], "no operation matches this path")
}
{% if api.facts.has_headers %}
/// Read one header and decode it as `T` (strings as-is, numbers and booleans parsed).
fn header_param<T: serde::de::DeserializeOwned>(headers: &HeaderMap, name: &'static str) -> Result<Option<T>, Rejection> {
    let Some(raw) = headers.get(name) else {
        return Ok(None);
    };
    let text = raw
        .to_str()
        .map_err(|_| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["header", name], "header value is not visible ASCII"))?;
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .or_else(|e| serde_json::from_str(text).map_err(|_| e))
        .map(Some)
        .map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["header", name], e))
}
{% endif %}
{% if api.facts.has_cookies %}
/// Read one cookie and decode it as `T` (percent-decoded; numbers and booleans parsed).
fn cookie_param<T: serde::de::DeserializeOwned>(headers: &HeaderMap, name: &'static str) -> Result<Option<T>, Rejection> {
    let Some(raw) = cookie(headers, name) else {
        return Ok(None);
    };
    let text = percent_decode(&raw);
    serde_json::from_value(serde_json::Value::String(text.clone()))
        .or_else(|e| serde_json::from_str(&text).map_err(|_| e))
        .map(Some)
        .map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["cookie", name], e))
}
{% endif %}
{% if api.facts.has_cookies || api.facts.auth_cookie %}
/// The raw value of cookie `name`, from every `Cookie` header.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_string())
}
{% endif %}
{% if api.facts.has_delimited %}
/// A delimited query list (`explode: false`, space or pipe delimited), each item
/// decoded as `T` (strings as-is, anything else as JSON).
fn split_list<T: serde::de::DeserializeOwned>(raw: Option<Vec<String>>, delimiter: &str, name: &'static str) -> Result<Option<Vec<T>>, Rejection> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    raw.iter()
        .flat_map(|v| v.split(delimiter))
        .filter(|item| !item.is_empty())
        .map(|item| {
            serde_json::from_value(serde_json::Value::String(item.to_string()))
                .or_else(|e| serde_json::from_str(item).map_err(|_| e))
                .map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["query", name], e))
        })
        .collect::<Result<Vec<T>, Rejection>>()
        .map(Some)
}
{% endif %}
{% if api.facts.has_deep_object %}
/// A `style: deepObject` parameter: the `name[key]=value` pairs of the query string
/// decoded as `T`; `None` when there are none.
fn deep_object_param<T: serde::de::DeserializeOwned>(query: Option<&str>, name: &'static str) -> Result<Option<T>, Rejection> {
    let prefix = format!("{name}[");
    let pairs: Vec<String> = query
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(&key.replace('+', " "));
            let inner = key.strip_prefix(&prefix)?.strip_suffix(']')?;
            let encoded: String = inner
                .bytes()
                .map(|b| if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') { (b as char).to_string() } else { format!("%{b:02X}") })
                .collect();
            Some(format!("{encoded}={value}"))
        })
        .collect();
    if pairs.is_empty() {
        return Ok(None);
    }
    let uri: axum::http::Uri = format!("/?{}", pairs.join("&"))
        .parse()
        .map_err(|_| rejection(StatusCode::BAD_REQUEST, "value_error", &["query", name], "malformed query string"))?;
    axum::extract::Query::<T>::try_from_uri(&uri)
        .map(|axum::extract::Query(v)| Some(v))
        .map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["query", name], e.body_text()))
}
{% endif %}
{% if api.facts.has_cookies || api.facts.auth_cookie || api.facts.auth_query || api.facts.has_deep_object || api.facts.plain_query %}
/// Decode `%XX` escapes (invalid ones are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
{% endif %}
{% if api.facts.server_auth %}
/// Every alternative of an operation's `security`: schemes (with scopes) that must
/// all be present; an empty alternative is anonymous access.
type Requirements = &'static [&'static [(Scheme, &'static [&'static str])]];

/// The credential of `scheme` in the request, if present.
fn credential(headers: &HeaderMap, {% if api.facts.auth_query %}query{% else %}_query{% endif %}: Option<&str>, scheme: Scheme) -> Option<Credential> {
    #[allow(unused_variables)]
    let authorization = || {
        headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    #[allow(unused_variables)]
    let with_prefix = |prefix: &str| {
        authorization().and_then(|v| {
            let (name, rest) = v.split_once(' ')?;
            name.eq_ignore_ascii_case(prefix).then(|| rest.trim().to_string())
        }).filter(|v| !v.is_empty())
    };
    match scheme {
{% for s in api.security_schemes %}
{% match s.kind %}
{% when SchemeKind::Bearer %}        Scheme::{{ s.variant }} => with_prefix("Bearer").map(Credential::Bearer),
{% when SchemeKind::Basic %}        Scheme::{{ s.variant }} => with_prefix("Basic").and_then(|b| decode_basic(&b)),
{% when SchemeKind::ApiKeyHeader %}        Scheme::{{ s.variant }} => headers.get({{ s.key_lit }}).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()).map(|v| Credential::ApiKey(v.to_string())),
{% when SchemeKind::ApiKeyQuery %}        Scheme::{{ s.variant }} => query_value(query, {{ s.key_lit }}).map(Credential::ApiKey),
{% when SchemeKind::ApiKeyCookie %}        Scheme::{{ s.variant }} => cookie(headers, {{ s.key_lit }}).map(|v| Credential::ApiKey(percent_decode(&v))),
{% when SchemeKind::Authorization %}        Scheme::{{ s.variant }} => with_prefix({{ s.key_lit }}).and(authorization()).map(|v| Credential::Authorization(v.to_string())),
{% endmatch %}
{% endfor %}
    }
}

{% if api.facts.auth_query %}
/// The value of query parameter `name` in a raw query string.
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&key.replace('+', " ")) == name).then(|| percent_decode(&value.replace('+', " ")))
        })
        .find(|v| !v.is_empty())
}
{% endif %}
{% if api.facts.auth_basic %}
/// `user:password` from base64.
fn decode_basic(encoded: &str) -> Option<Credential> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in encoded.bytes().take_while(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    let (username, password) = text.split_once(':')?;
    Some(Credential::Basic { username: username.to_string(), password: password.to_string() })
}
{% endif %}

/// Check the request against an operation's requirements: the first alternative
/// whose credentials are all present and accepted wins. `Ok(None)` is anonymous
/// access (allowed only when no credential was presented or refused).
async fn authorize<A: Api>(api: &A, headers: &HeaderMap, query: Option<&str>, requirements: Requirements) -> Result<Option<A::Principal>, Response> {
    let mut rejected = None;
    for alternative in requirements.iter().filter(|a| !a.is_empty()) {
        let Some(present) = alternative
            .iter()
            .map(|(scheme, scopes)| credential(headers, query, *scheme).map(|c| (*scheme, c, *scopes)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let mut principal = None;
        let mut refused = None;
        for (scheme, credential, scopes) in present {
            match api.authenticate(scheme, credential, scopes).await {
                Ok(p) => {
                    principal.get_or_insert(p);
                }
                Err(e) => {
                    refused = Some(e);
                    break;
                }
            }
        }
        match refused {
            // Alternatives are tried in order; the first refusal is reported if none
            // is accepted (two schemes may read the same `Authorization` header).
            Some(e) => {
                rejected.get_or_insert(e);
            }
            None => return Ok(principal),
        }
    }
    if let Some(e) = rejected {
        return Err(auth_error(e, requirements));
    }
    if requirements.iter().any(|a| a.is_empty()) {
        return Ok(None);
    }
    Err(unauthorized(requirements))
}

/// 401 with a `WWW-Authenticate` challenge for every scheme that would do.
fn unauthorized(requirements: Requirements) -> Response {
    auth_error(AuthError::unauthorized("authentication required"), requirements)
}

fn auth_error(error: AuthError, requirements: Requirements) -> Response {
    let mut response = ErrorBody::message(error.message).response(error.status);
    if error.status == StatusCode::UNAUTHORIZED {
        let mut challenges: Vec<&str> = Vec::new();
        for (scheme, _) in requirements.iter().flat_map(|a| a.iter()) {
            if !challenges.contains(&scheme.challenge()) {
                challenges.push(scheme.challenge());
            }
        }
        if let Ok(value) = axum::http::HeaderValue::from_str(&challenges.join(", ")) {
            response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, value);
        }
    }
    response
}
{% endif %}
{% if api.facts.server_links %}
/// Where a page is: its offset or page number, the first one, the page size.
struct PageCounter {
    at: i128,
    first: i128,
    size: Option<i128>,
    /// Offsets advance by the page size, page numbers by one.
    offset: bool,
}

/// Add an RFC 8288 `Link` header (`next` when the page is full, `prev` and `first`
/// after the first page) to a successful page, unless the handler wrote one.
fn page_links(response: &mut Response, uri: &axum::http::Uri, param: &str, page: PageCounter, returned: usize) {
    if !response.status().is_success() || response.headers().contains_key(axum::http::header::LINK) {
        return;
    }
    let returned = returned as i128;
    let step = if page.offset { page.size.unwrap_or(returned).max(1) } else { 1 };
    let full = page.size.map_or(returned > 0, |size| size > 0 && returned >= size);
    let link = |value: i128, rel: &str| {
        let mut query: Vec<&str> = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(param))
            .collect();
        let counter = format!("{param}={value}");
        query.push(&counter);
        format!("<{}?{}>; rel=\"{rel}\"", uri.path(), query.join("&"))
    };
    let mut links = Vec::new();
    if full {
        links.push(link(page.at + step, "next"));
    }
    if page.at > page.first {
        links.push(link((page.at - step).max(page.first), "prev"));
        links.push(link(page.first, "first"));
    }
    if let Ok(value) = axum::http::HeaderValue::from_str(&links.join(", "))
        && !links.is_empty()
    {
        response.headers_mut().insert(axum::http::header::LINK, value);
    }
}
{% endif %}
{% if api.facts.has_multipart || api.facts.has_body_choice %}
/// The media type of the request, lower-cased, without parameters.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
{% endif %}
{% if api.facts.has_multipart %}
/// A multipart body that cannot be read: 415 when it is not multipart at all.
fn multipart_rejection(headers: &HeaderMap, e: axum::extract::multipart::MultipartRejection) -> Response {
    let media = media_type(headers);
    if media != "multipart/form-data" {
        return reject(StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type", &["header", "content-type"], format!("expected `multipart/form-data`, got `{media}`"));
    }
    reject(e.status(), "multipart", &["body"], e.body_text())
}

{% if api.facts.multipart_text %}
/// A text part decoded as `T` (strings as-is, anything else as JSON).
fn part_value<T: serde::de::DeserializeOwned>(text: String, name: &'static str) -> Result<T, Rejection> {
    serde_json::from_value(serde_json::Value::String(text.clone()))
        .or_else(|e| serde_json::from_str(&text).map_err(|_| e))
        .map_err(|e| rejection(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["body", name], e))
}
{% endif %}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> Rejection {
    rejection(e.status(), "multipart", &["body"], e.body_text())
}
{% for mp in api.multiparts %}

/// Read the parts of [`{{ mp.name }}`]; unknown parts are skipped.
async fn {{ mp.reader }}(mut multipart: axum::extract::Multipart) -> Result<{{ mp.name }}, Rejection> {
{% for f in mp.fields %}
    let mut {{ f.name }}: {% if f.list %}{{ f.ty }} = Vec::new(){% else %}Option<{{ f.inner_ty }}> = None{% endif %};
{% endfor %}
    while let Some({% if mp.fields.is_empty() %}_field{% else %}field{% endif %}) = multipart.next_field().await.map_err(multipart_error)? {
{% for f in mp.fields %}
        {% if !loop.first %}} else {% endif %}if field.name() == Some({{ f.wire_lit }}) {
{% if f.file %}
            let file_name = field.file_name().map(str::to_string);
            let content_type = field.content_type().map(str::to_string);
            let bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
            let value = FilePart { file_name, content_type, bytes };
{% else %}
            let value = part_value::<{{ f.inner_ty }}>(field.text().await.map_err(multipart_error)?, {{ f.wire_lit }})?;
{% endif %}
{% if f.list %}            {{ f.name }}.push(value);{% else %}            {{ f.name }} = Some(value);{% endif %}
{% endfor %}
{% if !mp.fields.is_empty() %}        }
{% endif %}
        // Unknown parts are skipped.
    }
    Ok({{ mp.name }} {
{% for f in mp.fields %}
{% if f.list || !f.required %}
        {{ f.name }},
{% else %}
        {{ f.name }}: {{ f.name }}.ok_or_else(|| rejection(StatusCode::UNPROCESSABLE_ENTITY, "missing", &["body", {{ f.wire_lit }}], "required part is missing"))?,
{% endif %}
{% endfor %}
    })
}
{% if mp.validates %}

impl Validate for {{ mp.name }} {
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
{% for f in mp.fields %}{% if let Some(r) = f.rules %}
        loc.push(LocPart::key({{ f.wire_lit }}));
        self.{{ f.name }}.check(&{{ r }}, loc, out);
        loc.pop();
{% endif %}{% endfor %}
    }
}
{% endif %}
{% endfor %}
{% endif %}
{% for op in api.operations %}{% if let Some(b) = op.body %}{% if b.kind == BodyKind::Choice && b.validate %}

impl Validate for {{ b.inner_ty }} {
    fn validate(&self, loc: &mut Vec<LocPart>, out: &mut Vec<Violation>) {
        match self {
{% for c in b.choices %}
{% if c.validate || c.rules.is_some() %}
            Self::{{ c.variant }}(v) => {
{% if let Some(r) = c.rules %}                v.check(&{{ r }}, loc, out);
{% endif %}
{% if c.validate %}                v.validate(loc, out);
{% endif %}
            }
{% else %}
            Self::{{ c.variant }}(_) => {}
{% endif %}
{% endfor %}
        }
    }
}
{% endif %}{% endif %}{% endfor %}
{% if api.facts.auto_etag %}
/// A weak `ETag` (FNV-1a of the body, stable across instances) for a 200 that has
/// none, and 304 Not Modified when the request's `If-None-Match` holds it.
async fn with_etag(headers: &HeaderMap, response: Response) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let (tag, body) = match parts.headers.get(axum::http::header::ETAG).cloned() {
        Some(tag) => (tag, body),
        None => {
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for b in bytes.iter() {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            let tag = axum::http::HeaderValue::from_str(&format!("W/\"{hash:016x}\"")).unwrap_or_else(|_| axum::http::HeaderValue::from_static("W/\"0\""));
            parts.headers.insert(axum::http::header::ETAG, tag.clone());
            (tag, axum::body::Body::from(bytes))
        }
    };
    let ours = tag.to_str().unwrap_or("").trim_start_matches("W/");
    let matches = headers
        .get_all(axum::http::header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == ours);
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(axum::http::header::CONTENT_TYPE);
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, body)
}
{% endif %}
{% if api.facts.has_json_body %}
/// Decode a JSON body; an empty body is `None`.
fn json_body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<Option<T>, Rejection> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "application/json" && !essence.ends_with("+json") {
        return Err(rejection(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            &["header", "content-type"],
            format!("expected `application/json`, got `{content_type}`"),
        ));
    }
    // The valid body, the common case, is read once without tracking where the
    // deserializer is; only a refused body is read again to name the place.
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let fast = T::deserialize(&mut json).and_then(|v| json.end().map(|()| v));
    let value = match fast {
        Ok(v) => Ok(v),
        Err(e) if !e.is_data() => Err((Vec::new(), e)),
        Err(first) => match serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(bytes)) {
            Ok(_) => Err((Vec::new(), first)),
            Err(e) => {
            let mut loc = Vec::new();
            for segment in e.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => loc.push({{ rt }}::LocPart::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => loc.push({{ rt }}::LocPart::Key(key.clone())),
                    serde_path_to_error::Segment::Enum { variant } => loc.push({{ rt }}::LocPart::Key(variant.clone())),
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            Err((loc, e.into_inner()))
            }
        },
    };
    value.map(Some).map_err(|(path, inner)| {
        let status = if inner.is_data() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
        let kind = if inner.is_data() { "value_error" } else { "json_invalid" };
        // Where in the body: `["body", "owner", "name"]`, `["body", "tags", 2]`.
        let loc = std::iter::once({{ rt }}::LocPart::key("body")).chain(path).collect();
        let item = {{ rt }}::ErrorItem { kind: kind.into(), loc, msg: inner.to_string(), input: None };
        Rejection { status, body: ErrorBody::errors(vec![item]) }
    })
}
{% endif %}
{% for op in api.operations %}

async fn {{ op.handler_name }}<A: Api>(
    State(api): State<Arc<A>>,
{% if !op.path_params.is_empty() %}    path: Result<axum::extract::RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
{% endif %}
{% if op.query_has_plain %}    axum::extract::RawQuery(raw_query): axum::extract::RawQuery,
{% endif %}
{% if op.takes_headers %}    headers: HeaderMap,
{% endif %}
{% if op.takes_uri %}    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
{% endif %}
{% if op.clamps_page_size %}    page_size: Option<axum::Extension<{{ rt }}::PageSizePolicy>>,
{% endif %}
{% if let Some(b) = op.body %}
{% match b.kind %}
{% when BodyKind::Json %}    payload: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
{% when BodyKind::Form %}    payload: Result<axum::Form<{{ b.inner_ty }}>, axum::extract::rejection::FormRejection>,
{% when BodyKind::Text %}    payload: Result<String, axum::extract::rejection::StringRejection>,
{% when BodyKind::Bytes %}    payload: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
{% when BodyKind::Multipart %}    payload: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
{% when BodyKind::Choice %}    payload: axum::extract::Request,
{% endmatch %}
{% endif %}
) -> Response {
{% if let Some(sec) = op.security %}
    let principal = match authorize(&*api, &headers, uri.query(), {{ sec.alternatives_lit }}).await {
{% if sec.optional %}
        Ok(principal) => principal,
{% else %}
        Ok(Some(principal)) => principal,
        Ok(None) => return unauthorized({{ sec.alternatives_lit }}),
{% endif %}
        Err(response) => return response,
    };
{% endif %}
{% if !op.path_params.is_empty() %}
    let path = match path {
        Ok(raw) => raw,
        Err(e) => return reject(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["path"], e.body_text()),
    };
{% for p in op.path_params %}
    let {{ p.local }}: {{ p.ty }} = match path_param(&path, {{ p.key_lit }}, {{ p.wire_lit }}) {
        Ok(value) => value,
        Err(rejected) => return rejected.into_response(),
    };
{% endfor %}
{% endif %}
{% if op.query_has_plain %}
    let query = query_pairs(raw_query.as_deref());
{% endif %}
{% if let Some(b) = op.body %}
{% match b.kind %}
{% when BodyKind::Json %}
    let payload = match payload {
        Ok(bytes) => bytes,
        Err(e) => return unreadable_body(e.status(), e.body_text()),
    };
    let payload = match json_body::<{{ b.inner_ty }}>(&headers, &payload) {
{% if b.required %}
        Ok(Some(v)) => v,
        Ok(None) => return reject(StatusCode::UNPROCESSABLE_ENTITY, "missing", &["body"], "request body is required"),
{% else %}
        Ok(v) => v,
{% endif %}
        Err(rejected) => return rejected.into_response(),
    };
{% when BodyKind::Form %}
    let payload = match payload {
        Ok(axum::Form(v)) => {% if b.required %}v{% else %}Some(v){% endif %},
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return unreadable_body(e.status(), e.body_text()),
        Err(e) => return reject(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["body"], e.body_text()),
    };
{% when BodyKind::Text %}
    let payload = match payload {
        Ok(v) => {% if b.required %}v{% else %}Some(v).filter(|s| !s.is_empty()){% endif %},
        Err(e) => return unreadable_body(e.status(), e.body_text()),
    };
{% when BodyKind::Bytes %}
    let payload = match payload {
        Ok(bytes) => {% if b.required %}bytes.to_vec(){% else %}Some(bytes.to_vec()).filter(|b| !b.is_empty()){% endif %},
        Err(e) => return unreadable_body(e.status(), e.body_text()),
    };
{% when BodyKind::Multipart %}
{% if let Some(mp) = b.multipart %}
    let payload = match payload {
{% if !b.required %}
        _ if !headers.contains_key(axum::http::header::CONTENT_TYPE) => None,
{% endif %}
        Ok(multipart) => match {{ mp.reader }}(multipart).await {
            Ok(v) => {% if b.required %}v{% else %}Some(v){% endif %},
            Err(rejected) => return rejected.into_response(),
        },
        Err(e) => return multipart_rejection(&headers, e),
    };
{% endif %}
{% when BodyKind::Choice %}
    let payload = match media_type(&headers).as_str() {
{% if !b.required %}
        "" => None,
{% endif %}
{% for c in b.choices %}
{% match c.kind %}
{% when BodyKind::Json %}
        media if media == "application/json" || media.ends_with("+json") => {
            let bytes = match axum::body::Bytes::from_request(payload, &()).await {
                Ok(bytes) => bytes,
                Err(e) => return unreadable_body(e.status(), e.body_text()),
            };
            match json_body::<{{ c.ty }}>(&headers, &bytes) {
                Ok(v) => v.map({{ b.inner_ty }}::Json),
                Err(rejected) => return rejected.into_response(),
            }
        }
{% when BodyKind::Form %}
        "application/x-www-form-urlencoded" => match axum::Form::<{{ c.ty }}>::from_request(payload, &()).await {
            Ok(axum::Form(v)) => Some({{ b.inner_ty }}::Form(v)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return unreadable_body(e.status(), e.body_text()),
            Err(e) => return reject(StatusCode::UNPROCESSABLE_ENTITY, "value_error", &["body"], e.body_text()),
        },
{% when BodyKind::Multipart %}
{% if let Some(mp) = c.multipart %}
        "multipart/form-data" => match axum::extract::Multipart::from_request(payload, &()).await {
            Ok(multipart) => match {{ mp.reader }}(multipart).await {
                Ok(v) => Some({{ b.inner_ty }}::Multipart(v)),
                Err(rejected) => return rejected.into_response(),
            },
            Err(e) => return multipart_rejection(&headers, e),
        },
{% endif %}
{% when BodyKind::Text %}
        media if media.starts_with("text/") => match String::from_request(payload, &()).await {
            Ok(v) => Some({{ b.inner_ty }}::Text(v)),
            Err(e) => return unreadable_body(e.status(), e.body_text()),
        },
{% when _ %}
        _ => match axum::body::Bytes::from_request(payload, &()).await {
            Ok(v) => Some({{ b.inner_ty }}::Bytes(v.to_vec())).filter(|_| !v.is_empty()),
            Err(e) => return unreadable_body(e.status(), e.body_text()),
        },
{% endmatch %}
{% endfor %}
{% if !b.accepts_any %}
        other => return reject(StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type", &["header", "content-type"], format!("unsupported media type `{other}`")),
{% endif %}
    };
{% if b.required %}
    let Some(payload) = payload else {
        return reject(StatusCode::UNPROCESSABLE_ENTITY, "missing", &["body"], "request body is required");
    };
{% endif %}
{% endmatch %}
{% endif %}
    {% if op.clamps_page_size %}let mut{% else %}let{% endif %} request = {{ op.request_type }} {
{% for p in op.path_params %}        {{ p.name }}: {{ p.local }},
{% endfor %}
{% for p in op.query_params %}
{% if p.deep_object %}
        {{ p.name }}: match deep_object_param::<{{ p.inner_ty }}>(uri.query(), {{ p.wire_lit }}) {
{% call take_param(p, "query", "query parameter") %}{% endcall %}
        },
{% else if let Some(d) = p.delimiter %}
        {{ p.name }}: match split_list::<{{ p.item_ty }}>(query_raw(&query, {{ p.wire_lit }}), {{ d }}, {{ p.wire_lit }}) {
{% call take_param(p, "query", "query parameter") %}{% endcall %}
        },
{% else if p.is_list %}
        {{ p.name }}: match query_list::<{{ p.item_ty }}>(&query, {{ p.wire_lit }}) {
{% call take_param(p, "query", "query parameter") %}{% endcall %}
        },
{% else %}
        {{ p.name }}: match query_scalar::<{{ p.inner_ty }}>(&query, {{ p.wire_lit }}) {
{% call take_param(p, "query", "query parameter") %}{% endcall %}
        },
{% endif %}
{% endfor %}
{% for p in op.header_params %}
        {{ p.name }}: match header_param::<{{ p.inner_ty }}>(&headers, {{ p.wire_lit }}) {
{% call take_param(p, "header", "header") %}{% endcall %}
        },
{% endfor %}
{% for p in op.cookie_params %}
        {{ p.name }}: match cookie_param::<{{ p.inner_ty }}>(&headers, {{ p.wire_lit }}) {
{% call take_param(p, "cookie", "cookie") %}{% endcall %}
        },
{% endfor %}
{% if let Some(b) = op.body %}        {{ b.name }}: payload,
{% endif %}
    };
{% if let Some(pg) = op.pagination %}{% if op.clamps_page_size %}{% if let Some(limit) = pg.limit %}{% if let Some(max) = pg.limit_max_lit %}
    if page_size.is_some_and(|axum::Extension(p)| p == {{ rt }}::PageSizePolicy::Clamp) {
{% if pg.limit_required %}        request.{{ limit }} = request.{{ limit }}.min({{ max }});
{% else %}        request.{{ limit }} = request.{{ limit }}.map(|v| v.min({{ max }}));
{% endif %}
    }
{% endif %}{% endif %}{% endif %}{% endif %}
{% if op.validates %}
    let mut violations = Vec::new();
    let mut loc = Vec::new();
{% for p in op.path_params %}{% call check_param(p, "path") %}{% endcall %}{% endfor %}
{% for p in op.query_params %}{% call check_param(p, "query") %}{% endcall %}{% endfor %}
{% for p in op.header_params %}{% call check_param(p, "header") %}{% endcall %}{% endfor %}
{% for p in op.cookie_params %}{% call check_param(p, "cookie") %}{% endcall %}{% endfor %}
{% if let Some(b) = op.body %}
{% if b.rules.is_some() || b.validate %}
    loc.clear();
    loc.push(LocPart::key("body"));
{% if let Some(r) = b.rules %}    request.{{ b.name }}.check(&{{ r }}, &mut loc, &mut violations);
{% endif %}
{% if b.validate %}    request.{{ b.name }}.validate(&mut loc, &mut violations);
{% endif %}
{% endif %}
{% endif %}
    if !violations.is_empty() {
        return unprocessable(violations);
    }
{% endif %}
{% if op.post_process %}
{% if let Some(pg) = op.pagination %}{% if pg.server_links %}
    let page_at = {% if pg.param_required %}request.{{ pg.param }}{% else %}request.{{ pg.param }}.unwrap_or({{ pg.start_lit }}){% endif %} as i128;
{% if let Some(limit) = pg.limit %}
    let page_size = {% if pg.limit_required %}Some(request.{{ limit }} as i128){% else %}request.{{ limit }}.map(|v| v as i128){% if let Some(d) = pg.limit_default_lit %}.or(Some({{ d }})){% endif %}{% endif %};
{% else %}
    let page_size: Option<i128> = None;
{% endif %}
    let result = api.{{ op.fn_name }}(request{% if op.security.is_some() %}, principal{% endif %}).await;
    let page_len = result.as_ref().ok().and_then(|r| r.page_len());
    let mut response = match result {
        Ok(response) => response.into_response(),
        Err(error) => error.into_response(),
    };
    if let Some(returned) = page_len {
        page_links(&mut response, &uri, {{ pg.param_wire_lit }}, PageCounter { at: page_at, first: {{ pg.start_lit }}, size: page_size, offset: {{ pg.server_offset }} }, returned);
    }
{% endif %}{% endif %}
{% if !op.server_links %}
    let {% if op.deprecated %}mut {% endif %}response = match api.{{ op.fn_name }}(request{% if op.security.is_some() %}, principal{% endif %}).await {
        Ok(response) => response.into_response(),
        Err(error) => error.into_response(),
    };
{% endif %}
{% if op.deprecated %}    response.headers_mut().insert("deprecation", axum::http::HeaderValue::from_static("true"));
{% endif %}
{% if op.auto_etag %}    with_etag(&headers, response).await
{% else %}    response
{% endif %}
}
{% else %}
    match api.{{ op.fn_name }}(request{% if op.security.is_some() %}, principal{% endif %}).await {
        Ok(response) => response.into_response(),
        Err(error) => error.into_response(),
    }
}
{% endif %}
{% endfor %}
