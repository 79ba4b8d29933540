// The console's only script, served from the hub itself (the pages' CSP allows no inline script):
// confirm before actions that cannot be undone, select a link's text with one click.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target.hasAttribute && target.hasAttribute("data-select-on-click")) {
    target.select();
  }
});

// A form sent back with errors: focus goes to the summary of them (read out as it is reached),
// and each of its links moves focus into the field it names, not only the view.
(function () {
  var first = document.querySelector("[data-focus-on-load]");
  if (first) {
    first.focus();
  }
})();
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-focus-field]");
  var field = link && document.getElementById(link.getAttribute("data-focus-field"));
  if (field) {
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  }
});

// A filter box above a long list (data-filters="the select's id"): typing keeps only the options
// whose text has what was typed; one left is chosen. Without this script the list still works.
document.querySelectorAll("input[data-filters]").forEach(function (box) {
  var select = document.getElementById(box.getAttribute("data-filters"));
  var status = document.getElementById(box.getAttribute("data-status") || "");
  if (!select) {
    return;
  }
  var all = Array.prototype.slice.call(select.options);
  box.addEventListener("input", function () {
    var typed = box.value.trim();
    var chosen = select.value;
    var kept = all.filter(function (option) {
      return option.value === "" || option.value === chosen || option.text.indexOf(typed) !== -1;
    });
    select.replaceChildren.apply(select, kept);
    select.value = chosen;
    var found = kept.filter(function (option) { return option.value !== "" && option.text.indexOf(typed) !== -1; });
    if (typed && found.length === 1) {
      select.value = found[0].value;
    }
    if (status) {
      status.textContent = typed ? "找到 " + found.length + " 个" : "";
    }
  });
});

// A file input hidden behind its Chinese button: the chosen file's name shown beside it.
document.addEventListener("change", function (event) {
  var input = event.target;
  var shown = input.id && document.querySelector('[data-file-name-of="' + input.id + '"]');
  if (shown && input.files) {
    shown.textContent = input.files.length ? "已选：" + input.files[0].name : "还没有选文件";
  }
});

// 复制: a command box's text to the clipboard (the enrolment card), said beside the button.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var box = document.getElementById(button.getAttribute("data-copy"));
  var said = document.querySelector('[data-copied-of="' + button.getAttribute("data-copy") + '"]');
  if (!box || !navigator.clipboard) {
    if (said) { said.textContent = "请手动选中复制"; }
    return;
  }
  navigator.clipboard.writeText(box.textContent).then(function () {
    if (said) { said.textContent = "已复制"; }
  }, function () {
    if (said) { said.textContent = "请手动选中复制"; }
  });
});

// 全选: a checkbox that ticks or clears every box of the name it names in its own form.
document.addEventListener("change", function (event) {
  var all = event.target.closest("[data-check-all]");
  if (!all || !all.form) {
    return;
  }
  var boxes = all.form.querySelectorAll('input[type="checkbox"][name="' + all.getAttribute("data-check-all") + '"]');
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].checked = all.checked;
  }
});
