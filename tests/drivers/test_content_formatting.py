"""The formatting subset of content text: *emphasis*, **strong** and paragraphs, nothing else; HTML in
content is refused where content is written and shown as text wherever content is read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.template import Context, Template
from django.urls import reverse

from drivers.formatting import inline, markup_problem, paragraphs, plain
from drivers.models import BestPractice, FrameworkVersion
from tests.drivers.test_load_framework import database_state, load, small_document, write
from tests.factories import UserFactory, make_version


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("both *and* receive", "both <em>and</em> receive"),
        ("a **firm** rule", "a <strong>firm</strong> rule"),
        ("**strong with *emphasis* inside**", "<strong>strong with <em>emphasis</em> inside</strong>"),
        ("(*and*),", "(<em>and</em>),"),
    ],
)
def test_emphasis_and_strong_are_the_whole_markup(text, html):
    assert inline(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src="x" onerror="alert(1)">', "&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;"),
        ("*<b>bold?</b>*", "<em>&lt;b&gt;bold?&lt;/b&gt;</em>"),
        ("[link](javascript:alert(1))", "[link](javascript:alert(1))"),
    ],
)
def test_html_in_content_is_shown_as_text(text, html):
    assert inline(text) == html
    assert paragraphs(text) == f"<p>{html}</p>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("a lone * star", "a lone * star"),
        ("*opened and never closed", "*opened and never closed"),
        ("closed* without opening", "closed* without opening"),
        ("**a*b**", "<strong>a*b</strong>"),  # the single star has no partner inside the strong part
        ("*a **b* c**", "*a <strong>b* c</strong>"),  # emphasis never crosses the edge of a strong part
        ("** spaced **", "** spaced **"),
    ],
)
def test_unbalanced_or_crossing_markers_stay_as_they_are_and_the_markup_stays_well_nested(text, html):
    assert inline(text) == html


@pytest.mark.parametrize("text", ["un*believ*able", "2*3*4", "FA**1**x", "snake_*case*d"])
def test_markers_inside_a_word_are_text(text):
    assert inline(text) == text


def test_blank_lines_make_paragraphs_and_a_single_line_break_stays_a_break():
    assert (
        paragraphs("One *stressed*.\n\nTwo\nlines.\n\n\n")
        == "<p>One <em>stressed</em>.</p><p>Two<br>lines.</p>"
    )
    assert paragraphs("") == ""


def test_emphasis_never_spans_paragraphs():
    assert paragraphs("*one\n\ntwo*") == "<p>*one</p><p>two*</p>"


def test_plain_text_drops_exactly_the_markers_that_format():
    assert plain("both *and* receive, **a*b**, 2*3") == "both and receive, a*b, 2*3"


def test_the_template_filters_render_through_the_same_subset():
    rendered = Template(
        "{% load content %}{{ s|content }}|{{ s|content_block }}|{{ s|content_plain }}"
    ).render(Context({"s": "<i>x</i> *and*"}))
    assert rendered == (
        "&lt;i&gt;x&lt;/i&gt; <em>and</em>|<p>&lt;i&gt;x&lt;/i&gt; <em>and</em></p>|&lt;i&gt;x&lt;/i&gt; and"
    )


@pytest.mark.parametrize("text", ["x < y", "3<4", "a <- b", "both *and*"])
def test_text_that_only_looks_like_markup_is_no_problem(text):
    assert markup_problem(text) is None


# --- Bad input: HTML in content is refused with a clear message, and nothing changes --------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "html", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "Done. <b>Really</b>."]
)
def test_a_content_file_with_html_in_a_statement_is_refused_and_nothing_is_loaded(tmp_path, html, capsys):
    document = small_document()
    document["categories"][0]["drivers"][0]["best_practices"][0]["statement"] = html
    before = database_state()
    with pytest.raises(CommandError) as excinfo:
        load(write(tmp_path, document))
    assert "best practice 'FA-1': statement contains HTML (<" in str(excinfo.value)
    assert "may use only *emphasis*, **strong**" in str(excinfo.value)
    assert database_state() == before


@pytest.mark.django_db
def test_a_content_file_with_html_in_the_introduction_is_refused(tmp_path):
    document = small_document()
    document["version"]["introduction"] = "Drivers <script>x()</script>"
    with pytest.raises(CommandError, match=r"version: introduction contains HTML \(<script>\)"):
        load(write(tmp_path, document))
    assert not FrameworkVersion.objects.exists()


@pytest.mark.django_db
def test_the_model_refuses_html_in_content_text_naming_the_field():
    item = make_version(publish=False).best_practices.first()
    item.guidance = "See <a href='javascript:x()'>here</a>."
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert list(excinfo.value.message_dict) == ["guidance"]
    assert excinfo.value.message_dict["guidance"][0].startswith("Contains HTML (<a href='javascript:x()'>)")


@pytest.mark.django_db
def test_the_admin_shows_the_message_and_keeps_the_stored_text(client):
    client.force_login(UserFactory(username="ada", is_staff=True, is_superuser=True))
    item = make_version(publish=False).best_practices.first()
    response = client.post(
        reverse("admin:drivers_bestpractice_change", args=[item.pk]),
        {
            "driver": item.driver_id,
            "code": item.code,
            "order": item.order,
            "statement": "<script>alert(1)</script>",
            "guidance": "",
            "rubric_in_place": "",
            "rubric_partially_in_place": "",
            "rubric_not_in_place": "",
            "provenance": "implhub",
            "editorial_note": "",
        },
    )
    assert response.status_code == 200
    assert "Contains HTML (&lt;script&gt;)" in response.content.decode()
    assert BestPractice.objects.get(pk=item.pk).statement == item.statement
