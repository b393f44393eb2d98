//! A hidden hook for `benchmark/`: the engine side of a call, timed in a Rust loop over the
//! very stack a JS object owns, so the binding's own cost per call can be measured as the
//! difference from the same calls made through JS (`benchmark/suites/binding.mjs`).
//!
//! The loop calls the same [`Ops`](crate::ops::Ops) method a synchronous binding call reaches,
//! on the same paths, and drops the result: what it leaves out is exactly the boundary (the
//! napi call, argument and result conversion, the TypeScript wrapper).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use anyfs::FsError;
use napi_derive::napi;

use crate::error::{guard, Ctx};
use crate::stack::NativeFs;

/// The operations the loop can time, named as the public API names them.
#[derive(Clone, Copy)]
enum Op {
    Exists,
    Metadata,
    Read,
    Write,
}

impl Op {
    fn named(name: &str) -> Option<Op> {
        match name {
            "exists" => Some(Op::Exists),
            "metadata" => Some(Op::Metadata),
            "read" => Some(Op::Read),
            "write" => Some(Op::Write),
            _ => None,
        }
    }
}

#[napi]
impl NativeFs {
    /// Calls `op` (`exists`, `metadata`, `read`, `write`) `calls` times, cycling through
    /// `paths` (writing `data`), and returns the mean nanoseconds per call. Errors of the calls
    /// themselves are timed and dropped, as a JS loop would catch them.
    #[napi(js_name = "__engineLoop")]
    pub fn engine_loop(
        &self,
        op: String,
        paths: Vec<String>,
        data: &[u8],
        calls: u32,
    ) -> napi::Result<f64> {
        guard(Ctx::bare("__engineLoop"), || {
            let Some(which) = Op::named(&op).filter(|_| !paths.is_empty() && calls > 0) else {
                return Err(FsError::InvalidInput {
                    operation: "__engineLoop",
                    reason: format!(
                        "needs exists, metadata, read or write, at least one path and one call (got {op:?}, {} paths, {calls} calls)",
                        paths.len()
                    ),
                });
            };
            let paths: Vec<&Path> = paths.iter().map(Path::new).collect();
            let start = Instant::now();
            for path in paths.iter().cycle().take(calls as usize) {
                match which {
                    Op::Exists => drop(black_box(self.ops.exists(path))),
                    Op::Metadata => drop(black_box(self.ops.metadata(path))),
                    Op::Read => drop(black_box(self.ops.read(path))),
                    Op::Write => drop(black_box(self.ops.write(path, data))),
                }
            }
            Ok(start.elapsed().as_nanos() as f64 / f64::from(calls))
        })
    }
}
