//! `SqliteBackend` (placeholder until implemented).

/// Placeholder.
#[derive(Debug, Default)]
pub struct SqliteBackend {}
