/* lyg_chart_view: a bar, line or pie chart over two columns of a DataStore resource, drawn
 * with the vendored Apache ECharts. Rows come from datastore_search as the visitor (the
 * guard applies); labels come from the template (translated on the server). */
ckan.module("lyg-chart", function ($) {
  "use strict";
  var LIMIT = 1000;
  var NUMERIC = ["int", "int4", "int8", "integer", "numeric", "float8", "float4", "bigint"];
  return {
    initialize: function () {
      var el = this.el, o = this.options;
      var box = el.find(".lyg-chart-canvas")[0];
      var msg = el.find(".lyg-chart-message");
      var typeSel = el.find("select[name=type]"), xSel = el.find("select[name=x]"),
          ySel = el.find("select[name=y]");
      var chart = echarts.init(box, null, {renderer: "svg"});
      msg.text(msg.data("loading"));
      $.ajax({url: o.api, data: {resource_id: o.resource, limit: LIMIT}, dataType: "json"})
        .done(function (resp) {
          var fields = resp.result.fields.filter(function (f) { return f.id !== "_id"; });
          var records = resp.result.records;
          var numeric = fields.filter(function (f) { return NUMERIC.indexOf(f.type) >= 0; });
          var text = fields.filter(function (f) { return NUMERIC.indexOf(f.type) < 0; });
          if (!numeric.length) { msg.text(msg.data("empty")); return; }
          var label = function (f) { return (f.info && f.info.label) ? f.info.label + " (" + f.id + ")" : f.id; };
          fields.forEach(function (f) { xSel.append($("<option>").val(f.id).text(label(f))); });
          numeric.forEach(function (f) { ySel.append($("<option>").val(f.id).text(label(f))); });
          typeSel.val(o.type || "bar");
          xSel.val(o.x && fields.some(function (f) { return f.id === o.x; }) ? o.x : (text[0] || fields[0]).id);
          ySel.val(o.y && numeric.some(function (f) { return f.id === o.y; }) ? o.y : numeric[0].id);
          var draw = function () {
            var x = xSel.val(), y = ySel.val(), type = typeSel.val();
            var names = records.map(function (r) { return String(r[x]); });
            var values = records.map(function (r) { return r[y] === null ? null : Number(r[y]); });
            var yLabel = ySel.find("option:selected").text();
            var option = type === "pie" ? {
              tooltip: {trigger: "item"},
              series: [{type: "pie", radius: "65%", name: yLabel,
                        data: names.map(function (n, i) { return {name: n, value: values[i]}; })}]
            } : {
              tooltip: {trigger: "axis"},
              grid: {left: 60, right: 20, bottom: 90, top: 30},
              xAxis: {type: "category", data: names, axisLabel: {rotate: 40, interval: 0}},
              yAxis: {type: "value", name: yLabel},
              series: [{type: type, name: yLabel, data: values}]
            };
            chart.setOption(option, true);
          };
          typeSel.on("change", draw); xSel.on("change", draw); ySel.on("change", draw);
          draw();
          var total = resp.result.total;
          msg.text(total > LIMIT ? String(msg.data("truncated")).replace("{n}", LIMIT) : "");
          el.attr("data-lyg-drawn", "true");
          $(window).on("resize", function () { chart.resize(); });
        })
        .fail(function () { msg.text(msg.data("failed")); });
    }
  };
});
