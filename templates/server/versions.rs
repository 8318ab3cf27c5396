//! Generated from {{ versions.len() }} specs; do not edit (see the file header). Each API
//! version is a module of its own ({% for v in versions %}{% if !loop.first %}, {% endif %}[`{{ v.module }}`] at `{{ v.base_path }}`{% endfor %}); they
//! share one service: [`app`] mounts them all behind the middleware of [`runtime`].

use std::sync::Arc;

use axum::Router;

pub mod runtime;
{% for v in versions %}pub mod {{ v.module }};
{% endfor %}

pub use runtime::{serve, ErrorStyle, PageSizePolicy, Readiness, ServerConfig};

/// Every version under its base path (after `config.base_path`, empty by default),
/// each with its spec at `{base}/openapi.json`{% if serve_docs %}, Swagger UI at `/docs` listing every
/// version{% endif %}, and the production middleware of [`serve`]. `api` implements every
/// version's `Api` trait. A path without a version is routed to the one named by
/// `Accept-Version: 2` (or `v2`) or by a `version=2` media type parameter of
/// `Accept`.
pub fn app<A>(api: Arc<A>, config: &ServerConfig) -> Router
where
    A: {% for v in versions %}{% if !loop.first %} + {% endif %}{{ v.module }}::api::Api{% endfor %},
{
    let prefix = config.base_path.trim_end_matches('/');
    let routes = Router::new(){% for v in versions %}
        .merge({{ v.module }}::router::mounted(api.clone(), &format!("{prefix}{}", {{ v.module }}::router::BASE_PATH))){% endfor %};
{% if serve_docs %}
    // Swagger UI keeps its settings for the life of the process; the few bytes of each
    // URL are leaked once per `app` call, which builds the service once.
    let urls = [{% for v in versions %}({{ v.module_lit }}, {{ v.module }}::router::BASE_PATH), {% endfor %}].map(|(name, base)| {
        let url: &'static str = Box::leak(format!("{prefix}{base}/openapi.json").into_boxed_str());
        utoipa_swagger_ui::Url::new(name, url)
    });
    let routes = routes.merge(utoipa_swagger_ui::SwaggerUi::new("/docs").config(utoipa_swagger_ui::Config::new(urls)));
{% endif %}
    let prefix = prefix.to_string();
    let service = serve(routes, config);
    // Header and media-type versioning: a request without a version in its path is
    // routed to the version it asks for. Done before routing, so it wraps the router.
    Router::new().fallback_service(tower::ServiceExt::map_request(service, move |request| {
        route_by_version(request, &prefix)
    }))
}

/// Each version: its name in headers (`1` or `v1` for module `v1`) and its base path.
const VERSIONS: &[(&str, &str)] = &[{% for v in versions %}({{ v.module_lit }}, {{ v.module }}::router::BASE_PATH), {% endfor %}];

/// Paths of the service itself, never versioned.
const SERVICE_PATHS: &[&str] = &["/docs", "/openapi.json", "/healthz", "/readyz", "/metrics"];

/// The version a request asks for by `Accept-Version: 2` or a media type parameter
/// (`Accept: application/vnd.example+json; version=2`), when its path has none.
fn route_by_version(mut request: axum::extract::Request, prefix: &str) -> axum::extract::Request {
    let path = request.uri().path();
    let unversioned = path.strip_prefix(prefix).unwrap_or(path);
    let under = |root: &str| unversioned.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if VERSIONS.iter().any(|(_, base)| under(base)) || SERVICE_PATHS.iter().any(|root| under(root)) {
        return request;
    }
    let headers = request.headers();
    let wanted = headers
        .get("accept-version")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .or_else(|| {
            let accept = headers.get(axum::http::header::ACCEPT)?.to_str().ok()?;
            accept.split([',', ';']).find_map(|part| {
                let (key, value) = part.split_once('=')?;
                key.trim().eq_ignore_ascii_case("version").then(|| value.trim().trim_matches('"').to_string())
            })
        });
    let Some(wanted) = wanted else {
        return request;
    };
    let Some((_, base)) = VERSIONS.iter().find(|(module, _)| {
        module.eq_ignore_ascii_case(&wanted) || module.get(1..).is_some_and(|n| n.eq_ignore_ascii_case(&wanted))
    }) else {
        return request;
    };
    let target = match request.uri().query() {
        Some(query) => format!("{prefix}{base}{unversioned}?{query}"),
        None => format!("{prefix}{base}{unversioned}"),
    };
    if let Ok(uri) = target.parse() {
        *request.uri_mut() = uri;
    }
    request
}
