/** The dashboard's stylesheet: one column on a phone (390 px), larger type on a wall screen (1600 px and up). */
export const dashboardStyles = `
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1b1b1b; }
.top { display: flex; justify-content: space-between; align-items: center; gap: .5rem; }
h1 { font-size: 1.4rem; margin: .2rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
#status { color: #555; margin: .2rem 0; overflow-wrap: anywhere; }
.snapshot { background: #1d4f91; color: #fff; padding: .5rem .8rem; border-radius: .3rem; }
.stale { background: #b00020; color: #fff; padding: .5rem .8rem; border-radius: .3rem; font-weight: 600; }
form { display: flex; gap: .6rem; flex-wrap: wrap; align-items: flex-end; margin: .8rem 0; }
label { display: flex; flex-direction: column; font-size: .85rem; color: #444; min-width: 0; }
label.grow { flex: 1 1 14rem; }
input, select, button { font: inherit; padding: .35rem .5rem; max-width: 100%; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .6rem; margin: 1rem 0 .4rem; }
.figure { border: 1px solid #ddd; border-radius: .4rem; padding: .5rem .7rem; }
.figure b { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: .9rem; margin: .2rem 0; }
.goal { margin: .5rem 0; }
.goal .label { display: flex; justify-content: space-between; gap: .5rem; flex-wrap: wrap; }
.track { background: #eee; border-radius: .3rem; height: .9rem; overflow: hidden; }
.fill { background: #c8102e; height: 100%; }
.fill.done { background: #1a7f37; }
.chart svg { width: 100%; height: auto; display: block; }
.chart text { font-size: 11px; fill: #444; }
.chart .day { fill: #f2b8c0; } .chart .cum { fill: none; stroke: #c8102e; stroke-width: 2.5; }
.chart .goal-line { stroke: #1a7f37; stroke-dasharray: 6 4; stroke-width: 1.5; } .chart .axis { stroke: #999; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; }
td, th { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.compact { font-size: .9rem; }
.service { display: grid; grid-template-columns: minmax(0, 12rem) 1fr auto; gap: .5rem; align-items: center; margin: .25rem 0; }
@media (max-width: 30rem) {
  body { padding: .6rem; }
  .service { grid-template-columns: minmax(0, 1fr) auto; }
  .service .track { grid-column: 1 / -1; order: 3; }
  table.compact th:nth-child(4), table.compact td:nth-child(4) { display: none; }
}
/* A wall screen (a 1920 px TV read from across the room): the same page, larger and wider; at a
   laptop's 15 px in 72rem it filled three fifths of the screen in type too small to read from afar. */
@media (min-width: 100rem) {
  html { font-size: 125%; }
  body { font-size: 1.1rem; }
}
`;
