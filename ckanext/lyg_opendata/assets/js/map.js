/* lyg_map_view: the features of a GeoJSON file drawn as SVG in a simple equirectangular
 * projection fitted to their extent; no basemap, so nothing is fetched from elsewhere. */
ckan.module("lyg-map", function ($) {
  "use strict";
  var NS = "http://www.w3.org/2000/svg", W = 800, H = 500, PAD = 30;
  function coords(geom, out) {
    if (!geom) { return out; }
    if (geom.type === "GeometryCollection") { geom.geometries.forEach(function (g) { coords(g, out); }); return out; }
    (function walk(c) { if (typeof c[0] === "number") { out.push(c); } else { c.forEach(walk); } })(geom.coordinates || []);
    return out;
  }
  return {
    initialize: function () {
      var el = this.el, svg = el.find("svg")[0], msg = el.find(".lyg-map-message");
      $.ajax({url: this.options.url, dataType: "json"}).done(function (data) {
        var feats = data.type === "FeatureCollection" ? data.features : (data.type === "Feature" ? [data] : [{geometry: data, properties: {}}]);
        var all = [];
        feats.forEach(function (f) { coords(f.geometry, all); });
        if (!all.length) { msg.text(msg.data("failed")); return; }
        var xs = all.map(function (c) { return c[0]; }), ys = all.map(function (c) { return c[1]; });
        var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
        var k = Math.min((W - 2 * PAD) / ((x1 - x0) || 1e-6), (H - 2 * PAD) / ((y1 - y0) || 1e-6));
        var px = function (c) { return [PAD + (c[0] - x0) * k, H - PAD - (c[1] - y0) * k]; };
        var path = function (ring) { return ring.map(function (c, i) { var p = px(c); return (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1); }).join(" "); };
        feats.forEach(function (f) {
          var g = f.geometry; if (!g) { return; }
          var title = Object.keys(f.properties || {}).map(function (key) { return key + ": " + f.properties[key]; }).join("\n");
          var add = function (node) { var t = document.createElementNS(NS, "title"); t.textContent = title; node.appendChild(t); svg.appendChild(node); };
          var points = g.type === "Point" ? [g.coordinates] : g.type === "MultiPoint" ? g.coordinates : null;
          if (points) {
            points.forEach(function (c) { var p = px(c), n = document.createElementNS(NS, "circle");
              n.setAttribute("cx", p[0]); n.setAttribute("cy", p[1]); n.setAttribute("r", 6);
              n.setAttribute("fill", "#1f6fb2"); n.setAttribute("fill-opacity", "0.8"); n.setAttribute("class", "lyg-map-point"); add(n); });
            return;
          }
          var lines = g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates :
            g.type === "Polygon" ? g.coordinates : g.type === "MultiPolygon" ? [].concat.apply([], g.coordinates) : [];
          var n = document.createElementNS(NS, "path");
          n.setAttribute("d", lines.map(path).join(" ") + (g.type.indexOf("Polygon") >= 0 ? " Z" : ""));
          n.setAttribute("fill", g.type.indexOf("Polygon") >= 0 ? "#cfe0f3" : "none");
          n.setAttribute("stroke", "#1f6fb2"); n.setAttribute("stroke-width", "1.5"); add(n);
        });
        msg.text(String(msg.data("count")).replace("{n}", feats.length));
        el.attr("data-lyg-drawn", "true");
      }).fail(function () { msg.text(msg.data("failed")); });
    }
  };
});
