//! `cache` middleware (placeholder until implemented).
