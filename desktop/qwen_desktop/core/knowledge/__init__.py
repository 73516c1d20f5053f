"""Model knowledge beyond the bundled catalog: region lists, learned facts, catalog updates."""
