//! The operations the adapter sends to JS: their codes (shared with JS through `opNames()`),
//! the engine names their errors carry, and the kind of value each one answers with.

/// The kind of value a JS layer answers an operation with, once the dispatcher in
/// `js/js-layer/dispatch.ts` has put it in the boundary's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// Nothing (`undefined`).
    Unit,
    /// A boolean.
    Bool,
    /// A non-negative integer (inode, handle, byte count).
    Num,
    /// A string.
    Str,
    /// A `Uint8Array`.
    Bytes,
    /// Metadata, written into the thread's scratch slots.
    Meta,
    /// `[names joined by "/", Float64Array of (inode, type) pairs]`.
    Dir,
    /// Statfs, written into the thread's scratch slots.
    StatFs,
    /// An array of strings.
    Strs,
}

macro_rules! ops {
    ($($variant:ident = $code:literal, $js:literal, $engine:literal, $want:ident;)*) => {
        /// An operation of a JS layer. The discriminant is the op code of
        /// `crate::batch::NAMES`, the single numbering JS also uses.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Op {
            $($variant = $code,)*
        }

        impl Op {
            /// Every operation, for tests.
            #[cfg(test)]
            pub(crate) const ALL: &'static [Op] = &[$(Op::$variant,)*];

            /// The JS method name (`readToString`).
            #[cfg(test)]
            pub(crate) fn js_name(self) -> &'static str {
                match self {
                    $(Op::$variant => $js,)*
                }
            }

            /// The engine's name, which errors carry as their operation (`read_to_string`).
            pub(crate) fn engine_name(self) -> &'static str {
                match self {
                    $(Op::$variant => $engine,)*
                }
            }

            /// What the operation answers with.
            pub(crate) fn want(self) -> Want {
                match self {
                    $(Op::$variant => Want::$want,)*
                }
            }

            /// The op code sent to JS.
            pub(crate) fn code(self) -> u32 {
                self as u32
            }

            /// The bit of this op in a set of ops (see `JsFs::has_handler`).
            pub(crate) fn bit(self) -> u64 {
                1 << (self as u32)
            }
        }
    };
}

ops! {
    Read = 0, "read", "read", Bytes;
    ReadToString = 1, "readToString", "read_to_string", Str;
    ReadRange = 2, "readRange", "read_range", Bytes;
    Exists = 3, "exists", "exists", Bool;
    Metadata = 4, "metadata", "metadata", Meta;
    Write = 6, "write", "write", Unit;
    Append = 7, "append", "append", Unit;
    RemoveFile = 8, "removeFile", "remove_file", Unit;
    Rename = 9, "rename", "rename", Unit;
    Copy = 10, "copy", "copy", Unit;
    Truncate = 11, "truncate", "truncate", Unit;
    SetTimes = 13, "setTimes", "set_times", Unit;
    ReadDir = 14, "readDir", "read_dir", Dir;
    CreateDir = 15, "createDir", "create_dir", Unit;
    CreateDirAll = 16, "createDirAll", "create_dir_all", Unit;
    RemoveDir = 17, "removeDir", "remove_dir", Unit;
    RemoveDirAll = 18, "removeDirAll", "remove_dir_all", Unit;
    Symlink = 19, "symlink", "symlink", Unit;
    HardLink = 20, "hardLink", "hard_link", Unit;
    ReadLink = 21, "readLink", "read_link", Str;
    SymlinkMetadata = 22, "symlinkMetadata", "symlink_metadata", Meta;
    SetPermissions = 23, "setPermissions", "set_permissions", Unit;
    SetOwner = 24, "setOwner", "set_owner", Unit;
    Sync = 25, "sync", "sync", Unit;
    Fsync = 26, "fsync", "fsync", Unit;
    Statfs = 27, "statfs", "statfs", StatFs;
    PathToInode = 28, "pathToInode", "path_to_inode", Num;
    InodeToPath = 29, "inodeToPath", "inode_to_path", Str;
    Lookup = 30, "lookup", "lookup", Num;
    MetadataByInode = 31, "metadataByInode", "metadata_by_inode", Meta;
    Open = 32, "open", "open", Num;
    ReadAt = 33, "readAt", "read_at", Bytes;
    WriteAt = 34, "writeAt", "write_at", Num;
    Close = 35, "close", "close", Unit;
    Lock = 36, "lock", "lock", Unit;
    TryLock = 37, "tryLock", "try_lock", Bool;
    Unlock = 38, "unlock", "unlock", Unit;
    GetXattr = 39, "getXattr", "get_xattr", Bytes;
    SetXattr = 40, "setXattr", "set_xattr", Unit;
    RemoveXattr = 41, "removeXattr", "remove_xattr", Unit;
    ListXattr = 42, "listXattr", "list_xattr", Strs;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_shared_numbering() {
        for op in Op::ALL {
            assert_eq!(
                crate::batch::NAMES.get(op.code() as usize).copied(),
                Some(op.js_name()),
                "{op:?}"
            );
            assert!(op.code() < 64, "{op:?} must fit the handler bit set");
        }
    }
}
