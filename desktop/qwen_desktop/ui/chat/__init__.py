"""The conversation itself: message widgets, streaming Markdown text, the thinking section, tool cards, footers and scrolling."""
