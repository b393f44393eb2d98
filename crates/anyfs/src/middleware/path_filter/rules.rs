//! The rules: glob patterns compiled into two [`GlobSet`]s (one match per set per path), with
//! plain string tests in front of a set whose patterns all have simple shapes (`/dir/**`,
//! literal paths, `**/name`, `**/*.ext`), and the decision for one path.

use std::collections::HashSet;
use std::fmt;

use anyfs_backend::path::{next_separator, separators};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// One rule, as given to the builder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Paths matching the pattern are allowed (unless a deny rule matches).
    Allow(String),
    /// Paths matching the pattern, and everything below them, are denied.
    Deny(String),
}

/// What a path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    /// Every operation.
    Allowed,
    /// Looking it up only (`metadata`, `symlink_metadata`, `exists`, inode lookups): a
    /// directory on the way to an allowed pattern, named by the pattern itself.
    Traverse,
    /// Nothing; the reason goes into `AccessDenied`.
    Denied(&'static str),
}

/// One compiled rule set: a [`GlobSet`], and in front of it, when every pattern of the set has
/// one of the [`Simple`] shapes, the same patterns as byte tests grouped by shape
/// ([`Simples`]: a few comparisons instead of building a `Candidate` and running the
/// matchers). Both answer the same for every absolute path (`fast_path_matches_globset` and
/// `simple_sets_match_as_globsets_do` check it); the globset answers the others.
struct Set {
    globs: GlobSet,
    fast: Option<Simples>,
}

/// A pattern shape that a byte test decides exactly as globset does (with
/// `literal_separator`) on absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Simple {
    /// A literal absolute pattern: the path itself.
    Exact(String),
    /// `<literal>/**` (or `/**`): the path starts with this text (the literal and a `/`).
    Below(String),
    /// `**/<name>`: the last component matches.
    Last(Name),
    /// `**/<name>/**`: a component other than the last matches.
    Inner(Name),
}

/// A literal component test.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
    /// `name`: the component is this.
    Is(Box<[u8]>),
    /// `*suffix`: the component ends with this (`*` stays inside a component).
    EndsWith(Box<[u8]>),
}

impl Name {
    fn parse(name: &str) -> Option<Name> {
        if name.is_empty() || name.contains('/') {
            return None;
        }
        if !is_glob(name) {
            return Some(Name::Is(name.as_bytes().into()));
        }
        let suffix = name.strip_prefix('*')?;
        (!suffix.is_empty() && !is_glob(suffix) && !suffix.contains('/'))
            .then(|| Name::EndsWith(suffix.as_bytes().into()))
    }

    fn matches(&self, component: &[u8]) -> bool {
        match self {
            Name::Is(name) => component == &**name,
            Name::EndsWith(suffix) => component.ends_with(suffix),
        }
    }
}

impl Simple {
    /// The shape of a pattern (as `absolute` made it), if it has one.
    fn parse(pattern: &str) -> Option<Simple> {
        if pattern.starts_with('/') && !is_glob(pattern) {
            return Some(Simple::Exact(pattern.to_owned()));
        }
        if let Some(prefix) = pattern.strip_suffix("/**") {
            if (prefix.is_empty() || prefix.starts_with('/')) && !is_glob(prefix) {
                return Some(Simple::Below(format!("{prefix}/")));
            }
        }
        let rest = pattern.strip_prefix("**/")?;
        match rest.strip_suffix("/**") {
            Some(name) => Name::parse(name).map(Simple::Inner),
            None => Name::parse(rest).map(Simple::Last),
        }
    }
}

/// The [`Simple`] patterns of one set, grouped by the test that decides them, so a set is
/// decided with at most one pass over the path's components whatever its number of rules.
#[derive(Debug, Default)]
struct Simples {
    /// `/**` is among them: every absolute path matches.
    everything: bool,
    /// [`Simple::Exact`]: the path is one of these.
    exact: Vec<Box<[u8]>>,
    /// [`Simple::Below`]: the path starts with one of these.
    below: Vec<Box<[u8]>>,
    /// [`Simple::Last`]: one of these matches the last component.
    last: Names,
    /// [`Simple::Inner`]: one of these matches a component other than the last.
    inner: Names,
}

