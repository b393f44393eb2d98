/**
 * The native middleware and their composition. Each middleware has a layer class with a
 * builder (`QuotaLayer.builder().maxTotalSize(..).build()`), a stack type and constructor
 * (`Quota`, `new Quota(backend, limits)`), and a `BackendStack` sugar method.
 *
 * @module
 */

export { BackendStack, type Configure } from './backend-stack'
export {
  Cache,
  CacheLayer,
  CacheLayerBuilder,
  type CacheConstructor,
  type CacheKind,
  type CacheOptions,
  type CacheStack,
  type CacheStats,
} from './cache'
export type { KindedLayer, LayerKind, LayeredStack, MiddlewareStack, StackCapabilities, Wrapped } from './common'
export {
  DryRun,
  DryRunLayer,
  DryRunLayerBuilder,
  type DryRunConstructor,
  type DryRunKind,
  type DryRunOperation,
  type DryRunOptions,
  type DryRunStack,
  type RecordedLink,
  type RecordedMove,
  type RecordedOpen,
  type RecordedPathOp,
  type RecordedSetOwner,
  type RecordedSetPermissions,
  type RecordedSetTimes,
  type RecordedWrite,
  type RecordedWriteAt,
  type RecordedXattr,
} from './dry-run'
export {
  Overlay,
  OverlayLayer,
  OverlayLayerBuilder,
  OverlayLayerReady,
  type OverlayCapabilities,
  type OverlayChange,
  type OverlayConstructor,
  type OverlayKind,
  type OverlayStack,
} from './overlay'
export {
  PathFilter,
  PathFilterLayer,
  PathFilterLayerBuilder,
  type PathFilterConstructor,
  type PathFilterKind,
  type PathFilterStack,
  type PathRule,
} from './path-filter'
export {
  Quota,
  QuotaLayer,
  QuotaLayerBuilder,
  type QuotaConstructor,
  type QuotaKind,
  type QuotaLimits,
  type QuotaRemaining,
  type QuotaStack,
  type QuotaUsage,
} from './quota'
export {
  RateLimit,
  RateLimitLayer,
  RateLimitLayerBuilder,
  type RateLimitConfig,
  type RateLimitConstructor,
  type RateLimitKind,
  type RateLimitStack,
} from './rate-limit'
export { ReadOnly, ReadOnlyLayer, ReadOnlyLayerBuilder, type ReadOnlyConstructor, type ReadOnlyKind } from './read-only'
export {
  Restrictions,
  RestrictionsLayer,
  RestrictionsLayerBuilder,
  type DeniedFeatures,
  type RestrictionsConstructor,
  type RestrictionsKind,
  type RestrictionsStack,
} from './restrictions'
export {
  Tracing,
  TracingLayer,
  TracingLayerBuilder,
  type TraceBatch,
  type TraceBatchListener,
  type TraceEvent,
  type TraceEventMap,
  type TraceLevel,
  type TraceListener,
  type TracingConstructor,
  type TracingKind,
  type TracingOptions,
  type TracingStack,
} from './tracing'
