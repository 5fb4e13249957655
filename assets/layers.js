/* Error Surface Lab: the main plot's two layers, and plotly.js's full bundle on demand.
 *
 * #surface-graph (dcc.Graph) draws paths, minima, start, markers and axes over a transparent plot;
 * the filled contour and its colour bar (the contour-data store, lab/figures.page_layers) are drawn
 * here into #surface-contour under it (the colour bar in the front's fixed right margin), with the
 * front's exact geometry (its margins after automargin, its axes' domains and ranges, its size). Why: a filled 160x160 contour costs
 * 100-300 ms to draw and rasterise in software, and Plotly redraws every trace of a graph on any
 * change; in its own layer it is drawn again only for a new surface, view, zoom or size.
 *
 * The page loads plotly.js's cartesian bundle (assets/plotly-cartesian.min.js: `npm pack
 * plotly.js-cartesian-dist-min@4.1.1`, MIT, the version plotly.py bundles; a third of the full
 * bundle's size and parse time); the full bundle, which the 3D view needs, loads when that view is
 * chosen. dcc.Graph uses window.Plotly when it exists and loads nothing itself.
 */
(function () {
  "use strict";

  var state = { trace: null, drawn: "", hooked: new WeakSet(), full: null, draws: 0 }; // draws: for the tests

  function front() {
    return document.querySelector("#surface-graph .js-plotly-plot");
  }

  // The front's plotting area in pixels and data, or null while it is not a drawn 2D plot.
  function geometry(gd) {
    var fl = gd && gd._fullLayout;
    if (!fl || !fl._size || !fl.xaxis || !fl.yaxis || !fl.xaxis.range || (fl._has && fl._has("gl3d"))) return null;
    var s = fl._size;
    return {
      width: fl.width, height: fl.height,
      margin: { l: s.l, r: s.r, t: s.t, b: s.b, pad: 0, autoexpand: false },
      x: { domain: fl.xaxis.domain.slice(), range: fl.xaxis.range.slice() },
      y: { domain: fl.yaxis.domain.slice(), range: fl.yaxis.range.slice() },
    };
  }

  function layoutFor(g) {
    var axis = function (a) {
      return { domain: a.domain, range: a.range, visible: false, fixedrange: true };
    };
    return {
      width: g.width, height: g.height, margin: g.margin, showlegend: false,
      xaxis: axis(g.x), yaxis: axis(g.y), paper_bgcolor: "#fff", plot_bgcolor: "#fff",
    };
  }

  // Draw the contour under the front when the contour or the front's geometry changed.
  function sync() {
    var el = document.getElementById("surface-contour"), gd = front();
    if (!el || !window.Plotly) return;
    var g = geometry(gd);
    if (!g || !state.trace) {
      el.style.visibility = "hidden";
      return;
    }
    var key = JSON.stringify(g);
    el.style.visibility = "visible";
    if (key === state.drawn) return;
    state.drawn = key;
    state.draws += 1;
    try {
      var p = window.Plotly.react(el, [state.trace], layoutFor(g), { staticPlot: true, displayModeBar: false });
      if (p && p.catch) p.catch(function () {});
    } catch (e) {
      /* plotly.js being swapped for the full bundle: the next redraw of the front draws it */
    }
  }

  function hook() {
    var gd = front();
    if (!gd || !gd.on) return false;
    if (!state.hooked.has(gd)) {
      state.hooked.add(gd);
      gd.on("plotly_afterplot", sync);
      gd.on("plotly_relayout", sync);
    }
    return true;
  }

  function whenDrawn(tries) {
    if (hook()) sync();
    if (tries > 0 && !geometry(front())) requestAnimationFrame(function () { whenDrawn(tries - 1); });
  }

  function load(trace) {
    if (trace) {
      state.trace = trace;
      state.drawn = "";
    }
    whenDrawn(600);
  }

  // The front with the contour in it, for images: what the page shows, in one plotly.js figure.
  function merged(gd) {
    var data = gd.data.slice();
    if (state.trace && data[0] && data[0].type === "contour") {
      data[0] = Object.assign({}, state.trace); // with its colour bar
    }
    var fl = gd._fullLayout, layout = Object.assign({}, gd.layout, { paper_bgcolor: "#fff", plot_bgcolor: "#fff" });
    if (fl && fl.xaxis && fl.yaxis && data[0] && data[0].type === "contour") {
      layout.xaxis = Object.assign({}, gd.layout.xaxis, { range: fl.xaxis.range.slice(), autorange: false });
      layout.yaxis = Object.assign({}, gd.layout.yaxis, { range: fl.yaxis.range.slice(), autorange: false });
    }
    return { data: data, layout: layout, width: fl ? fl.width : 1000, height: fl ? fl.height : 700 };
  }

  function download(gd, format) {
    var fig = merged(gd);
    return window.Plotly.downloadImage({ data: fig.data, layout: fig.layout }, {
      format: format, scale: 2, width: fig.width, height: fig.height, filename: "error-surface",
    });
  }

  // plotly.js with every trace type (the 3D view), loaded once; resolves when window.Plotly has it.
  function fullPlotly() {
    if (window.Plotly && window.Plotly.__full) return Promise.resolve();
    if (!state.full) {
      state.full = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = window._dashPlotlyJSURL;
        script.onload = function () {
          if (window.Plotly) window.Plotly.__full = true;
          resolve();
        };
        script.onerror = function () {
          state.full = null;
          reject(new Error("plotly.js (full bundle) did not load"));
        };
        document.body.appendChild(script);
      });
    }
    return state.full;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.errorSurfaceLayers = {
    load: function (trace) {
      load(trace);
      return window.dash_clientside.no_update;
    },
    mode: function (mode) {
      if (mode !== "3d") return mode;
      return fullPlotly().then(function () { return mode; });
    },
  };
  window.errorSurfaceLayers = { state: state, sync: sync, merged: merged, download: download, geometry: geometry };
})();
