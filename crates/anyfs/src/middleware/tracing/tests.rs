//! Tests of the Tracing middleware: the sink's events, the `tracing` spans and events a real
//! subscriber sees (target, level, fields, nesting), and explicit forwarding of provided methods.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyfs_backend::{
    DirEntry, FsDir, FsError, FsHandles, FsInode, FsRead, FsWrite, LayerExt, Metadata, OpenFlags,
};
use tracing_core::{Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer as SubscriberLayer;

use super::{TraceEvent, TraceEventRef, Tracing, TracingLayer};
use crate::MemoryBackend;

fn p(s: &str) -> &Path {
    Path::new(s)
}

fn collecting() -> (Arc<Mutex<Vec<TraceEvent>>>, super::TraceSink) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (
        seen,
        Arc::new(move |e: &TraceEvent| sink.lock().unwrap().push(e.clone())),
    )
}

#[test]
fn sink_reports_paths_sizes_outcome_and_codes() {
    let (seen, sink) = collecting();
    let fs = Tracing::new(MemoryBackend::new()).with_sink(sink);
    fs.create_dir(p("/d")).unwrap();
    fs.write(p("/d/a"), b"hello").unwrap();
    assert_eq!(fs.read(p("/d/a")).unwrap(), b"hello");
    fs.rename(p("/d/a"), p("/d/b")).unwrap();
    fs.truncate(p("/d/b"), 3).unwrap();
    assert_eq!(fs.read_range(p("/d/b"), 1, 10).unwrap(), b"el");
    assert_eq!(fs.read(p("/d/a")).unwrap_err().code(), "ENOENT");
    assert_eq!(fs.create_dir(p("/d")).unwrap_err().code(), "EEXIST");
    assert_eq!(fs.read(p("/d")).unwrap_err().code(), "EISDIR");

    let events = seen.lock().unwrap().clone();
    let summary: Vec<_> = events
        .iter()
        .map(|e| (e.operation, e.bytes, e.ok, e.code))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("create_dir", None, true, None),
            ("write", Some(5), true, None),
            ("read", Some(5), true, None),
            ("rename", None, true, None),
            ("truncate", Some(3), true, None),
            ("read_range", Some(2), true, None),
            ("read", None, false, Some("ENOENT")),
            ("create_dir", None, false, Some("EEXIST")),
            ("read", None, false, Some("EISDIR")),
        ]
    );
    let rename = &events[3];
    assert_eq!(rename.path.as_deref(), Some(p("/d/a")));
    assert_eq!(rename.dest.as_deref(), Some(p("/d/b")));
    assert_eq!(events[1].path.as_deref(), Some(p("/d/a")));
    assert_eq!(events[1].dest, None);
}

#[test]
fn sink_reports_handles_and_inodes() {
    let (seen, sink) = collecting();
    let fs = Tracing::new(MemoryBackend::new()).with_sink(sink);
    let h = fs
        .open(p("/f"), OpenFlags::READ_WRITE | OpenFlags::CREATE)
        .unwrap();
    assert_eq!(fs.write_at(h, b"abcd", 0).unwrap(), 4);
    let mut buf = [0u8; 8];
    assert_eq!(fs.read_at(h, &mut buf, 1).unwrap(), 3);
    fs.close(h).unwrap();
    assert_eq!(fs.close(h).unwrap_err().code(), "EBADF");
    let ino = fs.path_to_inode(p("/f")).unwrap();

    let events = seen.lock().unwrap().clone();
    let summary: Vec<_> = events
        .iter()
        .map(|e| (e.operation, e.handle, e.bytes, e.code))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("open", Some(h.raw()), None, None),
            ("write_at", Some(h.raw()), Some(4), None),
            ("read_at", Some(h.raw()), Some(3), None),
            ("close", Some(h.raw()), None, None),
            ("close", Some(h.raw()), None, Some("EBADF")),
            ("path_to_inode", None, None, None),
        ]
    );
    assert_eq!(events[5].inode, Some(ino));
}

