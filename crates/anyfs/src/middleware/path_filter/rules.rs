//! The rules: glob patterns compiled into two [`GlobSet`]s (one match per set per path), with
//! plain string tests in front of a set whose patterns all have simple shapes (`/dir/**`,
//! literal paths, `**/name`, `**/*.ext`), and the decision for one path.

use std::collections::HashSet;
use std::fmt;

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
/// one of the [`Simple`] shapes, the same patterns as plain string tests (a few comparisons
/// instead of building a `Candidate` and running the matchers). Both answer the same for every
/// absolute path (`fast_path_matches_globset` checks it); the globset answers the others.
struct Set {
    globs: GlobSet,
    fast: Option<Vec<Simple>>,
}

/// A pattern shape that a string test decides exactly as globset does (with
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
    Is(String),
    /// `*suffix`: the component ends with this (`*` stays inside a component).
    EndsWith(String),
}

impl Name {
    fn parse(name: &str) -> Option<Name> {
        if name.is_empty() || name.contains('/') {
            return None;
        }
        if !is_glob(name) {
            return Some(Name::Is(name.to_owned()));
        }
        let suffix = name.strip_prefix('*')?;
        (!suffix.is_empty() && !is_glob(suffix) && !suffix.contains('/'))
            .then(|| Name::EndsWith(suffix.to_owned()))
    }

