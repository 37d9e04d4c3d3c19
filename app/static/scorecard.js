// Scorecard page: autosave a moment after each change and on leaving a field; number keys
// rate the criterion in focus; submit asks to confirm and names unrated criteria.
// The page works without this script: the form posts and the server saves.
(function () {
  "use strict";
  var form = document.getElementById("scorecard-form");
  if (!form || !form.querySelector("fieldset:not([disabled])")) { return; }
  var state = document.getElementById("save-state");
  var timer = null;
  var pending = false;
  // One save at a time: each sends the row_version the one before it got back, so this
  // tab's own saves never look stale (another tab's do).
  var queue = Promise.resolve();

  function save() {
    queue = queue.then(send);
    return queue;
  }

  function send() {
    timer = null;
    if (!pending) { return Promise.resolve(); }
    pending = false;
    var data = new FormData(form);
    data.delete("then");
    return fetch(form.dataset.autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRF-Token": form.dataset.csrf }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        form.elements.row_version.value = result.body.row_version;
        var time = new Date(result.body.saved_at);
        state.textContent = state.dataset.savedLabel + " " + time.toLocaleTimeString();
        state.classList.remove("bad");
      } else {
        state.textContent = state.dataset.errorLabel + ": " + result.body.error;
        state.classList.add("bad");
      }
    }).catch(function () {
      state.textContent = state.dataset.errorLabel;
      state.classList.add("bad");
      pending = true;
    });
  }

  function soon() {
    pending = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", soon);
  form.addEventListener("focusout", function () { if (pending) { save(); } });
  window.addEventListener("beforeunload", function () { if (pending) { save(); } });

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.tagName === "TEXTAREA" || target.tagName === "SELECT" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (!/^[0-9]$/.test(event.key)) { return; }
    var fieldset = target.closest("fieldset.criterion");
    if (!fieldset) { return; }
    var value = event.key === "0" ? "" : event.key;
    var radio = fieldset.querySelector('input[type="radio"][value="' + value + '"]');
    if (radio) {
      radio.checked = true;
      radio.focus();
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      event.preventDefault();
    }
  });

  var submit = document.getElementById("submit-button");
  if (submit) {
    submit.addEventListener("click", function (event) {
      var unrated = [];
      form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
        var checked = fieldset.querySelector('input[type="radio"]:checked');
        if (!checked || checked.value === "") { unrated.push(fieldset.querySelector("legend").textContent.trim()); }
      });
      var message = submit.dataset.confirm;
      if (unrated.length) { message += "\n\n" + submit.dataset.unrated + "\n- " + unrated.join("\n- "); }
      event.preventDefault();
      if (!window.confirm(message)) { return; }
      // Confirmed here: save what is pending, then submit straight away.
      pending = true;
      save().then(function () {
        var post = document.createElement("form");
        post.method = "post";
        post.action = submit.dataset.submitUrl;
        var token = document.createElement("input");
        token.type = "hidden"; token.name = "csrf_token"; token.value = form.dataset.csrf;
        post.appendChild(token);
        document.body.appendChild(post);
        post.submit();
      });
    });
  }
}());
