#![allow(clippy::large_enum_variant, clippy::result_large_err, clippy::type_complexity, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
{% if api.operations.is_empty() %}// The spec has no operations: the transport below is not used yet.
#![allow(dead_code)]
{% endif %}
//! The client: one method per operation. Required parameters are arguments; the
//! method returns a request builder with one setter per optional parameter, sent with
//! `.send().await` (or just `.await`).

use std::sync::Arc;
use std::time::Duration;

{% if api.facts.ops_use_models %}use super::models;{% endif %}

/// An error from a caller-supplied hook (a [`TokenSource`]).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

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
        /// Response headers.
        headers: reqwest::header::HeaderMap,
        /// Raw response body.
        body: Vec<u8>,
        /// What the decoder said.
        message: String,
    },
    /// The request or the response took longer than the configured timeout.
    Timeout(reqwest::Error),
    /// The request could not be sent or the response not read (connection refused
    /// or reset, truncated body, TLS …).
    Transport(reqwest::Error),
    /// A credential could not be obtained from its [`TokenSource`].
    Auth(BoxError),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Timeout(e) | Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Api(_) | Error::Auth(_) => None,
        }
    }
}

impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api(e) => write!(f, "error response: {e:?}"),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "unexpected status {status}: {}", String::from_utf8_lossy(body))
            }
            Error::Decode { status, message, .. } => write!(f, "cannot decode response with status {status}: {message}"),
            Error::Timeout(e) => write!(f, "timed out: {e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Auth(e) => write!(f, "cannot obtain a credential: {e}"),
        }
    }
}

impl<E: std::fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Transport(e) => Some(e),
            Error::Auth(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

fn transport_error<E>(e: reqwest::Error) -> Error<E> {
    if e.is_timeout() { Error::Timeout(e) } else { Error::Transport(e) }
}

/// When and how often a request is retried.
///
/// Retries happen on connection failures, timeouts and `429`/`502`/`503`/`504`
/// answers, after `Retry-After` when the server sends it and an exponential backoff
/// with jitter otherwise. Only idempotent methods (all but POST and PATCH) are
/// retried unless `retry_non_idempotent` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Upper bound of the backoff.
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the answer is returned.
    pub max_retry_after: Duration,
    /// Retry POST and PATCH too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: {{ opts.client_retries }},
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// Backoff before retry number `attempt` (0-based): exponential, with jitter
    /// between half and all of it.
    fn backoff(&self, attempt: u32) -> Duration {
        let full = self.initial_backoff.saturating_mul(2u32.saturating_pow(attempt)).min(self.max_backoff);
        let half = full / 2;
        let jitter = (random_u64() % 1000) as u32;
        half + (full - half) * jitter / 1000
    }
}

/// A random number from the standard library's per-process hash keys (no extra
/// dependency; good enough for jitter and request ids).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
    hasher.finish()
}

/// A random (version 4) UUID for the request id header.
fn new_request_id() -> String {
    let (a, b) = (random_u64(), random_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// The delay a `Retry-After` header asks for (delta-seconds or an HTTP date).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(value: &str) -> Option<u64> {
    let mut parts = value.split_whitespace().skip(1);
    let day: u64 = parts.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let name = parts.next()?.get(..3)?;
    let month = MONTHS.iter().position(|m| *m == name)? as u64 + 1;
    let year: u64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|n| n.parse::<u64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if year < 1970 || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, mo) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}
{% if api.facts.server_auth && api.facts.auth_token %}

/// Supplies bearer tokens (OAuth2, OpenID Connect, http bearer). Implement it to
/// fetch and refresh tokens (e.g. an OAuth2 client-credentials grant); a `String`
/// is a fixed token.
pub trait TokenSource: Send + Sync + 'static {
    /// The current token, without the `Bearer ` prefix.
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, BoxError>> + Send + '_>>;
}

impl TokenSource for String {
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, BoxError>> + Send + '_>> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl TokenSource for &'static str {
    fn token(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, BoxError>> + Send + '_>> {
        Box::pin(std::future::ready(Ok((*self).to_string())))
    }
}
{% endif %}
{% if api.facts.server_auth %}

/// The security schemes of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
{% for s in api.security_schemes %}
{% for line in s.doc %}///{{ line }}
{% endfor %}
    {{ s.variant }},
{% endfor %}
}

