//! Copy-up: what triggers it, what it carries, renames across layers, concurrency.

use std::io::Write;
use std::sync::Arc;

use anyfs_backend::{FsDir, FsLink, FsPermissions, FsRead, FsWrite, Permissions};

use super::{names, overlay, p, tree};

#[test]
fn changes_that_keep_content_copy_the_file_up_with_its_parents() {
    let (fs, b, upper) = overlay();
    let before = tree(&b);
    fs.append(p("/src/lib/mod.rs"), b"+1").unwrap();
    assert_eq!(fs.read(p("/src/lib/mod.rs")).unwrap(), b"mod+1");
    assert_eq!(upper.read(p("/src/lib/mod.rs")).unwrap(), b"mod+1");
    assert!(upper.metadata(p("/src/lib")).unwrap().is_dir());
    fs.truncate(p("/etc/hosts"), 4).unwrap();
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"base");
    fs.set_permissions(p("/src/main.rs"), Permissions::from_mode(0o700))
        .unwrap();
    assert_eq!(fs.read(p("/src/main.rs")).unwrap(), b"fn main() {}");
    assert_eq!(
        fs.metadata(p("/src/main.rs")).unwrap().permissions.mode(),
        0o700
    );
    assert_eq!(tree(&b), before, "the base changed");
}

#[test]
fn copy_up_keeps_attributes_and_parent_permissions() {
    let (fs, _, upper) = overlay();
    fs.append(p("/etc/conf"), b"!").unwrap();
    assert_eq!(
        upper.metadata(p("/etc/conf")).unwrap().permissions.mode(),
        0o600
    );
    fs.write(p("/docs/new"), b"n").unwrap();
    assert_eq!(
        upper.metadata(p("/docs")).unwrap().permissions.mode(),
        0o700
    );
    assert_eq!(fs.metadata(p("/docs")).unwrap().permissions.mode(), 0o700);
}

#[test]
fn replacing_content_shadows_without_copying_and_keeps_permissions() {
    let (fs, b, _) = overlay();
    fs.write(p("/etc/conf"), b"replaced").unwrap();
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"replaced");
    assert_eq!(
        fs.metadata(p("/etc/conf")).unwrap().permissions.mode(),
        0o600
    );
    let mut w = fs.open_write(p("/etc/hosts")).unwrap();
    w.write_all(b"streamed").unwrap();
    drop(w);
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"streamed");
    fs.copy(p("/src/main.rs"), p("/etc/copied")).unwrap();
    assert_eq!(fs.read(p("/etc/copied")).unwrap(), b"fn main() {}");
    fs.copy(p("/etc/conf"), p("/etc/conf")).unwrap();
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"replaced");
    assert_eq!(b.read(p("/etc/conf")).unwrap(), b"base conf");
    assert_eq!(b.read(p("/etc/hosts")).unwrap(), b"base hosts");
}

#[test]
fn writing_through_a_base_symlink_copies_the_target_up() {
    let (fs, b, upper) = overlay();
    fs.append(p("/link"), b"+").unwrap();
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"base conf+");
    assert_eq!(fs.read_link(p("/link")).unwrap(), p("/etc/conf"));
    assert!(
        upper.symlink_metadata(p("/link")).is_err(),
        "the link itself stays in the base"
    );
    fs.write(p("/dirlink/lib/mod.rs"), b"via dir link").unwrap();
    assert_eq!(fs.read(p("/src/lib/mod.rs")).unwrap(), b"via dir link");
    assert_eq!(b.read(p("/src/lib/mod.rs")).unwrap(), b"mod");
}

#[test]
fn hard_links_to_a_base_file_share_its_upper_copy() {
    let (fs, b, _) = overlay();
    fs.hard_link(p("/etc/hosts"), p("/etc/hosts2")).unwrap();
    fs.append(p("/etc/hosts2"), b"+").unwrap();
    assert_eq!(fs.read(p("/etc/hosts")).unwrap(), b"base hosts+");
    assert_eq!(fs.metadata(p("/etc/hosts")).unwrap().nlink, 2);
    assert_eq!(b.metadata(p("/etc/hosts")).unwrap().nlink, 1);
}

