//! Generated from the spec; do not edit (see the file header).

{% if versions.is_empty() %}mod client;
pub mod models;

pub use client::*;
{% else %}{% for v in versions %}pub mod {{ v.module }};
{% endfor %}{% endif %}
