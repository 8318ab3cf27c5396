//! The service around the operations: settings, middleware, `/healthz`, `/readyz`,
//! `/metrics` and error shaping. Independent of any one spec, so several API versions
//! share it.

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The body of every error the service answers, as documented in the served
/// `/openapi.json` (FastAPI's shape): `{"detail": "Not Found"}`, or for input that
/// cannot be accepted `{"detail": [{"type", "loc", "msg", "input"}]}`. With
/// [`ErrorStyle::Problem`] it is sent as a [`Problem`] instead.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub detail: ErrorDetail,
}

/// The `detail` of an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ErrorDetail {
    /// A sentence (401, 403, 404, 405, 408, 413, 500, and errors from handlers).
    Message(String),
    /// Every value that was refused (400, 415, 422, 429).
    Errors(Vec<ErrorItem>),
}

/// One refused value: where it is, what is wrong, and what was sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ErrorItem {
    /// Kind of error (`string_too_short`, `less_than_equal`, `json_invalid`, …).
    #[serde(rename = "type")]
    pub kind: std::borrow::Cow<'static, str>,
    /// Where: `["body", "pets", 0, "name"]`, `["query", "limit"]`.
    pub loc: Vec<LocPart>,
    /// Human-readable message.
    pub msg: String,
    /// The offending value, when there is one to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<serde_json::Value>,
}

/// One step of an error's location: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum LocPart {
    /// An array index.
    Index(usize),
    /// An object key (wire name), or where the value came from (`body`, `query`).
    Key(String),
}

impl LocPart {
    /// A key step.
    pub fn key(k: &str) -> Self {
        LocPart::Key(k.to_string())
    }
}

/// An RFC 9457 problem details body (`application/problem+json`), sent instead of
/// [`ErrorBody`] under [`ErrorStyle::Problem`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status' reason phrase.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The message, or a summary of `errors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Every refused value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorItem>,
}

impl ErrorBody {
    /// `{"detail": message}`.
    pub fn message(message: impl Into<String>) -> Self {
        ErrorBody { detail: ErrorDetail::Message(message.into()) }
    }

    /// `{"detail": [items…]}`.
    pub fn errors(items: Vec<ErrorItem>) -> Self {
        ErrorBody { detail: ErrorDetail::Errors(items) }
    }

    /// One refused value without an input to show.
    pub fn error(kind: &'static str, loc: &[&str], msg: impl std::fmt::Display) -> Self {
        Self::errors(vec![ErrorItem {
            kind: kind.into(),
            loc: loc.iter().map(|k| LocPart::key(k)).collect(),
            msg: msg.to_string(),
            input: None,
        }])
    }

    /// This body as a JSON response with `status`.
    pub fn response(&self, status: StatusCode) -> Response {
        let mut response = axum::Json(self).into_response();
        if response.status().is_success() {
            *response.status_mut() = status;
        }
        response
    }

    /// The same error as RFC 9457 problem details.
    pub fn into_problem(self, status: StatusCode) -> Problem {
        let title = status.canonical_reason().unwrap_or("Error").to_string();
        let (detail, errors) = match self.detail {
            ErrorDetail::Message(text) => (Some(text), Vec::new()),
            ErrorDetail::Errors(errors) => {
                let summary = match errors.as_slice() {
                    [one] => one.msg.clone(),
                    many => format!("{} invalid values", many.len()),
                };
                (Some(summary), errors)
            }
        };
        Problem { kind: "about:blank".to_string(), title, status: status.as_u16(), detail, errors }
    }
}

