//! Unit tests of the path module: validation, normalization, every walk rule, the
//! canonicalization family, and properties (no panics, idempotence, fixpoints).

mod graph;
mod link_fs;

mod canonicalize;
mod normalize;
mod props;
mod validate;
mod walk_rules;
