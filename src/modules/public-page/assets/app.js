// The public page of the service-quality index (QĐ 766/QĐ-TTg). Plain JavaScript over the public API; every
// text from the server goes in with textContent, never as HTML.
'use strict';

const API = '/api/v1';
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'style') e.setAttribute('style', v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};
const num = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('vi-VN'));
const pct = (r) => (r === null || r === undefined ? '–' : `${(r * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %`);
const STATUS = { no_data: 'Chưa có dữ liệu', untracked: 'Chưa theo dõi', monitoring: 'Theo dõi' };

// Revalidated on every load (If-None-Match): an unchanged answer is a 304 without a body, and the open period,
// which changes within seconds, is never shown older than the server has it.
async function getJson(path) {
  const res = await fetch(API + path, { headers: { accept: 'application/json' }, cache: 'no-cache' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message || `Lỗi ${res.status}`);
  return body;
}

const state = { period: '', kind: 'unit', scope: '', rank: 'district', ranking: { unit: [], agency: [] } };

function periods() {
  const now = new Date();
  const year = now.getFullYear();
  const out = [];
  for (let y = year; y >= 2021; y--) {
    out.push([String(y), `Năm ${y}`]);
    for (let q = 4; q >= 1; q--) out.push([`${y}-Q${q}`, `Quý ${q}/${y}`]);
  }
  return out;
}

function fillScopes() {
  const select = $('scope');
  select.replaceChildren();
  const items = [...state.ranking[state.kind]].sort((a, b) => levelOrder(a.level) - levelOrder(b.level) || a.name.localeCompare(b.name, 'vi'));
  for (const x of items) select.append(el('option', { value: x.code }, `${x.name} (${x.code})`));
  if (!items.some((x) => x.code === state.scope)) state.scope = items[0]?.code ?? '';
  select.value = state.scope;
}
const levelOrder = (l) => ({ province: 0, district: 1, commune: 2 })[l] ?? 3;

async function loadRanking() {
  const [units, agencies] = await Promise.all([
    getJson(`/quality-index/ranking?period=${encodeURIComponent(state.period)}&kind=unit`),
    getJson(`/quality-index/ranking?period=${encodeURIComponent(state.period)}&kind=agency`),
  ]);
  state.ranking = { unit: units.items, agency: agencies.items };
  // A level the period's organisation does not have gets no tab: after 2025-07-01 the city (48) has no districts
  // (Nghị quyết 1659/NQ-UBTVQH15); for 2025 the district tab lists the old districts' area views.
  for (const b of document.querySelectorAll('[data-rank]')) {
    b.hidden = b.dataset.rank !== 'agency' && !units.items.some((u) => u.level === b.dataset.rank);
  }
  if (state.rank !== 'agency' && !units.items.some((u) => u.level === state.rank)) selectRank('commune');
  fillScopes();
  renderRanking();
}

function selectRank(rank) {
  state.rank = rank;
  for (const o of document.querySelectorAll('[data-rank]')) o.setAttribute('aria-selected', String(o.dataset.rank === rank));
}

function renderRanking() {
  const body = $('ranking').querySelector('tbody');
  body.replaceChildren();
  const list = state.rank === 'agency' ? state.ranking.agency.filter((a) => a.received > 0) : state.ranking.unit.filter((u) => u.level === state.rank);
  list.forEach((x, i) => {
    const link = el('a', { href: '#', 'data-code': x.code }, x.name);
    link.addEventListener('click', (ev) => {
      ev.preventDefault();
      state.kind = state.rank === 'agency' ? 'agency' : 'unit';
      $('kind').value = state.kind;
      state.scope = x.code;
      fillScopes();
      loadScore();
    });
    body.append(el('tr', {}, el('td', {}, i + 1), el('td', {}, link), el('td', { class: 'num' }, x.total.toLocaleString('vi-VN')), el('td', {}, x.band ?? ''), el('td', { class: 'num' }, num(x.received))));
  });
  if (list.length === 0) body.append(el('tr', {}, el('td', { colspan: '5' }, 'Chưa có dữ liệu cho kỳ này')));
}

async function loadScore() {
  if (!state.scope) return;
  const q = `${state.kind}=${encodeURIComponent(state.scope)}&period=${encodeURIComponent(state.period)}`;
  try {
    // A unit formed on 2025-07-01 has no months of its own before that date: its 2025 series gives them as its
    // predecessors' (marked), as its index gathers them. Should the series fail, the score is shown without it.
    const [s, series] = await Promise.all([getJson(`/quality-index?${q}`), getJson(`/quality-index/series?${q}`).catch((err) => ({ error: err }))]);
    renderScore(s);
    if (series.error) $('chart').replaceChildren(el('p', { class: 'error' }, `Không có số liệu theo tháng: ${series.error.message}`));
    else renderChart(series.points);
  } catch (err) {
    $('scope-name').textContent = 'Không tải được chỉ số';
    $('score-meta').textContent = err.message;
  }
}

// A period spanning an organisation version: the figures gather the units before it; split communes are named.
function acrossText(a) {
  if (!a) return '';
  const from = a.effectiveFrom.split('-').reverse().join('/');
  const head = a.areaView ? ` · địa bàn cũ: đến ${from} đơn vị cũ, từ ${from} các đơn vị hình thành từ đó` : ` · gồm số liệu của các đơn vị trước ${from}`;
  return head + a.flagged.map((f) => ` · ${f.name} (${f.code}): ${f.note}`).join('');
}

function renderScore(s) {
  $('scope-name').textContent = s.scope.name;
  $('score-meta').textContent = `Kỳ ${s.period.from.split('-').reverse().join('/')} – ${s.period.to.split('-').reverse().join('/')} · công thức ${s.score.formulaVersion} · ${num(s.facts.received)} hồ sơ tiếp nhận${acrossText(s.acrossRestructuring)}`;
  $('total').textContent = s.score.total.toLocaleString('vi-VN');
  $('band').textContent = s.score.band ?? '';
  const groups = $('groups');
  groups.replaceChildren();
  for (const g of s.score.groups) {
    const share = g.maximum ? Math.min(100, (100 * g.points) / g.maximum) : 0;
    groups.append(
      el('div', { class: 'group' },
        el('div', { class: 'group-label' }, el('span', {}, `${g.id}. ${g.name}`), el('span', { class: 'num' }, `${g.points.toLocaleString('vi-VN')}/${g.maximum}`)),
        el('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': String(g.points), 'aria-valuemin': '0', 'aria-valuemax': String(g.maximum), 'aria-label': g.name }, el('span', { style: `width:${share}%` }))),
    );
  }
  const body = $('indicators').querySelector('tbody');
  body.replaceChildren();
  for (const g of s.score.groups) {
    for (const i of g.indicators) {
      const ratio = i.status === 'untracked' ? (i.note ?? '') : i.value !== undefined && i.value !== null ? `${i.value.toLocaleString('vi-VN')} ${i.unit ?? ''}` : `${num(i.numerator)} / ${num(i.denominator)}`;
      const points = i.status === 'scored' ? `${i.points.toLocaleString('vi-VN')}/${i.maximum}` : STATUS[i.status];
      body.append(el('tr', { class: i.status }, el('td', {}, `${i.id} ${i.name}`), el('td', {}, ratio), el('td', { class: 'num' }, pct(i.rate)), el('td', { class: 'num' }, i.target === null ? '–' : pct(i.target)), el('td', { class: 'num' }, points)));
    }
  }
}

