/*
 * Suggestions as one types in the site search box: the ARIA 1.2 combobox pattern.
 * Without JavaScript the box is a plain search form. Keys: ↓/↑ move through the list,
 * Enter opens the highlighted suggestion (or searches), Escape closes the list.
 * Suggestions are built with textContent only: nothing from the server becomes markup.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.site-search[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name='q']");
  var list = form.querySelector("[role='listbox']");
  var status = form.querySelector("[data-suggest-status]");
  if (!input || !list) return;

  var options = [];
  var active = -1;
  var timer = null;
  var composing = false;
  var latest = "";

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function announce(text) {
    if (status) status.textContent = text;
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(suggestions) {
    close();
    if (!suggestions.length) {
      announce(form.dataset.suggestNone || "");
      return;
    }
    suggestions.forEach(function (suggestion, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = suggestion.url;
      var title = document.createElement("span");
      title.textContent = suggestion.title;
      var type = document.createElement("span");
      type.className = "suggestion-type";
      type.textContent = suggestion.type;
      option.append(title, type);
      // mousedown, not click: the input keeps focus until the page changes.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        window.location.assign(suggestion.url);
      });
      list.appendChild(option);
      options.push(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    announce((form.dataset.suggestSome || "").replace("%(count)s", String(options.length)));
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    latest = query;
    if (!query) {
      close();
      return;
    }
    var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { query: query, suggestions: [] };
      })
      .then(function (data) {
        if (data.query === latest && document.activeElement === input) open(data.suggestions);
      })
      .catch(close);
  }

  input.addEventListener("compositionstart", function () {
    composing = true;
  });
  input.addEventListener("compositionend", function () {
    composing = false;
    fetchSuggestions();
  });
  input.addEventListener("input", function () {
    if (composing) return; // pinyin being typed into an input method
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) fetchSuggestions();
      else highlight(active + 1 < options.length ? active + 1 : 0);
    } else if (event.key === "ArrowUp") {
      if (list.hidden) return;
      event.preventDefault();
      highlight(active > 0 ? active - 1 : options.length - 1);
    } else if (event.key === "Enter") {
      if (active >= 0 && !list.hidden) {
        event.preventDefault();
        window.location.assign(options[active].dataset.url);
      }
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });
  input.addEventListener("blur", function () {
    window.setTimeout(close, 100);
  });
})();
