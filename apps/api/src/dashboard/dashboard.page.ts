/**
 * The dashboard page of API.md: one campaign's progress for a district leader or a ward secretary,
 * kept current by the live stream. Plain HTML, CSS and JavaScript served by the app (no build step,
 * no CDN: it must work offline on a ward's network). It holds no data of its own and reads the API
 * with a viewer's token kept for the browser tab only. Labels are Vietnamese first (`lang="vi"`),
 * with an English toggle. Everything users typed (names, titles) is written with textContent, never
 * parsed as HTML; the CSP forbids inline script and style. The settings form is sent by the script;
 * sent before it has run (a slow network, scripts off) it posts, so that the token it holds goes
 * into no address bar, history or log (the API answers a form body with 415, recording nothing).
 * The line under the title is no live region (role="status"): it changes at every refresh, and a
 * screen reader would read it out at every change all day; only the red banner speaks (an alert).
 * Each table is named by its section's heading, for a screen reader moving from table to table.
 */
export const dashboardPage = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bảng theo dõi chiến dịch</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/app.css">
</head>
<body>
<header>
  <div class="top">
    <h1 id="title" data-i18n="appTitle">Bảng theo dõi chiến dịch</h1>
    <button id="lang" type="button" lang="en">English</button>
  </div>
  <p id="status"></p>
  <p id="stale" class="stale" role="alert" hidden></p>
  <p id="snapshot" class="snapshot" role="note" hidden></p>
</header>
<form id="settings" method="post">
  <label><span data-i18n="campaign">Chiến dịch</span>
    <select name="picker" id="picker"><option value="" data-i18n="choose">— chọn —</option></select>
  </label>
  <label><span data-i18n="campaignId">Mã chiến dịch</span>
    <input name="campaign" autocomplete="off" required>
  </label>
  <label class="grow"><span data-i18n="token">Mã truy cập (token người xem)</span>
    <input name="token" type="password" autocomplete="off" required>
  </label>
  <button data-i18n="show">Hiển thị</button>
</form>
<main id="content" hidden>
  <section class="figures" id="totals"></section>
  <p class="note" id="outside"></p>
  <section><h2 data-i18n="goals">Tiến độ so với chỉ tiêu</h2><div id="goals"></div></section>
  <section><h2 id="days-heading" data-i18n="perDay">Lượt người dân được hỗ trợ theo ngày (cộng dồn)</h2>
    <div class="chart" id="chart"></div>
    <table id="days" class="compact" aria-labelledby="days-heading"></table>
  </section>
  <section><h2 data-i18n="byService">Theo loại dịch vụ</h2><div id="services"></div></section>
  <section><h2 id="units-heading" data-i18n="byUnit">Theo đơn vị trực thuộc</h2><p class="note" data-i18n="byUnitNote"></p><table id="units" aria-labelledby="units-heading"></table><p class="note" id="units-more"></p></section>
  <section id="outreach-section" hidden><h2 data-i18n="outreach">Chương trình và kỹ năng số của đơn vị</h2><p class="note" data-i18n="outreachNote"></p>
    <div class="figures" id="outreach"></div><div id="skills"></div></section>
  <section><h2 id="board-heading" data-i18n="members">Đoàn viên hỗ trợ nhiều người dân nhất</h2><table id="board" aria-labelledby="board-heading"></table></section>
</main>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;
