"""Writes of action planning, one module per area (plan, targets, comments, seen). Import from the module:
`from assessments.actions.services.plan import action_create`."""
