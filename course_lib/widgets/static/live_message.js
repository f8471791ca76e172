// A persistent status region: created once, so screen readers announce each change.
const SYMBOLS = { info: "ℹ", warn: "⚠", ok: "✓", error: "✗" };
const WORDS = { info: "Note:", warn: "Warning:", ok: "Done:", error: "Error:" };

function render({ model, el }) {
  const box = document.createElement("div");
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  box.setAttribute("aria-atomic", "true");
  box.tabIndex = -1;
  el.appendChild(box);

  function update() {
    const text = model.get("text");
    const kind = model.get("kind");
    const hidden = model.get("screen_reader_only") ? " course-sr-only" : "";
    box.className = `course-live course-live--${kind}${hidden}`;
    box.replaceChildren();
    if (!text) {
      return;
    }
    const symbol = document.createElement("span");
    symbol.setAttribute("aria-hidden", "true");
    symbol.textContent = `${SYMBOLS[kind] || ""} `;
    const word = document.createElement("strong");
    word.textContent = `${WORDS[kind] || ""} `;
    box.append(symbol, word, document.createTextNode(text));
  }

  function onMessage(message) {
    if (message && message.do === "focus") {
      box.focus();
    }
  }

  model.on("change:serial", update);
  model.on("msg:custom", onMessage);
  update();
  return () => {
    model.off("change:serial", update);
    model.off("msg:custom", onMessage);
  };
}

export default { render };
