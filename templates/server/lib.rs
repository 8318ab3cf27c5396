//! Server for {{ api.title }}: the generated contract lives in [`generated`] (rewritten
//! on every run), your code in [`handlers`].

pub mod generated;
pub mod handlers;

pub use generated::{api, models, router};
