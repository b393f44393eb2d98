//! `read_only` middleware (placeholder until implemented).
