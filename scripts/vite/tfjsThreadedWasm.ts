/**
 * Vite plugin: keeps tfjs's threaded WASM backend working in a minified bundle.
 *
 * tfjs-backend-wasm starts its pthread workers from a Blob made of `WasmBackendModuleThreadedSimd.toString()`, the
 * Emscripten factory function. Minified, that function refers to a renamed variable of its enclosing scope
 * (`_scriptDir` becomes `e`), which does not exist inside the Blob: every pthread fails with `e is not defined` and
 * the backend never starts. The fix gives the factory a `toString` that returns its original source text, which is
 * self-contained, so the Blob is the code Emscripten wrote whatever the minifier does to the bundled copy. It must
 * run in the worker build (vite.config.ts `worker.plugins`), where the backend is bundled.
 */
import type { Plugin } from 'vite';

const MODULE = /tfjs-backend-wasm-threaded-simd\.js$/;
const FACTORY_START = 'function(WasmBackendModuleThreadedSimd)';
const FACTORY_END = '\n);\n})();';

export function tfjsThreadedWasm(): Plugin {
  return {
    name: 'cineseg:tfjs-threaded-wasm',
    enforce: 'pre',
    transform(code, id) {
      if (!MODULE.test(id.split('?')[0] ?? '')) return null;
      const start = code.indexOf(FACTORY_START);
      const end = start < 0 ? -1 : code.indexOf(FACTORY_END, start);
      if (start < 0 || end < 0) {
        this.error(
          `${id}: the Emscripten factory was not found; check this plugin against the tfjs-backend-wasm version`,
        );
      }
      const source = JSON.stringify(code.slice(start, end));
      return {
        code: `${code}\nWasmBackendModuleThreadedSimd.toString = function () { return ${source}; };\n`,
        map: null,
      };
    },
  };
}
