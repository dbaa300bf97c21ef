// The page's whole stylesheet, inlined so a page is one request and needs no CDN. Light and dark
// themes follow prefers-color-scheme unless the visitor picks one (data-theme on <html>).
// Colours keep text contrast at WCAG AA (4.5:1) in both themes.
export const styles = `
:root{--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#57606a;--line:#d8dee4;--focus:#0b5cad;
--ok:#1a7f37;--ok-bg:#dafbe1;--minor:#5e8c1a;--warn:#9a6700;--warn-bg:#fff8c5;--bad:#cf222e;--bad-bg:#ffebe9;
--maint:#0550ae;--maint-bg:#ddf4ff;--none:#d0d7de;--bar-ok:#2da44e;--bar-minor:#95c23d;--bar-warn:#d4a72c;--bar-bad:#e5534b;color-scheme:light}
:root[data-theme=dark]{--bg:#0d1117;--card:#161b22;--text:#e6edf3;--muted:#9da7b3;--line:#30363d;--focus:#58a6ff;
--ok:#3fb950;--ok-bg:#12261e;--minor:#9bd152;--warn:#d29922;--warn-bg:#272115;--bad:#ff7b72;--bad-bg:#2d1517;
--maint:#79c0ff;--maint-bg:#0c2d4b;--none:#30363d;color-scheme:dark}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0d1117;--card:#161b22;--text:#e6edf3;--muted:#9da7b3;--line:#30363d;--focus:#58a6ff;
--ok:#3fb950;--ok-bg:#12261e;--minor:#9bd152;--warn:#d29922;--warn-bg:#272115;--bad:#ff7b72;--bad-bg:#2d1517;
--maint:#79c0ff;--maint-bg:#0c2d4b;--none:#30363d;color-scheme:dark}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--focus)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.wrap{max-width:860px;margin:0 auto;padding:24px 16px 48px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:16px;top:8px;background:var(--card);padding:8px}
header.top{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin-bottom:20px}
header.top img{max-height:48px;max-width:160px}
header.top .titles{flex:1;min-width:200px}
h1{font-size:1.75rem;margin:0;line-height:1.2}
h2{font-size:1.2rem;margin:32px 0 12px}
h3{font-size:1rem;margin:0}
.desc{color:var(--muted);margin:4px 0 0}
.clock{color:var(--muted);font-size:.875rem;margin:4px 0 0}
.theme{background:var(--card);color:var(--text);border:1px solid var(--line);border-radius:6px;padding:6px 12px;font:inherit;cursor:pointer}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px}
.banner{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap;border-radius:10px;padding:18px 20px;font-weight:600;font-size:1.15rem;border:1px solid var(--line)}
.banner p{margin:0}.banner .updated{font-weight:400;font-size:.875rem;color:var(--muted)}
.lvl-operational{background:var(--ok-bg);color:var(--ok)}
.lvl-degraded,.lvl-partial_outage{background:var(--warn-bg);color:var(--warn)}
.lvl-major_outage{background:var(--bad-bg);color:var(--bad)}
.lvl-maintenance{background:var(--maint-bg);color:var(--maint)}
.services{list-style:none;margin:0;padding:0}
.service{padding:14px 0;border-top:1px solid var(--line)}
.service:first-child{border-top:0;padding-top:0}.service:last-child{padding-bottom:0}
.row{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
.pill{display:inline-block;border-radius:999px;padding:2px 10px;font-size:.8rem;font-weight:600;white-space:nowrap}
.st-up{background:var(--ok-bg);color:var(--ok)}
.st-pending,.st-late{background:var(--warn-bg);color:var(--warn)}
.st-down{background:var(--bad-bg);color:var(--bad)}
.st-maintenance{background:var(--maint-bg);color:var(--maint)}
.st-paused,.st-unknown{background:var(--bg);color:var(--muted);border:1px solid var(--line)}
.bars{display:flex;gap:2px;height:32px;margin:10px 0 4px}
.bars i{flex:1;border-radius:2px;background:var(--bar-ok);min-width:1px}
.bars i.none{background:var(--none)}.bars i.minor{background:var(--bar-minor)}.bars i.warn{background:var(--bar-warn)}.bars i.bad{background:var(--bar-bad)}
.bars i:hover{opacity:.7}
.axis,.meta{display:flex;justify-content:space-between;gap:12px;color:var(--muted);font-size:.8rem;flex-wrap:wrap}
.meta .latency{display:inline-flex;align-items:center;gap:6px}
.spark{width:120px;height:24px}
.spark polyline{fill:none;stroke:var(--focus);stroke-width:1.5}
.incident{border-left:4px solid var(--warn);margin-bottom:12px}
.incident.resolved{border-left-color:var(--ok)}
.incident ol{list-style:none;padding:0;margin:10px 0 0}
.incident li{margin:8px 0}
.when,.affects{color:var(--muted);font-size:.85rem}
.maintenance{border-left:4px solid var(--maint);margin-bottom:12px}
footer{margin-top:40px;color:var(--muted);font-size:.875rem;display:flex;gap:16px;flex-wrap:wrap;justify-content:center}
.months{display:flex;justify-content:space-between;margin:16px 0}
@media (max-width:520px){.wrap{padding:16px 10px 32px}h1{font-size:1.4rem}.bars{gap:1px;height:28px}.spark{width:90px}}
`.replace(/\n/g, '');
