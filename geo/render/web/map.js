/* Dateline's map controls: the tile-free basemap, online tiles when reachable, the layer control,
 * the credits, the legend, the timeline slider (story mode) and labels that do not overlap.
 *
 * Dateline.init(map, config) sets up what every map has, whatever its Story (the outlines come
 * from geo/render/web/outlines.js, loaded before this script);
 * Dateline.show(map, view, overlays, markers) puts a Story on it (its layers, legend, credits,
 * timeline and view), replacing the Story shown before. The dashboard keeps one map mounted and
 * calls show again after each correction, so the outlines are drawn once, not after every click.
 *
 * Where the map looks comes from geo/render/storymap.py as "framings" ({bounds, options}): the
 * Story's fit, the dashboard's focus (the places of the event the reader picked) and each event's
 * focus in story mode. The map flies between them, or jumps when the reader prefers reduced motion.
 *
 * geo/render/storymap.py builds the markers and lines with folium. Everything from the article
 * reaches the page as data and is shown with textContent, never as HTML; the legend and credits are
 * HTML that geo/render/markup.py escaped. */
(function () {
  "use strict";

  var WORLD_COPIES = [-360, 0, 360];
  var TILE_ERRORS_BEFORE_GIVING_UP = 4;
  var WORLD_VIEW = {center: [20, 0], zoom: 2};
  var FLIGHT_SECONDS = 0.8;
  var LABEL_CELL = 96;  // px: the grid that finds overlapping labels without comparing every pair
  var LABEL_EVENTS = "zoomend moveend overlayadd overlayremove resize";
  var states = new WeakMap();  // map -> what init set up and what show put on it

  function element(tag, className, parent, text) {
    var node = L.DomUtil.create(tag, className || "", parent);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function quiet(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  /* Country outlines drawn three times, a world apart, in a pane under the tiles: when the tiles
   * load they cover it; when they cannot, the outlines are the map. */
  function addBasemap(map, outlines) {
    map.createPane("dateline-basemap").style.zIndex = 150;
    // one canvas for about 1,500 outlines: far quicker to draw than as many SVG paths
    var renderer = L.canvas({pane: "dateline-basemap", padding: 0.2});
    var copies = WORLD_COPIES.map(function (shift) {
      return L.geoJSON(outlines, {
        pane: "dateline-basemap", interactive: false, renderer: renderer,
        style: {color: "#9a9385", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1},
        coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); }
      });
    });
    return L.layerGroup(copies).addTo(map);
  }

  /* Online tiles are a layer the reader turns on: opening the map asks no server for anything.
   * When they cannot be reached, the layer is dropped again and the outlines stay. */
  function addTiles(map, tiles, onUnreachable) {
    var layer = L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: tiles.maxZoom});
    var errors = 0;
    layer.on("add", function () { errors = 0; });
    layer.on("tileerror", function () {
      errors += 1;
      if (errors === TILE_ERRORS_BEFORE_GIVING_UP) {
        map.removeLayer(layer);
        onUnreachable();
      }
    });
    return layer;
  }

  function addControl(map, position, className, build) {
    var Control = L.Control.extend({
      options: {position: position},
      onAdd: function () {
        var box = element("div", "leaflet-control dateline-panel " + className);
        quiet(box);
        build(box);
        return box;
      }
    });
    return new Control().addTo(map);
  }

  /* The legend's box: its content is the Story's (see show), its note says what became of the tiles. */
  function addLegend(map, folded) {
    var legend = {};
    addControl(map, "bottomright", "dateline-legend" + (folded ? " dateline-collapsed" : ""), function (box) {
      var toggle = element("button", "dateline-legend-toggle", box, "Legend");
      toggle.type = "button";
      var body = element("div", "dateline-legend-body", box);
      legend.content = element("div", "dateline-legend-content", body);
      legend.note = element("p", "dateline-meta dateline-tiles-note", body);
      toggle.addEventListener("click", function () { box.classList.toggle("dateline-collapsed"); });
    });
    return legend;
  }

  /* The sentence with the dated words marked: three text nodes, never HTML. */
  function markedSentence(parent, sentence, mark) {
    var p = element("p", "dateline-sentence", parent);
    if (!mark) { p.textContent = sentence; return p; }
    p.appendChild(document.createTextNode(sentence.slice(0, mark[0])));
    element("mark", "", p, sentence.slice(mark[0], mark[1]));
    p.appendChild(document.createTextNode(sentence.slice(mark[1])));
    return p;
  }

  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  /* Look at a framing (null: the world). With `fly` the map flies there, as story mode does between
   * events; otherwise, or when the reader prefers reduced motion, it is put there. */
  function frame(map, framing, fly) {
    var still = reducedMotion(), motion = still ? {animate: false} : {};
    if (!framing) map.setView(WORLD_VIEW.center, WORLD_VIEW.zoom, motion);
    else if (fly && !still) map.flyToBounds(framing.bounds, L.extend({duration: FLIGHT_SECONDS}, framing.options));
    else map.fitBounds(framing.bounds, L.extend({}, framing.options, motion));
  }

  /* Story mode. Events come in calendar order (geo/render/storymap.py orders them); step 0 is the
   * whole Story. Each step restyles the markers (markers and styles come as [place id, value] pairs:
   * a place id is data, never an object key), writes the event as text, and flies to its places,
   * or back to the Story's fit at step 0; an event without a place leaves the view where it is. */
  function addTimeline(map, events, markers, styles, fit) {
    if (!events.length) return null;
    return addControl(map, "bottomleft", "dateline-timeline", function (box) {
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Story mode: the dated events in calendar order");
      var title = element("div", "dateline-title", box);
      var row = element("div", "dateline-row", box);
      var back = element("button", "dateline-back", row, "\u25C0");
      var slider = element("input", "dateline-slider", row);
      var next = element("button", "dateline-next", row, "\u25B6");
      var detail = element("div", "dateline-event", box);
      back.type = next.type = "button";
      back.title = "earlier event"; next.title = "later event";
      back.setAttribute("aria-label", "earlier event");
      next.setAttribute("aria-label", "later event");
      slider.type = "range"; slider.min = 0; slider.max = events.length; slider.value = 0;
      slider.setAttribute("aria-label", "event on the timeline");

      function show(index) {
        slider.value = index;
        detail.textContent = "";
        var touched = index ? events[index - 1].places : null;
        markers.forEach(function (marker, id) {
          var state = !touched ? "normal" : (touched.indexOf(id) >= 0 ? "touched" : "faded");
          marker.setStyle(styles.get(id)[state]);
          if (state === "touched") marker.bringToFront();
        });
        if (!index) {
          title.textContent = "Story: all " + events.length;
          slider.setAttribute("aria-valuetext", "all " + events.length + " events");
          element("div", "dateline-hint", detail,
                  "Step through the dated events in calendar order: the map flies to the places each one touches.");
          return;
        }
        var event = events[index - 1];
        title.textContent = "Story: " + index + " / " + events.length;
        slider.setAttribute("aria-valuetext", index + " of " + events.length + ": " + event.when);
        element("div", "dateline-date", detail, event.when);
        markedSentence(detail, event.sentence, event.mark);
        element("div", "dateline-places", detail,
                event.labels.length ? "Places: " + event.labels.join(", ") : "No place in this sentence");
      }
      function step(index) {
        show(index);
        var target = index ? events[index - 1].focus : fit;
        if (target || !index) frame(map, target, true);
      }
      slider.addEventListener("input", function () { step(Number(slider.value)); });
      back.addEventListener("click", function () { step(Math.max(0, Number(slider.value) - 1)); });
      next.addEventListener("click", function () { step(Math.min(events.length, Number(slider.value) + 1)); });
      show(0);
    });
  }

  /* Labels (leg lengths, checked distances) that overlap one kept before them are hidden, greedily:
   * checked distances first, since their verdict is what the map is there to show, then journeys'
   * lengths, which the line's popup gives too; in drawing order within each. A grid of cells finds
   * the kept labels near a label, so a few hundred labels cost about their number. A hidden label
   * shows while the pointer is on its line (see peekLabels). */
  function declutter(map) {
    var nodes = Array.prototype.slice.call(map.getPane("tooltipPane").querySelectorAll(".dateline-label"));
    var labels = nodes.map(function (node) {
      return {node: node, rect: node.getBoundingClientRect(), rank: node.classList.contains("dateline-claim-label") ? 0 : 1};
    });
    labels.sort(function (a, b) { return a.rank - b.rank; });  // stable: drawing order within a rank
    var grid = new Map();
    labels.forEach(function (label) {
      var cells = cellsOf(label.rect);
      var clash = cells.some(function (cell) {
        return (grid.get(cell) || []).some(function (kept) { return overlap(kept, label.rect); });
      });
      label.node.classList.toggle("dateline-label-hidden", clash);
      if (clash) return;
      cells.forEach(function (cell) {
        if (!grid.has(cell)) grid.set(cell, []);
        grid.get(cell).push(label.rect);
      });
    });
  }

  function cellsOf(rect) {
    var cells = [];
    if (!rect.width || !rect.height) return cells;  // not drawn (a map in a hidden tab): nothing to clash with
    for (var x = Math.floor(rect.left / LABEL_CELL); x <= Math.floor(rect.right / LABEL_CELL); x++) {
      for (var y = Math.floor(rect.top / LABEL_CELL); y <= Math.floor(rect.bottom / LABEL_CELL); y++) {
        cells.push(x + "," + y);
      }
    }
    return cells;
  }

  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* Declutter once per frame, however many of LABEL_EVENTS fire together (zoomend, then moveend). */
  function watchLabels(map) {
    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; declutter(map); });
    }
    map.on(LABEL_EVENTS, schedule);
    return schedule;
  }

  /* While the pointer is on a line, its label shows even when declutter hid it. */
  function peekLabels(group) {
    function peek(on) {
      return function (event) {
        var line = event.propagatedFrom || event.layer;
        var tip = line && line.getTooltip && line.getTooltip();
        var node = tip && tip.getElement();
        if (node && node.classList.contains("dateline-label")) node.classList.toggle("dateline-label-peek", on);
      };
    }
    group.on("mouseover", peek(true));
    group.on("mouseout", peek(false));
  }

  /* The Story's overlays, in place of the previous Story's, first in the layer control, then the basemap's. */
  function listOverlays(map, state, overlays) {
    state.overlays.forEach(function (pair) {
      var kept = overlays.some(function (other) { return other[1] === pair[1]; });
      if (!kept) map.removeLayer(pair[1]);
    });
    state.overlays.concat(state.fixed).forEach(function (pair) { state.control.removeLayer(pair[1]); });
    overlays.concat(state.fixed).forEach(function (pair) { state.control.addOverlay(pair[1], pair[0]); });
    state.overlays = overlays;
  }

  function showCredits(map, state, credits) {
    state.credits.forEach(function (credit) { map.attributionControl.removeAttribution(credit); });
    credits.forEach(function (credit) { map.attributionControl.addAttribution(credit); });
    state.credits = credits;
  }

  /* Fit the Story's bounds when they changed (a new Story, a correction), fly to the focus (the
   * dashboard's chosen event) when it changed, and back to the fit when it is gone. A rerun that
   * changes neither, such as a new style, keeps the reader's view. */
  function fitView(map, state, fit, focus) {
    var fitKey = JSON.stringify(fit), focusKey = JSON.stringify(focus || null);
    var refit = fitKey !== state.fitted;
    if (!refit && focusKey === state.focused) return;
    state.fitted = fitKey;
    state.focused = focusKey;
    frame(map, focus || fit, !refit);
  }

  window.Dateline = {
    init: function (map, config) {
      L.Icon.Default.imagePath = "";  // the images are data URIs, not files beside the page
      L.Icon.Default.mergeOptions(config.icons);
      map.createPane("dateline-places").style.zIndex = 450;  // place markers above the lines, to be clicked
      var control = L.control.layers(null, null, {position: "topright", collapsed: true}).addTo(map);
      var basemap = addBasemap(map, window.DatelineOutlines || {type: "FeatureCollection", features: []});
      var legend = addLegend(map, config.legendFolded);
      legend.content.innerHTML = config.legend;  // until a Story is shown (see show)
      var tiles = addTiles(map, config.tiles, function () {
        legend.note.textContent = "OpenStreetMap tiles could not be reached: the offline outlines stay.";
      });
      var state = {control: control, legend: legend, overlays: [], credits: [], timeline: null,
                   fitted: undefined, focused: undefined, peeking: new WeakSet(), declutter: watchLabels(map),
                   fixed: [["OpenStreetMap tiles (online)", tiles], ["Country outlines (offline)", basemap]]};
      states.set(map, state);
      listOverlays(map, state, []);
      // on every map, with or without a Story (Leaflet counts attributions: a Story's repeat is shown once)
      config.credits.forEach(function (credit) { map.attributionControl.addAttribution(credit); });
    },

    show: function (map, view, overlays, markers) {
      var state = states.get(map);
      listOverlays(map, state, overlays);
      showCredits(map, state, view.credits);
      state.legend.content.innerHTML = view.legend;  // built and escaped by geo/render/markup.py
      if (state.timeline) map.removeControl(state.timeline);
      state.timeline = addTimeline(map, view.events, new Map(markers), new Map(view.styles), view.fit);
      overlays.forEach(function (pair) {
        if (!state.peeking.has(pair[1])) { state.peeking.add(pair[1]); peekLabels(pair[1]); }
      });
      fitView(map, state, view.fit, view.focus);
      state.declutter();
    }
  };
})();
