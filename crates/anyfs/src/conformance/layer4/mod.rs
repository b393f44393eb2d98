//! Layer 4, [`FsPosix`]: [`FsHandles`](crate::FsHandles), [`FsLock`](crate::FsLock),
//! [`FsXattr`](crate::FsXattr).

mod handles;
mod lock;
mod xattr;

use super::report::Case;
use crate::FsPosix;

/// The layer 4 cases (handles, locks, extended attributes).
pub fn cases<B: FsPosix>() -> Vec<Case<B>> {
    let mut all = handles::cases();
    all.extend(lock::cases());
    all.extend(xattr::cases());
    all
}