/// A credential held by the client.
#[derive(Clone)]
enum Credential {
{% if api.facts.server_auth && api.facts.auth_token %}    Token(Arc<dyn TokenSource>),
{% endif %}
{% if api.facts.auth_basic %}    Basic(String, String),
{% endif %}
{% if api.facts.auth_text %}    Text(String),
{% endif %}
}

/// What each operation accepts: alternatives, each a list of schemes (with OAuth2
/// scopes) that must all be present; an empty alternative is anonymous access.
type Requirements = &'static [&'static [(Scheme, &'static [&'static str])]];
{% endif %}

/// An operation's decoder: status, headers and body to its typed result.
type Decoder<T, E> = fn(u16, reqwest::header::HeaderMap, &[u8]) -> Result<Response<T>, Error<E>>;

/// A decoded response with its status and headers (from `send_with_headers`).
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub body: T,
}

{% if api.facts.multipart_files %}
/// A file to send in a multipart body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// The file name sent with it, if any.
    pub file_name: Option<String>,
    /// Its media type, if any (`application/octet-stream` is assumed otherwise).
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file with this content.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart { file_name: None, content_type: None, bytes: bytes.into() }
    }

    /// Set the file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Set the media type.
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }

    fn into_part(self) -> Result<reqwest::multipart::Part, reqwest::Error> {
        let mut part = reqwest::multipart::Part::bytes(self.bytes);
        if let Some(name) = self.file_name {
            part = part.file_name(name);
        }
        match self.content_type {
            Some(media_type) => part.mime_str(&media_type),
            None => Ok(part),
        }
    }
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

impl {{ mp.name }} {
    /// The multipart form to send.
    fn into_form(self) -> Result<reqwest::multipart::Form, reqwest::Error> {
        #[allow(unused_mut)]
        let mut form = reqwest::multipart::Form::new();
{% for f in mp.fields %}
{% if f.list %}
        for value in self.{{ f.name }} {
{% if f.file %}            form = form.part({{ f.wire_lit }}, value.into_part()?);{% else %}            form = form.text({{ f.wire_lit }}, param_string(&value));{% endif %}
        }
{% else if f.required %}
{% if f.file %}        form = form.part({{ f.wire_lit }}, self.{{ f.name }}.into_part()?);{% else %}        form = form.text({{ f.wire_lit }}, param_string(&self.{{ f.name }}));{% endif %}
{% else %}
        if let Some(value) = self.{{ f.name }} {
{% if f.file %}            form = form.part({{ f.wire_lit }}, value.into_part()?);{% else %}            form = form.text({{ f.wire_lit }}, param_string(&value));{% endif %}
        }
{% endif %}
{% endfor %}
        Ok(form)
    }
}
{% endfor %}
{% endif %}
{% for op in api.operations %}{% if let Some(b) = op.body %}{% if b.kind == BodyKind::Choice %}

/// The body of [`Client::{{ op.fn_name }}`], in the media type you choose.
#[derive(Debug, Clone)]
pub enum {{ b.inner_ty }} {
{% for c in b.choices %}
    /// Sent as `{{ c.media }}`.
    {{ c.variant }}({{ c.ty }}),
{% endfor %}
}
{% endif %}{% endif %}{% endfor %}

/// Builds a [`Client`].
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    headers: reqwest::header::HeaderMap,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    request_id_header: Option<reqwest::header::HeaderName>,
{% if api.facts.server_auth %}
    credentials: Vec<(Scheme, Credential)>,
{% endif %}
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder").field("base_url", &self.base_url).field("retry", &self.retry).finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Total time a request may take (each attempt), from connecting to the last
    /// byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for connecting.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: reqwest::header::HeaderName, value: reqwest::header::HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Use this `reqwest::Client` (shared connection pool, proxies …). Timeouts,
    /// user agent and default headers set on this builder are then ignored:
    /// configure them on that client.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Header carrying a request id generated per call (kept across its retries)
    /// unless the request already has one; `None` sends none. Default
    /// `x-request-id`.
    pub fn request_id_header(mut self, name: Option<reqwest::header::HeaderName>) -> Self {
        self.request_id_header = name;
        self
    }
{% if api.facts.server_auth %}
{% for s in api.security_schemes %}

