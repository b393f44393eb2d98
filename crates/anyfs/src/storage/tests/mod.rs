//! FileStorage and resolver tests.
//!
//! Most resolution tests run over [`dumb::PathMap`], a backend that stores nodes by exact path
//! and resolves nothing itself (and panics if handed a non-canonical path, or a symlink where a
//! followed path was due). `MemoryBackend` resolves paths on its own, so over it a resolver that
//! did nothing would still pass; over `PathMap` only correct resolution passes. The tests in
//! `memory.rs` check the same behaviour end to end over `MemoryBackend`.

mod dumb;

mod boxed;
mod caching;
mod canonicalize;
mod inputs;
mod memory;
mod resolution;
