"""Student HTML made inert, wherever an instructor or a student reads it.

A submission controls its notebook's outputs and markdown cells. Rendered as HTML (the feedback page,
the formgrader's view of a submission), a `<script>`, an `onerror=` attribute, a `javascript:` link
or `display(Javascript(...))` would run in the reader's browser, with the reader's rights.

`SanitizeNotebook` runs after grading (nbgrader_config.py: right after the judged execution, so the
graded notebook itself is clean, and the formgrader shows it clean) and again before feedback is written:

- outputs keep only text/plain, PNG and JPEG images, and text/html passed through an allowlist
  (bleach): text, tables and plain formatting, images only as data:image/png|jpeg, links only to
  http(s) and mailto. JavaScript, SVG, widget views, LaTeX and markdown outputs are dropped, and
  their text/plain form stays;
- markdown and raw cells (written answers, and any text a student may have edited) go through the
  same allowlist, and markdown links to javascript:, vbscript: or data: are neutralised;
- attachments other than PNG and JPEG images, and the notebook's widget state (which would load
  JavaScript into the page), are dropped.
"""
import html
import html.parser
import re

import bleach
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "samp", "small", "span", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var"}
ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title", "width", "height"], "td": ["colspan", "rowspan"],
              "th": ["colspan", "rowspan"], "*": ["class"]}
PROTOCOLS = {"http", "https", "mailto", "data"}
KEEP_MIME = {"text/plain", "image/png", "image/jpeg"}
IMAGE_DATA = re.compile(r"^data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]*$")
TAG_LIKE = re.compile(r"<\s*[A-Za-z!/?]")
CODE = re.compile(r"((?:^|\n)[ ]{0,3}(?:```|~~~)[^\n]*\n.*?(?:\n[ ]{0,3}(?:```|~~~)[ \t]*(?=\n|$)|$)|`[^`\n]+`)", re.S)


def _attribute_ok(tag, name, value):
    if name in ("href", "src"):
        if tag == "img":
            return bool(IMAGE_DATA.match(value)) or value.startswith(("http://", "https://", "attachment:"))
        return value.startswith(("http://", "https://", "mailto:", "#"))
    allowed = ATTRIBUTES.get(tag, []) + ATTRIBUTES["*"]
    return name in allowed


def clean_html(html):
    """HTML with only the allowlisted tags and attributes; everything else escaped, comments dropped."""
    return bleach.clean(html, tags=TAGS, attributes=_attribute_ok, protocols=PROTOCOLS, strip=False,
                        strip_comments=True)


def _safe_target(target):
    """A markdown link target that cannot run script: http(s), mailto, #anchors, relative paths, data: images."""
    plain = re.sub(r"[\x00-\x20]", "", html.unescape(target)).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", plain)
    if scheme is None:
        return True      # relative, or an anchor
    return scheme.group(1) in ("http", "https", "mailto", "attachment") or bool(IMAGE_DATA.match(html.unescape(target)))


def _link(match):
    head, target = match.group(1), match.group(2)
    return head + (target if _safe_target(target.strip("<> ")) else "#blocked")


def clean_markdown(text):
    """Markdown whose raw HTML is cleaned and whose links and autolinks cannot run script."""
    text = re.sub(r"(\]\(\s*)(<[^>]*>|[^\s)]*)", _link, text)                   # [text](target ...)
    text = re.sub(r"(?m)^(\s{0,3}\[[^\]]+\]:\s*)(<[^>]*>|\S*)", _link, text)     # [ref]: target
    text = re.sub(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>",                        # <scheme:...> autolinks
                  lambda m: m.group(0) if _safe_target(m.group(1)) else "&lt;blocked&gt;", text)
    # raw HTML is cleaned outside code: in ``` blocks and `spans` markdown shows it as text anyway
    # (and `<s>` there is a start symbol, not a tag)
    parts = CODE.split(text)
    return "".join(part if k % 2 else (clean_html(part) if TAG_LIKE.search(part) else part)
                   for k, part in enumerate(parts))


def clean_output(output):
    """An output with only inert content, or None when nothing of it may be shown."""
    kind = output.get("output_type")
    if kind in ("stream", "error"):
        return output
    if kind not in ("display_data", "execute_result", "update_display_data"):
        return None
    data = output.get("data") or {}
    kept = {mime: value for mime, value in data.items() if mime in KEEP_MIME and isinstance(value, (str, list))}
    html = data.get("text/html")
    if isinstance(html, list):
        html = "".join(html)
    if isinstance(html, str):
        kept["text/html"] = clean_html(html)
    if not kept:
        kept["text/plain"] = "[output removed: only text and images are shown]"
    output["data"] = kept
    output["metadata"] = {mime: v for mime, v in (output.get("metadata") or {}).items()
                          if mime in ("image/png", "image/jpeg") and isinstance(v, dict)}
    return output


def clean_notebook(nb):
    """Make every cell of `nb` inert in place; return it."""
    for key in ("widgets",):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in (clean_output(o) for o in cell.get("outputs", [])) if o is not None]
        elif cell.cell_type == "markdown":
            cell.source = clean_markdown(cell.source)
        elif cell.cell_type == "raw":
            cell.source = clean_html(cell.source)
            for key in ("raw_mimetype", "format"):
                cell.metadata.pop(key, None)
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):
            for name in list(attachments):
                bundle = attachments[name]
                if not isinstance(bundle, dict):
                    del attachments[name]
                    continue
                for mime in list(bundle):
                    if mime not in ("image/png", "image/jpeg"):
                        del bundle[mime]
    return nb


class SanitizeNotebook(Preprocessor):
    """The nbgrader/nbconvert step that makes a submission's HTML inert (see the module docstring)."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        return clean_notebook(nb), resources


class _LiveScript(html.parser.HTMLParser):
    def __init__(self, marker):
        super().__init__()
        self.marker, self.found, self._script = marker, [], False

    def handle_starttag(self, tag, attrs):
        self._script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if self.marker in value and (name.startswith("on") or value.strip().lower().startswith("javascript:")):
                self.found.append(f"<{tag} {name}=...>")
        if tag in ("iframe", "object", "embed") and self.marker in str(attrs):
            self.found.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and self.marker in data:
            self.found.append(f"<script>{data[:60]}")


def live_script(page, marker):
    """Where in an HTML page a browser would run script that carries `marker`: event handlers, <script>
    bodies, javascript: links, frames. For tests: [] when the sanitizer did its work."""
    parser = _LiveScript(marker)
    parser.feed(page)
    return parser.found
