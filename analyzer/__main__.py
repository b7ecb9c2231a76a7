"""``python -m analyzer`` runs the ``skillgap`` command line."""

from analyzer.cli import cli

if __name__ == "__main__":
    cli(prog_name="skillgap")
