//! [`FsHandles`](crate::FsHandles) cases: open flags, positional read_at/write_at, zero fill
//! past the end, access checks, close.

use crate::conformance::check::*;
use crate::conformance::fixtures::*;
use crate::conformance::report::{cases, Case, Factory};
use crate::{FsPosix, Handle, OpenFlags};

/// The FsHandles cases.
pub fn cases<B: FsPosix>() -> Vec<Case<B>> {
    cases![B;
        read_at_reads_from_offsets,
        read_at_at_or_past_eof_returns_zero,
        write_at_overwrites_in_place,
        write_at_past_eof_zero_fills,
        append_handle_writes_at_end,
        open_create_exclusive_truncate,
        open_errors,
        handle_access_is_checked,
        closed_handle_is_invalid,
        handle_writes_are_visible_everywhere,
        handle_survives_unlink,
    ]
}

fn open<B: FsPosix>(fs: &B, path: &str, flags: OpenFlags) -> Result<Handle, String> {
    ok(fs.open(p(path), flags), &format!("open {path} {flags:?}"))
}

fn read_at<B: FsPosix>(fs: &B, h: Handle, len: usize, offset: u64) -> Result<Vec<u8>, String> {
    let mut buf = vec![0u8; len];
    let n = ok(
        fs.read_at(h, &mut buf, offset),
        &format!("read_at {offset}"),
    )?;
    ensure(n <= len, || {
        format!("read_at returned {n} for a {len}-byte buffer")
    })?;
    buf.truncate(n);
    Ok(buf)
}

fn read_at_reads_from_offsets<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"0123456789")?;
    let h = open(&fs, "/f", OpenFlags::READ)?;
    ensure_bytes(&read_at(&fs, h, 4, 0)?, b"0123", "read_at(4, 0)")?;
    ensure_bytes(&read_at(&fs, h, 3, 5)?, b"567", "read_at(3, 5)")?;
    // Positional reads do not move a cursor: the same offset gives the same bytes.
    ensure_bytes(&read_at(&fs, h, 3, 5)?, b"567", "read_at(3, 5) again")?;
    ensure_bytes(&read_at(&fs, h, 0, 2)?, b"", "read_at with an empty buffer")?;
    ok(fs.close(h), "close")
}

fn read_at_at_or_past_eof_returns_zero<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"0123456789")?;
    let h = open(&fs, "/f", OpenFlags::READ)?;
    ensure_bytes(
        &read_at(&fs, h, 10, 7)?,
        b"789",
        "read_at over the end is short",
    )?;
    ensure_bytes(&read_at(&fs, h, 10, 10)?, b"", "read_at at the end")?;
    ensure_bytes(
        &read_at(&fs, h, 10, 1 << 40)?,
        b"",
        "read_at far past the end",
    )?;
    ensure_bytes(&read_at(&fs, h, 10, u64::MAX)?, b"", "read_at at u64::MAX")?;
    ok(fs.close(h), "close")
}

fn write_at_overwrites_in_place<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"0123456789")?;
    let h = open(&fs, "/f", OpenFlags::READ_WRITE)?;
    let n = ok(fs.write_at(h, b"abc", 4), "write_at(abc, 4)")?;
    ensure_eq(&n, &3, "write_at count")?;
    ensure_bytes(
        &read_at(&fs, h, 20, 0)?,
        b"0123abc789",
        "read back through the handle",
    )?;
    ok(fs.close(h), "close")?;
    ensure_bytes(&get(&fs, "/f")?, b"0123abc789", "read by path")
}

fn write_at_past_eof_zero_fills<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let h = open(&fs, "/f", OpenFlags::WRITE | OpenFlags::CREATE)?;
    ok(fs.write_at(h, b"ab", 0), "write_at(ab, 0)")?;
    ok(fs.write_at(h, b"xyz", 6), "write_at(xyz, 6)")?;
    ok(fs.close(h), "close")?;
    ensure_bytes(
        &get(&fs, "/f")?,
        b"ab\0\0\0\0xyz",
        "the gap reads as zero bytes",
    )?;
    ensure_eq(
        &ok(fs.metadata(p("/f")), "metadata /f")?.size,
        &9,
        "size after the gap",
    )
}

fn append_handle_writes_at_end<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/log", b"start;")?;
    let h = open(&fs, "/log", OpenFlags::APPEND)?;
    ok(fs.write_at(h, b"one;", 0), "write_at on an APPEND handle")?;
    ok(fs.write_at(h, b"two;", 2), "write_at on an APPEND handle")?;
    ok(fs.close(h), "close")?;
    ensure_bytes(
        &get(&fs, "/log")?,
        b"start;one;two;",
        "APPEND ignores the offset",
    )
}

