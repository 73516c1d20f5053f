"""What the next request carries: the context meter, the inspector, the rolling-summary divider and retrieval indexing."""
