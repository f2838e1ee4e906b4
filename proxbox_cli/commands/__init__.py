"""pxb's commands: each parses its options and calls one helper in :mod:`proxbox_cli.actions`."""