/// What a subscriber layer saw: events and new spans, with their target, level and fields.
#[derive(Debug, Clone, Default)]
struct Seen {
    kind: &'static str,
    name: &'static str,
    target: String,
    level: Option<Level>,
    fields: BTreeMap<String, String>,
    /// For spans: the `op` field of the parent span, if any.
    parent_op: Option<String>,
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Seen>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing_core::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing_core::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(
            field.name().to_owned(),
            format!("{value:?}").replace('"', ""),
        );
    }
}

/// The `op` of the span that is stored for `id`.
#[derive(Clone)]
struct OpName(String);

impl<S: Subscriber + for<'a> LookupSpan<'a>> SubscriberLayer<S> for Capture {
    fn on_new_span(
        &self,
        attrs: &tracing_core::span::Attributes<'_>,
        id: &tracing_core::span::Id,
        ctx: Context<'_, S>,
    ) {
        let mut seen = Seen {
            kind: "span",
            name: attrs.metadata().name(),
            target: attrs.metadata().target().to_owned(),
            level: Some(*attrs.metadata().level()),
            ..Seen::default()
        };
        attrs.record(&mut Fields(&mut seen.fields));
        let parent = ctx.current_span().id().and_then(|pid| ctx.span(pid));
        seen.parent_op = parent.and_then(|s| s.extensions().get::<OpName>().map(|o| o.0.clone()));
        if let Some(span) = ctx.span(id) {
            let op = seen.fields.get("op").cloned().unwrap_or_default();
            span.extensions_mut().insert(OpName(op));
        }
        self.0.lock().unwrap().push(seen);
    }

    fn on_event(&self, event: &tracing_core::Event<'_>, _: Context<'_, S>) {
        let mut seen = Seen {
            kind: "event",
            name: event.metadata().name(),
            target: event.metadata().target().to_owned(),
            level: Some(*event.metadata().level()),
            ..Seen::default()
        };
        event.record(&mut Fields(&mut seen.fields));
        self.0.lock().unwrap().push(seen);
    }
}

fn captured(run: impl FnOnce()) -> Vec<Seen> {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    tracing::subscriber::with_default(subscriber, run);
    let seen = capture.0.lock().unwrap().clone();
    seen
}

#[test]
fn subscriber_sees_a_span_and_an_event_per_operation() {
    let seen = captured(|| {
        let fs = Tracing::new(MemoryBackend::new())
            .with_target("test::fs")
            .with_level(Level::INFO);
        fs.write(p("/a"), b"xyz").unwrap();
        assert_eq!(fs.metadata(p("/nope")).unwrap_err().code(), "ENOENT");
    });
    let spans: Vec<_> = seen.iter().filter(|s| s.kind == "span").collect();
    let events: Vec<_> = seen.iter().filter(|s| s.kind == "event").collect();
    assert_eq!(spans.len(), 2, "{seen:#?}");
    assert_eq!(events.len(), 2, "{seen:#?}");
    for s in &seen {
        assert_eq!(s.target, "test::fs");
        assert_eq!(s.level, Some(Level::INFO));
    }
    assert_eq!(spans[0].name, "fs");
    assert_eq!(spans[0].fields.get("op").map(String::as_str), Some("write"));
    assert_eq!(spans[0].fields.get("path").map(String::as_str), Some("/a"));

    let write = &events[0].fields;
    assert_eq!(write.get("op").map(String::as_str), Some("write"));
    assert_eq!(write.get("bytes").map(String::as_str), Some("3"));
    assert_eq!(write.get("ok").map(String::as_str), Some("true"));
    assert!(write.contains_key("latency_us"));
    assert!(!write.contains_key("code"));

    let failed = &events[1].fields;
    assert_eq!(failed.get("op").map(String::as_str), Some("metadata"));
    assert_eq!(failed.get("ok").map(String::as_str), Some("false"));
    assert_eq!(failed.get("code").map(String::as_str), Some("ENOENT"));
    assert_eq!(failed.get("path").map(String::as_str), Some("/nope"));
}

