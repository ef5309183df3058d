"""MkDocs adapter: publishes the handbook's routines (see ``plugin.py``)."""
