//! [`FsRead`](crate::FsRead) cases: read, read_to_string, read_range, exists, metadata,
//! open_read.

use std::io::Read;

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FileType, Fs};

/// The FsRead cases.
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    cases![B;
        read_returns_written_bytes,
        read_empty_file,
        read_missing_is_not_found,
        read_missing_parent_is_not_found,
        read_directory_is_eisdir,
        read_below_a_file_is_enotdir,
        read_to_string_roundtrip,
        read_to_string_invalid_utf8_is_einval,
        read_range_slices,
        read_range_past_end_is_empty,
        read_range_errors,
        exists_reports_presence,
        metadata_of_file,
        metadata_of_directory_and_root,
        metadata_missing_is_not_found,
        metadata_size_tracks_content,
        open_read_streams_content,
        open_read_errors,
    ]
}

fn read_returns_written_bytes<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let data = pattern(10_000, 1);
    put(&fs, "/a.bin", &data)?;
    ensure_bytes(&get(&fs, "/a.bin")?, &data, "read /a.bin")
}

fn read_empty_file<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/empty", b"")?;
    ensure_bytes(&get(&fs, "/empty")?, b"", "read /empty")
}

fn read_missing_is_not_found<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(fs.read(p("/missing.txt")), NOT_FOUND, "read /missing.txt")
}

fn read_missing_parent_is_not_found<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(
        fs.read(p("/no/such/dir/a.txt")),
        NOT_FOUND,
        "read /no/such/dir/a.txt",
    )
}

fn read_directory_is_eisdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/dir")?;
    expect_err(fs.read(p("/dir")), IS_A_DIRECTORY, "read /dir")?;
    expect_err(fs.read(p("/")), IS_A_DIRECTORY, "read /")
}

fn read_below_a_file_is_enotdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/file", b"x")?;
    expect_err(
        fs.read(p("/file/child")),
        NOT_A_DIRECTORY,
        "read /file/child",
    )
}

fn read_to_string_roundtrip<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let text = "hello, wörld ✓\n";
    put(&fs, "/t.txt", text.as_bytes())?;
    let read = ok(fs.read_to_string(p("/t.txt")), "read_to_string /t.txt")?;
    ensure_eq(read.as_str(), text, "read_to_string /t.txt")
}

fn read_to_string_invalid_utf8_is_einval<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/bin", &[0x66, 0xff, 0xfe, 0x00])?;
    expect_err(
        fs.read_to_string(p("/bin")),
        INVALID_DATA,
        "read_to_string of non-UTF-8 bytes",
    )
}

fn read_range_slices<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/r", b"0123456789")?;
    let got = ok(fs.read_range(p("/r"), 2, 3), "read_range /r 2..5")?;
    ensure_bytes(&got, b"234", "read_range(2, 3)")?;
    let got = ok(fs.read_range(p("/r"), 0, 10), "read_range /r 0..10")?;
    ensure_bytes(&got, b"0123456789", "read_range(0, 10)")?;
    let got = ok(fs.read_range(p("/r"), 8, 10), "read_range /r 8..18")?;
    ensure_bytes(&got, b"89", "read_range(8, 10) is cut at the end")?;
    let got = ok(fs.read_range(p("/r"), 4, usize::MAX), "read_range /r 4..")?;
    ensure_bytes(&got, b"456789", "read_range(4, usize::MAX)")?;
    let got = ok(fs.read_range(p("/r"), 3, 0), "read_range /r len 0")?;
    ensure_bytes(&got, b"", "read_range(3, 0)")
}

fn read_range_past_end_is_empty<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/r", b"0123456789")?;
    let got = ok(fs.read_range(p("/r"), 10, 5), "read_range at end")?;
    ensure_bytes(&got, b"", "read_range(10, 5)")?;
    let got = ok(
        fs.read_range(p("/r"), 1 << 40, 5),
        "read_range far past end",
    )?;
    ensure_bytes(&got, b"", "read_range(2^40, 5)")?;
    let got = ok(
        fs.read_range(p("/r"), u64::MAX, usize::MAX),
        "read_range u64::MAX",
    )?;
    ensure_bytes(&got, b"", "read_range(u64::MAX, usize::MAX)")
}

