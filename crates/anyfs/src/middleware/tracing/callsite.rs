//! Callsites made at run time, so that each `Tracing` value can have its own target and level.
//!
//! `tracing`'s macros fix a callsite's target and level at compile time; `with_target` takes
//! them at run time. So the callsites (one span and one event per distinct `(target, level)`)
//! are built once, leaked, and registered with `tracing-core` like the macros' statics. The
//! leak is bounded by the number of distinct pairs a process uses, and the registry hands out
//! the same callsites for the same pair.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use parking_lot::Mutex;
use tracing_core::callsite::Callsite;
use tracing_core::field::{Field, FieldSet, Value, ValueSet};
use tracing_core::metadata::Kind;
use tracing_core::{identify_callsite, Interest, Level, LevelFilter, Metadata};

/// The fields every span and event carries (absent ones are simply not recorded).
const FIELDS: &[&str] = &[
    "op",
    "path",
    "dest",
    "handle",
    "inode",
    "bytes",
    "ok",
    "code",
    "latency_us",
];

const UNKNOWN: u8 = 0xFF;
const NEVER: u8 = 0;
const SOMETIMES: u8 = 1;
const ALWAYS: u8 = 2;

/// A callsite whose metadata is filled in once, right after it is leaked (the metadata names
/// the callsite, so the two cannot be built in one step).
struct DynCallsite {
    interest: AtomicU8,
    meta: OnceLock<Metadata<'static>>,
}

/// What `metadata()` returns in the instant between leaking a callsite and filling it in.
struct Placeholder;
static PLACEHOLDER: Placeholder = Placeholder;
static PLACEHOLDER_META: Metadata<'static> = Metadata::new(
    "anyfs",
    "anyfs",
    Level::TRACE,
    None,
    None,
    None,
    FieldSet::new(&[], identify_callsite!(&PLACEHOLDER)),
    Kind::SPAN,
);

impl Callsite for Placeholder {
    fn set_interest(&self, _: Interest) {}
    fn metadata(&self) -> &Metadata<'_> {
        &PLACEHOLDER_META
    }
}

impl Callsite for DynCallsite {
    fn set_interest(&self, interest: Interest) {
        let value = if interest.is_never() {
            NEVER
        } else if interest.is_always() {
            ALWAYS
        } else {
            SOMETIMES
        };
        self.interest.store(value, Ordering::SeqCst);
    }

    fn metadata(&self) -> &Metadata<'_> {
        self.meta.get().unwrap_or(&PLACEHOLDER_META)
    }
}

/// The resolved fields of one callsite (a `Field` belongs to its callsite).
struct Fields {
    op: Field,
    path: Field,
    dest: Field,
    handle: Field,
    inode: Field,
    bytes: Field,
    ok: Field,
    code: Field,
    latency_us: Field,
}

/// One registered callsite with its metadata and fields.
struct Site {
    callsite: &'static DynCallsite,
    meta: &'static Metadata<'static>,
    fields: Fields,
}

impl Site {
    fn build(name: &'static str, target: &'static str, level: Level, kind: Kind) -> Option<Self> {
        let callsite: &'static DynCallsite = Box::leak(Box::new(DynCallsite {
            interest: AtomicU8::new(UNKNOWN),
            meta: OnceLock::new(),
        }));
        let meta = Metadata::new(
            name,
            target,
            level,
            Some(file!()),
            Some(line!()),
            Some(module_path!()),
            FieldSet::new(FIELDS, identify_callsite!(callsite)),
            kind,
        );
        // Freshly leaked, so nobody else can have filled it.
        let _ = callsite.meta.set(meta);
        let meta = callsite.meta.get()?;
        let set = meta.fields();
        let fields = Fields {
            op: set.field("op")?,
            path: set.field("path")?,
            dest: set.field("dest")?,
            handle: set.field("handle")?,
            inode: set.field("inode")?,
            bytes: set.field("bytes")?,
            ok: set.field("ok")?,
            code: set.field("code")?,
            latency_us: set.field("latency_us")?,
        };
        tracing_core::callsite::register(callsite);
        Some(Site {
            callsite,
            meta,
            fields,
        })
    }

    /// The macros' test: static and dynamic max level, then the cached interest, and the
    /// dispatcher only when the interest is "sometimes".
    fn enabled(&self) -> bool {
        let level = *self.meta.level();
        if level > ::tracing::level_filters::STATIC_MAX_LEVEL || level > LevelFilter::current() {
            return false;
        }
        match self.callsite.interest.load(Ordering::Relaxed) {
            NEVER => false,
            ALWAYS => true,
            _ => ::tracing::dispatcher::get_default(|d| d.enabled(self.meta)),
        }
    }
}

