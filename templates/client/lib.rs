//! Client for {{ title }}. The generated code lives in `generated/` (rewritten on
//! every run); add your own modules here.

mod generated;

pub use generated::*;
