//! Generated from the spec; do not edit (see the file header).

mod client;
pub mod models;

pub use client::*;
