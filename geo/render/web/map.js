/* Dateline's map controls: the tile-free basemap, online tiles when reachable, the layer control,
 * the credits, the legend and the timeline slider.
 *
 * Dateline.init(map, config) sets up what every map has, whatever its Story (the outlines come
 * from geo/render/web/outlines.js, loaded before this script);
 * Dateline.show(map, view, overlays, markers) puts a Story on it (its layers, legend, credits,
 * timeline and view), replacing the Story shown before. The dashboard keeps one map mounted and
 * calls show again after each correction, so the outlines are drawn once, not after every click.
 *
 * geo/render/storymap.py builds the markers and lines with folium. Everything from the article
 * reaches the page as data and is shown with textContent, never as HTML; the legend and credits are
 * HTML that geo/render/markup.py escaped. */
(function () {
  "use strict";

  var WORLD_COPIES = [-360, 0, 360];
  var TILE_ERRORS_BEFORE_GIVING_UP = 4;
  var WORLD_VIEW = {center: [20, 0], zoom: 2};
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

  /* markers and styles come as [place id, value] pairs: a place id is data, never an object key. */
  function addTimeline(map, events, markers, styles) {
    if (!events.length) return null;
    return addControl(map, "bottomleft", "dateline-timeline", function (box) {
      element("div", "dateline-title", box, "Timeline");
      var row = element("div", "dateline-row", box);
      var back = element("button", "", row, "\u25C0");
      var slider = element("input", "dateline-slider", row);
      var next = element("button", "", row, "\u25B6");
      var count = element("span", "dateline-count", row);
      var detail = element("div", "dateline-event", box);
      back.type = next.type = "button";
      back.title = "earlier event"; next.title = "later event";
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
          count.textContent = "all " + events.length;
          element("div", "dateline-hint", detail, "Move the slider to see which places each dated event touches.");
          return;
        }
        var event = events[index - 1];
        count.textContent = index + " / " + events.length;
        element("div", "dateline-date", detail, event.when);
        markedSentence(detail, event.sentence, event.mark);
        element("div", "dateline-places", detail,
                event.labels.length ? "Places: " + event.labels.join(", ") : "No place in this sentence");
      }
      slider.addEventListener("input", function () { show(Number(slider.value)); });
      back.addEventListener("click", function () { show(Math.max(0, Number(slider.value) - 1)); });
      next.addEventListener("click", function () { show(Math.min(events.length, Number(slider.value) + 1)); });
      show(0);
    });
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

  /* Fit the Story's bounds when they changed: picking an event or a new style keeps the reader's view. */
  function fitView(map, state, fit) {
    var key = JSON.stringify(fit);
    if (key === state.fitted) return;
    state.fitted = key;
    if (fit) map.fitBounds(fit.bounds, fit.options);
    else map.setView(WORLD_VIEW.center, WORLD_VIEW.zoom);
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
      var state = {control: control, legend: legend, overlays: [], credits: [], timeline: null, fitted: undefined,
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
      state.timeline = addTimeline(map, view.events, new Map(markers), new Map(view.styles));
      fitView(map, state, view.fit);
    }
  };
})();
