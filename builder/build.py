"""The pipeline (placeholder until render lands)."""