{% for line in s.doc %}    ///{{ line }}
{% endfor %}
{% match s.kind %}
{% when SchemeKind::Bearer %}
    pub fn {{ s.setter }}(mut self, token: impl TokenSource) -> Self {
        self.credentials.push((Scheme::{{ s.variant }}, Credential::Token(Arc::new(token))));
        self
    }
{% when SchemeKind::Basic %}
    pub fn {{ s.setter }}(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.push((Scheme::{{ s.variant }}, Credential::Basic(username.into(), password.into())));
        self
    }
{% when SchemeKind::Authorization %}
    pub fn {{ s.setter }}(mut self, authorization: impl Into<String>) -> Self {
        self.credentials.push((Scheme::{{ s.variant }}, Credential::Text(authorization.into())));
        self
    }
{% when _ %}
    pub fn {{ s.setter }}(mut self, key: impl Into<String>) -> Self {
        self.credentials.push((Scheme::{{ s.variant }}, Credential::Text(key.into())));
        self
    }
{% endmatch %}
{% endfor %}
{% endif %}

    /// The client. Fails only when the HTTP client cannot be built (a user agent
    /// that is not a valid header value, TLS initialisation).
    pub fn build(self) -> Result<Client, reqwest::Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().default_headers(self.headers);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                if let Some(user_agent) = self.user_agent {
                    builder = builder.user_agent(user_agent);
                }
                builder.build()?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url: self.base_url.trim_end_matches('/').to_string(),
                http,
                retry: self.retry,
                request_id_header: self.request_id_header,
{% if api.facts.server_auth %}
                credentials: self.credentials,
{% endif %}
            }),
        })
    }
}

/// The client of the API. Cloning is cheap: clones share one connection pool and
/// configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    http: reqwest::Client,
    retry: RetryPolicy,
    request_id_header: Option<reqwest::header::HeaderName>,
{% if api.facts.server_auth %}
    credentials: Vec<(Scheme, Credential)>,
{% endif %}
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.inner.base_url).finish_non_exhaustive()
    }
}
{% if let Some(url) = api.default_server_lit %}

/// The URL of the spec's first server (variables at their defaults).
pub const DEFAULT_BASE_URL: &str = {{ url }};

impl Default for Client {
    /// A client for the spec's first server.
    fn default() -> Self {
        Self::new(DEFAULT_BASE_URL)
    }
}
{% endif %}
{% if let Some(server) = api.server_template %}

/// The spec's first server URL with its `{variables}` replaced: each given
/// `(name, value)` pair wins over the variable's default.
pub fn server_url(variables: &[(&str, &str)]) -> String {
    let mut url = String::from({{ server.template_lit }});
{% for v in server.variables %}
    let value = variables.iter().find(|(name, _)| *name == {{ v.0 }}).map_or({{ v.1 }}, |(_, value)| *value);
    url = url.replace({{ v.2 }}, value);
{% endfor %}
    url
}
{% endif %}

impl Client {
    /// A client sending requests to `base_url` (e.g. `https://api.example.com/v1`)
    /// with default settings.
    pub fn new(base_url: impl Into<String>) -> Self {
{% if let Some(t) = opts.client_timeout_secs %}
        // The generator's configured default timeout; a client that cannot be built
        // with it (TLS initialisation failed) falls back to reqwest's defaults.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs({{ t }}))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self::with_client(base_url, http)
{% else %}
        Self::with_client(base_url, reqwest::Client::new())
{% endif %}
    }

