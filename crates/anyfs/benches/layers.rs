//! What each middleware layer costs over MemoryBackend through FileStorage, on the small-file
//! operations of `benchmark/suites/layers.mjs` (10k files of 4 KiB: create, stat, read,
//! unlink), in Rust alone: the Node suite adds the binding's cost to every row, this measures
//! the engine's share.
//!
//! Run: `cargo bench -p anyfs --bench layers`. One module per stack, one row per operation;
//! compare each stack's rows with `bare`'s.
//!
//! Stacks, configured so every call passes (the question is what consulting a layer costs),
//! all working in `/workspace`:
//!
//! - `bare`: FileStorage over MemoryBackend.
//! - One pass-through layer each: `quota` (limits far away), `path_filter` (`allow("/**")`),
//!   `restrictions` (symlinks and hard links denied, which these calls never make),
//!   `read_only` (stat and read only: it refuses the others), `rate_limit` (u32::MAX ops per
//!   second), `tracing` (`Tracing::new`, no sink, no subscriber) and `dry_run` (stat and read
//!   only, like `read_only`: it records the others instead of making them).
//! - Layers that do work of their own: `cache` (`Cache::new`, default bounds: each file is
//!   stat'd and read once, so every lookup is a miss that fills the cache; `cache_hit`, stat and
//!   read only: the files, written beneath, are stat'd and read once untimed first, so every
//!   lookup is a hit; instruction counts only) and `overlay` (the
//!   working set in the upper layer over an empty base; `overlay_base`, stat and read only: in
//!   the base, under an empty upper layer).
//! - `sandbox`: Quota, then PathFilter (`allow("/**")`), RateLimit and Tracing without a sink,
//!   each wrapping the one before, as the Node suite builds it.
//! - `seed_sandbox`: the seeds' AI agent sandbox (seed 001) as written: Quota (50 MB in
//!   total, 5 MB per file), PathFilter (`allow("/workspace/**")`, `deny("**/.env")`,
//!   `deny("**/secrets/**")`), Restrictions (no symlinks, no hard links), RateLimit and
//!   `Tracing::new()` without a sink; only the rate is raised to u32::MAX ops per second, so
//!   the benchmark is not throttled.
//!
//! MemoryBackend and every layer are `SelfResolving`, so FileStorage does not walk paths
//! itself. The working set holds no symlink, so PathFilter checks paths lexically (its module
//! docs say when it walks instead).
//!
//! Instruction counts (repeatable on a loaded machine): set `ANYFS_LAYERS_STACK` to a stack
//! name and the binary runs one lifecycle (create, stat, read, unlink of 10k files, each phase
//! in its own function; `read_only` runs stat and read over files written beneath it) instead
//! of the timed benches. The release profile strips symbols, so build the bench with them:
//!
//! ```text
//! CARGO_PROFILE_BENCH_STRIP=false cargo bench -p anyfs --bench layers --no-run
//! ANYFS_LAYERS_STACK=path_filter valgrind --tool=callgrind \
//!     --toggle-collect='layers::phase_*' target/release/deps/layers-<hash>
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep phase_
//! ```
//!
//! Each phase's inclusive count divided by 10 000 is instructions per operation.

// A benchmark whose setup fails must stop loudly; it is not library code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::time::Duration;

use anyfs::middleware::rate_limit::RateLimitConfig;
use anyfs::{
    Cache, DryRun, FileStorage, Fs, FsDir, FsRead, FsWrite, MemoryBackend, Overlay, PathFilter,
    Quota, QuotaLimits, RateLimit, ReadOnly, Restrictions, SelfResolving, Tracing,
};
use divan::{black_box, Bencher};

const SMALL: usize = 4 * 1024;
/// Files per working set, as in the Node suite.
const FILES: usize = 10_000;
/// The directory of the working set: the seeds' sandbox allows `/workspace/**`.
const DIR: &str = "/workspace";

fn main() {
    if let Ok(stack) = std::env::var("ANYFS_LAYERS_STACK") {
        return lifecycle(&stack);
    }
    // Operations take about a microsecond: batch 10 per timed sample and take 1000 samples,
    // so the median is stable. CLI flags still override both.
    divan::Divan::default()
        .sample_count(1000)
        .sample_size(10)
        .config_with_args()
        .main();
}

/// Limits no benchmark reaches.
fn roomy() -> QuotaLimits {
    QuotaLimits {
        max_total_size: Some(u64::MAX / 2),
        max_file_size: Some(1 << 30),
        ..QuotaLimits::default()
    }
}

fn many_ops() -> RateLimitConfig {
    RateLimitConfig {
        max_ops: u32::MAX,
        window: Duration::from_secs(1),
        ..RateLimitConfig::default()
    }
}

fn bare(b: MemoryBackend) -> MemoryBackend {
    b
}

fn quota(b: MemoryBackend) -> Quota<MemoryBackend> {
    Quota::new(b).with_limits(roomy())
}

fn path_filter(b: MemoryBackend) -> PathFilter<MemoryBackend> {
    PathFilter::new(b).allow("/**")
}

