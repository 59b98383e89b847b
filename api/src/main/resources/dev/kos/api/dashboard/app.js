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

function table(id, header, rows) {
  const t = $(id);
  t.replaceChildren();
  const head = document.createElement('tr');
  header.forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.append(th); });
  t.append(head);
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('none');
    td.colSpan = header.length;
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

function card(label, value, used, total) {
  const div = document.createElement('div');
  div.className = 'card';
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

async function command(kind, payload) {
  const { status, body } = await api('/api/v1/commands/' + kind, { method: 'POST', body: JSON.stringify(payload) });
  const message = $('message');
  message.className = status === 200 || status === 202 ? 'ok' : 'error';
  message.textContent = body.message || body.reason || JSON.stringify(body);
  refresh();
}

function scaleButtons(app) {
  const span = document.createElement('span');
  const wanted = app.spec.instances;
  [['−', wanted - 1], ['+', wanted + 1]].forEach(([label, n]) => {
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
    const [apps, agents, tasks, jobs, kafka, decisions] = await Promise.all(
      ['apps', 'agents', 'tasks', 'jobs', 'kafka-clusters', 'scale-decisions'].map((p) => api('/api/v1/' + p)));
    const sum = (field, part) => agents.body.reduce((s, a) => s + a[part][field], 0);
    $('overview').replaceChildren(
      card('agents', agents.body.length),
      card('cpus used / total', round(sum('cpus', 'used')) + ' / ' + round(sum('cpus', 'total')),
        sum('cpus', 'used'), sum('cpus', 'total')),
      card('memory MiB used / total', round(sum('mem', 'used')) + ' / ' + round(sum('mem', 'total')),
        sum('mem', 'used'), sum('mem', 'total')),
      card('tasks running', tasks.body.filter((t) => t.state === 'RUNNING').length),
      card('apps', apps.body.length),
      card('jobs', jobs.body.length));
    table('apps', ['app', 'running / wanted', 'role', 'version', 'deployment', 'unplaced', ''],
      apps.body.map((a) => [a.appId, running(a) + ' / ' + (a.removed ? 0 : a.spec.instances), a.spec.role,
        a.version, a.deploymentId, a.unplaced, scaleButtons(a)]));
    table('agents', ['agent', 'host', 'cpus', 'mem MiB', 'limits', 'kill'],
      agents.body.map((a) => [a.agentId, a.hostname, round(a.used.cpus) + ' / ' + round(a.total.cpus),
        round(a.used.mem) + ' / ' + round(a.total.mem), a.limitEnforcement, a.killMethod]));
    table('jobs', ['job', 'runs', 'waiting'], jobs.body.map((j) => [j.jobId, j.runCount, j.waiting]));
    table('kafka', ['cluster', 'brokers'], kafka.body.map((k) => [k.name, JSON.stringify(k.brokers || '')]));
    table('decisions', ['time', 'target', 'from → to', 'reason'], decisions.body.slice(-10).reverse()
      .map((d) => [d.timestamp, d.target, d.from + ' → ' + d.to, d.reason]));
  } catch (e) {
    if (e.message !== 'unauthorized') {
      $('message').className = 'error';
      $('message').textContent = 'could not read the API: ' + e.message;
    }
  }
}

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
