//! The check every path argument goes through: the path resolved through the inner backend
//! (lexically when it holds no symlink, else by its own resolver or the shared walk), then the
//! written and the resolved path against the rules.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyfs_backend::path::{
    normalize_str, validate, validate_lexical_bytes, walk, LexicalBytes, WalkOptions,
};
use anyfs_backend::{FsError, Metadata};

use super::rules::Decision;
use super::PathFilter;
use crate::storage::vouch::vouched;

/// What a call needs from a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    /// Looking it up (stat, inode number, canonical form).
    Lookup,
    /// Anything else: reading, listing, changing.
    Use,
}

/// The error for a denied path: it names the path the caller gave, never where it led.
pub(super) fn denied(path: &Path, reason: &'static str) -> FsError {
    FsError::AccessDenied {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}

/// Where a checked path leads.
#[derive(Debug)]
pub(super) struct Target<'p> {
    /// The resolved path: symlinks and `..` resolved, a missing tail appended.
    pub path: Cow<'p, Path>,
    /// Whether the node it names exists; `None` when the path was resolved lexically, without
    /// looking anything up (see [`PathFilter::check`]).
    pub exists: Option<bool>,
}

impl<B> PathFilter<B> {
    /// Whether the rules let `path` (normalized, absolute) be used as `need` says.
    pub(super) fn permits(&self, path: &Path, need: Need) -> Result<(), &'static str> {
        // Resolved paths come from the backend; one that is not UTF-8 cannot match a rule.
        let Some(text) = path.to_str() else {
            return Err("path_denied");
        };
        self.permits_str(text, need)
    }

    /// [`permits`](Self::permits) for text.
    pub(super) fn permits_str(&self, text: &str, need: Need) -> Result<(), &'static str> {
        self.permits_bytes(text.as_bytes(), need)
    }

    /// [`permits`](Self::permits) for the UTF-8 bytes of a path.
    pub(super) fn permits_bytes(&self, path: &[u8], need: Need) -> Result<(), &'static str> {
        match (self.rules.decide(path), need) {
            (Decision::Allowed, _) | (Decision::Traverse, Need::Lookup) => Ok(()),
            (Decision::Traverse, Need::Use) => Err("path_denied"),
            (Decision::Denied(reason), _) => Err(reason),
        }
    }

    /// Checks one path argument before the call that uses it, and returns where it resolves (a
    /// missing tail appended).
    ///
    /// While the inner backend holds no symlink ([`FsLink::symlink_free`]) and the path has no
    /// `..`, the resolved path is the normalized written one: one decision, nothing looked up
    /// (`exists` is `None`). The walk would differ only by failing (`ENOTDIR`) where a
    /// non-directory is used as a directory; the call that follows meets it then, and reports
    /// what it reports for it, about nodes on the written path, which the rules let it name.
    /// So this is only for checks that precede an inner call on the same path; an answer built
    /// from the resolution itself uses [`check_resolved`](Self::check_resolved).
    ///
    /// [`FsLink::symlink_free`]: anyfs_backend::FsLink::symlink_free
    // Inlined so that a caller which drops the `Target` (most do) does not build it.
    #[inline(always)]
    pub(super) fn check<'p>(
        &self,
        path: &'p Path,
        follow: bool,
        need: Need,
        operation: &'static str,
    ) -> Result<Target<'p>, FsError> {
        match self.check_lexically(path, need, operation)? {
            Some(target) => Ok(target),
            None => self.check_resolved(path, follow, need, operation),
        }
    }

    /// The lexical form of [`check`](Self::check); `None` when it does not apply.
    #[inline(always)]
    fn check_lexically<'p>(
        &self,
        path: &'p Path,
        need: Need,
        operation: &'static str,
    ) -> Result<Option<Target<'p>>, FsError> {
        // The walk validates first too: the same error, before any rule is asked. The rules
        // judge bytes, so a valid ASCII path is checked in one pass, and a path the calling
        // `FileStorage` has just found plain (vouched for) in none.
        let lexical = if vouched(path) {
            LexicalBytes {
                normal: Cow::Borrowed(path.as_os_str().as_encoded_bytes()),
                has_parent: false,
            }
        } else {
            validate_lexical_bytes(path, operation)?
        };
        // `..` is resolved physically (it may climb out of where the text says): walk it.
        if lexical.has_parent {
            return Ok(None);
        }
        // Without `FsLink` the walk sees no symlinks either.
        if !(self.symlink_free)(&self.inner) {
            return Ok(None);
        }
        // The written and the resolved path are the same text: one decision covers both.
        self.permits_bytes(&lexical.normal, need)
            .map_err(|reason| denied(path, reason))?;
        let resolved = match lexical.normal {
            // Already normal: the bytes are the path's own.
            Cow::Borrowed(_) => Cow::Borrowed(path),
            Cow::Owned(bytes) => Cow::Owned(PathBuf::from(
                String::from_utf8(bytes).map_err(|_| denied(path, "path_denied"))?,
            )),
        };
        Ok(Some(Target {
            path: resolved,
            exists: None,
        }))
    }

    /// Checks one path argument by resolving it through the inner backend (so `exists` is
    /// known and a resolution failure is reported), and returns where it resolves.
    ///
    /// The written path and the resolved one must both be allowed; when they are the same text
    /// (no symlink, `..` or redundant `/` on the way: most paths) one decision covers both.
    ///
    /// Out of line: [`check`](Self::check) stays small for its lexical form.
    #[inline(never)]
    pub(super) fn check_resolved(
        &self,
        path: &Path,
        follow: bool,
        need: Need,
        operation: &'static str,
    ) -> Result<Target<'static>, FsError> {
        let options = WalkOptions {
            follow_final: follow,
            soft: true,
            ..WalkOptions::default()
        };
        let Some(text) = path.to_str() else {
            return Err(validate(path, operation)
                .err()
                .unwrap_or_else(|| denied(path, "path_denied")));
        };
        // Resolving validates the path first (the same `validate`, the same error), so it
        // comes first; no outcome of it is used before the written path has been judged.
        match self.resolve_once(path, &options, operation) {
            Ok(target) => {
                if target.path.as_os_str() == text {
                    self.permits_str(text, need)
                        .map_err(|reason| denied(path, reason))?;
                } else {
                    self.permits_str(&normalize_str(text), need)
                        .and_then(|()| self.permits(&target.path, need))
                        .map_err(|reason| denied(path, reason))?;
                }
                Ok(target)
            }
            Err(error) => {
                validate(path, operation)?;
                let literal = normalize_str(text);
                self.permits_str(&literal, need)
                    .map_err(|reason| denied(path, reason))?;
                Err(self.explain_failure(path, Path::new(literal.as_ref()), &options, error))
            }
        }
    }

    /// Resolves `path` through the inner backend and fails as [`resolve_once`] and
    /// [`explain_failure`] say.
    ///
    /// [`resolve_once`]: Self::resolve_once
    /// [`explain_failure`]: Self::explain_failure
    pub(super) fn resolve(
        &self,
        path: &Path,
        literal: &Path,
        options: &WalkOptions<'_>,
        operation: &'static str,
    ) -> Result<Target<'static>, FsError> {
        self.resolve_once(path, options, operation)
            .map_err(|error| self.explain_failure(path, literal, options, error))
    }

    /// Resolves `path` through the inner backend: in one call when it resolves paths itself
    /// ([`FsLink::resolve_path`]), else with the shared
    /// walk over its public calls.
    fn resolve_once(
        &self,
        path: &Path,
        options: &WalkOptions<'_>,
        operation: &'static str,
    ) -> Result<Target<'static>, FsError> {
        let view = (self.view)(&self.inner);
        let native = match (view.links, options.anchor) {
            (Some(links), None) if options.soft => {
                links.resolve_path(path, options.follow_final, operation)
            }
            _ => None,
        };
        match native {
            Some(result) => result.map(|resolution| Target {
                path: Cow::Owned(resolution.path),
                exists: Some(resolution.metadata.is_some()),
            }),
            None => walk(&view.walker(), path, options, operation).map(|walked| Target {
                path: Cow::Owned(walked.path),
                exists: Some(walked.node.is_some()),
            }),
        }
    }

    /// The error for a failed resolution: its own only if every node the walk looked at
    /// beyond the written path (`literal`) may be looked up; otherwise the error could
    /// describe a denied place, and the caller gets `EACCES`.
    fn explain_failure(
        &self,
        path: &Path,
        literal: &Path,
        options: &WalkOptions<'_>,
        error: FsError,
    ) -> FsError {
        // Failures are rare: only then walk again (the generic walk), recording what it
        // looked at.
        let walker = (self.view)(&self.inner).walker().recording();
        if walk(&walker, path, options, "resolve").is_ok() {
            return error;
        }
        let visited = walker.into_visited().unwrap_or_default();
        for node in visited.iter().filter(|node| !literal.starts_with(node)) {
            if self.permits(node, Need::Lookup).is_err() {
                return denied(path, "path_denied");
            }
        }
        error
    }

    /// Checks every node below the directory `root` (resolved), under its current name and,
    /// for a rename, under its name below `moved_to`: each must be allowed, since the call
    /// moves or deletes it.
    pub(super) fn check_below(
        &self,
        arg: &Path,
        root: &Path,
        moved_to: Option<&Path>,
    ) -> Result<(), FsError> {
        let view = (self.view)(&self.inner);
        view.for_each_below(root, false, |child, _, _| {
            self.permits(child, Need::Use)
                .map_err(|reason| denied(arg, reason))?;
            if let (Some(to), Ok(rel)) = (moved_to, child.strip_prefix(root)) {
                self.permits(&to.join(rel), Need::Use)
                    .map_err(|reason| denied(arg, reason))?;
            }
            Ok(())
        })
    }

    /// The inner backend's metadata of a resolved path, not following it.
    pub(super) fn lstat(&self, resolved: &Path) -> Result<Option<Metadata>, FsError> {
        (self.view)(&self.inner).lstat(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::middleware::forward::forward;
    use crate::middleware::path_filter::Rule;
    use crate::MemoryBackend;
    use anyfs_backend::path::{has_parent_component, LinkWalker};
    use anyfs_backend::{normalize, FsDir, FsLink, FsRead, FsWrite};

    /// A backend without its own resolver: the filter walks it with `LinkWalker`.
    struct Generic<B>(B);
    forward!(Generic.0 => FsRead, FsWritePlain, FsDir, FsLinkPlain);

    fn tree() -> MemoryBackend {
        let fs = MemoryBackend::new();
        for dir in ["/ws/a", "/secret"] {
            fs.create_dir_all(Path::new(dir)).unwrap();
        }
        for file in ["/ws/a/f", "/ws/file", "/secret/k"] {
            fs.write(Path::new(file), b"x").unwrap();
        }
        for (target, link) in [
            ("/secret/k", "/ws/abs"),
            ("../secret", "/ws/rel"),
            ("abs", "/ws/chain"),
            ("loop2", "/ws/loop1"),
            ("loop1", "/ws/loop2"),
            ("/nowhere/x", "/ws/dangling"),
            ("a", "/ws/dirlink"),
            ("..", "/ws/up"),
            ("file", "/ws/filelink"),
        ] {
            fs.symlink(Path::new(target), Path::new(link)).unwrap();
        }
        fs
    }

    const PATHS: &[&str] = &[
        "/",
        "/ws",
        "/ws/a/f",
        "/ws/abs",
        "/ws/rel/k",
        "/ws/rel",
        "/ws/chain",
        "/ws/loop1",
        "/ws/loop1/x",
        "/ws/dangling",
        "/ws/dirlink/f",
        "/ws/dirlink/../file",
        "/ws/up/secret/k",
        "/ws/file/x",
        "/ws/filelink/",
        "/ws/missing/../a/f",
        "/ws/missing/x",
        "/ws/a/f/",
        "/ws/dirlink/",
        "//ws//a/./f",
        "/ws/..",
        "/..",
        "/ws/abs/..",
        "relative",
        "",
        "/ws/\0",
        "/secret",
        "/secret/k",
    ];

    /// The backend's own resolver and the generic walk agree (the contract of
    /// `FsLink::resolve_path`), and so the filter decides the same either way.
    #[test]
    fn native_resolution_decides_as_the_generic_walk() {
        let fs = tree();
        for (follow, path) in PATHS.iter().flat_map(|p| [(true, *p), (false, *p)]) {
            let options = WalkOptions {
                follow_final: follow,
                soft: true,
                ..WalkOptions::default()
            };
            let walked = walk(
                &LinkWalker::new(&fs, Some(&fs)),
                Path::new(path),
                &options,
                "op",
            );
            let native = fs.resolve_path(Path::new(path), follow, "op").unwrap();
            match (&walked, &native) {
                (Ok(w), Ok(n)) => {
                    assert_eq!(w.path, n.path, "{path} follow={follow}");
                    assert_eq!(w.node.is_some(), n.metadata.is_some(), "{path}");
                    if let (Some((_, ty)), Some(m)) = (&w.node, &n.metadata) {
                        assert_eq!(*ty, m.file_type, "{path}");
                    }
                }
                (Err(w), Err(n)) => assert_eq!(format!("{w:?}"), format!("{n:?}"), "{path}"),
                _ => panic!("{path} follow={follow}: walk {walked:?}, native {native:?}"),
            }
        }
        for rules in [
            vec![Rule::Allow("/**".into())],
            vec![Rule::Allow("/ws/**".into()), Rule::Deny("**/loop2".into())],
            vec![Rule::Allow("/ws/**".into()), Rule::Deny("/ws/a/**".into())],
        ] {
            let native = PathFilter::with_rules(fs.clone(), rules.clone());
            let generic = PathFilter::with_rules(Generic(fs.clone()), rules.clone());
            for path in PATHS {
                for (follow, need) in [
                    (true, Need::Use),
                    (false, Need::Use),
                    (true, Need::Lookup),
                    (false, Need::Lookup),
                ] {
                    let n = native.check(Path::new(path), follow, need, "op");
                    let g = generic.check(Path::new(path), follow, need, "op");
                    let show = |r: &Result<Target, FsError>| match r {
                        Ok(t) => format!("{} {:?}", t.path.display(), t.exists),
                        Err(e) => format!("{e:?}"),
                    };
                    assert_eq!(show(&n), show(&g), "{path} {follow} {need:?} {rules:?}");
                }
            }
        }
    }

    /// The tree of [`tree`] without its symlinks: the filter checks lexically.
    fn plain_tree() -> MemoryBackend {
        let fs = MemoryBackend::new();
        for dir in ["/ws/a", "/secret"] {
            fs.create_dir_all(Path::new(dir)).unwrap();
        }
        for file in ["/ws/a/f", "/ws/file", "/secret/k"] {
            fs.write(Path::new(file), b"x").unwrap();
        }
        fs
    }

    const PLAIN_PATHS: &[&str] = &[
        "/",
        "/ws",
        "/ws/a/f",
        "/ws/a/f/",
        "/ws/a/",
        "//ws//a/./f",
        "/ws/file/x",
        "/ws/file/x/y",
        "/ws/file/",
        "/ws/missing/x",
        "/ws/missing/../a/f",
        "/ws/a/../../secret/k",
        "/ws/..",
        "/..",
        "/secret",
        "/secret/k",
        "/secret/k/x",
        "relative",
        "",
        "/ws/\0",
    ];

    const PLAIN_RULES: &[&[(bool, &str)]] = &[
        &[(true, "/**")],
        &[(true, "/ws/**")],
        &[(true, "/ws/**"), (false, "/ws/a/**")],
        &[(true, "/ws/a/*"), (false, "**/file")],
    ];

    fn rules_of(given: &[(bool, &str)]) -> Vec<Rule> {
        given
            .iter()
            .map(|(allow, pattern)| match allow {
                true => Rule::Allow((*pattern).into()),
                false => Rule::Deny((*pattern).into()),
            })
            .collect()
    }

    /// Over a backend without symlinks the check is lexical (nothing looked up), and it
    /// decides as the walk does, except that where the walk fails with `ENOTDIR` (a file used
    /// as a directory) it lets the call meet that itself.
    #[test]
    fn the_lexical_check_decides_as_the_walk() {
        let fs = plain_tree();
        assert!(fs.symlink_free());
        for given in PLAIN_RULES {
            let native = PathFilter::with_rules(fs.clone(), rules_of(given));
            let generic = PathFilter::with_rules(Generic(fs.clone()), rules_of(given));
            for path in PLAIN_PATHS {
                let path = Path::new(path);
                for (follow, need) in [(true, Need::Use), (false, Need::Use), (true, Need::Lookup)]
                {
                    let n = native.check(path, follow, need, "op");
                    let g = generic.check(path, follow, need, "op");
                    let context = format!("{} {follow} {need:?} {given:?}", path.display());
                    match (&n, &g) {
                        (Ok(n), Ok(g)) => {
                            assert_eq!(n.path, g.path, "{context}");
                            let lexical = !has_parent_component(path.to_str().unwrap());
                            assert_eq!(n.exists.is_none(), lexical, "{context}");
                        }
                        (Err(n), Err(g)) => {
                            assert_eq!(format!("{n:?}"), format!("{g:?}"), "{context}")
                        }
                        (Ok(n), Err(g)) => {
                            assert_eq!(g.code(), "ENOTDIR", "{context}");
                            assert_eq!(n.path, normalize(path), "{context}");
                        }
                        (Err(n), Ok(_)) => panic!("{context}: lexical {n:?}, walk succeeded"),
                    }
                }
            }
        }
    }

    /// What a caller sees through the filter does not depend on whether it checked lexically:
    /// every call gives what it gives after the walk, or, where the walk stopped at a file used
    /// as a directory, what the unfiltered call gives (an error about the written path).
    #[test]
    fn calls_answer_the_same_after_a_lexical_check() {
        type Call = fn(&dyn FsCalls, &Path) -> Result<String, FsError>;
        let calls: &[(&str, Call)] = &[
            ("metadata", |fs, p| {
                fs.metadata(p).map(|m| format!("{:?}", m.file_type))
            }),
            ("exists", |fs, p| fs.exists(p).map(|e| e.to_string())),
            ("read", |fs, p| fs.read(p).map(|d| d.len().to_string())),
            ("write", |fs, p| fs.write(p, b"new").map(|()| String::new())),
            ("remove_file", |fs, p| {
                fs.remove_file(p).map(|()| String::new())
            }),
            ("create_dir", |fs, p| {
                fs.create_dir(p).map(|()| String::new())
            }),
            ("create_dir_all", |fs, p| {
                fs.create_dir_all(p).map(|()| String::new())
            }),
            ("read_dir", |fs, p| {
                fs.read_dir(p).map(|e| e.len().to_string())
            }),
            ("remove_dir_all", |fs, p| {
                fs.remove_dir_all(p).map(|()| String::new())
            }),
        ];
        let base = plain_tree();
        let show = |r: Result<String, FsError>| match r {
            Ok(v) => v,
            Err(e) => e.code().to_owned(),
        };
        // Calls where the walk stopped at a file used as a directory.
        let mut stopped = 0;
        for given in PLAIN_RULES {
            for path in PLAIN_PATHS {
                let path = Path::new(path);
                for (name, call) in calls {
                    let native = PathFilter::with_rules(base.snapshot(), rules_of(given));
                    let generic = PathFilter::with_rules(Generic(base.snapshot()), rules_of(given));
                    let n = show(call(&native, path));
                    let g = show(call(&generic, path));
                    let context = format!("{name} {} {given:?}", path.display());
                    if g == "ENOTDIR" {
                        stopped += 1;
                        let bare = show(call(&base.snapshot(), path));
                        assert!(
                            n == g || n == bare || n == "EACCES",
                            "{context}: {n} vs {g}/{bare}"
                        );
                    } else {
                        assert_eq!(n, g, "{context}");
                    }
                }
            }
        }
        assert!(stopped > 0);
    }

    /// The calls the test above makes, over any backend.
    trait FsCalls: FsRead + FsWrite + FsDir {}
    impl<T: FsRead + FsWrite + FsDir> FsCalls for T {}

    /// A symlink made on the inner backend directly ends the lexical shortcut: the filter
    /// walks again and the symlink does not lead out.
    #[test]
    fn a_symlink_made_below_the_filter_is_walked() {
        let fs = plain_tree();
        let filter = PathFilter::with_rules(fs.clone(), vec![Rule::Allow("/ws/**".into())]);
        assert!(filter
            .check(Path::new("/ws/out"), true, Need::Use, "op")
            .unwrap()
            .exists
            .is_none());
        fs.symlink(Path::new("/secret/k"), Path::new("/ws/out"))
            .unwrap();
        assert_eq!(
            filter.read(Path::new("/ws/out")).unwrap_err().code(),
            "EACCES"
        );
        fs.remove_file(Path::new("/ws/out")).unwrap();
        assert!(filter.read(Path::new("/ws/out")).unwrap_err().code() == "ENOENT");
        // Through the filter the symlink is refused where it is made.
        let err = filter
            .symlink(Path::new("/secret/k"), Path::new("/ws/out"))
            .unwrap_err();
        assert_eq!(err.code(), "EACCES");
        assert!(fs.symlink_free());
    }

    #[test]
    fn symlinks_out_of_the_allowed_tree_are_denied_either_way() {
        let fs = tree();
        let rules = vec![Rule::Allow("/ws/**".into())];
        let native = PathFilter::with_rules(fs.clone(), rules.clone());
        let generic = PathFilter::with_rules(Generic(fs), rules);
        for path in [
            "/ws/abs",
            "/ws/rel/k",
            "/ws/chain",
            "/ws/up/secret/k",
            "/ws/..",
        ] {
            for code in [
                native
                    .check(Path::new(path), true, Need::Use, "op")
                    .map(|_| ()),
                generic
                    .check(Path::new(path), true, Need::Use, "op")
                    .map(|_| ()),
            ] {
                assert_eq!(code.unwrap_err().code(), "EACCES", "{path}");
            }
        }
        assert!(native
            .check(Path::new("/ws/dirlink/f"), true, Need::Use, "op")
            .is_ok());
        let err = native
            .check(Path::new("rel"), true, Need::Use, "op")
            .unwrap_err();
        assert_eq!(err.code(), "EINVAL");
    }

    #[test]
    fn a_vouch_from_file_storage_covers_its_own_bytes_only() {
        use crate::storage::vouch::Vouched;
        use std::path::PathBuf;

        let fs = PathFilter::new(tree()).allow("/ws/**");
        let vouch = Vouched::new(PathBuf::from("/ws/a/f-vouched"));
        // While a vouch lives, a layer above may hand down any other path: it is checked in
        // full, so `..` is resolved before the rules judge it.
        for path in [
            "/ws/a/../../secret/k",
            "/ws/../secret/k",
            "/ws//../secret/k",
        ] {
            let err = fs.read(Path::new(path)).unwrap_err();
            assert_eq!(err.code(), "EACCES", "{path}");
        }
        assert_eq!(
            fs.read(Path::new("/ws/a/f")).unwrap(),
            b"x",
            "an allowed path beside the vouch"
        );
        // The vouched path itself: decided without a second scan, by the same rules.
        assert_eq!(fs.read(&vouch).unwrap_err().code(), "ENOENT");
        let outside = Vouched::new(PathBuf::from("/secret/k-vouched"));
        assert_eq!(fs.read(&outside).unwrap_err().code(), "EACCES");
    }
}
