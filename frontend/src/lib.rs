//! The WebAssembly entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: the pages are loaded in chunks (see the shell), which hydration waits for.
    leptos::mount::hydrate_lazy(liaison_app::App);
}
