//! MemoryBackend through FileStorage: the per-operation floor the Node binding's overhead is
//! measured against (`benchmark/` compares the binding; this measures the engine alone).
//!
//! Run: `cargo bench -p anyfs --bench file_storage`. Each row is one operation; the `items/s`
//! and `bytes/s` columns are the throughput.
//!
//! Operations are called through the contract traits (`FsRead::read(&fs, path)`), which is
//! what the binding and the FUSE adapter call.

// A benchmark whose setup fails must stop loudly; it is not library code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use anyfs::{FileStorage, FsDir, FsRead, FsWrite, MemoryBackend};
use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};

fn main() {
    // Operations take about a microsecond: batch 10 per timed sample (20 ns timer) and take
    // 1000 samples, so the median is stable. CLI flags still override both.
    divan::Divan::default()
        .sample_count(1000)
        .sample_size(10)
        .config_with_args()
        .main();
}

const SMALL: usize = 4 * 1024;
const LARGE: usize = 1024 * 1024;
/// Files per working set, as in DESIGN.md's node:fs/memfs baseline (10k files of 4 KiB).
const FILES: usize = 10_000;

fn storage() -> FileStorage<MemoryBackend> {
    let fs = FileStorage::new(MemoryBackend::new());
    FsDir::create_dir(&fs, "/d".as_ref()).unwrap();
    fs
}

fn paths(dir: &str, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| PathBuf::from(format!("{dir}/f{i}")))
        .collect()
}

/// A FileStorage holding `FILES` files of 4 KiB in `/d`.
fn populated() -> (FileStorage<MemoryBackend>, Vec<PathBuf>) {
    let fs = storage();
    let paths = paths("/d", FILES);
    let data = vec![7u8; SMALL];
    for p in &paths {
        FsWrite::write(&fs, p, &data).unwrap();
    }
    (fs, paths)
}

/// Cycles through the working set so each call hits a different file.
fn cycle<'a>(paths: &'a [PathBuf]) -> impl FnMut() -> &'a PathBuf + 'a {
    let mut i = 0;
    move || {
        i = (i + 1) % paths.len();
        paths.get(i).expect("non-empty working set")
    }
}

mod small_file {
    use super::*;

    /// Creates (first pass) then overwrites 4 KiB files.
    #[divan::bench]
    fn write_4k(bencher: Bencher) {
        let fs = storage();
        let paths = paths("/d", FILES);
        let data = vec![7u8; SMALL];
        let mut next = cycle(&paths);
        bencher
            .counter(ItemsCount::new(1usize))
            .bench_local(|| FsWrite::write(&fs, next(), black_box(&data)).unwrap());
    }

    #[divan::bench]
    fn read_4k(bencher: Bencher) {
        let (fs, paths) = populated();
        let mut next = cycle(&paths);
        bencher
            .counter(ItemsCount::new(1usize))
            .bench_local(|| FsRead::read(&fs, next()).unwrap());
    }

    #[divan::bench]
    fn metadata(bencher: Bencher) {
        let (fs, paths) = populated();
        let mut next = cycle(&paths);
        bencher
            .counter(ItemsCount::new(1usize))
            .bench_local(|| FsRead::metadata(&fs, next()).unwrap());
    }

    /// The same metadata call on the backend alone: the difference is FileStorage's cost
    /// (path resolution).
    #[divan::bench]
    fn metadata_backend_direct(bencher: Bencher) {
        let fs = MemoryBackend::new();
        FsDir::create_dir(&fs, "/d".as_ref()).unwrap();
        let paths = paths("/d", FILES);
        for p in &paths {
            FsWrite::write(&fs, p, &[7u8; SMALL]).unwrap();
        }
        let mut next = cycle(&paths);
        bencher
            .counter(ItemsCount::new(1usize))
            .bench_local(|| FsRead::metadata(&fs, next()).unwrap());
    }

    #[divan::bench]
    fn exists_missing(bencher: Bencher) {
        let (fs, _) = populated();
        let missing = PathBuf::from("/d/missing");
        bencher
            .counter(ItemsCount::new(1usize))
            .bench_local(|| FsRead::exists(&fs, &missing).unwrap());
    }

    /// Removes a 4 KiB file (creating it is untimed setup).
    #[divan::bench]
    fn remove(bencher: Bencher) {
        let fs = storage();
        let data = vec![7u8; SMALL];
        let mut i = 0u64;
        bencher
            .counter(ItemsCount::new(1usize))
            .with_inputs(|| {
                i += 1;
                let path = PathBuf::from(format!("/d/r{i}"));
                FsWrite::write(&fs, &path, &data).unwrap();
                path
            })
            .bench_local_values(|path| FsWrite::remove_file(&fs, &path).unwrap());
    }

    /// Lists a directory of 1000 entries.
    #[divan::bench]
    fn read_dir_1k(bencher: Bencher) {
        let fs = storage();
        for p in paths("/d", 1000) {
            FsWrite::write(&fs, &p, b"x").unwrap();
        }
        let dir = PathBuf::from("/d");
        bencher
            .counter(ItemsCount::new(1000usize))
            .bench_local(|| FsDir::read_dir(&fs, &dir).unwrap());
    }
}

mod throughput {
    use super::*;

    #[divan::bench]
    fn write_1m(bencher: Bencher) {
        let fs = storage();
        let data = vec![7u8; LARGE];
        let path = PathBuf::from("/d/big");
        bencher
            .counter(BytesCount::new(LARGE))
            .bench_local(|| FsWrite::write(&fs, &path, black_box(&data)).unwrap());
    }

    #[divan::bench]
    fn read_1m(bencher: Bencher) {
        let fs = storage();
        let path = PathBuf::from("/d/big");
        FsWrite::write(&fs, &path, &vec![7u8; LARGE]).unwrap();
        bencher
            .counter(BytesCount::new(LARGE))
            .bench_local(|| FsRead::read(&fs, &path).unwrap());
    }
}
