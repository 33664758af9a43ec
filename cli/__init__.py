"""The `recsys` command line: thin typer commands over importable functions."""
