"""``python -m cop.cli``: the ``cop`` command."""

from cop.cli.app import main

__all__: list[str] = []

if __name__ == "__main__":
    main()
