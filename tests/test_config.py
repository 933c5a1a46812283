from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nodeleaklint import config as config_module
from nodeleaklint.config import (
    DEFAULT_EXCLUDES,
    Config,
    ConfigError,
    ConfigResolver,
    discover_config,
    load_config,
)
from nodeleaklint.findings import Confidence


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    config = discover_config(tmp_path)
    assert config == Config()
    assert config.root is None
    assert config.exclude == DEFAULT_EXCLUDES


def test_all_keys_are_read(tmp_path: Path) -> None:
    write(
        tmp_path / "nodeleaklint.toml",
        """
select = ["NLL1", "never-settling-promise"]
ignore = ["NLL102"]
exclude = ["vendor"]
extend-exclude = ["*.gen.js"]
max-file-size = 1000
respect-gitignore = false
min-confidence = "high"

[per-file-ignores]
"tests/**" = ["NLL601"]

[rules.raised-max-listeners]
threshold = 200
""",
    )
    config = discover_config(tmp_path / "src" / "a.js")
    assert config.root == tmp_path
    assert config.source == tmp_path / "nodeleaklint.toml"
    assert config.select == ("NLL1", "never-settling-promise")
    assert config.ignore == ("NLL102",)
    assert config.exclude == ("vendor",)
    assert config.extend_exclude == ("*.gen.js",)
    assert config.all_excludes == ("vendor", "*.gen.js")
    assert config.max_file_size == 1000
    assert config.respect_gitignore is False
    assert config.min_confidence is Confidence.HIGH
    assert config.per_file_ignores == {"tests/**": ("NLL601",)}
    assert config.rule_options == {"NLL102": {"threshold": 200}}


def test_rule_options_keyed_by_id(tmp_path: Path) -> None:
    write(tmp_path / "nodeleaklint.toml", "[rules.NLL102]\nthreshold = 5\n")
    assert discover_config(tmp_path).rule_options == {"NLL102": {"threshold": 5}}


TOOL = "[tool.nodeleaklint]\n"
PKG = '{"nodeleaklint": {}}'


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"nodeleaklint.toml": "", ".nodeleaklint.toml": "", "pyproject.toml": TOOL},
            "nodeleaklint.toml",
        ),
        ({".nodeleaklint.toml": "", "pyproject.toml": TOOL}, ".nodeleaklint.toml"),
        ({"pyproject.toml": TOOL, "package.json": PKG}, "pyproject.toml"),
        ({"pyproject.toml": "[tool.black]\n", "package.json": PKG}, "package.json"),
    ],
)
def test_precedence_within_one_folder(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    for name, text in files.items():
        write(tmp_path / "proj" / name, text)
    assert discover_config(tmp_path / "proj").source == tmp_path / "proj" / expected


def test_nearest_folder_wins_and_files_without_section_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "nodeleaklint.toml", 'ignore = ["NLL601"]\n')
    write(tmp_path / "pkg" / "package.json", '{"name": "pkg"}')
    write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "pkg" / "deep" / "package.json", '{"nodeleaklint": {"ignore": ["NLL102"]}}')
    assert discover_config(tmp_path / "pkg" / "a.js").ignore == ("NLL601",)
    assert discover_config(tmp_path / "pkg" / "deep" / "x" / "b.ts").ignore == ("NLL102",)


