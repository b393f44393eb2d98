//! Tower-style composition: [`Layer`] wraps a backend in middleware; [`LayerExt::layer`] lets
//! any backend write `backend.layer(QuotaLayer::...)`.

use crate::Fs;

/// A middleware factory that wraps a backend of type `B`.
///
/// Each middleware `X<B>` ships an `XLayer` implementing this trait, so stacks read top-down:
/// the last layer added is the outermost and sees every call first.
///
/// ```
/// use anyfs_backend::{Fs, Layer};
///
/// /// A layer that adds nothing, to show the shape.
/// struct Identity;
/// impl<B: Fs> Layer<B> for Identity {
///     type Backend = B;
///     fn layer(self, backend: B) -> B { backend }
/// }
/// ```
pub trait Layer<B: Fs> {
    /// The wrapped backend type (e.g. `Quota<B>`).
    type Backend: Fs;

    /// Wraps `backend`.
    fn layer(self, backend: B) -> Self::Backend;
}

/// Adds `.layer(l)` to every backend and middleware.
pub trait LayerExt: Fs + Sized {
    /// Wraps `self` in the layer's middleware: `backend.layer(QuotaLayer::new())`.
    fn layer<L: Layer<Self>>(self, layer: L) -> L::Backend {
        layer.layer(self)
    }
}

impl<B: Fs + Sized> LayerExt for B {}
