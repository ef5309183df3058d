"""The core: the handbook's state, loaded once and derived once.

Every consumer – the checker (``checks``), the generated pages (``pages``),
the release tool (``release``), the MkDocs adapter (``mkdocs_plugin``) and the
CLI – reads the handbook through this package and nothing else re-reads or
re-derives it:

- ``loader``, ``routine_files``, ``validation``, ``prefetch`` – reading the
  routines and registers with the one model (``handbok.model``);
- ``handbook`` – the aggregate: routines, registers, maps, releases;
- ``releases``, ``hashing``, ``build`` – the releases register, content
  hashes, and whether a build is an approved release or a draft;
- ``state``, ``addresses`` – review, legal, finding and status state, tags,
  labels, and where everything is published;
- ``markdown_text`` – the one reading of an editor's Markdown (code, markers,
  routine links);
- ``mermaid``, ``maps``, ``map_text`` – the one reading of a process map,
  Mermaid's own (run under Node), the data classes and facts filled from it,
  and the map's Swedish text version;
- ``context``, ``generated`` – the build's context and the generated pages;
- ``cache``, ``history``, ``git``, ``errors`` – support.

The arrows point one way: ``model`` ← ``core`` ← ``checks``, ``pages``,
``release`` ← ``mkdocs_plugin``, ``cli`` (``tests/test_architecture.py``).
"""
