//! The columnar buffer trace events wait in until JS takes them (see the parent module).
//!
//! Why columns: a JS object made through N-API costs one call per property (tens of ns each),
//! and an owned event costs an allocation per path. Here an event is nine numbers appended to
//! one `Vec<f64>` and its paths appended to one `String`; a batch reaches JS as one
//! `Float64Array`, one string and the operation and error names first seen since the last
//! batch, and `js/middleware/tracing.ts` builds the event objects (cheap in JS).
//!
//! Layout of an event in `numbers` (mirrored in `js/middleware/tracing.ts`): `[op, code, flags,
//! path length, dest length, bytes, handle, inode, duration ms]`. `op` and `code` index the
//! name tables (each name is sent once per queue, in the batch that first uses it); the path
//! lengths are in UTF-16 code units (what JS slices by), and `text` holds the paths of the
//! batch back to back. Cost: O(1) amortized per event (name lookup: a scan of the distinct
//! names seen, usually a handful; paths: one copy and an ASCII check), 72 bytes plus the paths.

use std::borrow::Cow;
use std::path::Path;

use anyfs::middleware::tracing::TraceEventRef;

use crate::convert::F64s;
use crate::layers::js_name;

/// Numbers per event.
pub(super) const STRIDE: usize = 9;
/// `flags` bits: which optional fields are present, and the outcome.
const OK: u8 = 1;
const PATH: u8 = 2;
const DEST: u8 = 4;
const BYTES: u8 = 8;
const HANDLE: u8 = 16;
const INODE: u8 = 32;
const CODE: u8 = 64;

/// One batch as it crosses to JS: `[numbers, text, new operation names, new error codes]`.
pub(super) type Batch = (F64s, String, Vec<String>, Vec<String>);

/// Events waiting for JS, and the names already sent (see the module docs).
#[derive(Default)]
pub(super) struct Columns {
    numbers: Vec<f64>,
    text: String,
    ops: Vec<&'static str>,
    ops_sent: usize,
    codes: Vec<&'static str>,
    codes_sent: usize,
}

impl Columns {
    /// Events waiting.
    pub(super) fn len(&self) -> usize {
        self.numbers.len() / STRIDE
    }

    /// Appends one event.
    pub(super) fn push(&mut self, e: &TraceEventRef<'_>) {
        let op = intern(&mut self.ops, e.operation);
        let mut flags = if e.ok { OK } else { 0 };
        let code = match e.code {
            Some(code) => {
                flags |= CODE;
                intern(&mut self.codes, code)
            }
            None => 0,
        };
        let path = self.append(e.path, &mut flags, PATH);
        let dest = self.append(e.dest, &mut flags, DEST);
        let mut number = |value: Option<u64>, bit: u8| match value {
            Some(v) => {
                flags |= bit;
                v as f64
            }
            None => 0.0,
        };
        let bytes = number(e.bytes, BYTES);
        let handle = number(e.handle, HANDLE);
        let inode = number(e.inode, INODE);
        self.numbers.extend_from_slice(&[
            op as f64,
            code as f64,
            f64::from(flags),
            path as f64,
            dest as f64,
            bytes,
            handle,
            inode,
            e.duration.as_secs_f64() * 1000.0,
        ]);
    }

    /// Appends `path` to the text, sets `bit` if there is one, and returns its UTF-16 length.
    fn append(&mut self, path: Option<&Path>, flags: &mut u8, bit: u8) -> usize {
        let Some(path) = path else { return 0 };
        *flags |= bit;
        let text: Cow<'_, str> = path.to_string_lossy();
        self.text.push_str(&text);
        if text.is_ascii() {
            text.len()
        } else {
            text.encode_utf16().count()
        }
    }

    /// Takes every waiting event, and the names JS has not been sent yet.
    ///
    /// The buffers are copied out and cleared rather than handed over: they keep their
    /// capacity, so the next batch writes into memory that is already mapped and cached
    /// instead of growing a fresh vector by reallocation (at most `max_pending` events' worth
    /// stays allocated).
    pub(super) fn take(&mut self) -> Batch {
        let fresh = |table: &[&'static str], sent: &mut usize, name: fn(&str) -> String| {
            let new: Vec<String> = table
                .get(*sent..)
                .unwrap_or_default()
                .iter()
                .map(|n| name(n))
                .collect();
            *sent = table.len();
            new
        };
        let ops = fresh(&self.ops, &mut self.ops_sent, js_name);
        let codes = fresh(&self.codes, &mut self.codes_sent, str::to_owned);
        let batch = (F64s(self.numbers.clone()), self.text.clone(), ops, codes);
        self.numbers.clear();
        self.text.clear();
        batch
    }
}

