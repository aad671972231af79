"""Reads of action planning, one module per area (plan, loop, comments). Import from the module."""
