/**
 * The dashboard page of API.md: one campaign's progress and its members board, kept current by the
 * live stream. A plain page with no build step and no dependencies; it holds no data of its own and
 * reads the API with the token the viewer pastes (kept for the browser tab only). Names come from
 * users, so everything is written with textContent, never parsed as HTML.
 */
export const dashboardPage = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Volunteer campaigns</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }
  form { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: 1rem; }
  input { padding: .35rem .5rem; font: inherit; } input[name=token] { flex: 1; min-width: 16rem; }
  .totals { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
  .figure { border: 1px solid #ddd; border-radius: .4rem; padding: .5rem .8rem; min-width: 8rem; }
  .figure b { display: block; font-size: 1.5rem; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
  td, th { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  .bar { background: #c8102e; height: .7rem; border-radius: .2rem; }
  #status { color: #666; } .error { color: #b00020; }
</style>
</head>
<body>
<h1 id="title">Volunteer campaigns</h1>
<form id="settings">
  <input name="campaign" placeholder="campaign id" required>
  <input name="token" placeholder="bearer token (npm run cli -- token --role viewer)" required>
  <button>Show</button>
</form>
<p id="status"></p>
<div class="totals" id="totals"></div>
<h2>By day</h2><table id="days"></table>
<h2>Members by citizens assisted</h2><table id="board"></table>
<script>
const $ = (id) => document.getElementById(id);
const form = $('settings');
const campaignInput = form.elements.namedItem('campaign');
const tokenInput = form.elements.namedItem('token');
const params = new URLSearchParams(location.search);
campaignInput.value = params.get('campaign') || sessionStorage.getItem('campaign') || '';
tokenInput.value = sessionStorage.getItem('token') || '';
let live;

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = 'n';
  return td;
}

function table(el, head, rows) {
  el.replaceChildren();
  const h = el.createTHead().insertRow();
  head.forEach(([text, numeric]) => { const th = document.createElement('th'); th.textContent = text; if (numeric) th.className = 'n'; h.append(th); });
  const body = el.createTBody();
  rows.forEach((values) => { const row = body.insertRow(); values.forEach((v, i) => (v instanceof Node ? row.insertCell().append(v) : cell(row, v, head[i][1]))); });
}

async function get(path, token) {
  const response = await fetch(path, { headers: { authorization: 'Bearer ' + token } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
  return body;
}

async function refresh(campaign, token) {
  try {
    const id = encodeURIComponent(campaign);
    const [p, board] = await Promise.all([
      get('/campaigns/' + id + '/progress', token),
      get('/leaderboards/members?metric=citizensAssisted&limit=20&campaignId=' + id, token),
    ]);
    $('title').textContent = p.name;
    $('totals').replaceChildren(...[
      ['Citizens assisted', p.totals.citizensAssisted], ['Volunteer turns', p.totals.volunteerTurns],
      ['Volunteers', p.totals.distinctVolunteers], ['Hours', p.totals.hours], ['Verified hours', p.totals.verifiedHours],
      ['Outside the window', p.outOfWindow.citizensAssisted],
    ].map(([label, value]) => {
      const goal = Object.entries({ 'Citizens assisted': 'citizensAssisted', 'Volunteer turns': 'volunteerTurns', 'Verified hours': 'verifiedHours' })
        .find(([l]) => l === label);
      const g = goal && p.goals[goal[1]];
      const div = document.createElement('div'); div.className = 'figure';
      const b = document.createElement('b'); b.textContent = value.toLocaleString();
      div.append(b, label + (g ? ' (' + g.percent + ' % of ' + g.target.toLocaleString() + ')' : ''));
      return div;
    }));
    const most = Math.max(1, ...p.byDay.map((d) => d.citizensAssisted));
    table($('days'), [['Day'], ['Citizens', true], ['Turns', true], ['Hours', true], ['']], p.byDay.map((d) => {
      const bar = document.createElement('div'); bar.className = 'bar'; bar.style.width = (100 * d.citizensAssisted / most) + '%';
      return [d.date, d.citizensAssisted.toLocaleString(), d.volunteerTurns, d.hours, bar];
    }));
    table($('board'), [['#', true], ['Member'], ['Unit'], ['Citizens', true]],
      board.entries.map((e) => [e.rank, e.displayName ?? e.memberId, e.unitId, e.value.toLocaleString()]));
    $('status').className = '';
    $('status').textContent = p.timezone + ', ' + p.startDate + ' – ' + p.endDate + ', ' + p.dailyWindow.from + '–' + p.dailyWindow.to + ' · updated ' + new Date().toLocaleTimeString();
  } catch (error) {
    $('status').className = 'error';
    $('status').textContent = error.message;
  }
}

function follow(campaign, token) {
  live?.close();
  let pending;
  // EventSource cannot send headers: the live stream takes the token as access_token.
  live = new EventSource('/events/live?access_token=' + encodeURIComponent(token));
  live.addEventListener('projection', (message) => {
    if (JSON.parse(message.data).projection !== 'volunteer-activity') return;
    clearTimeout(pending);
    pending = setTimeout(() => refresh(campaign, token), 300);
  });
  refresh(campaign, token);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('campaign', campaignInput.value);
  sessionStorage.setItem('token', tokenInput.value);
  follow(campaignInput.value, tokenInput.value);
});
if (campaignInput.value && tokenInput.value) follow(campaignInput.value, tokenInput.value);
</script>
</body>
</html>
`;
