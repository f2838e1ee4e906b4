"""``pxb``: drive Proxbox from the command line through the plugin's REST API in NetBox.

Layers: ``commands`` (Typer, thin) → ``actions`` (the shared helpers) → ``client`` (httpx, typed
``models``, the ``errors`` hierarchy); ``settings`` (one validated object); ``output``, ``render``
and ``reporting`` (Rich, stdout for results and stderr for progress). See docs/cli.md.
"""
