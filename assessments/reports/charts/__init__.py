"""Plotly figures of the scoring data, one module per page, each with its data table and summary."""
