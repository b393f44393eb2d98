//! [`FsExt`]: convenience methods every [`Fs`] gets for free.

use std::path::Path;

use crate::{FileType, Fs, FsError};

/// Extension methods implemented for every [`Fs`] backend.
///
/// ```
/// # fn demo(fs: &impl anyfs_backend::Fs) -> Result<(), anyfs_backend::FsError> {
/// use anyfs_backend::FsExt;
/// if fs.is_dir("/docs")? { /* ... */ }
/// # Ok(()) }
/// ```
pub trait FsExt: Fs {
    /// True if `path` is a regular file (following symlinks); `Ok(false)` if it does not exist.
    fn is_file(&self, path: impl AsRef<Path>) -> Result<bool, FsError> {
        is_type(self, path.as_ref(), FileType::File)
    }

    /// True if `path` is a directory (following symlinks); `Ok(false)` if it does not exist.
    fn is_dir(&self, path: impl AsRef<Path>) -> Result<bool, FsError> {
        is_type(self, path.as_ref(), FileType::Directory)
    }

    /// Reads a file and parses it as JSON.
    #[cfg(feature = "serde")]
    fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<T, FsError> {
        let path = path.as_ref();
        let bytes = self.read(path)?;
        serde_json::from_slice(&bytes).map_err(|e| FsError::Deserialization {
            path: path.to_path_buf(),
            operation: "read_json",
            message: e.to_string(),
        })
    }

    /// Serializes `value` as JSON and writes it to a file.
    #[cfg(feature = "serde")]
    fn write_json<T: serde::Serialize>(
        &self,
        path: impl AsRef<Path>,
        value: &T,
    ) -> Result<(), FsError> {
        let bytes = serde_json::to_vec(value).map_err(|e| FsError::Serialization {
            operation: "write_json",
            message: e.to_string(),
        })?;
        self.write(path.as_ref(), &bytes)
    }
}

impl<B: Fs + ?Sized> FsExt for B {}

fn is_type<B: Fs + ?Sized>(fs: &B, path: &Path, wanted: FileType) -> Result<bool, FsError> {
    match fs.metadata(path) {
        Ok(m) => Ok(m.file_type == wanted),
        Err(FsError::NotFound { .. }) | Err(FsError::NotADirectory { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}
