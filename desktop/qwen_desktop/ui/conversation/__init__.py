"""The strip above the chat: the title header and the per-conversation settings bar (region, protocol, model, thinking, context, tools)."""
