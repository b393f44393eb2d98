//! Path edge cases: doubled and trailing slashes, `.`, empty, relative, NUL, invalid UTF-8,
//! the root, names and paths at and just over the Linux limits (255-byte names, 4095-byte
//! paths), Unicode, spaces and special characters.

use std::path::Path;

use super::check::*;
use super::fixtures::*;
use super::report::{cases, Case, Factory};
use crate::path::{MAX_NAME_LEN, MAX_PATH_LEN};
use crate::Fs;

/// The path edge cases.
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    let mut all = cases![B;
        double_slashes_normalize,
        trailing_slash_on_directory,
        trailing_slash_on_file_is_enotdir,
        dot_components_are_ignored,
        empty_path_is_einval,
        relative_path_is_einval,
        nul_byte_is_einval,
        root_path_works,
        root_cannot_be_replaced,
        name_of_255_bytes_works,
        name_of_256_bytes_is_enametoolong,
        path_of_4095_bytes_works,
        path_over_4095_bytes_is_enametoolong,
        unicode_names_roundtrip,
        spaces_and_special_characters_roundtrip,
        dotted_names_are_plain_names,
    ];
    #[cfg(unix)]
    all.extend(cases![B; invalid_utf8_is_einval]);
    all
}

fn double_slashes_normalize<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/dir")?;
    put(&fs, "/dir//a.txt", b"a")?;
    ensure_bytes(&get(&fs, "/dir/a.txt")?, b"a", "read /dir/a.txt")?;
    ensure_bytes(&get(&fs, "//dir///a.txt")?, b"a", "read //dir///a.txt")?;
    ensure_eq(
        &names(&fs, "//dir//")?,
        &set(&["a.txt"]),
        "read_dir //dir//",
    )?;
    ok(
        fs.create_dir_all(p("/x//y///z")),
        "create_dir_all /x//y///z",
    )?;
    ensure_eq(&names(&fs, "/x/y")?, &set(&["z"]), "read_dir /x/y")
}

fn trailing_slash_on_directory<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/dir")?;
    put(&fs, "/dir/f", b"f")?;
    ensure(
        ok(fs.metadata(p("/dir/")), "metadata /dir/")?.is_dir(),
        || "metadata /dir/ is not a directory".into(),
    )?;
    ensure_eq(&names(&fs, "/dir/")?, &set(&["f"]), "read_dir /dir/")?;
    ok(fs.create_dir(p("/new/")), "create_dir /new/")?;
    ensure(
        ok(fs.metadata(p("/new")), "metadata /new")?.is_dir(),
        || "create_dir /new/ made no directory".into(),
    )?;
    ok(fs.remove_dir(p("/new/")), "remove_dir /new/")?;
    expect_err(
        fs.metadata(p("/new")),
        NOT_FOUND,
        "metadata /new after remove_dir /new/",
    )
}

fn trailing_slash_on_file_is_enotdir<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/file.txt", b"f")?;
    expect_err(fs.read(p("/file.txt/")), NOT_A_DIRECTORY, "read /file.txt/")?;
    expect_err(
        fs.metadata(p("/file.txt/")),
        NOT_A_DIRECTORY,
        "metadata /file.txt/",
    )
}

fn dot_components_are_ignored<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/dir")?;
    put(&fs, "/./dir/./a.txt", b"a")?;
    ensure_bytes(&get(&fs, "/dir/a.txt")?, b"a", "read /dir/a.txt")?;
    ensure_eq(&names(&fs, "/dir/.")?, &set(&["a.txt"]), "read_dir /dir/.")?;
    ensure(ok(fs.metadata(p("/.")), "metadata /.")?.is_dir(), || {
        "metadata /. is not a directory".into()
    })
}

/// Every path-taking core operation on `path`, each expected to fail with `expected`.
fn all_ops_fail<B: Fs>(fs: &B, path: &Path, expected: Expected, label: &str) -> Outcome {
    let what = |op: &str| format!("{op} {label}");
    expect_err(fs.read(path), expected, &what("read"))?;
    expect_err(fs.read_range(path, 0, 1), expected, &what("read_range"))?;
    expect_err(fs.metadata(path), expected, &what("metadata"))?;
    expect_err(fs.exists(path), expected, &what("exists"))?;
    expect_err(fs.open_read(path), expected, &what("open_read"))?;
    expect_err(fs.write(path, b"x"), expected, &what("write"))?;
    expect_err(fs.append(path, b"x"), expected, &what("append"))?;
    expect_err(fs.remove_file(path), expected, &what("remove_file"))?;
    expect_err(fs.rename(path, p("/x")), expected, &what("rename from"))?;
    expect_err(fs.copy(path, p("/x")), expected, &what("copy from"))?;
    expect_err(fs.truncate(path, 0), expected, &what("truncate"))?;
    expect_err(fs.open_write(path), expected, &what("open_write"))?;
    expect_err(fs.read_dir(path), expected, &what("read_dir"))?;
    expect_err(fs.create_dir(path), expected, &what("create_dir"))?;
    expect_err(fs.create_dir_all(path), expected, &what("create_dir_all"))?;
    expect_err(fs.remove_dir(path), expected, &what("remove_dir"))?;
    expect_err(fs.remove_dir_all(path), expected, &what("remove_dir_all"))?;
    put(fs, "/src", b"s")?;
    expect_err(fs.rename(p("/src"), path), expected, &what("rename to"))?;
    expect_err(fs.copy(p("/src"), path), expected, &what("copy to"))?;
    ensure_eq(
        &names(fs, "/")?,
        &set(&["src"]),
        "root after rejected paths",
    )
}

