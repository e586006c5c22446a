"""The command line: the only home of typer, rich and prompts."""
