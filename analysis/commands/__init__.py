"""CLI command families; each module exposes ``register(subparsers)``.

A handler is set with ``parser.set_defaults(handler=fn)``; ``fn(args) -> int`` gets the parsed
namespace, which always carries ``args.db`` (None when not given).
"""
