"""--help wraps descriptions at the terminal's width, never where the docstring's lines end."""

from __future__ import annotations

import inspect

import pytest
from typer.testing import CliRunner

from cli.main import app

COMMANDS = [info.name or info.callback.__name__.rstrip("_") for info in app.registered_commands]
# so wide that rich wraps nothing: a description split over lines was split by the docstring
WIDE = {"COLUMNS": "400"}


def _paragraphs(doc: str) -> list[str]:
    return [" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n")]


def _lines(out: str) -> list[str]:
    return [" ".join(line.replace("│", " ").split()) for line in out.splitlines()]


def _docs() -> dict[str, str]:
    return {info.name or info.callback.__name__.rstrip("_"): inspect.getdoc(info.callback)
            for info in app.registered_commands}


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_keeps_each_paragraph_on_one_line(command):
    result = CliRunner().invoke(app, [command, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    for paragraph in _paragraphs(_docs()[command]):
        assert any(paragraph in line for line in lines), (paragraph, result.stdout)


def test_command_list_keeps_each_summary_on_one_line():
    result = CliRunner().invoke(app, ["--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    for command, doc in _docs().items():
        first = _paragraphs(doc)[0]
        assert any(line.startswith(command) and first in line for line in lines), (command, result.stdout)


@pytest.mark.parametrize("command", ["recommend", "playlist", "ingest"])
def test_help_at_80_columns_breaks_only_full_lines(command):
    """At 80 columns a line of a description ends only where the next word would not fit:
    "--artist alone: an" above "artist radio." was the docstring's break."""
    result = CliRunner().invoke(app, ["--help"] if command == "recommend" else [command, "--help"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    width = max(len(line) for line in lines)
    for above, below in zip(lines, lines[1:]):
        text_above, text_below = above.rstrip(" │"), below.strip(" │")
        if not text_above.strip() or not text_below or "─" in above + below:
            continue
        next_word = text_below.split()[0]
        # the column of the text below, and the room the line above left unused
        room = width - 2 - len(text_above) - 1
        # a new option ("--x"), a new command ("name   summary") or typer's "[default: ...]" line
        new_item = text_below[:1] in "-[" or "  " in text_below[:30]
        assert len(next_word) > room or new_item, (above, below)


def test_parameter_help_has_no_hard_line_breaks():
    from cli.main import app as group
    import typer.main

    click_group = typer.main.get_command(group)
    for name, command in click_group.commands.items():
        for param in command.params:
            assert "\n" not in (getattr(param, "help", None) or ""), (name, param.name)


def test_serve_grace_help_names_the_servers_default():
    """`recsys serve --help` writes the grace's default out (importing serve.config at the
    CLI's start would import FastAPI): it must be the server's own."""
    pytest.importorskip("fastapi")
    import typer.main

    from serve.config import GRACE_SECONDS

    serve = typer.main.get_command(app).commands["serve"]
    grace = next(p for p in serve.params if p.name == "grace")
    assert f"[default: {GRACE_SECONDS:g}]" in grace.help
