"""Jupyter Server settings of the formgrader service (on the JUPYTER_CONFIG_PATH of the service only).

Content-Security-Policy of every page the service sends (the formgrader, its view of each submission,
its JupyterLab):

- frame-ancestors 'self': JupyterHub >= 4.1 sends `frame-ancestors 'none'` from every single-user server,
  and nbgrader's formgrader panel in JupyterLab is an iframe: it would stay blank. Framing by the same
  origin (the service's own JupyterLab) is safe and enough.
- script-src: scripts only from the service itself (and MathJax's CDN, which the submission view loads);
  no plugins (object-src 'none'), no <base> hijack, forms post only here. nbgrader's formgrader pages
  use inline scripts and inline event handlers of their own, and JupyterLab evaluates code it builds,
  so 'unsafe-inline' and 'unsafe-eval' stay: what keeps a student's script out of these pages is that
  student HTML is made inert before it is stored (rnngrader/sanitize.py), which the browser test checks.
"""
c = get_config()  # noqa: F821

CSP = "; ".join([
    "frame-ancestors 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' https://cdnjs.cloudflare.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": CSP}}
