"""Framework lifecycles are one data table, extendable in configuration (`[frameworks]`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_errors import error_for

from nodeleaklint.cache import settings_key
from nodeleaklint.config import discover_config
from nodeleaklint.engine import check_source
from nodeleaklint.rules import ALL_RULES
from nodeleaklint.semantics import frameworks
from nodeleaklint.semantics.repetition import REGISTRATION_METHODS
from nodeleaklint.semantics.vocabulary import (
    FRAMEWORK_NODE_LIFECYCLES,
    ONCE_PER_INSTANCE_HOOKS,
    TEARDOWN_METHODS,
)

# A framework the built-in table does not know: ``bus.onCommand(name, fn)`` runs ``fn`` per
# command, and ``bus.boot(fn)`` runs ``fn`` once.
SOURCE = b"""\
const bus = require('./bus');
const updates = require('./updates');

bus.onCommand('watch', (ctx) => {
  updates.on('change', (change) => ctx.reply(change));
});

bus.boot((config) => {
  process.on('SIGUSR2', () => config.reload());
});
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _lines(tmp_path: Path, toml: str | None) -> list[tuple[str, int, str]]:
    if toml is not None:
        (tmp_path / "nodeleaklint.toml").write_text(toml, encoding="utf-8")
    config = discover_config(tmp_path)
    report = check_source("app.js", SOURCE, config, ALL_RULES)
    return [(f.rule, f.span.line, f.confidence.value) for f in report.findings]


def test_unknown_apis_leave_repetition_unknown(tmp_path: Path) -> None:
    # Both callbacks run an unknown number of times: both listeners are medium findings.
    assert _lines(tmp_path, None) == [("NLL101", 5, "medium"), ("NLL101", 9, "medium")]


def test_configured_rows_decide_how_often_callbacks_run(tmp_path: Path) -> None:
    toml = '[frameworks.bus]\nper-event-methods = ["onCommand"]\nonce-methods = ["boot"]\n'
    # Per command: the listener is added per command (established, so high); once: quiet.
    assert _lines(tmp_path, toml) == [("NLL101", 5, "high")]


def test_the_configured_table_is_only_in_force_while_checking(tmp_path: Path) -> None:
    _lines(tmp_path, '[frameworks.bus]\nper-event-methods = ["onCommand"]\n')
    assert frameworks.active() is frameworks.DEFAULT
    assert "onCommand" not in frameworks.active().registration_methods


def test_configured_teardown_methods_extend_the_table() -> None:
    table = frameworks.extended({"pool": {"teardown-methods": ["release"]}})
    assert "release" in table.teardown_methods
    assert "release" not in frameworks.DEFAULT.teardown_methods
    assert frameworks.extended({}) is frameworks.DEFAULT


def test_the_table_reproduces_the_vocabulary_it_replaced() -> None:
    # The lists that were spread over repetition.py and vocabulary.py, now derived rows.
    assert {"on", "get", "use", "createServer", "setInterval", "onBeforeHandle", "onMessage"} <= (
        REGISTRATION_METHODS
    )
    assert "once" not in REGISTRATION_METHODS and "action" not in REGISTRATION_METHODS
    assert {"close", "destroy", "onModuleDestroy", "ngOnDestroy", "_final"} <= TEARDOWN_METHODS
    assert {"onModuleInit", "ngOnInit", "componentDidMount", "didReady"} <= (
        ONCE_PER_INSTANCE_HOOKS
    )
    assert FRAMEWORK_NODE_LIFECYCLES == {"createNode": ("input", "close")}
    table = frameworks.DEFAULT
    assert {"handler", "onRequest", "fetch", "connection"} <= table.handler_keys
    assert "link" not in table.handler_keys  # only inside an AngularJS directive factory
    assert {"SIGTERM", "listening", "connect", "$destroy"} <= table.one_shot_events
    assert [row.module for row in table.scoped(frameworks.Kind.EVENT, "connect")] == [
        "mqtt",
        "socket.io-client",
    ]


def test_the_table_is_part_of_the_cache_key() -> None:
    plain = settings_key(["NLL101"], {}, False)
    extended = settings_key(
        ["NLL101"], {}, False, frameworks={"bus": {"per-event-methods": ("onCommand",)}}
    )
    assert plain != extended
    assert plain == settings_key(["NLL101"], {}, False, frameworks={})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('frameworks = ["bus"]\n', "'frameworks' must be a table keyed by framework name"),
        ("[frameworks]\nbus = 1\n", "[frameworks.bus] must be a table"),
        (
            '[frameworks.bus]\nper-event-method = ["onCommand"]\n',
            "[frameworks.bus] unknown key 'per-event-method' (did you mean 'per-event-methods'?)",
        ),
        (
            '[frameworks.bus]\nteardown-methods = "release"\n',
            "[frameworks.bus] 'teardown-methods' must be a list of non-empty strings",
        ),
        (
            '[frameworks.bus]\nhandler-keys = ["on command"]\n',
            "[frameworks.bus] 'handler-keys': 'on command' is not a method, event or key name",
        ),
    ],
)
def test_bad_tables_are_errors_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    error = error_for(tmp_path, "nodeleaklint.toml", text)
    assert message in error
    assert error.startswith("nodeleaklint.toml:")


def test_package_json_uses_json_key_paths(tmp_path: Path) -> None:
    error = error_for(
        tmp_path, "package.json", '{"nodeleaklint": {"frameworks": {"bus": {"once-methods": [1]}}}}'
    )
    assert error.startswith('package.json: "nodeleaklint.frameworks.bus"')
