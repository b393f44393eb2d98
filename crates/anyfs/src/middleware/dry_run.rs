//! `dry_run` middleware (placeholder until implemented).
