"""Ingest-side tools: the sample catalog generator."""
