//! Large files in memfds: every change keeps the content exact, and a [`SharedContent`] handed
//! to a reader never sees a byte change, whatever happens to the file afterwards.

use std::os::fd::AsRawFd;

use anyfs_backend::{FsHandles, FsRead, FsWrite, OpenFlags, SharedContent};
use proptest::prelude::*;

use super::super::content::SHARED_MIN;
use super::*;

/// The file's content and its shared form, through `read_with`.
fn lend(fs: &MemoryBackend, path: &str) -> (Vec<u8>, Option<SharedContent>) {
    let mut out = None;
    fs.read_with(p(path), &mut |bytes, shared| {
        out = Some((bytes.to_vec(), shared.cloned()))
    })
    .expect("MemoryBackend offers read_with")
    .unwrap();
    out.unwrap()
}

/// What the descriptor of `shared` holds now.
fn fd_bytes(shared: &SharedContent) -> Vec<u8> {
    let mut buf = vec![0u8; shared.len() as usize];
    let mut done = 0;
    while done < buf.len() {
        let n = rustix::io::pread(shared.fd(), &mut buf[done..], done as u64).unwrap();
        assert!(n > 0, "the descriptor is shorter than its content");
        done += n;
    }
    buf
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

#[test]
fn small_files_are_not_shared_and_large_ones_are() {
    let fs = MemoryBackend::new();
    fs.write(p("/small"), &pattern(SHARED_MIN - 1, 1)).unwrap();
    fs.write(p("/large"), &pattern(SHARED_MIN, 2)).unwrap();
    assert!(lend(&fs, "/small").1.is_none());
    let (bytes, shared) = lend(&fs, "/large");
    assert_eq!(bytes, pattern(SHARED_MIN, 2));
    assert_eq!(fd_bytes(&shared.unwrap()), bytes);
}

#[test]
fn a_lent_content_never_changes_whatever_the_file_goes_through() {
    let fs = MemoryBackend::new();
    let original = pattern(3 * SHARED_MIN + 17, 3);
    fs.write(p("/f"), &original).unwrap();
    let (_, shared) = lend(&fs, "/f");
    let shared = shared.unwrap();
    let mut model = original.clone();

    let h = fs.open(p("/f"), OpenFlags::READ_WRITE).unwrap();
    fs.write_at(h, b"changed", 1000).unwrap();
    model[1000..1007].copy_from_slice(b"changed");
    fs.close(h).unwrap();
    assert_eq!(fs.read(p("/f")).unwrap(), model);
    assert_eq!(
        fd_bytes(&shared),
        original,
        "write_at reached the lent bytes"
    );

    let (_, second) = lend(&fs, "/f");
    fs.append(p("/f"), b"tail").unwrap();
    model.extend_from_slice(b"tail");
    fs.truncate(p("/f"), 10).unwrap();
    model.truncate(10);
    fs.truncate(p("/f"), 2 * SHARED_MIN as u64).unwrap();
    model.resize(2 * SHARED_MIN, 0);
    assert_eq!(fs.read(p("/f")).unwrap(), model);
    fs.write(p("/f"), b"replaced").unwrap();
    assert_eq!(fs.read(p("/f")).unwrap(), b"replaced");
    fs.remove_file(p("/f")).unwrap();

    assert_eq!(fd_bytes(&shared), original);
    let second = second.unwrap();
    assert_eq!(fd_bytes(&second).get(1000..1007), Some(&b"changed"[..]));
}

#[test]
fn a_copy_shares_the_bytes_until_either_side_changes() {
    let fs = MemoryBackend::new();
    let original = pattern(SHARED_MIN * 2, 4);
    fs.write(p("/a"), &original).unwrap();
    fs.copy(p("/a"), p("/b")).unwrap();
    fs.append(p("/b"), b"b only").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), original);
    let mut b = original.clone();
    b.extend_from_slice(b"b only");
    assert_eq!(fs.read(p("/b")).unwrap(), b);
}

