{% macro api_impl(api) %}
impl Api for Handlers {
{% if api.facts.server_auth %}
    /// Replace with your identity type (user id, claims …).
    type Principal = String;

    /// Verify credentials here (JWT signature and expiry, API key lookup …). Until
    /// you do, every credential is refused with 403.
    async fn authenticate(&self, scheme: Scheme, _credential: Credential, _scopes: &'static [&'static str]) -> Result<Self::Principal, AuthError> {
        Err(AuthError::forbidden(format!("authentication with `{}` is not implemented", scheme.name())))
    }
{% endif %}
{% for op in api.operations %}
{% if let Some(sec) = op.security %}
    async fn {{ op.fn_name }}(&self, _request: {{ op.request_type }}, _principal: {% if sec.optional %}Option<Self::Principal>{% else %}Self::Principal{% endif %}) -> Result<{{ op.response_type }}, HandlerError> {
        Err(HandlerError::not_implemented({{ op.id_lit }}))
    }
{% else %}
    async fn {{ op.fn_name }}(&self, _request: {{ op.request_type }}) -> Result<{{ op.response_type }}, HandlerError> {
        Err(HandlerError::not_implemented({{ op.id_lit }}))
    }
{% endif %}
{% endfor %}
}
{% endmacro %}
//! Your implementation of the API. Every method answers 501 Not Implemented until you
//! write it; oapi-forge never overwrites this file.

{% if versions.len() == 1 %}use crate::generated::api::*;
{% endif %}

/// The handlers of the API{% if versions.len() > 1 %} (every version){% endif %}. Add your state (database pools, clients …) as fields.
#[derive(Debug, Default, Clone)]
pub struct Handlers {}

{% if versions.len() == 1 %}{% for v in versions %}{% call api_impl(v.api) %}{% endcall %}{% endfor %}
{% else %}{% for v in versions %}
/// `{{ v.base_path }}`: [`crate::generated::{{ v.module }}`].
mod {{ v.module }} {
    use super::Handlers;
    use crate::generated::{{ v.module }}::api::*;

{% call api_impl(v.api) %}{% endcall %}
}
{% endfor %}{% endif %}
