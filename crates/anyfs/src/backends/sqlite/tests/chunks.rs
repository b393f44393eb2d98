//! Chunked content: ranged reads and writes touch only the chunks they cover (counted with
//! `io_stats`), files are sparse, and a model check of random operations against a `Vec<u8>`.

use std::io::{Read, Write};

use anyfs_backend::{FsHandles, FsRead, FsWrite, OpenFlags};
use proptest::prelude::*;

use super::{p, rows, small_chunks, SqliteBackend};
use crate::backends::sqlite::{IoStats, SqliteOptions};

const KIB64: usize = 64 * 1024;
const GIB: u64 = 1 << 30;

/// The change of the counters over `f`.
fn delta(fs: &SqliteBackend, f: impl FnOnce()) -> IoStats {
    let before = fs.io_stats();
    f();
    let after = fs.io_stats();
    IoStats {
        chunks_read: after.chunks_read - before.chunks_read,
        chunks_written: after.chunks_written - before.chunks_written,
    }
}

fn filled(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i % 253) as u8 ^ seed | 1).collect()
}

#[test]
fn a_one_byte_change_to_a_1_gib_file_writes_one_chunk() {
    let fs = SqliteBackend::in_memory().unwrap();
    assert_eq!(fs.chunk_size(), KIB64);
    // 16 MiB of real (non-zero) data, streamed in, then extended to 1 GiB.
    let data = filled(16 << 20, 7);
    let mut w = fs.open_write(p("/big")).unwrap();
    w.write_all(&data).unwrap();
    w.flush().unwrap();
    drop(w);
    fs.truncate(p("/big"), GIB).unwrap();
    assert_eq!(fs.metadata(p("/big")).unwrap().size, GIB);
    assert_eq!(
        rows(&fs, "chunks"),
        256,
        "only the written 16 MiB are stored"
    );

    let h = fs.open(p("/big"), OpenFlags::READ_WRITE).unwrap();
    for offset in [5 * KIB64 as u64 + 17, GIB - 1, GIB / 2] {
        let io = delta(&fs, || {
            fs.write_at(h, b"!", offset).unwrap();
        });
        assert_eq!(io.chunks_written, 1, "write_at(1 byte at {offset})");
        assert!(
            io.chunks_read <= 1,
            "write_at(1 byte at {offset}) read {io:?}"
        );
        let io = delta(&fs, || {
            assert_eq!(fs.read_range(p("/big"), offset, 1).unwrap(), b"!");
        });
        assert_eq!(io.chunks_read, 1, "read_range(1 byte at {offset})");
    }
    assert_eq!(fs.metadata(p("/big")).unwrap().size, GIB);
    // The bytes around the changed one are intact.
    let at = 5 * KIB64 + 17;
    let around = fs.read_range(p("/big"), at as u64 - 2, 5).unwrap();
    assert_eq!(&around[..2], &data[at - 2..at]);
    assert_eq!(&around[3..], &data[at + 1..at + 3]);
    fs.close(h).unwrap();
}

#[test]
fn ranged_reads_touch_only_the_chunks_they_cover() {
    let fs = small_chunks(1024);
    let data = filled(10 * 1024, 3);
    fs.write(p("/f"), &data).unwrap();
    let cases: [(u64, usize, u64); 5] = [
        (0, 10, 1),              // inside the first chunk
        (1020, 10, 2),           // across a boundary
        (2048, 1024, 1),         // exactly one chunk
        (1, 4096, 5),            // four chunks and a bit
        (10 * 1024 - 1, 100, 1), // the last byte
    ];
    for (offset, len, chunks) in cases {
        let io = delta(&fs, || {
            let got = fs.read_range(p("/f"), offset, len).unwrap();
            let end = (offset as usize + len).min(data.len());
            assert_eq!(got, &data[offset as usize..end]);
        });
        assert_eq!(io.chunks_read, chunks, "read_range({offset}, {len})");
        assert_eq!(io.chunks_written, 0);
    }
}

#[test]
fn aligned_whole_chunk_writes_read_nothing() {
    let fs = small_chunks(1024);
    fs.write(p("/f"), &filled(4096, 1)).unwrap();
    let h = fs.open(p("/f"), OpenFlags::WRITE).unwrap();
    let io = delta(&fs, || {
        fs.write_at(h, &[9u8; 2048], 1024).unwrap();
    });
    assert_eq!((io.chunks_read, io.chunks_written), (0, 2));
    // A partial chunk is read, patched and stored.
    let io = delta(&fs, || {
        fs.write_at(h, b"xy", 10).unwrap();
    });
    assert_eq!((io.chunks_read, io.chunks_written), (1, 1));
    fs.close(h).unwrap();
    let got = fs.read(p("/f")).unwrap();
    assert_eq!(&got[10..12], b"xy");
    assert!(got[1024..3072].iter().all(|b| *b == 9));
}

#[test]
fn streams_move_one_chunk_per_step() {
    let fs = small_chunks(1024);
    let data = filled(16 * 1024, 5);
    let io = delta(&fs, || {
        let mut w = fs.open_write(p("/s")).unwrap();
        for piece in data.chunks(100) {
            w.write_all(piece).unwrap();
        }
        w.flush().unwrap();
    });
    assert_eq!((io.chunks_read, io.chunks_written), (0, 16));
    let io = delta(&fs, || {
        let mut r = fs.open_read(p("/s")).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 77];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, data);
    });
    assert_eq!((io.chunks_read, io.chunks_written), (16, 0));
}

