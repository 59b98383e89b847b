// kos dashboard: plain browser JavaScript over the API (docs/api.md). The token stays in this tab's
// sessionStorage and goes in the Authorization header of every request, the event stream's included
// (read with fetch, since EventSource cannot send headers).
'use strict';

const $ = (id) => document.getElementById(id);
// A link may carry the token in its fragment (#token=...), which browsers never send to a server: it is kept
// for this tab and taken out of the address bar.
if (location.hash.startsWith('#token=')) {
  sessionStorage.setItem('kos-token', decodeURIComponent(location.hash.slice(7)));
  history.replaceState(null, '', location.pathname);
}
let token = sessionStorage.getItem('kos-token');

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
  });
  if (response.status === 401) {
    signOut('the token was refused');
    throw new Error('unauthorized');
  }
  const body = await response.json();
  return { status: response.status, body };
}

function signOut(reason) {
  sessionStorage.removeItem('kos-token');
  token = null;
  $('dashboard').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = reason || '';
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null || text === '' ? '-' : String(text);
  return td;
}

// A table by its id, or the element itself.
function table(id, header, rows) {
  const t = typeof id === 'string' ? $(id) : id;
  t.replaceChildren();
  // A table without a header (null) lists fields and their values.
  if (header) {
    const head = document.createElement('tr');
    header.forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.append(th); });
    t.append(head);
  }
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('none');
    td.colSpan = header ? header.length : 2;
    tr.append(td);
    t.append(tr);
  }
  rows.forEach((row) => {
    const tr = document.createElement('tr');
    row.forEach((value) => tr.append(value instanceof Node ? wrap(value) : cell(value)));
    t.append(tr);
  });
}

function wrap(node) {
  const td = document.createElement('td');
  td.append(node);
  return td;
}

// A card carries its key in data-card, for scripts and the browser tests to find it.
function card(key, label, value, used, total) {
  const div = document.createElement('div');
  div.className = 'card';
  div.dataset.card = key;
  div.innerHTML = '<span></span><b></b>';
  div.querySelector('span').textContent = label;
  div.querySelector('b').textContent = value;
  if (total) {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.innerHTML = '<i></i>';
    bar.querySelector('i').style.width = Math.min(100, (100 * used) / total) + '%';
    div.append(bar);
  }
  return div;
}

const round = (x) => Math.round(x * 100) / 100;
const running = (app) => app.instances.filter((i) => i.state === 'RUNNING').length;
const wanted = (app) => (app.removed ? 0 : app.spec.instances);

