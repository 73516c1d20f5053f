"""What every part of the window shares: app identity, formatting, error sentences, palettes, translations and small widgets."""
