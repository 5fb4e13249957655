/* Adds "Download SVG (2x)" to the main plot's own toolbar, beside Plotly's PNG button.
 * dcc.Graph passes its config as JSON, which cannot carry a click handler, so this wraps
 * Plotly.react/newPlot (loaded lazily by dcc.Graph) and adds the button for #surface-graph. */
(function () {
  "use strict";
  var svgButton = {
    name: "download-svg",
    title: "Download plot as SVG (2x)",
    icon: {
      width: 1000, height: 1000,
      path: "M500 0l250 300H575v350H425V300H250zM100 750h800v150H100z",
    },
    click: function (gd) {
      window.Plotly.downloadImage(gd, { format: "svg", scale: 2, filename: "error-surface" });
    },
  };

  function isMainPlot(gd) {
    var el = typeof gd === "string" ? document.getElementById(gd) : gd;
    return !!(el && el.closest && el.closest("#surface-graph"));
  }

  function withButton(config) {
    config = Object.assign({}, config || {});
    var extra = (config.modeBarButtonsToAdd || []).filter(function (b) { return b.name !== "download-svg"; });
    config.modeBarButtonsToAdd = extra.concat([svgButton]);
    return config;
  }

  function wrap(Plotly) {
    if (!Plotly || Plotly.__svgButton) return Plotly;
    ["react", "newPlot"].forEach(function (name) {
      var original = Plotly[name];
      if (typeof original !== "function") return;
      Plotly[name] = function (gd, data, layout, config) {
        if (isMainPlot(gd)) {
          if (data && !Array.isArray(data) && typeof data === "object" && "data" in data) {
            data = Object.assign({}, data, { config: withButton(data.config) });
          } else {
            config = withButton(config);
          }
        }
        return original.call(this, gd, data, layout, config);
      };
    });
    Plotly.__svgButton = true;
    return Plotly;
  }

  var current = window.Plotly;
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = wrap(value); },
  });
  if (current) wrap(current);
})();
