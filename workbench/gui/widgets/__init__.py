"""Reusable widgets: table models, plots, heatmaps."""
