//! `VRootFsBackend` (placeholder until implemented).

/// Placeholder.
#[derive(Debug, Default)]
pub struct VRootFsBackend {}
