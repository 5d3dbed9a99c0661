"""Materialised paths: how every scope in the product names a place in the organisation tree.

A path is one ``PATH_STEP``-character step per level from the root (``0001`` → ``00010003`` …), so an
organisation's ancestors are the prefixes of its path and its subtree is every path it prefixes. The
tree itself lives in the orgs app; the permission engine and the kernel only read paths.
"""

# Paths are made of 4-character steps over 0-9A-Z: 1,679,616 children per node, 63 levels.
PATH_STEP = 4


def path_prefixes(path: str) -> list[str]:
    """The paths of the organisation at ``path`` and of each of its ancestors, root first."""
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]
