// A labelled native range input (see course_lib/widgets/controls.py): Tab reaches it, the
// arrow keys, Page Up/Down, Home and End move it, and its label is its accessible name.
let counter = 0;

// Each widget may load its own copy of this module (so `counter` restarts at 1) and many
// views render within one millisecond: only a random part keeps two groups' radio names
// (or two sliders' ids) apart. Shared names merged groups: Tab skipped one, and choosing
// in one cleared another.
function uniqueSuffix() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function render({ model, el }) {
  counter += 1;
  const id = `course-slider-${uniqueSuffix()}-${counter}`;
  const row = document.createElement("div");
  row.className = "course-slider";
  // JupyterLab binds arrow keys to moving between cells; here they move the slider.
  row.setAttribute("data-lm-suppress-shortcuts", "true");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "course-slider__label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const readout = document.createElement("output");
  readout.htmlFor = id;
  readout.className = "course-slider__value";
  readout.setAttribute("aria-hidden", "true"); // the range input announces its own value
  row.append(label, input, readout);
  el.appendChild(row);

  function sync() {
    label.textContent = model.get("description");
    label.style.width = model.get("label_width") || "auto";
    label.title = model.get("tooltip");
    input.title = model.get("tooltip");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.value = String(model.get("value"));
    input.disabled = model.get("disabled");
    readout.textContent = String(model.get("value"));
  }

  function onInput() {
    readout.textContent = input.value; // follow the thumb; the model changes on release
  }

  function onChange() {
    model.set("value", Number(input.value));
    model.save_changes();
  }

  const KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
    "PageUp", "PageDown"]);
  function onKeydown(event) {
    if (KEYS.has(event.key)) {
      event.stopPropagation();
    }
  }

  input.addEventListener("input", onInput);
  input.addEventListener("change", onChange);
  input.addEventListener("keydown", onKeydown);
  const events = ["change:value", "change:min", "change:max", "change:step", "change:disabled",
    "change:description", "change:tooltip", "change:label_width"];
  events.forEach((event) => model.on(event, sync));
  sync();
  return () => events.forEach((event) => model.off(event, sync));
}

export default { render };
