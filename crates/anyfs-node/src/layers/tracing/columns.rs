//! The columnar buffer trace events wait in until JS takes them (see the parent module).
//!
//! Why columns: a JS object made through N-API costs one call per property (tens of ns each),
//! and an owned event costs an allocation per path. Here an event is eleven numbers appended to
//! one `Vec<f64>` and its paths appended to one `String`; a batch reaches JS as one
//! `Float64Array`, one string and the operation and error names first seen since the last
//! batch. `js/middleware/tracing.ts` builds event objects from it for `'event'` listeners and
//! hands it to `'batch'` listeners as typed-array columns, with no object per event.
//!
//! Layout (mirrored in `js/middleware/tracing.ts`): while buffered an event is a row of
//! [`STRIDE`] numbers, `[op, code, ok, path start, path end, dest start, dest end, bytes,
//! handle, inode, duration ms]`; [`Columns::take`] hands the batch over *column-major* (the `n`
//! ops, then the `n` codes, ...), so JS can view each column as a `Float64Array` without
//! copying. `op` and `code` index the name tables (each name is sent once per queue, in the
//! batch that first uses it); the path offsets are in UTF-16 code units (what JS slices by)
//! into `text`, which holds the batch's paths back to back; `ok` is 1 or 0; an absent field
//! (no code, path, dest, bytes, handle or inode) is [`ABSENT`]. Cost: O(1) amortized per event
//! (name lookup: a scan of the distinct names seen, usually a handful; paths: one copy and an
//! ASCII check), 88 bytes plus the paths; O(n) per batch for the transposition.

use std::borrow::Cow;
use std::path::Path;

use anyfs::middleware::tracing::TraceEventRef;

use crate::convert::F64s;
use crate::layers::js_name;

/// Numbers per event.
pub(super) const STRIDE: usize = 11;
/// An absent optional field (every present value is a count, an index or an offset, >= 0).
pub(super) const ABSENT: f64 = -1.0;

/// One batch as it crosses to JS: `[numbers (column-major), text, new operation names, new
/// error codes]`.
pub(super) type Batch = (F64s, String, Vec<String>, Vec<String>);

/// Events waiting for JS, and the names already sent (see the module docs).
#[derive(Default)]
pub(super) struct Columns {
    /// Row-major while buffering: one append per event.
    rows: Vec<f64>,
    text: String,
    /// `text`'s length in UTF-16 code units.
    units: usize,
    ops: Vec<&'static str>,
    ops_sent: usize,
    codes: Vec<&'static str>,
    codes_sent: usize,
}

impl Columns {
    /// Events waiting.
    pub(super) fn len(&self) -> usize {
        self.rows.len() / STRIDE
    }

    /// Appends one event.
    pub(super) fn push(&mut self, e: &TraceEventRef<'_>) {
        let op = intern(&mut self.ops, e.operation) as f64;
        let code = match e.code {
            Some(code) => intern(&mut self.codes, code) as f64,
            None => ABSENT,
        };
        let (path_start, path_end) = self.append(e.path);
        let (dest_start, dest_end) = self.append(e.dest);
        let number = |value: Option<u64>| value.map_or(ABSENT, |v| v as f64);
        self.rows.extend_from_slice(&[
            op,
            code,
            f64::from(u8::from(e.ok)),
            path_start,
            path_end,
            dest_start,
            dest_end,
            number(e.bytes),
            number(e.handle),
            number(e.inode),
            e.duration.as_secs_f64() * 1000.0,
        ]);
    }

    /// Appends `path` to the text and returns where it starts and ends there (UTF-16 units),
    /// or [`ABSENT`] twice.
    fn append(&mut self, path: Option<&Path>) -> (f64, f64) {
        let Some(path) = path else {
            return (ABSENT, ABSENT);
        };
        let start = self.units;
        let text: Cow<'_, str> = path.to_string_lossy();
        self.text.push_str(&text);
        self.units += if text.is_ascii() {
            text.len()
        } else {
            text.encode_utf16().count()
        };
        (start as f64, self.units as f64)
    }

    /// Takes every waiting event, column-major, and the names JS has not been sent yet.
    ///
    /// The buffers are copied out and cleared rather than handed over: they keep their
    /// capacity, so the next batch writes into memory that is already mapped and cached
    /// instead of growing a fresh vector by reallocation (at most `max_pending` events' worth
    /// stays allocated). The copy is the transposition, so it costs nothing extra.
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
        let mut numbers = Vec::with_capacity(self.rows.len());
        for column in 0..STRIDE {
            numbers.extend(self.rows.iter().skip(column).step_by(STRIDE));
        }
        let batch = (F64s(numbers), self.text.clone(), ops, codes);
        self.rows.clear();
        self.text.clear();
        self.units = 0;
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

    /// Column `c` of a column-major batch of `n` events.
    fn column(numbers: &[f64], n: usize, c: usize) -> &[f64] {
        &numbers[c * n..(c + 1) * n]
    }

    #[test]
    fn events_become_columns_with_offsets_absent_markers_and_names_sent_once() {
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
        let col = |c| column(&n, 3, c);
        assert_eq!(col(0), [0.0, 1.0, 2.0], "operation indexes");
        assert_eq!(col(1), [ABSENT, ABSENT, 0.0], "code indexes");
        assert_eq!(col(2), [1.0, 1.0, 0.0], "ok");
        // Offsets in UTF-16 units: "é" is one unit, so "/é.txt" is 6.
        assert_eq!(col(3), [0.0, 6.0, 14.0], "path start");
        assert_eq!(col(4), [6.0, 12.0, 16.0], "path end");
        assert_eq!(col(5), [ABSENT, 12.0, ABSENT], "dest start");
        assert_eq!(col(6), [ABSENT, 14.0, ABSENT], "dest end");
        assert_eq!(col(7), [3.0, ABSENT, ABSENT], "bytes");
        assert_eq!(col(8), [ABSENT; 3], "handle");
        assert_eq!(col(9), [ABSENT; 3], "inode");
        assert!(col(10).iter().all(|ms| *ms >= 0.0));
        assert_eq!(columns.lock().len(), 0);

        // The next batch starts its offsets at 0, reuses the names sent and sends only the
        // new ones.
        fs.write(p("/c"), b"").unwrap();
        fs.create_dir(p("/d")).unwrap();
        assert_eq!(fs.read(p("/y")).unwrap_err().code(), "ENOENT");
        let (F64s(n), text, ops, codes) = columns.lock().take();
        assert_eq!(text, "/c/d/y");
        assert_eq!(ops, ["createDir"]);
        assert!(codes.is_empty());
        assert_eq!(column(&n, 3, 0), [0.0, 3.0, 2.0]);
        assert_eq!(column(&n, 3, 3), [0.0, 2.0, 4.0]);
        assert_eq!(column(&n, 3, 7), [0.0, ABSENT, ABSENT]);
    }

    #[test]
    fn an_empty_take_is_empty() {
        let (_, columns) = traced();
        let (F64s(n), text, ops, codes) = columns.lock().take();
        assert!(n.is_empty() && text.is_empty() && ops.is_empty() && codes.is_empty());
    }
}