// Pages are addressed by the fragment: #/ is the overview, #/apps/team-a/web the app /team-a/web, #/tasks the
// tasks, #/tasks/ID one task with its output, #/jobs the jobs, #/kafka the Kafka clusters.
function route() {
  const app = location.hash.match(/^#\/apps(\/.+)$/);
  if (app) {
    return { page: 'app', app: decodeURIComponent(app[1]) };
  }
  const task = location.hash.match(/^#\/tasks\/(.+)$/);
  if (task) {
    return { page: 'task', task: decodeURIComponent(task[1]) };
  }
  const page = { '#/tasks': 'tasks', '#/jobs': 'jobs', '#/kafka': 'kafka' }[location.hash];
  return { page: page || 'overview' };
}

const PAGES = { overview: 'overview-page', app: 'app-page', tasks: 'tasks-page', task: 'task-page',
  jobs: 'jobs-page', kafka: 'kafka-page' };

function taskLink(taskId) {
  const a = document.createElement('a');
  a.href = '#/tasks/' + encodeURIComponent(taskId);
  a.textContent = taskId;
  return a;
}

function appLink(appId) {
  const a = document.createElement('a');
  a.href = '#/apps' + appId;
  a.textContent = appId;
  return a;
}

// An app id in an API path: /team-a/web is /api/v1/apps/team-a/web.
const appPath = (appId) => '/api/v1/apps' + appId.split('/').map(encodeURIComponent).join('/');

async function command(kind, payload) {
  const { status, body } = await api('/api/v1/commands/' + kind, { method: 'POST', body: JSON.stringify(payload) });
  const message = $('message');
  message.className = status === 200 || status === 202 ? 'ok' : 'error';
  message.textContent = body.message || body.reason || JSON.stringify(body);
  refresh();
  return status;
}

function scaleButtons(app) {
  const span = document.createElement('span');
  const now = app.spec.instances;
  [['−', now - 1], ['+', now + 1]].forEach(([label, n]) => {
    const b = document.createElement('button');
    b.textContent = label;
    b.title = 'scale to ' + n;
    b.dataset.action = 'scale' + label;
    b.disabled = n < 0;
    b.onclick = () => command('ScaleApp', { appId: app.appId, instances: n });
    span.append(b, ' ');
  });
  const restart = document.createElement('button');
  restart.textContent = 'restart';
  restart.onclick = () => command('RestartApp', { appId: app.appId });
  span.append(restart);
  return span;
}

async function refresh() {
  try {
    const page = route();
    Object.entries(PAGES).forEach(([name, id]) => { $(id).hidden = name !== page.page; });
    const render = { overview: renderOverview, app: () => renderApp(page.app), tasks: renderTasks,
      task: () => renderTask(page.task), jobs: renderJobs, kafka: renderKafka }[page.page];
    await render();
  } catch (e) {
    if (e.message !== 'unauthorized') {
      $('message').className = 'error';
      $('message').textContent = 'could not read the API: ' + e.message;
    }
  }
}

async function renderOverview() {
  const [apps, agents, tasks, jobs, kafka, decisions] = await Promise.all(
    ['apps', 'agents', 'tasks', 'jobs', 'kafka-clusters', 'scale-decisions'].map((p) => api('/api/v1/' + p)));
  const sum = (field, part) => agents.body.reduce((s, a) => s + a[part][field], 0);
  $('overview').replaceChildren(
    card('agents', 'agents', agents.body.length),
    card('cpus', 'cpus used / total', round(sum('cpus', 'used')) + ' / ' + round(sum('cpus', 'total')),
      sum('cpus', 'used'), sum('cpus', 'total')),
    card('mem', 'memory MiB used / total', round(sum('mem', 'used')) + ' / ' + round(sum('mem', 'total')),
      sum('mem', 'used'), sum('mem', 'total')),
    card('tasks', 'tasks running', tasks.body.filter((t) => t.state === 'RUNNING').length),
    card('apps', 'apps', apps.body.length),
    card('jobs', 'jobs', jobs.body.length));
  table('apps', ['app', 'running / wanted', 'role', 'version', 'deployment', 'unplaced', ''],
    apps.body.map((a) => [appLink(a.appId), running(a) + ' / ' + wanted(a), a.spec.role,
      a.version, a.deploymentId, a.unplaced, scaleButtons(a)]));
  table('agents', ['agent', 'host', 'cpus', 'mem MiB', 'limits', 'kill'],
    agents.body.map((a) => [a.agentId, a.hostname, round(a.used.cpus) + ' / ' + round(a.total.cpus),
      round(a.used.mem) + ' / ' + round(a.total.mem), a.limitEnforcement, a.killMethod]));
  table('jobs', ['job', 'runs', 'waiting'], jobs.body.map((j) => [j.jobId, j.runCount, j.waiting]));
  table('kafka', ['cluster', 'brokers'], kafka.body.map((k) => [k.name, JSON.stringify(k.brokers || '')]));
  table('decisions', ['time', 'target', 'from → to', 'reason'], decisions.body.slice(-10).reverse()
    .map((d) => [d.timestamp, d.target, d.from + ' → ' + d.to, d.reason]));
}

async function renderApp(appId) {
  const [app, decisions] = await Promise.all([api(appPath(appId)),
    api('/api/v1/scale-decisions?target=' + encodeURIComponent(appId))]);
  $('app-title').textContent = appId;
  const found = app.status === 200;
  $('app-missing').textContent = found ? '' : app.body.reason;
  $('scale-form').hidden = !found;
  if (!found) {
    ['app-cards', 'app-spec', 'app-instances', 'app-decisions'].forEach((id) => $(id).replaceChildren());
    return;
  }
  const a = app.body;
  shown = a;
  const healthy = a.instances.filter((i) => i.healthChecked && i.healthy).length;
  $('app-cards').replaceChildren(
    card('running', 'running', running(a)),
    card('wanted', 'wanted', wanted(a)),
    card('healthy', 'healthy', a.spec.healthChecks.length ? healthy : '-'),
    card('deployment', 'deployment', a.deploymentId ? 'in progress' : 'none'));
  // A number the user typed stays until it is sent; otherwise the field follows the app.
  if (!editing) {
    $('scale-instances').value = wanted(a);
  }
  const hostPorts = (host, ports) => host + (ports.length ? ':' + ports.join(',') : '');
  const endpoints = a.endpoints ? a.endpoints.endpoints.map((e) => hostPorts(e.host, e.ports)).join('  ') : '';
  table('app-spec', null, [
    ['command', a.spec.cmd || (a.spec.argv || []).join(' ')],
    ['role', a.spec.role],
    ['resources', a.spec.cpus + ' cpus, ' + a.spec.mem + ' MiB'],
    ['version', a.version],
    ['deployment', a.deploymentId],
    ['unplaced', a.unplaced],
    ['endpoints', endpoints],
    ['updated', a.updatedAt]]);
  const instances = $('app-instances');
  table('app-instances', ['instance', 'state', 'healthy', 'agent', 'host:ports', 'attempt', 'launched'],
    a.instances.map((i) => [i.instanceId, i.state, i.healthChecked ? (i.healthy ? 'yes' : 'no') : '-', i.agentId,
      hostPorts(i.hostname, i.ports), i.attempt, i.launchedAt]));
  // Each row says which instance it is and its state, for scripts and the browser tests.
  a.instances.forEach((i, n) => {
    const row = instances.rows[n + 1];
    row.dataset.instance = i.instanceId;
    row.dataset.state = i.state;
    row.dataset.agent = i.agentId;
  });
  table('app-decisions', ['time', 'from → to', 'reason'], decisions.body.slice(-10).reverse()
    .map((d) => [d.timestamp, d.from + ' → ' + d.to, d.reason]));
  await requestsChart(appId);
}

// Requests per hour over the last 24 hours from the analytics rollups (/api/v1/analytics/requests): one bar per
// hour, its 5xx part in red. Without rollups (no Cassandra, no rollup yet) the note says why.
const HOUR_MS = 3600 * 1000;
async function requestsChart(appId) {
  const svg = $('app-requests');
  const note = $('app-requests-note');
  const answer = await api('/api/v1/analytics/requests?granularity=hour&from=-24h&app=' + encodeURIComponent(appId));
  svg.replaceChildren();
  if (answer.status !== 200) {
    svg.dataset.total = '';
    note.textContent = 'no rollups: ' + answer.body.reason;
    return;
  }
  const first = Math.floor(Date.parse(answer.body.from) / HOUR_MS) * HOUR_MS;
  const last = Math.floor((Date.parse(answer.body.to) - 1) / HOUR_MS) * HOUR_MS;
  const byHour = new Map(answer.body.buckets.map((b) => [Date.parse(b.start), b]));
  const hours = [];
  for (let h = first; h <= last; h += HOUR_MS) {
    hours.push(h);
  }
  const max = Math.max(1, ...answer.body.buckets.map((b) => b.requests));
  const width = 600 / hours.length;
  const top = 10;
  const height = 110;
  const add = (name, attributes, text) => {
    const node = document.createElementNS('http://www.w3.org/2000/svg', name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  };
  let total = 0;
  hours.forEach((h, n) => {
    const bucket = byHour.get(h);
    const requests = bucket ? bucket.requests : 0;
    const errors = bucket ? bucket.status['5xx'] : 0;
    total += requests;
    const x = n * width + 1;
    const barHeight = height * requests / max;
    const bar = add('rect', { class: 'bar', x, y: top + height - barHeight, width: Math.max(1, width - 2),
      height: barHeight, 'data-hour': new Date(h).toISOString(), 'data-requests': requests });
    bar.append(add('title', {}, new Date(h).toISOString().slice(0, 13) + 'h: ' + requests + ' requests, '
      + errors + ' 5xx' + (bucket && bucket.latencyMs.p99 !== null ? ', p99 ' + bucket.latencyMs.p99 + ' ms' : '')));
    svg.append(bar);
    if (errors > 0) {
      const errorHeight = height * errors / max;
      svg.append(add('rect', { class: 'bar5xx', x, y: top + height - errorHeight, width: Math.max(1, width - 2),
        height: errorHeight }));
    }
    if (n % 6 === 0) {
      svg.append(add('text', { x, y: top + height + 14 }, new Date(h).toISOString().slice(11, 16)));
    }
  });
  svg.append(add('line', { x1: 0, x2: 600, y1: top + height, y2: top + height }));
  svg.append(add('text', { x: 4, y: top + 2 }, 'max ' + max + ' requests/h'));
  svg.dataset.total = String(total);
  note.textContent = total + ' requests in ' + hours.length + ' hours (UTC), from the hourly rollups';
}

async function renderTasks() {
  const tasks = await api('/api/v1/tasks');
  const t = $('tasks-table');
  table('tasks-table', ['task', 'app', 'state', 'agent', 'framework', 'cpus', 'mem MiB', 'updated', 'message'],
    tasks.body.map((k) => [taskLink(k.taskId), k.appId, k.state, k.agentId, k.frameworkId,
      k.resources ? round(k.resources.cpus) : '', k.resources ? round(k.resources.mem) : '', k.timestamp, k.message]));
  tasks.body.forEach((k, n) => {
    t.rows[n + 1].dataset.task = k.taskId;
    t.rows[n + 1].dataset.state = k.state;
  });
}

// A task's page: its latest status, and its output, polled while the page is open (a live tail).
async function renderTask(taskId) {
  const tasks = await api('/api/v1/tasks');
  const task = tasks.body.find((k) => k.taskId === taskId);
  $('task-title').textContent = taskId;
  table('task-fields', null, task ? [['app', task.appId], ['state', task.state], ['agent', task.agentId],
    ['framework', task.frameworkId], ['exit code', task.exitCode], ['message', task.message],
    ['updated', task.timestamp]] : [['state', 'not in kos.tasks']]);
  $('task-fields').dataset.state = task ? task.state : '';
  await tailLog(taskId);
}

async function tailLog(taskId) {
  const logs = await api('/api/v1/logs?task=' + encodeURIComponent(taskId) + '&tail=200');
  if (route().task !== taskId) {
    return; // the user went elsewhere meanwhile
  }
  const pre = $('task-log');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.replaceChildren(...(logs.body.lines || []).map((l) => {
    const div = document.createElement('div');
    div.className = String(l.stream).toLowerCase();
    div.dataset.seq = l.seq;
    div.textContent = l.line;
    return div;
  }));
  pre.dataset.lines = String((logs.body.lines || []).length);
  if (logs.status !== 200) {
    pre.textContent = logs.body.reason;
  }
  if (atBottom) {
    pre.scrollTop = pre.scrollHeight;
  }
}

// The tail follows the task's output every 2 s while its page is open.
setInterval(() => {
  const page = route();
  if (token && page.page === 'task') {
    tailLog(page.task).catch(() => {});
  }
}, 2000);

async function renderJobs() {
  const jobs = await api('/api/v1/jobs');
  const t = $('jobs-table');
  table('jobs-table', ['job', 'command', 'role', 'schedule', 'runs', 'last run', 'state', 'next run', 'why it waits'],
    jobs.body.map((j) => {
      const last = j.runs.length ? j.runs[j.runs.length - 1] : null;
      return [j.jobId, j.spec.cmd || (j.spec.argv || []).join(' '), j.spec.role, j.spec.schedule, j.runCount,
        last ? last.runId : '', last ? last.state : '', j.nextRunAt, j.waiting];
    }));
  jobs.body.forEach((j, n) => {
    t.rows[n + 1].dataset.job = j.jobId;
    t.rows[n + 1].dataset.waiting = j.waiting || '';
  });
}

const bytes = (n) => (n === undefined || n === null ? '-'
  : n >= 1048576 ? round(n / 1048576) + ' MiB' : n >= 1024 ? round(n / 1024) + ' KiB' : round(n) + ' B');

// Each cluster: its release, brokers and rebalance (kos.kafka-clusters), and each broker's latest sample
// (kos.metrics: bytes in and out per second and in all, partitions, leaders).
async function renderKafka() {
  const clusters = await api('/api/v1/kafka-clusters');
  const traffic = await Promise.all(clusters.body.map((c) =>
    api('/api/v1/kafka-clusters/' + encodeURIComponent(c.name) + '/traffic')));
  const parts = clusters.body.map((c, n) => {
    const div = document.createElement('div');
    div.dataset.cluster = c.name;
    const healthy = c.brokers.filter((b) => b.healthy).length;
    const h = document.createElement('h3');
    h.textContent = c.name + ' — Kafka ' + (c.version || '-') + ', ' + healthy + '/' + c.brokers.length
      + ' brokers healthy, rebalance ' + c.rebalance + ', config v' + c.configVersion;
    const t = document.createElement('table');
    t.id = 'kafka-' + c.name;
    div.append(h, t);
    const samples = new Map((traffic[n].body.brokers || []).map((b) => [b.nodeId, b.sample]));
    const rows = c.brokers.map((b) => {
      const s = (samples.get(b.nodeId) || { values: {} }).values;
      const where = b.placement ? b.placement.agentId + ' (' + b.placement.hostname + ')' : '-';
      return [b.nodeId, b.phase, where, b.healthy === null ? '-' : (b.healthy ? 'yes' : 'no'),
        bytes(s.bytesInPerSec) + '/s', bytes(s.bytesOutPerSec) + '/s', bytes(s.bytesIn), bytes(s.bytesOut),
        s.partitions, s.leaders];
    });
    table(t, ['broker', 'phase', 'agent', 'healthy', 'in', 'out', 'in, all', 'out, all', 'partitions', 'leaders'],
      rows);
    c.brokers.forEach((b, i) => {
      const s = (samples.get(b.nodeId) || { values: {} }).values;
      t.rows[i + 1].dataset.broker = b.nodeId;
      t.rows[i + 1].dataset.bytesIn = s.bytesIn === undefined ? '' : String(s.bytesIn);
      t.rows[i + 1].dataset.bytesOut = s.bytesOut === undefined ? '' : String(s.bytesOut);
    });
    return div;
  });
  $('kafka-clusters').replaceChildren(...(parts.length ? parts : [document.createTextNode('no Kafka clusters')]));
}

// The app the app page shows, for its buttons, and whether the user is typing a number of instances.
let shown = null;
let editing = false;

$('scale-instances').oninput = () => { editing = true; };
$('scale-form').onsubmit = (e) => {
  e.preventDefault();
  const n = Number($('scale-instances').value);
  editing = false;
  command('ScaleApp', { appId: shown.appId, instances: n });
};
$('restart-button').onclick = () => command('RestartApp', { appId: shown.appId });
window.addEventListener('hashchange', () => {
  $('message').textContent = '';
  editing = false;
  refresh();
});

let pending = null;
function refreshSoon() {
  if (!pending) {
    pending = setTimeout(() => { pending = null; refresh(); }, 250);
  }
}

async function follow() {
  while (token) {
    try {
      const response = await fetch('/api/v1/events', {
        headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'text/event-stream' },
      });
      if (!response.ok) {
        throw new Error('status ' + response.status);
      }
      $('live').textContent = 'live';
      $('live').className = 'badge on';
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) {
            const event = JSON.parse(data);
            const li = document.createElement('li');
            li.textContent = event.timestamp + '  ' + event.target + '  ' + event.kind + '  ' + event.message;
            $('events').prepend(li);
            while ($('events').children.length > 50) {
              $('events').lastChild.remove();
            }
            refreshSoon();
          }
        }
      }
    } catch (e) {
      // reconnect below
    }
    $('live').textContent = 'offline';
    $('live').className = 'badge';
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function start() {
  const me = await api('/api/v1/whoami');
  $('who').textContent = me.body.principal + ' (' + me.body.grants.join(', ') + ')';
  $('login').hidden = true;
  $('dashboard').hidden = false;
  await refresh();
  follow();
  // Events drive the page; this also catches a view that changed after the event that announced it was read.
  setInterval(() => { if (token) { refreshSoon(); } }, 10000);
}

$('login-form').onsubmit = (e) => {
  e.preventDefault();
  token = $('token').value.trim();
  sessionStorage.setItem('kos-token', token);
  start().catch(() => {});
};

if (token) {
  start().catch(() => {});
} else {
  signOut();
}
