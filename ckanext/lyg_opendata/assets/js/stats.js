/* lyg-stats-chart: one chart of the statistics page, drawn with the vendored Apache ECharts
 * from the figures the server put in data-module-figures (the same figures as the table
 * beside it; labels already translated on the server). */
ckan.module("lyg-stats-chart", function ($) {
  "use strict";
  return {
    options: {figures: null},
    initialize: function () {
      var el = this.el, fig = this.options.figures;
      if (typeof fig === "string") { fig = JSON.parse(fig); }
      if (!fig || !fig.categories.length) { return; }
      var chart = echarts.init(el[0], null, {renderer: "svg"});
      var option;
      if (fig.type === "pie") {
        option = {
          tooltip: {trigger: "item"},
          color: fig.palette,
          series: [{type: "pie", radius: ["25%", "55%"], name: fig.series[0].name,
                    label: {formatter: "{b}\n{c}", overflow: "break", width: 90},
                    data: fig.categories.map(function (c, i) {
                      return {name: c, value: fig.series[0].data[i]}; })}]
        };
      } else {
        option = {
          tooltip: {trigger: "axis"},
          grid: {left: 50, right: 16, bottom: 70, top: 20},
          xAxis: {type: "category", data: fig.categories,
                  axisLabel: {rotate: fig.categories.length > 6 ? 40 : 0, interval: 0}},
          yAxis: {type: "value", minInterval: 1},
          series: fig.series.map(function (s) {
            return {type: fig.type, name: s.name, data: s.data, itemStyle: {color: s.color},
                    lineStyle: {color: s.color}}; })
        };
      }
      chart.setOption(option);
      el.attr("data-lyg-drawn", "true");
      $(window).on("resize", function () { chart.resize(); });
    }
  };
});
