// attune's own script: live updates, sortable and filterable tables, group → type selects,
// the graph. No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // ---- tables: click a header to sort
  function enhanceTables(root) {
    root.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, col) {
        var button = th.querySelector("button[data-sort]");
        if (!button || button.dataset.bound) return;
        button.dataset.bound = "1";
        button.addEventListener("click", function () {
          var asc = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", asc ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellValue(a.cells[col]), y = cellValue(b.cells[col]);
            var nx = parseFloat(x), ny = parseFloat(y);
            var r = (!isNaN(nx) && !isNaN(ny) && String(nx) === x.trim() && String(ny) === y.trim())
              ? nx - ny : x.localeCompare(y, undefined, { sensitivity: "base", numeric: true });
            return asc ? r : -r;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
    root.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      if (input.dataset.bound) return;
      input.dataset.bound = "1";
      input.addEventListener("input", function () { filterTables(input); });
      if (input.value) filterTables(input);
    });
  }
  function cellValue(cell) {
    if (!cell) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
  }
  function filterTables(input) {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    document.querySelectorAll(input.dataset.filterTable).forEach(function (table) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = fold(row.textContent);
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }

  // ---- forms: a type select shows only the options of the chosen group
  function enhanceForms(root) {
    root.querySelectorAll("select[data-group-by]").forEach(function (select) {
      var group = document.getElementById(select.dataset.groupBy);
      if (!group || select.dataset.bound) return;
      select.dataset.bound = "1";
      function apply() {
        var chosen = group.multiple
          ? Array.prototype.filter.call(group.options, function (o) { return o.selected; }).map(function (o) { return o.value; })
          : [group.value];
        Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (og) {
          var on = chosen.indexOf(og.dataset.group) >= 0;
          og.hidden = !on;
          og.disabled = !on;
          if (!on) Array.prototype.forEach.call(og.querySelectorAll("option"), function (o) { o.selected = false; });
        });
      }
      group.addEventListener("change", apply);
      apply();
    });
  }

  // ---- graph
  var palette = ["#3f6f66", "#b5654a", "#5a6fb0", "#a0782d", "#8a4f8c", "#4f8a4f", "#b04a6b", "#4a8fa8", "#7a7a3a", "#6b5b95"];
  function drawGraph(root) {
    var box = root.querySelector("#graph[data-src]");
    if (!box || !box.dataset.src || typeof window.cytoscape !== "function") return;
    fetch(box.dataset.src, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (g) {
      if (!g.nodes) return;
      var classes = [];
      g.nodes.forEach(function (n) { if (classes.indexOf(n.class) < 0) classes.push(n.class); });
      var colour = function (c) { return palette[classes.indexOf(c) % palette.length]; };
      var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
      var elements = g.nodes.map(function (n) {
        return { data: { id: n.id, label: n.label, href: n.href, colour: colour(n.class), centre: n.depth === 0 ? 1 : 0 } };
      }).concat(g.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, label: e.label } };
      }));
      var cy = window.cytoscape({
        container: box, elements: elements, wheelSensitivity: 0.3,
        layout: { name: g.nodes.length > 150 ? "grid" : "cose", animate: false },
        style: [
          { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 10, color: dark ? "#e6e3dc" : "#24221f", "text-wrap": "ellipsis", "text-max-width": 120 } },
          { selector: "node[centre = 1]", style: { "border-width": 3, "border-color": dark ? "#fff" : "#000" } },
          { selector: "edge", style: { width: 1, "line-color": dark ? "#555" : "#ccc", "target-arrow-shape": "triangle", "target-arrow-color": dark ? "#555" : "#ccc", "curve-style": "bezier", label: "data(label)", "font-size": 8, color: dark ? "#a19c92" : "#6d685f", "text-rotation": "autorotate" } }
        ]
      });
      cy.on("tap", "node", function (evt) { window.location.href = evt.target.data("href"); });
      var legend = document.getElementById("graph-legend");
      if (legend) {
        legend.textContent = "";
        classes.forEach(function (c) {
          var li = document.createElement("li");
          var dot = document.createElement("span");
          dot.style.backgroundColor = colour(c);
          li.appendChild(dot);
          li.appendChild(document.createTextNode(c || "untyped"));
          legend.appendChild(li);
        });
      }
    });
  }

  // ---- insights: charts drawn with the vendored Chart.js from /api/insights
  var drawn = [];
  function drawInsights(root) {
    var box = root.querySelector("#insights[data-src]");
    if (!box || typeof window.Chart !== "function") return;
    fetch(box.dataset.src, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      drawn.forEach(function (c) { c.destroy(); });
      drawn = [];
      var css = window.getComputedStyle(document.documentElement);
      var fg = css.getPropertyValue("--fg").trim() || "#24221f";
      var line = css.getPropertyValue("--line").trim() || "#e4e0d8";
      window.Chart.defaults.color = css.getPropertyValue("--muted").trim() || fg;
      window.Chart.defaults.borderColor = line;
      window.Chart.defaults.font.family = css.getPropertyValue("font-family");
      (data.charts || []).forEach(function (chart) {
        var canvas = box.querySelector('canvas[data-chart="' + chart.id + '"]');
        if (!canvas) return;
        var kind = chart.kind;
        var many = chart.series.length > 1 || kind === "doughnut";
        var datasets = chart.series.map(function (s, i) {
          var colour = palette[i % palette.length];
          return {
            label: s.label,
            data: s.data,
            backgroundColor: kind === "doughnut" ? chart.labels.map(function (_, j) { return palette[j % palette.length]; }) : colour,
            borderColor: kind === "doughnut" ? css.getPropertyValue("--card").trim() || "#fff" : colour,
            borderWidth: kind === "line" ? 2 : 1,
            spanGaps: true,
            pointRadius: 3
          };
        });
        var config = {
          type: kind === "doughnut" ? "doughnut" : kind === "line" ? "line" : "bar",
          data: { labels: chart.labels, datasets: datasets },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            indexAxis: kind === "hbar" ? "y" : "x",
            plugins: { legend: { display: many, position: "bottom" } },
            onClick: function (evt, elements) {
              if (!elements.length) return;
              var link = chart.links[elements[0].index];
              if (link) window.location.href = link;
            }
          }
        };
        if (kind !== "doughnut") {
          var stacked = kind === "stacked";
          var value = { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } };
          var category = { stacked: stacked };
          config.options.scales = kind === "hbar" ? { x: value, y: category } : { x: category, y: value };
        }
        drawn.push(new window.Chart(canvas, config));
        canvas.dataset.drawn = "1";
      });
    });
  }

  function enhance(root) {
    enhanceTables(root);
    enhanceForms(root);
    drawGraph(root);
    drawInsights(root);
  }

  // ---- live updates: when the vault changes, fetch this page again and swap <main>
  var live = document.getElementById("live");
  function say(text) {
    if (!live) return;
    live.textContent = text;
    live.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { live.hidden = true; }, 4000);
  }
  function refresh(change) {
    if (document.querySelector("form.note-form")) {
      // Never overwrite what someone is typing: tell them instead.
      if (change.origin === "external") say("A note changed on disk while this form was open. Saving will check for conflicts.");
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Attune-Live": "1" } })
      .then(function (r) { return r.ok || r.status === 404 ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("main");
        var main = document.getElementById("main");
        if (!fresh || !main) return;
        var y = window.scrollY;
        var filter = document.querySelector("input[data-filter-table]");
        var filterValue = filter ? filter.value : "";
        main.innerHTML = fresh.innerHTML;
        var version = doc.querySelector("meta[name=attune-version]");
        var mine = document.querySelector("meta[name=attune-version]");
        if (version && mine) mine.setAttribute("content", version.getAttribute("content"));
        var f2 = document.querySelector("input[data-filter-table]");
        if (f2 && filterValue) f2.value = filterValue;
        enhance(main);
        if (window.htmx) window.htmx.process(main);
        window.scrollTo(0, y);
        if (change.origin === "external") say("Updated: files changed on disk.");
      });
  }
  // One connection per open page, closed when the page is left: browsers allow only six
  // connections to a host, and a page kept in the back-forward cache must not hold one.
  var source = null;
  function connect() {
    if (!window.EventSource || source) return;
    source = new EventSource("/events");
    source.addEventListener("vault", function (e) {
      var change;
      try { change = JSON.parse(e.data); } catch (err) { return; }
      refresh(change);
    });
    source.addEventListener("hello", function (e) {
      // Connected (again) after changes this page has not seen: catch up once.
      var mine = document.querySelector("meta[name=attune-version]");
      if (mine && String(e.data) !== mine.getAttribute("content")) refresh({ origin: "external" });
    });
  }
  function disconnect() {
    if (source) { source.close(); source = null; }
  }
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", connect);
  connect();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
