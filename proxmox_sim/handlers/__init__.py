"""Handlers of the ``/api2/json`` read endpoints, one module per area, registered on :data:`ROUTER`."""

from __future__ import annotations

from ..server.routing import Router

__all__ = ['ROUTER']

ROUTER = Router()

from . import cluster, guests, nodes, notifications  # noqa: E402, F401  (registers the routes)
