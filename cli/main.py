"""The `recsys` app and its one error boundary: a user error prints `error: <one line>` on
stderr and exits 1, a usage error exits 2 (click's own), Ctrl-C ends quietly with 130."""

from __future__ import annotations

import inspect
import os
import re
import sys

import click
import typer

try:  # recent typer vendors its own click; its exceptions are not click's
    from typer import _click as _tclick
except ImportError:  # pragma: no cover - older typer runs on click itself
    _tclick = click

_Exit = (click.exceptions.Exit, typer.Exit)
_Abort = (click.exceptions.Abort, typer.Abort)
_Usage = (click.ClickException, _tclick.exceptions.ClickException)

from typer.core import TyperCommand, TyperGroup

from cli import analysis_cmd, facets_cmd, info_cmd, ingest_cmd, query_cmd, serve_cmd, train_cmd, verify_cmd


#: "[default: ...]" written into a help text, which rich would take for a markup tag and drop
#: (leaving "Collection to use ." behind)
_BRACKETED = re.compile(r"(?<!\\)\[(?=(default|env var|required)\b)")


class _PlainFlags:
    """Help as written: typer's rich panels print ``<bool>`` beside every flag (--json,
    --explain, --help), which take no value, and read a "[default: ...]" in a help text as
    markup; both are fixed here, for every command, before the help is drawn."""

    def format_help(self, ctx, formatter) -> None:
        rich = getattr(self, "rich_markup_mode", None) == "rich"
        for param in self.get_params(ctx):
            if getattr(param, "is_flag", False) and not getattr(param, "count", False) and param.metavar is None:
                param.metavar = ""
            if rich and getattr(param, "help", None):
                param.help = _BRACKETED.sub(r"\\[", param.help)
        super().format_help(ctx, formatter)


class _Command(_PlainFlags, TyperCommand):
    pass


class _Group(_PlainFlags, TyperGroup):
    pass


app = typer.Typer(
    name="recsys",
    cls=_Group,
    help="Multimodal music recommendation: text, image, audio and graph vectors in Qdrant.\n\n"
    "The embedded store serves one command at a time: a command waits its turn behind another "
    "short one for up to RECSYS_STORE_WAIT seconds (10; 0 fails at once), never behind an "
    "ingest, a training or a server.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for sub in (ingest_cmd, query_cmd, info_cmd, facets_cmd, train_cmd, analysis_cmd, verify_cmd, serve_cmd):
    app.registered_commands.extend(sub.app.registered_commands)


def _unwrapped(doc: str | None) -> str | None:
    """A docstring as help: each paragraph on one line, so rich wraps it at the terminal's
    width. In rich markup mode typer keeps a docstring's single line breaks (in the command
    list and after the first paragraph), which broke descriptions mid-sentence."""
    if not doc:
        return doc
    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = _Command
    _info.help = _unwrapped(_info.help or inspect.getdoc(_info.callback))


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("recsys")
    except Exception:  # not installed (run from a checkout): the package's own
        from recsys import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"recsys {_version()}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
    ),
) -> None:
    """Multimodal music recommendation: text, image, audio and graph vectors in Qdrant."""


def main(argv: list[str] | None = None) -> int:
    from recsys.errors import RecsysError

    try:
        # without standalone mode, typer *returns* the code of a typer.Exit raised in a command
        # (ingest's "nothing could be ingested": 1) and of Ctrl-C (130) rather than raising
        code = app(args=argv, standalone_mode=False)
        return code if isinstance(code, int) and not isinstance(code, bool) else 0
    except _Exit as e:
        return e.exit_code
    except _Abort:
        return 130
    except _Usage as e:  # usage errors: bad option, missing argument
        _show_usage_error(e)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except RecsysError as e:  # a usage error of ours (a malformed --qdrant-url) says exit_code = 2
        _error(str(e))
        return getattr(e, "exit_code", 1)
    except (OSError, ValueError) as e:
        # a user's file or value a library rejected: still one line, not a traceback
        if os.environ.get("RECSYS_DEBUG"):
            raise
        _error(f"{type(e).__name__}: {e}")
        return 1
    except Exception as e:  # a bug of ours: say so in one line, the traceback on request
        if os.environ.get("RECSYS_DEBUG"):
            raise
        _error(f"internal error ({type(e).__name__}: {e}); rerun with RECSYS_DEBUG=1 for the traceback")
        return 1


def _show_usage_error(e) -> None:
    """click's message, which quotes the value given (an option value, a seed title), with its
    control sequences removed: click strips colours only, not OSC 8 links or C1 codes."""
    import io

    from recsys.text import plain_text

    buf = io.StringIO()
    e.show(file=buf)
    sys.stderr.write(plain_text(buf.getvalue(), newlines=True))


def _error(message: str) -> None:
    from recsys.text import plain_text  # messages embed titles and paths: no control sequences

    first = plain_text(" ".join(message.strip().splitlines())).strip() or "unknown error"
    sys.stderr.write(f"error: {first}\n")


def entrypoint() -> None:
    """The console script: one command, then the process ends."""
    import gc

    import cli.common

    cli.common.PROCESS_ENDS_WITH_COMMAND = True  # a store is parked, not closed (open_store)
    # what importing the CLI made (modules, classes, functions) lives until the exit: frozen,
    # the collector never walks it again (a recommend at 1M tracks: 0.585 s against 0.621 s)
    gc.freeze()
    sys.exit(main())


if __name__ == "__main__":
    entrypoint()
