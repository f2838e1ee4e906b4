"""Repository-wide pytest configuration."""
