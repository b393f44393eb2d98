//! Properties: the walk never panics on any graph and path, canonical paths are fixpoints, and
//! `normalize` is idempotent.

use std::path::Path;

use proptest::prelude::*;

use super::graph::{Graph, Kind};
use crate::path::{normalize, WalkOptions};

const NAMES: [&str; 6] = ["a", "b", "c", ".", "..", ""];

fn name(i: u8) -> &'static str {
    NAMES[usize::from(i) % NAMES.len()]
}

fn join(parts: &[u8], absolute: bool, trailing: bool) -> String {
    let mut s: String = parts.iter().map(|i| name(*i)).collect::<Vec<_>>().join("/");
    if absolute {
        s.insert(0, '/');
    }
    if trailing {
        s.push('/');
    }
    s
}

/// (parent selector, name, kind selector, symlink target parts, target absolute)
type NodeSpec = (u8, u8, u8, Vec<u8>, bool);

fn build(specs: &[NodeSpec]) -> Graph {
    // `/a` always exists so anchored walks usually have a valid anchor.
    let mut g = Graph::new().dir("/a");
    let mut dirs = vec![0usize, 1];
    for (parent, n, kind, target, absolute) in specs {
        let n = name(*n % 3); // real entries are named a, b or c
        let dir = dirs[usize::from(*parent) % dirs.len()];
        if g.entries.contains_key(&(dir, n.to_string())) {
            continue;
        }
        let kind = match kind % 3 {
            0 => Kind::Dir,
            1 => Kind::File,
            _ => Kind::Link(join(target, *absolute, false)),
        };
        g.kinds.push(kind.clone());
        let id = g.kinds.len() - 1;
        if matches!(kind, Kind::Dir) {
            dirs.push(id);
        }
        g.entries.insert((dir, n.to_string()), id);
    }
    g
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..4),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn walk_never_panics_and_canonical_paths_are_fixpoints(
        specs in prop::collection::vec(node_spec(), 0..14),
        parts in prop::collection::vec(any::<u8>(), 0..8),
        absolute in prop::bool::weighted(0.9),
        trailing in any::<bool>(),
        follow_final in any::<bool>(),
        soft in any::<bool>(),
        anchored in any::<bool>(),
        anchor_b in any::<bool>(),
        max_symlinks in 0u32..4,
    ) {
        let g = build(&specs);
        let path = join(&parts, absolute, trailing);
        let options = WalkOptions {
            follow_final,
            soft,
            anchor: anchored.then_some(Path::new(if anchor_b { "/b" } else { "/a" })),
            max_symlinks,
        };
        if let Ok(w) = g.walk(&path, &options) {
            let text = w.path.to_str().unwrap();
            prop_assert!(text.starts_with('/'));
            prop_assert!(text == "/" || !text.ends_with('/'));
            prop_assert!(!text.contains("//"));
            prop_assert!(text.split('/').all(|n| n != "." && n != ".."), "{}", text);
            if anchored {
                let anchor = g.follow(if anchor_b { "/b" } else { "/a" }).unwrap().path;
                prop_assert!(w.path.starts_with(&anchor));
            }
            // Re-walking a canonical path (without anchor) lands on the same node and path.
            if follow_final || w.node.as_ref().is_none_or(|n| n.1 != crate::FileType::Symlink) {
                let again = g.walk(text, &WalkOptions { follow_final: true, soft: true, ..WalkOptions::default() }).unwrap();
                prop_assert_eq!(&again.path, &w.path);
                prop_assert_eq!(again.node.map(|n| n.0), w.node.map(|n| n.0));
            }
        }
    }

    #[test]
    fn normalize_is_idempotent(s in "[/a.\\\\ é]{0,24}") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
        let text = once.to_str().unwrap();
        prop_assert!(!text.contains("//"));
        prop_assert!(text.len() <= 1 || !text.ends_with('/'));
    }
}
