// A named group of native radio inputs (see course_lib/widgets/controls.py).
// Everything is redrawn from the model on every change: options, value, disabled, names.
let counter = 0;

// Each widget may load its own copy of this module (so `counter` restarts at 1) and many
// views render within one millisecond: only a random part keeps two groups' radio names
// (or two sliders' ids) apart. Shared names merged groups: Tab skipped one, and choosing
// in one cleared another.
function uniqueSuffix() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function groupName(model) {
  const context = model.get("context");
  return context ? `${model.get("description")}, ${context}` : model.get("description");
}

function render({ model, el }) {
  counter += 1;
  const name = `course-choice-${uniqueSuffix()}-${counter}`;
  const fieldset = document.createElement("fieldset");
  fieldset.setAttribute("role", "radiogroup");
  // JupyterLab binds arrow keys to moving between cells; inside a radio group they must
  // move between the options instead (Lumino skips shortcuts for events from here).
  fieldset.setAttribute("data-lm-suppress-shortcuts", "true");
  const legend = document.createElement("legend");
  const visible = document.createElement("span");
  const context = document.createElement("span");
  context.className = "course-sr-only";
  const locked = document.createElement("span");
  locked.className = "course-choice__locked";
  locked.textContent = " (locked)";
  legend.append(visible, context, locked);
  const list = document.createElement("div");
  list.className = "course-choice__options";
  fieldset.append(legend, list);
  el.appendChild(fieldset);

  function build() {
    list.replaceChildren();
    model.get("_options").forEach((option, index) => {
      const label = document.createElement("label");
      label.className = "course-choice__option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = String(index);
      const face = document.createElement("span");
      face.className = "course-choice__face";
      face.textContent = option.label;
      if (option.hint) {
        label.title = option.hint;
      }
      label.append(input, face);
      list.appendChild(label);
    });
    sync();
  }

  function sync() {
    const options = model.get("_options");
    const value = model.get("value");
    const disabled = model.get("disabled");
    const group = groupName(model);
    fieldset.className = `course-choice course-choice--${model.get("orientation")}`;
    fieldset.setAttribute("aria-label", group);
    fieldset.disabled = disabled;
    fieldset.setAttribute("aria-disabled", disabled ? "true" : "false");
    fieldset.style.setProperty("--course-choice-label-width", model.get("label_width") || "auto");
    visible.textContent = model.get("description");
    context.textContent = model.get("context") ? `, ${model.get("context")}` : "";
    locked.hidden = !disabled;
    const chosen = options.findIndex((option) => option.value === value);
    list.querySelectorAll("input").forEach((input) => {
      const option = options[Number(input.value)];
      input.checked = option !== undefined && option.value === value;
      // One tab stop: the chosen option, or the first while none is chosen (Chromium
      // otherwise lands a forward Tab on the last option of an unanswered group).
      input.tabIndex = Number(input.value) === Math.max(chosen, 0) ? 0 : -1;
      input.disabled = disabled;
      input.setAttribute("aria-label", `${option.label}, ${group}`);
      input.title = option.hint || "";
    });
  }

  function onChange(event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.checked) {
      return;
    }
    const option = model.get("_options")[Number(input.value)];
    if (option !== undefined) {
      model.set("value", option.value);
      model.save_changes();
    }
  }

  function onMessage(message) {
    if (message && message.do === "focus") {
      const target = list.querySelector("input:checked") || list.querySelector("input");
      if (target) {
        target.focus();
      }
    }
  }

  // The notebook also handles arrow keys (moving between cells) when they bubble up to it.
  const GROUP_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", " "]);
  function onKeydown(event) {
    if (GROUP_KEYS.has(event.key)) {
      event.stopPropagation();
    }
  }

  fieldset.addEventListener("change", onChange);
  fieldset.addEventListener("keydown", onKeydown);
  const events = ["change:value", "change:disabled", "change:description", "change:context",
    "change:orientation", "change:label_width"];
  events.forEach((event) => model.on(event, sync));
  model.on("change:_options", build);
  model.on("msg:custom", onMessage);
  build();
  return () => {
    events.forEach((event) => model.off(event, sync));
    model.off("change:_options", build);
    model.off("msg:custom", onMessage);
  };
}

export default { render };
