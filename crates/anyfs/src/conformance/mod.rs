//! The conformance kit: one reusable suite that proves a backend (or a middleware stack, or
//! `FileStorage`) keeps the AnyFS contract. Feature `conformance`.
//!
//! ## What it checks
//!
//! Organised by trait layer, as the implementation plan lists it. Each section is a list of
//! named cases; each case is a function generic over the trait it needs, gets a *fresh*
//! backend from a factory, and checks results and the exact [`FsError`](crate::FsError)
//! variant and `code()` of every failure.
//!
//! | section | bound | what |
//! |---|---|---|
//! | [`layer1`] | [`Fs`] | every method of `FsRead`, `FsWrite`, `FsDir` |
//! | [`layer2`] | [`FsFull`] | `FsLink`, `FsPermissions`, `FsSync`, `FsStats`; `nlink`; POSIX timestamps |
//! | [`layer3`] | [`FsFuse`] | `FsInode`; inode stability |
//! | [`layer4`] | [`FsPosix`] | `FsHandles` (read_at/write_at, zero fill), `FsLock`, `FsXattr` |
//! | [`path_resolution`] | [`FsFull`] | `..` after directories and symlinks, chains, loops (`ELOOP`), depth limit |
//! | [`edge_cases`] | [`Fs`] | `//`, trailing `/`, empty, relative, NUL, invalid UTF-8, root, 255/4095-byte limits, Unicode |
//! | [`errors`] | [`Fs`] | `NotFound` everywhere, matchable and consistent errors, no panic on bad input |
//! | [`thread_safety`] | [`Fs`] | concurrent reads/writes, racing `create_dir_all`, `read_dir` during changes, 100 threads × 1000 ops |
//!
//! ## Running it on a new backend
//!
//! One line in a test file of your crate (with `anyfs = { features = ["conformance"] }` as a
//! dev-dependency) runs every section your backend's level allows:
//!
//! ```no_run
//! // tests/conformance.rs
//! use anyfs::MemoryBackend;
//!
//! // Levels: fs, fs_full, fs_fuse, fs_posix (each includes the sections below it).
//! anyfs::conformance_tests!(memory, fs_posix, || MemoryBackend::new());
//! # fn main() {}
//! ```
//!
//! This generates a module `memory` with one `#[test]` per section (`layer1_fs`,
//! `layer2_fs_full`, ..., `path_resolution`, `edge_cases`, `errors`, `thread_safety`). The
//! factory runs once per case, so every case starts from an empty filesystem; a backend that
//! lives on the host gets a fresh temporary directory inside its factory.
//!
//! One test per section, not per case: `cargo test` shows which section failed, and inside it
//! every case ran (a panicking case is caught and reported, it does not hide the others). Run
//! with `--nocapture` to see each case:
//!
//! ```text
//! conformance: memory::layer1_fs: ok   read_returns_written_bytes
//! conformance: memory::layer1_fs: FAIL rename_to_same_path_is_noop: rename /f /f: unexpected error ...
//! conformance: memory::layer1_fs: 60 passed, 1 failed
//! ```
//!
//! Without the macro, call a runner; it prints the same lines and returns `Err(report)` when
//! any case failed:
//!
//! ```no_run
//! use anyfs::{conformance, MemoryBackend};
//!
//! let report = conformance::run_fs_posix(MemoryBackend::new).expect("conformance failures");
//! assert_eq!(report.failed(), 0);
//! ```
//!
//! ## Writing more cases
//!
//! A case is `fn name<B: Trait>(make: Factory<'_, B>) -> Outcome`; use the helpers in
//! [`check`] (`ok`, `expect_err`, `ensure`, ...) instead of `assert!`, so a failure is a
//! message, not a panic, and add it to its section's `cases()` list.

pub mod check;
pub mod edge_cases;
pub mod errors;
pub mod fixtures;
pub mod layer1;
pub mod layer2;
pub mod layer3;
pub mod layer4;
mod macros;
pub mod path_resolution;
mod report;
pub mod thread_safety;

pub use check::Outcome;
pub use report::{run_cases, Case, CaseResult, Factory, Report};

use crate::{Fs, FsFull, FsFuse, FsPosix};

/// Layer 1: every [`Fs`] method.
pub fn run_fs<B: Fs, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    run_cases("fs", make, layer1::cases())
}

/// Layers 1 and 2: [`Fs`] and [`FsFull`].
pub fn run_fs_full<B: FsFull, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    let mut cases = layer1::cases();
    cases.extend(layer2::cases());
    run_cases("fs_full", make, cases)
}

/// Layers 1 to 3: up to [`FsFuse`].
pub fn run_fs_fuse<B: FsFuse, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    let mut cases = layer1::cases();
    cases.extend(layer2::cases());
    cases.extend(layer3::cases());
    run_cases("fs_fuse", make, cases)
}

/// Layers 1 to 4: up to [`FsPosix`].
pub fn run_fs_posix<B: FsPosix, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    let mut cases = layer1::cases();
    cases.extend(layer2::cases());
    cases.extend(layer3::cases());
    cases.extend(layer4::cases());
    run_cases("fs_posix", make, cases)
}

/// Symlink-aware path resolution (needs [`FsFull`] for symlinks).
pub fn run_path_resolution<B: FsFull, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    run_cases("path_resolution", make, path_resolution::cases())
}

/// Path edge cases.
pub fn run_edge_cases<B: Fs, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    run_cases("edge_cases", make, edge_cases::cases())
}

/// Error handling and no-panic.
pub fn run_errors<B: Fs, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    run_cases("errors", make, errors::cases())
}

/// Thread safety (the backend is shared by reference across scoped threads).
pub fn run_thread_safety<B: Fs, F: Fn() -> B>(make: F) -> Result<Report, Report> {
    run_cases("thread_safety", make, thread_safety::cases())
}
