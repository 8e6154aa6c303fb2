// Warden's dashboard: one document from /api/dashboard every 5 s, drawn as tables and SVG
// charts. No library, nothing from the network but this daemon. Text from logs is attacker
// controlled: it only ever goes into textContent, never into HTML.
'use strict';

const COLORS = ['#2f6fde', '#e67e22', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#d4ac0d', '#7f8c8d'];
const SVG = 'http://www.w3.org/2000/svg';
const state = { range: 'day', data: null, previous: null, csrf: '', armed: null, open: new Map() };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

function time(text) {
  if (!text) return 'never';
  const d = new Date(text);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function age(text, now) {
  if (!text) return 'no line yet';
  const s = Math.max(0, Math.round((new Date(now) - new Date(text)) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: 'same-origin', headers: {} }, options));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { error: text }; }
  if (!response.ok) throw new Error((body && body.error) || response.status + ' ' + response.statusText);
  return body;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function jailColor(names) {
  const map = new Map();
  names.forEach((name, i) => map.set(name, COLORS[i % COLORS.length]));
  return map;
}

// Stacked bars per bucket, one colour per jail, time along the bottom.
function timeline(target, timeline, field, colors) {
  const width = target.clientWidth || 800, height = target.clientHeight || 180;
  const left = 36, bottom = 20, top = 8;
  const buckets = timeline.series.length ? timeline.series[0][field].length : 0;
  const totals = Array.from({ length: buckets }, (_, i) => timeline.series.reduce((sum, s) => sum + s[field][i], 0));
  const max = Math.max(1, ...totals);
  target.replaceChildren();
  target.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const plotW = width - left - 4, plotH = height - bottom - top;
  const barW = buckets ? plotW / buckets : 0;
  target.append(svg('line', { x1: left, y1: top + plotH, x2: width - 4, y2: top + plotH, class: 'axis' }));
  target.append(svg('line', { x1: left, y1: top, x2: left, y2: top + plotH, class: 'axis' }));
  const maxLabel = svg('text', { x: left - 4, y: top + 9, 'text-anchor': 'end' });
  maxLabel.textContent = String(max);
  target.append(maxLabel);
  const zero = svg('text', { x: left - 4, y: top + plotH, 'text-anchor': 'end' });
  zero.textContent = '0';
  target.append(zero);
  for (let i = 0; i < buckets; i++) {
    let y = top + plotH;
    for (const series of timeline.series) {
      const value = series[field][i];
      if (!value) continue;
      const h = (value / max) * plotH;
      y -= h;
      const rect = svg('rect', { x: left + i * barW + 1, y, width: Math.max(1, barW - 2), height: h, fill: colors.get(series.jail) });
      const tip = svg('title');
      tip.textContent = `${series.jail}: ${value} at ${time(new Date(new Date(timeline.start).getTime() + i * timeline.bucketSeconds * 1000))}`;
      rect.append(tip);
      target.append(rect);
    }
  }
  const ticks = 6;
  for (let t = 0; t <= ticks; t++) {
    const i = Math.min(buckets, Math.round((t * buckets) / ticks));
    const at = new Date(new Date(timeline.start).getTime() + i * timeline.bucketSeconds * 1000);
    const label = svg('text', { x: left + i * barW, y: height - 4, 'text-anchor': t === 0 ? 'start' : t === ticks ? 'end' : 'middle' });
    label.textContent = timeline.bucketSeconds >= 21600
      ? at.toISOString().slice(5, 10) + ' ' + at.toISOString().slice(11, 13) + 'h'
      : at.toISOString().slice(11, 16);
    target.append(label);
  }
}

// Horizontal bars: bans per network.
function networks(target, rows) {
  const width = target.clientWidth || 500, rowH = 22, height = Math.max(40, rows.length * rowH + 8);
  target.replaceChildren();
  target.setAttribute('viewBox', `0 0 ${width} ${height}`);
  target.style.height = height + 'px';
  const labelW = 190, max = Math.max(1, ...rows.map(r => r.bans));
  if (!rows.length) {
    const none = svg('text', { x: 4, y: 20 });
    none.textContent = 'no bans in 7 days';
    target.append(none);
  }
  rows.forEach((row, i) => {
    const y = 4 + i * rowH;
    const name = svg('text', { x: 0, y: y + 14 });
    name.textContent = row.network;
    const w = ((width - labelW - 170) * row.bans) / max;
    const bar = svg('rect', { x: labelW, y: y + 3, width: Math.max(2, w), height: rowH - 8, fill: COLORS[0] });
    const count = svg('text', { x: labelW + w + 6, y: y + 14 });
    count.textContent = `${row.bans} ban(s), ${row.addresses} address(es)`;
    target.append(name, bar, count);
  });
}

function legend(container, colors) {
  const box = el('div', { class: 'legend' });
  for (const [name, color] of colors) {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = color;
    box.append(el('span', {}, swatch, name));
  }
  container.querySelectorAll('.legend').forEach(n => n.remove());
  container.querySelector('h2').after(box);
}

function evidence(ban) {
  const box = el('div', { class: 'evidence' });
  if (!ban.evidence.length) box.append(el('span', { class: 'muted' }, ban.by ? `made by ${ban.by}` : 'no log lines recorded'));
  for (const line of ban.evidence) box.append(el('div', { class: 'line' }, `${time(line.time)}  ${line.source}  ${line.line}`));
  return box;
}

function pastBan(ban, index) {
  const what = `${time(ban.start)}  [${ban.jail}] ${ban.target}  ${ban.failures} failure(s), ${ban.banTime == null ? 'permanent' : ban.banTime + ' s'}${ban.step ? ', step ' + ban.step : ''}${ban.wouldBan ? ' (would ban: the jail observes)' : ''}${ban.inForce ? '' : ' (ended)'}`;
  // What the user opened or closed stays so across the refreshes; the newest starts open.
  const key = ban.start + ' ' + ban.jail + ' ' + ban.target;
  const details = el('details', { open: state.open.has(key) ? state.open.get(key) : index === 0 }, el('summary', {}, what), evidence(ban));
  details.addEventListener('toggle', () => state.open.set(key, details.open));
  return el('li', { class: ban.wouldBan ? 'would' : '', 'data-target': ban.target }, details);
}

function unbanButton(target) {
  const button = el('button', { type: 'button', class: 'unban danger', 'data-target': target }, 'unban');
  button.addEventListener('click', async () => {
    // Two clicks: the first arms the button, the second lifts the ban.
    if (state.armed !== target) {
      state.armed = target;
      button.textContent = 'confirm unban';
      return;
    }
    state.armed = null;
    button.disabled = true;
    try {
      await api('/api/bans/' + encodeURIComponent(target), { method: 'DELETE', headers: { 'X-Warden-Csrf': state.csrf } });
      button.textContent = 'unbanned';
      button.setAttribute('data-done', 'true');
      await refresh();
    } catch (e) {
      showError(e);
      button.disabled = false;
      button.textContent = 'unban';
    }
  });
  return button;
}

function showError(e) {
  const box = document.getElementById('error');
  box.textContent = e ? String(e.message || e) : '';
  box.hidden = !e;
}

function render(data) {
  state.csrf = data.csrf;
  document.getElementById('daemon').textContent = `${data.version} · firewall: ${data.firewall} · ${time(data.now)}${data.allowChanges ? '' : ' · read-only'}`;
  const colors = jailColor(data.jails.map(j => j.name));

  fill(document.querySelector('#jails tbody'), data.jails.map(j => el('tr', { 'data-jail': j.name },
    el('td', {}, j.name), el('td', { class: 'num' }, j.bansInForce), el('td', { class: 'num' }, j.failures), el('td', { class: 'num' }, j.bans),
    el('td', { class: j.observe ? 'would' : '' }, j.observe ? 'observe (would ban)' : 'enforce'))));

  const before = new Map((state.previous ? state.previous.sources : []).map(s => [s.id, s]));
  fill(document.querySelector('#sources tbody'), data.sources.map(s => {
    const old = before.get(s.id);
    const seconds = state.previous ? (new Date(data.now) - new Date(state.previous.now)) / 1000 : 0;
    const rate = old && seconds > 0 ? ((s.lines - old.lines) / seconds).toFixed(1) : '–';
    const stale = s.lastLine && (new Date(data.now) - new Date(s.lastLine)) > 3600_000;
    return el('tr', { 'data-source': s.id }, el('td', {}, s.id), el('td', { class: stale ? 'stale' : '' }, age(s.lastLine, data.now)), el('td', { class: 'num' }, rate), el('td', { class: 'num' }, s.lines));
  }));

  const range = state.range === 'day' ? data.day : data.week;
  const chartCard = document.getElementById('chart-bans').parentElement;
  legend(chartCard, colors);
  timeline(document.getElementById('chart-bans'), range, 'bans', colors);
  timeline(document.getElementById('chart-failures'), range, 'failures', colors);
  document.getElementById('failures-since').textContent = `(since ${time(data.failuresSince)})`;

  fill(document.querySelector('#offenders tbody'), data.topOffenders.map(o => el('tr', {},
    el('td', {}, el('button', { type: 'button', class: 'link show', onclick: () => show(o.address) }, o.address)),
    el('td', { class: 'num' }, o.bans), el('td', {}, o.jails.join(', ')), el('td', {}, time(o.last)))));
  networks(document.getElementById('chart-networks'), data.networks);

  document.getElementById('in-force-count').textContent = `(${data.inForce.length})`;
  fill(document.querySelector('#in-force tbody'), data.inForce.map(b => el('tr', { 'data-target': b.target, class: b.wouldBan ? 'would' : '' },
    el('td', {}, b.jail), el('td', {}, el('button', { type: 'button', class: 'link show', onclick: () => show(b.target) }, b.target)),
    el('td', {}, time(b.start)), el('td', {}, b.expires ? time(b.expires) : 'forever'), el('td', {}, b.origin + (b.wouldBan ? ' (would ban)' : '')),
    el('td', {}, data.allowChanges && !b.wouldBan ? unbanButton(b.target) : ''))));

  const form = document.getElementById('ban');
  form.hidden = !data.allowChanges;
  const select = document.getElementById('ban-jail');
  if (select.options.length !== data.jails.length) select.replaceChildren(...data.jails.map(j => el('option', { value: j.name }, j.name)));

  fill(document.getElementById('recent'), data.recent.map(pastBan));
  state.previous = data;
}

async function refresh() {
  try {
    state.data = await api('/api/dashboard');
    render(state.data);
    showError(null);
    document.body.setAttribute('data-loaded', 'true');
  } catch (e) {
    showError(e);
  }
}

async function show(address) {
  try {
    const report = await api('/api/show/' + encodeURIComponent(address));
    document.getElementById('show').hidden = false;
    document.getElementById('show-address').textContent = report.address;
    const body = document.getElementById('show-body');
    body.replaceChildren(el('p', { class: 'muted' }, `${report.bans.length} ban(s) recorded, ${report.failures.length} failure(s) counted now`));
    const list = el('ol', { id: 'show-bans' });
    report.bans.forEach(b => list.append(pastBan(b, 0)));
    body.append(list);
    for (const f of report.failures) body.append(el('div', { class: 'evidence' }, `${time(f.time)} [${f.jail}] ${f.attempts} attempt(s)`));
  } catch (e) {
    showError(e);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('search').addEventListener('submit', e => {
    e.preventDefault();
    const value = document.getElementById('search-address').value.trim();
    if (value) show(value);
  });
  document.getElementById('show-close').addEventListener('click', () => { document.getElementById('show').hidden = true; });
  for (const range of ['day', 'week']) {
    document.getElementById('range-' + range).addEventListener('click', () => {
      state.range = range;
      document.querySelectorAll('.tab').forEach(t => t.classList.toggle('active', t.id === 'range-' + range));
      if (state.data) render(state.data);
    });
  }
  document.getElementById('ban').addEventListener('submit', async e => {
    e.preventDefault();
    const duration = document.getElementById('ban-duration').value.trim();
    const result = document.getElementById('ban-result');
    try {
      await api('/api/bans', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Warden-Csrf': state.csrf },
        body: JSON.stringify({ jail: document.getElementById('ban-jail').value, target: document.getElementById('ban-target').value.trim(), duration: duration ? Number(duration) : null }),
      });
      result.textContent = 'banned';
      await refresh();
    } catch (err) {
      result.textContent = String(err.message || err);
    }
  });
  refresh();
  setInterval(refresh, 5000);
});
