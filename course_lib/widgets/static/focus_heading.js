// A heading that keyboard focus can be moved to (tabindex -1), hidden while empty.
// ipywidgets applies a state update asynchronously but fires a custom message at once, so
// "focus" can arrive before the text it follows: the request then waits for the text.
function render({ model, el }) {
  let heading = null;
  let pending = false;

  function focusNow() {
    pending = false;
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  }

  function update() {
    const level = Math.min(6, Math.max(2, model.get("level")));
    const next = document.createElement(`h${level}`);
    next.className = "course-heading";
    next.tabIndex = -1;
    next.textContent = model.get("text");
    next.hidden = !model.get("text");
    const hadFocus = heading !== null && heading.ownerDocument.activeElement === heading;
    pending = pending || hadFocus; // a new text must not drop the focus the old one held
    if (heading) {
      heading.replaceWith(next);
    } else {
      el.appendChild(next);
    }
    heading = next;
    if (pending && !heading.hidden) {
      focusNow();
    }
  }

  function onMessage(message) {
    if (message && message.do === "focus") {
      if (heading && !heading.hidden) {
        focusNow();
      } else {
        pending = true;
      }
    }
  }

  model.on("change:text", update);
  model.on("change:level", update);
  model.on("msg:custom", onMessage);
  update();
  return () => {
    model.off("change:text", update);
    model.off("change:level", update);
    model.off("msg:custom", onMessage);
  };
}

export default { render };
