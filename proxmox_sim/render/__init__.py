"""Renderers: pure functions from the world model to API payloads, shaped per emulated version."""
