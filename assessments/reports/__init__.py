"""The read side of assessments: results, progress and portfolio data, their charts, exports and pages.

It holds no models. It reads the core (`assessments` models, selectors and `scoring`) and never writes.
"""
