// The scene-pipeline console: reads the JSON API once a second and draws it. Every value from a plan is put in the page
// as text (textContent), never as markup, so a plan's title or narration never runs in the operator's browser.
'use strict';

const state = { status: '', selected: null, token: sessionStorage.getItem('scene-pipeline-token') || '' };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function api(method, path, body) {
  const headers = { 'X-Requested-By': 'scene-pipeline-console' };
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store' });
  const json = await r.json().catch(() => ({}));
  if (r.status === 401) $('token-form').hidden = false;
  if (!r.ok) throw new Error(json.error || ('HTTP ' + r.status));
  return json;
}

const usd = (v) => (typeof v === 'number' ? '$' + v.toFixed(4) : '');
const time = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  // today: the time to the second; before: the date too
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString(undefined, { hour12: false })
    : d.toLocaleString(undefined, { hour12: false });
};
const clock = (ms) => new Date(ms).toLocaleTimeString(undefined, { hour12: false });
const who = () => ({ by: 'console' });

function problem(message) {
  $('problem').hidden = !message;
  $('problem').textContent = message || '';
}

async function refresh() {
  try {
    const q = state.status ? '?status=' + encodeURIComponent(state.status) : '';
    const [plans, providers] = await Promise.all([api('GET', '/api/plans' + q), api('GET', '/api/providers')]);
    drawPlans(plans.plans);
    drawProviders(providers.providers);
    if (state.selected) drawDetail(await api('GET', '/api/plans/' + encodeURIComponent(state.selected)));
    $('updated').textContent = 'updated ' + clock(Date.now());
    problem(null);
  } catch (e) {
    problem(e.message);
  }
}

function drawPlans(plans) {
  const body = $('plans').tBodies[0];
  body.replaceChildren(...plans.map((p) => el('tr', {
    class: 'plan' + (p.plan_id === state.selected ? ' selected' : ''), 'data-plan-id': p.plan_id, 'data-status': p.status,
    onclick: () => { state.selected = p.plan_id; refresh(); } },
  el('td', {}, el('span', { class: 'badge ' + p.status }, p.status)),
  el('td', {}, p.plan_id, el('div', { class: 'title' }, p.title || ''),
    p.status === 'dead-lettered' ? el('div', { class: 'title' }, p.error || '') : null),
  el('td', { class: 'num' }, p.scenes_total ? (p.scenes_done || 0) + '/' + p.scenes_total : ''),
  el('td', { class: 'num' }, usd(p.cost_usd)),
  el('td', { class: 'num' }, time(p.at)))));
  if (!plans.length) body.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no plans')));
}

function drawProviders(providers) {
  $('providers').replaceChildren(...providers.map((p) => {
    const waiting = Object.entries(p.waiting || {}).map(([k, v]) => v + ' ' + k).join(', ') || 'none';
    const pace = Object.entries(p.pace || {}).map(([k, v]) => k.replaceAll('_', ' ') + ' ' + v).join(', ') || '—';
    const action = p.paused
      ? el('button', { class: 'primary', 'data-action': 'resume', onclick: () => act('POST', '/api/providers/' + p.name + '/resume', who()) }, 'Resume')
      : el('button', { class: 'danger', 'data-action': 'pause', onclick: () => act('POST', '/api/providers/' + p.name + '/pause', who()) }, 'Pause');
    return el('div', { class: 'provider' + (p.paused ? ' paused' : ''), 'data-provider': p.name },
      el('h3', {}, p.name, action),
      el('dl', {},
        el('dt', {}, 'state'), el('dd', { class: 'state' }, p.paused ? 'paused by ' + p.paused.by + ' at ' + time(p.paused.at) : 'calling'),
        el('dt', {}, 'in flight'), el('dd', { class: 'in-flight' }, p.in_flight),
        el('dt', {}, 'waiting'), el('dd', {}, waiting),
        el('dt', {}, 'retries / 429s'), el('dd', {}, (p.retries ?? 0) + ' / ' + (p.throttled ?? 0)),
        el('dt', {}, 'pace'), el('dd', {}, pace),
        el('dt', {}, 'breaker'), el('dd', {}, (p.breaker || '') + (p.breaker_last_reason && p.breaker !== 'closed' ? ' (' + p.breaker_last_reason + ')' : '')),
        el('dt', {}, 'retry budget left'), el('dd', {}, p.retry_budget_left ?? ''),
        el('dt', {}, 'spent today'), el('dd', {}, usd(Number(p.spent_today_usd)))));
  }));
}