fn rate_limit(b: MemoryBackend) -> RateLimit<MemoryBackend> {
    RateLimit::with_config(b, many_ops())
}

fn restrictions(b: MemoryBackend) -> Restrictions<MemoryBackend> {
    Restrictions::new(b).deny_symlinks().deny_hard_links()
}

fn read_only(b: MemoryBackend) -> ReadOnly<MemoryBackend> {
    ReadOnly::new(b)
}

fn tracing(b: MemoryBackend) -> Tracing<MemoryBackend> {
    Tracing::new(b)
}

fn dry_run(b: MemoryBackend) -> DryRun<MemoryBackend> {
    DryRun::new(b)
}

fn cache(b: MemoryBackend) -> Cache<MemoryBackend> {
    Cache::new(b)
}

/// The working set in the upper layer, over an empty base.
fn overlay(b: MemoryBackend) -> Overlay<MemoryBackend, MemoryBackend> {
    Overlay::new(MemoryBackend::new(), b)
}

/// The working set in the base (written beneath), under an empty upper layer.
fn overlay_base(b: MemoryBackend) -> Overlay<MemoryBackend, MemoryBackend> {
    Overlay::new(b, MemoryBackend::new())
}

type Sandbox = Tracing<RateLimit<PathFilter<Quota<MemoryBackend>>>>;

fn sandbox(b: MemoryBackend) -> Sandbox {
    let filtered = PathFilter::new(Quota::new(b).with_limits(roomy())).allow("/**");
    Tracing::new(RateLimit::with_config(filtered, many_ops()))
}

type SeedSandbox = Tracing<RateLimit<Restrictions<PathFilter<Quota<MemoryBackend>>>>>;

/// Seed 001's "AI agent sandbox", with the rate limit raised out of the way.
fn seed_sandbox(b: MemoryBackend) -> SeedSandbox {
    let quota = Quota::new(b)
        .with_max_total_size(50 * 1024 * 1024)
        .with_max_file_size(5 * 1024 * 1024);
    let filtered = PathFilter::new(quota)
        .allow("/workspace/**")
        .deny("**/.env")
        .deny("**/secrets/**");
    let restricted = Restrictions::new(filtered)
        .deny_symlinks()
        .deny_hard_links();
    Tracing::new(RateLimit::with_config(restricted, many_ops()))
}

/// A FileStorage over `make(MemoryBackend)` with the directory [`DIR`].
fn storage<B: Fs + SelfResolving>(make: fn(MemoryBackend) -> B) -> FileStorage<B> {
    let fs = FileStorage::self_resolving(make(MemoryBackend::new()));
    FsDir::create_dir(&fs, DIR.as_ref()).unwrap();
    fs
}

/// A FileStorage over `make(MemoryBackend)` whose working set was written beneath it, for a
/// layer that refuses writes.
fn populated<B: Fs + SelfResolving>(
    make: fn(MemoryBackend) -> B,
    paths: &[PathBuf],
) -> FileStorage<B> {
    let memory = MemoryBackend::new();
    let below = FileStorage::self_resolving(memory.clone());
    FsDir::create_dir(&below, DIR.as_ref()).unwrap();
    populate(&below, paths);
    FileStorage::self_resolving(make(memory))
}

fn paths() -> Vec<PathBuf> {
    (0..FILES)
        .map(|i| PathBuf::from(format!("{DIR}/f{i}")))
        .collect()
}

/// Writes every file of the working set through `fs`.
fn populate<B: Fs>(fs: &FileStorage<B>, paths: &[PathBuf]) {
    let data = vec![7u8; SMALL];
    for p in paths {
        FsWrite::write(fs, p, &data).unwrap();
    }
}

/// Cycles through the working set so each call hits a different file.
fn cycle<'a>(paths: &'a [PathBuf]) -> impl FnMut() -> &'a PathBuf + 'a {
    let mut i = 0;
    move || {
        i = (i + 1) % paths.len();
        paths.get(i).expect("non-empty working set")
    }
}

/// Creates a 4 KiB file (removing it, untimed, first).
fn create<B: Fs + SelfResolving>(bencher: Bencher, make: fn(MemoryBackend) -> B) {
    let fs = storage(make);
    let paths = paths();
    let data = vec![7u8; SMALL];
    let mut next = cycle(&paths);
    bencher
        .with_inputs(|| {
            let path = next().clone();
            let _ = FsWrite::remove_file(&fs, &path);
            path
        })
        .bench_local_values(|path| FsWrite::write(&fs, &path, black_box(&data)).unwrap());
}

fn stat<B: Fs + SelfResolving>(bencher: Bencher, make: fn(MemoryBackend) -> B) {
    let paths = paths();
    let fs = populated(make, &paths);
    let mut next = cycle(&paths);
    bencher.bench_local(|| FsRead::metadata(&fs, next()).unwrap());
}