    /// A client using a `reqwest::Client` you configured (timeouts, proxies, pool).
    pub fn with_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        Client {
            inner: Arc::new(Inner {
                base_url: base_url.into().trim_end_matches('/').to_string(),
                http,
                retry: RetryPolicy::default(),
                request_id_header: Some(reqwest::header::HeaderName::from_static("x-request-id")),
{% if api.facts.server_auth %}
                credentials: Vec::new(),
{% endif %}
            }),
        }
    }

    /// A builder for a client sending requests to `base_url`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            timeout: {% if let Some(t) = opts.client_timeout_secs %}Some(Duration::from_secs({{ t }})){% else %}None{% endif %},
            connect_timeout: None,
            user_agent: None,
            headers: reqwest::header::HeaderMap::new(),
            http: None,
            retry: RetryPolicy::default(),
            request_id_header: Some(reqwest::header::HeaderName::from_static("x-request-id")),
{% if api.facts.server_auth %}
            credentials: Vec::new(),
{% endif %}
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }
{% if api.facts.server_auth %}

    /// Add the credentials of the first (non-anonymous) alternative the client holds
    /// every credential for; none when there is no such alternative (the server
    /// then answers 401 unless anonymous access is allowed).
    async fn authorize<E>(&self, mut request: reqwest::RequestBuilder, requirements: Requirements) -> Result<reqwest::RequestBuilder, Error<E>> {
        let held = |scheme: &Scheme| self.inner.credentials.iter().find(|(s, _)| s == scheme).map(|(_, c)| c);
        let Some(chosen) = requirements
            .iter()
            .find(|alternative| !alternative.is_empty() && alternative.iter().all(|(scheme, _)| held(scheme).is_some()))
        else {
            return Ok(request);
        };
        for (scheme, _) in chosen.iter() {
            let Some(credential) = held(scheme) else { continue };
            request = match (scheme, credential) {
{% if api.facts.server_auth && api.facts.auth_token %}
                (_, Credential::Token(source)) => {
                    let token = source.token().await.map_err(Error::Auth)?;
                    request.bearer_auth(token)
                }
{% endif %}
{% if api.facts.auth_basic %}
                (_, Credential::Basic(username, password)) => request.basic_auth(username, Some(password)),
{% endif %}
{% if api.facts.auth_text %}
                (_, Credential::Text(value)) => match scheme {
{% for s in api.security_schemes %}
{% match s.kind %}
{% when SchemeKind::ApiKeyHeader %}                    Scheme::{{ s.variant }} => request.header({{ s.key_lit }}, value),
{% when SchemeKind::ApiKeyQuery %}                    Scheme::{{ s.variant }} => request.query(&[({{ s.key_lit }}, value)]),
{% when SchemeKind::ApiKeyCookie %}                    Scheme::{{ s.variant }} => request.header(reqwest::header::COOKIE, format!("{}={value}", {{ s.key_lit }})),
{% when SchemeKind::Authorization %}                    Scheme::{{ s.variant }} => request.header(reqwest::header::AUTHORIZATION, value),
{% when _ %}
{% endmatch %}
{% endfor %}
{% if api.facts.auth_token || api.facts.auth_basic %}                    _ => request,
{% endif %}
                },
{% endif %}
            };
        }
        Ok(request)
    }
{% endif %}

    /// Send an operation's request and decode the answer with its `decode`: the one
    /// body behind every operation's `send_with_headers` (generic, so that the
    /// crate holds one state machine instead of one per operation).
    async fn call<T, E>(&self, request: Result<reqwest::RequestBuilder, Error<E>>, {% if api.facts.server_auth %}requirements: Option<Requirements>, {% endif %}idempotent: bool, operation: &'static str, decode: Decoder<T, E>) -> Result<Response<T>, Error<E>> {
        let http_response = self.dispatch(request, {% if api.facts.server_auth %}requirements, {% endif %}idempotent, operation).await?;
        let http_status = http_response.status().as_u16();
        let http_headers = http_response.headers().clone();
        let http_body = http_response.bytes().await.map_err(transport_error)?;
        decode(http_status, http_headers, &http_body)
    }

    /// [`Client::call`], keeping only the decoded body.
    async fn call_body<T, E>(&self, request: Result<reqwest::RequestBuilder, Error<E>>, {% if api.facts.server_auth %}requirements: Option<Requirements>, {% endif %}idempotent: bool, operation: &'static str, decode: Decoder<T, E>) -> Result<T, Error<E>> {
        self.call(request, {% if api.facts.server_auth %}requirements, {% endif %}idempotent, operation, decode).await.map(|response| response.body)
    }

    /// Add the credentials the operation asks for, then send with retries.
    async fn dispatch<E>(&self, request: Result<reqwest::RequestBuilder, Error<E>>, {% if api.facts.server_auth %}requirements: Option<Requirements>, {% endif %}idempotent: bool, operation: &'static str) -> Result<reqwest::Response, Error<E>> {
        let request = request?;
{% if api.facts.server_auth %}
        let request = match requirements {
            Some(requirements) => self.authorize(request, requirements).await?,
            None => request,
        };
{% endif %}
        self.execute(request, idempotent, operation).await
    }

    /// Send `request`, retrying as the [`RetryPolicy`] allows.
    async fn execute<E>(&self, request: reqwest::RequestBuilder, idempotent: bool, operation: &'static str) -> Result<reqwest::Response, Error<E>> {
        let mut request = request.build().map_err(transport_error)?;
        if let Some(name) = &self.inner.request_id_header
            && !request.headers().contains_key(name)
            && let Ok(value) = reqwest::header::HeaderValue::from_str(&new_request_id())
        {
            request.headers_mut().insert(name.clone(), value);
        }
        let policy = &self.inner.retry;
        let may_retry = idempotent || policy.retry_non_idempotent;
        let mut attempt = 0;
        loop {
            let again = if may_retry && attempt < policy.max_retries { request.try_clone() } else { None };
            let outcome = self.send_once(request, operation, attempt).await;
            let Some(again) = again else {
                return outcome.map_err(transport_error);
            };
            let delay = match &outcome {
                Ok(response) => match response.status().as_u16() {
                    429 | 503 => retry_after(response.headers()).unwrap_or_else(|| policy.backoff(attempt)),
                    502 | 504 => policy.backoff(attempt),
                    _ => return outcome.map_err(transport_error),
                },
                Err(e) if e.is_connect() || e.is_timeout() || e.is_request() => policy.backoff(attempt),
                Err(_) => return outcome.map_err(transport_error),
            };
            if delay > policy.max_retry_after {
                return outcome.map_err(transport_error);
            }
            tokio::time::sleep(delay).await;
            request = again;
            attempt += 1;
        }
    }

    /// One attempt, in a `tracing` span when the `tracing` feature is on.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    async fn send_once(&self, request: reqwest::Request, operation: &'static str, attempt: u32) -> reqwest::Result<reqwest::Response> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::info_span!(
                "http_request",
                method = %request.method(),
                path = operation,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = std::time::Instant::now();
            let outcome = self.inner.http.execute(request).instrument(span.clone()).await;
            if let Ok(response) = &outcome {
                span.record("status", response.status().as_u16());
            }
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            outcome
        }
        #[cfg(not(feature = "tracing"))]
        self.inner.http.execute(request).await
    }
{% for op in api.operations %}

