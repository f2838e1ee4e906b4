"""``python -m proxbox_cli``: the same as ``pxb``."""

from .main import app

app(prog_name='pxb')
