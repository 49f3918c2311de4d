"""Insight: trends, quiet and busy buurten, the dashboard and the report for the raad."""
