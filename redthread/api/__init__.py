"""The HTTP API (FastAPI). Route modules in ``api/routes/`` are discovered."""
