//! `quota` middleware (placeholder until implemented).
