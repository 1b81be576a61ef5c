"""Sub-commands of the ``careties`` CLI, one module each.

A module defines ``register(subparsers)`` which adds its parser and sets
``handler=`` to a function taking the parsed arguments and returning an exit
code. Raise ``careties.cli.CommandError`` for a problem the user can fix.
"""
