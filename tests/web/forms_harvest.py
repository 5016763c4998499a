"""Reading a page's POST forms as a browser would, to send them back empty (issue 19.8).

``post_forms(html)`` lists every ``<form method="post">`` of a page: its action, the fields a
person fills in (inputs, selects, textareas; which are ``required``) and what the form sends
by itself (hidden inputs, the first named submit button). ``empty_submission`` is what a browser
sends when a person leaves every field blank; ``marked_invalid`` reads which fields a refused page
marks ``aria-invalid`` with an error message next to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Controls a person types or chooses into (hidden inputs and buttons are the form's own).
_FILLED = {"text", "search", "number", "date", "email", "tel", "url", "password", "file"}


@dataclass
class Form:
    action: str
    multipart: bool
    #: The browser leaves checking to the server, which names every error at once.
    novalidate: bool
    own: dict[str, str] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)

    #: What each select sends untouched: its selected option, else its first.
    chosen: dict[str, str] = field(default_factory=dict)

    def empty_submission(self) -> dict[str, str]:
        """The form as a browser sends it with every field left blank: text empty, each
        select on the option it shows, checkboxes and radios unticked."""
        out = dict(self.own)
        for name in self.fields:
            out.setdefault(name, self.chosen.get(name, ""))
        return out

    def blank_required(self) -> list[str]:
        """The required fields that a blank submission leaves empty."""
        return [name for name in self.required if not self.chosen.get(name)]


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._button_taken = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(
                    a.get("action", ""), "multipart" in a.get("enctype", ""), "novalidate" in a
                )
                self._button_taken = False
            return
        form = self._form
        if form is not None and tag == "option" and self._select is not None:
            value = a.get("value", "?")  # an option without a value sends its text
            if self._select not in form.chosen or "selected" in a:
                form.chosen[self._select] = value
            return
        name = a.get("name")
        if form is None or not name:
            return
        if tag == "select" and "multiple" not in a:
            self._select = name
        kind = a.get("type", "text" if tag == "input" else "submit").lower()
        if tag == "button":
            if kind == "submit" and not self._button_taken:
                form.own[name] = a.get("value", "")
                self._button_taken = True
            return
        if tag == "input" and kind == "hidden":
            form.own[name] = a.get("value", "")
            return
        if tag in ("select", "textarea") or (tag == "input" and kind in _FILLED):
            if kind != "file" and name not in form.fields:
                form.fields.append(name)
            if "required" in a and name not in form.required:
                form.required.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def post_forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class _Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.invalid: dict[str, list[str]] = {}
        self.error_ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if a.get("aria-invalid") == "true":
            key = a.get("name") or a.get("id", "")
            self.invalid[key] = a.get("aria-describedby", "").split()
        if "field-error" in a.get("class", "").split() and a.get("id"):
            self.error_ids.add(a["id"])


def marked_invalid(html: str) -> set[str]:
    """The fields (by name, or by id for a fieldset) marked ``aria-invalid`` and described by
    an error message on the page."""
    marks = _Marks()
    marks.feed(html)
    return {name for name, ids in marks.invalid.items() if any(i in marks.error_ids for i in ids)}
