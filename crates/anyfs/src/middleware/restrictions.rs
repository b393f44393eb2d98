//! `restrictions` middleware (placeholder until implemented).
