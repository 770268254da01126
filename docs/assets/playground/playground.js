// The playground page: an editor, the buttons, and the panes, over bridge.py in Pyodide.
//
// The program comes from the URL fragment, #lang=carrot&code=<base64url of UTF-8>
// (lang=sql and lang=dvm too); &run=1 runs it at once. After a run, #output holds what
// the command line would have printed, and its data-status attribute is "done".
(function () {
  "use strict";
  const P = window.CarrotPlayground;
  const $ = (id) => document.getElementById(id);

  const EXAMPLES = {
    carrot: [
      "fn fibo(x) {",
      "    if x == 1 || x == 0 {",
      "        return 1;",
      "    }",
      "    return fibo(x - 1) + fibo(x - 2);",
      "}",
      "",
      "let squares = {};",
      "for i, n in [1, 2, 3] {",
      "    squares[n] = n * n;",
      "}",
      'print("Hello world", fibo(10), squares);',
      "",
    ].join("\n"),
    sql: [
      "CREATE TABLE fruit(name TEXT, price INTEGER);",
      "INSERT INTO fruit VALUES ('apple', 3), ('pear', 5), ('fig', 7);",
      "SELECT name, price * 2 FROM fruit WHERE price > 4 ORDER BY name;",
      "",
    ].join("\n"),
    dvm: "(1 + 2) * 3 - 4 / 2\n",
  };
  const KEYWORDS = new Set(["fn", "let", "txn", "if", "else", "while", "for", "in", "return",
    "break", "continue", "abort", "true", "false", "null"]);
  const BUILTINS = new Set(["print", "len", "str", "int", "float", "type", "assert", "abs",
    "min", "max", "keys"]);
  const SQL_KEYWORDS = new Set(("select from where insert into values create table index on " +
    "update set delete order by group having limit offset as and or not null is in join left " +
    "inner outer union all distinct integer text real blob primary key unique default begin " +
    "commit rollback drop alter add case when then else end exists between like glob asc desc " +
    "with recursive").split(" "));

  const editor = $("pg-code");
  const overlay = $("pg-highlight");
  const gutter = $("pg-gutter");
  const output = $("output");
  const bytecode = $("pg-bytecode");
  const statePane = $("pg-state");
  const status = $("pg-status");
  const langSelect = $("pg-lang");
  let session = null;
  let markedLine = 0;

  // ---------------------------------------------------------------- the editor

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text, lang) {
    const pattern = lang === "sql"
      ? /(--[^\n]*)|('(?:[^']|'')*'?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]\w*)/g
      : /(\/\/[^\n]*)|("(?:[^"\\\n]|\\.)*"?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]\w*)/g;
    let html = "";
    let last = 0;
    for (const m of text.matchAll(pattern)) {
      html += escapeHtml(text.slice(last, m.index));
      const [word, comment, string, number, name] = m;
      let kind = comment ? "c" : string ? "s" : number ? "m" : "";
      if (name) {
        if (lang === "sql") kind = SQL_KEYWORDS.has(name.toLowerCase()) ? "k" : "";
        else if (lang === "carrot") kind = KEYWORDS.has(name) ? "k" : BUILTINS.has(name) ? "nb" : "";
      }
      html += kind ? `<span class="${kind}">${escapeHtml(word)}</span>` : escapeHtml(word);
      last = m.index + word.length;
    }
    return html + escapeHtml(text.slice(last));
  }

  function paintEditor() {
    const text = editor.value;
    const lines = text.split("\n");
    overlay.innerHTML = lines.map((line, i) =>
      `<span class="pg-line${i + 1 === markedLine ? " pg-line-current" : ""}">` +
      (highlight(line, langSelect.value) || " ") + "</span>").join("\n");
    gutter.innerHTML = lines.map((_, i) =>
      `<span${i + 1 === markedLine ? ' class="pg-line-current"' : ""}>${i + 1}</span>`).join("\n");
    syncScroll();
  }

  function syncScroll() {
    overlay.scrollTop = editor.scrollTop;
    overlay.scrollLeft = editor.scrollLeft;
    gutter.scrollTop = editor.scrollTop;
  }

  function markLine(line) {
    markedLine = line || 0;
    paintEditor();
  }

  // ---------------------------------------------------------------- running

  async function bridge() {
    setStatus("loading...");
    const started = performance.now();
    const module = await P.python((what) => { if (what) setStatus(what + "..."); });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (seconds > 0.5) setStatus(`Python ready (${seconds} s)`);
    return module;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function showOutput(text, done) {
    output.textContent = text;
    output.dataset.status = done ? "done" : "running";
  }

  function endSession() {
    if (session) session.destroy();
    session = null;
  }

  async function run() {
    endSession();
    markLine(0);
    showOutput("", false);
    try {
      const py = await bridge();
      const started = performance.now();
      const result = JSON.parse(py.run(langSelect.value, editor.value));
      const ms = Math.round(performance.now() - started);
      showOutput(result.output, true);
      setStatus(`ran in ${ms} ms` + (result.status ? `, exit status ${result.status}` : ""));
    } catch (error) {
      showOutput(String(error), true);
      setStatus("the playground failed to load");
    }
  }

  async function startSession() {
    if (session) return session;
    const py = await bridge();
    session = py.Session(langSelect.value, editor.value);
    return session;
  }

  async function explain() {
    endSession();
    const s = await startSession();
    showPrograms(JSON.parse(s.explain()));
    showState(JSON.parse(s.state()));
  }

  async function stepWith(action) {
    const fresh = !session;
    const s = await startSession();
    if (fresh) showPrograms(JSON.parse(s.explain()));
    showState(JSON.parse(s[action]()));
  }

  function reset() {
    endSession();
    markLine(0);
    bytecode.innerHTML = "";
    statePane.innerHTML = "";
    showOutput("", false);
    setStatus("");
  }

  // ---------------------------------------------------------------- the panes

  let programs = [];

  function showPrograms(list) {
    programs = list;
    bytecode.innerHTML = "";
    list.forEach((program, index) => {
      const box = document.createElement("div");
      box.className = "pg-program";
      box.dataset.program = index;
      const title = document.createElement("div");
      title.className = "pg-program-name";
      title.textContent = program.name;
      box.appendChild(title);
      const pre = document.createElement("pre");
      if (!program.listing) {
        pre.textContent = "(compiled once the statements before it have run)";
      }
      for (const line of program.listing ? program.listing.split("\n") : []) {
        const row = document.createElement("span");
        row.className = "pg-op";
        const address = line.match(/^\s*(\d+)\s/);
        if (address) row.dataset.addr = String(parseInt(address[1], 10));
        row.textContent = line || " ";
        pre.appendChild(row);
      }
      box.appendChild(pre);
      bytecode.appendChild(box);
    });
  }

  function showState(state) {
    showOutput(state.output, state.done);
    setStatus(state.done ? (state.error ? "stopped with an error" : "finished") : "paused");
    if (state.program !== undefined && programs[state.program] &&
        !programs[state.program].listing && state.done === false) {
      // an SQL statement's listing exists once it is compiled
      showPrograms(JSON.parse(session.explain()));
    }
    for (const old of bytecode.querySelectorAll(".pg-current")) old.classList.remove("pg-current");
    const box = bytecode.querySelector(`.pg-program[data-program="${state.program}"]`);
    const row = box && !state.done && box.querySelector(`.pg-op[data-addr="${state.pc}"]`);
    if (row) {
      row.classList.add("pg-current");
      row.scrollIntoView({ block: "nearest" });
    }
    const lines = box && programs[state.program] ? programs[state.program].lines : [];
    markLine(state.done ? 0 : (state.line || lines[state.pc] || 0));
    statePane.innerHTML = "";
    section("Registers", (state.registers || []).map(([n, v]) => `r[${n}] = ${v}`));
    if (state.frames) {
      section("Call frames", state.frames.map((f, i) =>
        `${i ? "called from" : "in"} ${f.function}, address ${f.pc}, line ${f.line}`));
    }
    if (state.tables) {
      section("Tables", state.tables.map((t) =>
        `${t.table} (${t.names.join(", ")}): keys ${t.keys.length ? t.keys.join(", ") : "none"}`));
    }
    if (state.cursors) section("Cursors", state.cursors);
    if (state.rows) section("Result rows", state.rows.map((r) => r.join("|")));
  }

  function section(title, lines) {
    const heading = document.createElement("div");
    heading.className = "pg-state-title";
    heading.textContent = title;
    const pre = document.createElement("pre");
    pre.textContent = lines.length ? lines.join("\n") : "(none)";
    statePane.append(heading, pre);
  }

  // ---------------------------------------------------------------- the URL

  function readFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    const lang = params.get("lang");
    if (lang && EXAMPLES[lang] !== undefined) langSelect.value = lang;
    const code = params.get("code");
    let text = EXAMPLES[langSelect.value];
    if (code) {
      try { text = P.fromBase64url(code); } catch (e) { setStatus("the link's code is not base64url"); }
    }
    editor.value = text;
    reset();
    paintEditor();
    if (params.get("run") === "1") run();
  }

  function share() {
    const link = P.url(langSelect.value, editor.value, false);
    history.replaceState(null, "", link);
    const done = () => setStatus("link copied: " + link);
    if (navigator.clipboard) navigator.clipboard.writeText(link).then(done, () => setStatus(link));
    else setStatus(link);
  }

  // ---------------------------------------------------------------- wiring

  const busy = (fn) => async () => {
    document.body.classList.add("pg-busy");
    try { await fn(); } catch (error) { showOutput(String(error), true); }
    finally { document.body.classList.remove("pg-busy"); }
  };
  $("pg-run").addEventListener("click", busy(run));
  $("pg-explain").addEventListener("click", busy(explain));
  $("pg-step").addEventListener("click", busy(() => stepWith("step")));
  $("pg-over").addEventListener("click", busy(() => stepWith("step_over")));
  $("pg-continue").addEventListener("click", busy(() => stepWith("cont")));
  $("pg-reset").addEventListener("click", reset);
  $("pg-share").addEventListener("click", share);
  langSelect.addEventListener("change", () => {
    editor.value = EXAMPLES[langSelect.value];
    reset();
    paintEditor();
  });
  editor.addEventListener("input", () => { endSession(); markLine(0); });
  editor.addEventListener("scroll", syncScroll);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      event.preventDefault();
      editor.setRangeText("    ", editor.selectionStart, editor.selectionEnd, "end");
      paintEditor();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      busy(run)();
    }
  });
  window.addEventListener("hashchange", readFragment);
  readFragment();
  // Start loading Python at once: the first Run is then quick.
  bridge().catch(() => setStatus("could not load Python (Pyodide)"));
})();
