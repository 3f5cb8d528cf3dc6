/// The page served at `/`: a self-contained browser of the sandbox's profiles and each profile's event
/// timeline (no external assets, so it works offline), built on the `/sandbox/*` endpoints.
enum SandboxWebPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>logfold sandbox</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <header>
          <h1>logfold sandbox <small>Klaviyo-compatible API</small></h1>
          <div id="stats"></div>
        </header>
        <main>
          <section id="left">
            <input id="search" type="search" placeholder="Search email, external id, phone, name…" autofocus>
            <div id="count"></div>
            <ul id="profiles"></ul>
          </section>
          <section id="right">
            <div id="detail"><p class="muted">Select a profile to see its event timeline.</p></div>
          </section>
        </main>
        <script>
        \(script)
        </script>
        </body>
        </html>
        """

    static let css = """
        :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#6b7280; --line:#e5e7eb; --accent:#2f6fed;
          --fire:#0f9d58; --silent:#8a8f98; --warn:#c2410c; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink);
          background:var(--bg); }
        header { display:flex; align-items:center; justify-content:space-between; padding:12px 20px;
          background:#111827; color:#fff; }
        h1 { font-size:18px; margin:0; } h1 small { font-weight:400; color:#9ca3af; margin-left:8px; }
        #stats { display:flex; gap:14px; font-size:12px; color:#d1d5db; }
        #stats b { color:#fff; font-size:14px; margin-right:3px; }
        main { display:grid; grid-template-columns: 360px 1fr; gap:16px; padding:16px 20px; height:calc(100vh - 52px); }
        section { background:var(--card); border:1px solid var(--line); border-radius:8px; overflow:auto; }
        #left { padding:12px; } #right { padding:16px 20px; }
        #search { width:100%; padding:8px 10px; border:1px solid var(--line); border-radius:6px; font-size:14px; }
        #count { color:var(--muted); font-size:12px; margin:8px 2px; }
        ul { list-style:none; margin:0; padding:0; }
        #profiles li { padding:8px 10px; border-radius:6px; cursor:pointer; border:1px solid transparent; }
        #profiles li:hover { background:#f3f4f6; } #profiles li.sel { border-color:var(--accent); background:#eef3ff; }
        .who { font-weight:600; } .sub { color:var(--muted); font-size:12px; }
        .badge { display:inline-block; font-size:11px; padding:1px 7px; border-radius:10px; margin-left:6px;
          vertical-align:1px; background:#eef2f7; color:#374151; }
        .badge.sup { background:#fde8e1; color:var(--warn); } .badge.fire { background:#e3f5ec; color:var(--fire); }
        .badge.silent { background:#eceef1; color:var(--silent); } .badge.list { background:#eef3ff; color:var(--accent); }
        .muted { color:var(--muted); }
        h2 { margin:0 0 4px; font-size:18px; }
        .facts { display:grid; grid-template-columns: 130px 1fr; gap:3px 12px; margin:12px 0 18px; font-size:13px; }
        .facts dt { color:var(--muted); } .facts dd { margin:0; word-break:break-all; }
        .timeline { border-left:2px solid var(--line); margin-left:8px; }
        .ev { position:relative; padding:6px 0 12px 18px; }
        .ev::before { content:""; position:absolute; left:-7px; top:10px; width:12px; height:12px; border-radius:50%;
          background:var(--fire); border:2px solid #fff; box-shadow:0 0 0 1px var(--fire); }
        .ev.silent::before { background:#fff; box-shadow:0 0 0 1px var(--silent); }
        .ev .t { color:var(--muted); font-size:12px; font-variant-numeric:tabular-nums; }
        .ev .m { font-weight:600; } .ev .v { margin-left:8px; color:#374151; }
        pre { background:#f8fafc; border:1px solid var(--line); border-radius:6px; padding:6px 8px; margin:4px 0 0;
          font-size:12px; white-space:pre-wrap; max-height:140px; overflow:auto; }
        code { display:block; font:12px ui-monospace, SFMono-Regular, Menlo, monospace; color:#374151;
          background:#f8fafc; border:1px solid var(--line); border-radius:5px; padding:3px 7px; margin-top:3px;
          white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
        .legend { font-size:12px; color:var(--muted); margin-bottom:10px; }
        """

    static let script = """
        const $ = (id) => document.getElementById(id);
        const esc = (s) => String(s ?? "").replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",
          '"':"&quot;","'":"&#39;"}[c]));
        const lines = async (url) => (await (await fetch(url)).text()).split("\\n").filter(Boolean).map(JSON.parse);
        const money = (e) => e.value_currency ? Number(e.value).toFixed(2) + " " + e.value_currency : String(e.value);
        let profiles = [], selected = null;
        async function loadStats() {
          const s = await (await fetch("/sandbox/stats")).json();
          $("stats").innerHTML = Object.entries(s).map(([k, v]) => `<span><b>${v}</b>${esc(k)}</span>`).join("");
        }
        async function loadProfiles() {
          const q = $("search").value.trim();
          profiles = await lines("/sandbox/profiles" + (q ? "?q=" + encodeURIComponent(q) : ""));
          $("count").textContent = profiles.length + " profile" + (profiles.length === 1 ? "" : "s");
          $("profiles").innerHTML = profiles.map(p => `<li data-id="${esc(p.id)}" class="${p.id === selected ? "sel" : ""}">
            <div class="who">${esc(p.email || p.external_id || p.phone_number || p.id)}
            ${p.suppressed ? `<span class="badge sup">suppressed · ${esc(p.suppression_reason)}</span>` : ""}</div>
            <div class="sub">${esc(p.external_id ? "ext " + p.external_id + " · " : "")}${p.events} event${p.events === 1 ? "" : "s"}
            ${p.lists.map(l => `<span class="badge list">${esc(l.name)}</span>`).join("")}</div></li>`).join("");
          for (const li of document.querySelectorAll("#profiles li")) li.onclick = () => show(li.dataset.id);
        }
        async function show(id) {
          selected = id;
          for (const li of document.querySelectorAll("#profiles li")) li.classList.toggle("sel", li.dataset.id === id);
          const p = profiles.find(x => x.id === id); if (!p) return;
          const events = (await lines("/sandbox/events?profile_id=" + encodeURIComponent(id)))
            .sort((a, b) => a.time < b.time ? -1 : a.time > b.time ? 1 : a.seq - b.seq);
          const name = [p.first_name, p.last_name].filter(Boolean).join(" ");
          const fired = events.filter(e => e.fires_flows).length;
          $("detail").innerHTML = `<h2>${esc(p.email || p.external_id || p.id)}
            ${p.suppressed ? `<span class="badge sup">suppressed · ${esc(p.suppression_reason)}</span>` : ""}</h2>
            <div class="muted">${esc(name)}</div>
            <dl class="facts"><dt>profile id</dt><dd>${esc(p.id)}</dd><dt>external id</dt><dd>${esc(p.external_id)}</dd>
            <dt>phone</dt><dd>${esc(p.phone_number)}</dd><dt>email consent</dt><dd>${esc(p.email_consent)}</dd>
            <dt>lists</dt><dd>${p.lists.map(l => `<span class="badge list">${esc(l.name)} (${esc(l.id)})</span>`).join("") || "—"}</dd>
            <dt>location</dt><dd>${esc(Object.values(p.location).join(", ")) || "—"}</dd>
            <dt>properties</dt><dd>${Object.keys(p.properties).length ? `<pre>${esc(JSON.stringify(p.properties, null, 1))}</pre>` : "—"}</dd></dl>
            <div class="legend">${events.length} events · ${fired} would have fired flows · ${events.length - fired} stored silently (backfill)</div>
            <div class="timeline">${events.map(e => `<div class="ev ${e.fires_flows ? "" : "silent"}">
              <span class="t">${esc(e.time)}</span> <span class="m">${esc(e.metric)}</span>
              ${e.value !== null ? `<span class="v">${esc(money(e))}</span>` : ""}
              <span class="badge ${e.fires_flows ? "fire" : "silent"}">${e.fires_flows ? "would fire flows" : "backfill · silent"}</span>
              <div class="sub">unique_id ${esc(e.unique_id ?? "—")}</div>
              <code>${esc(JSON.stringify(e.properties))}</code></div>`).join("") || '<p class="muted">No events.</p>'}</div>`;
        }
        let timer; $("search").oninput = () => { clearTimeout(timer); timer = setTimeout(loadProfiles, 150); };
        async function refresh() { await loadStats(); await loadProfiles(); if (selected) await show(selected); }
        refresh().then(() => { if (!selected && profiles.length) show(profiles[0].id); });
        setInterval(loadStats, 3000);
        """
}