fn empty_path_is_einval<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    all_ops_fail(&fs, p(""), INVALID_PATH, "\"\"")
}

fn relative_path_is_einval<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    for path in ["a.txt", "dir/a.txt", "./a.txt", "../a.txt", "."] {
        let fs = make();
        all_ops_fail(&fs, p(path), INVALID_PATH, path)?;
    }
    put(&fs, "/a.txt", b"a")?;
    expect_err(
        fs.read(p("a.txt")),
        INVALID_PATH,
        "read a.txt with /a.txt present",
    )
}

fn nul_byte_is_einval<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    all_ops_fail(&fs, p("/a\0b"), INVALID_PATH, "/a\\0b")?;
    let fs = make();
    all_ops_fail(&fs, p("/\0"), INVALID_PATH, "/\\0")
}

#[cfg(unix)]
fn invalid_utf8_is_einval<B: Fs>(make: Factory<'_, B>) -> Outcome {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let fs = make();
    let bad = Path::new(OsStr::from_bytes(b"/bad\xff\xfe.txt"));
    all_ops_fail(&fs, bad, INVALID_PATH, "/bad\\xff\\xfe.txt")
}

fn root_path_works<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    ensure(ok(fs.metadata(p("/")), "metadata /")?.is_dir(), || {
        "metadata / is not a directory".into()
    })?;
    ensure(ok(fs.exists(p("/")), "exists /")?, || {
        "exists / is false".into()
    })?;
    put(&fs, "/f", b"f")?;
    ensure_eq(&names(&fs, "/")?, &set(&["f"]), "read_dir /")?;
    expect_err(fs.read(p("/")), IS_A_DIRECTORY, "read /")?;
    expect_err(fs.write(p("/"), b"x"), IS_A_DIRECTORY, "write /")?;
    expect_err(fs.create_dir(p("/")), ALREADY_EXISTS, "create_dir /")?;
    ok(fs.create_dir_all(p("/")), "create_dir_all /")
}

fn root_cannot_be_replaced<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    put(&fs, "/f", b"f")?;
    mkdirs(&fs, "/d")?;
    // POSIX leaves the exact errno to the system; Linux says EISDIR / EBUSY.
    expect_code_in(
        fs.remove_file(p("/")),
        &["EISDIR", "EBUSY", "EPERM"],
        "remove_file /",
    )?;
    expect_code_in(
        fs.rename(p("/"), p("/d/root")),
        &["EBUSY", "EINVAL", "EPERM"],
        "rename / into itself",
    )?;
    expect_code_in(
        fs.rename(p("/d"), p("/")),
        &["EBUSY", "ENOTEMPTY", "EEXIST", "EINVAL", "EPERM"],
        "rename over /",
    )?;
    expect_code_in(
        fs.remove_dir_all(p("/")),
        &["EBUSY", "EINVAL", "EPERM", "EACCES"],
        "remove_dir_all /",
    )
    .or_else(|e| {
        // Removing everything below the root and keeping the root is also acceptable.
        if ok(fs.metadata(p("/")), "metadata /")?.is_dir() && names(&fs, "/")?.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    ensure(ok(fs.metadata(p("/")), "metadata /")?.is_dir(), || {
        "the root is not a directory any more".into()
    })
}

fn name_of_255_bytes_works<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    let ascii = "a".repeat(MAX_NAME_LEN);
    // 127 two-byte characters and one ASCII: 255 bytes, 128 characters.
    let multibyte = format!("{}z", "é".repeat((MAX_NAME_LEN - 1) / 2));
    for name in [&ascii, &multibyte] {
        put(&fs, &format!("/d/{name}"), name.as_bytes())?;
        ensure_bytes(
            &get(&fs, &format!("/d/{name}"))?,
            name.as_bytes(),
            "read back",
        )?;
    }
    ok(
        fs.create_dir(p(&format!("/{ascii}"))),
        "create_dir of a 255-byte name",
    )?;
    ensure_eq(
        &names(&fs, "/d")?,
        &set(&[ascii.as_str(), multibyte.as_str()]),
        "read_dir /d",
    )
}

