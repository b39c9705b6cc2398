"""Seed documents: the layout system's text export (see docs/seed-format.md).

``parser`` turns one document's bytes into plain data and knows nothing of
the database; ``loader`` applies parsed documents to the database.
"""