/// The span and event callsites for one `(target, level)`.
pub(super) struct Sites {
    span: Site,
    event: Site,
}

/// The values one operation reports.
pub(super) struct Record<'a> {
    pub op: &'static str,
    pub path: Option<&'a std::path::Path>,
    pub dest: Option<&'a std::path::Path>,
    pub handle: Option<u64>,
    pub inode: Option<u64>,
    pub bytes: Option<u64>,
    pub ok: Option<bool>,
    pub code: Option<&'static str>,
    pub latency_us: Option<u64>,
}

impl Sites {
    /// The callsites for `(target, level)`, built and registered on first use. `None` only if
    /// `tracing-core` refused the field names (it never does for these).
    pub(super) fn get(target: &str, level: Level) -> Option<&'static Sites> {
        static REGISTRY: OnceLock<Mutex<HashMap<(String, Level), &'static Sites>>> =
            OnceLock::new();
        let mut registry = REGISTRY.get_or_init(Default::default).lock();
        if let Some(sites) = registry.get(&(target.to_owned(), level)) {
            return Some(*sites);
        }
        let leaked: &'static str = Box::leak(target.to_owned().into_boxed_str());
        let sites: &'static Sites = Box::leak(Box::new(Sites {
            span: Site::build("fs", leaked, level, Kind::SPAN)?,
            event: Site::build("fs_done", leaked, level, Kind::EVENT)?,
        }));
        registry.insert((target.to_owned(), level), sites);
        Some(sites)
    }

    /// Whether a span for this operation would be recorded by the current subscriber.
    #[inline]
    pub(super) fn span_enabled(&self) -> bool {
        self.span.enabled()
    }

    /// Opens the operation's span with the values known before the call.
    pub(super) fn span(&self, record: &Record<'_>) -> ::tracing::Span {
        with_values(&self.span, record, |meta, values| {
            ::tracing::Span::new(meta, values)
        })
    }

    /// Records the outcome on the span and emits the completion event inside it.
    pub(super) fn finish(&self, span: &::tracing::Span, record: &Record<'_>) {
        let f = &self.span.fields;
        if let Some(bytes) = record.bytes {
            span.record(&f.bytes, bytes);
        }
        if let Some(handle) = record.handle {
            span.record(&f.handle, handle);
        }
        if let Some(inode) = record.inode {
            span.record(&f.inode, inode);
        }
        if let Some(ok) = record.ok {
            span.record(&f.ok, ok);
        }
        if let Some(code) = record.code {
            span.record(&f.code, code);
        }
        if let Some(latency) = record.latency_us {
            span.record(&f.latency_us, latency);
        }
        if self.event.enabled() {
            with_values(&self.event, record, |meta, values| {
                tracing_core::Event::dispatch(meta, values)
            });
        }
    }
}

/// Builds the value set of `site` from `record` and hands it to `emit`.
fn with_values<R>(
    site: &Site,
    record: &Record<'_>,
    emit: impl FnOnce(&'static Metadata<'static>, &ValueSet<'_>) -> R,
) -> R {
    let f = &site.fields;
    let path = record.path.map(|p| ::tracing::field::display(p.display()));
    let dest = record.dest.map(|p| ::tracing::field::display(p.display()));
    let values: [(&Field, Option<&dyn Value>); 9] = [
        (&f.op, Some(&record.op as &dyn Value)),
        (&f.path, path.as_ref().map(|v| v as &dyn Value)),
        (&f.dest, dest.as_ref().map(|v| v as &dyn Value)),
        (&f.handle, record.handle.as_ref().map(|v| v as &dyn Value)),
        (&f.inode, record.inode.as_ref().map(|v| v as &dyn Value)),
        (&f.bytes, record.bytes.as_ref().map(|v| v as &dyn Value)),
        (&f.ok, record.ok.as_ref().map(|v| v as &dyn Value)),
        (&f.code, record.code.as_ref().map(|v| v as &dyn Value)),
        (
            &f.latency_us,
            record.latency_us.as_ref().map(|v| v as &dyn Value),
        ),
    ];
    let set = site.meta.fields().value_set(&values);
    emit(site.meta, &set)
}
