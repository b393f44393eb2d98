//! Resolution through FileStorage over a backend that resolves nothing itself.

use std::path::Path;

use super::dumb::{Node, PathMap};
use crate::{FileStorage, FileType, Fs, FsError, IterativeResolver};

fn p(s: &str) -> &Path {
    Path::new(s)
}

/// /a/b (dir), /a/t "through the link", /t "lexical decoy", /foo -> /a/b
fn storage() -> FileStorage<PathMap> {
    let fs = FileStorage::new(PathMap::new());
    fs.create_dir_all("/a/b").unwrap();
    fs.write("/a/t", "through the link").unwrap();
    fs.write("/t", "lexical decoy").unwrap();
    fs.symlink("/a/b", "/foo").unwrap();
    fs
}

#[test]
fn dotdot_after_symlink_goes_through_the_target() {
    let fs = storage();
    assert_eq!(fs.read_to_string("/foo/../t").unwrap(), "through the link");
    let mut names: Vec<_> = fs
        .read_dir("/foo/..")
        .unwrap()
        .into_iter()
        .map(|e| e.name.into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["b", "t"]);
    // Writes too: the file lands next to the target, not at the root.
    fs.write("/foo/../new", "n").unwrap();
    assert!(fs.backend().get("/a/new").is_some());
    assert!(fs.backend().get("/new").is_none());
}

#[test]
fn dotdot_above_root_is_root() {
    let fs = storage();
    assert_eq!(fs.read_to_string("/../../t").unwrap(), "lexical decoy");
    assert_eq!(fs.metadata("/..").unwrap().file_type, FileType::Directory);
}

#[test]
fn symlink_chains_are_followed_one_level_at_a_time_by_read_link() {
    let fs = storage();
    fs.symlink("/a/t", "/c").unwrap();
    fs.symlink("c", "/b").unwrap(); // relative
    fs.symlink("/b", "/start").unwrap();
    assert_eq!(fs.read("/start").unwrap(), b"through the link");
    assert_eq!(fs.metadata("/start").unwrap().file_type, FileType::File);
    assert_eq!(
        fs.symlink_metadata("/start").unwrap().file_type,
        FileType::Symlink
    );
    assert_eq!(fs.read_link("/start").unwrap(), p("/b"));
    assert_eq!(fs.read_link("/b").unwrap(), p("c"));
}

#[test]
fn relative_targets_resolve_from_the_links_directory() {
    let fs = storage();
    fs.symlink("../t", "/a/b/up").unwrap();
    assert_eq!(fs.read_to_string("/a/b/up").unwrap(), "through the link");
    fs.symlink("b/../../t", "/a/odd").unwrap();
    assert_eq!(fs.read_to_string("/a/odd").unwrap(), "lexical decoy");
}

#[test]
fn loops_are_eloop_and_do_not_exist() {
    let fs = storage();
    fs.symlink("/l2", "/l1").unwrap();
    fs.symlink("/l1", "/l2").unwrap();
    fs.symlink("self", "/self").unwrap();
    for path in ["/l1", "/l2/x", "/self"] {
        assert_eq!(fs.read(path).unwrap_err().code(), "ELOOP", "{path}");
        assert_eq!(fs.metadata(path).unwrap_err().code(), "ELOOP", "{path}");
        assert!(!fs.exists(path).unwrap(), "{path}");
    }
    // The link itself is fine.
    assert_eq!(
        fs.symlink_metadata("/l1").unwrap().file_type,
        FileType::Symlink
    );
    fs.remove_file("/self").unwrap();
}

#[test]
fn symlink_depth_limit_is_configurable() {
    let fs = FileStorage::with_resolver(PathMap::new(), IterativeResolver::with_max_symlinks(2));
    fs.write("/f", "x").unwrap();
    fs.symlink("/f", "/s1").unwrap();
    fs.symlink("/s1", "/s2").unwrap();
    fs.symlink("/s2", "/s3").unwrap();
    assert_eq!(fs.read("/s2").unwrap(), b"x");
    assert_eq!(fs.read("/s3").unwrap_err().code(), "ELOOP");
}

#[test]
fn final_symlink_is_not_followed_by_posix_no_follow_operations() {
    let fs = storage();
    fs.symlink("/a/t", "/lt").unwrap();

    // remove_file removes the link, not the target.
    fs.remove_file("/lt").unwrap();
    assert!(fs.backend().get("/lt").is_none());
    assert!(fs.backend().get("/a/t").is_some());

    // rename moves the link itself, and replaces a link at the destination.
    fs.symlink("/a/t", "/lt").unwrap();
    fs.symlink("/t", "/other").unwrap();
    fs.rename("/lt", "/other").unwrap();
    assert!(matches!(fs.backend().get("/other"), Some(Node::Link(t)) if t == p("/a/t")));
    assert!(fs.backend().get("/t").is_some());

    // remove_dir / remove_dir_all on a link to a directory do not touch the directory.
    assert_eq!(fs.remove_dir("/foo").unwrap_err().code(), "ENOTDIR");
    fs.remove_dir_all("/foo").unwrap();
    assert!(fs.backend().get("/a/b").is_some());

    // create_dir on an existing (even dangling) link: EEXIST.
    fs.symlink("/nowhere", "/dangling").unwrap();
    assert_eq!(fs.create_dir("/dangling").unwrap_err().code(), "EEXIST");
}

