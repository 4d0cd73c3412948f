"""Read an admin page's form as a browser would post it back (inputs, selects, textareas)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_values: list[str] = []
        self._multiple = False
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_values, self._first_option = name, [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_values.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._multiple and self._first_option is not None:
                values = [self._first_option]  # a browser posts the first option of a plain select
            for value in values:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop the one newline that follows <textarea>.
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(response, form_id: str | None = None) -> dict[str, str | list[str]]:
    """The values the page's form would post (one value per name, or a list for several)."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    return {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}


def change_form_data(response) -> dict[str, str | list[str]]:
    """The admin change form of the page (``<form id="<model>_form">``), as its 保存 button posts it."""
    opts = response.context["opts"]
    return {**form_data(response, f"{opts.model_name}_form"), "_save": "保存"}
