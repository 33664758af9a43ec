"""The `recsys` app and its one error boundary: a user error prints `error: <one line>` on
stderr and exits 1, a usage error exits 2 (click's own), Ctrl-C ends quietly with 130."""

from __future__ import annotations

import os
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

from cli import analysis_cmd, info_cmd, ingest_cmd, query_cmd, train_cmd

app = typer.Typer(
    name="recsys",
    help="Multimodal music recommendation: text, image, audio and graph vectors in Qdrant.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for sub in (ingest_cmd, query_cmd, info_cmd, train_cmd, analysis_cmd):
    app.registered_commands.extend(sub.app.registered_commands)


def main(argv: list[str] | None = None) -> int:
    from recsys.errors import RecsysError

    try:
        app(args=argv, standalone_mode=False)
        return 0
    except _Exit as e:
        return e.exit_code
    except _Abort:
        return 130
    except _Usage as e:  # usage errors: bad option, missing argument
        e.show()
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except RecsysError as e:
        _error(str(e))
        return 1
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


def _error(message: str) -> None:
    first = " ".join(message.strip().splitlines()) or "unknown error"
    sys.stderr.write(f"error: {first}\n")


def entrypoint() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entrypoint()
