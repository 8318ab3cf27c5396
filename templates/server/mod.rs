//! Generated from the spec; do not edit (see the file header).

pub mod api;
pub mod models;
pub mod router;
{% if runtime %}pub mod runtime;
{% endif %}
pub mod validation;
