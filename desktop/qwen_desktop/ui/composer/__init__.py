"""Where the user writes: the message editor, images waiting to be sent, and the banners above it."""
