// A heading that keyboard focus can be moved to (tabindex -1), hidden while empty.
function render({ model, el }) {
  let heading = null;

  function update() {
    const level = Math.min(6, Math.max(2, model.get("level")));
    const next = document.createElement(`h${level}`);
    next.className = "course-heading";
    next.tabIndex = -1;
    next.textContent = model.get("text");
    next.hidden = !model.get("text");
    if (heading) {
      heading.replaceWith(next);
    } else {
      el.appendChild(next);
    }
    heading = next;
  }

  function onMessage(message) {
    if (message && message.do === "focus" && heading && !heading.hidden) {
      heading.focus();
      heading.scrollIntoView({ block: "start" });
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
