// The live-refresh script of status pages, served from /status-assets/status-page.js. Kept as a
// string in a module so the build output carries it without copying asset files.
export const clientScript = String.raw`
// Live refresh of a Tocsin status page. The page is complete without this script; it only keeps
// the clock ticking, refreshes states from the page's JSON every 30 s, and offers a theme switch.
(function () {
  'use strict';
  var root = document.documentElement;
  var slug = root.dataset.slug;
  var tz = root.dataset.tz || 'UTC';
  var clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

  function setTime(el, at) {
    if (!el) return;
    var t = document.createElement('time');
    t.dateTime = new Date(at).toISOString();
    t.textContent = clockFormat.format(at);
    el.replaceChildren(t);
  }

  function percent(u) {
    if (u === null) return 'no data';
    if (u >= 1) return '100%';
    return (Math.floor(u * 10000) / 100).toFixed(2) + '%';
  }

  function ms(v) {
    if (v === null) return 'n/a';
    return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms';
  }

  var toggle = document.getElementById('theme-toggle');
  if (toggle) {
    var effective = function () {
      return root.dataset.theme || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
    };
    var label = function () { toggle.textContent = effective() === 'dark' ? 'Light theme' : 'Dark theme'; };
    toggle.hidden = false;
    label();
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', label);
    toggle.addEventListener('click', function () {
      var next = effective() === 'dark' ? 'light' : 'dark';
      root.dataset.theme = next;
      try { localStorage.setItem('tocsin-theme', next); } catch (e) { /* private mode */ }
      label();
    });
  }

  var clock = document.getElementById('clock');
  if (clock) setInterval(function () { setTime(clock, Date.now()); }, 1000);

  function apply(data) {
    var banner = document.getElementById('banner');
    if (banner) {
      banner.className = 'banner lvl-' + data.status.level;
      document.getElementById('banner-text').textContent = data.status.text;
    }
    setTime(document.getElementById('updated'), data.generatedAt);
    data.groups.forEach(function (g) {
      g.services.forEach(function (s) {
        document.querySelectorAll('[data-service-id="' + s.id + '"]').forEach(function (row) {
          row.dataset.state = s.state;
          var pill = row.querySelector('[data-role=state]');
          pill.className = 'pill st-' + s.state;
          pill.textContent = s.stateLabel;
          var up = row.querySelector('[data-role=uptime]');
          if (up) up.textContent = percent(s.uptime90d) + ' uptime';
          var latency = row.querySelector('[data-role=latency]');
          if (latency) latency.textContent = ms(s.lastLatencyMs);
          if (s.lastCheckedAt !== null) setTime(row.querySelector('[data-role=last]'), s.lastCheckedAt);
        });
      });
    });
    var incidents = data.activeIncidents.map(function (i) { return i.id + ':' + i.updates.length; }).join(',');
    if (incidents !== (root.dataset.incidents || '')) location.reload();
  }

  function refresh() {
    fetch('/status/' + encodeURIComponent(slug) + '/data.json', { cache: 'no-cache' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* offline: keep what is shown */ });
  }

  if (slug) setInterval(refresh, 30000);
  // For people and tests who do not want to wait for the next tick.
  window.tocsinStatus = { refresh: refresh };
})();
`;
