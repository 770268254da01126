// The playground's Python: Pyodide with the four packages' wheels and the bridge module.
//
// CarrotPlayground.python(onProgress) loads it once per page and resolves to the
// `bridge` module (docs/playground/bridge.py). Pyodide comes from the copy the docs
// build put on the site (playground/pyodide/) or, when the site has none, from
// Pyodide's official CDN for the same pinned version; playground/manifest.json says which.
// CarrotPlayground.url(lang, code, run) makes a playground link for a program.
(function () {
  "use strict";
  const here = document.currentScript ? document.currentScript.src : location.href;
  const siteRoot = new URL("../../", here);
  const playgroundDir = new URL("playground/", siteRoot);
  let loading = null;

  async function load(progress) {
    progress("fetching the manifest");
    const manifest = await (await fetch(new URL("manifest.json", playgroundDir))).json();
    const pyodideInfo = manifest.pyodide;
    const indexURL = pyodideInfo.self_hosted
      ? new URL("pyodide/", playgroundDir).href
      : pyodideInfo.cdn;
    progress(`loading Python (Pyodide ${pyodideInfo.version}) from ` +
      (pyodideInfo.self_hosted ? "this site" : "its CDN"));
    const { loadPyodide } = await import(indexURL + "pyodide.mjs");
    const pyodide = await loadPyodide({ indexURL });
    const wheels = manifest.wheels.map((name) => new URL("wheels/" + name, playgroundDir).href);
    progress("installing " + manifest.wheels.map((n) => n.split("-")[0]).join(", "));
    await pyodide.loadPackage(wheels, { messageCallback: () => {} });
    if (!pyodide.runPython("import importlib.util; importlib.util.find_spec('_sqlite3') is not None")) {
      progress("loading sqlite3");
      await pyodide.loadPackage("sqlite3", { messageCallback: () => {} });
    }
    progress("loading the bridge");
    const source = await (await fetch(new URL("bridge.py", playgroundDir))).text();
    pyodide.FS.writeFile("/home/pyodide/bridge.py", source);
    const bridge = pyodide.pyimport("bridge");
    progress("warming up");
    bridge.run("carrot", "let warm = 1;");
    progress("");
    return bridge;
  }

  function python(progress) {
    if (!loading) {
      loading = load(progress || (() => {}));
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function base64url(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64url(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    const binary = atob(padded);
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }

  function url(lang, code, run) {
    return new URL("playground/", siteRoot).href +
      `#lang=${lang}&code=${base64url(code)}` + (run ? "&run=1" : "");
  }

  window.CarrotPlayground = { python, url, base64url, fromBase64url, siteRoot };
})();