fn open_create_exclusive_truncate<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let h = open(&fs, "/new", OpenFlags::WRITE | OpenFlags::CREATE)?;
    ok(fs.close(h), "close")?;
    ensure_bytes(&get(&fs, "/new")?, b"", "CREATE makes an empty file")?;
    put(&fs, "/new", b"content")?;
    let h = open(&fs, "/new", OpenFlags::READ_WRITE | OpenFlags::CREATE)?;
    ok(fs.close(h), "close")?;
    ensure_bytes(&get(&fs, "/new")?, b"content", "CREATE alone keeps content")?;
    expect_err(
        fs.open(
            p("/new"),
            OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::EXCLUSIVE,
        ),
        ALREADY_EXISTS,
        "open CREATE|EXCLUSIVE of an existing file",
    )?;
    let h = open(&fs, "/new", OpenFlags::WRITE | OpenFlags::TRUNCATE)?;
    ok(fs.close(h), "close")?;
    ensure_bytes(&get(&fs, "/new")?, b"", "TRUNCATE empties the file")?;
    let h = open(
        &fs,
        "/excl",
        OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::EXCLUSIVE,
    )?;
    ok(fs.close(h), "close")
}

fn open_errors<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    expect_err(
        fs.open(p("/missing"), OpenFlags::READ),
        NOT_FOUND,
        "open /missing",
    )?;
    expect_err(
        fs.open(p("/none/f"), OpenFlags::WRITE | OpenFlags::CREATE),
        NOT_FOUND,
        "open CREATE in a missing directory",
    )?;
    expect_err(
        fs.open(p("/d"), OpenFlags::READ),
        IS_A_DIRECTORY,
        "open of a directory",
    )
}

fn handle_access_is_checked<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"data")?;
    let r = open(&fs, "/f", OpenFlags::READ)?;
    let w = open(&fs, "/f", OpenFlags::WRITE)?;
    expect_err(
        fs.write_at(r, b"x", 0),
        HANDLE_ACCESS,
        "write_at on a READ handle",
    )?;
    let mut buf = [0u8; 4];
    expect_err(
        fs.read_at(w, &mut buf, 0),
        HANDLE_ACCESS,
        "read_at on a WRITE handle",
    )?;
    ok(fs.close(r), "close r")?;
    ok(fs.close(w), "close w")?;
    ensure_bytes(&get(&fs, "/f")?, b"data", "content after refused writes")
}

fn closed_handle_is_invalid<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"data")?;
    let h = open(&fs, "/f", OpenFlags::READ_WRITE)?;
    ok(fs.close(h), "close")?;
    let mut buf = [0u8; 4];
    expect_err(
        fs.read_at(h, &mut buf, 0),
        INVALID_HANDLE,
        "read_at after close",
    )?;
    expect_err(
        fs.write_at(h, b"x", 0),
        INVALID_HANDLE,
        "write_at after close",
    )?;
    expect_err(fs.close(h), INVALID_HANDLE, "second close")?;
    let never = Handle(u64::MAX);
    expect_err(
        fs.read_at(never, &mut buf, 0),
        INVALID_HANDLE,
        "read_at never opened",
    )?;
    expect_err(
        fs.close(never),
        INVALID_HANDLE,
        "close of a never-opened handle",
    )
}

fn handle_writes_are_visible_everywhere<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"")?;
    let a = open(&fs, "/f", OpenFlags::READ_WRITE)?;
    let b = open(&fs, "/f", OpenFlags::READ_WRITE)?;
    ok(fs.write_at(a, b"hello", 0), "write_at via a")?;
    ensure_bytes(&read_at(&fs, b, 16, 0)?, b"hello", "read via b")?;
    ensure_bytes(&get(&fs, "/f")?, b"hello", "read by path while open")?;
    ensure_eq(
        &ok(fs.metadata(p("/f")), "metadata")?.size,
        &5,
        "size while open",
    )?;
    ok(fs.append(p("/f"), b"!"), "append by path")?;
    ensure_bytes(&read_at(&fs, a, 16, 0)?, b"hello!", "path write seen via a")?;
    ok(fs.close(a), "close a")?;
    ok(fs.close(b), "close b")
}

fn handle_survives_unlink<B: FsPosix>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"still here")?;
    let h = open(&fs, "/f", OpenFlags::READ_WRITE)?;
    ok(fs.remove_file(p("/f")), "remove_file while open")?;
    expect_err(fs.metadata(p("/f")), NOT_FOUND, "the name is gone")?;
    ensure_bytes(
        &read_at(&fs, h, 32, 0)?,
        b"still here",
        "open handle after unlink",
    )?;
    ok(fs.write_at(h, b"S", 0), "write_at after unlink")?;
    ensure_bytes(
        &read_at(&fs, h, 32, 0)?,
        b"Still here",
        "read back after unlink",
    )?;
    ok(fs.close(h), "close")?;
    expect_err(fs.read(p("/f")), NOT_FOUND, "no resurrection after close")
}
