//! [`conformance_tests!`](crate::conformance_tests): the one line that runs the whole kit.

/// Generates a test module running every conformance section a backend's level allows.
///
/// `conformance_tests!(name, level, factory)`, where `level` is `fs`, `fs_full`, `fs_fuse` or
/// `fs_posix` and `factory` is an expression callable as `Fn() -> B` that returns a fresh,
/// empty backend. Generates `mod name` (it sees the enclosing module's imports) with one
/// `#[test]` per section:
///
/// | level | tests |
/// |---|---|
/// | `fs` | `layer1_fs`, `edge_cases`, `errors`, `thread_safety` |
/// | `fs_full` | the above, `layer2_fs_full`, `path_resolution` |
/// | `fs_fuse` | the above, `layer3_fs_fuse` |
/// | `fs_posix` | the above, `layer4_fs_posix` |
///
/// ```no_run
/// use anyfs::{FileStorage, MemoryBackend};
///
/// anyfs::conformance_tests!(memory, fs_posix, MemoryBackend::new);
/// anyfs::conformance_tests!(storage, fs_posix, || FileStorage::new(MemoryBackend::new()));
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($name:ident, fs, $make:expr $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $crate::conformance_tests!(@fs $name, $make);
        }
    };
    ($name:ident, fs_full, $make:expr $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $crate::conformance_tests!(@fs $name, $make);
            $crate::conformance_tests!(@fs_full $name, $make);
        }
    };
    ($name:ident, fs_fuse, $make:expr $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $crate::conformance_tests!(@fs $name, $make);
            $crate::conformance_tests!(@fs_full $name, $make);
            $crate::conformance_tests!(@fs_fuse $name, $make);
        }
    };
    ($name:ident, fs_posix, $make:expr $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $crate::conformance_tests!(@fs $name, $make);
            $crate::conformance_tests!(@fs_full $name, $make);
            $crate::conformance_tests!(@fs_fuse $name, $make);
            $crate::conformance_tests!(@fs_posix $name, $make);
        }
    };
    (@fs $name:ident, $make:expr) => {
        $crate::conformance_tests!(@test $name, layer1_fs, layer1, $make);
        $crate::conformance_tests!(@test $name, edge_cases, edge_cases, $make);
        $crate::conformance_tests!(@test $name, errors, errors, $make);
        $crate::conformance_tests!(@test $name, thread_safety, thread_safety, $make);
    };
    (@fs_full $name:ident, $make:expr) => {
        $crate::conformance_tests!(@test $name, layer2_fs_full, layer2, $make);
        $crate::conformance_tests!(@test $name, path_resolution, path_resolution, $make);
    };
    (@fs_fuse $name:ident, $make:expr) => {
        $crate::conformance_tests!(@test $name, layer3_fs_fuse, layer3, $make);
    };
    (@fs_posix $name:ident, $make:expr) => {
        $crate::conformance_tests!(@test $name, layer4_fs_posix, layer4, $make);
    };
    (@test $name:ident, $test:ident, $section:ident, $make:expr) => {
        #[test]
        fn $test() -> ::core::result::Result<(), $crate::conformance::Report> {
            $crate::conformance::run_cases(
                concat!(stringify!($name), "::", stringify!($test)),
                $make,
                $crate::conformance::$section::cases(),
            )
            .map(drop)
        }
    };
}
