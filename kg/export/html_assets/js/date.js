/* date: the date box, the slider over the days that change something (and the eve of
 * each, and any day typed), the milestone ticks under it, and Play.
 */
(function (app) {
  "use strict";

  var DATA = app.DATA;
  var ENT = app.ENT;
  var FACT = app.FACT;
  var RELATIONS = app.RELATIONS;
  var h = app.h;
  var clear = app.clear;
  var byId = app.byId;
  var label = app.label;
  var state = app.state;

  var dateBox = byId("kg-date");
  var slider = byId("kg-date-slider");
  var ticks = byId("kg-ticks");
  var playButton = byId("kg-play");
  var stops = DATA.stops.slice();  // sorted ISO days; the slider's last position is "all dates"
  var DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

  function renderTicks() {
    slider.max = String(stops.length);
    slider.disabled = !stops.length;
    clear(ticks);
    DATA.milestones.forEach(function (milestone) {
      var index = stops.indexOf(milestone.day);
      if (index < 0) { return; }
      var names = milestone.facts.map(function (fid) {
        var f = FACT[fid];
        return ENT[f.subject].label + " " + label(RELATIONS[f.relation].label) + " " + ENT[f.object].label;
      });
      ticks.appendChild(h("button", { type: "button", class: "kg-tick", data: { day: milestone.day },
        title: milestone.day + ": " + names.join("; "), "aria-label": "Go to " + milestone.day,
        style: { left: "calc(8px + (100% - 16px) * " + (index / Math.max(stops.length, 1)) + ")" },
        onclick: function () { pause(); setDate(milestone.day); } }));
    });
  }

  function setDate(day) {
    day = day || "";
    if (day && !(DAY_RE.test(day) && !isNaN(Date.parse(day + "T00:00:00Z")))) {
      throw new Error("kg.setDate: " + JSON.stringify(day) + " is not a day (YYYY-MM-DD)");
    }
    if (day && stops.indexOf(day) < 0) {
      stops.push(day);
      stops.sort();
      renderTicks();
    }
    state.date = day;
    dateBox.value = day;
    slider.value = String(day ? stops.indexOf(day) : stops.length);
    ticks.querySelectorAll(".kg-tick").forEach(function (tick) {
      tick.classList.toggle("kg-tick-on", tick.dataset.day === day);
    });
    app.apply();
  }

  var timer = null;

  function play() {
    if (timer) { return; }
    var days = DATA.dates;
    if (!days.length) { return; }
    if (!state.date || state.date >= days[days.length - 1]) { setDate(days[0]); }
    playButton.textContent = "❚❚ Pause";
    playButton.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      var next = days.filter(function (d) { return d > state.date; })[0];
      if (!next) { pause(); return; }
      setDate(next);
    }, 900);
  }

  function pause() {
    if (timer) { clearInterval(timer); }
    timer = null;
    playButton.textContent = "▶ Play";
    playButton.setAttribute("aria-pressed", "false");
  }

  renderTicks();
  dateBox.addEventListener("change", function () { pause(); setDate(dateBox.value); });
  dateBox.addEventListener("input", function () {
    if (dateBox.value || !dateBox.validity.badInput) { pause(); setDate(dateBox.value); }
  });
  slider.addEventListener("input", function () { pause(); setDate(stops[Number(slider.value)] || ""); });
  byId("kg-date-clear").addEventListener("click", function () { pause(); setDate(""); });
  playButton.addEventListener("click", function () { if (timer) { pause(); } else { play(); } });

  /** The controls as the page opens (before the first setDate). */
  function showInitialDate() {
    dateBox.value = app.INITIAL_DATE;
    slider.value = String(app.INITIAL_DATE ? stops.indexOf(app.INITIAL_DATE) : stops.length);
  }

  app.setDate = setDate;
  app.play = play;
  app.pause = pause;
  app.playing = function () { return !!timer; };
  app.showInitialDate = showInitialDate;
}(app));