    fn matches(&self, component: &str) -> bool {
        match self {
            Name::Is(name) => component == name,
            Name::EndsWith(suffix) => component.ends_with(suffix.as_str()),
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

    /// Whether an absolute path matches.
    fn matches(&self, path: &str) -> bool {
        match self {
            Simple::Exact(literal) => path == literal,
            Simple::Below(prefix) => path.starts_with(prefix.as_str()),
            Simple::Last(name) => path.rsplit('/').next().is_some_and(|c| name.matches(c)),
            Simple::Inner(name) => {
                let mut components = path.split('/');
                // Every component but the last (the first is the empty one before the root).
                components.next_back();
                components.skip(1).any(|c| name.matches(c))
            }
        }
    }
}

impl Set {
    fn is_match(&self, path: &str) -> bool {
        match &self.fast {
            Some(simple) if path.starts_with('/') => simple.iter().any(|s| s.matches(path)),
            _ => self.globs.is_match(path),
        }
    }
}

/// Builds one [`Set`] from its patterns.
struct SetBuilder {
    globs: GlobSetBuilder,
    fast: Option<Vec<Simple>>,
}

impl SetBuilder {
    fn new() -> Self {
        SetBuilder {
            globs: GlobSetBuilder::new(),
            fast: Some(Vec::new()),
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
    /// The literal directories leading to each allow pattern (`/`, `/data`, `/data/project`
    /// for `/data/project/**`).
    traversable: HashSet<String>,
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
                        traversable.insert(String::from("/"));
                        let mut dir = String::new();
                        for component in components.iter().take(dirs) {
                            dir.push('/');
                            dir.push_str(component);
                            traversable.insert(dir.clone());
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
        Rules {
            given,
            allow,
            deny,
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

    /// The decision for a normalized absolute path (no trailing `/`, `/` for the root).
    pub fn decide(&self, path: &str) -> Decision {
        if self.error.is_some() {
            return Decision::Denied("invalid_rules");
        }
        if self.deny.is_match(path) {
            return Decision::Denied("pattern_blocked");
        }
        if self.allow.is_match(path) {
            return Decision::Allowed;
        }
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
            assert_eq!(r.decide(path), Decision::Denied("path_denied"));
        }
    }

    #[test]
    fn double_star_covers_the_directory_and_everything_below() {
        let r = rules(&[allow("/workspace/**")]);
        for path in ["/workspace", "/workspace/a", "/workspace/a/b/c"] {
            assert_eq!(r.decide(path), Decision::Allowed, "{path}");
        }
        assert_eq!(r.decide("/"), Decision::Traverse);
        assert_eq!(r.decide("/workspaces"), Decision::Denied("path_denied"));
        assert_eq!(r.decide("/other"), Decision::Denied("path_denied"));
        let all = rules(&[allow("/**")]);
        assert_eq!(all.decide("/"), Decision::Allowed);
        assert_eq!(all.decide("/x/y"), Decision::Allowed);
    }

    #[test]
    fn single_star_stays_inside_one_component() {
        let r = rules(&[allow("/src/*.rs")]);
        assert_eq!(r.decide("/src/main.rs"), Decision::Allowed);
        assert_eq!(
            r.decide("/src/bin/main.rs"),
            Decision::Denied("path_denied")
        );
        assert_eq!(r.decide("/src"), Decision::Traverse);
        assert_eq!(r.decide("/"), Decision::Traverse);
        let any_depth = rules(&[allow("/src/**/*.rs")]);
        assert_eq!(any_depth.decide("/src/bin/main.rs"), Decision::Allowed);
        assert_eq!(any_depth.decide("/src/main.rs"), Decision::Allowed);
    }

    #[test]
    fn deny_wins_whatever_the_order_and_covers_descendants() {
        for given in [
            vec![allow("/workspace/**"), deny("**/.env"), deny("**/secrets")],
            vec![deny("**/.env"), deny("**/secrets"), allow("/workspace/**")],
        ] {
            let r = rules(&given);
            assert_eq!(
                r.decide("/workspace/.env"),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/a/.env"),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/.env/x"),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/secrets"),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(
                r.decide("/workspace/secrets/k/v"),
                Decision::Denied("pattern_blocked")
            );
            assert_eq!(r.decide("/workspace/.envrc"), Decision::Allowed);
            assert_eq!(r.decide("/workspace/secretsx"), Decision::Allowed);
        }
        let r = rules(&[allow("/**"), deny("/private/**")]);
        assert_eq!(r.decide("/private"), Decision::Denied("pattern_blocked"));
        assert_eq!(r.decide("/private/a"), Decision::Denied("pattern_blocked"));
        assert_eq!(r.decide("/privateer"), Decision::Allowed);
    }

    #[test]
    fn relative_patterns_match_at_any_depth() {
        let r = rules(&[allow("/**"), deny(".env"), deny("*.key")]);
        assert_eq!(r.decide("/.env"), Decision::Denied("pattern_blocked"));
        assert_eq!(r.decide("/a/b/.env"), Decision::Denied("pattern_blocked"));
        assert_eq!(r.decide("/a/id.key"), Decision::Denied("pattern_blocked"));
        assert_eq!(r.decide("/a/id.keys"), Decision::Allowed);
    }

    #[test]
    fn literal_patterns_name_one_node_and_traverse_its_parents() {
        let r = rules(&[allow("/data/project/notes.txt"), allow("/data/project/")]);
        assert_eq!(r.decide("/data/project/notes.txt"), Decision::Allowed);
        assert_eq!(r.decide("/data/project"), Decision::Allowed);
        assert_eq!(r.decide("/data"), Decision::Traverse);
        assert_eq!(
            r.decide("/data/project/other"),
            Decision::Denied("path_denied")
        );
    }

    #[test]
    fn an_invalid_pattern_denies_everything() {
        let r = rules(&[allow("/**"), deny("/a/[")]);
        assert!(r.error().is_some());
        assert_eq!(r.decide("/b"), Decision::Denied("invalid_rules"));
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
            let globs = GlobSetBuilder::new()
                .add(glob(pattern).unwrap())
                .build()
                .unwrap();
            for path in paths {
                assert_eq!(
                    simple.matches(path),
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
            r.decide("/workspace/a/.env"),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/workspace/.env/x"),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/workspace/id.key"),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(
            r.decide("/workspace/secrets/k"),
            Decision::Denied("pattern_blocked")
        );
        assert_eq!(r.decide("/workspace/a.keys"), Decision::Allowed);
        assert_eq!(r.decide("/workspace"), Decision::Allowed);
        assert_eq!(r.decide("/"), Decision::Traverse);
        assert_eq!(r.decide("/workspaces"), Decision::Denied("path_denied"));
        let mixed = rules(&[allow("/src/*.rs"), allow("/docs/**")]);
        assert!(mixed.allow.fast.is_none());
        assert_eq!(mixed.decide("/src/a.rs"), Decision::Allowed);
        assert_eq!(mixed.decide("/docs/x"), Decision::Allowed);
    }

    #[test]
    fn escapes_and_classes_are_glob_syntax() {
        let r = rules(&[allow("/a/\\*"), allow("/b/[xy]")]);
        assert_eq!(r.decide("/a/*"), Decision::Allowed);
        assert_eq!(r.decide("/a/z"), Decision::Denied("path_denied"));
        assert_eq!(r.decide("/b/x"), Decision::Allowed);
        assert_eq!(r.decide("/b/z"), Decision::Denied("path_denied"));
    }
}
