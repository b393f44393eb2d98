//! `rate_limit` middleware (placeholder until implemented).
