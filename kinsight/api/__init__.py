"""The JSON API (django-ninja), its OpenAPI document at /api/openapi.json and docs at /api/docs."""
