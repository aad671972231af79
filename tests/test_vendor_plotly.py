"""`manage.py vendor_plotly` vendors the cartesian partial bundle of the plotly.js version the Python package
targets, under the name the templates load. npm is replaced by a stand-in that writes a tarball."""

import io
import json
import subprocess
import tarfile

import pytest
from django.core.management import CommandError, call_command
from plotly.offline import get_plotlyjs_version

from assessments.management.commands import vendor_plotly

BUNDLE = b"/* plotly.js (cartesian - minified) */ var Plotly = {};"


def _tarball(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def target(tmp_path, monkeypatch):
    folder = tmp_path / "static" / "vendor" / "plotly"
    monkeypatch.setattr(vendor_plotly, "TARGET", folder)
    return folder


@pytest.fixture
def npm(monkeypatch):
    """Records each npm command and answers as `npm pack --json` does, with a tarball in its folder."""
    calls = []

    def run(command, *, cwd, **kwargs):
        calls.append(command)
        filename = "plotly.js-cartesian-dist-min-9.9.9.tgz"
        _tarball(
            cwd / filename,
            {"package/plotly-cartesian.min.js": BUNDLE, "package/LICENSE": b"The MIT License (MIT)"},
        )
        return subprocess.CompletedProcess(command, 0, stdout=json.dumps([{"filename": filename}]))

    monkeypatch.setattr(vendor_plotly.subprocess, "run", run)
    return calls


def test_it_packs_the_cartesian_bundle_of_the_version_the_python_package_targets(target, npm):
    call_command("vendor_plotly", stdout=io.StringIO())
    [command] = npm
    assert command[:3] == ["npm", "pack", f"plotly.js-cartesian-dist-min@{get_plotlyjs_version()}"]


def test_it_writes_the_bundle_under_the_name_the_templates_load_with_its_version_and_licence(target, npm):
    call_command("vendor_plotly", stdout=io.StringIO())
    assert sorted(p.name for p in target.iterdir()) == ["LICENSE", "VERSION", "plotly.min.js"]
    assert (target / "plotly.min.js").read_bytes() == BUNDLE
    assert (target / "LICENSE").read_text().startswith("The MIT License")
    version = (target / "VERSION").read_text()
    assert f"plotly.js {get_plotlyjs_version()}, cartesian partial bundle" in version
    assert "MIT licence" in version


def test_a_failing_npm_says_why_and_writes_nothing(target, monkeypatch):
    def run(command, **kwargs):
        raise subprocess.CalledProcessError(1, command, stderr="npm ERR! 404 Not Found")

    monkeypatch.setattr(vendor_plotly.subprocess, "run", run)
    with pytest.raises(CommandError, match="404 Not Found"):
        call_command("vendor_plotly", stdout=io.StringIO())
    assert not target.exists()
