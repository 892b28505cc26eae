"""Every CLI command, every option and every setting is documented in README.md (as datasette's test_docs).

The commands come from the live argparse parser, so a command added later fails here until its README
section names it (`sarap CMD`) and each of its options.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sarap.cli import build_parser
from sarap.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def long_options(parser: argparse.ArgumentParser) -> list[str]:
    return [opt for action in parser._actions for opt in action.option_strings
            if opt.startswith("--") and opt != "--help"]


def readme_sections(text: str) -> list[str]:
    """The README cut at level-1 and level-2 headings; a command's options must sit in a section naming it."""
    return re.split(r"(?m)^(?=#{1,2} )", text)


def mentions_command(section: str, name: str) -> bool:
    return re.search(rf"\bsarap(?: --settings \S+)? {re.escape(name)}\b", section) is not None


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


COMMANDS = subcommands()


def test_parser_has_the_foundation_commands():
    assert {"analyze", "settings"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented(readme, name):
    assert any(mentions_command(s, name) for s in readme_sections(readme)), \
        f"README.md never shows `sarap {name}`: add a section for it"


@pytest.mark.parametrize("name, option", [(name, opt) for name, sub in sorted(COMMANDS.items())
                                          for opt in long_options(sub)])
def test_command_option_is_documented(readme, name, option):
    sections = [s for s in readme_sections(readme) if mentions_command(s, name)]
    assert any(re.search(rf"{re.escape(option)}\b", s) for s in sections), \
        f"`sarap {name} {option}` is not mentioned in the README section(s) about `sarap {name}`"


@pytest.mark.parametrize("option", long_options(build_parser()))
def test_global_option_is_documented(readme, option):
    assert option in readme


@pytest.mark.parametrize("name", [name for name, _, _ in Settings.describe()])
def test_setting_is_documented(readme, name):
    assert re.search(rf"`{re.escape(name)}`", readme), f"setting `{name}` is not in README.md"


def test_settings_command_lists_every_setting(capsys, monkeypatch):
    from sarap.cli import main

    monkeypatch.delenv("SARAP_SETTINGS", raising=False)
    assert main(["settings", "--format", "json"]) == 0
    import json
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == [name for name, _, _ in Settings.describe()]
    assert all(r["help"] and r["value"] == r["default"] for r in rows)
