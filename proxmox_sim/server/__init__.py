"""The HTTPS server: connection handling, authentication, routing, caching, faults and the control API."""
