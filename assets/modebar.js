/* Adds "Download PNG (2x)" and "Download SVG (2x)" to the main plot's own toolbar, in place of
 * Plotly's PNG button, which would leave out the contour (drawn in its own layer, assets/layers.js).
 * dcc.Graph passes its config as JSON, which cannot carry a click handler, so this wraps
 * Plotly.react/newPlot (assets/plotly-cartesian.min.js, or the full bundle) and adds the buttons
 * for #surface-graph. */
(function () {
  "use strict";
  function button(format) {
    return {
      name: "download-" + format,
      // in the page's language: the dictionary ui/plotly_locale.py hands to plotly.js
      title: function (gd) {
        var english = "Download plot as " + format.toUpperCase() + " (2x)";
        var context = (gd && gd._context) || {};
        var locale = (context.locales || {})[context.locale] || {};
        return (locale.dictionary || {})[english] || english;
      },
      icon: {
        width: 1000, height: 1000,
        path: format === "png" ? "M500 0l250 300H575v350H425V300H250zM100 750h800v150H100z"
          : "M500 900l250-300H575V250H425v350H250zM100 0h800v150H100z",
      },
      click: function (gd) {
        window.errorSurfaceLayers.download(gd, format);
      },
    };
  }
  var buttons = [button("png"), button("svg")];

  function isMainPlot(gd) {
    var el = typeof gd === "string" ? document.getElementById(gd) : gd;
    return !!(el && el.closest && el.closest("#surface-graph"));
  }

  function withButton(config) {
    config = Object.assign({}, config || {});
    var extra = (config.modeBarButtonsToAdd || []).filter(function (b) { return !/^download-/.test(b.name); });
    config.modeBarButtonsToAdd = extra.concat(buttons);
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
