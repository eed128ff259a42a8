"""Shaping store rows into API answers; plain functions, the store passed in."""
