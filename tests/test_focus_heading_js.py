"""The focus heading's script in Chromium with a stand-in model: a "focus" request that
arrives before the text it follows (ipywidgets applies state asynchronously but fires custom
messages at once) still moves the focus, and a new text keeps the focus the old one held.
This race made a keyboard user's focus stay on the Check button under load."""

from __future__ import annotations

import pytest
from browser_support import require_browser
from report_browser_support import chromium_page

from course_lib.widgets.controls import STATIC

pytestmark = pytest.mark.browser

HARNESS = """
async (source) => {
  const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
  const widget = (await import(url)).default;
  const handlers = {};
  const state = {text: "", level: 4};
  const model = {
    get: (k) => state[k],
    on: (name, fn) => { (handlers[name] = handlers[name] || []).push(fn); },
    off: () => {},
    set(k, v) { state[k] = v; (handlers["change:" + k] || []).forEach((fn) => fn()); },
    send(msg) { (handlers["msg:custom"] || []).forEach((fn) => fn(msg)); },
  };
  const el = document.createElement("div");
  document.body.appendChild(el);
  const button = document.createElement("button");
  document.body.appendChild(button);
  widget.render({model, el});
  const focused = () => document.activeElement.textContent;
  const seen = [];
  button.focus();
  model.send({do: "focus"});          // before the text: nothing to focus yet
  seen.push(focused());
  model.set("text", "Feedback on case A");
  seen.push(focused());
  model.send({do: "focus"});          // the text is there: focus at once
  seen.push(focused());
  model.set("text", "Feedback on case B");  // a new text keeps the focus
  seen.push(focused());
  button.focus();
  model.set("text", "Feedback on case C");  // without a request, focus stays put
  seen.push(document.activeElement === button ? "button" : focused());
  return seen;
}
"""


def test_focus_request_before_its_text_still_moves_the_focus() -> None:
    require_browser()
    source = (STATIC / "focus_heading.js").read_text(encoding="utf-8")
    with chromium_page() as page:
        page.set_content("<!DOCTYPE html><html lang='en'><body></body></html>")
        seen = page.evaluate(HARNESS, source)
    assert seen == [
        "",
        "Feedback on case A",
        "Feedback on case A",
        "Feedback on case B",
        "button",
    ]
