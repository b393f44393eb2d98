//! Linker setup for a Node-API addon (needed on macOS, a no-op elsewhere).

fn main() {
    napi_build::setup();
}
