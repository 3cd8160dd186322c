/* The article form (admin): a live preview beside it, citation-key completion while typing
   "[@", and sections moved by drag or keyboard. Progressive enhancement: without this script
   the form is Django's own (positions typed by hand) and the preview panel stays hidden.
   No dependencies and nothing inline (strict CSP): it talks only to our own server, at the
   preview panel's data-preview-url and data-keys-url.

   Sections are moved by this small script rather than django-admin-sortable2: that package
   moves rows by dragging only, and moving them with the keyboard is required here (WCAG
   2.1.1); its server side would add nothing, since place_sections (articles/admin_preview.py)
   already turns the posted order into positions. */
(function () {
  "use strict";

  var preview = document.getElementById("editor-preview");
  var form = document.getElementById("article_form");
  if (!preview || !form || !window.fetch || !window.FormData || !window.AbortController) {
    return;
  }
  var layout = preview.closest("[data-editor]");
  var announcer = document.getElementById("editor-announce");
  layout.classList.add("editor-layout--on");
  preview.hidden = false;

  function announce(text) {
    // Emptied first, so the same words said twice are heard twice.
    announcer.textContent = "";
    window.requestAnimationFrame(function () { announcer.textContent = text; });
  }

  function csrfToken() {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  // -- live preview ---------------------------------------------------------------------------

  var DELAY = 400; // milliseconds without typing before asking for a preview
  var page = document.getElementById("editor-preview-page");
  var status = document.getElementById("editor-preview-status");
  var readerSelect = document.getElementById("editor-preview-reader");
  var timer = null;
  var inFlight = false; // one request at a time; edits meanwhile ask again when it is back
  var again = false;
  var retryDelay = 0;
  var sent = 0; // numbers the requests; an answer older than the one shown is dropped
  var shownSeq = 0;
  var unknownCount = -1;
  var requests = 0; // how many previews this page asked for (read by the browser tests)

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(send, delay === undefined ? DELAY : delay);
  }

  function sayUnknown() {
    var article = page.querySelector("[data-unknown-count]");
    var count = article ? parseInt(article.getAttribute("data-unknown-count"), 10) : 0;
    if (count === unknownCount) {
      return; // spoken only when it changes, not on every keystroke's preview
    }
    if (count > 0 || unknownCount > 0) {
      announce(count === 0 ? "No unknown citation keys." :
        count + (count === 1 ? " unknown citation key" : " unknown citation keys") +
        ", listed at the top of the preview.");
    }
    unknownCount = count;
  }

  function send() {
    timer = null;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    retryDelay = 0;
    var seq = ++sent;
    requests += 1;
    preview.setAttribute("data-requests", String(requests));
    var body = new FormData(form);
    body.set("reader", readerSelect.value);
    fetch(preview.getAttribute("data-preview-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "text/html" },
    })
      .then(function (response) {
        if (response.status === 429) {
          var wait = parseInt(response.headers.get("Retry-After"), 10) || 10;
          status.textContent = "Preview paused: too many updates. It resumes in " + wait + " s.";
          again = true;
          retryDelay = wait * 1000;
          return null;
        }
        if (!response.ok) {
          return response.text().then(function (text) {
            status.textContent = (text && text.length < 200 ? text : "Preview unavailable") +
              " (" + response.status + ")";
            return null;
          });
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null || seq <= shownSeq) {
          return;
        }
        shownSeq = seq;
        // A fragment our own server rendered: every text in it escaped or sanitized there.
        page.innerHTML = html;
        // A source's link (DOI, PubMed) opens beside the form: leaving the page would lose
        // what is typed and not saved yet.
        page.querySelectorAll("a[href^='http']").forEach(function (link) {
          link.target = "_blank";
        });
        status.textContent = "";
        preview.setAttribute("data-shown", String(seq));
        sayUnknown();
      })
      .catch(function () {
        status.textContent = "Preview unavailable: the server did not answer.";
      })
      .finally(function () {
        inFlight = false;
        if (again) {
          again = false;
          schedule(retryDelay);
        }
      });
  }

  form.addEventListener("input", function () { schedule(); });
  form.addEventListener("change", function () { schedule(); });
  readerSelect.addEventListener("change", function () { schedule(0); });
  document.addEventListener("formset:added", function () { schedule(); });
  document.addEventListener("formset:removed", function () { schedule(); });

  // -- citation-key completion ------------------------------------------------------------------

  var keysUrl = preview.getAttribute("data-keys-url");
  // "[@par" or, inside a group, "[@a; @par": the part of a key typed so far, before the caret.
  var TRIGGER = /\[\s*(?:@[^\s;[\]@]+\s*;\s*)*@([^\s;[\]@]*)$/;
  var list = document.createElement("ul");
  list.id = "editor-keys";
  list.className = "editor-keys";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "References in the library");
  list.hidden = true;
  var field = null; // the text box the list belongs to
  var results = [];
  var active = -1;
  var keysTimer = null;
  var keysRequest = null;
  var inserting = false;

  function citable(element) {
    return element && element.tagName === "TEXTAREA" && (
      element.name === "bottom_line" ||
      /^sections-\d+-body$/.test(element.name) ||
      /^variants-\d+-text$/.test(element.name));
  }

  function typedKey(element) {
    if (element.selectionStart !== element.selectionEnd) {
      return null;
    }
    var match = TRIGGER.exec(element.value.slice(0, element.selectionStart));
    return match ? match[1] : null;
  }

  function closeKeys() {
    window.clearTimeout(keysTimer);
    if (keysRequest) {
      keysRequest.abort();
      keysRequest = null;
    }
    if (field) {
      field.removeAttribute("aria-activedescendant");
      field.removeAttribute("aria-controls");
    }
    list.hidden = true;
    results = [];
    active = -1;
  }

  function choose(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      field.setAttribute("aria-activedescendant", "editor-key-" + index);
      list.children[index].scrollIntoView({ block: "nearest" });
    }
  }

  function showKeys(found, query) {
    list.textContent = "";
    results = found;
    if (!found.length) {
      closeKeys();
      announce("No reference in the library matches “" + query + "”.");
      return;
    }
    found.forEach(function (reference, i) {
      var item = document.createElement("li");
      item.id = "editor-key-" + i;
      item.setAttribute("role", "option");
      var key = document.createElement("span");
      key.className = "editor-keys__key";
      key.textContent = reference.key;
      var meta = document.createElement("span");
      meta.className = "editor-keys__meta";
      meta.textContent = " — " + reference.title + (reference.year ? " (" + reference.year + ")" : "");
      item.appendChild(key);
      item.appendChild(meta);
      list.appendChild(item);
    });
    if (list.previousElementSibling !== field) {
      field.insertAdjacentElement("afterend", list);
    }
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    list.hidden = false;
    choose(0);
    announce(found.length + (found.length === 1 ? " reference matches" : " references match") +
      ". First: " + found[0].key + ". Up and down arrows to choose, Enter to insert, " +
      "Escape to close.");
  }

  function lookUp(query) {
    if (keysRequest) {
      keysRequest.abort(); // only the newest look-up is shown
    }
    var controller = new AbortController();
    keysRequest = controller;
    fetch(keysUrl + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller.signal,
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (keysRequest === controller) {
          keysRequest = null;
          showKeys(data.results || [], query);
        }
      })
      .catch(function () { /* aborted for a newer look-up, or offline: nothing to show */ });
  }

  function insertKey(key) {
    var caret = field.selectionStart;
    var before = field.value.slice(0, caret);
    var match = TRIGGER.exec(before);
    if (!match) {
      closeKeys();
      return;
    }
    var start = caret - match[1].length;
    var after = field.value.slice(caret);
    after = after.slice(/^[^\s;[\]@]*/.exec(after)[0].length); // the rest of a key being retyped
    var closing = /^\s*[;\]]/.test(after) ? "" : "]";
    field.value = before.slice(0, start) + key + closing + after;
    var end = start + key.length + closing.length;
    field.setSelectionRange(end, end);
    closeKeys();
    inserting = true;
    field.dispatchEvent(new Event("input", { bubbles: true })); // the preview follows
    inserting = false;
    announce("Inserted " + key + ".");
  }

  if (keysUrl) {
    form.addEventListener("input", function (event) {
      if (inserting || !citable(event.target)) {
        return;
      }
      var query = typedKey(event.target);
      if (query === null) {
        closeKeys();
        return;
      }
      if (field !== event.target) {
        closeKeys();
        field = event.target;
      }
      window.clearTimeout(keysTimer);
      keysTimer = window.setTimeout(function () { lookUp(query); }, 150);
    });
    form.addEventListener("keydown", function (event) {
      if (list.hidden || event.target !== field || !results.length) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        choose((active + step + results.length) % results.length);
        announce(results[active].key + ", " + results[active].title);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        insertKey(results[active].key);
      } else if (event.key === "Escape") {
        event.preventDefault();
        closeKeys();
        announce("Reference list closed.");
      }
    });
    form.addEventListener("focusout", function (event) {
      if (event.target === field) {
        closeKeys();
      }
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the caret in the text box
    });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[role='option']");
      if (item) {
        insertKey(results[Array.prototype.indexOf.call(list.children, item)].key);
      }
    });
  }

  // -- moving sections --------------------------------------------------------------------------

  var group = document.getElementById("sections-group");
  if (group) {
    setUpSections(group);
  }

  function setUpSections(group) {
    var ROW = /^sections-\d+$/;

    function rows() {
      return Array.prototype.filter.call(group.querySelectorAll(".inline-related"), function (row) {
        return ROW.test(row.id);
      });
    }
    function positionInput(row) {
      return row.querySelector("input[name$='-position']");
    }
    function headingOf(row) {
      var input = row.querySelector("input[name$='-heading']");
      return input && input.value.trim() ? "“" + input.value.trim() + "”" : "(untitled)";
    }

    // The order the positions say (after a refused save, Django lists rows by form, not by
    // the order the editor chose): sections with a position first, by it.
    var initial = rows();
    initial.map(function (row, i) {
      var value = parseInt(positionInput(row) && positionInput(row).value, 10);
      return { row: row, key: isNaN(value) ? Infinity : value, i: i };
    }).sort(function (a, b) { return a.key - b.key || a.i - b.i; }).forEach(function (item) {
      item.row.parentNode.insertBefore(item.row, rows()[rows().length - 1].nextSibling);
    });

    function hidePosition(row) {
      var wrapper = row.querySelector(".field-position");
      if (wrapper) {
        wrapper.classList.add("editor-hidden");
      }
    }
    var template = document.getElementById("sections-empty");
    if (template) {
      hidePosition(template);
    }

    function addMover(row) {
      if (row.querySelector(".section-mover")) {
        return;
      }
      hidePosition(row);
      if (row.classList.contains("has_original")) {
        row.setAttribute("data-editor-index", row.id.split("-")[1]);
      }
      var mover = document.createElement("div");
      mover.className = "section-mover";
      mover.setAttribute("role", "group");
      [["drag", "Drag"], ["up", "Move up"], ["down", "Move down"]].forEach(function (part) {
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("data-move", part[0]);
        button.textContent = part[1];
        if (part[0] === "drag") {
          button.className = "section-mover__handle";
        }
        mover.appendChild(button);
      });
      var place = document.createElement("span");
      place.className = "section-mover__place";
      mover.appendChild(place);
      var heading = row.querySelector("h3");
      heading.insertAdjacentElement("afterend", mover);
    }

    // Positions 1, 2, 3… in the order on screen, and each mover says where its section is.
    function number(changed) {
      var all = rows();
      all.forEach(function (row, i) {
        var input = positionInput(row);
        if (input && changed) {
          input.value = String(i + 1);
        }
        var mover = row.querySelector(".section-mover");
        if (!mover) {
          return;
        }
        var name = headingOf(row);
        mover.setAttribute("aria-label", "Order of section " + (i + 1) + ", " + name);
        mover.querySelector("[data-move='drag']").setAttribute(
          "aria-label", "Drag section " + name + " (or use Move up and Move down, or Alt+arrow keys)");
        mover.querySelector(".section-mover__place").textContent =
          "Section " + (i + 1) + " of " + all.length;
      });
    }

    function moved(row) {
      number(true);
      var all = rows();
      announce("Section " + headingOf(row) + " is now " + (all.indexOf(row) + 1) + " of " +
        all.length + ".");
      schedule();
    }

    function move(row, step) {
      var all = rows();
      var index = all.indexOf(row);
      var target = index + step;
      if (target < 0 || target >= all.length) {
        announce("Section " + headingOf(row) + " is already " + (step < 0 ? "first." : "last."));
        return false;
      }
      var other = all[target];
      other.parentNode.insertBefore(row, step < 0 ? other : other.nextSibling);
      moved(row);
      return true;
    }

    rows().forEach(addMover);
    number(false);
    group.addEventListener("input", function (event) {
      if (/-heading$/.test(event.target.name || "")) {
        number(false); // the movers are named after the headings
      }
    });

    group.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) {
        return;
      }
      var row = button.closest(".inline-related");
      var direction = button.getAttribute("data-move");
      if (direction === "drag") {
        if (event.detail === 0) { // a keyboard press, not the end of a drag
          announce("To move this section with the keyboard, use Move up and Move down, " +
            "or Alt with the up and down arrow keys.");
        }
        return;
      }
      move(row, direction === "up" ? -1 : 1);
      button.focus(); // moving the section took the focus away from its button
    });

    group.addEventListener("keydown", function (event) {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) {
        return;
      }
      var row = event.target.closest(".inline-related");
      if (!row || !ROW.test(row.id)) {
        return;
      }
      event.preventDefault();
      var focused = event.target;
      move(row, event.key === "ArrowUp" ? -1 : 1);
      focused.focus();
    });

    // Dragging by the handle, with any pointer: the section follows the pointer among the
    // others and takes its place where it is let go.
    var dragged = null;
    group.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest("[data-move='drag']");
      if (!handle || event.button !== 0) {
        return;
      }
      event.preventDefault();
      dragged = { row: handle.closest(".inline-related"), handle: handle, from: null };
      dragged.from = rows().indexOf(dragged.row);
      handle.setPointerCapture(event.pointerId);
      dragged.row.classList.add("section--dragging");
      document.body.classList.add("editor-dragging");
    });
    group.addEventListener("pointermove", function (event) {
      if (!dragged) {
        return;
      }
      var others = rows().filter(function (row) { return row !== dragged.row; });
      var before = null;
      for (var i = 0; i < others.length; i++) {
        var box = others[i].getBoundingClientRect();
        if (event.clientY < box.top + box.height / 2) {
          before = others[i];
          break;
        }
      }
      var anchor = before || others[others.length - 1].nextSibling;
      if (anchor !== dragged.row && anchor !== dragged.row.nextSibling) {
        dragged.row.parentNode.insertBefore(dragged.row, anchor);
      }
    });
    function endDrag() {
      if (!dragged) {
        return;
      }
      var row = dragged.row;
      var from = dragged.from;
      row.classList.remove("section--dragging");
      document.body.classList.remove("editor-dragging");
      dragged = null;
      if (rows().indexOf(row) !== from) {
        moved(row);
      }
    }
    group.addEventListener("pointerup", endDrag);
    group.addEventListener("pointercancel", endDrag);

    // A new section goes last; its position follows the others'.
    document.addEventListener("formset:added", function (event) {
      if (!event.detail || event.detail.formsetName !== "sections") {
        return;
      }
      var row = event.target;
      addMover(row);
      var highest = 0;
      rows().forEach(function (other) {
        var value = parseInt(positionInput(other) && positionInput(other).value, 10);
        if (other !== row && !isNaN(value)) {
          highest = Math.max(highest, value);
        }
      });
      positionInput(row).value = String(highest + 1);
      number(false);
    });

    // Removing an unsaved section makes Django renumber every form in the order on screen,
    // which after a move could give a new section the number of a saved one (and the saved
    // one would be skipped). Saved sections get their own numbers back, new ones follow.
    document.addEventListener("formset:removed", function (event) {
      if (!event.detail || event.detail.formsetName !== "sections") {
        return;
      }
      window.setTimeout(function () {
        var all = rows();
        var saved = all.filter(function (row) { return row.hasAttribute("data-editor-index"); });
        saved.sort(function (a, b) {
          return a.getAttribute("data-editor-index") - b.getAttribute("data-editor-index");
        });
        var fresh = all.filter(function (row) { return !row.hasAttribute("data-editor-index"); });
        saved.concat(fresh).forEach(renumberForm);
        number(true);
      }, 0);
    });

    function renumberForm(row, index) {
      var pattern = /sections-\d+/;
      var replacement = "sections-" + index;
      row.id = replacement;
      row.querySelectorAll("[id], [name], [for], [aria-describedby], [aria-labelledby]")
        .forEach(function (element) {
          ["id", "name", "for", "aria-describedby", "aria-labelledby"].forEach(function (name) {
            var value = element.getAttribute(name);
            if (value) {
              element.setAttribute(name, value.replace(pattern, replacement));
            }
          });
        });
    }
  }

  schedule(0);
})();
