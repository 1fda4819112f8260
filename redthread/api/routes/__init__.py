"""API route modules; each exposes ``router: fastapi.APIRouter``."""