#[test]
fn files_are_sparse() {
    let fs = small_chunks(1024);
    fs.write(p("/f"), b"head").unwrap();
    let io = delta(&fs, || fs.truncate(p("/f"), 1 << 40).unwrap());
    assert_eq!(io.chunks_written, 0);
    assert_eq!(rows(&fs, "chunks"), 1);
    assert_eq!(fs.read_range(p("/f"), 1 << 39, 4).unwrap(), [0u8; 4]);
    // Writing zeros into a gap stores nothing; writing data stores one chunk.
    let h = fs.open(p("/f"), OpenFlags::WRITE).unwrap();
    fs.write_at(h, &[0u8; 3000], 5000).unwrap();
    assert_eq!(rows(&fs, "chunks"), 1);
    fs.write_at(h, b"z", 1 << 39).unwrap();
    assert_eq!(rows(&fs, "chunks"), 2);
    fs.close(h).unwrap();
    // An all-zero write of a whole file stores nothing but its size.
    fs.write(p("/zeros"), &[0u8; 5000]).unwrap();
    assert_eq!(fs.read(p("/zeros")).unwrap(), vec![0u8; 5000]);
    assert_eq!(rows(&fs, "chunks"), 2);
}

#[test]
fn shrinking_trims_so_growing_again_reads_zeros() {
    let fs = small_chunks(1024);
    fs.write(p("/f"), &filled(3000, 2)).unwrap();
    fs.truncate(p("/f"), 1500).unwrap();
    assert_eq!(rows(&fs, "chunks"), 2);
    fs.truncate(p("/f"), 3000).unwrap();
    let got = fs.read(p("/f")).unwrap();
    assert_eq!(&got[..1500], &filled(3000, 2)[..1500]);
    assert!(got[1500..].iter().all(|b| *b == 0), "stale bytes came back");
    fs.truncate(p("/f"), 0).unwrap();
    assert_eq!(rows(&fs, "chunks"), 0);
}

#[test]
fn copy_copies_chunks_inside_sqlite() {
    let fs = small_chunks(1024);
    let data = filled(5000, 4);
    fs.write(p("/a"), &data).unwrap();
    let io = delta(&fs, || fs.copy(p("/a"), p("/b")).unwrap());
    assert_eq!((io.chunks_read, io.chunks_written), (0, 5));
    assert_eq!(fs.read(p("/b")).unwrap(), data);
}

#[test]
fn writes_past_the_largest_offset_are_efbig() {
    let fs = small_chunks(1024);
    fs.write(p("/f"), b"x").unwrap();
    let h = fs.open(p("/f"), OpenFlags::WRITE).unwrap();
    assert_eq!(
        super::code(fs.write_at(h, b"ab", i64::MAX as u64 - 1)),
        "EFBIG"
    );
    assert_eq!(super::code(fs.truncate(p("/f"), u64::MAX)), "EFBIG");
    fs.close(h).unwrap();
    assert_eq!(fs.read(p("/f")).unwrap(), b"x");
}

#[derive(Debug, Clone)]
enum Op {
    WriteAt(u16, Vec<u8>),
    Append(Vec<u8>),
    Truncate(u16),
    Replace(Vec<u8>),
}

fn op() -> impl Strategy<Value = Op> {
    let bytes = prop::collection::vec(any::<u8>(), 0..300);
    // Zero runs exercise the sparse paths.
    let zeros = (0usize..300).prop_map(|n| vec![0u8; n]);
    let data = prop_oneof![3 => bytes, 1 => zeros];
    prop_oneof![
        (any::<u16>(), data.clone()).prop_map(|(o, d)| Op::WriteAt(o % 3000, d)),
        data.clone().prop_map(Op::Append),
        any::<u16>().prop_map(|n| Op::Truncate(n % 3000)),
        data.prop_map(Op::Replace),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of writes, appends, truncates and replacements leaves the same bytes as
    /// the same sequence on a `Vec<u8>`, read whole, by ranges and through a handle.
    #[test]
    fn content_matches_a_vec_model(ops in prop::collection::vec(op(), 1..40)) {
        let fs = SqliteBackend::in_memory_with(SqliteOptions::new().chunk_size(512)).unwrap();
        fs.write(p("/f"), b"").unwrap();
        let h = fs.open(p("/f"), OpenFlags::READ_WRITE).unwrap();
        let mut model: Vec<u8> = Vec::new();
        for op in ops {
            match op {
                Op::WriteAt(o, d) => {
                    let o = usize::from(o);
                    fs.write_at(h, &d, o as u64).unwrap();
                    if !d.is_empty() {
                        if model.len() < o + d.len() {
                            model.resize(o + d.len(), 0);
                        }
                        model[o..o + d.len()].copy_from_slice(&d);
                    }
                }
                Op::Append(d) => {
                    fs.append(p("/f"), &d).unwrap();
                    model.extend_from_slice(&d);
                }
                Op::Truncate(n) => {
                    fs.truncate(p("/f"), u64::from(n)).unwrap();
                    model.resize(usize::from(n), 0);
                }
                Op::Replace(d) => {
                    fs.write(p("/f"), &d).unwrap();
                    model = d;
                }
            }
            prop_assert_eq!(fs.metadata(p("/f")).unwrap().size, model.len() as u64);
        }
        prop_assert_eq!(fs.read(p("/f")).unwrap(), model.clone());
        for (offset, len) in [(0usize, 7usize), (500, 30), (511, 2), (1000, 2000)] {
            let end = (offset + len).min(model.len());
            let want = model.get(offset..end).unwrap_or_default();
            prop_assert_eq!(fs.read_range(p("/f"), offset as u64, len).unwrap(), want);
        }
        let mut buf = vec![0u8; model.len() + 10];
        let n = fs.read_at(h, &mut buf, 0).unwrap();
        prop_assert_eq!(&buf[..n], &model[..]);
        fs.close(h).unwrap();
        fs.check_integrity().unwrap();
    }
}
