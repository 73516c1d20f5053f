"""The prompt library window: saved prompts with {{variables}}, their import and export."""