#[test]
fn subscriber_filters_by_target_and_level() {
    let capture = Capture::default();
    let only_info = capture
        .clone()
        .with_filter(tracing_subscriber::filter::filter_fn(|meta| {
            meta.target() == "kept" && *meta.level() <= Level::INFO
        }));
    let subscriber = tracing_subscriber::registry().with(only_info);
    tracing::subscriber::with_default(subscriber, || {
        let kept = Tracing::new(MemoryBackend::new())
            .with_target("kept")
            .with_level(Level::INFO);
        let too_verbose = Tracing::new(MemoryBackend::new())
            .with_target("kept")
            .with_level(Level::TRACE);
        let other = Tracing::new(MemoryBackend::new()).with_target("other");
        kept.write(p("/k"), b"1").unwrap();
        too_verbose.write(p("/v"), b"1").unwrap();
        other.write(p("/o"), b"1").unwrap();
    });
    let seen = capture.0.lock().unwrap().clone();
    let paths: Vec<_> = seen
        .iter()
        .filter(|s| s.kind == "event")
        .filter_map(|s| s.fields.get("path").cloned())
        .collect();
    assert_eq!(paths, vec!["/k".to_owned()]);
}

#[test]
fn inner_layers_nest_under_the_outer_span() {
    let seen = captured(|| {
        let fs = MemoryBackend::new()
            .layer(TracingLayer::builder().target("inner").build())
            .layer(TracingLayer::builder().target("outer").build());
        fs.write(p("/n"), b"").unwrap();
    });
    let spans: Vec<_> = seen.iter().filter(|s| s.kind == "span").collect();
    assert_eq!(spans.len(), 2, "{seen:#?}");
    assert_eq!(spans[0].target, "outer");
    assert_eq!(spans[0].parent_op, None);
    assert_eq!(spans[1].target, "inner");
    assert_eq!(spans[1].parent_op.as_deref(), Some("write"));
}

#[test]
fn ref_sink_sees_what_an_owned_sink_sees_with_borrowed_paths() {
    let (owned, sink) = collecting();
    let borrowed = Arc::new(Mutex::new(Vec::<TraceEvent>::new()));
    let keep = borrowed.clone();
    let with_owned = Tracing::new(MemoryBackend::new()).with_sink(sink);
    let with_ref =
        Tracing::new(MemoryBackend::new()).with_ref_sink(Arc::new(move |e: &TraceEventRef<'_>| {
            keep.lock().unwrap().push(e.to_event())
        }));
    for fs in [&with_owned, &with_ref] {
        fs.write(p("/a"), b"abc").unwrap();
        fs.rename(p("/a"), p("/b")).unwrap();
        assert_eq!(fs.read(p("/a")).unwrap_err().code(), "ENOENT");
    }
    let strip = |v: &[TraceEvent]| -> Vec<TraceEvent> {
        v.iter()
            .cloned()
            .map(|mut e| {
                e.duration = std::time::Duration::ZERO;
                e
            })
            .collect()
    };
    let owned = strip(&owned.lock().unwrap());
    assert_eq!(owned.len(), 3);
    assert_eq!(owned, strip(&borrowed.lock().unwrap()));
    assert_eq!(owned[1].dest.as_deref(), Some(p("/b")));
}

#[test]
fn the_last_sink_set_wins() {
    let (owned, sink) = collecting();
    let count = Arc::new(Mutex::new(0));
    let c = count.clone();
    let fs = Tracing::new(MemoryBackend::new())
        .with_sink(sink)
        .with_ref_sink(Arc::new(move |_: &TraceEventRef<'_>| {
            *c.lock().unwrap() += 1
        }));
    fs.write(p("/a"), b"x").unwrap();
    assert!(owned.lock().unwrap().is_empty());
    assert_eq!(*count.lock().unwrap(), 1);
}

