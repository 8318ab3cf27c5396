//! Server for {{ title }}: the generated contract lives in [`generated`] (rewritten
//! on every run), your code in [`handlers`].

pub mod generated;
pub mod handlers;

{% if modules.is_empty() %}pub use generated::{api, models, router};
{% else %}pub use generated::{app, ServerConfig{% for m in modules %}, {{ m }}{% endfor %}};
{% endif %}
