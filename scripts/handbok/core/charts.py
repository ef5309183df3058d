"""Parsed process maps kept in the on-disk cache (``core.cache``), packed per map."""

from __future__ import annotations

import marshal

from .. import diagram as diagrams
from .cache import Store
from .cache import key as cache_key


def chart_rows(chart: diagrams.Flowchart) -> tuple:
    return (chart.direction, chart.title, chart.title_line, chart.description, chart.description_line,
            [(n.id, n.label, n.shape, n.line, n.link) for n in chart.nodes.values()],
            [(e.source, e.target, e.label, e.line) for e in chart.edges],
            [tuple(error) for error in chart.errors])


def chart_from(rows: tuple) -> diagrams.Flowchart:
    direction, title, title_line, description, description_line, nodes, edges, errors = rows
    chart = diagrams.Flowchart(direction=direction, title=title, title_line=title_line,
                               description=description, description_line=description_line)
    for node_id, label, shape, line, link in nodes:
        chart.nodes[node_id] = diagrams.Node(node_id, label, shape, line, link)
    chart.edges = [diagrams.Edge(source, target, label, line) for source, target, label, line in edges]
    chart.errors = [tuple(error) for error in errors]
    return chart


def chart_job(source: str) -> tuple[str, bytes]:
    """(cache key, packed chart) of one map: the unit of work of the parallel first run."""
    return cache_key(source), marshal.dumps(chart_rows(diagrams.parse(source)))


def cached_chart(store: Store, source: str) -> diagrams.Flowchart:
    entry = cache_key(source)
    packed = store.get(entry)
    if packed is not None:
        try:
            return chart_from(marshal.loads(packed))
        except (TypeError, ValueError, AttributeError, EOFError):
            pass
    chart = diagrams.parse(source)
    try:
        # Packed per map, so that loading the store does not unpack every map.
        store.put(entry, marshal.dumps(chart_rows(chart)))
    except (TypeError, AttributeError, ValueError):
        pass
    return chart
