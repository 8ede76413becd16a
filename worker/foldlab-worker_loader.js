// Starts the exercise worker: wasm-bindgen's script, then its wasm. Written here rather than by
// Trunk's loader shim, which passes the wasm's address in the form wasm-bindgen deprecated (and
// warns about in the console on every first run).
importScripts("./foldlab-worker.js");
wasm_bindgen({ module_or_path: "./foldlab-worker_bg.wasm" });