/// Production settings of the service (`app`, [`serve`]).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Path prefix the operations are mounted under (`/v1`); empty for the root.
    /// `/openapi.json` and `/docs` stay at the root.
    pub base_path: String,
    /// Largest accepted request body in bytes; larger ones get 413 (decided from
    /// `Content-Length` before reading, streamed bodies are cut at the limit).
    pub body_limit: usize,
    /// Time a request may take before it is answered with 408.
    pub timeout: std::time::Duration,
    /// Origins allowed by CORS; empty (the default) sends no CORS headers at all.
    pub cors_origins: Vec<axum::http::HeaderValue>,
    /// Shape of error bodies.
    pub error_style: ErrorStyle,
    /// Requests per minute allowed per client (credential, else peer address);
    /// `None` (the default) disables rate limiting. Excess requests get 429 with
    /// `Retry-After`.
    pub rate_limit_per_minute: Option<u32>,
    /// Compress responses (gzip) when the client accepts it.
    pub compression: bool,
    /// Serve Prometheus metrics at `/metrics`.
    pub metrics: bool,
    /// `Sunset` date (an HTTP date) announced with the `Deprecation` header of
    /// deprecated operations.
    pub sunset: Option<axum::http::HeaderValue>,
    /// What `/readyz` reports; set it to not ready when shutting down.
    pub readiness: Readiness,
    /// A page size over the spec's `maximum` on a paginated operation: refused with
    /// 422 (the default) or clamped to the maximum.
    pub page_size: PageSizePolicy,
}

/// What happens to a page size over the spec's maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageSizePolicy {
    /// 422, like every other constraint.
    #[default]
    Reject,
    /// Lowered to the maximum.
    Clamp,
}

/// Whether the service takes traffic (`/readyz`: 200 or 503). Clones share the flag.
#[derive(Debug, Clone)]
pub struct Readiness(Arc<std::sync::atomic::AtomicBool>);

impl Default for Readiness {
    fn default() -> Self {
        Readiness(Arc::new(std::sync::atomic::AtomicBool::new(true)))
    }
}

impl Readiness {
    /// Report ready (`true`) or not.
    pub fn set(&self, ready: bool) {
        self.0.store(ready, std::sync::atomic::Ordering::SeqCst);
    }

    /// The current state.
    pub fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// How error responses are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorStyle {
    /// FastAPI's `{"detail": …}` (a list of `{type, loc, msg, input}` for 422).
    #[default]
    FastApi,
    /// RFC 9457 `application/problem+json`: `{type, title, status, detail}`, with the
    /// violations of a 422 under `errors`.
    Problem,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            base_path: {{ base_path_lit }}.to_string(),
            body_limit: 2 * 1024 * 1024,
            timeout: std::time::Duration::from_secs(30),
            cors_origins: Vec::new(),
            error_style: ErrorStyle::{% if opts.problem_errors %}Problem{% else %}FastApi{% endif %},
            rate_limit_per_minute: None,
            compression: true,
            metrics: true,
            sunset: None,
            readiness: Readiness::default(),
            page_size: PageSizePolicy::Reject,
        }
    }
}

impl ServerConfig {
    /// Defaults overridden by `BASE_PATH`, `BODY_LIMIT_BYTES`, `REQUEST_TIMEOUT_SECS`,
    /// `CORS_ALLOW_ORIGINS` (comma-separated origins), `ERROR_STYLE` (`problem` for
    /// RFC 9457), `RATE_LIMIT_PER_MINUTE`, `COMPRESSION` (`off`), `METRICS` (`off`) and
    /// `SUNSET` (an HTTP date) and `PAGE_SIZE_OVER_MAX` (`clamp`). Unparsable values
    /// are ignored.
    pub fn from_env() -> Self {
        let mut config = ServerConfig::default();
        if let Ok(path) = std::env::var("BASE_PATH") {
            config.base_path = path;
        }
        if let Some(n) = std::env::var("BODY_LIMIT_BYTES").ok().and_then(|v| v.parse().ok()) {
            config.body_limit = n;
        }
        if let Some(n) = std::env::var("REQUEST_TIMEOUT_SECS").ok().and_then(|v| v.parse().ok()) {
            config.timeout = std::time::Duration::from_secs(n);
        }
        if std::env::var("ERROR_STYLE").is_ok_and(|v| v.eq_ignore_ascii_case("problem")) {
            config.error_style = ErrorStyle::Problem;
        }
        if let Some(n) = std::env::var("RATE_LIMIT_PER_MINUTE").ok().and_then(|v| v.parse().ok()) {
            config.rate_limit_per_minute = Some(n).filter(|n| *n > 0);
        }
        if std::env::var("PAGE_SIZE_OVER_MAX").is_ok_and(|v| v.eq_ignore_ascii_case("clamp")) {
            config.page_size = PageSizePolicy::Clamp;
        }
        if std::env::var("COMPRESSION").is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
            config.compression = false;
        }
        if std::env::var("METRICS").is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
            config.metrics = false;
        }
        if let Some(date) = std::env::var("SUNSET").ok().and_then(|v| axum::http::HeaderValue::from_str(&v).ok()) {
            config.sunset = Some(date);
        }
        if let Ok(origins) = std::env::var("CORS_ALLOW_ORIGINS") {
            config.cors_origins = origins
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .filter_map(|o| axum::http::HeaderValue::from_str(o).ok())
                .collect();
        }
        config
    }
}

