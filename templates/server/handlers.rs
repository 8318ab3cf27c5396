//! Your implementation of the API. Every method answers 501 Not Implemented until you
//! write it; oapi-forge never overwrites this file.

use crate::generated::api::*;

/// The handlers of the API. Add your state (database pools, clients …) as fields.
#[derive(Debug, Default, Clone)]
pub struct Handlers {}

impl Api for Handlers {
{% for op in api.operations %}
    async fn {{ op.fn_name }}(&self, _request: {{ op.request_type }}) -> Result<{{ op.response_type }}, HandlerError> {
        Err(HandlerError::not_implemented({{ op.id_lit }}))
    }
{% endfor %}
}