async function act(method, path, body, then) {
  try {
    const answer = await api(method, path, body);
    if (then) then(answer);
    await refresh();
  } catch (e) {
    problem(e.message);
  }
}

function drawDetail(plan) {
  $('detail').hidden = false;
  $('detail').dataset.planId = plan.plan_id;
  $('detail').dataset.status = plan.status;
  $('detail-title').textContent = plan.plan_id + (plan.title ? ' — ' + plan.title : '');
  $('detail-meta').textContent = [plan.status, plan.node ? 'on ' + plan.node : null, 'started ' + time(plan.started_at),
    plan.finished_at ? 'finished ' + time(plan.finished_at) : null, plan.failed_at ? 'failed ' + time(plan.failed_at) : null,
    'spent ' + usd(plan.cost_usd)].filter(Boolean).join(' · ');
  $('detail-error').hidden = !plan.error;
  const where = [plan.stage, plan.scene_number ? 'scene ' + plan.scene_number : null, plan.provider].filter(Boolean).join(', ');
  $('detail-error').textContent = plan.error ? 'Why' + (where ? ' (' + where + ')' : '') + ': ' + plan.error : '';
  drawActions(plan);
  drawTimeline(plan);
}

function drawActions(plan) {
  const box = $('detail-actions');
  if (box.dataset.for === plan.plan_id + plan.status + (plan.canceling || '')) return; // keep an estimate on screen
  box.dataset.for = plan.plan_id + plan.status + (plan.canceling || '');
  box.replaceChildren();
  if (plan.status === 'running') {
    box.append(plan.canceling ? el('span', { class: 'muted' }, 'canceling…')
      : el('button', { class: 'danger', 'data-action': 'cancel', onclick: () => {
        if (confirm('Cancel plan ' + plan.plan_id + '? Its running predictions are canceled; paid steps stay in the journal.')) {
          act('POST', '/api/plans/' + encodeURIComponent(plan.plan_id) + '/cancel', who());
        }
      } }, 'Cancel plan'));
  }
  if (plan.status === 'dead-lettered' && plan.dead_letter_id) {
    const path = '/api/dead-letters/' + encodeURIComponent(plan.dead_letter_id) + '/redrive';
    box.append(el('button', { 'data-action': 'estimate', onclick: () => act('POST', path, {}, (e) => {
      box.querySelector('.estimate')?.remove();
      box.append(el('div', { class: 'estimate', 'data-estimate-usd': e.estimate_usd },
        e.to_pay + ' steps to pay (~' + usd(Number(e.estimate_usd)) + '), ' + e.reused + ' from the journal (free). ',
        el('button', { class: 'primary', 'data-action': 'redrive', onclick: () => act('POST', path, { confirm: true, by: 'console' },
          () => { box.dataset.for = ''; }) }, 'Redrive')));
    }) }, 'Redrive…'));
  }
}

const OUTCOME = { succeeded: 'succeeded', retried: 'retried', throttled: 'throttled', paused: 'paused', failed: 'failed',
  reused: 'reused', canceled: 'canceled', handed_on: 'handed_on' };