function renderChart(points) {
  const box = $('chart');
  box.replaceChildren();
  const ns = 'http://www.w3.org/2000/svg';
  const w = 640;
  const h = 220;
  const pad = { l: 36, r: 8, t: 12, b: 30 };
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  const mk = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  const x = (i) => pad.l + ((w - pad.l - pad.r) * (i + 0.5)) / Math.max(1, points.length);
  const y = (v) => pad.t + (h - pad.t - pad.b) * (1 - v / 100);
  for (const v of [0, 25, 50, 75, 100]) {
    mk('line', { x1: pad.l, x2: w - pad.r, y1: y(v), y2: y(v), class: 'grid' });
    mk('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, String(v));
  }
  const bw = Math.max(4, ((w - pad.l - pad.r) / Math.max(1, points.length)) * 0.6);
  points.forEach((p, i) => {
    const r = mk('rect', { x: x(i) - bw / 2, y: y(p.total), width: bw, height: Math.max(0, y(0) - y(p.total)), class: `${p.received > 0 ? 'bar-point' : 'bar-empty'}${p.predecessors ? ' bar-predecessors' : ''}` });
    const t = document.createElementNS(ns, 'title');
    t.textContent = `Tháng ${p.period.slice(5)}/${p.period.slice(0, 4)}: ${p.total} điểm, ${p.received} hồ sơ${p.predecessors ? ' (các đơn vị tiền thân)' : ''}`;
    r.append(t);
    mk('text', { x: x(i), y: h - 10, 'text-anchor': 'middle', class: 'axis' }, `T${Number(p.period.slice(5))}`);
  });
  box.append(svg);
}

async function lookup(ev) {
  ev.preventDefault();
  const out = $('lookup-result');
  out.replaceChildren();
  const code = $('lookup-code').value.trim();
  const phone = $('lookup-phone').value.trim();
  try {
    const d = await getJson(`/public/dossiers/${encodeURIComponent(code)}?phone=${encodeURIComponent(phone)}`);
    const dl = el('dl', { class: 'lookup-card' });
    const row = (k, v) => dl.append(el('dt', {}, k), el('dd', {}, v));
    row('Mã hồ sơ', d.code);
    row('Người nộp', d.applicantName);
    row('Tình trạng', d.statusText);
    row('Ngày tiếp nhận', new Date(d.receivedAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }));
    row('Hẹn trả kết quả', d.appointment ? new Date(d.appointment).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : d.clockPaused ? 'Tạm dừng chờ bổ sung hồ sơ' : '–');
    row('Nhận kết quả', d.collect);
    out.append(dl);
  } catch (err) {
    out.append(el('p', { class: 'error' }, `Không tìm thấy hồ sơ: ${err.message}`));
  }
}

