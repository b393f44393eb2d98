//! `DryRun`: mutations are recorded instead of executed; [`NativeDryRun`] reads the log.

use std::path::Path;
use std::sync::Arc;

use anyfs::middleware::dry_run::Operation;
use anyfs::DryRun;
use napi_derive::napi;

use super::js_name;
use crate::convert::{time_ms, to_usize};
use crate::error::{guard, Ctx};
use crate::ops::Backend;
use crate::stack::NativeFs;

/// One recorded mutation, flattened: `op` names it (the JS method name) and says which of the
/// other fields are set. JS turns it into a typed union.
#[napi(object)]
#[derive(Default)]
pub struct NativeOperation {
    /// `write`, `append`, `removeFile`, `rename`, `copy`, `truncate`, `openWrite`, `setTimes`,
    /// `createDir`, `createDirAll`, `removeDir`, `removeDirAll`, `symlink`, `hardLink`,
    /// `setPermissions`, `setOwner`, `open`, `writeAt`, `setXattr`, `removeXattr`.
    pub op: String,
    /// The node acted on (`rename`/`copy`: the source; links: the new link).
    pub path: String,
    /// `rename`/`copy`: the destination; links: the original.
    pub dest: Option<String>,
    /// Bytes written, or the new length of `truncate`.
    pub size: Option<f64>,
    /// `writeAt`: the offset.
    pub offset: Option<f64>,
    /// `setPermissions`: the mode bits.
    pub mode: Option<u32>,
    /// `setOwner`: the new owner (absent: unchanged).
    pub uid: Option<u32>,
    /// `setOwner`: the new group (absent: unchanged).
    pub gid: Option<u32>,
    /// `setTimes`: the access time in ms since the epoch (absent: unchanged).
    pub accessed: Option<f64>,
    /// `setTimes`: the modification time in ms since the epoch (absent: unchanged).
    pub modified: Option<f64>,
    /// `open`: the flag bits.
    pub flags: Option<u32>,
    /// `setXattr`/`removeXattr`: the attribute.
    pub name: Option<String>,
}

fn text(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn record(op: &'static str, path: &Path) -> NativeOperation {
    NativeOperation {
        op: op.to_owned(),
        path: text(path),
        ..NativeOperation::default()
    }
}

fn sized(op: &'static str, path: &Path, size: u64) -> NativeOperation {
    NativeOperation {
        size: Some(size as f64),
        ..record(op, path)
    }
}

fn moved(op: &'static str, path: &Path, dest: &Path) -> NativeOperation {
    NativeOperation {
        dest: Some(text(dest)),
        ..record(op, path)
    }
}

fn js_operation(op: &Operation) -> NativeOperation {
    match op {
        Operation::Write { path, size } => sized("write", path, *size),
        Operation::Append { path, size } => sized("append", path, *size),
        Operation::Truncate { path, size } => sized("truncate", path, *size),
        Operation::OpenWrite { path, size } => sized("openWrite", path, *size),
        Operation::RemoveFile { path } => record("removeFile", path),
        Operation::CreateDir { path } => record("createDir", path),
        Operation::CreateDirAll { path } => record("createDirAll", path),
        Operation::RemoveDir { path } => record("removeDir", path),
        Operation::RemoveDirAll { path } => record("removeDirAll", path),
        Operation::Rename { from, to } => moved("rename", from, to),
        Operation::Copy { from, to } => moved("copy", from, to),
        Operation::Symlink { original, link } => moved("symlink", link, original),
        Operation::HardLink { original, link } => moved("hardLink", link, original),
        Operation::SetTimes {
            path,
            accessed,
            modified,
        } => NativeOperation {
            accessed: accessed.map(|t| time_ms(Some(t))),
            modified: modified.map(|t| time_ms(Some(t))),
            ..record("setTimes", path)
        },
        Operation::SetPermissions { path, mode } => NativeOperation {
            mode: Some(*mode),
            ..record("setPermissions", path)
        },
        Operation::SetOwner { path, uid, gid } => NativeOperation {
            uid: *uid,
            gid: *gid,
            ..record("setOwner", path)
        },
        Operation::Open { path, flags } => NativeOperation {
            flags: Some(flags.bits()),
            ..record("open", path)
        },
        Operation::WriteAt { path, offset, size } => NativeOperation {
            offset: Some(*offset as f64),
            ..sized("writeAt", path, *size)
        },
        Operation::SetXattr { path, name, size } => NativeOperation {
            name: Some(name.clone()),
            ..sized("setXattr", path, *size)
        },
        Operation::RemoveXattr { path, name } => NativeOperation {
            name: Some(name.clone()),
            ..record("removeXattr", path)
        },
        // A variant added to the engine later still reaches JS, by its name and path.
        other => NativeOperation {
            op: js_name(other.name()),
            dest: other.dest().map(text),
            ..record("", other.path())
        },
    }
}

/// A DryRun over a stack: its stack handle and its log.
#[napi]
pub struct NativeDryRun {
    dry: Arc<DryRun<Backend>>,
    stack: NativeFs,
}

#[napi]
impl NativeFs {
    /// This stack behind `DryRun`, keeping at most `max_operations` (the newest) if given.
    #[napi]
    pub fn wrap_dry_run(&self, max_operations: Option<f64>) -> napi::Result<NativeDryRun> {
        guard(Ctx::bare("DryRunLayer"), || {
            let inner = self.layer_source("DryRunLayer")?;
            let mut dry = DryRun::new(inner);
            if let Some(max) = max_operations {
                dry = dry.with_max_operations(to_usize(max, "maxOperations", "DryRunLayer")?);
            }
            let dry = Arc::new(dry);
            Ok(NativeDryRun {
                stack: self.wrapped(dry.clone()),
                dry,
            })
        })
    }
}

#[napi]
impl NativeDryRun {
    /// The stack handle (the DryRun over the wrapped stack).
    #[napi]
    pub fn stack(&self) -> NativeFs {
        self.stack.share()
    }

    /// The recorded operations, oldest first.
    #[napi]
    pub fn operations(&self) -> Vec<NativeOperation> {
        self.dry.operations().iter().map(js_operation).collect()
    }

    /// Removes and returns the recorded operations.
    #[napi]
    pub fn take_operations(&self) -> Vec<NativeOperation> {
        self.dry
            .take_operations()
            .iter()
            .map(js_operation)
            .collect()
    }

    /// Forgets the recorded operations and the dropped count.
    #[napi]
    pub fn clear(&self) {
        self.dry.clear();
    }

    /// Operations discarded because the log was full.
    #[napi(getter)]
    pub fn dropped(&self) -> f64 {
        self.dry.recording().dropped() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyfs::{FsLink, FsWrite, MemoryBackend};

    #[test]
    fn every_recorded_call_keeps_its_arguments() {
        let dry = DryRun::new(MemoryBackend::new());
        dry.write(Path::new("/a"), b"hello").unwrap();
        dry.rename(Path::new("/a"), Path::new("/b")).unwrap();
        dry.symlink(Path::new("/target"), Path::new("/link"))
            .unwrap();
        let ops: Vec<_> = dry.operations().iter().map(js_operation).collect();
        assert_eq!(ops[0].op, "write");
        assert_eq!((ops[0].path.as_str(), ops[0].size), ("/a", Some(5.0)));
        assert_eq!(ops[1].op, "rename");
        assert_eq!(ops[1].dest.as_deref(), Some("/b"));
        assert_eq!(ops[2].op, "symlink");
        assert_eq!(ops[2].path, "/link");
        assert_eq!(ops[2].dest.as_deref(), Some("/target"));
    }
}
