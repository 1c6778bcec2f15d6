/* date: the date box (a text box that takes and shows ISO days, YYYY-MM-DD, whatever the
 * browser's locale), the slider over the days that change something (and the eve of
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
  var t = app.t;

  var dateBox = byId("kg-date");
  var slider = byId("kg-date-slider");
  var ticks = byId("kg-ticks");
  var playButton = byId("kg-play");
  var stops = DATA.stops.slice();  // sorted ISO days; the slider's last position is "all dates"
  var DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

  /** A real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
  function isDay(text) {
    if (!DAY_RE.test(text)) { return false; }
    var time = Date.parse(text + "T00:00:00Z");
    return !isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
  }

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
        title: milestone.day + ": " + names.join("; "), "aria-label": t("date.goto", { day: milestone.day }),
        style: { left: "calc(8px + (100% - 16px) * " + (index / Math.max(stops.length, 1)) + ")" },
        onclick: function () { pause(); setDate(milestone.day); } }));
    });
  }

  function setDate(day) {
    day = day || "";
    if (day && !isDay(day)) {
      throw new Error("kg.setDate: " + JSON.stringify(day) + " is not a day (YYYY-MM-DD)");
    }
    if (day && stops.indexOf(day) < 0) {
      stops.push(day);
      stops.sort();
      renderTicks();
    }
    state.date = day;
    dateBox.value = day;
    markDateBox(true);
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
    playButton.textContent = t("pause");
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
    playButton.textContent = t("play");
    playButton.setAttribute("aria-pressed", "false");
  }

  renderTicks();
  function markDateBox(valid) {
    dateBox.classList.toggle("kg-invalid", !valid);
    if (valid) { dateBox.removeAttribute("aria-invalid"); } else { dateBox.setAttribute("aria-invalid", "true"); }
  }

  /** A day typed: shown once it is a whole day (or the box is empty); half-typed text waits. */
  function typed(final) {
    var text = dateBox.value.trim();
    if (!text || isDay(text)) {
      // The same day again (the change event when the box loses focus) redraws nothing.
      if (text !== state.date) { pause(); setDate(text); } else { markDateBox(true); }
    } else {
      markDateBox(!final && /^[\d-]*$/.test(text) && text.length < 10);
    }
  }
  dateBox.addEventListener("input", function () { typed(false); });
  dateBox.addEventListener("change", function () { typed(true); });
  dateBox.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { typed(true); } });
  slider.addEventListener("input", function () { pause(); setDate(stops[Number(slider.value)] || ""); });
  byId("kg-date-clear").addEventListener("click", function () { pause(); setDate(""); });
  playButton.addEventListener("click", function () { if (timer) { pause(); } else { play(); } });

  /** The controls as the page opens (before the first setDate). */
  function showInitialDate() {
    dateBox.value = app.INITIAL_DATE;
    slider.value = String(app.INITIAL_DATE ? stops.indexOf(app.INITIAL_DATE) : stops.length);
  }

  /** The Play button and the milestones' labels, in the interface language. */
  function translateDate() {
    playButton.textContent = t(timer ? "pause" : "play");
    renderTicks();
    ticks.querySelectorAll(".kg-tick").forEach(function (tick) {
      tick.classList.toggle("kg-tick-on", tick.dataset.day === state.date);
    });
  }

  app.setDate = setDate;
  app.translateDate = translateDate;
  app.play = play;
  app.pause = pause;
  app.playing = function () { return !!timer; };
  app.showInitialDate = showInitialDate;
}(app));