#[test]
fn unshared_changes_happen_in_place() {
    let fs = MemoryBackend::new();
    fs.write(p("/f"), &pattern(SHARED_MIN * 2, 5)).unwrap();
    let before = lend(&fs, "/f").1.map(|s| s.fd().as_raw_fd());
    let h = fs.open(p("/f"), OpenFlags::READ_WRITE).unwrap();
    fs.write_at(h, b"x", 0).unwrap();
    fs.close(h).unwrap();
    let after = lend(&fs, "/f").1.map(|s| s.fd().as_raw_fd());
    assert_eq!(
        before, after,
        "nobody held the bytes: no move to a new memfd"
    );
}

#[test]
fn appends_grow_an_unshared_memfd_in_place() {
    let fs = MemoryBackend::new();
    let mut model = pattern(SHARED_MIN, 6);
    fs.write(p("/f"), &model).unwrap();
    let fd = lend(&fs, "/f").1.map(|s| s.fd().as_raw_fd());
    // Far past the memfd's first size, one append at a time.
    for i in 0..40u8 {
        let piece = pattern(SHARED_MIN / 4 + usize::from(i), i);
        fs.append(p("/f"), &piece).unwrap();
        model.extend_from_slice(&piece);
    }
    let (bytes, shared) = lend(&fs, "/f");
    assert_eq!(bytes, model);
    assert_eq!(
        shared.map(|s| s.fd().as_raw_fd()),
        fd,
        "the memfd was replaced, not grown"
    );
}

#[derive(Debug, Clone)]
enum Change {
    WriteAt(usize, usize),
    Append(usize),
    Truncate(usize),
    Replace(usize),
    Lend,
}

fn change() -> impl Strategy<Value = Change> {
    let size = prop_oneof![
        0..64usize,
        SHARED_MIN - 64..SHARED_MIN + 64,
        0..3 * SHARED_MIN
    ];
    prop_oneof![
        (size.clone(), 0..5000usize).prop_map(|(at, n)| Change::WriteAt(at, n)),
        (0..SHARED_MIN).prop_map(Change::Append),
        size.clone().prop_map(Change::Truncate),
        size.prop_map(Change::Replace),
        Just(Change::Lend),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any sequence of changes across the vector/memfd boundary reads back as a plain vector
    /// model says, and every lent content keeps the bytes it was lent with.
    #[test]
    fn content_matches_a_vector_model(changes in proptest::collection::vec(change(), 1..12)) {
        let fs = MemoryBackend::new();
        fs.write(p("/f"), b"").unwrap();
        let mut model: Vec<u8> = Vec::new();
        let mut lent: Vec<(SharedContent, Vec<u8>)> = Vec::new();
        for (i, c) in changes.into_iter().enumerate() {
            let seed = i as u8;
            match c {
                Change::WriteAt(at, n) => {
                    let data = pattern(n, seed);
                    let h = fs.open(p("/f"), OpenFlags::READ_WRITE).unwrap();
                    fs.write_at(h, &data, at as u64).unwrap();
                    fs.close(h).unwrap();
                    if model.len() < at + n { model.resize(at + n, 0); }
                    model[at..at + n].copy_from_slice(&data);
                }
                Change::Append(n) => {
                    let data = pattern(n, seed);
                    fs.append(p("/f"), &data).unwrap();
                    model.extend_from_slice(&data);
                }
                Change::Truncate(n) => {
                    fs.truncate(p("/f"), n as u64).unwrap();
                    model.resize(n, 0);
                }
                Change::Replace(n) => {
                    let data = pattern(n, seed);
                    fs.write(p("/f"), &data).unwrap();
                    model = data;
                }
                Change::Lend => {
                    let (bytes, shared) = lend(&fs, "/f");
                    prop_assert_eq!(&bytes, &model);
                    if let Some(s) = shared { lent.push((s, bytes)); }
                }
            }
            prop_assert_eq!(fs.read(p("/f")).unwrap(), model.clone());
        }
        for (shared, bytes) in &lent {
            prop_assert_eq!(&fd_bytes(shared), bytes);
        }
    }
}
