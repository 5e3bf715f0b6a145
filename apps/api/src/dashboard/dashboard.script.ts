/**
 * The dashboard's script (served as /dashboard/app.js; the CSP allows no inline script). Written as
 * plain ES2020 for any current browser, with no template literals so that it can live in this string.
 *
 * Token handling: a link `/dashboard?campaign=<id>#token=<jwt>` signs the tab in (the fragment never
 * reaches the server); the page moves the token into sessionStorage and clears it from the address
 * bar. A red banner says the figures are stale when the token expires, a read is refused or the
 * live stream drops; the stream's `ready` message (it listens from then on) clears it and reads again.
 */
export const dashboardScript = String.raw`
'use strict';
var TEXT = {
  vi: {
    appTitle: 'Bảng theo dõi chiến dịch', campaign: 'Chiến dịch', campaignId: 'Mã chiến dịch', choose: '— chọn —',
    token: 'Mã truy cập (token người xem)', show: 'Hiển thị', goals: 'Tiến độ so với chỉ tiêu',
    perDay: 'Lượt người dân được hỗ trợ theo ngày (cộng dồn)', byService: 'Theo loại dịch vụ',
    byUnit: 'Theo đơn vị trực thuộc', byUnitNote: 'Toàn bộ lượt hỗ trợ của mỗi đơn vị và các chi đoàn trực thuộc, kể cả ngoài chiến dịch này.',
    unitsMore: function (n) { return 'Chỉ hiện ' + n + ' đơn vị có nhiều lượt hỗ trợ nhất.'; },
    members: 'Đoàn viên hỗ trợ nhiều người dân nhất',
    citizensAssisted: 'Lượt người dân được hỗ trợ', volunteerTurns: 'Lượt đoàn viên tham gia', distinctVolunteers: 'Đoàn viên',
    hours: 'Giờ tình nguyện', verifiedHours: 'Giờ đã xác nhận',
    outside: function (o) { return 'Ngoài khung giờ chiến dịch: ' + o.citizens + ' lượt người dân (' + o.events + ' lần hỗ trợ) và ' + o.shifts + ' ca trực — ghi nhận riêng, không tính vào tiến độ.'; },
    none: 'Chưa có số liệu.', day: 'Ngày', daily: 'Trong ngày', cumulative: 'Cộng dồn', turns: 'Lượt ĐV', rank: 'Hạng', member: 'Đoàn viên', unit: 'Đơn vị',
    citizens: 'Người dân', goalLine: 'Chỉ tiêu', of: 'trên', updated: 'cập nhật lúc', closed: 'đã kết thúc, không nhận thêm ca trực',
    staleExpired: 'Mã truy cập đã hết hạn: số liệu không còn được cập nhật. Hãy mở lại đường dẫn có mã mới.',
    staleRefused: 'Mã truy cập không được chấp nhận (không hợp lệ hoặc đã bị thu hồi): số liệu không còn được cập nhật. Hãy mở lại đường dẫn có mã mới.',
    staleStream: 'Mất kết nối trực tiếp: số liệu có thể đã cũ. Đang thử kết nối lại…',
    staleRead: 'Không đọc được số liệu: ',
    snapshotNotReady: 'Ảnh chụp số liệu chưa sẵn sàng, trang sẽ tự đọc lại sau ít giây: ',
    badCampaign: 'Mã chiến dịch không hợp lệ: chỉ gồm chữ cái, chữ số và các dấu . _ : - (tối đa 100 ký tự).',
    unknownCampaign: 'Không có chiến dịch nào mang mã trong đường dẫn này (hoặc số liệu của nó chưa sẵn sàng). Hãy chọn một chiến dịch trong danh sách.',
    unknownSnapshot: 'Không có ảnh chụp số liệu nào mang mã trong đường dẫn này.',
    erased: '(đã xoá)',
    snapshot: function (id, bound) { return 'Ảnh chụp số liệu "' + id + '" tính đến ' + bound + ': số liệu của quá khứ, không cập nhật trực tiếp.'; },
    outreach: 'Chương trình và kỹ năng số của đơn vị', outreachNote: 'Đơn vị tổ chức chiến dịch và các đơn vị trực thuộc, mọi thời điểm; tỷ lệ trên số đoàn viên hiện có.',
    programmes: 'Chương trình, tập huấn, cuộc thi', attendeeMembers: 'Lượt đoàn viên tham dự', attendeeCitizens: 'Lượt người dân tham dự',
    skillNames: { vneid_level2: 'Định danh điện tử mức 2 (VNeID)', digital_signature: 'Chữ ký số', public_service_account: 'Tài khoản Cổng Dịch vụ công', party_handbook_app: 'Sổ tay đảng viên điện tử' },
    services: { eid_activation: 'Kích hoạt định danh điện tử (VNeID)', public_service_account: 'Tài khoản Cổng Dịch vụ công', online_public_service: 'Dịch vụ công trực tuyến', digital_signature: 'Chữ ký số', app_install: 'Cài đặt ứng dụng', chip_id_card: 'Căn cước gắn chip', party_card_replacement: 'Đổi thẻ đảng viên', household_review: 'Rà soát hộ gia đình', e_payment: 'Thanh toán điện tử', other: 'Khác' },
  },
  en: {
    appTitle: 'Campaign dashboard', campaign: 'Campaign', campaignId: 'Campaign id', choose: '— choose —',
    token: 'Access token (viewer)', show: 'Show', goals: 'Progress towards the goals',
    perDay: 'Citizens assisted per day (cumulative)', byService: 'By service', byUnit: 'By unit',
    byUnitNote: "Each unit's whole subtree, all of its assistance, including outside this campaign.",
    unitsMore: function (n) { return 'Only the ' + n + ' units with the most citizens assisted are shown.'; },
    members: 'Members who assisted the most citizens',
    citizensAssisted: 'Citizens assisted', volunteerTurns: 'Volunteer turns', distinctVolunteers: 'Volunteers',
    hours: 'Volunteer hours', verifiedHours: 'Verified hours',
    outside: function (o) { return 'Outside the campaign window: ' + o.citizens + ' citizens (' + o.events + ' assists) and ' + o.shifts + ' shifts, kept apart and not counted towards progress.'; },
    none: 'No figures yet.', day: 'Day', daily: 'That day', cumulative: 'Cumulative', turns: 'Turns', rank: 'Rank', member: 'Member', unit: 'Unit',
    citizens: 'Citizens', goalLine: 'Goal', of: 'of', updated: 'updated at', closed: 'closed, taking no more shifts',
    staleExpired: 'The access token has expired: the figures are no longer updated. Open the link again with a new token.',
    staleRefused: 'The access token is refused (not valid, or revoked): the figures are no longer updated. Open the link again with a new token.',
    staleStream: 'The live connection dropped: the figures may be stale. Reconnecting…',
    staleRead: 'The figures could not be read: ',
    snapshotNotReady: 'The snapshot is not ready yet; the page reads it again in a few seconds: ',
    badCampaign: 'Not a campaign id: up to 100 letters, digits, ".", "_", ":" or "-".',
    unknownCampaign: "No campaign has the id in this link (or its figures are not ready yet). Choose one from the list.",
    unknownSnapshot: 'No snapshot has the id in this link.',
    erased: '(erased)',
    snapshot: function (id, bound) { return 'Snapshot "' + id + '" as of ' + bound + ': figures of the past, not updated live.'; },
    outreach: "The unit's programmes and digital skills", outreachNote: 'The unit that launched the campaign and every unit below it, all time; shares of its current members.',
    programmes: 'Programmes, trainings, contests', attendeeMembers: 'Member attendances', attendeeCitizens: 'Citizen attendances',
    skillNames: { vneid_level2: 'Electronic ID level 2 (VNeID)', digital_signature: 'Digital signature', public_service_account: 'Public-service portal account', party_handbook_app: 'Party-member handbook app' },
    services: { eid_activation: 'Electronic ID activation (VNeID)', public_service_account: 'Public-service portal account', online_public_service: 'Online public service', digital_signature: 'Digital signature', app_install: 'App installation', chip_id_card: 'Chip ID card', party_card_replacement: 'Party-card replacement', household_review: 'Household review', e_payment: 'Electronic payment', other: 'Other' },
  },
};
var $ = function (id) { return document.getElementById(id); };
// The most units the leaderboard lists in one answer (API.md's limit, at most 500).
var UNITS_LISTED = 500;
var form = $('settings');
var lang = localStorage.getItem('lang') === 'en' ? 'en' : 'vi';
var live, expiry, last, followed;

// A token in the link signs the tab in, then leaves the address bar and the tab's history. The
// fragment (#token=) is where API.md puts it, since it never reaches the server; a link written with
// it in the query (?access_token=, as the live stream takes it, or ?token=) has sent it already, and
// the page still takes it out of the address, where it would be bookmarked, copied and passed on.
(function takeTokenFromLink() {
  var hash = new URLSearchParams(location.hash.slice(1)), query = new URLSearchParams(location.search);
  var token = (hash.get('token') || query.get('access_token') || query.get('token') || '').trim();
  if (!hash.get('token') && !query.has('access_token') && !query.has('token')) return;
  if (token) sessionStorage.setItem('token', token);
  query.delete('access_token');
  query.delete('token');
  var search = query.toString();
  history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
})();
var params = new URLSearchParams(location.search);
form.elements.campaign.value = params.get('campaign') || sessionStorage.getItem('campaign') || '';
// ?snapshot=<id>: the figures as of an operator's snapshot (API.md "Snapshots"), never live.
var snapshot = params.get('snapshot');
function at(path) { return snapshot ? path + (path.includes('?') ? '&' : '?') + 'snapshot=' + encodeURIComponent(snapshot) : path; }
form.elements.token.value = sessionStorage.getItem('token') || '';

function t(key) { return TEXT[lang][key]; }
// The label of a service or skill code, or the code itself: only the table's own entries, since a
// skill is any lower_snake_case code, and "constructor" would read as what every object inherits.
function label(names, code) { return Object.prototype.hasOwnProperty.call(names, code) ? names[code] : code; }
// One formatter per language (and zone), kept: building one costs far more than using it, and a
// campaign may last as long as the API allows (a century of days, each labelled and counted on every
// render). Dates are the campaign's own (YYYY-MM-DD), read as UTC days so no zone moves them.
var formats = {};
var FORMATS = {
  num: { maximumFractionDigits: 1 },
  day: { day: '2-digit', month: '2-digit', timeZone: 'UTC' },
  date: { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  instant: { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
};
function format(kind, zone) {
  var key = kind + lang + (zone || ''), locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  if (!formats[key]) formats[key] = kind === 'num' ? new Intl.NumberFormat(locale, FORMATS.num)
    : new Intl.DateTimeFormat(locale, zone ? Object.assign({ timeZone: zone }, FORMATS[kind]) : FORMATS[kind]);
  return formats[key];
}
function num(n) { return format('num').format(n); }
function dayLabel(date, kind) { return format(kind || 'day').format(new Date(date + 'T00:00:00Z')); }
// An instant on the campaign's clock: the status line names the campaign's zone, and a wall screen's
// browser is often left on UTC (seven hours off in Viet Nam). A zone this browser does not know (one
// an older gate let in) falls back to the browser's own.
function clock(instant, kind, zone) {
  try { return format(kind, zone).format(new Date(instant)); } catch (error) { return format(kind).format(new Date(instant)); }
}
// The day (YYYY-MM-DD) an instant falls on in a zone, as the campaign's days are written; a zone this
// browser does not know falls back to UTC.
function dayOf(instant, zone) {
  var parts;
  try { parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant)); }
  catch (error) { return new Date(instant).toISOString().slice(0, 10); }
  var part = function (type) { return parts.find(function (x) { return x.type === type; }).value; };
  return part('year') + '-' + part('month') + '-' + part('day');
}
// A name someone typed, set beside other text in one line (a picker option cannot hold elements):
// isolated (FSI … PDI), so that a right-to-left override left open in it cannot turn around the
// text that follows, such as the unit name after a campaign's.
function isolate(text) { return '\u2068' + text + '\u2069'; }
function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function svg(tag, attrs) {
  var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
  return node;
}
// Rows are appended as elements, not with insertRow(), which walks the rows already there: a campaign
// as long as the API allows (a century of days) took Chromium over ten seconds per render.
function table(node, head, rows) {
  var h = el('tr'), body = el('tbody');
  head.forEach(function (c) { h.append(el('th', c[1] ? 'n' : '', c[0])); });
  rows.forEach(function (values) {
    body.append(el('tr'));
    values.forEach(function (v, i) { body.lastChild.append(el('td', head[i][1] ? 'n' : '', v)); });
  });
  var thead = el('thead');
  thead.append(h);
  node.replaceChildren(thead, body);
}
function bar(fraction, done) {
  var track = el('div', 'track');
  var fill = el('div', 'fill' + (done ? ' done' : ''));
  fill.style.width = Math.max(0, Math.min(100, fraction * 100)) + '%';
  track.append(fill);
  return track;
}
// What the red banner says, as the key of its text and the server's words after it (none: hidden),
// kept to say it again when the reader switches language.
var banner;
function stale(key, detail) {
  banner = key ? [key, detail || ''] : null;
  $('stale').hidden = !banner;
  $('stale').textContent = banner ? t(key) + banner[1] : '';
}
function applyLanguage() {
  document.documentElement.lang = lang;
  // Named by what it shows (WCAG 2.5.3, a voice-control user says what they see), in the language
  // it offers, so that a screen reader says "English" with an English voice.
  $('lang').textContent = lang === 'vi' ? 'English' : 'Tiếng Việt';
  $('lang').lang = lang === 'vi' ? 'en' : 'vi';
  document.querySelectorAll('[data-i18n]').forEach(function (node) { node.textContent = t(node.dataset.i18n); });
  if (banner) stale(banner[0], banner[1]);
  document.title = t('appTitle');
  if (last) render(last);
}

// An answer that is not JSON (a reverse proxy's own error page, 502 while the API restarts behind it,
// or a captive portal's) is told by its status, not by the parse error it would throw.
async function get(path, token) {
  var response = await fetch(path, { headers: { authorization: 'Bearer ' + token } });
  var body = await response.json().catch(function () { return null; });
  if (!response.ok || !body) {
    var e = new Error((body && (body.detail || body.title)) || (response.status + ' ' + response.statusText).trim());
    e.status = response.status;
    e.code = body && body.code;
    e.retryAfter = Number(response.headers.get('retry-after')) || 0;
    throw e;
  }
  return body;
}

function renderChart(p) {
  var days = p.byDay, goal = p.goals.citizensAssisted ? p.goals.citizensAssisted.target : 0;
  var total = 0, cumulative = days.map(function (d) { total += d.citizensAssisted; return total; });
  // The days still to come have no running total: drawn, it ran flat to the window's end, which on
  // a wall screen read as days nobody worked. It stops at the campaign's today (a snapshot's day).
  var today = dayOf(p.snapshot && p.snapshot.toTime ? p.snapshot.toTime : Date.now(), p.timezone);
  var past = days.filter(function (d) { return d.date <= today; }).length;
  // Drawn at the width it is shown at, so that its labels keep their size on a phone.
  var W = Math.max(300, Math.min(960, $('chart').clientWidth || 640)), H = 240, bottom = 24, top = 12, right = 8;
  var top_ = Math.max(1, goal, total) * 1.05;
  // Whole figures, each drawn at its own height: half of a top of 1 or 3, rounded and drawn at the
  // half, read "0, 1, 1" on a campaign with no figures yet and put a 2 where 1.5 lies.
  var ticks = [0, 0.5, 1].map(function (f) { return Math.round(top_ * f / 1.05); })
    .filter(function (v, i, all) { return all.indexOf(v) === i; })
    .map(function (v) { return [v, num(v)]; });
  // Room left of the axis for its widest figure ("123.456" and up cut off at a fixed 40): 11 px
  // digits and separators are under 7 px wide.
  var left = Math.max(40, 12 + 7 * Math.max.apply(null, ticks.map(function (k) { return k[1].length; })));
  var step = (W - left - right) / Math.max(1, days.length);
  var y = function (v) { return H - bottom - (v / top_) * (H - bottom - top); };
  var chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': t('perDay') });
  chart.append(svg('line', { class: 'axis', x1: left, y1: H - bottom, x2: W - right, y2: H - bottom }));
  ticks.forEach(function (k) {
    var label = svg('text', { x: left - 6, y: y(k[0]) + 4, 'text-anchor': 'end' });
    label.textContent = k[1];
    chart.append(label);
  });
  days.forEach(function (d, i) {
    var h = (H - bottom) - y(d.citizensAssisted);
    chart.append(svg('rect', { class: 'day', x: left + i * step + step * 0.15, y: y(d.citizensAssisted), width: step * 0.7, height: Math.max(0, h) }));
    var every = Math.ceil(days.length / 8);
    if (i % every === 0) {
      var label = svg('text', { x: left + i * step + step / 2, y: H - 6, 'text-anchor': 'middle' });
      label.textContent = dayLabel(d.date);
      chart.append(label);
    }
  });
  if (past) {
    chart.append(svg('polyline', { class: 'cum', points: cumulative.slice(0, past).map(function (v, i) { return (left + i * step + step / 2) + ',' + y(v); }).join(' ') }));
  }
  if (goal) {
    chart.append(svg('line', { class: 'goal-line', x1: left, y1: y(goal), x2: W - right, y2: y(goal) }));
    var g = svg('text', { x: W - right, y: y(goal) - 4, 'text-anchor': 'end' });
    g.textContent = t('goalLine') + ' ' + num(goal);
    chart.append(g);
  }
  $('chart').replaceChildren(chart);
  table($('days'), [[t('day')], [t('daily'), true], [t('cumulative'), true], [t('turns'), true]],
    days.map(function (d, i) { return [dayLabel(d.date), num(d.citizensAssisted), i < past ? num(cumulative[i]) : '', num(d.volunteerTurns)]; }));
}

function render(data) {
  var p = data.progress, keys = ['citizensAssisted', 'volunteerTurns', 'distinctVolunteers', 'hours', 'verifiedHours'];
  $('title').textContent = p.name;
  // the tab's, the bookmark's and the window list's name, told apart on a screen with several open
  document.title = isolate(p.name) + ' — ' + t('appTitle');
  $('totals').replaceChildren.apply($('totals'), keys.map(function (k) {
    var div = el('div', 'figure');
    div.dataset.figure = k;
    div.append(el('b', '', num(p.totals[k])), el('span', '', t(k)));
    return div;
  }));
  var o = p.outOfWindow;
  $('outside').textContent = o.assistanceEvents || o.shifts
    ? t('outside')({ citizens: num(o.citizensAssisted), events: num(o.assistanceEvents), shifts: num(o.shifts) }) : '';
  var goals = ['citizensAssisted', 'volunteerTurns', 'verifiedHours'].filter(function (k) { return p.goals[k]; });
  $('goals').replaceChildren.apply($('goals'), goals.length ? goals.map(function (k) {
    var g = p.goals[k], div = el('div', 'goal'), label = el('div', 'label');
    label.append(el('span', '', t(k)), el('span', '', num(g.reached) + ' ' + t('of') + ' ' + num(g.target) + ' (' + num(g.percent) + ' %)'));
    div.append(label, bar(g.reached / g.target, g.reached >= g.target));
    return div;
  }) : [el('p', 'note', t('none'))]);
  renderChart(p);
  var services = Object.entries(p.byServiceType).sort(function (a, b) { return b[1] - a[1]; });
  var most = Math.max.apply(null, [1].concat(services.map(function (s) { return s[1]; })));
  $('services').replaceChildren.apply($('services'), services.length ? services.map(function (s) {
    var row = el('div', 'service');
    row.append(el('span', '', label(t('services'), s[0])), bar(s[1] / most), el('b', '', num(s[1])));
    return row;
  }) : [el('p', 'note', t('none'))]);
  renderOutreach(data.summary, data.skills);
  table($('units'), [[t('rank'), true], [t('unit')], [t('citizens'), true]],
    data.units.map(function (e) { return [e.rank, e.name, num(e.value)]; }));
  // A full answer may be all there is: a unit with exactly 500 under it, whose summary counts them
  // (its whole subtree), lists every one, and the note would send its leader looking for the rest.
  var listedAll = data.summary && data.summary.subunits <= data.units.length;
  $('units-more').textContent = data.units.length >= UNITS_LISTED && !listedAll ? t('unitsMore')(num(UNITS_LISTED)) : '';
  table($('board'), [[t('rank'), true], [t('member')], [t('unit')], [t('citizens'), true]],
    data.board.entries.map(function (e) { return [e.rank, e.displayName === ERASED ? t('erased') : e.displayName || e.memberId, unitNames[e.unitId] || e.unitId, num(e.value)]; }));
  $('status').textContent = p.timezone + ' · ' + dayLabel(p.startDate, 'date') + ' – ' + dayLabel(p.endDate, 'date') + ' · ' +
    p.dailyWindow.from + '–' + p.dailyWindow.to + ' · ' + (p.closed ? t('closed') + ' · ' : '') + t('updated') + ' ' + clock(data.at, 'time', p.timezone);
  var bound = p.snapshot;
  $('snapshot').hidden = !bound;
  $('snapshot').textContent = bound ? t('snapshot')(bound.id, bound.toTime ? clock(bound.toTime, 'instant', p.timezone) : '#' + bound.toPosition) : '';
  $('content').hidden = false;
}

// Programmes and skill shares of the unit that launched the campaign (GET /units/:id/summary and
// /digital-skills), shown beside the roll-up of its subunits.
// What the API shows for an erased member's name (member-names.ts ERASED_NAME), in the API's English;
// the page says it in its own language.
var ERASED = '(erased)';

function renderOutreach(summary, skills) {
  $('outreach-section').hidden = !summary;
  if (!summary) return;
  var figures = [['programmes', summary.programmes], ['attendeeMembers', summary.programmeAttendees.members],
    ['attendeeCitizens', summary.programmeAttendees.citizens]];
  $('outreach').replaceChildren.apply($('outreach'), figures.map(function (f) {
    var div = el('div', 'figure');
    div.dataset.figure = f[0];
    div.append(el('b', '', num(f[1])), el('span', '', t(f[0])));
    return div;
  }));
  var shares = Object.entries(skills ? skills.skills : {}).sort(function (a, b) { return b[1].share - a[1].share; });
  $('skills').replaceChildren.apply($('skills'), shares.length ? shares.map(function (s) {
    var row = el('div', 'service');
    row.dataset.skill = s[0];
    row.append(el('span', '', label(t('skillNames'), s[0])), bar(s[1].share, s[1].share >= 1),
      el('b', '', num(s[1].share * 100) + ' %'));
    return row;
  }) : [el('p', 'note', t('none'))]);
}

async function refresh(campaign, token) {
  try {
    var id = encodeURIComponent(campaign);
    var both = await Promise.all([
      get(at('/campaigns/' + id + '/progress'), token),
      get(at('/leaderboards/members?metric=citizensAssisted&limit=20&campaignId=' + id), token),
    ]);
    // the unit that launched the campaign, as its progress says (the picker lists the newest 500 only)
    var unit = both[0].unitId ? encodeURIComponent(both[0].unitId) : null;
    var around = unit ? await Promise.all([
      // every unit under it, up to the most the API lists: the ones that did nothing yet are at the
      // bottom, and they are the ones a leader calls (the top 30 left them out without a word)
      get(at('/leaderboards/units?metric=citizensAssisted&limit=' + UNITS_LISTED + '&parentId=' + unit), token),
      // Not there yet (a read model still catching up): the section waits for the next refresh.
      get(at('/units/' + unit + '/summary'), token).catch(function () { return null; }),
      get(at('/units/' + unit + '/digital-skills'), token).catch(function () { return null; }),
    ]) : [{ entries: [] }, null, null];
    await nameUnits(both[1].entries, token);
    // Refreshes overlap (one per change, each several round trips), and on a slow network one that
    // began earlier can end later: its answer, older than the one shown or for a campaign no longer
    // followed, is dropped rather than drawn over the newer figures until the next change.
    var shown = last && last.progress.campaignId === both[0].campaignId ? last.progress.position : -1;
    if (campaign !== followed || both[0].position < shown) return;
    last = { progress: both[0], board: both[1], units: around[0].entries, summary: around[1], skills: around[2], at: Date.now() };
    render(last);
    if (!$('stale').dataset.stream && Date.now() < expiry) stale();
  } catch (error) {
    if (campaign !== followed) return;
    if (error.status === 401) return refusedToken();
    // A snapshot still being built (the link may come right after the operator asked for it), or
    // failed: a snapshot has no live stream to say when it is ready, so the page asks again.
    if (error.code === 'snapshot_not_ready') {
      stale('snapshotNotReady', error.message);
      refresh.again = setTimeout(function () { refresh(campaign, token); }, 5000);
      return;
    }
    // A 404 for the campaign or the snapshot names the id it did not find, and that id came with the
    // link: anyone can send one whose campaign is a message shaped like an id
    // ("Call-0900000000-to-renew"), which the red banner would repeat. The page says what is missing
    // in its own words. (A unit's id comes from the server's own answer.)
    if (error.status === 404 && error.code !== 'unit_not_found')
      return stale(error.code === 'snapshot_not_found' ? 'unknownSnapshot' : 'unknownCampaign');
    stale('staleRead', error.message);
    // A read the server could not answer then (503 while its database is away or busy, a proxy's
    // 502, a lost connection) was made for a change the page has not shown: the stream's message
    // is spent, and a quiet evening may bring no other for hours. The page reads again after the
    // server's Retry-After (1-60 s) or 5 s, drawn a little later at random so that many pages do not
    // come back together; what the server refused for good (a 404, a 403) it does not ask again.
    if (error.status && error.status < 500) return;
    var wait = Math.min(60, Math.max(1, error.retryAfter || 5)) * 1000;
    clearTimeout(refresh.again);
    refresh.again = setTimeout(function () { refresh(campaign, token); }, wait + Math.random() * wait / 2);
  }
}

// The server refuses the token (401): past its expiry, or before it when it was never valid or
// signed with a secret the server no longer has (rotating AUTH_JWT_SECRET revokes every token,
// README). Only a new link changes that: the page stops reading and says so.
function refusedToken() {
  if (live) live.close();
  live = null;
  clearTimeout(follow.reopen);
  stale(Date.now() >= expiry ? 'staleExpired' : 'staleRefused');
}

// Unit names for the members board, read once per unit (a unit's name never changes). A read that
// failed (a lost connection, a busy server) is not kept: the board shows the unit's id meanwhile,
// and the next refresh asks again, or a wall screen would show the id for as long as it stays open.
// A read still on its way is shared: the page's first refresh and the one its stream's ready starts
// overlap, and each asked for every name of the board (40 reads for 20 members of 20 units).
var unitNames = {}, naming = {};
async function nameUnits(entries, token) {
  var missing = entries.map(function (e) { return e.unitId; })
    .filter(function (id, i, all) { return !(id in unitNames) && all.indexOf(id) === i; });
  await Promise.all(missing.map(function (id) {
    return naming[id] || (naming[id] = get('/units/' + encodeURIComponent(id) + '/summary', token)
      .then(function (unit) { unitNames[id] = unit.name; }, function () {})
      .then(function () { delete naming[id]; }));
  }));
}

// The newest campaigns in the token's scope, for the picker.
async function pick(token) {
  var list = await get('/campaigns?limit=500', token).catch(function () { return { campaigns: [] }; });
  var picker = $('picker');
  picker.replaceChildren(picker.options[0]);
  list.campaigns.forEach(function (c) {
    // with its dates: a drive run every year keeps its name and unit (this year's and last year's
    // read alike without them)
    var dates = c.startDate ? ' · ' + dayLabel(c.startDate, 'date') + ' – ' + dayLabel(c.endDate, 'date') : '';
    var option = el('option', '', isolate(c.name) + (c.unitName ? ' — ' + isolate(c.unitName) : '') + dates);
    option.value = c.campaignId;
    option.selected = c.campaignId === form.elements.campaign.value;
    picker.append(option);
  });
}

function watchExpiry(token) {
  clearTimeout(watchExpiry.timer);
  try {
    var claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expiry = claims.exp ? claims.exp * 1000 : Infinity;
  } catch (error) { expiry = Infinity; }
  var left = expiry - Date.now();
  if (left <= 0) return stale('staleExpired');
  if (left < 2147483647) watchExpiry.timer = setTimeout(function () { live && live.close(); stale('staleExpired'); }, left);
}

// What an id is (API.md, idPattern in libs/domain). A link's campaign that is not one is not read:
// the 404 would echo it, and anyone can send a link whose campaign is a sentence for the red banner.
var CAMPAIGN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

function follow(campaign, token) {
  followed = campaign;
  if (live) live.close();
  clearTimeout(follow.reopen);
  clearTimeout(refresh.again);
  watchExpiry(token);
  pick(token);
  if (!CAMPAIGN_ID.test(campaign)) return stale('badCampaign');
  if (snapshot) return refresh(campaign, token); // the past does not change: nothing to follow
  listen(campaign, token, 0);
  refresh(campaign, token);
}

// The server ends a stream whose page stopped reading, at its token's expiry and when it stops; the
// EventSource then reconnects by itself, and the new stream's 'ready' makes the page read again what
// it missed. An answer other than a stream (503 when the server's live streams are all in use, 401)
// closes the EventSource for good, without saying which: the page asks the server whether it still
// takes the token (GET /auth/whoami). If it does not, no retry will help (refusedToken); otherwise the
// page opens another stream itself, after a wait that grows from 5 to 80 s, drawn at random so that
// many pages refused together do not come back together.
function listen(campaign, token, refusals) {
  var pending, waiting = 0, source, heard = Date.now(), every = 15000;
  // EventSource cannot send headers: the live stream takes the token as access_token.
  live = source = new EventSource('/events/live?access_token=' + encodeURIComponent(token));
  // A stream whose path died without a word (a router that rebooted and forgot it, a laptop that
  // slept) brings nothing more, and the browser, which only reads, would wait on it for ever under
  // figures that look current. The server sends a heartbeat every heartbeatMs (its ready says how
  // often): silent for three of them, the stream is given up and another opened, whose ready makes
  // the page read again what it missed. A stream closed by a refusal is the error handler's to reopen.
  var hear = function () { heard = Date.now(); };
  source.addEventListener('heartbeat', hear);
  var watch = setInterval(function () {
    if (live !== source || Date.now() >= expiry) return clearInterval(watch);
    if (source.readyState === EventSource.CLOSED || Date.now() - heard < 3 * every) return;
    clearInterval(watch);
    source.close();
    $('stale').dataset.stream = '1';
    stale('staleStream');
    listen(campaign, token, refusals);
  }, 1000);
  live.addEventListener('projection', function (message) {
    hear();
    var projection = JSON.parse(message.data).projection;
    if (projection !== 'volunteer-activity' && projection !== 'programmes-skills') return;
    // Changes come in bursts: one read for the burst, 300 ms after its last change. On a busy day
    // they never pause that long (a province's volunteers record several a second), and waiting for
    // a pause kept the figures of the morning on screen, looking current, until the evening: the
    // page reads at the latest 2 s after the first change it has not shown.
    clearTimeout(pending);
    waiting = waiting || Date.now();
    pending = setTimeout(function () {
      waiting = 0;
      refresh(campaign, token);
    }, Math.max(0, Math.min(300, waiting + 2000 - Date.now())));
  });
  // Read again once the stream listens (also after a reconnection): a change that landed between the
  // first read and the subscription would otherwise never be shown.
  live.addEventListener('ready', function (message) {
    hear();
    every = JSON.parse(message.data).heartbeatMs || every;
    refusals = 0;
    delete $('stale').dataset.stream;
    refresh(campaign, token);
  });
  live.addEventListener('error', function () {
    // one the page closed itself may still report the failure it was closed for
    if (this !== live || Date.now() >= expiry) return;
    $('stale').dataset.stream = '1';
    stale('staleStream');
    if (this.readyState !== EventSource.CLOSED) return; // reconnecting by itself
    var closed = this;
    var reopen = function () {
      if (live !== closed) return; // followed another campaign or token meanwhile
      var wait = 5000 * Math.pow(2, Math.min(refusals, 4));
      follow.reopen = setTimeout(function () { listen(campaign, token, refusals + 1); }, wait / 2 + Math.random() * wait / 2);
    };
    get('/auth/whoami', token).then(reopen, function (error) {
      if (error.status !== 401) return reopen(); // unreachable, or busy: try again later
      if (live === closed) refusedToken();
    });
  });
}

// A keyboard moves through a closed picker one campaign per key press, each a 'change': following
// each one opened a live stream and a dozen reads per press, a hundred of each to pass a hundred
// campaigns. A change made with those keys is followed on Enter, or when the picker loses focus; one
// made in the opened list (a pointer, a touch, or Enter in it) at once.
var keyed = false;
function choose(value) {
  keyed = false;
  if (!value) return;
  form.elements.campaign.value = value;
  form.requestSubmit();
}
$('picker').addEventListener('keydown', function (event) {
  if (event.key === 'Enter') { event.preventDefault(); return choose(this.value); }
  // Space, F4 and Alt with an arrow open the list, whose choice comes as one change
  if (event.key === ' ' || event.key === 'F4' || event.altKey) keyed = false;
  // the keys that move through a closed list: arrows, pages, ends, and letters (type-ahead)
  else if (/^(Arrow|Page|Home$|End$)/.test(event.key) || event.key.length === 1) keyed = true;
});
$('picker').addEventListener('pointerdown', function () { keyed = false; });
$('picker').addEventListener('change', function () { if (!keyed) choose(this.value); });
$('picker').addEventListener('blur', function () { if (this.value && this.value !== followed) choose(this.value); });
$('lang').addEventListener('click', function () {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('lang', lang);
  applyLanguage();
});
form.addEventListener('submit', function (event) {
  event.preventDefault();
  // Pasted from a chat message, a token or an id often brings a space along: the reads' header
  // drops it, but the live stream's access_token keeps it and is refused, reconnecting for ever.
  form.elements.token.value = form.elements.token.value.trim();
  form.elements.campaign.value = form.elements.campaign.value.trim();
  sessionStorage.setItem('campaign', form.elements.campaign.value);
  sessionStorage.setItem('token', form.elements.token.value);
  var url = new URL(location.href);
  url.searchParams.set('campaign', form.elements.campaign.value);
  history.replaceState(null, '', url.pathname + url.search);
  follow(form.elements.campaign.value, form.elements.token.value);
});
// A token without a campaign (a link that names none, or a token typed in): the picker lists what
// it may see, since nobody should have to know a campaign's id to choose it.
form.elements.token.addEventListener('change', function () { if (this.value.trim()) pick(this.value.trim()); });
applyLanguage();
if (form.elements.campaign.value && form.elements.token.value) follow(form.elements.campaign.value, form.elements.token.value);
else if (form.elements.token.value) pick(form.elements.token.value);
`;