#[test]
fn intermediate_symlinks_are_followed_by_no_follow_operations() {
    let fs = storage();
    fs.write("/foo/f", "in b").unwrap();
    assert!(fs.backend().get("/a/b/f").is_some());
    fs.rename("/foo/f", "/foo/g").unwrap();
    assert!(fs.backend().get("/a/b/g").is_some());
    fs.remove_file("/foo/g").unwrap();
    assert!(fs.backend().get("/a/b/g").is_none());
}

#[test]
fn writing_through_a_dangling_symlink_creates_the_target() {
    let fs = storage();
    fs.symlink("/a/created", "/d").unwrap();
    fs.write("/d", "made").unwrap();
    assert!(matches!(fs.backend().get("/a/created"), Some(Node::File(d)) if d == b"made"));
    assert!(matches!(fs.backend().get("/d"), Some(Node::Link(_))));
}

#[test]
fn create_dir_all_creates_under_symlink_targets() {
    let fs = storage();
    fs.create_dir_all("/foo/x/y").unwrap();
    assert!(matches!(fs.backend().get("/a/b/x/y"), Some(Node::Dir)));
    fs.create_dir_all("/foo").unwrap(); // a link to a directory already satisfies it
    fs.create_dir_all("/foo/x/../z").unwrap();
    assert!(matches!(fs.backend().get("/a/b/z"), Some(Node::Dir)));
    assert_eq!(fs.create_dir_all("/t/sub").unwrap_err().code(), "ENOTDIR");
}

#[test]
fn wrong_node_types_in_the_middle_are_enotdir() {
    let fs = storage();
    fs.symlink("/t", "/lt").unwrap();
    for path in ["/t/x", "/lt/x", "/t/..", "/a/t/"] {
        assert_eq!(fs.read(path).unwrap_err().code(), "ENOTDIR", "{path}");
        assert!(!fs.exists(path).unwrap(), "{path}");
    }
}

#[test]
fn hard_link_does_not_follow_the_original() {
    let fs = storage();
    fs.hard_link("/foo", "/foo2").unwrap();
    assert!(matches!(fs.backend().get("/foo2"), Some(Node::Link(t)) if t == p("/a/b")));
    fs.hard_link("/a/t", "/foo/hl").unwrap();
    assert!(fs.backend().get("/a/b/hl").is_some());
}

#[test]
fn storage_without_links_resolves_dotdot_lexically() {
    let fs = FileStorage::without_links(PathMap::new());
    assert!(!fs.resolves_links());
    fs.create_dir_all("/a/b").unwrap();
    fs.write("/a/f", "f").unwrap();
    assert_eq!(fs.read("/a/b/../f").unwrap(), b"f");
    assert_eq!(fs.read("/a/nope/../f").unwrap_err().code(), "ENOENT");
    assert_eq!(fs.read("/a/f/../f").unwrap_err().code(), "ENOTDIR");
    assert_eq!(fs.read("/a/f/").unwrap_err().code(), "ENOTDIR");
    // No `..`: validation only, the backend sees the normalized path.
    let before = fs.backend().lookups();
    assert_eq!(fs.read("//a/./f").unwrap(), b"f");
    assert_eq!(fs.backend().lookups(), before);
}

#[test]
fn self_resolving_storage_only_normalizes() {
    let fs = FileStorage::self_resolving(PathMap::lenient());
    fs.create_dir("/a").unwrap();
    fs.write("//a/./f/", "f").unwrap_err(); // trailing slash on a file is EISDIR
    fs.write("//a/./f", "f").unwrap();
    assert!(fs.backend().get("/a/f").is_some());
    // `..` and a trailing `/` are the backend's business: this one understands neither.
    assert_eq!(fs.read("/a/../a/f").unwrap_err().code(), "ENOENT");
    let resolved = |path: &str| {
        let options = crate::ResolveOptions::FOLLOW;
        fs.resolver()
            .resolve(fs.context(), p(path), options, "t")
            .unwrap()
    };
    assert_eq!(resolved("//a/.//").as_os_str(), "/a/");
    assert_eq!(resolved("//a/.").as_os_str(), "/a");
    assert_eq!(resolved("//").as_os_str(), "/");
    assert_eq!(fs.read("a/f").unwrap_err().code(), "EINVAL");
}

#[test]
fn file_storage_is_an_fs() {
    fn via_trait<T: Fs>(fs: &T) -> Result<Vec<u8>, FsError> {
        fs.write(p("/via"), b"trait")?;
        fs.read(p("/foo/../via"))
    }
    let fs = storage();
    assert_eq!(via_trait(&fs).unwrap_err().code(), "ENOENT");
    fs.write("/a/via", "through").unwrap();
    assert_eq!(via_trait(&fs).unwrap(), b"through");
}

#[test]
fn read_with_resolves_once_and_reads_a_backend_that_does_not_lend() {
    let fs = storage();
    let before = fs.backend().lookups();
    let mut seen = Vec::new();
    fs.read_with("/foo/../t", |bytes, shared| {
        assert!(shared.is_none(), "PathMap keeps no descriptors");
        seen.push(bytes.to_vec());
    })
    .unwrap();
    assert_eq!(seen, [b"through the link".to_vec()]);
    let with = fs.backend().lookups() - before;
    let before = fs.backend().lookups();
    fs.read("/foo/../t").unwrap();
    assert_eq!(
        with,
        fs.backend().lookups() - before,
        "read_with looked up more than read"
    );
    let err = fs
        .read_with("/foo/../missing", |_, _| panic!("visited"))
        .unwrap_err();
    assert_eq!(err.code(), "ENOENT");
}
