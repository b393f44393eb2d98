//! `tracing` middleware (placeholder until implemented).
