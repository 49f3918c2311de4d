"""The open, read-only JSON/GeoJSON API of public data, with its OpenAPI document."""
