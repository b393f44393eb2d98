//! The escape corpus: named attacks, each a host layout planted inside the root (as someone
//! with write access to the root could make it) and the virtual path the attack uses. The
//! driver in `vrootfs_escape.rs` runs every attack against every operation that takes a path.
//!
//! The host layout around the root is always:
//!
//! ```text
//! <outer>/sentinel            file "SENTINEL-CONTENT", xattr user.secret
//! <outer>/sentinel_dir/inner  file "INNER-SECRET"
//! <outer>/root/               the backend's root; /src_file and /src_dir exist in it
//! ```
//!
//! No attack names anything inside the root `sentinel`, `sentinel_dir`, `inner` or `root`, so
//! those names in a result mean a leak.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// Host paths of one fixture.
pub struct World {
    /// The directory holding the sentinels and the root.
    pub outer: PathBuf,
    /// The backend's root.
    pub root: PathBuf,
}

impl World {
    /// Host path of the virtual path `at` (no resolution).
    pub fn host(&self, at: &str) -> PathBuf {
        self.root.join(at.trim_start_matches('/'))
    }

    /// A symlink at virtual `at` with host target `target`, made on the host.
    pub fn link(&self, target: impl AsRef<Path>, at: &str) {
        symlink(target, self.host(at)).expect("plant symlink");
    }

    /// A directory at virtual `at`, made on the host.
    pub fn dir(&self, at: &str) {
        std::fs::create_dir_all(self.host(at)).expect("plant dir");
    }

    /// The host path of the sentinel file.
    pub fn sentinel(&self) -> PathBuf {
        self.outer.join("sentinel")
    }

    /// The host path of the sentinel directory.
    pub fn sentinel_dir(&self) -> PathBuf {
        self.outer.join("sentinel_dir")
    }
}

/// One named attack.
pub struct Attack {
    /// A short name for reports.
    pub name: &'static str,
    /// Plants the attack's layout inside the root.
    pub setup: fn(&World),
    /// The virtual path every operation is given. `{outer}` stands for the host path of the
    /// directory holding the root, without its leading `/`: attacks that go through the host's
    /// `/` aim at this fixture's own sentinel, never at a real host file (an escape, were
    /// there one, must not damage the machine running the test).
    pub path: &'static str,
}

fn nothing(_: &World) {}

/// The attacks that plain host resolution (StdFsBackend, no containment) keeps inside the
/// fixture: their escapes reach `<outer>` only. The control run that proves the oracle can
/// fail uses these alone; the others (host-absolute targets such as `/c3`, climbs past
/// `<outer>`) would make an uncontained backend write into the real `/` or `/tmp`.
pub const HOST_SAFE: [&str; 16] = [
    "abs_symlink_to_sentinel",
    "abs_symlink_to_outer_dir",
    "abs_symlink_to_sentinel_dir",
    "abs_symlink_dir_trailing_slash",
    "abs_symlink_to_host_root",
    "abs_symlink_dotdot_inside_target",
    "rel_symlink_climb",
    "rel_symlink_to_parent_dir",
    "rel_symlink_dot_dot_slash",
    "rel_symlink_dotdot_mid_target",
    "rel_symlink_to_host_proc",
    "chain_rel_climb",
    "dangling_abs_outside",
    "dangling_rel_outside",
    "dir_link_create_below",
    "rel_dir_link_create_below",
];