def test_package_json_settings(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        json.dumps({"name": "app", "nodeleaklint": {"extend-exclude": ["fixtures"]}}),
    )
    config = discover_config(tmp_path)
    assert config.extend_exclude == ("fixtures",)
    assert config.root == tmp_path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[tool.nodeleaklint]\nselct = ["NLL1"]\n',
            "pyproject.toml: [tool.nodeleaklint] unknown key 'selct' (did you mean 'select'?)",
        ),
        (
            "[tool.nodeleaklint]\nmax_file_size = 10\n",
            "pyproject.toml: [tool.nodeleaklint] unknown key 'max_file_size' "
            "(did you mean 'max-file-size'?)",
        ),
        (
            '[tool.nodeleaklint]\nselect = "NLL1"\n',
            "pyproject.toml: [tool.nodeleaklint] 'select' must be a list of non-empty strings",
        ),
        (
            '[tool.nodeleaklint]\nignore = ["NLL999"]\n',
            "pyproject.toml: [tool.nodeleaklint] 'ignore': unknown rule selector 'NLL999'",
        ),
        (
            "[tool.nodeleaklint]\nmax-file-size = -1\n",
            "pyproject.toml: [tool.nodeleaklint] 'max-file-size' must be a positive integer",
        ),
        (
            "[tool.nodeleaklint]\nmax-file-size = true\n",
            "'max-file-size' must be a positive integer",
        ),
        (
            '[tool.nodeleaklint]\nmin-confidence = "low"\n',
            "pyproject.toml: [tool.nodeleaklint] 'min-confidence' must be one of high, medium, "
            "got 'low'",
        ),
        (
            "[tool.nodeleaklint]\nfail-on = 1\n",
            "pyproject.toml: [tool.nodeleaklint] 'fail-on' must be one of high, medium, got 1",
        ),
        (
            '[tool.nodeleaklint]\nrespect-gitignore = "yes"\n',
            "'respect-gitignore' must be true or false",
        ),
        (
            '[tool.nodeleaklint.per-file-ignores]\n"tests/*" = ["nope"]\n',
            "pyproject.toml: [tool.nodeleaklint.per-file-ignores] 'tests/*': "
            "unknown rule selector 'nope'",
        ),
        (
            "[tool.nodeleaklint.rules.no-such-rule]\nx = 1\n",
            "pyproject.toml: [tool.nodeleaklint] unknown rule 'no-such-rule' in 'rules'",
        ),
        (
            "[tool.nodeleaklint.rules.raised-max-listeners]\ntreshold = 5\n",
            "pyproject.toml: [tool.nodeleaklint.rules.raised-max-listeners] unknown option "
            "'treshold' for NLL102 (did you mean 'threshold'?)",
        ),
        (
            '[tool.nodeleaklint.rules.NLL102]\nthreshold = "50"\n',
            "pyproject.toml: [tool.nodeleaklint.rules.NLL102] option 'threshold' must be int, "
            "got a string",
        ),
        (
            "[tool.nodeleaklint.rules.NLL102]\nthreshold = true\n",
            "option 'threshold' must be int, got a boolean",
        ),
        ("[tool.nodeleaklint\nselect = 1\n", "pyproject.toml: invalid TOML"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as error:
        discover_config(tmp_path)
    assert message in str(error.value)


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"nodeleaklint": ')
    with pytest.raises(ConfigError, match=r"^package\.json: invalid JSON"):
        discover_config(tmp_path)


def test_package_json_errors_use_json_key_paths(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"nodeleaklint": {"rules": {"NLL102": {"x": 1}}}}')
    with pytest.raises(ConfigError) as error:
        discover_config(tmp_path)
    assert str(error.value).startswith('package.json: "nodeleaklint.rules.NLL102" unknown option')


def test_nodeleaklint_toml_errors_have_no_table_prefix(tmp_path: Path) -> None:
    write(tmp_path / "nodeleaklint.toml", "colour = true\n")
    with pytest.raises(ConfigError, match=r"^nodeleaklint\.toml: unknown key 'colour'$"):
        discover_config(tmp_path)


def test_load_config_explicit_files(tmp_path: Path) -> None:
    custom = write(tmp_path / "ci" / "lint.toml", 'select = ["NLL601"]\n')
    config = load_config(custom)
    assert config.select == ("NLL601",)
    assert config.root == tmp_path / "ci"
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: no \[tool\.nodeleaklint\] table"):
        load_config(tmp_path / "pyproject.toml")
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "missing.toml")


def test_resolver_with_explicit_file_ignores_discovered_ones(tmp_path: Path) -> None:
    explicit = write(tmp_path / "ci.toml", 'ignore = ["NLL601"]\n')
    write(tmp_path / "sub" / "nodeleaklint.toml", 'ignore = ["NLL102"]\n')
    resolver = ConfigResolver(explicit)
    assert resolver.for_path(tmp_path / "sub" / "a.js").ignore == ("NLL601",)


def test_resolver_looks_each_folder_up_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "nodeleaklint.toml", "")
    looked_up: list[Path] = []
    original = config_module._config_in

    def counting(folder: Path, notices: Any = None) -> Config | None:
        looked_up.append(folder)
        return original(folder, notices)

    monkeypatch.setattr(config_module, "_config_in", counting)
    resolver = ConfigResolver()
    deep = tmp_path / "a" / "b"
    first = resolver.for_folder(deep)
    assert resolver.for_folder(deep) is first
    assert resolver.for_folder(tmp_path / "a") is first
    assert resolver.for_folder(tmp_path / "a" / "c") is first
    assert sorted(looked_up) == sorted([deep, tmp_path / "a", tmp_path, tmp_path / "a" / "c"])
