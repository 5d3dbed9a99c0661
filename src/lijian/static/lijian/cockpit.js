// The cockpit (驾驶舱): each [data-chart] box is drawn with ECharts from its API operation (data-url).
// Every mark carries the address of the records it counts: clicking it opens that list. No inline
// script or style (CSP): the tooltips are drawn on the canvas (renderMode "richText").
(function () {
  "use strict";
  var grid = document.querySelector("[data-cockpit]");
  if (!grid || !window.echarts) { return; }
  var stringsEl = document.getElementById("cockpit-strings");
  var T = stringsEl ? JSON.parse(stringsEl.textContent) : {};
  var RED = "#b3261e", COLORS = ["#b3261e", "#d9822b", "#3b6ea8", "#5a9e6f", "#8c6bb1", "#c9a227", "#6c757d", "#2a9d8f", "#e76f51", "#264653"];
  var SERIES = { transferred: "#3b6ea8", fed_back: "#5a9e6f", overdue: RED, interviews: "#3b6ea8", accountability: RED, self_criticisms: "#d9822b", problems: RED, clues: "#3b6ea8", inspections: "#5a9e6f" };
  var mapReady = null;
  // Another body has its own terms: the term chosen for this one is not sent with it (the server
  // takes the new body's term in force on the date).
  var form = document.getElementById("cockpit-form");
  if (form && form.elements.body && form.elements.term) {
    form.elements.body.addEventListener("change", function () { form.elements.term.disabled = true; });
    window.addEventListener("pageshow", function () { form.elements.term.disabled = false; });
  }

  function pct(v) { return Math.round(v * 1000) / 10; }
  // A saved chart's file says whose figures and of which day: 和平区委巡察办-2024-12-31-<title>.png
  function saveName(title) {
    var who = grid.getAttribute("data-save-name");
    return (who ? who + "-" : "") + title;
  }
  function base(data) {
    return {
      color: COLORS,
      title: { text: data.title, left: 6, top: 2, textStyle: { fontSize: 13 } },
      tooltip: { renderMode: "richText", confine: true },
      toolbox: { right: 6, top: 0, padding: 4, itemSize: 12, feature: { saveAsImage: { title: T.save, name: saveName(data.title), pixelRatio: 2 } } },
      grid: { left: 8, right: 16, top: 34, bottom: 6, containLabel: true },
      animation: false
    };
  }
  // A line's label drawn above the plot, in a band of its own under the title and the save button:
  // a vertical line's top is its "start" when the category axis runs top-down (inverse), else its end.
  var LABEL_BAND = 46;
  function labelAbove(o, label) {
    o.grid.top = Math.max(o.grid.top, LABEL_BAND);
    label.position = o.yAxis && o.yAxis.inverse ? "start" : "end";
    return label;
  }
  // Category labels under the bars: across, broken between words (Chinese between any two
  // characters), where each label's longest word fits its slot and the whole in two lines; else slanted, cut at 80 px, steeper
  // as the slots narrow so that two slanted lines of text stay 13 px apart, and the plot moved right
  // so that the first one is not cut by the chart's edge.
  var measure = document.createElement("canvas").getContext("2d");
  function slotLabels(o, el, labels) {
    var slot = Math.floor((el.clientWidth - 60) / Math.max(labels.length, 1)) - 4;
    measure.font = "10px sans-serif";
    var fits = labels.every(function (label) {
      var words = String(label).split(/[\s\u2e80-\u9fff\uff00-\uffef]+/);
      return measure.measureText(String(label)).width <= 2 * slot &&
        words.every(function (w) { return measure.measureText(w).width <= slot; });
    });
    if (fits) { return { interval: 0, fontSize: 10, width: slot, overflow: "break", lineHeight: 12 }; }
    var step = slot + 4, rotate = [40, 60, 90].filter(function (a) { return step * Math.sin(a * Math.PI / 180) >= 13; })[0] || 90;
    // the first label, slanted, reaches left of its tick by the cosine of its width, less the y axis's labels
    var first = Math.min(measure.measureText(String(labels[0] || "")).width, 80);
    o.grid.left = Math.max(8, Math.ceil(first * Math.cos(rotate * Math.PI / 180)) - 28);
    return { interval: step >= 13 ? 0 : "auto", rotate: rotate, fontSize: 10, width: 80, overflow: "truncate" };
  }
  // Labels beside horizontal bars: as wide as the longest needs, cut only past 45% of the chart.
  function sideLabelWidth(el, labels) {
    measure.font = "10px sans-serif";
    var longest = Math.max.apply(null, labels.map(function (l) { return Math.ceil(measure.measureText(String(l)).width); }).concat([0]));
    return Math.max(110, Math.min(longest + 4, Math.floor((el ? el.clientWidth : 0) * 0.45)));
  }
  function item(m, value, extra) {
    var out = { name: m.label, value: value, url: m.url, mark: m.key };
    if (extra) { Object.keys(extra).forEach(function (k) { out[k] = extra[k]; }); }
    return out;
  }
  function bySeries(marks) {
    var order = [], groups = {};
    marks.forEach(function (m) {
      if (!groups[m.series]) { groups[m.series] = []; order.push(m.series); }
      groups[m.series].push(m);
    });
    return order.map(function (s) { return { key: s, marks: groups[s] }; });
  }
  function rateTip(p) {
    var d = p.data || {};
    return p.name + "：" + (d.numerator != null ? d.numerator + " / " + d.denominator + "（" + p.value + "%）" : p.value);
  }

  var draw = {
    areas: function (data, el) {
      var o = base(data);
      var items = data.marks.map(function (m) {
        return item(m, pct(m.value), { numerator: m.numerator, denominator: m.denominator, region: m.region, organization: m.organization });
      });
      o.tooltip.formatter = function (p) { return ((p.data || {}).organization || p.name) + "：" + rateTip(p).split("：")[1]; };
      o.visualMap = { min: 0, max: 100, left: 6, bottom: 6, calculable: false, itemHeight: 80, text: ["100%", "0%"], inRange: { color: ["#f4e1de", RED] } };
      if (data.meta.map) {
        var inset = data.meta.inset || [];
        return loadMap(data.meta.map, inset).then(function () {
          items.forEach(function (d) { d.name = d.region; });
          // The whole city on the left, roaming within limits; the central districts, a few pixels
          // each there, drawn again larger on the right (unlabelled on the left). Labels that would
          // overlap are hidden, so a name never covers a neighbour.
          var labels = { show: true, fontSize: 10, color: "#212529" };
          var whole = { type: "map", map: data.meta.map, roam: true, scaleLimit: { min: 1, max: 6 }, selectedMode: false,
            left: 40, top: 30, bottom: 10, right: inset.length ? "44%" : 10, label: labels, labelLayout: { hideOverlap: true },
            data: items.map(function (d) { return inset.indexOf(d.region) < 0 ? d : Object.assign({}, d, { label: { show: false } }); }) };
          o.series = [whole];
          // The map is a schematic without a map review number (审图号): the chart says so.
          o.graphic = [{ type: "text", right: 10, bottom: 4, style: { text: T.schematic, fontSize: 10, fill: "#6c757d" } }];
          if (inset.length) {
            whole.regions = inset.map(function (name) { return { name: name, label: { show: false } }; });
            o.series.push({ type: "map", map: data.meta.map + "-centre", roam: false, selectedMode: false,
              left: "58%", right: 10, top: 48, bottom: 30, label: labels, labelLayout: { hideOverlap: true },
              data: items.filter(function (d) { return inset.indexOf(d.region) >= 0; }) });
            o.graphic.push({ type: "text", left: "58%", top: 30, style: { text: T.centre, fontSize: 11, fill: "#6c757d" } });
          }
          return o;
        });
      }
      delete o.visualMap;
      o.series = [{ type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false }, top: 30, bottom: 6,
        levels: [{ color: ["#f4e1de", RED], colorMappingBy: "value", visualDimension: 1, visualMin: 0, visualMax: 100 }],
        data: items.map(function (d) { d.value = [d.denominator || 1, d.value]; return d; }), label: { show: true, fontSize: 10, color: "#212529" } }];
      o.tooltip.formatter = function (p) { var d = p.data || {}; return p.name + "：" + d.numerator + " / " + d.denominator + "（" + d.value[1] + "%）"; };
      return o;
    },
    coverage: function (data) {
      var o = base(data), meta = data.meta;
      o.series = [
        { type: "pie", radius: ["48%", "68%"], center: ["50%", "58%"], label: { show: false },
          data: data.marks.map(function (m, i) { return item(m, m.value, { itemStyle: { color: i ? "#e3e5e8" : RED } }); }) },
        { type: "pie", radius: ["72%", "78%"], center: ["50%", "58%"], silent: true, label: { show: false },
          data: [{ name: T.time, value: meta.target, itemStyle: { color: "#3b6ea8" } }, { name: "", value: 1 - meta.target, itemStyle: { color: "#f1f3f5" } }] }
      ];
      o.graphic = [{ type: "text", left: "center", top: "52%", style: { text: pct(meta.rate) + "%", fontSize: 22, fontWeight: "bold", fill: RED } },
        { type: "text", left: 8, top: 24, style: { text: T.time + " " + pct(meta.target) + "%", fontSize: 11, fill: "#3b6ea8" } }];
      o.tooltip.formatter = function (p) { return p.name + "：" + p.value; };
      return o;
    },
    grassroots: function (data, el) {
      var o = base(data);
      var labels = data.marks.map(function (m) { return m.label; });
      o.xAxis = { type: "category", data: labels, axisLabel: slotLabels(o, el, labels) };
      o.yAxis = { type: "value", max: 100, axisLabel: { formatter: "{value}%" } };
      o.tooltip.formatter = rateTip;
      o.series = [{ type: "bar", data: data.marks.map(function (m) { return item(m, pct(m.value), { numerator: m.numerator, denominator: m.denominator }); }),
        itemStyle: { color: RED }, markLine: { silent: true, symbol: "none", lineStyle: { color: "#3b6ea8", type: "dashed" }, label: { show: false }, data: [{ yAxis: pct(data.meta.target) }] } }];
      // the target's label in the band under the title: on the line it would cover bars near 100%
      o.grid.top = LABEL_BAND;
      o.graphic = [{ type: "text", left: 8, top: 24, style: { text: "- - " + T.target + " " + pct(data.meta.target) + "%", fontSize: 11, fill: "#3b6ea8" } }];
      return o;
    },
    pie: function (data, el) {
      var o = base(data), narrow = el && el.clientWidth < 520;
      // in a narrow box a smaller pie and short leader lines leave its labels room for two lines each,
      // rather than a line whose label is cut to nothing
      o.series = [{ type: "pie", radius: ["0%", narrow ? "50%" : "62%"], center: ["50%", "58%"], label: { fontSize: 10, overflow: "break", lineHeight: 12, edgeDistance: 4 },
        labelLine: narrow ? { length: 6, length2: 6 } : {}, labelLayout: { hideOverlap: true }, data: data.marks.map(function (m) { return item(m, m.value); }) }];
      o.tooltip.formatter = function (p) { return p.name + "：" + p.value + "（" + p.percent + "%）"; };
      return o;
    },
    bars: function (data, horizontal, el) {
      var o = base(data), labels = data.marks.map(function (m) { return m.label; });
      var cat = { type: "category", data: labels, axisLabel: horizontal ? { interval: 0, fontSize: 10, width: sideLabelWidth(el, labels), overflow: "truncate" } : slotLabels(o, el, labels) };
      var val = { type: "value", minInterval: 1 };
      if (horizontal) { cat.inverse = true; o.xAxis = val; o.yAxis = cat; } else { o.xAxis = cat; o.yAxis = val; }
      o.tooltip.formatter = rateTip;
      o.series = [{ type: "bar", itemStyle: { color: RED }, data: data.marks.map(function (m) { return item(m, m.value, { numerator: m.numerator, denominator: m.denominator }); }) }];
      return o;
    },
    rate_bars: function (data) {
      var o = draw.bars(data, true);
      o.xAxis = { type: "value", max: 100, axisLabel: { formatter: "{value}%" } };
      o.series[0].data = data.marks.map(function (m) { return item(m, pct(m.value), { numerator: m.numerator, denominator: m.denominator }); });
      if (data.meta.threshold) {
        o.series[0].markLine = { silent: true, symbol: "none", lineStyle: { color: RED, type: "dashed" }, label: labelAbove(o, { formatter: T.threshold + " {c}%" }), data: [{ xAxis: data.meta.threshold }] };
        o.series[0].itemStyle = { color: function (p) { return p.value < data.meta.threshold ? RED : "#5a9e6f"; } };
      }
      return o;
    },
    rates: function (data, el) {
      var buckets = data.marks.filter(function (m) { return m.series !== "below"; });
      var below = data.marks.filter(function (m) { return m.series === "below"; })[0];
      var o = base(data), threshold = data.meta.threshold;
      var labels = buckets.map(function (m) { return m.label; });
      note(el, data.meta.below.map(function (row) { return row.name + " " + pct(row.rate) + "%"; }), T.below);
      var axis = labels.concat(below ? [below.label] : []);
      o.xAxis = { type: "category", data: axis, axisLabel: slotLabels(o, el, axis) };
      o.yAxis = { type: "value", minInterval: 1 };
      o.tooltip.formatter = function (p) { return p.name + "：" + p.value; };
      var data0 = buckets.map(function (m) { return item(m, m.value, { itemStyle: { color: m.from < threshold ? "#d9822b" : "#5a9e6f" } }); });
      if (below) { data0.push(item(below, below.value, { itemStyle: { color: RED } })); }
      var at = buckets.filter(function (m) { return m.from <= threshold; }).length - 1;
      o.series = [{ type: "bar", data: data0, markLine: { silent: true, symbol: "none", lineStyle: { color: RED, type: "dashed" }, label: labelAbove(o, { formatter: T.threshold + " " + threshold + "%" }), data: [{ xAxis: labels[Math.max(at, 0)] }] } }];
      return o;
    },
    grouped: function (data, horizontal) {
      var o = base(data), groups = bySeries(data.marks.filter(function (m) { return m.series !== "result"; }));
      var labels = groups.length ? groups[0].marks.map(function (m) { return m.label; }) : [];
      var cat = { type: "category", data: labels, axisLabel: { interval: 0, fontSize: 10, width: 90, overflow: "truncate" } };
      if (horizontal) { cat.inverse = true; o.xAxis = { type: "value", minInterval: 1 }; o.yAxis = cat; } else { o.xAxis = cat; o.yAxis = { type: "value", minInterval: 1 }; }
      o.legend = { top: 18, right: 40, itemHeight: 8, textStyle: { fontSize: 10 }, data: groups.map(function (g) { return g.marks[0].series_label || g.key; }) };
      o.grid.top = 42;
      o.tooltip.formatter = function (p) { return p.seriesName + " · " + p.name + "：" + p.value; };
      o.series = groups.map(function (g) {
        return { type: horizontal ? "bar" : "line", name: g.marks[0].series_label || g.key, itemStyle: { color: SERIES[g.key] }, lineStyle: { color: SERIES[g.key] },
          symbolSize: 8, data: g.marks.map(function (m) { return item(m, m.value); }) };
      });
      return o;
    },
    clues: function (data) {
      var o = draw.grouped(data, true), results = data.marks.filter(function (m) { return m.series === "result"; });
      o.grid.right = "38%";
      if (results.length) {
        o.series.push({ type: "pie", name: "", radius: ["0%", "28%"], center: ["81%", "60%"], label: { fontSize: 10 }, data: results.map(function (m) { return item(m, m.value); }) });
      }
      return o;
    },
    consequences: function (data, el) {
      var o = draw.bars(data, true, el);
      o.series[0].data.forEach(function (d, i) { d.itemStyle = { color: SERIES[data.marks[i].series] || RED }; });
      o.series[0].itemStyle = undefined;
      return o;
    },
    timeline: function (data) {
      var o = base(data), day = 86400000, start = Date.parse(data.meta.start);
      function days(iso) { return (Date.parse(iso) - start) / day; }
      var labels = data.marks.map(function (m) { return m.label; });
      o.yAxis = { type: "category", data: labels, inverse: true, axisLabel: { fontSize: 10 } };
      o.xAxis = { type: "value", min: 0, max: days(data.meta.end), axisLabel: { fontSize: 10, formatter: function (v) { return new Date(start + v * day).toISOString().slice(0, 7); } } };
      o.tooltip.formatter = function (p) { var d = p.data || {}; return p.name + " " + (d.period || "") + " " + (d.theme || "") + "：" + (d.count != null ? d.count : ""); };
      o.series = [
        { type: "bar", stack: "r", silent: true, itemStyle: { color: "transparent" }, data: data.marks.map(function (m) { return days(m.start); }) },
        { type: "bar", stack: "r", itemStyle: { color: RED }, barMaxWidth: 14,
          label: { show: true, position: "right", fontSize: 10, formatter: function (p) { return p.data.count; } },
          data: data.marks.map(function (m) { return item(m, days(m.end) - days(m.start) + 1, { count: m.value, period: m.start + "—" + m.end, theme: m.kind + (m.theme ? " " + m.theme : "") }); }),
          markLine: { silent: true, symbol: "none", lineStyle: { color: "#3b6ea8", type: "dashed" }, label: labelAbove(o, { formatter: T.on }), data: [{ xAxis: days(data.meta.on) }] } }
      ];
      return o;
    }
  };
  draw.problems_by_category = draw.pie;
  draw.problems_by_round = function (d, el) { return draw.bars(d, false, el); };
  draw.overdue_tasks = function (d, el) { return draw.bars(d, false, el); };
  draw.rank_rates = draw.rate_bars;
  draw.rank_areas_coverage = draw.rate_bars;
  draw.rank_overdue = function (d) { return draw.bars(d, true); };
  draw.rank_problems_per_inspection = function (d) { return draw.bars(d, true); };
  draw.rank_areas_results = function (d) { return draw.bars(d, true); };
  draw.trend_rounds = function (d) { return draw.grouped(d, false); };
  draw.trend_years = function (d) { return draw.grouped(d, false); };

  // The list beside a chart (under it on a phone), shown before the chart is drawn so the chart is
  // drawn at the width the list leaves it.
  function note(el, lines, title) {
    var box = el.parentNode.querySelector("[data-chart-note]");
    if (!box) { return; }
    var list = box.querySelector("ul");
    list.textContent = "";
    box.hidden = !lines.length;
    box.querySelector("[data-chart-note-title]").textContent = title;
    lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
  }
  // The map once per page, and the central districts' features again as a map of their own.
  function loadMap(name, inset) {
    if (!mapReady) {
      mapReady = fetch(grid.getAttribute("data-map-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geo) {
          var centre = JSON.parse(JSON.stringify(geo));  // registerMap decodes its GeoJSON in place
          centre.features = centre.features.filter(function (f) { return inset.indexOf(f.properties.name) >= 0; });
          window.echarts.registerMap(name, geo);
          if (centre.features.length) { window.echarts.registerMap(name + "-centre", centre); }
        });
    }
    return mapReady;
  }
  // A click anywhere in a category's band opens the list of the band's mark (the one nearest the
  // pointer when several series share the band), so a zero or tiny bar is as easy to click as a
  // tall one. ``pt`` is null for a click on the category's axis label.
  function categoryAxis(option) {
    var x = option.xAxis, y = option.yAxis;
    if (x && !Array.isArray(x) && x.type === "category") { return 0; }
    if (y && !Array.isArray(y) && y.type === "category") { return 1; }
    return -1;
  }
  function bandUrl(chart, option, index, pt) {
    var along = categoryAxis(option), best = null, bestDist = Infinity;
    (option.series || []).forEach(function (s, si) {
      var d = s.data && s.data[index];
      if (s.silent || s.type === "pie" || !d || !d.url) { return; }
      var layout = chart.getModel().getSeriesByIndex(si).getData().getItemLayout(index), dist = 0;
      // a line keeps no layout per point: its point is placed from its category and value
      if (s.type === "line") {
        var v = d.value != null ? d.value : d;
        if (v == null) { return; }
        layout = chart.convertToPixel({ seriesIndex: si }, along ? [v, index] : [index, v]);
      }
      if (pt && layout && layout.width != null) {  // a bar: its slot along the category axis
        var lo = along ? layout.y : layout.x, size = along ? layout.height : layout.width;
        var a = Math.min(lo, lo + size), b = Math.max(lo, lo + size);
        dist = pt[along] < a ? a - pt[along] : (pt[along] > b ? pt[along] - b : 0);
      } else if (pt && layout && layout.length === 2) {  // a line's point: the nearest value
        dist = Math.abs(layout[1 - along] - pt[1 - along]);
      }
      if (dist < bestDist) { bestDist = dist; best = d.url; }
    });
    return best;
  }
  function bandUrlAt(chart, option, pt) {
    var along = categoryAxis(option);
    if (along < 0 || !chart.containPixel({ gridIndex: 0 }, pt)) { return null; }
    var value = chart.convertFromPixel({ gridIndex: 0 }, pt);
    return value ? bandUrl(chart, option, Math.round(value[along]), pt) : null;
  }
  var leaving = false;
  function go(url) { if (url && !leaving) { leaving = true; window.location.href = url; } }
  function clickable(chart, option) {
    var along = categoryAxis(option), labels = along < 0 ? [] : (along ? option.yAxis : option.xAxis).data || [];
    if (along >= 0) { (along ? option.yAxis : option.xAxis).triggerEvent = true; }
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.componentType === "xAxis" || p.componentType === "yAxis") { go(bandUrl(chart, option, labels.indexOf(p.value), null)); return; }
      go(p.data && p.data.url);
    });
    if (along < 0) { return; }
    var zr = chart.getZr();
    zr.on("click", function (e) { go(bandUrlAt(chart, option, [e.offsetX, e.offsetY])); });
    zr.on("mousemove", function (e) { if (bandUrlAt(chart, option, [e.offsetX, e.offsetY])) { zr.setCursorStyle("pointer"); } });
  }
  function failed(el, text) {
    el.textContent = text;
    el.classList.add("lj-muted", "small", "p-2");
    el.setAttribute("data-chart-state", "failed");
  }
  function render(el) {
    var kind = el.getAttribute("data-chart");
    return fetch(el.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        return Promise.resolve((draw[kind] || draw.bars)(data, el)).then(function (option) { return [data, option]; });
      })
      .then(function (pair) {
        var data = pair[0], option = pair[1];
        el.setAttribute("aria-label", data.title + "：" + data.definition);
        // a title longer than its chart is wide is cut short of the save button (read whole in aria-label)
        option.title.textStyle.width = Math.max(60, el.clientWidth - 44);
        option.title.textStyle.overflow = "truncate";
        measure.font = "bold 13px sans-serif";
        if (measure.measureText(option.title.text || "").width > option.title.textStyle.width) { option.title.textStyle.fontSize = 11; }
        var chart = window.echarts.init(el, null, { renderer: "canvas" });
        if (!data.marks.length) {
          option.graphic = (option.graphic || []).concat([{ type: "text", left: "center", top: "middle", style: { text: T.empty, fill: "#6c757d" } }]);
        }
        clickable(chart, option);
        el.ljChart = chart;
        el.setAttribute("data-chart-state", "ready");
      })
      .catch(function () { failed(el, T.failed); });
  }
  // Three requests at a time, in the page's order: each chart is drawn as its answer comes, the
  // slow figures of one chart do not hold up the next two, and the server is never asked for all
  // the figures at once.
  var POOL = 3, queue = Array.prototype.slice.call(grid.querySelectorAll("[data-chart]"));
  function next() {
    var el = queue.shift();
    return el ? render(el).then(next) : Promise.resolve();
  }
  // When every chart is drawn (or has failed) the grid says so, and the time since the navigation
  // began is marked for the browser benchmark (bench/cockpit_browser.py): a frame after the last
  // chart's options, when its canvas has been painted.
  var lanes = [];
  for (var lane = 0; lane < POOL; lane++) { lanes.push(next()); }
  Promise.all(lanes).then(function () {
    window.requestAnimationFrame(function () {
      grid.setAttribute("data-cockpit-state", "ready");
      if (window.performance && window.performance.mark) { window.performance.mark("lijian:cockpit-ready"); }
    });
  });
  window.addEventListener("resize", function () {
    Array.prototype.forEach.call(grid.querySelectorAll("[data-chart]"), function (el) { if (el.ljChart) { el.ljChart.resize(); } });
  });
  // Printed on A4 landscape without the save buttons, each chart redrawn at the size of its printed
  // box: before printing the grid takes the printed layout (.lj-printing, the print media query's
  // columns within the page's width), the charts are resized to it, and back after. A print that
  // sends no beforeprint (a headless PDF) still gets the print media query's change.
  function printing(on) {
    grid.classList.toggle("lj-printing", on);
    Array.prototype.forEach.call(grid.querySelectorAll("[data-chart]"), function (el) {
      if (el.ljChart) { el.ljChart.setOption({ toolbox: { show: !on } }); el.ljChart.resize(); }
    });
  }
  window.addEventListener("beforeprint", function () { printing(true); });
  window.addEventListener("afterprint", function () { printing(false); });
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    // leaving print, the screen's styles may apply only after the change: sized again on the next frame
    if (print.addEventListener) {
      print.addEventListener("change", function (e) {
        printing(e.matches);
        if (!e.matches) { window.requestAnimationFrame(function () { printing(false); }); }
      });
    }
  }
})();
