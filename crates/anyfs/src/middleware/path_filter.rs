//! `path_filter` middleware (placeholder until implemented).
