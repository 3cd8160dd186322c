/* Follow-up questions: while a reader types, show the approved articles that may already
   answer the question. Progressive enhancement: without JavaScript (or without fetch) the
   same matches are shown after sending. No dependencies, nothing inline (strict CSP): it
   talks only to our own server, at the form's data-suggestions-url. */
(function () {
  "use strict";

  var DELAY = 350; // milliseconds without typing before asking
  var MIN_LENGTH = 3; // as the server: shorter texts match nothing
  var MAX_LENGTH = 300; // the server searches no more than this

  var form = document.querySelector("form[data-suggestions-url]");
  if (!form || !window.fetch || !window.AbortController || !window.URLSearchParams) {
    return;
  }
  var field = form.querySelector("textarea[name='text']");
  var box = document.getElementById("follow-up-matches");
  var status = document.getElementById("follow-up-matches-status");
  if (!field || !box || !status) {
    return;
  }

  var timer = null;
  var pending = null; // the AbortController of the request in flight
  var asked = null; // the text last asked about
  var shown = 0; // how many matches are on screen

  function announce(count) {
    if (count === shown) {
      return; // the polite region speaks only when something changed
    }
    shown = count;
    if (count === 0) {
      status.textContent = "";
    } else {
      status.textContent = (count === 1 ? "1 approved article" : count + " approved articles") +
        " may already answer your question. They are listed below the question box.";
    }
  }

  function show(html) {
    // A fragment our own server rendered, everything in it escaped by Django's templates.
    box.innerHTML = html;
    var count = box.querySelectorAll("li").length;
    box.hidden = count === 0;
    announce(count);
  }

  function ask() {
    var text = field.value.replace(/\s+/g, " ").trim().slice(0, MAX_LENGTH);
    if (text === asked) {
      return;
    }
    asked = text;
    if (pending) {
      pending.abort(); // a stale answer must never replace a newer one
      pending = null;
    }
    if (text.length < MIN_LENGTH) {
      show("");
      return;
    }
    var controller = new AbortController();
    var body = new URLSearchParams();
    body.set("text", text);
    pending = controller;
    fetch(form.getAttribute("data-suggestions-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      // No token: the server accepts only same-origin posts, by the headers every browser
      // adds itself (Sec-Fetch-Site, Origin), so the page carries nothing personal.
      headers: { Accept: "text/html" },
      signal: controller.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status); // e.g. 429: keep what is shown
        }
        return response.text();
      })
      .then(function (html) {
        if (pending === controller) {
          pending = null;
          show(html);
        }
      })
      .catch(function () {
        if (pending === controller) {
          pending = null;
          asked = null; // try again on the next keystroke
        }
      });
  }

  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY);
  });
  if (field.value.trim()) {
    ask(); // a question kept after an error, or restored by the browser
  }
})();
