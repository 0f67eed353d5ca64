"""Marshmallow schemas of the API and the support rules they enforce (rules.py)."""