/// The index of `name` in `table`, added if new. Names are `'static` literals, so a pointer
/// comparison finds them; an equal string at another address (the same literal in another
/// codegen unit) is found by the second scan.
fn intern(table: &mut Vec<&'static str>, name: &'static str) -> usize {
    let same = |n: &&'static str| n.as_ptr() == name.as_ptr() && n.len() == name.len();
    if let Some(i) = table.iter().position(same) {
        return i;
    }
    if let Some(i) = table.iter().position(|n| *n == name) {
        return i;
    }
    table.push(name);
    table.len() - 1
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use std::sync::Arc;

    use anyfs::{FsDir, FsRead, FsWrite, MemoryBackend, Tracing};
    use parking_lot::Mutex;

    use super::*;

    /// A traced memory backend whose events land in a shared `Columns`.
    fn traced() -> (Tracing<MemoryBackend>, Arc<Mutex<Columns>>) {
        let columns = Arc::new(Mutex::new(Columns::default()));
        let sink = Arc::clone(&columns);
        let fs = Tracing::new(MemoryBackend::new())
            .with_ref_sink(Arc::new(move |e: &TraceEventRef<'_>| sink.lock().push(e)));
        (fs, columns)
    }

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    #[test]
    fn events_become_rows_with_flags_lengths_and_names_sent_once() {
        let (fs, columns) = traced();
        fs.write(p("/é.txt"), b"abc").unwrap();
        fs.rename(p("/é.txt"), p("/b")).unwrap();
        assert_eq!(fs.read(p("/x")).unwrap_err().code(), "ENOENT");
        assert_eq!(columns.lock().len(), 3);
        let (F64s(n), text, ops, codes) = columns.lock().take();
        assert_eq!(text, "/é.txt/é.txt/b/x");
        assert_eq!(ops, ["write", "rename", "read"]);
        assert_eq!(codes, ["ENOENT"]);
        assert_eq!(n.len(), 3 * STRIDE);
        // write: op 0, ok with a path (UTF-16 length 6) and bytes.
        assert_eq!(
            &n[..8],
            &[
                0.0,
                0.0,
                f64::from(OK | PATH | BYTES),
                6.0,
                0.0,
                3.0,
                0.0,
                0.0
            ]
        );
        // rename: a path and a dest.
        assert_eq!(
            &n[STRIDE..STRIDE + 5],
            &[1.0, 0.0, f64::from(OK | PATH | DEST), 6.0, 2.0]
        );
        // read: failed, code 0.
        assert_eq!(
            &n[2 * STRIDE..2 * STRIDE + 5],
            &[2.0, 0.0, f64::from(PATH | CODE), 2.0, 0.0]
        );
        assert!(n
            .iter()
            .skip(STRIDE - 1)
            .step_by(STRIDE)
            .all(|ms| *ms >= 0.0));
        assert_eq!(columns.lock().len(), 0);

        // The next batch reuses the names sent and sends only the new ones.
        fs.write(p("/c"), b"").unwrap();
        fs.create_dir(p("/d")).unwrap();
        assert_eq!(fs.read(p("/y")).unwrap_err().code(), "ENOENT");
        let (F64s(n), text, ops, codes) = columns.lock().take();
        assert_eq!(text, "/c/d/y");
        assert_eq!(ops, ["createDir"]);
        assert!(codes.is_empty());
        let op_codes: Vec<f64> = n.iter().step_by(STRIDE).copied().collect();
        assert_eq!(op_codes, [0.0, 3.0, 2.0]);
    }

    #[test]
    fn an_empty_take_is_empty() {
        let (_, columns) = traced();
        let (F64s(n), text, ops, codes) = columns.lock().take();
        assert!(n.is_empty() && text.is_empty() && ops.is_empty() && codes.is_empty());
    }
}
