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
/// version's `Api` trait.
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
    serve(routes, config)
}
