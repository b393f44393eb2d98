//! Layer 1, [`Fs`]: every method of [`FsRead`](crate::FsRead), [`FsWrite`](crate::FsWrite)
//! and [`FsDir`](crate::FsDir). Every backend must pass these.

mod dir;
mod read;
mod write;

use super::report::Case;
use crate::Fs;

/// The layer 1 cases (reads, writes, directories).
pub fn cases<B: Fs>() -> Vec<Case<B>> {
    let mut all = read::cases();
    all.extend(write::cases());
    all.extend(dir::cases());
    all
}