/// Every attack.
pub fn corpus() -> Vec<Attack> {
    vec![
        // `..` in the caller's path.
        Attack {
            name: "dotdot",
            setup: nothing,
            path: "/../sentinel",
        },
        Attack {
            name: "dotdot_deep",
            setup: nothing,
            path: "/../../../../../../../../sentinel",
        },
        Attack {
            name: "dotdot_to_dir",
            setup: nothing,
            path: "/../sentinel_dir/inner",
        },
        Attack {
            name: "dotdot_after_dir",
            setup: |w| w.dir("/d"),
            path: "/d/../../sentinel",
        },
        Attack {
            name: "dotdot_after_nested_dirs",
            setup: |w| w.dir("/a/b/c"),
            path: "/a/b/c/../../../../sentinel",
        },
        Attack {
            name: "dotdot_with_dots",
            setup: nothing,
            path: "/./.././sentinel",
        },
        Attack {
            name: "dotdot_double_slashes",
            setup: nothing,
            path: "//..//..//sentinel",
        },
        Attack {
            name: "dotdot_outer_listing",
            setup: nothing,
            path: "/..",
        },
        Attack {
            name: "dotdot_names_root",
            setup: nothing,
            path: "/../root/src_file",
        },
        // Absolute symlinks (host targets are taken as virtual paths, inside the root).
        Attack {
            name: "abs_symlink_to_sentinel",
            setup: |w| w.link(w.sentinel(), "/abs"),
            path: "/abs",
        },
        Attack {
            name: "abs_symlink_to_outer_dir",
            setup: |w| w.link(&w.outer, "/out"),
            path: "/out/sentinel",
        },
        Attack {
            name: "abs_symlink_to_sentinel_dir",
            setup: |w| w.link(w.sentinel_dir(), "/sd"),
            path: "/sd/inner",
        },
        Attack {
            name: "abs_symlink_dir_trailing_slash",
            setup: |w| w.link(w.sentinel_dir(), "/sd"),
            path: "/sd/",
        },
        Attack {
            name: "abs_symlink_to_host_root",
            setup: |w| w.link("/", "/hostroot"),
            path: "/hostroot/{outer}/sentinel",
        },
        Attack {
            name: "abs_symlink_virtual_dotdot",
            setup: |w| w.link("/../sentinel", "/vdd"),
            path: "/vdd",
        },
        Attack {
            name: "abs_symlink_dotdot_inside_target",
            setup: |w| w.link(w.sentinel_dir().join(".."), "/sdup"),
            path: "/sdup/sentinel",
        },
        // Relative symlinks that climb.
        Attack {
            name: "rel_symlink_climb",
            setup: |w| w.link("../sentinel", "/rel"),
            path: "/rel",
        },
        Attack {
            name: "rel_symlink_deep_climb",
            setup: |w| {
                w.dir("/d/e");
                w.link("../../../../../../sentinel", "/d/e/deep");
            },
            path: "/d/e/deep",
        },
        Attack {
            name: "rel_symlink_to_parent_dir",
            setup: |w| w.link("..", "/up"),
            path: "/up/sentinel",
        },
        Attack {
            name: "rel_symlink_dot_dot_slash",
            setup: |w| w.link("../", "/up2"),
            path: "/up2/sentinel_dir/inner",
        },
        Attack {
            name: "rel_symlink_dotdot_mid_target",
            setup: |w| {
                w.dir("/d");
                w.link("d/../../sentinel", "/mid");
            },
            path: "/mid",
        },
        Attack {
            name: "rel_symlink_to_host_proc",
            setup: |w| w.link("../../../../../../proc/self/root", "/proc"),
            path: "/proc/{outer}/sentinel",
        },
        // Chains.
        Attack {
            name: "chain_abs",
            setup: |w| {
                w.link(w.sentinel(), "/c3");
                w.link("/c3", "/c2");
                w.link("c2", "/c1");
            },
            path: "/c1",
        },
        Attack {
            name: "chain_rel_climb",
            setup: |w| {
                w.dir("/x/y");
                w.link("../../../sentinel", "/x/y/l2");
                w.link("x/y/l2", "/l1");
            },
            path: "/l1",
        },
        Attack {
            name: "chain_through_dirs",
            setup: |w| {
                w.link("..", "/p1");
                w.link("p1/..", "/p2");
            },
            path: "/p2/sentinel",
        },
        Attack {
            name: "chain_of_39_then_outside",
            setup: |w| {
                w.link(w.sentinel(), "/k39");
                for i in (0..39).rev() {
                    w.link(format!("/k{}", i + 1), &format!("/k{i}"));
                }
            },
            path: "/k0",
        },
        // Symlinks in the middle of a path, then `..`.
        Attack {
            name: "symlink_to_root_then_dotdot",
            setup: |w| w.link("/", "/r"),
            path: "/r/../sentinel",
        },
        Attack {
            name: "symlink_to_subdir_then_dotdot",
            setup: |w| {
                w.dir("/real/sub");
                w.link("/real/sub", "/s");
            },
            path: "/s/../../../sentinel",
        },
        Attack {
            name: "loop_then_dotdot",
            setup: |w| {
                w.link("/loop2", "/loop1");
                w.link("/loop1", "/loop2");
            },
            path: "/loop1/../sentinel",
        },
        // Dangling links whose targets would be created outside.
        Attack {
            name: "dangling_abs_outside",
            setup: |w| w.link(w.outer.join("created"), "/dang"),
            path: "/dang",
        },
        Attack {
            name: "dangling_rel_outside",
            setup: |w| w.link("../created", "/dang"),
            path: "/dang",
        },
        Attack {
            name: "dir_link_create_below",
            setup: |w| w.link(&w.outer, "/out"),
            path: "/out/created",
        },
        Attack {
            name: "rel_dir_link_create_below",
            setup: |w| w.link("../", "/out"),
            path: "/out/created",
        },
        // Names that are not separators on Linux, or not paths at all.
        Attack {
            name: "backslash_dotdot",
            setup: nothing,
            path: "/..\\sentinel",
        },
        Attack {
            name: "backslash_many",
            setup: nothing,
            path: "/..\\..\\..\\sentinel",
        },
        Attack {
            name: "windows_drive",
            setup: nothing,
            path: "/C:\\..\\sentinel",
        },
        Attack {
            name: "url_encoded_dotdot",
            setup: nothing,
            path: "/%2e%2e/sentinel",
        },
        Attack {
            name: "unicode_two_dot_leader",
            setup: nothing,
            path: "/\u{2025}/sentinel",
        },
        Attack {
            name: "fullwidth_solidus",
            setup: nothing,
            path: "/..\u{ff0f}sentinel",
        },
        Attack {
            name: "nul_after_name",
            setup: nothing,
            path: "/../sentinel\0",
        },
        Attack {
            name: "nul_in_middle",
            setup: nothing,
            path: "/..\0/../sentinel",
        },
        Attack {
            name: "relative_path",
            setup: nothing,
            path: "../sentinel",
        },
        Attack {
            name: "empty_path",
            setup: nothing,
            path: "",
        },
    ]
}