/// `routes` with `/healthz`, `/readyz`, `/metrics` and the production middleware
/// (tracing with request ids, panics → 500, timeout → 408, body limit → 413, gzip,
/// rate limit → 429, CORS, JSON error bodies, `Sunset`).
pub fn serve(routes: Router, config: &ServerConfig) -> Router {
    let app = routes;
    let metrics = Arc::new(Metrics::default());
{% if serve_ops_endpoints %}
    let readiness = config.readiness.clone();
    let mut app = app
        .route("/healthz", axum::routing::get(|| async { axum::Json(serde_json::json!({ "status": "ok" })) }))
        .route(
            "/readyz",
            axum::routing::get(move || {
                let ready = readiness.get();
                async move {
                    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
                    (status, axum::Json(serde_json::json!({ "ready": ready })))
                }
            }),
        );
    if config.metrics {
        let metrics = metrics.clone();
        app = app.route("/metrics", axum::routing::get(move || std::future::ready(metrics.render())));
    }
{% endif %}
    let observed = Arc::new(Observed {
        metrics: config.metrics.then_some(metrics),
        sunset: config.sunset.clone(),
        ids: RequestIds::default(),
        rate_limit: config.rate_limit_per_minute.map(RateLimiter::new),
        body_limit: config.body_limit,
        timeout: config.timeout,
    });
    let cors = (!config.cors_origins.is_empty()).then(|| {
        tower_http::cors::CorsLayer::new()
            .allow_origin(config.cors_origins.clone())
            .allow_methods(tower_http::cors::Any)
            .allow_headers(tower_http::cors::Any)
    });
    // Only a page-size policy other than the default travels with the request.
    let page_size = (config.page_size != PageSizePolicy::default()).then_some(axum::Extension(config.page_size));
    // One composed stack (outermost first) rather than a `Router::layer` call per
    // middleware: every `Router::layer` boxes each route's service again, and the
    // router clones it for every request. Switched-off parts are not in the stack.
    let app = app.layer(
        tower::ServiceBuilder::new()
            .layer(ObserveLayer(observed))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
            .option_layer(cors)
            .option_layer(page_size)
            // What the body extractors read at most (a longer streamed body is cut
            // off there with 413); a longer `Content-Length` is refused by `Observe`.
            .layer(axum::extract::DefaultBodyLimit::max(config.body_limit)),
    );
    // Problem details reshape the JSON error bodies `Observe` makes; compression
    // changes the body type. Each is a layer of its own, outside, when switched on.
    let app = if config.error_style == ErrorStyle::Problem {
        app.layer(axum::middleware::map_response(problem_details))
    } else {
        app
    };
    if config.compression {
        app.layer(tower_http::compression::CompressionLayer::new())
    } else {
        app
    }
}

/// Request ids for requests that come without one: a random per-process prefix and
/// a counter (unique, cheap, and ordered within a process), in UUID form.
struct RequestIds {
    prefix: u64,
    counter: std::sync::atomic::AtomicU64,
}

impl Default for RequestIds {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        RequestIds { prefix: hasher.finish(), counter: std::sync::atomic::AtomicU64::new(1) }
    }
}

