/* Error Surface Lab: the classroom layer of the explorer (issue 7). Plain JS; Dash serves it.
 *
 * - Language and projector switches reload the page with lang=zh / view=present added or removed.
 *   The query is edited as text, pair by pair: URLSearchParams would re-encode the app's links
 *   (a formula's %2B, a hide list's commas).
 * - The settings side bar folds away (#side-toggle; folded at first in projector mode).
 * - Predict, then reveal: while the #predict switch is on (or the link says predict=1), each new
 *   scene arrives with the runs' paths, markers, legend, hover, panels, status and caption hidden
 *   by CSS (no Plotly replot); Reveal (button or R) shows them and plays the runs from step 0.
 * - Keyboard: Space play/pause, arrows step, 1-9 lessons, ? the list of keys, R reveal, P projector.
 * - The exercise link: the current link with hide=<the ticked controls>.
 * - (A tap on the plot moves the start by itself: plotly.js turns it into plotly_click.)
 * - Repairs of Dash 4.4's own markup that screen readers and axe-core trip over (see repair()).
 *
 * The player (assets/animation.js) sends "lab:scene" on document for each scene it loads.
 */
(function () {
  "use strict";

  var MODE_WORDS = /^(present|explore)$/i;
  var lastScene = null; // the scene key of the last scene loaded by the player

  function $(id) {
    return document.getElementById(id);
  }

  function explorer() {
    var el = document.querySelector(".page[data-lessons]");
    return el && !el.classList.contains("batch-page") ? el : null;
  }

  function setProps(id, props) {
    var dc = window.dash_clientside;
    if (dc && dc.set_props && $(id)) dc.set_props(id, props);
  }

  // ------------------------------------------------------------------ links, as text

  function pairs(search) {
    return String(search || "").replace(/^\?/, "").split("&").filter(function (p) { return p !== ""; });
  }

  function keyOf(pair) {
    return pair.split("=")[0];
  }

  /* The query ``search`` with every ``key=`` pair dropped and, unless value is null, key=value
   * appended. Other pairs are kept byte for byte. */
  function withPair(search, key, value) {
    var kept = pairs(search).filter(function (p) { return keyOf(p) !== key; });
    if (value !== null && value !== undefined) kept.push(key + "=" + value);
    return kept.length ? "?" + kept.join("&") : "";
  }

  /* view= is the page's mode; in old links, a view box: that one is kept, as box=. */
  function withMode(search, present) {
    var moved = pairs(search).map(function (p) {
      return keyOf(p) === "view" && !MODE_WORDS.test(p.slice(5)) ? "box=" + p.slice(5) : p;
    });
    return withPair(moved.join("&"), "view", present ? "present" : null);
  }

  function reloadWith(search) {
    window.location.assign(window.location.pathname + search + window.location.hash);
  }

  function toggleLanguage() {
    var root = explorer();
    var zh = root ? root.getAttribute("data-lang") === "zh" : /(^|&)lang=zh/.test(window.location.search.slice(1));
    reloadWith(withPair(window.location.search, "lang", zh ? null : "zh"));
  }

  function toggleProjector() {
    var root = explorer();
    var present = root ? root.getAttribute("data-present") === "true" : false;
    reloadWith(withMode(window.location.search, !present));
  }

  // ------------------------------------------------------------------ the side bar

  function sideOpen() {
    var button = $("side-toggle");
    return !button || button.getAttribute("aria-expanded") !== "false";
  }

  function setSide(open) {
    var root = explorer(), button = $("side-toggle");
    if (!root || !button) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("side-open", open);
    root.classList.toggle("side-folded", !open);
  }

  /* Projector mode folds an empty caption's column away (assets/classroom.css): a class, kept true here,
     where a :has() rule cost a restyle of the whole page at every change. */
  function markPage(root) {
    var caption = $("caption");
    root.classList.toggle("caption-empty", !caption || !caption.textContent.trim());
    document.documentElement.classList.toggle("present", root.classList.contains("present"));
  }

  // ------------------------------------------------------------------ predict, then reveal

  function predictSwitch() {
    return document.querySelector("#predict input[type=checkbox]");
  }

  /* The switch when it is on the page (it changes before the link does), else the link. */
  function predicting() {
    var box = predictSwitch();
    if (box) return box.checked;
    return pairs(window.location.search).some(function (p) { return /^predict=(1|true|yes|on)$/i.test(p); });
  }

  function plot() {
    var el = $("surface-graph");
    return el && (el.classList.contains("js-plotly-plot") ? el : el.querySelector(".js-plotly-plot"));
  }

  /* Mark the SVG group of each run's path and marker, so that CSS can hide them; the minima
   * and the start keep no mark and stay. Called whenever Plotly may have drawn trace groups. */
  function tagTraces() {
    var gd = plot();
    if (!gd) return;
    var nodes = gd.querySelectorAll("g.trace");
    for (var n = 0; n < nodes.length; n++) {
      var cd = nodes[n].__data__, trace = cd && cd[0] && cd[0].trace;
      var run = !!(trace && /^run-/.test(String(trace.legendgroup || "")));
      var marker = run && trace.meta && trace.meta.role === "marker";
      nodes[n].classList.toggle("lab-run-path", run && !marker);
      nodes[n].classList.toggle("lab-run-marker", !!marker);
    }
    var root = explorer();
    if (root && root.classList.contains("predicting")) hide3d(true);
    if (gd.on && !gd.__labTagged) {
      gd.__labTagged = true;
      gd.on("plotly_afterplot", tagTraces);
    }
  }

  /* The 3D view is WebGL: CSS cannot hide its traces, so while predicting the runs' paths and end points
   * are set invisible in plotly.js itself (and again after any redraw, from tagTraces), and shown on reveal. */
  function hide3d(hidden) {
    var gd = plot();
    if (!gd || !gd._fullLayout || !gd._fullLayout.scene || !gd.data || !window.Plotly) return;
    var runs = [];
    gd.data.forEach(function (t, i) {
      var ours = /^run-/.test(String(t.legendgroup || "")) || (t.meta && t.meta.role === "run-ends");
      if (ours && (t.visible === false) !== hidden) runs.push(i);
    });
    if (runs.length) window.Plotly.restyle(gd, { visible: !hidden }, runs);
  }

  function hidePaths() {
    var root = explorer();
    if (!root) return;
    tagTraces();
    hide3d(true);
    root.classList.add("predicting");
    var banner = $("predict-banner");
    if (banner) banner.hidden = false;
  }

  function reveal(play) {
    var root = explorer();
    if (!root || !root.classList.contains("predicting")) return false;
    var banner = $("predict-banner");
    var hadFocus = banner && banner.contains(document.activeElement);
    root.classList.remove("predicting");
    hide3d(false);
    if (banner) banner.hidden = true;
    if (hadFocus && $("anim-play")) $("anim-play").focus();
    var player = window.errorSurfacePlayer;
    if (play && player) {
      player.pause();
      player.show(0);
      player.play(); // the class watches the runs walk their paths from the start
    }
    return true;
  }

  function onScene(event) {
    var key = event && event.detail ? event.detail.scene : null;
    var isNew = key !== lastScene;
    lastScene = key;
    if (isNew && key !== null && predicting()) hidePaths();
    updateExerciseLink();
  }

  function onPredictSwitch() {
    setTimeout(function () { // after React has settled the checkbox
      if (predicting()) hidePaths();
      else reveal(false);
    }, 0);
  }

  // ------------------------------------------------------------------ the exercise link

  function exerciseLink() {
    var names = [];
    var boxes = document.querySelectorAll("#exercise-hide input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) names.push(boxes[i].value);
    var search = withPair(window.location.search, "hide", names.length ? names.join(",") : null);
    return window.location.origin + "/" + search;
  }

  function updateExerciseLink() {
    var input = $("exercise-link");
    if (!input) return;
    var link = exerciseLink();
    if (input.value !== link) setProps("exercise-link", { value: link });
  }

  // ------------------------------------------------------------------ the keys

  var returnFocus = null;

  function helpOpen() {
    var help = $("keys-help");
    return !!help && !help.hidden;
  }

  function setHelp(open) {
    var help = $("keys-help");
    if (!help || open === helpOpen()) return;
    if (open) {
      returnFocus = document.activeElement;
      help.hidden = false;
      if (!help.hasAttribute("tabindex")) help.setAttribute("tabindex", "-1");
      var close = $("keys-close");
      (close || help).focus();
    } else {
      help.hidden = true;
      var back = returnFocus && document.contains(returnFocus) ? returnFocus : $("keys-button");
      if (back && back.focus) back.focus();
      returnFocus = null;
    }
    var button = $("keys-button");
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.isContentEditable) return true;
    return !!target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true], " +
      ".dash-dropdown-wrapper, .dash-dropdown-content, [role=listbox], [role=combobox], [role=slider]");
  }

  /* Space on a focused button, link or summary is that control's own: it presses it. */
  function ownsSpace(target) {
    return !!(target && target.closest && target.closest("button, a[href], summary, [role=button]"));
  }

  function click(id) {
    var el = $(id);
    if (el && !el.disabled) el.click();
    return !!el;
  }

  /* The player's own method (assets/animation.js), on the explorer only; false without it. */
  function player(name, arg) {
    var p = window.errorSurfacePlayer;
    if (!p || typeof p[name] !== "function" || !$("anim-play")) return false;
    p[name](arg);
    return true;
  }

  function pickLesson(n) {
    var root = explorer();
    var ids = root ? (root.getAttribute("data-lessons") || "").split(",").filter(Boolean) : [];
    if (n < 1 || n > ids.length || !$("lesson")) return false;
    setProps("lesson", { value: ids[n - 1] }); // lesson_picked (server) draws it
    return true;
  }

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key;
    if (key === "Escape" && helpOpen()) {
      setHelp(false);
      event.preventDefault();
      return;
    }
    if (!explorer() || typing(event.target)) return;
    var done = false;
    if (key === " " || key === "Spacebar") {
      if (ownsSpace(event.target)) return;
      done = reveal(true) || player("toggle") || click("anim-play");
    } else if (key === "ArrowLeft") done = player("step", -1) || click("anim-back");
    else if (key === "ArrowRight") done = player("step", 1) || click("anim-forward");
    else if (/^[1-9]$/.test(key)) done = pickLesson(Number(key));
    else if (key === "?") {
      setHelp(!helpOpen());
      done = true;
    } else if (key === "r" || key === "R") done = reveal(true);
    else if (key === "p" || key === "P") {
      toggleProjector();
      done = true;
    }
    if (done) event.preventDefault();
  }

  // ------------------------------------------------------------------ Dash 4.4's markup, repaired

  function labelText(id) {
    if (!id) return "";
    var label = document.querySelector('label[for="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
    return label ? label.textContent.trim() : "";
  }

  /* What axe-core finds in Dash 4.4's components, not in this app's markup:
   * - dcc.RadioItems and dcc.Checklist draw native radios and checkboxes inside role="listbox" and
   *   role="option": a listbox may not hold inputs (nested-interactive), and it needs a name
   *   (aria-input-field-name). The native inputs say everything: the roles go, the group keeps a name.
   * - dcc.Dropdown puts a tabbable, aria-hidden input before its trigger button (for Safari's Tab
   *   order) that hands the focus on to the button (aria-hidden-focus): the button takes the Tab stop.
   * - dcc.Slider's thumb (role="slider") and this page's range scrubber have no name: the field's
   *   label, else the element's title, names them.
   * React leaves an attribute that it set once alone until its value changes, so these stick until
   * the component is drawn again, when the observer repairs the new one. */
  function repair(scope) {
    // RadioItems and Checklist only: a dropdown's open menu is a real listbox of options.
    var lists = scope.querySelectorAll(".dash-options-list[role=listbox]");
    for (var i = 0; i < lists.length; i++) {
      var list = lists[i];
      if (list.classList.contains("dash-dropdown-options")) continue;
      list.setAttribute("role", list.classList.contains("dash-radioitems") ? "radiogroup" : "group");
      var name = labelText(list.id) || list.getAttribute("title") || (list.parentElement && list.parentElement.getAttribute("title"));
      if (name && !list.hasAttribute("aria-label") && !list.hasAttribute("aria-labelledby")) list.setAttribute("aria-label", name);
      var options = list.querySelectorAll(".dash-options-list-option[role=option]");
      for (var j = 0; j < options.length; j++) {
        options[j].removeAttribute("role");
        options[j].removeAttribute("aria-selected");
      }
    }
    var targets = scope.querySelectorAll("input.dash-dropdown-focus-target");
    for (var k = 0; k < targets.length; k++) {
      if (targets[k].getAttribute("tabindex") !== "-1") targets[k].setAttribute("tabindex", "-1");
      var trigger = targets[k].nextElementSibling;
      if (trigger && trigger.tagName === "BUTTON" && !trigger.disabled && trigger.getAttribute("tabindex") !== "0") {
        trigger.setAttribute("tabindex", "0");
      }
    }
    var thumbs = scope.querySelectorAll("[role=slider]:not([aria-label]):not([aria-labelledby])");
    for (var m = 0; m < thumbs.length; m++) {
      var container = thumbs[m].closest(".dash-slider-container");
      var text = container && (labelText(container.id) || container.getAttribute("title"));
      thumbs[m].setAttribute("aria-label", text || "slider");
    }
    var scrubber = $("anim-scrubber");
    if (scrubber && !scrubber.hasAttribute("aria-label") && !labelText("anim-scrubber")) {
      scrubber.setAttribute("aria-label", explorer() && explorer().getAttribute("data-lang") === "zh" ? "步" : "Step");
    }
  }

  function syncLang() {
    var root = document.querySelector("#page-content > .page[lang], .page[data-lang]");
    var lang = root ? root.getAttribute("lang") : "en";
    if (lang && document.documentElement.lang !== lang) document.documentElement.lang = lang;
  }

  var pending = false;

  function onMutations(records) {
    var graphChanged = false;
    for (var i = 0; i < records.length && !graphChanged; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        if (added[j].nodeType === 1 && added[j].tagName.toLowerCase() === "g" && added[j].closest && added[j].closest("#surface-graph")) {
          graphChanged = true;
          break;
        }
      }
    }
    if (graphChanged) tagTraces(); // now, before the new trace groups are painted
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      repair(document);
      syncLang();
      var root = explorer();
      if (root && !root.__labSide) { // a page drawn afresh: its side bar as the server set it
        root.__labSide = true;
        setSide(sideOpen());
      }
      if (root) markPage(root);
    });
  }

  // ------------------------------------------------------------------ wiring

  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target.closest("button") : null;
    if (!target) return;
    if (target.id === "lang-switch") toggleLanguage();
    else if (target.id === "present-switch") toggleProjector();
    else if (target.id === "side-toggle") setSide(!sideOpen());
    else if (target.id === "keys-button") setHelp(!helpOpen());
    else if (target.id === "keys-close") setHelp(false);
    else if (target.id === "reveal") reveal(true);
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || !target.closest) return;
    if (target.closest("#predict")) onPredictSwitch();
    else if (target.closest("#exercise-hide")) setTimeout(updateExerciseLink, 0);
  });

  document.addEventListener("keydown", onKey);
  document.addEventListener("lab:scene", onScene);

  // The address bar changes without a new scene too (the predict switch, a hide list): dcc.Location
  // writes it with history.pushState or replaceState.
  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () {
      var result = original.apply(this, arguments);
      setTimeout(updateExerciseLink, 0);
      return result;
    };
  });
  window.addEventListener("popstate", function () { setTimeout(updateExerciseLink, 0); });

  new MutationObserver(onMutations).observe(document.documentElement, { childList: true, subtree: true });

  // For the browser tests and the console.
  window.errorSurfaceClassroom = {
    withPair: withPair, withMode: withMode, predicting: predicting, reveal: reveal, exerciseLink: exerciseLink,
  };
})();
