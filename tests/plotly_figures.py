"""The charts build their figures as plain dicts, which nothing checks while a page is served: plotly checks
them in the tests (`tests/conftest.py` runs this on every chart a test draws)."""

import json

import plotly.graph_objects as go
import plotly.io as pio
from django.core.serializers.json import DjangoJSONEncoder


def assert_plotly_figure(figure: dict) -> None:
    """Plotly raises on a property or value that plotly.js does not know, and would send a property spelt
    its Python way (`marker_color`) otherwise than it was built: the figure must come back unchanged."""
    sent = json.loads(json.dumps(figure, cls=DjangoJSONEncoder))  # as the page's json_script sends it
    assert json.loads(pio.to_json(go.Figure(sent))) == sent