function drawTimeline(plan) {
  const scenes = plan.scenes || [];
  const spans = scenes.flatMap((s) => (s.steps || []).flatMap((st) => st.timeline || []));
  const now = Date.now();
  const start = Math.min(...spans.map((s) => s.start), Date.parse(plan.started_at) || now);
  const end = Math.max(...spans.map((s) => s.end ?? (plan.status === 'running' ? now : s.start)), start + 1000);
  const pos = (t) => (100 * (t - start) / (end - start));
  $('timeline').replaceChildren(...scenes.map((scene) => el('div', { class: 'scene', 'data-scene': scene.scene_number },
    el('h4', {}, 'Scene ' + scene.scene_number),
    ...(scene.steps || []).map((step) => {
      const track = el('div', { class: 'track' });
      let doing = null;
      for (const s of step.timeline || []) {
        const open = s.end === undefined || s.end === null;
        const kind = s.kind === 'wait' ? 'wait' : (open ? 'running' : (OUTCOME[s.outcome] || 'failed'));
        const bar = el('span', { class: 'bar ' + kind, 'data-outcome': s.kind === 'wait' ? 'wait' : (open ? 'running' : s.outcome),
          title: describe(s, open) });
        bar.style.left = pos(s.start) + '%';
        bar.style.width = Math.max(0.4, pos(open ? now : s.end) - pos(s.start)) + '%';
        track.append(bar);
        if (open && plan.status === 'running') doing = describe(s, open);
      }
      const cost = step.reused ? 'free (journal)' : (typeof step.cost_usd === 'number' ? usd(step.cost_usd) : 'free');
      return el('div', { class: 'step', 'data-step': step.step },
        el('span', { class: 'name', title: step.step + (step.model ? ' · ' + step.model : '') }, step.step),
        track, el('span', { class: 'cost' }, cost),
        doing ? el('span', { class: 'now' }, doing) : null);
    }))));
}

function describe(s, open) {
  if (s.kind === 'wait') {
    return 'waiting: ' + s.outcome + (s.until ? ' until ' + clock(s.until) : '') + (open ? '' : ' (' + secs(s.end - s.start) + ')');
  }
  if (open) return 'attempt ' + s.attempt + ' running since ' + clock(s.start);
  if (s.outcome === 'reused') return 'taken from the journal: nothing paid';
  return 'attempt ' + s.attempt + ' ' + s.outcome + ' after ' + secs(s.end - s.start) + (s.reason ? ': ' + s.reason : '');
}

const secs = (ms) => (ms / 1000).toFixed(1) + ' s';

function bulk(event) {
  event.preventDefault();
  const form = new FormData($('bulk-form'));
  const filter = {};
  for (const k of ['provider', 'kind', 'since']) if (form.get(k)) filter[k] = form.get(k);
  const out = $('bulk-result');
  act('POST', '/api/dead-letters/redrive', filter, (e) => {
    out.replaceChildren(el('div', { class: 'estimate' },
      e.matched + ' dead letters match: ' + e.to_pay + ' steps to pay (~' + usd(Number(e.estimate_usd)) + '). ',
      e.matched ? el('button', { class: 'primary', onclick: () => act('POST', '/api/dead-letters/redrive',
        Object.assign({ confirm: true, by: 'console' }, filter), (d) => out.replaceChildren(el('div', { class: 'estimate' },
          (d.dead_letters || []).length + ' redriven' + ((d.refused || []).length ? ', ' + d.refused.length + ' refused' : '')))) },
      'Redrive all') : null));
  });
}

document.addEventListener('DOMContentLoaded', () => {
  for (const b of document.querySelectorAll('#filters button')) {
    b.addEventListener('click', () => {
      state.status = b.dataset.status;
      document.querySelectorAll('#filters button').forEach((x) => x.classList.toggle('on', x === b));
      refresh();
    });
  }
  $('bulk-form').addEventListener('submit', bulk);
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem('scene-pipeline-token', state.token);
    $('token-form').hidden = true;
    refresh();
  });
  refresh();
  setInterval(refresh, 1000);
});