#[test]
fn renaming_a_base_file_copies_it_up_and_whites_out_the_source() {
    let (fs, b, _) = overlay();
    fs.rename(p("/etc/hosts"), p("/hosts")).unwrap();
    assert_eq!(fs.read(p("/hosts")).unwrap(), b"base hosts");
    assert_eq!(fs.read(p("/etc/hosts")).unwrap_err().code(), "ENOENT");
    assert_eq!(names(&fs, "/etc"), vec!["conf"]);
    // Over an existing base file, and a symlink.
    fs.rename(p("/src/main.rs"), p("/etc/conf")).unwrap();
    assert_eq!(fs.read(p("/etc/conf")).unwrap(), b"fn main() {}");
    fs.rename(p("/link"), p("/link2")).unwrap();
    assert_eq!(fs.read_link(p("/link2")).unwrap(), p("/etc/conf"));
    assert_eq!(b.read(p("/etc/hosts")).unwrap(), b"base hosts");
    assert!(b.exists(p("/src/main.rs")).unwrap());
}

#[test]
fn renaming_a_base_directory_copies_the_subtree() {
    let (fs, b, _) = overlay();
    fs.write(p("/src/lib/added.rs"), b"added").unwrap();
    fs.remove_file(p("/src/main.rs")).unwrap();
    let src_before: Vec<_> = tree(&fs)
        .into_iter()
        .filter_map(|(path, what)| {
            path.strip_prefix("/src")
                .ok()
                .map(|rest| (rest.to_path_buf(), what))
        })
        .collect();
    fs.rename(p("/src"), p("/moved")).unwrap();
    assert!(!fs.exists(p("/src")).unwrap());
    let moved: Vec<_> = tree(&fs)
        .into_iter()
        .filter_map(|(path, what)| {
            path.strip_prefix("/moved")
                .ok()
                .map(|rest| (rest.to_path_buf(), what))
        })
        .collect();
    assert_eq!(moved, src_before);
    assert_eq!(fs.read(p("/moved/lib/mod.rs")).unwrap(), b"mod");
    assert!(b.exists(p("/src/main.rs")).unwrap());
    // The symlink into the old place now dangles, as it would on any filesystem.
    assert_eq!(
        fs.read(p("/dirlink/lib/mod.rs")).unwrap_err().code(),
        "ENOENT"
    );
    // Renaming onto a deleted-then-recreated (opaque) location keeps the base hidden.
    fs.rename(p("/moved"), p("/src")).unwrap();
    assert_eq!(names(&fs, "/src"), vec!["lib"]);
}

#[test]
fn renaming_an_upper_directory_over_a_base_path_keeps_the_base_hidden() {
    let (fs, _, _) = overlay();
    fs.create_dir(p("/new")).unwrap();
    fs.write(p("/new/a"), b"a").unwrap();
    fs.remove_dir_all(p("/src")).unwrap();
    fs.rename(p("/new"), p("/src")).unwrap();
    assert_eq!(names(&fs, "/src"), vec!["a"]);
    assert!(!fs.exists(p("/new")).unwrap());
}

#[test]
fn concurrent_first_appends_are_not_lost_to_copy_up() {
    for _ in 0..20 {
        let (fs, _, _) = overlay();
        let fs = Arc::new(fs);
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let fs = fs.clone();
                s.spawn(move || fs.append(p("/etc/hosts"), &[b'0' + t]).unwrap());
            }
        });
        let content = fs.read(p("/etc/hosts")).unwrap();
        assert_eq!(content.len(), b"base hosts".len() + 4, "{content:?}");
        assert!(content.starts_with(b"base hosts"));
        for t in 0..4u8 {
            assert!(
                content.contains(&(b'0' + t)),
                "append {t} lost: {content:?}"
            );
        }
    }
}

#[test]
fn set_times_and_owner_copy_up() {
    let (fs, b, _) = overlay();
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(77);
    fs.set_times(p("/etc/hosts"), None, Some(t)).unwrap();
    assert_eq!(fs.metadata(p("/etc/hosts")).unwrap().modified, Some(t));
    fs.set_owner(p("/docs"), Some(3), Some(4)).unwrap();
    assert_eq!(fs.metadata(p("/docs")).unwrap().uid, 3);
    assert_ne!(b.metadata(p("/etc/hosts")).unwrap().modified, Some(t));
    assert_eq!(b.metadata(p("/docs")).unwrap().uid, 0);
}
