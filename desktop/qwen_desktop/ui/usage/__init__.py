"""The Usage window: tokens, cost and cache hits over time, with its charts."""
