"""Jupyter Server settings of the formgrader service (on the JUPYTER_CONFIG_PATH of the service only).

JupyterHub >= 4.1 sends `Content-Security-Policy: frame-ancestors 'none'` from every single-user
server, and nbgrader's formgrader panel in JupyterLab is an iframe: it stays blank. Framing by
the same origin (the service's own JupyterLab) is safe and enough.
"""
c = get_config()  # noqa: F821

c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