/// Component tests, with the lengths of the exact names as a bit set so that most components
/// are passed over after one test of their length.
#[derive(Debug, Default)]
struct Names {
    names: Vec<Name>,
    /// Bit `n` (`n` < 63) is set when a [`Name::Is`] is `n` bytes long; bit 63 stands for
    /// every longer length, and for every length when a [`Name::EndsWith`] is among them.
    lengths: u64,
}

impl Names {
    fn push(&mut self, name: Name) {
        self.lengths |= match &name {
            Name::Is(exact) => length_bit(exact.len()),
            Name::EndsWith(_) => u64::MAX,
        };
        self.names.push(name);
    }

    #[inline]
    fn matches(&self, component: &[u8]) -> bool {
        self.lengths & length_bit(component.len()) != 0
            && self.names.iter().any(|name| name.matches(component))
    }
}

/// The bit of [`Names::lengths`] for a component `len` bytes long.
#[inline]
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

impl Simples {
    fn push(&mut self, simple: Simple) {
        match simple {
            Simple::Exact(literal) => self.exact.push(literal.into_bytes().into()),
            Simple::Below(prefix) if prefix == "/" => self.everything = true,
            Simple::Below(prefix) => self.below.push(prefix.into_bytes().into()),
            Simple::Last(name) => self.last.push(name),
            Simple::Inner(name) => self.inner.push(name),
        }
    }

    /// Whether an absolute path (starting with `/`) matches one of the patterns.
    #[inline]
    fn matches(&self, path: &[u8]) -> bool {
        self.matches_whole(path) || self.matches_names(path, 0)
    }

    /// Whether one of the patterns that judge the whole path (`/**`, literals, `/dir/**`)
    /// matches it.
    #[inline]
    fn matches_whole(&self, path: &[u8]) -> bool {
        self.everything
            || self.exact.iter().any(|literal| path == &**literal)
            || self.below.iter().any(|prefix| path.starts_with(prefix))
    }

    /// Whether one of the name patterns (`**/name`, `**/name/**`) matches a component of a
    /// path starting with `/`, among the components after byte `from` (a `/`).
    #[inline]
    fn matches_names(&self, path: &[u8], from: usize) -> bool {
        self.has_names() && self.matches_components(path, from)
    }

    /// Whether there are name patterns at all.
    #[inline]
    fn has_names(&self) -> bool {
        (self.last.lengths | self.inner.lengths) != 0
    }

    /// Whether a name matches a component starting after byte `from` (`0`, or the `/` ending
    /// a prefix whose components need no test): the last one against [`Simples::last`], the
    /// others against [`Simples::inner`] (the empty one before the root never matches, names
    /// being non-empty). The components' bounds come from the positions of `/`, found eight bytes
    /// at a time; most components are then passed over after one test of their length.
    fn matches_components(&self, path: &[u8], from: usize) -> bool {
        let Some(all) = separators(path) else {
            return self.matches_components_scanning(path.get(from..).unwrap_or_default());
        };
        // `from` is below the path's length, at most 64 here.
        let mut slashes = all & u64::MAX.checked_shl(from as u32).unwrap_or(0);
        while slashes != 0 {
            let start = slashes.trailing_zeros() as usize + 1;
            slashes &= slashes - 1;
            let (end, names) = match slashes {
                0 => (path.len(), &self.last),
                _ => (slashes.trailing_zeros() as usize, &self.inner),
            };
            let component = path.get(start..end).unwrap_or_default();
            if names.matches(component) {
                return true;
            }
        }
        false
    }

    /// [`matches_components`](Self::matches_components) for a path longer than 64 bytes.
    fn matches_components_scanning(&self, path: &[u8]) -> bool {
        let mut rest = path.strip_prefix(b"/").unwrap_or(path);
        loop {
            match next_separator(rest) {
                Some(end) => {
                    let (component, tail) = rest.split_at_checked(end).unwrap_or((rest, &[]));
                    if self.inner.matches(component) {
                        return true;
                    }
                    rest = tail.get(1..).unwrap_or_default();
                }
                None => return self.last.matches(rest),
            }
        }
    }
}

impl Set {
    /// Whether the set matches `path` (UTF-8 bytes); `None` when the bytes are not UTF-8 and
    /// only the globset could have decided.
    #[inline(always)]
    fn is_match(&self, path: &[u8]) -> Option<bool> {
        match &self.fast {
            Some(simple) if path.first() == Some(&b'/') => Some(simple.matches(path)),
            _ => self.globs_match(path),
        }
    }

