/* The corpus map's places (geo/render/corpusmap.py): a circle marker each, in a marker cluster group.
 *
 * DatelineCorpus.addPlaces(cluster, corpus) gets every place in one array: thousands of folium
 * elements made a page several times slower to write and larger. Each place is a row
 *   [lat, lon, style, radius, fillOpacity, tooltip, popupHead, [[document, mentions], ...], popupTail]
 * where style indexes corpus.styles (one per kind) and document indexes corpus.documents (shared by
 * every popup that lists it). The tooltip, the popup's parts and the documents are HTML that
 * geo/render/corpusmap.py escaped; this script only joins them, when a popup first opens. */
(function () {
  "use strict";

  function popup(row, documents) {
    var items = row[7].map(function (entry) {
      return "<li>" + documents[entry[0]] + ' <span class="dateline-meta">(' + Number(entry[1]) + "\u00d7)</span></li>";
    });
    return row[6] + '<ol class="dateline-documents">' + items.join("") + "</ol>" + row[8];
  }

  window.DatelineCorpus = {
    addPlaces: function (cluster, corpus) {
      var markers = corpus.places.map(function (row) {
        var marker = L.circleMarker([row[0], row[1]], L.extend({}, corpus.styles[row[2]],
                                                               {radius: row[3], fillOpacity: row[4]}));
        marker.bindTooltip(row[5], {direction: "top", offset: [0, -6]});
        marker.bindPopup(function () { return popup(row, corpus.documents); }, {maxWidth: 380, minWidth: 220});
        return marker;
      });
      cluster.addLayers(markers);  // in one go: far quicker than one by one
    },

    /* leaflet.heat shows a cell whose weights add up to its max option at full heat: at each zoom,
     * that is the densest cell's sum there (maxima, by zoom). Only while the layer is on the map:
     * leaflet.heat 0.2.0 fails to redraw off it. */
    scaleHeat: function (map, heat, maxima) {
      function scale() {
        if (map.hasLayer(heat)) heat.setOptions({max: maxima[Math.round(map.getZoom())] || 1});
      }
      map.on("zoomend", scale);
      heat.on("add", scale);
    }
  };
})();
