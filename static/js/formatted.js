// A small toolbar over each formatted-text area (data-formatted): bold, italic and a dash
// item, also with Ctrl+B and Ctrl+I. The text keeps its marks (**bold**, *italic*, "- ");
// doluong_dialogue/formatted.py turns them into the page's and the document's formatting.
(function () {
  "use strict";

  function wrap(area, mark) {
    var start = area.selectionStart, end = area.selectionEnd, value = area.value;
    var chosen = value.slice(start, end) || area.dataset.placeholderWord || "";
    area.value = value.slice(0, start) + mark + chosen + mark + value.slice(end);
    area.selectionStart = start + mark.length;
    area.selectionEnd = start + mark.length + chosen.length;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  function dash(area) {
    var value = area.value, start = area.selectionStart;
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    if (value.slice(lineStart, lineStart + 2) === "- ") return;
    area.value = value.slice(0, lineStart) + "- " + value.slice(lineStart);
    area.selectionStart = area.selectionEnd = start + 2;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  function button(label, title, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", action);
    return b;
  }

  document.querySelectorAll("textarea[data-formatted]").forEach(function (area) {
    var labels = document.documentElement.lang === "vi"
      ? { bold: "Chữ đậm (Ctrl+B)", italic: "Chữ nghiêng (Ctrl+I)", dash: "Dòng gạch đầu dòng" }
      : { bold: "Bold (Ctrl+B)", italic: "Italic (Ctrl+I)", dash: "Dash item" };
    var bar = document.createElement("div");
    bar.className = "btn-group mb-1";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", area.labels && area.labels[0] ? area.labels[0].textContent.trim() : "");
    var bold = button("B", labels.bold, function () { wrap(area, "**"); });
    bold.classList.add("fw-bold");
    var italic = button("I", labels.italic, function () { wrap(area, "*"); });
    italic.classList.add("fst-italic");
    bar.append(bold, italic, button("–", labels.dash, function () { dash(area); }));
    area.parentNode.insertBefore(bar, area);
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey)) return;
      if (event.key === "b" || event.key === "B") { event.preventDefault(); wrap(area, "**"); }
      if (event.key === "i" || event.key === "I") { event.preventDefault(); wrap(area, "*"); }
    });
  });
})();