impl RequestIds {
    /// The next id. Shaped as a version 4 UUID, so that a spec declaring
    /// `X-Request-Id` with `format: uuid` accepts it: 62 random bits per process,
    /// 48 bits of counter. Written digit by digit (no formatting machinery).
    fn next(&self) -> axum::http::HeaderValue {
        fn hex(out: &mut [u8], value: u64) {
            let digits = out.len();
            for (i, byte) in out.iter_mut().enumerate() {
                *byte = b"0123456789abcdef"[((value >> (4 * (digits - 1 - i))) & 0xf) as usize];
            }
        }
        let n = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p = self.prefix;
        let mut id = *b"00000000-0000-4000-0000-000000000000";
        hex(&mut id[0..8], p >> 32);
        hex(&mut id[9..13], (p >> 16) & 0xffff);
        hex(&mut id[15..18], p & 0x0fff);
        hex(&mut id[19..23], 0x8000 | ((p >> 12) & 0x3fff));
        hex(&mut id[24..36], n & 0xffff_ffff_ffff);
        axum::http::HeaderValue::from_bytes(&id).unwrap_or(axum::http::HeaderValue::from_static("0"))
    }
}

/// What [`Observe`] shares between requests.
struct Observed {
    /// Where request counts and latencies go (`None` when `/metrics` is off).
    metrics: Option<Arc<Metrics>>,
    /// `Sunset` date sent next to `Deprecation`.
    sunset: Option<axum::http::HeaderValue>,
    /// Ids for requests that come without `x-request-id`.
    ids: RequestIds,
    /// Per-client budgets (`None` when rate limiting is off).
    rate_limit: Option<RateLimiter>,
    /// Largest `Content-Length` accepted.
    body_limit: usize,
    /// Time a request may take before it is answered with 408.
    timeout: std::time::Duration,
}

/// The outermost middleware, doing in one place what would otherwise take seven
/// layers (each cloned for every request): gives each request an `x-request-id`
/// (kept when the client sent one) and echoes it in the response, runs the request
/// in a `request` tracing span (method, URI, request id; `finished` at debug level,
/// 5xx at error level), refuses requests over their client's budget (429 with
/// `Retry-After`) and bodies announced over the limit (413, before anything is
/// read, so the client sees the answer instead of a reset), answers 408 when the
/// request takes longer than the timeout (the timer is only started for a request
/// that is not answered at once), records the response in the metrics, and shapes
/// it on its way out (JSON error bodies, `Sunset`). A plain tower layer rather than
/// `from_fn`/`map_response`, which box the inner service and its future.
#[derive(Clone)]
struct ObserveLayer(Arc<Observed>);

impl<S> tower::Layer<S> for ObserveLayer {
    type Service = Observe<S>;
    fn layer(&self, inner: S) -> Observe<S> {
        Observe { inner, observed: self.0.clone() }
    }
}

#[derive(Clone)]
struct Observe<S> {
    inner: S,
    observed: Arc<Observed>,
}

const X_REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

impl<S, B> tower::Service<axum::extract::Request> for Observe<S>
where
    S: tower::Service<axum::extract::Request, Response = axum::http::Response<B>>,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ObserveFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: axum::extract::Request) -> Self::Future {
        let id = match request.headers().get(X_REQUEST_ID) {
            Some(id) => id.clone(),
            None => {
                let id = self.observed.ids.next();
                request.headers_mut().insert(X_REQUEST_ID, id.clone());
                id
            }
        };
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            uri = %request.uri(),
            request_id = %id.to_str().unwrap_or(""),
        );
        let timing = Timing {
            method: request.method().clone(),
            // The route template, not the raw path: bounded label values.
            route: request.extensions().get::<axum::extract::MatchedPath>().cloned(),
            started: std::time::Instant::now(),
        };
        let too_long = request
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|length| length > self.observed.body_limit as u64);
        let (inner, refused) = if too_long {
            (None, Some(StatusCode::PAYLOAD_TOO_LARGE.into_response()))
        } else {
            match self.observed.rate_limit.as_ref().map_or(Ok(()), |limit| limit.take(client_key(&request))) {
                Ok(()) => {
                    let _entered = span.enter();
                    (Some(self.inner.call(request)), None)
                }
                Err(wait) => (None, Some(too_many_requests(wait))),
            }
        };
        ObserveFuture { inner, refused, deadline: None, observed: self.observed.clone(), id, span, timing: Some(timing) }
    }
}