fn read<B: Fs + SelfResolving>(bencher: Bencher, make: fn(MemoryBackend) -> B) {
    let paths = paths();
    let fs = populated(make, &paths);
    let mut next = cycle(&paths);
    bencher.bench_local(|| FsRead::read(&fs, next()).unwrap());
}

/// Removes a 4 KiB file (writing it, untimed, first).
fn unlink<B: Fs + SelfResolving>(bencher: Bencher, make: fn(MemoryBackend) -> B) {
    let fs = storage(make);
    let paths = paths();
    populate(&fs, &paths);
    let data = vec![7u8; SMALL];
    let mut next = cycle(&paths);
    bencher
        .with_inputs(|| {
            let path = next().clone();
            FsWrite::write(&fs, &path, &data).unwrap();
            path
        })
        .bench_local_values(|path| FsWrite::remove_file(&fs, &path).unwrap());
}

macro_rules! stack {
    // Every row.
    ($($name:ident),+ $(,)?) => {
        stack!(@rows [a_create_4k create, b_stat stat, c_read_4k read, d_unlink unlink] $($name),+);
    };
    // The rows of a stack that only reads.
    (reading $($name:ident),+) => {
        stack!(@rows [b_stat stat, c_read_4k read] $($name),+);
    };
    (@rows $rows:tt $($name:ident),+) => {
        $( stack!(@module $name $rows); )+
    };
    (@module $name:ident [$($row:ident $run:ident),+]) => {
        mod $name {
            use divan::Bencher;
            $(
                #[divan::bench]
                fn $row(bencher: Bencher) {
                    super::$run(bencher, super::$name)
                }
            )+
        }
    };
}

stack!(
    bare,
    quota,
    path_filter,
    restrictions,
    rate_limit,
    tracing,
    cache,
    overlay,
    sandbox,
    seed_sandbox
);
stack!(reading read_only, dry_run, overlay_base);

#[inline(never)]
fn phase_create<B: Fs>(fs: &FileStorage<B>, paths: &[PathBuf], data: &[u8]) {
    for p in paths {
        FsWrite::write(fs, p, black_box(data)).unwrap();
    }
}

#[inline(never)]
fn phase_stat<B: Fs>(fs: &FileStorage<B>, paths: &[PathBuf]) {
    for p in paths {
        black_box(FsRead::metadata(fs, p).unwrap());
    }
}

#[inline(never)]
fn phase_read<B: Fs>(fs: &FileStorage<B>, paths: &[PathBuf]) {
    for p in paths {
        black_box(FsRead::read(fs, p).unwrap());
    }
}

#[inline(never)]
fn phase_unlink<B: Fs>(fs: &FileStorage<B>, paths: &[PathBuf]) {
    for p in paths {
        FsWrite::remove_file(fs, p).unwrap();
    }
}

fn run_lifecycle<B: Fs + SelfResolving>(make: fn(MemoryBackend) -> B) {
    let fs = storage(make);
    let paths = paths();
    let data = vec![7u8; SMALL];
    phase_create(&fs, &paths, &data);
    phase_stat(&fs, &paths);
    phase_read(&fs, &paths);
    phase_unlink(&fs, &paths);
}

/// The reading phases over a working set written beneath `make`'s layer.
fn run_reads<B: Fs + SelfResolving>(make: fn(MemoryBackend) -> B) {
    let paths = paths();
    let fs = populated(make, &paths);
    phase_stat(&fs, &paths);
    phase_read(&fs, &paths);
}

/// The reading phases over a working set written beneath `make`'s layer and read through it
/// once, untimed, first: every Cache lookup is then a hit.
fn run_warm_reads<B: Fs + SelfResolving>(make: fn(MemoryBackend) -> B) {
    let paths = paths();
    let fs = populated(make, &paths);
    for p in &paths {
        black_box(FsRead::metadata(&fs, p).unwrap());
        black_box(FsRead::read(&fs, p).unwrap());
    }
    phase_stat(&fs, &paths);
    phase_read(&fs, &paths);
}

/// One lifecycle of the working set through `stack`, for instruction counting.
fn lifecycle(stack: &str) {
    match stack {
        "bare" => run_lifecycle(bare),
        "quota" => run_lifecycle(quota),
        "path_filter" => run_lifecycle(path_filter),
        "restrictions" => run_lifecycle(restrictions),
        "read_only" => run_reads(read_only),
        "rate_limit" => run_lifecycle(rate_limit),
        "tracing" => run_lifecycle(tracing),
        "dry_run" => run_reads(dry_run),
        "cache" => run_lifecycle(cache),
        "cache_hit" => run_warm_reads(cache),
        "overlay" => run_lifecycle(overlay),
        "overlay_base" => run_reads(overlay_base),
        "sandbox" => run_lifecycle(sandbox),
        "seed_sandbox" => run_lifecycle(seed_sandbox),
        other => panic!(
            "unknown stack {other:?}: bare, quota, path_filter, restrictions, read_only, \
             rate_limit, tracing, dry_run, cache, cache_hit, overlay, overlay_base, sandbox, \
             seed_sandbox"
        ),
    }
}