    /// The globset's answer, kept out of line so the byte tests stay small enough to inline.
    #[inline(never)]
    fn globs_match(&self, path: &[u8]) -> Option<bool> {
        std::str::from_utf8(path)
            .ok()
            .map(|text| self.globs.is_match(text))
    }
}

/// Builds one [`Set`] from its patterns.
struct SetBuilder {
    globs: GlobSetBuilder,
    fast: Option<Simples>,
}

impl SetBuilder {
    fn new() -> Self {
        SetBuilder {
            globs: GlobSetBuilder::new(),
            fast: Some(Simples::default()),
        }
    }

    fn add(&mut self, glob: Glob, pattern: &str) {
        self.globs.add(glob);
        match (self.fast.as_mut(), Simple::parse(pattern)) {
            (Some(fast), Some(simple)) => fast.push(simple),
            _ => self.fast = None,
        }
    }

    fn build(self) -> Result<Set, String> {
        Ok(Set {
            globs: self.globs.build().map_err(|e| e.to_string())?,
            fast: self.fast,
        })
    }
}

impl Set {
    fn empty() -> Set {
        Set {
            globs: GlobSet::empty(),
            fast: None,
        }
    }
}

/// The compiled rules.
pub(super) struct Rules {
    given: Vec<Rule>,
    allow: Set,
    deny: Set,
    /// The allowed subtrees a path is decided in by its own components only (see
    /// [`Rules::decide_in_subtree`]): each allow prefix (`/workspace/` for `/workspace/**`, `/`
    /// for `/**`) none of whose components a deny name matches, when both sets are all
    /// [`Simple`] patterns; empty otherwise.
    subtrees: Vec<Box<[u8]>>,
    /// The literal directories leading to each allow pattern (`/`, `/data`, `/data/project`
    /// for `/data/project/**`).
    traversable: HashSet<Box<[u8]>>,
    /// A pattern that did not compile: every path is denied (fail closed).
    error: Option<String>,
}

impl fmt::Debug for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rules")
            .field("rules", &self.given)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// The [`Rules::subtrees`] of an allow and a deny set.
fn clean_subtrees(allow: &Set, deny: &Set) -> Vec<Box<[u8]>> {
    let (Some(allow), Some(deny)) = (&allow.fast, &deny.fast) else {
        return Vec::new();
    };
    let everything = allow.everything.then(|| Box::from(&b"/"[..]));
    everything
        .into_iter()
        .chain(allow.below.iter().cloned())
        .filter(|prefix| {
            // Every component of a prefix is an inner one: something follows its final `/`.
            !prefix
                .split(|&b| b == b'/')
                .any(|component| !component.is_empty() && deny.inner.matches(component))
        })
        .collect()
}

/// Absolute patterns stay; others match at any depth (`.env` is `**/.env`), as in gitignore.
/// A trailing `/` is dropped: rules match paths, which never end in `/`.
fn absolute(pattern: &str) -> String {
    let trimmed = pattern.trim_end_matches('/');
    if trimmed.is_empty() {
        return String::from(if pattern.is_empty() { "" } else { "/" });
    }
    if trimmed.starts_with('/') || trimmed.starts_with("**") {
        trimmed.to_owned()
    } else {
        format!("**/{trimmed}")
    }
}

fn glob(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(pattern)
        // `*` and `?` stay inside one path component; only `**` crosses `/`.
        .literal_separator(true)
        // `\` escapes the next character on every platform (paths here are virtual).
        .backslash_escape(true)
        .build()
        .map_err(|e| format!("invalid pattern {pattern:?}: {e}"))
}

/// The directory itself for a pattern ending in `/**` (`/workspace` for `/workspace/**`).
fn directory_itself(pattern: &str) -> Option<String> {
    let prefix = pattern.strip_suffix("/**")?;
    Some(if prefix.is_empty() {
        String::from("/")
    } else {
        prefix.to_owned()
    })
}

fn is_glob(component: &str) -> bool {
    component.contains(['*', '?', '[', ']', '{', '}', '\\'])
}