fn read_range_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.read_range(p("/missing"), 0, 1),
        NOT_FOUND,
        "read_range /missing",
    )?;
    expect_err(
        fs.read_range(p("/d"), 0, 1),
        IS_A_DIRECTORY,
        "read_range /d",
    )
}

fn exists_reports_presence<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"x")?;
    mkdirs(&fs, "/d")?;
    ensure(ok(fs.exists(p("/f")), "exists /f")?, || {
        "exists /f is false".into()
    })?;
    ensure(ok(fs.exists(p("/d")), "exists /d")?, || {
        "exists /d is false".into()
    })?;
    ensure(ok(fs.exists(p("/")), "exists /")?, || {
        "exists / is false".into()
    })?;
    ensure(!ok(fs.exists(p("/nope")), "exists /nope")?, || {
        "exists /nope is true".into()
    })?;
    ensure(!ok(fs.exists(p("/nope/x")), "exists /nope/x")?, || {
        "exists /nope/x is true".into()
    })?;
    ensure(!ok(fs.exists(p("/f/x")), "exists /f/x")?, || {
        "exists /f/x (below a file) is true".into()
    })
}

fn metadata_of_file<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"hello")?;
    let m = ok(fs.metadata(p("/f")), "metadata /f")?;
    ensure_eq(&m.file_type, &FileType::File, "metadata /f file_type")?;
    ensure(m.is_file() && !m.is_dir() && !m.is_symlink(), || {
        "metadata /f: is_file/is_dir/is_symlink disagree with file_type".into()
    })?;
    ensure_eq(&m.size, &5, "metadata /f size")?;
    ensure(m.permissions.mode() & 0o600 == 0o600, || {
        format!(
            "metadata /f: a new file must be readable and writable by its owner, mode is {:o}",
            m.permissions.mode()
        )
    })?;
    ensure_eq(&(m.mode() & 0o170_000), &0o100_000, "metadata /f S_IFMT")
}

fn metadata_of_directory_and_root<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    for path in ["/d", "/"] {
        let m = ok(fs.metadata(p(path)), &format!("metadata {path}"))?;
        ensure_eq(
            &m.file_type,
            &FileType::Directory,
            &format!("metadata {path} file_type"),
        )?;
        ensure(m.is_dir(), || format!("metadata {path}: is_dir is false"))?;
        ensure_eq(
            &(m.mode() & 0o170_000),
            &0o040_000,
            &format!("metadata {path} S_IFMT"),
        )?;
    }
    Ok(())
}

fn metadata_missing_is_not_found<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    expect_err(fs.metadata(p("/missing")), NOT_FOUND, "metadata /missing")?;
    expect_err(
        fs.metadata(p("/missing/x")),
        NOT_FOUND,
        "metadata /missing/x",
    )
}

fn metadata_size_tracks_content<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let size = |what: &str| -> Result<u64, String> {
        Ok(ok(fs.metadata(p("/f")), &format!("metadata after {what}"))?.size)
    };
    put(&fs, "/f", b"12345")?;
    ensure_eq(&size("write")?, &5, "size after write of 5 bytes")?;
    ok(fs.append(p("/f"), b"678"), "append /f")?;
    ensure_eq(&size("append")?, &8, "size after append of 3 bytes")?;
    ok(fs.truncate(p("/f"), 2), "truncate /f 2")?;
    ensure_eq(&size("truncate")?, &2, "size after truncate to 2")?;
    put(&fs, "/f", b"")?;
    ensure_eq(&size("write of nothing")?, &0, "size after empty write")
}

fn open_read_streams_content<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let data = pattern(100_000, 7);
    put(&fs, "/big", &data)?;
    let mut reader = ok(fs.open_read(p("/big")), "open_read /big")?;
    let mut read = Vec::new();
    // Small reads exercise the reader's position bookkeeping, not just one read_to_end.
    let mut chunk = [0u8; 777];
    loop {
        let n = reader
            .read(&mut chunk)
            .map_err(|e| format!("open_read /big: read failed: {e}"))?;
        if n == 0 {
            break;
        }
        read.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    ensure_bytes(&read, &data, "open_read /big")
}

fn open_read_errors<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(fs.open_read(p("/missing")), NOT_FOUND, "open_read /missing")?;
    expect_err(fs.open_read(p("/d")), IS_A_DIRECTORY, "open_read /d")
}