{% for line in op.doc %}    ///{{ line }}
{% endfor %}
{% if !op.doc.is_empty() %}    ///
{% endif %}
    /// `{{ op.method }} {{ op.path }}`
{% if op.deprecated %}    #[deprecated]
{% endif %}
{% if op.client_many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn {{ op.fn_name }}(
        &self,
{% for p in op.path_params %}        {{ p.name }}: impl Into<{{ p.inner_ty }}>,
{% endfor %}
{% for p in op.query_params %}{% if p.required %}        {{ p.name }}: impl Into<{{ p.inner_ty }}>,
{% endif %}{% endfor %}
{% for p in op.header_params %}{% if p.required %}        {{ p.name }}: impl Into<{{ p.inner_ty }}>,
{% endif %}{% endfor %}
{% for p in op.cookie_params %}{% if p.required %}        {{ p.name }}: impl Into<{{ p.inner_ty }}>,
{% endif %}{% endfor %}
{% if let Some(b) = op.body %}{% if b.required %}        {{ b.name }}: impl Into<{{ b.inner_ty }}>,
{% endif %}{% endif %}
    ) -> {{ op.request_type }}<'_> {
        {{ op.request_type }} {
            client: self,
{% for p in op.path_params %}            {{ p.name }}: {{ p.name }}.into(),
{% endfor %}
{% for p in op.query_params %}            {{ p.name }}: {% if p.required %}{{ p.name }}.into(){% else %}None{% endif %},
{% endfor %}
{% for p in op.header_params %}            {{ p.name }}: {% if p.required %}{{ p.name }}.into(){% else %}None{% endif %},
{% endfor %}
{% for p in op.cookie_params %}            {{ p.name }}: {% if p.required %}{{ p.name }}.into(){% else %}None{% endif %},
{% endfor %}
{% if let Some(b) = op.body %}            {{ b.name }}: {% if b.required %}{{ b.name }}.into(){% else %}None{% endif %},
{% endif %}
{% if op.client_follows_links %}            page_url: None,
{% endif %}
        }
    }
{% endfor %}
}