#[test]
fn no_subscriber_and_no_sink_still_forwards() {
    let fs = Tracing::new(MemoryBackend::new());
    fs.write(p("/a"), b"1").unwrap();
    assert_eq!(fs.read(p("/a")).unwrap(), b"1");
    assert_eq!(fs.get_ref().read(p("/a")).unwrap(), b"1");
    assert_eq!(fs.target(), super::DEFAULT_TARGET);
    assert_eq!(fs.level(), Level::DEBUG);
    let inner = fs.into_inner();
    assert!(inner.exists(p("/a")).unwrap());
}

#[test]
fn layer_builder_sets_target_level_and_sink() {
    let (seen, sink) = collecting();
    let fs = MemoryBackend::new().layer(
        TracingLayer::builder()
            .target("t")
            .level(Level::WARN)
            .sink(sink)
            .build(),
    );
    assert_eq!((fs.target(), fs.level()), ("t", Level::WARN));
    fs.create_dir_all(p("/x/y")).unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);
    let plain = MemoryBackend::new().layer(TracingLayer::new());
    assert_eq!(plain.target(), "anyfs");
}

/// A backend whose provided methods are overridden, to prove Tracing forwards them rather
/// than falling back to the trait defaults.
struct Overrides(MemoryBackend);

impl FsRead for Overrides {
    fn read(&self, path: &Path) -> Result<Vec<u8>, FsError> {
        self.0.read(path)
    }
    fn read_to_string(&self, _: &Path) -> Result<String, FsError> {
        Ok("overridden".into())
    }
    fn read_range(&self, path: &Path, offset: u64, len: usize) -> Result<Vec<u8>, FsError> {
        self.0.read_range(path, offset, len)
    }
    fn exists(&self, _: &Path) -> Result<bool, FsError> {
        Ok(true)
    }
    fn metadata(&self, path: &Path) -> Result<Metadata, FsError> {
        self.0.metadata(path)
    }
    fn open_read(&self, path: &Path) -> Result<Box<dyn Read + Send>, FsError> {
        self.0.open_read(path)
    }
}

impl FsWrite for Overrides {
    fn write(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.0.write(path, data)
    }
    fn append(&self, path: &Path, data: &[u8]) -> Result<(), FsError> {
        self.0.append(path, data)
    }
    fn remove_file(&self, path: &Path) -> Result<(), FsError> {
        self.0.remove_file(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.0.rename(from, to)
    }
    fn copy(&self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.0.copy(from, to)
    }
    fn truncate(&self, path: &Path, size: u64) -> Result<(), FsError> {
        self.0.truncate(path, size)
    }
    fn open_write(&self, path: &Path) -> Result<Box<dyn Write + Send>, FsError> {
        self.0.open_write(path)
    }
    fn set_times(
        &self,
        _: &Path,
        _: Option<std::time::SystemTime>,
        _: Option<std::time::SystemTime>,
    ) -> Result<(), FsError> {
        Err(FsError::ReadOnly {
            operation: "set_times",
        })
    }
}

impl FsDir for Overrides {
    fn read_dir(&self, path: &Path) -> Result<Vec<DirEntry>, FsError> {
        self.0.read_dir(path)
    }
    fn create_dir(&self, path: &Path) -> Result<(), FsError> {
        self.0.create_dir(path)
    }
    fn create_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.0.create_dir_all(path)
    }
    fn remove_dir(&self, path: &Path) -> Result<(), FsError> {
        self.0.remove_dir(path)
    }
    fn remove_dir_all(&self, path: &Path) -> Result<(), FsError> {
        self.0.remove_dir_all(path)
    }
}

#[test]
fn provided_methods_reach_the_inner_override() {
    let fs = Tracing::new(Overrides(MemoryBackend::new()));
    assert_eq!(fs.read_to_string(p("/missing")).unwrap(), "overridden");
    assert!(fs.exists(p("/missing")).unwrap());
    assert_eq!(
        fs.set_times(p("/x"), None, None).unwrap_err().code(),
        "EROFS"
    );
    let _: PathBuf = PathBuf::new();
}
