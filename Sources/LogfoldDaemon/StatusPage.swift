/// The daemon's read-only status page at `GET /`, for people: journal head and lag, each destination's
/// pending, delivered and dead rows and send rate, a chart of entries and deliveries per minute over the
/// last hour, and the latest dead letters with their errors.
///
/// One self-contained HTML document (no external script, style or font) that reads `GET /v1/status`
/// and `GET /v1/activity` every 5 seconds. It shows no email, phone, name or secret: dead letters are
/// named by kind, customer id and ordinal, and every error text is redacted by the daemon first.
enum StatusPage {
    static let html = #"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>logfold</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2230}
        header{background:#1d2230;color:#fff;padding:14px 24px;display:flex;justify-content:space-between;align-items:baseline}
        header h1{font-size:18px;margin:0}header span{opacity:.7;font-size:12px}
        main{padding:20px 24px;max-width:1100px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin-bottom:16px}
        .card{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .card h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#6b7280;margin:0 0 6px}
        .big{font-size:26px;font-weight:600}.muted{color:#6b7280;font-size:12px}
        .row{display:flex;gap:14px;margin-top:4px}.row b{font-weight:600}
        .dead{color:#b42318}.ok{color:#067647}.warn{color:#b54708}
        table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eef0f3;font-size:13px;vertical-align:top}
        th{background:#fafbfc;color:#6b7280;font-weight:500}
        svg text{font-size:11px;fill:#6b7280}
        .legend span{display:inline-block;margin-right:14px;font-size:12px}
        .legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        </style></head><body>
        <header><h1>logfold</h1><span id="updated">loading…</span></header>
        <main>
        <div class="cards" id="cards"></div>
        <div class="card" style="margin-bottom:16px"><h2>Entries and deliveries per minute, last hour</h2>
        <div class="legend"><span><i style="background:#4f46e5"></i>entries journaled</span>
        <span><i style="background:#0e9384"></i>delivered to Klaviyo</span>
        <span><i style="background:#dc6803"></i>delivered to ActiveCampaign</span></div>
        <svg id="chart" viewBox="0 0 1000 220" width="100%" height="220"></svg></div>
        <div class="card" style="padding:0"><h2 style="padding:14px 16px 0">Latest dead letters</h2>
        <table><thead><tr><th>destination</th><th>ordinal</th><th>kind</th><th>customer</th><th>error</th></tr></thead>
        <tbody id="dead"></tbody></table></div>
        </main>
        <script>
        const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
        const n = v => Number(v ?? 0).toLocaleString("en-US");
        function card(title, body) { return `<div class="card"><h2>${esc(title)}</h2>${body}</div>`; }
        function destination(name, outbox, rate, extra) {
          const dead = outbox.dead > 0 ? "dead" : "ok";
          return card(name, `<div class="big">${n(outbox.pending)} <span class="muted">pending</span></div>
            <div class="row"><span>delivered <b>${n(outbox.delivered)}</b></span>
            <span class="${dead}">dead <b>${n(outbox.dead)}</b></span></div>
            <div class="muted">${n(rate)} delivered a minute (last 5 minutes)${extra}</div>`);
        }
        function chart(activity) {
          const series = [["entries","#4f46e5"],["klaviyo","#0e9384"],["activecampaign","#dc6803"]];
          const max = Math.max(1, ...series.flatMap(([k]) => activity[k]));
          const x = i => 50 + i * (930 / 59), y = v => 190 - v / max * 170;
          let svg = `<line x1="50" y1="190" x2="980" y2="190" stroke="#d0d5dd"/>`;
          for (const f of [0.5, 1]) {
            svg += `<line x1="50" y1="${y(max*f)}" x2="980" y2="${y(max*f)}" stroke="#eef0f3"/>`
              + `<text x="44" y="${y(max*f)+4}" text-anchor="end">${n(Math.round(max*f))}</text>`;
          }
          for (const [i, label] of [[0,"−60 min"],[30,"−30 min"],[59,"now"]]) {
            svg += `<text x="${x(i)}" y="208" text-anchor="middle">${label}</text>`;
          }
          for (const [key, color] of series) {
            const points = activity[key].map((v, i) => `${x(i)},${y(v)}`).join(" ");
            svg += `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`;
          }
          document.getElementById("chart").innerHTML = svg;
        }
        async function refresh() {
          try {
            const [status, activity] = await Promise.all([
              fetch("/v1/status?estimate=false").then(r => r.json()), fetch("/v1/activity").then(r => r.json())]);
            const lag = status.lag;
            let cards = card("Journal", `<div class="big">${n(status.journal_head)}</div><div class="muted">entries (seq of the last)</div>`)
              + card("Projection", `<div class="big ${lag > 1000 ? "warn" : ""}">${n(lag)} <span class="muted">behind</span></div>
                 <div class="muted">checkpoint ${n(status.checkpoint)}</div>`)
              + destination("Klaviyo", status.outbox, activity.rates.klaviyo,
                  activity.last_error ? `<br><span class="dead">last error: ${esc(activity.last_error)}</span>` : "");
            const ac = status.destinations && status.destinations.activecampaign;
            if (ac) {
              const hours = ac.drain_seconds / 3600;
              cards += destination("ActiveCampaign", ac.outbox, activity.rates.activecampaign,
                (ac.outbox.pending === 0 || !ac.drain_seconds ? "" : `<br>about ${hours < 1 ? Math.ceil(ac.drain_seconds / 60) + " min"
                  : hours.toFixed(1) + " h"} to drain at 5 requests/s`)
                + (ac.possibly_repeated ? `<br>${n(ac.possibly_repeated)} events possibly repeated` : ""));
            }
            document.getElementById("cards").innerHTML = cards;
            chart(activity);
            document.getElementById("dead").innerHTML = activity.dead_letters.length
              ? activity.dead_letters.map(d => `<tr><td>${esc(d.destination)}</td><td>${esc(d.ordinal)}</td>
                  <td>${esc(d.kind)}</td><td>${esc(d.customer_id)}</td><td>${esc(d.error)}</td></tr>`).join("")
              : `<tr><td colspan="5" class="muted">none</td></tr>`;
            document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
          } catch (e) {
            document.getElementById("updated").textContent = "cannot reach the daemon: " + e;
          }
        }
        refresh();
        setInterval(refresh, 5000);
        </script></body></html>
        """#
}