/// When and what a request asked, for the metrics and the log.
struct Timing {
    method: axum::http::Method,
    route: Option<axum::extract::MatchedPath>,
    started: std::time::Instant,
}

pin_project_lite::pin_project! {
    /// The future of [`Observe`].
    struct ObserveFuture<F> {
        // `None` when the request was refused before reaching the service.
        #[pin]
        inner: Option<F>,
        refused: Option<Response>,
        // Started when the request is not answered at its first poll.
        deadline: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
        observed: Arc<Observed>,
        id: axum::http::HeaderValue,
        span: tracing::Span,
        timing: Option<Timing>,
    }
}

impl<F, B, E> std::future::Future for ObserveFuture<F>
where
    F: std::future::Future<Output = Result<axum::http::Response<B>, E>>,
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, E>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let mut this = self.project();
        let _entered = this.span.enter();
        let response = match (this.inner.as_mut().as_pin_mut(), this.refused.take()) {
            (Some(inner), _) => match inner.poll(cx) {
                std::task::Poll::Ready(response) => response?.map(axum::body::Body::new),
                std::task::Poll::Pending => {
                    // What is left of the timeout (`sleep` copes with durations too
                    // long to add to a clock reading).
                    let left = this.timing.as_ref().map_or(this.observed.timeout, |t| this.observed.timeout.saturating_sub(t.started.elapsed()));
                    let deadline = this.deadline.get_or_insert_with(|| Box::pin(tokio::time::sleep(left)));
                    std::task::ready!(deadline.as_mut().poll(cx));
                    // Out of time: the handler is dropped, the client told.
                    this.inner.set(None);
                    StatusCode::REQUEST_TIMEOUT.into_response()
                }
            },
            (None, Some(refused)) => refused,
            (None, None) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
        let status = response.status();
        if let Some(t) = this.timing.take() {
            let seconds = t.started.elapsed().as_secs_f64();
            if status.is_server_error() {
                tracing::error!(status = status.as_u16(), latency_ms = seconds * 1000.0, "response failed");
            } else {
                tracing::debug!(status = status.as_u16(), latency_ms = seconds * 1000.0, "finished processing request");
            }
            if let Some(metrics) = &this.observed.metrics {
                let route = t.route.as_ref().map_or("unmatched", |r| r.as_str());
                metrics.record(&t.method, route, status.as_u16(), seconds);
            }
        }
        let mut response = json_errors(response);
        let headers = response.headers_mut();
        headers.insert(X_REQUEST_ID, this.id.clone());
        if let Some(date) = &this.observed.sunset
            && headers.contains_key("deprecation")
        {
            headers.insert("sunset", date.clone());
        }
        std::task::Poll::Ready(Ok(response))
    }
}

/// Request counts and latency histograms, by route template, method and status.
#[derive(Default)]
struct Metrics {
    routes: std::sync::Mutex<FastMap<String, RouteStats>>,
}

#[derive(Default)]
struct RouteStats {
    requests: FastMap<(&'static str, u16), u64>,
    latency: FastMap<&'static str, Histogram>,
}

/// FNV-1a. The metrics' keys (route templates, method labels, statuses) are few and
/// not chosen by clients, so a fast hash without flooding resistance serves.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The method label: a standard method by name, any other as `OTHER` (a client must
/// not be able to add label values at will).
fn method_label(method: &axum::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => "OTHER",
    }
}

