"""The acquire/release pair table is data, extendable in configuration (`[resources]`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_errors import error_for

from nodeleaklint.config import discover_config
from nodeleaklint.engine import check_source
from nodeleaklint.rules import ALL_RULES

HANDLER = b"""\
const sessions = require('./sessions');
const app = require('express')();

app.get('/a', async (req, res) => {
  const session = await sessions.checkout();
  const data = await session.read(req.query.id);
  session.checkin();
  res.json(data);
});

app.get('/b', async (req, res) => {
  const session = await sessions.checkout();
  try {
    res.json(await session.read(req.query.id));
  } finally {
    session.checkin();
  }
});

app.get('/c', async (req, res) => {
  const lease = await sessions.checkout();
  res.json(await lease.read(req.query.id));
  sessions.checkin(lease);
});
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _lines(tmp_path: Path, toml: str | None) -> list[tuple[str, int]]:
    if toml is not None:
        (tmp_path / "nodeleaklint.toml").write_text(toml, encoding="utf-8")
    config = discover_config(tmp_path)
    report = check_source("app.js", HANDLER, config, ALL_RULES)
    return [(f.rule, f.span.line) for f in report.findings if f.rule == "NLL602"]


def test_without_the_pair_nothing_is_known(tmp_path: Path) -> None:
    assert _lines(tmp_path, None) == []


def test_a_configured_pair_is_followed_on_every_path(tmp_path: Path) -> None:
    toml = '[resources.checkout]\nreleases = ["checkin"]\nowner-releases = ["checkin"]\n'
    # /a releases after an await outside finally; /b in finally; /c through the owner after an
    # await as well.
    assert _lines(tmp_path, toml) == [("NLL602", 5), ("NLL602", 21)]


def test_the_noun_is_used_in_messages(tmp_path: Path) -> None:
    toml = '[resources.checkout]\nreleases = ["checkin"]\nnoun = "pooled session"\n'
    (tmp_path / "nodeleaklint.toml").write_text(toml, encoding="utf-8")
    report = check_source("app.js", HANDLER, discover_config(tmp_path), ALL_RULES)
    messages = [f.message for f in report.findings if f.rule == "NLL602"]
    assert messages and all("pooled session" in message for message in messages)


def test_the_table_reaches_the_rule_as_its_option(tmp_path: Path) -> None:
    (tmp_path / "nodeleaklint.toml").write_text(
        '[resources.checkout]\nreleases = ["checkin"]\n\n[rules.NLL602]\nclients = ["Api"]\n',
        encoding="utf-8",
    )
    options = discover_config(tmp_path).rule_options["NLL602"]
    assert options["clients"] == ["Api"]
    assert options["resources"] == {
        "checkout": {"releases": ("checkin",), "owner-releases": (), "noun": "checkout result"}
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('resources = ["checkout"]\n', "'resources' must be a table keyed by the acquiring method"),
        (
            '[resources.checkout]\nrelease = ["checkin"]\n',
            "nodeleaklint.toml: [resources.checkout] unknown key 'release' "
            "(did you mean 'releases'?)",
        ),
        ("[resources.checkout]\nnoun = 'x'\n", "needs 'releases' or 'owner-releases'"),
        (
            '[resources.checkout]\nreleases = "checkin"\n',
            "[resources.checkout] 'releases' must be a list of non-empty strings",
        ),
        ('[resources]\ncheckout = ["checkin"]\n', "[resources.checkout] must be a table"),
        ('[resources."a b"]\nreleases = ["c"]\n', "[resources] 'a b' is not a method name"),
        (
            '[resources.checkout]\nreleases = ["checkin"]\nnoun = ""\n',
            "'noun' must be a non-empty string",
        ),
    ],
)
def test_bad_tables_are_errors_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    error = error_for(tmp_path, "nodeleaklint.toml", text)
    assert message in error
    assert error.startswith("nodeleaklint.toml:")


def test_package_json_uses_json_key_paths(tmp_path: Path) -> None:
    error = error_for(
        tmp_path, "package.json", '{"nodeleaklint": {"resources": {"checkout": {"releases": [1]}}}}'
    )
    assert error.startswith('package.json: "nodeleaklint.resources.checkout"')
