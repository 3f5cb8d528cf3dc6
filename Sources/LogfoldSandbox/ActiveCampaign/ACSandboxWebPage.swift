/// The local ActiveCampaign's page at `/`: each contact with its fields, tags, list status, tracked
/// events and orders with the lifetime totals ActiveCampaign would show; self-contained, read-only.
enum ACSandboxWebPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>logfold sandbox — ActiveCampaign</title>
        <style>
        :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#6b7280; --line:#e5e7eb; --accent:#356ae6; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.45 system-ui, sans-serif; background:var(--bg); color:var(--ink); }
        header { padding:12px 20px; background:#0b3d91; color:#fff; display:flex; gap:20px; align-items:baseline; }
        header h1 { font-size:18px; margin:0; } header small { opacity:.75; font-weight:400; }
        #stats { font-size:13px; opacity:.9; }
        main { display:grid; grid-template-columns: 340px 1fr; gap:16px; padding:16px 20px; }
        ul { list-style:none; margin:0; padding:0; }
        #contacts li { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:8px 10px;
          margin-bottom:6px; cursor:pointer; }
        #contacts li.on { border-color:var(--accent); box-shadow:0 0 0 2px #356ae633; }
        .muted { color:var(--muted); } .tag { display:inline-block; background:#e8efff; color:#1f4fbf; border-radius:10px;
          padding:1px 8px; margin-right:4px; font-size:12px; }
        .card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; margin-bottom:12px; }
        table { border-collapse:collapse; width:100%; } td, th { text-align:left; padding:4px 6px; border-bottom:1px solid var(--line);
          vertical-align:top; } th { color:var(--muted); font-weight:500; }
        .totals { display:flex; gap:24px; } .totals b { font-size:18px; display:block; }
        </style>
        </head>
        <body>
        <header><h1>logfold sandbox <small>ActiveCampaign-compatible API</small></h1><div id="stats"></div></header>
        <main>
          <section><input id="search" type="search" placeholder="Search email or name…" style="width:100%;padding:6px;margin-bottom:8px">
            <ul id="contacts"></ul></section>
          <section id="detail"><p class="muted">Select a contact.</p></section>
        </main>
        <script>
        const esc = s => String(s ?? "").replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;"}[c]));
        const lines = t => t.split("\\n").filter(Boolean).map(l => JSON.parse(l));
        const money = c => (Number(c) / 100).toFixed(2);
        let contacts = [], events = [], selected = null;
        async function load() {
          const [c, e, s] = await Promise.all([fetch("/sandbox/contacts").then(r => r.text()),
            fetch("/sandbox/events").then(r => r.text()), fetch("/sandbox/stats").then(r => r.json())]);
          contacts = lines(c); events = lines(e);
          if (selected === null && contacts.length) selected = contacts[0].id;
          document.getElementById("stats").textContent = Object.entries(s).map(([k, v]) => k + " " + v).join(" · ");
          render();
        }
        function render() {
          const q = document.getElementById("search").value.toLowerCase();
          const list = document.getElementById("contacts");
          list.innerHTML = contacts.filter(c => (c.email + " " + (c.first_name || "") + " " + (c.last_name || ""))
            .toLowerCase().includes(q)).map(c => `<li data-id="${esc(c.id)}" class="${c.id === selected ? "on" : ""}">
            <b>${esc(c.email)}</b><br><span class="muted">${esc(c.first_name)} ${esc(c.last_name)}</span>
            ${c.tags.map(t => `<span class="tag">${esc(t)}</span>`).join("")}</li>`).join("");
          list.querySelectorAll("li").forEach(li => li.onclick = () => { selected = li.dataset.id; render(); });
          const c = contacts.find(c => c.id === selected);
          if (!c) return;
          const timeline = events.filter(e => e.email.toLowerCase() === c.email.toLowerCase()).reverse();
          document.getElementById("detail").innerHTML = `
            <div class="card"><h2 style="margin:0 0 4px">${esc(c.email)}</h2>
              <div class="muted">${esc(c.first_name)} ${esc(c.last_name)} · ${esc(c.phone)}</div>
              <p>${c.tags.map(t => `<span class="tag">${esc(t)}</span>`).join("") || '<span class="muted">no tags</span>'}</p>
              <table>${Object.entries(c.fields).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}
              ${Object.entries(c.lists).map(([k, v]) => `<tr><th>list ${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table></div>
            <div class="card totals"><div><b>${c.total_orders}</b>orders</div><div><b>${money(c.total_revenue)}</b>lifetime value</div>
              <div><b>${money(c.avg_revenue_per_order)}</b>average order</div></div>
            <div class="card"><h3 style="margin-top:0">Orders</h3><table><tr><th>order</th><th>date</th><th>source</th><th>total</th><th>products</th></tr>
              ${c.orders.map(o => `<tr><td>${esc(o.externalid)}</td><td>${esc(o.orderDate)}</td><td>${o.source == 1 ? "real time" : "historical"}</td>
              <td>${money(o.totalPrice)} ${esc(o.currency)}</td><td>${(o.orderProducts || []).map(p => esc(p.name) + " ×" + esc(p.quantity)).join("<br>")}</td></tr>`).join("")}</table></div>
            <div class="card"><h3 style="margin-top:0">Tracked events</h3><table><tr><th>received</th><th>event</th><th>eventdata</th></tr>
              ${timeline.map(e => `<tr><td>${new Date(Number(e.received_at_ms)).toISOString()}</td><td>${esc(e.event)}</td>
              <td><code>${esc(e.eventdata)}</code></td></tr>`).join("")}</table></div>`;
        }
        document.getElementById("search").oninput = render;
        load(); setInterval(load, 5000);
        </script>
        </body>
        </html>
        """
}
