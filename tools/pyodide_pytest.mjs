// Run pytest inside Pyodide's Python (WebAssembly) under node.
//
//   node tools/pyodide_pytest.mjs PYODIDE_DIR WHEEL_DIR [pytest arguments...]
//
// PYODIDE_DIR holds the npm `pyodide` package (the playground's pinned copy), WHEEL_DIR
// pure-Python wheels of pytest and its dependencies. The repository is mounted at its own
// path, the src directories of stages 1 to 3 and the wheels go on sys.path, and pytest runs
// there with node's environment variables; the exit status is pytest's.
import path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import fs from "node:fs";

const [pyodideDir, wheelDir, ...args] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const py = await loadPyodide({ env: { ...process.env, HOME: "/home/pyodide" } });
py.setStdout({ write: (bytes) => fs.writeSync(1, bytes) }); // as Python writes them
py.setStderr({ write: (bytes) => fs.writeSync(2, bytes) });

for (const dir of [root, path.resolve(wheelDir), "/tmp"]) {
  py.FS.mkdirTree(dir);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, dir);
}
const wheels = fs.readdirSync(wheelDir).filter((n) => n.endsWith(".whl"));
py.globals.set("ROOT", root);
py.globals.set("PATHS", py.toPy([
  ...["dvm", "vdbe-core", "carrot-lang"].map((p) => path.join(root, "packages", p, "src")),
  ...wheels.map((w) => path.join(path.resolve(wheelDir), w)),
]));
py.globals.set("ARGS", py.toPy(args));
const status = await py.runPythonAsync(`
import os, sys
sys.path[:0] = list(PATHS)
os.chdir(ROOT)
import pytest
int(pytest.main(list(ARGS)))
`);
process.exit(status);
