"""The Settings dialog and the first-run welcome: keys per region, regions, defaults, appearance and MCP servers."""
