// Run buttons under the chapters' examples: every Carrot program, every SQL statement
// (after the page's CREATE statements) and every `$ dvm` command of a transcript gets
// "Run", which runs it right there with the real packages, and "Open in playground".
(function () {
  "use strict";
  const P = window.CarrotPlayground;
  if (!P || location.pathname.includes("/playground/")) return;

  function codeOf(block) {
    const code = block.querySelector("pre > code") || block.querySelector("pre");
    return code ? code.textContent.replace(/\n$/, "") + "\n" : "";
  }

  // [{block, lang, code, explain}] for the page's runnable examples.
  function examples() {
    const found = [];
    const schema = [];
    for (const block of document.querySelectorAll(".md-typeset div.highlight")) {
      const classes = block.classList;
      const code = codeOf(block);
      if (classes.contains("language-carrot")) {
        found.push({ block, lang: "carrot", code });
      } else if (classes.contains("language-sql")) {
        const creates = /^\s*CREATE\b/i.test(code);
        found.push({ block, lang: "sql", code: creates ? code : schema.join("") + code });
        if (creates) schema.push(code);
      } else if (classes.contains("language-console")) {
        const command = code.match(/^\$ dvm (--explain )?-c "((?:[^"\\]|\\.)*)"\s*$/m);
        if (command) found.push({ block, lang: "dvm", code: command[2], explain: !!command[1] });
      }
    }
    return found;
  }

  function attach(example) {
    const bar = document.createElement("div");
    bar.className = "pg-snippet-bar";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pg-snippet-run";
    button.textContent = "Run";
    const link = document.createElement("a");
    link.href = P.url(example.lang, example.code, true);
    link.textContent = "Open in playground";
    const status = document.createElement("span");
    status.className = "pg-snippet-status";
    bar.append(button, link, status);
    example.block.after(bar);
    let output = null;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const bridge = await P.python((what) => { status.textContent = what ? what + "..." : ""; });
        status.textContent = "running...";
        const result = JSON.parse(bridge.run(example.lang, example.code, !!example.explain));
        if (!output) {
          output = document.createElement("pre");
          output.className = "pg-snippet-output";
          bar.after(output);
        }
        output.textContent = result.output || "(no output)";
        output.dataset.status = "done";
        status.textContent = result.status ? `exit status ${result.status}` : "";
      } catch (error) {
        status.textContent = "could not run: " + error;
      } finally {
        button.disabled = false;
      }
    });
  }

  function start() {
    examples().forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