async function start() {
  const select = $('period');
  for (const [v, label] of periods()) select.append(el('option', { value: v }, label));
  const params = new URLSearchParams(location.search);
  state.period = params.get('period') || String(new Date().getFullYear());
  if (![...select.options].some((o) => o.value === state.period)) select.append(el('option', { value: state.period }, state.period));
  select.value = state.period;
  state.kind = params.get('agency') ? 'agency' : 'unit';
  // Without one asked for, the province-level unit in force in the period (fillScopes: 49 before 2025-07-01, 48 after).
  state.scope = params.get('agency') || params.get('unit') || '';
  $('kind').value = state.kind;
  select.addEventListener('change', async () => {
    state.period = select.value;
    await loadRanking();
    await loadScore();
  });
  $('kind').addEventListener('change', () => {
    state.kind = $('kind').value;
    fillScopes();
    loadScore();
  });
  $('scope').addEventListener('change', () => {
    state.scope = $('scope').value;
    loadScore();
  });
  for (const b of document.querySelectorAll('[data-rank]')) {
    b.addEventListener('click', () => {
      selectRank(b.dataset.rank);
      renderRanking();
    });
  }
  $('lookup').addEventListener('submit', lookup);
  try {
    await loadRanking();
  } catch (err) {
    $('scope-name').textContent = 'Không tải được dữ liệu';
    $('score-meta').textContent = err.message;
    return;
  }
  await loadScore();
  document.body.dataset.ready = 'true';
}

start();