impl Rules {
    pub fn compile(given: Vec<Rule>) -> Rules {
        let mut allow = SetBuilder::new();
        let mut deny = SetBuilder::new();
        let mut traversable = HashSet::new();
        let mut error = None;
        let mut add = |set: &mut SetBuilder, pattern: &str| match glob(pattern) {
            Ok(g) => set.add(g, pattern),
            Err(e) => {
                error.get_or_insert(e);
            }
        };
        for rule in &given {
            match rule {
                Rule::Allow(pattern) => {
                    let pattern = absolute(pattern);
                    add(&mut allow, &pattern);
                    if let Some(dir) = directory_itself(&pattern) {
                        add(&mut allow, &dir);
                    }
                    let components: Vec<&str> =
                        pattern.split('/').filter(|c| !c.is_empty()).collect();
                    let literal = components.iter().take_while(|c| !is_glob(c)).count();
                    // A fully literal pattern names the node itself: only its parents are
                    // traversed.
                    let dirs = literal.min(components.len().saturating_sub(1));
                    if pattern.starts_with('/') {
                        traversable.insert(Box::from(&b"/"[..]));
                        let mut dir = String::new();
                        for component in components.iter().take(dirs) {
                            dir.push('/');
                            dir.push_str(component);
                            traversable.insert(Box::from(dir.as_bytes()));
                        }
                    }
                }
                Rule::Deny(pattern) => {
                    let pattern = absolute(pattern);
                    add(&mut deny, &pattern);
                    // Denying a node denies everything below it.
                    match directory_itself(&pattern) {
                        Some(dir) => add(&mut deny, &dir),
                        None if pattern == "/" => add(&mut deny, "/**"),
                        None => add(&mut deny, &format!("{pattern}/**")),
                    }
                }
            }
        }
        let (allow, deny) = match (allow.build(), deny.build()) {
            (Ok(allow), Ok(deny)) => (allow, deny),
            (Err(e), _) | (_, Err(e)) => {
                error.get_or_insert(e);
                (Set::empty(), Set::empty())
            }
        };
        let subtrees = clean_subtrees(&allow, &deny);
        Rules {
            given,
            allow,
            deny,
            subtrees,
            traversable,
            error,
        }
    }

    /// The rules as given.
    pub fn given(&self) -> &[Rule] {
        &self.given
    }

    /// Why the rules are unusable, if a pattern did not compile.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The decision for a normalized absolute path (no trailing `/`, `/` for the root), as
    /// UTF-8 bytes. Bytes that are not UTF-8 (which no valid path has) are denied unless the
    /// byte tests alone allow them (fail closed).
    pub fn decide(&self, path: &[u8]) -> Decision {
        if self.error.is_some() {
            return Decision::Denied("invalid_rules");
        }
        match self.decide_in_subtree(path) {
            Some(decision) => decision,
            None => self.decide_by_sets(path),
        }
    }

    /// The decision of the deny set, then the allow set, then the traversable directories.
    fn decide_by_sets(&self, path: &[u8]) -> Decision {
        match self.deny.is_match(path) {
            Some(false) => {}
            Some(true) => return Decision::Denied("pattern_blocked"),
            None => return Decision::Denied("path_denied"),
        }
        if self.allow.is_match(path) == Some(true) {
            return Decision::Allowed;
        }
        self.decide_unmatched(path)
    }

    /// The decision for a path inside one of the [`subtrees`](Rules::subtrees), `None` for
    /// any other. The allow set matches it (its prefix does), and the deny names cannot
    /// match the prefix's components, which are all inner ones: so only the components after
    /// the prefix are tested, besides the deny patterns that judge the whole path. The same
    /// answer as the two sets' (`subtree_decisions_match_the_sets`), at the cost of one prefix
    /// comparison and the path's last components, instead of every component twice.
    #[inline]
    fn decide_in_subtree(&self, path: &[u8]) -> Option<Decision> {
        let deny = self.deny.fast.as_ref()?;
        let prefix = self.subtrees.iter().find(|p| path.starts_with(p))?;
        // From the prefix's own final `/`: the components after it. Most paths have one,
        // the file's name, tested without finding the bounds of any other.
        let rest = path.get(prefix.len()..)?;
        let named = deny.has_names()
            && match next_separator(rest) {
                None => deny.last.matches(rest),
                Some(_) => deny.matches_names(path, prefix.len().saturating_sub(1)),
            };
        Some(if named || deny.matches_whole(path) {
            Decision::Denied("pattern_blocked")
        } else {
            Decision::Allowed
        })
    }