/// Upper bounds (seconds) of the latency buckets.
const BUCKETS: [f64; 11] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Metrics {
    fn record(&self, method: &axum::http::Method, route: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        // No allocation once a route has been seen.
        let stats = match routes.get_mut(route) {
            Some(stats) => stats,
            None => routes.entry(route.to_string()).or_default(),
        };
        *stats.requests.entry((method, status)).or_default() += 1;
        let h = stats.latency.entry(method).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

{% if serve_ops_endpoints %}
{% raw %}    /// The Prometheus text exposition format, sorted by route, method and status.
    fn render(&self) -> String {
        use std::fmt::Write;
        let mut requests = Vec::new();
        let mut latency = Vec::new();
        if let Ok(routes) = self.routes.lock() {
            for (route, stats) in routes.iter() {
                for ((method, status), n) in &stats.requests {
                    requests.push((route.clone(), *method, *status, *n));
                }
                for (method, h) in &stats.latency {
                    latency.push((route.clone(), *method, h.clone()));
                }
            }
        }
        requests.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
        latency.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut out = String::from("# HELP http_requests_total Requests by method, route and status.\n# TYPE http_requests_total counter\n");
        for (route, method, status, n) in requests {
            let _ = writeln!(out, "http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP http_request_duration_seconds Latency by method and route.\n# TYPE http_request_duration_seconds histogram\n");
        for (route, method, h) in latency {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(out, "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}");
            }
            let _ = writeln!(out, "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "http_request_duration_seconds_count{{{labels}}} {}", h.count);
        }
        out
    }
{% endraw %}
{% endif %}
}

/// A token bucket per client: `limit` requests per minute, bursts up to `limit`.
struct RateLimiter {
    limit: f64,
    buckets: std::sync::Mutex<std::collections::HashMap<u64, (f64, std::time::Instant)>>,
}

impl RateLimiter {
    fn new(limit: u32) -> Self {
        RateLimiter { limit: f64::from(limit), buckets: std::sync::Mutex::new(std::collections::HashMap::new()) }
    }

    /// Take a token for `client`; `Err(seconds)` to wait when there is none.
    fn take(&self, client: u64) -> Result<(), u64> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let now = std::time::Instant::now();
        if buckets.len() > 100_000 {
            // Forget idle clients (a full bucket is the same as no entry).
            let limit = self.limit;
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * limit / 60.0 < limit);
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.limit, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.limit / 60.0).min(self.limit);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) * 60.0 / self.limit).ceil().max(1.0) as u64)
        }
    }
}

/// The client a request counts against: its credential when it has one, else its
/// peer address (needs `into_make_service_with_connect_info`), else one shared key.
fn client_key(request: &axum::extract::Request) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let headers = request.headers();
    if let Some(credential) = headers.get(axum::http::header::AUTHORIZATION).or_else(|| headers.get("x-api-key")) {
        credential.as_bytes().hash(&mut hasher);
    } else if let Some(axum::extract::ConnectInfo(peer)) = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
        peer.ip().hash(&mut hasher);
    }
    hasher.finish()
}

/// 429 for a client over its budget, with `Retry-After` (seconds).
fn too_many_requests(wait: u64) -> Response {
    let mut response = ErrorBody::error("rate_limited", &["request"], "too many requests; retry later")
        .response(StatusCode::TOO_MANY_REQUESTS);
    response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(wait));
    response
}

/// Errors produced by middleware and the router (413, 408, 405, 404) come without a
/// body; give them the same JSON shape as every other error.
fn json_errors(response: Response) -> Response {
    let status = response.status();
    let has_body = response.headers().contains_key(axum::http::header::CONTENT_TYPE);
    if has_body || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let detail = status.canonical_reason().unwrap_or("error");
    let body = serde_json::to_string(&ErrorBody::message(detail)).unwrap_or_default();
    parts.headers.insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Reshape an error body as RFC 9457 problem details.
async fn problem_details(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    // Every error body is an `ErrorBody`; anything else keeps just the status.
    let body = serde_json::from_slice::<ErrorBody>(&bytes)
        .unwrap_or_else(|_| ErrorBody::message(status.canonical_reason().unwrap_or("Error")));
    let problem = serde_json::to_string(&body.into_problem(status)).unwrap_or_default();
    parts.headers.insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(problem))
}

/// A handler panicked: log it, answer 500 without leaking anything.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_string());
    tracing::error!(panic = %message, "handler panicked");
    ErrorBody::message("Internal Server Error").response(StatusCode::INTERNAL_SERVER_ERROR)
}

