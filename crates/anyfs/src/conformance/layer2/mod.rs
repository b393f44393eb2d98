//! Layer 2, [`FsFull`]: [`FsLink`](crate::FsLink), [`FsPermissions`](crate::FsPermissions),
//! [`FsSync`](crate::FsSync), [`FsStats`](crate::FsStats), plus the POSIX timestamp and
//! `nlink` rules a full filesystem keeps.

mod link;
mod permissions;
mod times;

use super::report::Case;
use crate::FsFull;

/// The layer 2 cases (links, permissions, sync, statfs, timestamps).
pub fn cases<B: FsFull>() -> Vec<Case<B>> {
    let mut all = link::cases();
    all.extend(permissions::cases());
    all.extend(times::cases());
    all
}