fn name_of_256_bytes_is_enametoolong<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    mkdirs(&fs, "/d")?;
    let ascii = format!("/d/{}", "a".repeat(MAX_NAME_LEN + 1));
    // 128 two-byte characters: only 128 characters, but 256 bytes. Limits are in bytes.
    let multibyte = format!("/d/{}", "é".repeat(MAX_NAME_LEN.div_ceil(2)));
    for path in [&ascii, &multibyte] {
        expect_err(
            fs.write(p(path), b"x"),
            NAME_TOO_LONG,
            "write of a 256-byte name",
        )?;
        expect_err(
            fs.create_dir(p(path)),
            NAME_TOO_LONG,
            "create_dir of a 256-byte name",
        )?;
        expect_err(
            fs.metadata(p(path)),
            NAME_TOO_LONG,
            "metadata of a 256-byte name",
        )?;
        expect_err(fs.read(p(path)), NAME_TOO_LONG, "read of a 256-byte name")?;
    }
    ensure_eq(&names(&fs, "/d")?, &set(&[]), "nothing was created")
}

/// A path of exactly `len` bytes: 200-byte directory names, then a file name filling the rest.
/// Returns (directory part, full path).
fn path_of_len(len: usize) -> (String, String) {
    let mut dirs = String::new();
    while len - dirs.len() - 1 > MAX_NAME_LEN {
        dirs.push('/');
        dirs.push_str(&"d".repeat(200));
    }
    let file = "f".repeat(len - dirs.len() - 1);
    let full = format!("{dirs}/{file}");
    (dirs, full)
}

fn path_of_4095_bytes_works<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (dirs, full) = path_of_len(MAX_PATH_LEN);
    ensure_eq(&full.len(), &MAX_PATH_LEN, "kit bug: path length")?;
    mkdirs(&fs, &dirs)?;
    put(&fs, &full, b"deep")?;
    ensure_bytes(&get(&fs, &full)?, b"deep", "read of a 4095-byte path")
}

fn path_over_4095_bytes_is_enametoolong<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    let (dirs, full) = path_of_len(MAX_PATH_LEN + 1);
    ensure_eq(&full.len(), &(MAX_PATH_LEN + 1), "kit bug: path length")?;
    mkdirs(&fs, &dirs)?;
    expect_err(
        fs.write(p(&full), b"x"),
        NAME_TOO_LONG,
        "write of a 4096-byte path",
    )?;
    expect_err(
        fs.metadata(p(&full)),
        NAME_TOO_LONG,
        "metadata of a 4096-byte path",
    )?;
    let huge = format!("/{}", "x/".repeat(5000));
    expect_err(
        fs.read(p(&huge)),
        NAME_TOO_LONG,
        "read of a 10001-byte path",
    )?;
    expect_err(
        fs.create_dir_all(p(&huge)),
        NAME_TOO_LONG,
        "create_dir_all 10001 bytes",
    )
}

fn roundtrip_names<B: Fs>(fs: &B, names_in: &[&str]) -> Outcome {
    mkdirs(fs, "/n")?;
    for name in names_in {
        let path = format!("/n/{name}");
        put(fs, &path, name.as_bytes())?;
        ensure_bytes(&get(fs, &path)?, name.as_bytes(), &format!("read {path:?}"))?;
    }
    let listed = names(fs, "/n")?;
    ensure_eq(
        &listed,
        &set(names_in),
        "read_dir gives the names back byte for byte",
    )
}

fn unicode_names_roundtrip<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    roundtrip_names(
        &fs,
        &[
            "日本語.txt",
            "emoji 🎉.md",
            "Ünïcödé",
            "e\u{301}-combining",
            "é-precomposed",
            "Ελληνικά",
            "עברית",
            "\u{200b}zero-width",
        ],
    )?;
    mkdirs(&fs, "/目录/子目录")?;
    put(&fs, "/目录/子目录/файл", b"deep unicode")?;
    ensure_bytes(
        &get(&fs, "/目录/子目录/файл")?,
        b"deep unicode",
        "nested unicode path",
    )
}

fn spaces_and_special_characters_roundtrip<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    roundtrip_names(
        &fs,
        &[
            "with space.txt",
            " leading",
            "trailing ",
            "semi;colon",
            "quote'single",
            "quote\"double",
            "star*question?",
            "#hash%percent&amp",
            "tab\there",
            "new\nline",
            "colon:name",
            "<angle>|pipe",
            "$dollar`tick`",
        ],
    )
}

fn dotted_names_are_plain_names<B: Fs>(make: Factory<'_, B>) -> Outcome {
    let fs = make();
    roundtrip_names(
        &fs,
        &[
            "...",
            "....",
            ".hidden",
            "a..b",
            "trailing.",
            "-dash",
            "~tilde",
        ],
    )
}