    /// The decision for a path no rule matched (out of line: hashing it is the rare case).
    #[inline(never)]
    fn decide_unmatched(&self, path: &[u8]) -> Decision {
        if self.traversable.contains(path) {
            return Decision::Traverse;
        }
        Decision::Denied("path_denied")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(given: &[Rule]) -> Rules {
        Rules::compile(given.to_vec())
    }

    fn allow(p: &str) -> Rule {
        Rule::Allow(p.into())
    }

    fn deny(p: &str) -> Rule {
        Rule::Deny(p.into())
    }

    #[test]
    fn nothing_is_allowed_without_rules() {
        let r = rules(&[]);
        for path in ["/", "/a", "/a/b"] {
            assert_eq!(r.decide(path.as_bytes()), Decision::Denied("path_denied"));
        }
    }

    #[test]
    fn double_star_covers_the_directory_and_everything_below() {
        let r = rules(&[allow("/workspace/**")]);
        for path in ["/workspace", "/workspace/a", "/workspace/a/b/c"] {
            assert_eq!(r.decide(path.as_bytes()), Decision::Allowed, "{path}");
        }
        assert_eq!(r.decide("/".as_bytes()), Decision::Traverse);
        assert_eq!(
            r.decide("/workspaces".as_bytes()),
            Decision::Denied("path_denied")
        );
        assert_eq!(
            r.decide("/other".as_bytes()),
            Decision::Denied("path_denied")
        );
        let all = rules(&[allow("/**")]);
        assert_eq!(all.decide("/".as_bytes()), Decision::Allowed);
        assert_eq!(all.decide("/x/y".as_bytes()), Decision::Allowed);
    }

    #[test]
    fn single_star_stays_inside_one_component() {
        let r = rules(&[allow("/src/*.rs")]);
        assert_eq!(r.decide("/src/main.rs".as_bytes()), Decision::Allowed);
        assert_eq!(
            r.decide("/src/bin/main.rs".as_bytes()),
            Decision::Denied("path_denied")
        );
        assert_eq!(r.decide("/src".as_bytes()), Decision::Traverse);
        assert_eq!(r.decide("/".as_bytes()), Decision::Traverse);
        let any_depth = rules(&[allow("/src/**/*.rs")]);
        assert_eq!(
            any_depth.decide("/src/bin/main.rs".as_bytes()),
            Decision::Allowed
        );
        assert_eq!(
            any_depth.decide("/src/main.rs".as_bytes()),
            Decision::Allowed
        );
    }

    #[test]
    fn deny_wins_whatever_the_order_and_covers_descendants() {
        for given in [
            vec![allow("/workspace/**"), deny("**/.env"), deny("**/secrets")],
            vec![deny("**/.env"), deny("**/secrets"), allow("/workspace/**")],
        ] {
            let r = rules(&given);
            assert_eq!(
                r.decide("/workspace/.env".as_bytes()),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/a/.env".as_bytes()),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/.env/x".as_bytes()),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/secrets".as_bytes()),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/secrets/k/v".as_bytes()),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(r.decide("/workspace/.envrc".as_bytes()), Decision::Allowed);
            assert_eq!(
                r.decide("/workspace/secretsx".as_bytes()),
                Decision::Allowed
            );
        }
        let r = rules(&[allow("/**"), deny("/private/**")]);
        assert_eq!(
            r.decide("/private".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/private/a".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(r.decide("/privateer".as_bytes()), Decision::Allowed);
    }

    #[test]
    fn relative_patterns_match_at_any_depth() {
        let r = rules(&[allow("/**"), deny(".env"), deny("*.key")]);
        assert_eq!(
            r.decide("/.env".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/a/b/.env".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/a/id.key".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(r.decide("/a/id.keys".as_bytes()), Decision::Allowed);
    }

    #[test]
    fn literal_patterns_name_one_node_and_traverse_its_parents() {
        let r = rules(&[allow("/data/project/notes.txt"), allow("/data/project/")]);
        assert_eq!(
            r.decide("/data/project/notes.txt".as_bytes()),
            Decision::Allowed
        );
        assert_eq!(r.decide("/data/project".as_bytes()), Decision::Allowed);
        assert_eq!(r.decide("/data".as_bytes()), Decision::Traverse);
        assert_eq!(
            r.decide("/data/project/other".as_bytes()),
            Decision::Denied("path_denied")
        );
    }

    #[test]
    fn an_invalid_pattern_denies_everything() {
        let r = rules(&[allow("/**"), deny("/a/[")]);
        assert!(r.error().is_some());
        assert_eq!(r.decide("/b".as_bytes()), Decision::Denied("invalid_rules"));
        assert_eq!(r.given().len(), 2);
    }

    /// The string tests answer exactly what globset answers, for every simple shape and
    /// paths chosen to sit on each test's edges.
    #[test]
    fn fast_path_matches_globset() {
        let patterns = [
            "/**",
            "/",
            "/a",
            "/a/**",
            "/a/b/**",
            "/a/b",
            "**/.env",
            "**/.env/**",
            "**/*.key",
            "**/*.key/**",
            "**/a",
            "**/a/**",
            "/a.b/**",
            "/a b/**",
            "**/ü",
            "/ü/**",
        ];
        let paths = [
            "/",
            "/a",
            "/a/",
            "/ab",
            "/a/b",
            "/a/bc",
            "/a/b/c",
            "/b/a",
            "/b/a/c",
            "/.env",
            "/x/.env",
            "/x/.env/y",
            "/x/.envy",
            "/x/y.env",
            "/id.key",
            "/k/id.key",
            "/k/.key",
            "/k/id.key/z",
            "/k/id.keys",
            "/key",
            "/a.b",
            "/a.b/c",
            "/axb/c",
            "/a b/c",
            "/ü",
            "/x/ü",
            "/ü/x",
            "/a\nb",
            "/x/a\n/.env",
            "//a",
            "/a//b",
        ];
        for pattern in patterns {
            let simple = Simple::parse(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            let mut simples = Simples::default();
            simples.push(simple);
            let globs = GlobSetBuilder::new()
                .add(glob(pattern).unwrap())
                .build()
                .unwrap();
            for path in paths {
                assert_eq!(
                    simples.matches(path.as_bytes()),
                    globs.is_match(path),
                    "{pattern} on {path:?}"
                );
            }
        }
        for pattern in [
            "/a/*", "**", "**/a/b", "/a/[bc]", "/a/\\*", "**/a*", "*.key", "/a/**/b",
        ] {
            assert_eq!(Simple::parse(pattern), None, "{pattern} is not simple");
        }
    }

    #[test]
    fn simple_sets_decide_as_the_globsets_do() {
        let r = rules(&[
            allow("/workspace/**"),
            deny(".env"),
            deny("*.key"),
            deny("**/secrets"),
        ]);
        assert!(r.allow.fast.is_some() && r.deny.fast.is_some());
        assert_eq!(
            r.decide("/workspace/a/.env".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/workspace/.env/x".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/workspace/id.key".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/workspace/secrets/k".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(r.decide("/workspace/a.keys".as_bytes()), Decision::Allowed);
        assert_eq!(r.decide("/workspace".as_bytes()), Decision::Allowed);
        assert_eq!(r.decide("/".as_bytes()), Decision::Traverse);
        assert_eq!(
            r.decide("/workspaces".as_bytes()),
            Decision::Denied("path_denied")
        );
        let mixed = rules(&[allow("/src/*.rs"), allow("/docs/**")]);
        assert!(mixed.allow.fast.is_none());
        assert_eq!(mixed.decide("/src/a.rs".as_bytes()), Decision::Allowed);
        assert_eq!(mixed.decide("/docs/x".as_bytes()), Decision::Allowed);
    }

    #[test]
    fn escapes_and_classes_are_glob_syntax() {
        let r = rules(&[allow("/a/\\*"), allow("/b/[xy]")]);
        assert_eq!(r.decide("/a/*".as_bytes()), Decision::Allowed);
        assert_eq!(r.decide("/a/z".as_bytes()), Decision::Denied("path_denied"));
        assert_eq!(r.decide("/b/x".as_bytes()), Decision::Allowed);
        assert_eq!(r.decide("/b/z".as_bytes()), Decision::Denied("path_denied"));
    }

    proptest::proptest! {
        /// A set of several simple patterns, decided in one pass, answers what its globset
        /// answers, on paths built from the pieces the patterns name.
        #[test]
        fn simple_sets_match_as_globsets_do(
            chosen in proptest::sample::subsequence(
                vec![
                    "/**", "/", "/a", "/a/**", "/a/b/**", "/a.b", "**/.env", "**/.env/**",
                    "**/*.key", "**/*.key/**", "**/a", "**/a/**", "**/b", "**/ü/**",
                ],
                1..6,
            ),
            components in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "b", "ab", ".env", ".envy", "id.key", ".key", "a.b", "ü", "", "x",
                ]),
                0..5,
            ),
        ) {
            let path = format!("/{}", components.join("/"));
            let mut simples = Simples::default();
            let mut globs = GlobSetBuilder::new();
            for pattern in &chosen {
                simples.push(Simple::parse(pattern).unwrap());
                globs.add(glob(pattern).unwrap());
            }
            let globs = globs.build().unwrap();
            proptest::prop_assert_eq!(
                simples.matches(path.as_bytes()),
                globs.is_match(&path),
                "{:?} on {:?}",
                chosen,
                path
            );
        }
    }

    proptest::proptest! {
        /// Inside an allowed subtree, judging only the components after its prefix decides
        /// as the two sets do, for every mix of simple rules (subtrees whose prefix a deny
        /// name matches included).
        #[test]
        fn subtree_decisions_match_the_sets(
            allows in proptest::sample::subsequence(
                vec!["/**", "/a/**", "/a/b/**", "/x/**", "/secrets/**", "/a"],
                1..4,
            ),
            denies in proptest::sample::subsequence(
                vec![".env", "**/secrets/**", "*.key", "/a/b", "/x/**", "b"],
                0..4,
            ),
            components in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "b", "x", ".env", "secrets", "id.key", "c", "\u{fc}",
                ]),
                0..5,
            ),
        ) {
            let given: Vec<Rule> = allows
                .iter()
                .map(|p| allow(p))
                .chain(denies.iter().map(|p| deny(p)))
                .collect();
            let r = rules(&given);
            let path = format!("/{}", components.join("/"));
            proptest::prop_assert_eq!(
                r.decide(path.as_bytes()),
                r.decide_by_sets(path.as_bytes()),
                "{:?} on {:?}",
                given,
                path
            );
        }
    }

    #[test]
    fn a_subtree_whose_prefix_a_deny_name_matches_is_judged_in_full() {
        let r = rules(&[allow("/secrets/**"), allow("/w/**"), deny("**/secrets/**")]);
        assert_eq!(&*r.subtrees, [Box::from(&b"/w/"[..])]);
        assert_eq!(
            r.decide("/secrets/k".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/w/secrets/k".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/w/secrets".as_bytes()),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(r.decide("/w/secretsx".as_bytes()), Decision::Allowed);
        let globbed = rules(&[allow("/w/**"), deny("/w/*.rs")]);
        assert!(
            globbed.subtrees.is_empty(),
            "a globbed deny set has no subtrees"
        );
    }

    /// Bytes that are not UTF-8 are never allowed through a set only the globset decides,
    /// and a deny set that cannot judge them denies.
    #[test]
    fn bytes_that_are_not_utf8_fail_closed() {
        let globbed = rules(&[allow("/src/*.rs")]);
        assert!(globbed.allow.fast.is_none());
        assert_eq!(
            globbed.decide(b"/src/\xff.rs"),
            Decision::Denied("path_denied")
        );
        let deny_globbed = rules(&[allow("/**"), deny("/a/*.rs")]);
        assert_eq!(
            deny_globbed.decide(b"/b/\xff"),
            Decision::Denied("path_denied")
        );
        assert_eq!(deny_globbed.decide(b"/b/c"), Decision::Allowed);
    }

    /// Names of 63 bytes and more share one length bit: they are still compared exactly.
    #[test]
    fn long_names_are_compared_whatever_their_length() {
        let long = "n".repeat(70);
        for pattern in [format!("**/{long}"), format!("**/{long}/**")] {
            let mut simples = Simples::default();
            simples.push(Simple::parse(&pattern).unwrap());
            let globs = GlobSetBuilder::new()
                .add(glob(&pattern).unwrap())
                .build()
                .unwrap();
            for name in [long.clone(), "n".repeat(71), "n".repeat(63), "n".repeat(69)] {
                for path in [format!("/{name}"), format!("/a/{name}/b")] {
                    assert_eq!(
                        simples.matches(path.as_bytes()),
                        globs.is_match(&path),
                        "{pattern} on {path}"
                    );
                }
            }
        }
    }
}
