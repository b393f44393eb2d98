//! Composition of the policy layers: `backend.layer(A).layer(B)` is `B<A<backend>>`, so the
//! last layer added is the outermost and sees a call first. Each stack below differs only in
//! order, and the order changes the outcome.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use anyfs::*;

fn p(s: &str) -> &Path {
    Path::new(s)
}

#[test]
fn the_last_layer_added_answers_first() {
    let no_links = RestrictionsLayer::builder().deny_symlinks().build();
    // Restrictions added last: it refuses the symlink (EPERM) before ReadOnly sees it.
    let fs = MemoryBackend::new()
        .layer(ReadOnlyLayer::new())
        .layer(no_links);
    assert_eq!(fs.symlink(p("/a"), p("/b")).unwrap_err().code(), "EPERM");
    let _: &Restrictions<ReadOnly<MemoryBackend>> = &fs;
    // ReadOnly added last: EROFS.
    let fs = MemoryBackend::new()
        .layer(no_links)
        .layer(ReadOnlyLayer::new());
    assert_eq!(fs.symlink(p("/a"), p("/b")).unwrap_err().code(), "EROFS");
}

#[test]
fn an_outer_rate_limit_counts_calls_an_inner_policy_refuses() {
    let two = || RateLimitLayer::builder().max_ops(2).per_minute().build();
    // RateLimit outermost: the refused write still spends budget.
    let fs = MemoryBackend::new()
        .layer(ReadOnlyLayer::new())
        .layer(two());
    assert_eq!(fs.write(p("/f"), b"x").unwrap_err().code(), "EROFS");
    fs.exists(p("/")).unwrap();
    assert_eq!(fs.exists(p("/")).unwrap_err().code(), "EAGAIN");
    // ReadOnly outermost: the write never reaches the limiter.
    let fs = MemoryBackend::new()
        .layer(two())
        .layer(ReadOnlyLayer::new());
    assert_eq!(fs.write(p("/f"), b"x").unwrap_err().code(), "EROFS");
    fs.exists(p("/")).unwrap();
    fs.exists(p("/")).unwrap();
    assert_eq!(fs.exists(p("/")).unwrap_err().code(), "EAGAIN");
}

#[test]
fn an_outer_quota_judges_size_before_an_inner_read_only_refuses() {
    let quota = || QuotaLayer::builder().max_file_size(4).build();
    // ReadOnly outermost: nothing is written, whatever its size.
    let fs = MemoryBackend::new()
        .layer(quota())
        .layer(ReadOnlyLayer::new());
    assert_eq!(fs.write(p("/x"), b"too big").unwrap_err().code(), "EROFS");
    // Quota outermost: the same call is judged by its size first.
    let fs = MemoryBackend::new()
        .layer(ReadOnlyLayer::new())
        .layer(quota());
    assert_eq!(fs.write(p("/x"), b"too big").unwrap_err().code(), "EFBIG");
    assert_eq!(fs.write(p("/x"), b"ok").unwrap_err().code(), "EROFS");
}

#[test]
fn a_quota_over_a_path_filter_counts_what_the_filter_shows() {
    let inner = MemoryBackend::new();
    inner.create_dir_all(p("/ws")).unwrap();
    inner.write(p("/ws/a"), &[0; 10]).unwrap();
    inner.write(p("/hidden"), &[0; 1000]).unwrap();
    let fs = inner
        .layer(PathFilterLayer::builder().allow("/ws/**").build())
        .layer(QuotaLayer::builder().max_total_size(20).build());
    // The root itself may only be looked up, not listed: the scan sees nothing below it.
    assert_eq!(fs.usage().node_count, 0);
    fs.write(p("/ws/b"), &[0; 20]).unwrap();
    assert_eq!(fs.write(p("/ws/c"), b"x").unwrap_err().code(), "ENOSPC");
    assert_eq!(fs.write(p("/hidden"), b"x").unwrap_err().code(), "EACCES");
    // Listing /ws works, so a filter that allows the root lets the quota see everything.
    let fs = fs
        .into_inner()
        .into_inner()
        .layer(
            PathFilterLayer::builder()
                .allow("/**")
                .deny("/hidden")
                .build(),
        )
        .layer(QuotaLayer::new());
    assert_eq!(
        fs.usage(),
        QuotaUsage {
            total_size: 30,
            node_count: 3
        }
    );
}

#[test]
fn the_seeds_ai_sandbox_stack() {
    let sandbox = MemoryBackend::new()
        .layer(
            QuotaLayer::builder()
                .max_total_size(50 * 1024 * 1024)
                .max_file_size(5 * 1024 * 1024)
                .build(),
        )
        .layer(
            PathFilterLayer::builder()
                .allow("/workspace/**")
                .deny("**/.env")
                .deny("**/secrets/**")
                .build(),
        )
        .layer(RestrictionsLayer::builder().deny_permissions().build())
        .layer(RateLimitLayer::builder().max_ops(1000).per_second().build());
    let fs = FileStorage::new(sandbox);
    fs.create_dir_all("/workspace/src").unwrap();
    fs.write("/workspace/src/main.rs", b"fn main() {}").unwrap();
    assert_eq!(fs.read("/workspace/src/main.rs").unwrap(), b"fn main() {}");
    assert_eq!(
        fs.write("/workspace/.env", b"x").unwrap_err().code(),
        "EACCES"
    );
    assert_eq!(fs.read("/etc/passwd").unwrap_err().code(), "EACCES");
    let big = vec![0u8; 5 * 1024 * 1024 + 1];
    assert_eq!(
        fs.write("/workspace/big", &big).unwrap_err().code(),
        "EFBIG"
    );
    assert_eq!(
        fs.set_permissions("/workspace/src/main.rs", Permissions::from_mode(0o777))
            .unwrap_err()
            .code(),
        "EPERM"
    );
    // Every capability survived four layers: this is still a full POSIX filesystem.
    fn posix(_: &impl FsPosix) {}
    posix(fs.backend());
}
