//! `overlay` middleware (placeholder until implemented).
